"""Ask the real bot (trained model + action server, over REST) every question of question files.

Usage: python scripts/evaluate_bot.py [FILE.jsonl ...] [--out reports/]
Files are in the format of ../shared/eval/README.md. The bot's outcome for a question is
``urgent`` if it gave the urgent reply, the heading of its first citation if it answered,
``out_of_scope`` if it said the question is outside the summary (or that it has nothing on it),
else ``fallback`` / ``clarify``. A question is correct when its outcome is in ``accept``.
Writes reports/eval-<name>.md and .json per file.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.local_servers import Servers, running_servers  # noqa: E402

DEFAULT_FILES = [
    ROOT.parent / "shared" / "eval" / "external_questions.jsonl",
    ROOT / "eval" / "own_questions.jsonl",
]
NOT_ANSWERS = {"out_of_scope", "urgent"}


def outcome(messages: list[dict[str, Any]]) -> str:
    payloads = [m["custom"] for m in messages if isinstance(m.get("custom"), dict)]
    if any(p.get("answer_type") == "urgent" for p in payloads):
        return "urgent"
    for payload in payloads:
        if payload.get("citations"):
            return str(payload["citations"][0]["section"])
        kind = payload.get("answer_type")
        if kind == "out_of_scope":
            return "out_of_scope"
        if kind == "fallback" and not any(m.get("buttons") for m in messages):
            return "out_of_scope"  # "I couldn't find that in the PDQ summary" is an honest "I don't have that"
        if kind in ("fallback", "clarify"):
            return str(kind)
    return "no_reply"


def category(accept: list[str]) -> str:
    return accept[0] if accept[0] in NOT_ANSWERS else "answer"


def evaluate(servers: Servers, questions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    results = []
    for q in questions:
        sender = f"eval-{uuid.uuid4().hex[:12]}"
        servers.send(sender, "/greet")  # opens the session (disclaimer) so only the answer is read below
        started = time.perf_counter()
        messages = servers.send(sender, q["question"])
        got = outcome(messages)
        results.append(
            {
                "question": q["question"],
                "accept": q["accept"],
                "got": got,
                "correct": got in q["accept"],
                "category": category(q["accept"]),
                "latency_ms": round((time.perf_counter() - started) * 1000, 1),
            }
        )
    return results


def summarize(name: str, results: list[dict[str, Any]]) -> dict[str, Any]:
    by_category: dict[str, Counter[str]] = defaultdict(Counter)
    for r in results:
        by_category[r["category"]]["total"] += 1
        by_category[r["category"]]["correct"] += r["correct"]
    urgent_expected = [r for r in results if "urgent" in r["accept"]]
    false_urgent = [r for r in results if r["got"] == "urgent" and "urgent" not in r["accept"]]
    latencies = sorted(r["latency_ms"] for r in results)
    return {
        "file": name,
        "questions": len(results),
        "accuracy": round(sum(r["correct"] for r in results) / max(len(results), 1), 4),
        "by_category": {
            c: {"total": v["total"], "correct": v["correct"], "accuracy": round(v["correct"] / v["total"], 4)}
            for c, v in sorted(by_category.items())
        },
        "urgent_recall": round(sum(r["got"] == "urgent" for r in urgent_expected) / len(urgent_expected), 4)
        if urgent_expected
        else None,
        "false_urgent": len(false_urgent),
        "median_latency_ms": latencies[len(latencies) // 2] if latencies else None,
        "misses": [r for r in results if not r["correct"]],
    }


def markdown(summary: dict[str, Any]) -> str:
    recall = "n/a" if summary["urgent_recall"] is None else f"{summary['urgent_recall']:.0%}"
    lines = [
        f"# Evaluation: {summary['file']}",
        "",
        f"- questions: {summary['questions']}",
        f"- **accuracy: {summary['accuracy']:.1%}**",
        f"- urgent recall: {recall}",
        f"- false urgent replies: {summary['false_urgent']}",
        f"- median round trip: {summary['median_latency_ms']} ms",
        "",
        "| expected | questions | correct | accuracy |",
        "|---|---:|---:|---:|",
    ]
    for cat, v in summary["by_category"].items():
        lines.append(f"| {cat} | {v['total']} | {v['correct']} | {v['accuracy']:.1%} |")
    lines += [
        "",
        f"## Misses ({len(summary['misses'])})",
        "",
        "| question | expected | got |",
        "|---|---|---|",
    ]
    for miss in summary["misses"]:
        question = " ".join(miss["question"].split())[:160].replace("|", "\\|")
        lines.append(f"| {question} | {' / '.join(miss['accept'])} | {miss['got']} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="*", type=Path, default=DEFAULT_FILES)
    parser.add_argument("--out", type=Path, default=ROOT / "reports")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    question_sets = {}
    for path in args.files:
        try:
            question_sets[path] = [
                json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
            ]
        except (OSError, json.JSONDecodeError) as exc:
            print(f"eval: cannot read {path}: {exc}", file=sys.stderr)
            return 2
    with tempfile.TemporaryDirectory() as workdir, running_servers(Path(workdir)) as servers:
        for path, questions in question_sets.items():
            summary = summarize(path.name, evaluate(servers, questions))
            stem = path.stem
            (args.out / f"eval-{stem}.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
            (args.out / f"eval-{stem}.md").write_text(markdown(summary), encoding="utf-8")
            print(
                f"eval: {path.name}: accuracy {summary['accuracy']:.1%} on {summary['questions']} questions, "
                f"urgent recall {summary['urgent_recall']}, false urgent {summary['false_urgent']} "
                f"-> {args.out / f'eval-{stem}.md'}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
