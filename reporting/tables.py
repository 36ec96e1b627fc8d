"""The report's tables, computed from the decoded turns and feedback (no I/O; the page and the CSV files show
exactly these rows).

- ``summary``: the period and the totals, what was left out for privacy, rows skipped as unreadable;
- ``activity``: conversations and messages per day and channel (a conversation counts on each day and channel
  it sent a message on; feedback taps are not messages);
- ``answer_types``: replies per day and answer type (:data:`actions.reply_contract.ANSWER_TYPES`);
- ``urgent``: urgent replies per ``urgent_category``;
- ``sections``: answers (``answer`` and ``personal_advice`` replies) per first cited section, most first;
- ``feedback``: per section (the rated reply's first cited one; ``(no section cited)`` for replies that
  cite none): replies with feedback buttons (an ``answer_id`` and a type of ``FEEDBACK_ANSWER_TYPES``: not
  urgent replies, questions back or chitchat), how many were rated, the rate, 👍, 👎 and each 👎 reason;
- ``unanswered``: the groups of questions not answered that at least N conversations asked
  (:mod:`reporting.questions`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from actions import reply_contract as contract
from reporting.questions import UNANSWERED_TYPES, Grouped, group_unanswered
from reporting.settings import ReportSettings
from reporting.turns import Decoded

NO_SECTION = "(no section cited)"
ASKED_TYPES = (contract.ANSWER, contract.PERSONAL_ADVICE)


@dataclass(frozen=True)
class Table:
    name: str  # the CSV file's stem
    title: str
    columns: tuple[str, ...]
    rows: Sequence[tuple[object, ...]]


@dataclass(frozen=True)
class Report:
    settings: ReportSettings
    tables: dict[str, Table]
    grouped: Grouped

    @property
    def empty(self) -> bool:
        return not self.tables["activity"].rows


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "–"


def build_report(decoded: Decoded, settings: ReportSettings) -> Report:
    """Every table of the report for the turns and feedback of the settings' period."""
    turns = decoded.turns
    n = settings.min_conversations
    conversations: dict[tuple[str, str], set[str]] = {}
    messages: Counter[tuple[str, str]] = Counter()
    answer_types: dict[str, Counter[str]] = {}
    for turn in turns:
        key = (turn.day.isoformat(), turn.channel)
        conversations.setdefault(key, set()).add(turn.sender_id)
        messages[key] += 1
        if turn.answer_type is not None:
            answer_types.setdefault(turn.day.isoformat(), Counter())[turn.answer_type] += 1
    activity = [
        (day, channel, len(conversations[(day, channel)]), messages[(day, channel)])
        for day, channel in sorted(messages)
    ]
    by_type = [(day, *(answer_types[day][kind] for kind in contract.ANSWER_TYPES)) for day in sorted(answer_types)]

    urgent = Counter(turn.urgent_category or "(no category)" for turn in turns if turn.answer_type == contract.URGENT)
    sections = Counter(turn.section for turn in turns if turn.answer_type in ASKED_TYPES and turn.section)

    with_buttons = Counter(
        turn.section or NO_SECTION
        for turn in turns
        if turn.answer_id is not None and turn.answer_type in contract.FEEDBACK_ANSWER_TYPES
    )
    rated: Counter[str] = Counter()
    ratings: Counter[tuple[str, str]] = Counter()
    reasons: Counter[tuple[str, str]] = Counter()
    for given in decoded.feedback:
        section = given.section or NO_SECTION
        rated[section] += 1
        ratings[(section, given.rating)] += 1
        if given.reason:
            reasons[(section, given.reason)] += 1
    feedback_sections = sorted(set(with_buttons) | set(rated), key=lambda s: (-with_buttons[s], -rated[s], s))
    feedback = [
        (
            section, with_buttons[section], rated[section], _percent(rated[section], with_buttons[section]),
            *(ratings[(section, rating)] for rating in contract.RATINGS),
            *(reasons[(section, reason)] for reason in contract.REASONS),
        )
        for section in feedback_sections
    ]  # fmt: skip

    grouped = group_unanswered(turns, n)
    unanswered = [
        (
            group.text,
            group.questions,
            len(group.conversations),
            *(group.answer_types[kind] for kind in UNANSWERED_TYPES),
        )
        for group in grouped.shown
    ]
    all_conversations = {turn.sender_id for turn in turns}
    replies = sum(1 for turn in turns if turn.answer_type is not None)
    summary: list[tuple[object, ...]] = [
        ("first day", settings.first_day.isoformat()),
        ("last day", settings.last_day.isoformat()),
        ("conversations", len(all_conversations)),
        ("messages", len(turns)),
        ("replies", replies),
        ("urgent replies", sum(urgent.values())),
        ("answers rated", len(decoded.feedback)),
        ("questions not answered", sum(1 for turn in turns if turn.answer_type in UNANSWERED_TYPES)),
        ("groups of questions shown", len(grouped.shown)),
        (f"groups left out (fewer than {n} conversations)", grouped.left_out_groups),
        (f"questions left out (fewer than {n} conversations)", grouped.left_out_questions),
        ("stored events skipped (unreadable)", decoded.skipped),
    ]
    by_count = sorted(urgent.items(), key=lambda kv: (-kv[1], kv[0]))
    most_asked = sorted(sections.items(), key=lambda kv: (-kv[1], kv[0]))
    reason_columns = tuple(f"down_{reason}" for reason in contract.REASONS)
    feedback_columns = ("section", "replies_with_buttons", "rated", "rate", *contract.RATINGS, *reason_columns)
    tables = [
        Table("summary", "Summary", ("what", "value"), summary),
        Table("activity", "Per day and channel", ("day", "channel", "conversations", "messages"), activity),
        Table("answer_types", "Answer types per day", ("day", *contract.ANSWER_TYPES), by_type),
        Table("urgent", "Urgent replies by category", ("urgent_category", "replies"), by_count),
        Table("sections", "Most asked sections", ("section", "answers"), most_asked),
        Table("feedback", "Feedback per section", feedback_columns, feedback),
        Table(
            "unanswered",
            f"Questions not answered, asked in at least {n} conversations",
            ("question", "times_asked", "conversations", *UNANSWERED_TYPES),
            unanswered,
        ),
    ]
    return Report(settings, {table.name: table for table in tables}, grouped)
