"""The markdown report and the one-line stdout summary of an evaluated file.

Contract: :func:`question_markdown` / :func:`conversation_markdown` render the dicts of
:func:`evaluation.scoring.summarize_questions` / :func:`evaluation.scoring.summarize_conversations`;
every miss (and every failed conversation, with every turn) is listed with the bot's reply shortened by
:func:`shorten` (newlines shown as `` / ``, at most :data:`REPLY_CHARS` characters). :func:`summary_line`
is the line printed per file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

REPLY_CHARS = 600


def shorten(text: str, limit: int = REPLY_CHARS) -> str:
    """One line: non-empty lines joined by `` / ``, cut to ``limit`` characters (ending in "…" when cut)."""
    flat = " / ".join(line.strip() for line in text.splitlines() if line.strip())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def cell(text: str) -> str:
    """Text safe for a markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


def pct(rate: float | None) -> str:
    return "n/a" if rate is None else f"{rate:.1%}"


def ratio_text(r: Mapping[str, Any] | None) -> str:
    if not r or not r.get("total"):
        return "n/a"
    return f"{r['hits']}/{r['total']} ({pct(r['rate'])})"


def passage_text(found: bool | None) -> str:
    return "—" if found is None else ("found" if found else "**missing**")


def _table(title: str, label: str, groups: Mapping[str, Mapping[str, Any]], hit: str = "correct") -> list[str]:
    if not groups:
        return []
    lines = [f"## {title}", "", f"| {label} | items | {hit} | rate |", "|---|---:|---:|---:|"]
    lines += [f"| {cell(k)} | {v['total']} | {v['hits']} | {pct(v['rate'])} |" for k, v in groups.items()]
    return [*lines, ""]


def _length_text(length: Mapping[str, Any]) -> str:
    if not length["answers"]:
        return "n/a (no answer messages)"
    return (
        f"median {length['median_chars']}, p95 {length['p95_chars']}, max {length['max_chars']} characters "
        f"over {length['answers']} answers (body only, citation block excluded)"
    )


def _question_cell(result: Mapping[str, Any]) -> str:
    """The question, prefixed by its id when it has one."""
    prefix = f"{result['id']}: " if result.get("id") else ""
    return cell(prefix + result["question"])


def _miss_rows(items: Sequence[Mapping[str, Any]]) -> list[str]:
    lines = ["| # | question | expected | got | key passage | reply |", "|---:|---|---|---|---|---|"]
    for i, r in enumerate(items, start=1):
        lines.append(
            f"| {i} | {_question_cell(r)} | {cell(' / '.join(r['accept']))} | {cell(r['got'])} "
            f"| {passage_text(r['passage_found'])} | {cell(shorten(r['reply']))} |"
        )
    return lines


def question_markdown(summary: Mapping[str, Any]) -> str:
    urgent, advice, false = summary["urgent"], summary["personal_advice"], summary["false_urgent_detail"]
    right = summary["right_section"]
    lines = [
        f"# Evaluation: {summary['file']}",
        "",
        f"- questions: {summary['questions']}",
        f"- **accuracy: {pct(summary['accuracy'])}** ({summary['correct']}/{summary['questions']})",
        f"- right section among answerable questions: {ratio_text(right)}"
        + (f"; wrong section {right['wrong_section']}, no section {right['not_answered']}" if right["total"] else ""),
        f"- passage recall (questions with a key passage): {ratio_text(summary['passage_recall'])}",
        f"- answer length: {_length_text(summary['reply_length'])}",
        f"- urgent recall: {ratio_text(urgent['recall'])}",
        f"- false urgent replies: {summary['false_urgent']} of {false['rate']['total']} non-urgent items",
        f"- personal-advice recall: {ratio_text(advice['recall'])}",
        f"- median round trip: {summary['median_latency_ms']} ms",
        "",
    ]
    lines += _table("By expected outcome", "expected", summary["by_expected"])
    lines += _table("Urgent recall by category", "category", urgent["by_category"], "urgent")
    lines += _table("Urgent recall with and without an alarm keyword", "keyword", urgent["by_keyword"], "urgent")
    if urgent["category_agreement"]["total"]:
        lines += [f"Urgent category agreement: {ratio_text(urgent['category_agreement'])}", ""]
    lines += _table("False urgent replies by kind", "kind", false["by_kind"], "urgent")
    lines += _table("Personal-advice recall by kind", "kind", advice["by_kind"], "personal advice")
    lines += _table("By style", "style", summary["by_style"])
    misses = summary["misses"]
    lines += [f"## Misses ({len(misses)})", ""]
    lines += [*_miss_rows(misses), ""] if misses else ["None.", ""]
    passage_misses = summary["passage_misses"]
    lines += [f"## Passage misses: right outcome, key passage not in the reply ({len(passage_misses)})", ""]
    if passage_misses:
        lines += ["| # | question | got | key passage | reply |", "|---:|---|---|---|---|"]
        for i, r in enumerate(passage_misses, start=1):
            lines.append(
                f"| {i} | {_question_cell(r)} | {cell(r['got'])} | {cell(r['key_passage'] or '')} "
                f"| {cell(shorten(r['reply']))} |"
            )
    else:
        lines.append("None.")
    return "\n".join(lines) + "\n"


