"""The report's tables from a seeded SQLite store (written by Rasa's own SQLTrackerStore), counted by hand.

Every expected number comes from the conversations described in :mod:`tests.unit.reporting.seeded_store`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from rasa.core.tracker_store import SQLTrackerStore

from actions import reply_contract as contract
from reporting.output import write_report
from reporting.page import render
from reporting.settings import ReportSettings
from reporting.tables import NO_SECTION, Report, build_report
from reporting.turns import decode
from stores.event_log import StoredEvent
from tests.unit.reporting.seeded_store import (
    D1,
    D2,
    D3,
    HIDDEN_QUESTIONS,
    OLD,
    SYMPTOMS,
    TREATMENT,
    WHAT_IS,
    at,
    seed,
)  # fmt: skip

NOW = dt.datetime(2026, 11, 5, 8, 0, tzinfo=dt.timezone.utc)

# D1..D3, N = 3 (see seeded_store's docstring for each count).
ACTIVITY = [
    ("2026-11-02", "rest", 1, 3),  # c1: 3 questions (the feedback tap is not one)
    ("2026-11-02", "socketio", 1, 2),  # c2
    ("2026-11-03", "socketio", 1, 5),  # c4: hair, weather, school x3
    ("2026-11-03", "telegram", 1, 2),  # c3
    ("2026-11-04", "rest", 1, 3),  # c5: breathing, asdf, thanks (the unreadable user row is not counted)
    ("2026-11-04", "socketio", 1, 1),  # c2 back on D3
]
#                      answer nis urgent advice oos clarify fallback chitchat not_stored human_contact
ANSWER_TYPES = [
    ("2026-11-02", 3, 1, 0, 1, 0, 0, 0, 0, 0, 0),  # c1 answer, answer, advice; c2 answer, nis
    ("2026-11-03", 0, 5, 1, 0, 1, 0, 0, 0, 0, 0),  # c3 urgent, nis; c4 nis, oos, nis x3
    ("2026-11-04", 1, 0, 1, 0, 0, 0, 1, 1, 0, 0),  # c5 urgent, fallback, chitchat; c2 answer
]
URGENT = [("breathing", 1), ("fever", 1)]
SECTIONS = [(SYMPTOMS, 2), (TREATMENT, 2), (WHAT_IS, 1)]
#   section, replies with buttons, rated, rate, up, down, didnt_answer, hard_to_understand, wrong_topic
FEEDBACK = [
    (TREATMENT, 5, 2, "40.0 %", 0, 2, 1, 0, 1),  # c1 a2 a3; c2 a2; c3 a2; c4 a1 | c3 a2, c4 a1 (last: down)
    (NO_SECTION, 5, 1, "20.0 %", 0, 1, 1, 0, 0),  # c4 a2-a5; c5 a2 (not urgent, chitchat) | c5 a2 down
    (SYMPTOMS, 2, 2, "100.0 %", 1, 1, 0, 1, 0),  # c1 a1; c2 a1 | c1 up, c2 down hard (last of two)
]
UNANSWERED = [("will my child lose hair", 3, 3, 3, 0, 0)]  # c2, c3, c4 (c2's wording is read first)


def summary(report: Report) -> dict[str, object]:
    return {str(row[0]): row[1] for row in report.tables["summary"].rows}


@pytest.fixture(scope="module")
def store_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("store") / "tracker.db"
    seed(SQLTrackerStore(dialect="sqlite", db=str(path)))
    return path


def settings(store: str, first: dt.date, last: dt.date, out: Path, n: int = 3) -> ReportSettings:
    return ReportSettings(store=store, first_day=first, last_day=last, min_conversations=n, out_dir=out)


def test_the_report_of_a_seeded_store_matches_the_counts(store_file: Path, tmp_path: Path) -> None:
    report = write_report(settings(str(store_file), D1, D3, tmp_path), NOW).report
    rows = {name: table.rows for name, table in report.tables.items()}
    assert rows["activity"] == ACTIVITY
    assert rows["answer_types"] == ANSWER_TYPES
    assert rows["urgent"] == URGENT
    assert rows["sections"] == SECTIONS
    assert rows["feedback"] == FEEDBACK
    assert rows["unanswered"] == UNANSWERED
    assert summary(report) == {
        "first day": "2026-11-02", "last day": "2026-11-04",
        "conversations": 5, "messages": 16, "replies": 16, "urgent replies": 2, "answers rated": 5,
        "questions not answered": 8, "groups of questions shown": 1,
        "groups left out (fewer than 3 conversations)": 3,  # school (3 times, 1 conversation), weather, asdf
        "questions left out (fewer than 3 conversations)": 5,
        "stored events skipped (unreadable)": 3,  # the made-up answer type, rating "meh", the non-JSON row
    }  # fmt: skip


def test_a_question_asked_by_fewer_than_n_conversations_is_counted_not_shown(store_file: Path, tmp_path: Path) -> None:
    written = write_report(settings(str(store_file), D1, D3, tmp_path, n=4), NOW)
    assert written.report.tables["unanswered"].rows == []
    assert summary(written.report)["groups left out (fewer than 4 conversations)"] == 4
    assert summary(written.report)["questions left out (fewer than 4 conversations)"] == 8
    page = written.html.read_text(encoding="utf-8")
    assert "Left out here: <strong>8 questions in 4 groups</strong>" in page
    for path in [written.html, *written.csv_files]:
        text = path.read_text(encoding="utf-8").lower()
        for question in (*HIDDEN_QUESTIONS, "lose hair", "lose her hair", "lose his hair"):
            assert question not in text, f"{question!r} in {path.name}"


def test_the_period_counts_only_its_days(store_file: Path, tmp_path: Path) -> None:
    only_d3 = write_report(settings(str(store_file), D3, D3, tmp_path / "d3"), NOW).report
    assert only_d3.tables["activity"].rows == [ACTIVITY[4], ACTIVITY[5]]
    assert only_d3.tables["answer_types"].rows == [ANSWER_TYPES[2]]
    assert only_d3.tables["feedback"].rows == [(NO_SECTION, 1, 1, "100.0 %", 0, 1, 1, 0, 0)]  # c5 a2, rated

    with_old = write_report(settings(str(store_file), OLD, D3, tmp_path / "all"), NOW).report
    assert with_old.tables["unanswered"].rows == [("will my child lose hair", 4, 4, 4, 0, 0)]  # + c6 on OLD
    assert summary(with_old)["conversations"] == 6

    d2_only = write_report(settings(str(store_file), D2, D2, tmp_path / "d2"), NOW).report
    assert summary(d2_only)["messages"] == 7  # c3 2 + c4 5
    assert d2_only.tables["unanswered"].rows == []  # hair: c3 and c4 only that day


def test_the_files_say_the_same_as_the_tables(store_file: Path, tmp_path: Path) -> None:
    written = write_report(settings(str(store_file), D1, D3, tmp_path), NOW)
    assert sorted(path.name for path in written.csv_files) == [
        "activity.csv", "answer_types.csv", "feedback.csv", "sections.csv", "summary.csv", "unanswered.csv",
        "urgent.csv",
    ]  # fmt: skip
    assert (tmp_path / "activity.csv").read_text(encoding="utf-8").splitlines() == [
        "day,channel,conversations,messages",
        *(",".join(str(value) for value in row) for row in ACTIVITY),
    ]
    assert (tmp_path / "unanswered.csv").read_text(encoding="utf-8").splitlines() == [
        "question,times_asked,conversations,not_in_summary,out_of_scope,fallback",
        "will my child lose hair,3,3,3,0,0",
    ]
    page = written.html.read_text(encoding="utf-8")
    assert page.count('<img src="data:image/png;base64,') == 4  # activity, answer types, urgent, sections
    assert re.findall(r'(?:src|href)="([^":]*)', page) == ["data"] * 4  # nothing loaded from anywhere
    for loads_something in ("<script", "url(", "@import"):
        assert loads_something not in page
    assert "<td>will my child lose hair</td>" in page


def test_an_empty_store_gives_a_clear_report(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    SQLTrackerStore(dialect="sqlite", db=str(empty))  # creates the events table, no rows
    written = write_report(settings(str(empty), D1, D3, tmp_path / "out"), NOW)
    page = written.html.read_text(encoding="utf-8")
    assert "No conversations in this period." in page
    assert "<img" not in page
    assert summary(written.report)["conversations"] == 0
    assert (tmp_path / "out" / "unanswered.csv").read_text(encoding="utf-8").splitlines() == [
        "question,times_asked,conversations,not_in_summary,out_of_scope,fallback"
    ]


def test_question_text_is_redacted_again_and_shown_as_text_only(tmp_path: Path) -> None:
    # Rows as an older store may hold them: the phone number typed before the input guard redacted text.
    question = "<b>can</b> you call me at 555 123 4567 about hair"
    rows = []
    for index, sender in enumerate(("x1", "x2", "x3")):
        timestamp = at(D1, 9 + index)
        user = {"event": "user", "text": question, "input_channel": "rest", "parse_data": {"intent": {"name": "q"}}}
        reply = {"event": "bot", "data": {"custom": contract.payload(contract.NOT_IN_SUMMARY)}}
        rows += [
            StoredEvent(sender, "user", timestamp, json.dumps(user)),
            StoredEvent(sender, "bot", timestamp + 1, json.dumps(reply)),
        ]
    report = build_report(decode(rows), settings("unused", D1, D1, tmp_path))
    assert report.tables["unanswered"].rows == [("<b>can</b> you call me at [phone] about hair", 3, 3, 3, 0, 0)]
    page = render(report, NOW, "sqlite:///unused")
    assert "<td>&lt;b&gt;can&lt;/b&gt; you call me at [phone] about hair</td>" in page
    assert "4567" not in page


def test_a_feedback_tap_is_not_a_question_but_typed_text_taken_for_feedback_is() -> None:
    def user(text: str, timestamp: float) -> StoredEvent:
        event = {"event": "user", "text": text, "input_channel": "socketio",
                 "parse_data": {"intent": {"name": contract.FEEDBACK_INTENT}}}  # fmt: skip
        return StoredEvent("x1", "user", timestamp, json.dumps(event))

    def reply(answer_type: str, timestamp: float) -> StoredEvent:
        event = {"event": "bot", "data": {"custom": contract.payload(answer_type)}}
        return StoredEvent("x1", "bot", timestamp, json.dumps(event))

    decoded = decode([
        user('/feedback{"answer_id": "a1", "rating": "up"}', at(D1, 9)), reply(contract.CHITCHAT, at(D1, 9) + 1),
        user("how do I give feedback to the doctors", at(D1, 10)), reply(contract.FALLBACK, at(D1, 10) + 1),
    ])  # fmt: skip
    assert [(turn.text, turn.answer_type) for turn in decoded.turns] == [
        ("how do I give feedback to the doctors", contract.FALLBACK)
    ]
    assert decoded.skipped == 0
