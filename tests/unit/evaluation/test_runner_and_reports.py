"""evaluation.runner with a fake bot, evaluation.report and the pipeline writing reports/, and the entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest
import requests

import evaluation.__main__ as evaluate_command
from bench.accuracy import evaluate, summarize
from evaluation.dataset import Conversation, ConversationTurn, Expectation, Question, load_eval_file
from evaluation.pipeline import run
from evaluation.report import shorten
from evaluation.runner import ask_questions, play_conversation
from serving.local_servers import Servers
from serving.paths import ROOT
from tests.unit.evaluation.fakes import answer, simple, urgent


class FakeBot:
    """Replies from a table; records every (sender, text)."""

    def __init__(self, replies: Mapping[str, list[dict[str, Any]]]) -> None:
        self.replies = replies
        self.calls: list[tuple[str, str]] = []

    def __call__(self, sender: str, text: str) -> Sequence[Mapping[str, Any]]:
        self.calls.append((sender, text))
        if text == "/greet":
            return simple("chitchat", "Hello! This is general information, not medical advice.")
        if text == "boom":
            raise requests.ConnectionError("refused")
        return self.replies[text]


def test_each_question_gets_a_fresh_sender_that_greets_first() -> None:
    bot = FakeBot({"a": answer("x", "Symptoms"), "b": urgent()})
    questions = [Question("a", Expectation(("Symptoms",))), Question("b", Expectation(("urgent",)))]
    results = ask_questions(bot, questions)
    assert [r.got for r in results] == ["Symptoms", "urgent"]
    assert [text for _, text in bot.calls] == ["/greet", "a", "/greet", "b"]
    senders = [sender for sender, _ in bot.calls]
    assert senders[0] == senders[1] != senders[2] == senders[3]


def test_a_conversation_keeps_one_sender() -> None:
    bot = FakeBot({"a": answer("x", "Phases"), "b": answer("y", "Phases")})
    turns = (ConversationTurn("a", Expectation(("Phases",))), ConversationTurn("b", Expectation(("Phases",))))
    result = play_conversation(bot, Conversation("c", turns))
    assert result.success
    assert [text for _, text in bot.calls] == ["/greet", "a", "b"]
    assert len({sender for sender, _ in bot.calls}) == 1


def test_a_failed_request_is_an_error_outcome_not_a_crash() -> None:
    result = ask_questions(FakeBot({}), [Question("boom", Expectation(("any",)))])[0]
    assert result.got == "error"
    assert not result.correct
    assert "refused" in result.turn.reply


def test_shorten() -> None:
    assert shorten("one\n\ntwo\n three ") == "one / two / three"
    long = shorten("x" * 700)
    assert len(long) == 600
    assert long.endswith("…")


def test_run_writes_both_reports_and_lists_every_miss(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    qfile = tmp_path / "qs.jsonl"
    qfile.write_text(
        "\n".join(
            json.dumps(o)
            for o in (
                {"question": "right", "accept": ["Symptoms"]},
                {"question": "wrong | piped", "accept": ["Tests"], "key_passage": "blood count"},
            )
        ),
        encoding="utf-8",
    )
    cfile = tmp_path / "convs.jsonl"
    cfile.write_text(
        json.dumps({"id": "c-9", "kind": ["follow-up"], "turns": [{"user": "right", "accept": ["Tests"]}]}),
        encoding="utf-8",
    )
    bot = FakeBot(
        {"right": answer("Signs.\nMore signs.", "Symptoms"), "wrong | piped": answer("Bone pain.", "Symptoms")}
    )
    lines = run(bot, [load_eval_file(qfile), load_eval_file(cfile)], tmp_path / "reports")
    assert len(lines) == 2
    assert lines[0].startswith("eval: qs.jsonl: accuracy 50.0% on 2 questions")
    assert capsys.readouterr().out.splitlines() == lines
    md = (tmp_path / "reports" / "eval-qs.md").read_text(encoding="utf-8")
    assert "wrong \\| piped" in md
    assert "Bone pain. / Source:" in md
    assert "**missing**" in md
    data = json.loads((tmp_path / "reports" / "eval-qs.json").read_text(encoding="utf-8"))
    assert data["accuracy"] == 0.5
    assert len(data["misses"]) == 1
    conv_md = (tmp_path / "reports" / "eval-convs.md").read_text(encoding="utf-8")
    assert "### c-9 (follow-up)" in conv_md
    assert "| 0 | right | Tests | Symptoms | **no** |" in conv_md


def test_entry_point_exits_2_on_an_unreadable_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{oops\n", encoding="utf-8")
    assert evaluate_command.main([str(bad)]) == 2
    assert "invalid JSON" in capsys.readouterr().err
    assert evaluate_command.main([str(tmp_path / "missing.jsonl")]) == 2


def test_the_old_dict_interface_kept_for_the_benchmarks_still_works() -> None:
    bot = FakeBot({"a": answer("x", "Symptoms"), "b": answer("y", "Symptoms")})
    servers = cast(Servers, SimpleNamespace(send=bot))
    results = evaluate(servers, [{"question": "a", "accept": ["Symptoms"]}, {"question": "b", "accept": ["urgent"]}])
    assert [(r["question"], r["accept"], r["got"]) for r in results] == [
        ("a", ["Symptoms"], "Symptoms"),
        ("b", ["urgent"], "Symptoms"),
    ]
    summary = summarize("x.jsonl", results)
    assert (summary["questions"], summary["accuracy"], summary["urgent_recall"], summary["false_urgent"]) == (
        2,
        0.5,
        0.0,
        0,
    )
    assert [{k: m[k] for k in ("question", "got")} for m in summary["misses"]] == [{"question": "b", "got": "Symptoms"}]


def test_the_old_command_runs_the_evaluation_package(tmp_path: Path) -> None:
    # scripts/evaluate_bot.py FILE --out DIR is what people type; it must reach evaluation's own checks.
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{oops\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "scripts/evaluate_bot.py", str(bad), "--out", str(tmp_path / "reports")],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.startswith("eval: ")
    assert "invalid JSON" in result.stderr