def conversation_markdown(summary: Mapping[str, Any]) -> str:
    lines = [
        f"# Evaluation (conversations): {summary['file']}",
        "",
        f"- conversations: {summary['conversations']}, turns: {summary['turns']}",
        f"- **conversation success: {ratio_text(summary['success'])}** (every turn right, every key passage found)",
        f"- turn accuracy: {ratio_text(summary['turn_accuracy'])}",
        f"- passage recall: {ratio_text(summary['passage_recall'])}; "
        f"on follow-up turns: {ratio_text(summary['follow_up_passage_recall'])}",
        f"- urgent turns recall: {ratio_text(summary['urgent_turns_recall'])}",
        f"- false urgent replies: {summary['false_urgent']}",
        f"- answer length: {_length_text(summary['reply_length'])}",
        f"- median round trip: {summary['median_latency_ms']} ms",
        "",
    ]
    lines += _table("By kind", "kind", summary["by_kind"], "succeeded")
    failed = summary["failed"]
    lines += [f"## Failed conversations ({len(failed)})", ""]
    if not failed:
        lines.append("None.")
    for conversation in failed:
        kinds = f" ({', '.join(conversation['kind'])})" if conversation["kind"] else ""
        lines += [
            f"### {conversation['id']}{kinds}",
            "",
            "| turn | user | expected | got | right | key passage | reply |",
            "|---:|---|---|---|---|---|---|",
        ]
        for i, t in enumerate(conversation["turns"]):
            lines.append(
                f"| {i} | {cell(t['user'])} | {cell(' / '.join(t['accept']))} | {cell(t['got'])} "
                f"| {'yes' if t['correct'] else '**no**'} | {passage_text(t['passage_found'])} "
                f"| {cell(shorten(t['reply']))} |"
            )
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def markdown(summary: Mapping[str, Any]) -> str:
    """The report of either kind of file."""
    return conversation_markdown(summary) if summary["type"] == "conversations" else question_markdown(summary)


def summary_line(summary: Mapping[str, Any], report: str) -> str:
    """One line for stdout; ``report`` is where the markdown was written."""
    if summary["type"] == "conversations":
        return (
            f"eval: {summary['file']}: {summary['conversations']} conversations, "
            f"success {ratio_text(summary['success'])}, turn accuracy {ratio_text(summary['turn_accuracy'])}, "
            f"passage recall {ratio_text(summary['passage_recall'])} "
            f"(follow-ups {ratio_text(summary['follow_up_passage_recall'])}), "
            f"urgent turns {ratio_text(summary['urgent_turns_recall'])} -> {report}"
        )
    return (
        f"eval: {summary['file']}: accuracy {pct(summary['accuracy'])} on {summary['questions']} questions, "
        f"passage recall {ratio_text(summary['passage_recall'])}, "
        f"urgent recall {ratio_text(summary['urgent']['recall'])}, false urgent {summary['false_urgent']} "
        f"-> {report}"
    )
