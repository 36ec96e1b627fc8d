"""Offline safety scores: the safety check's decisions on the evaluation files, without any server.

    python -m devtools.safety_scores [--misses] [FILE ...]

For each file (default: every ``eval/*.jsonl`` question file, ``eval/blind/*.jsonl`` and
``../shared/eval/*.jsonl``; conversation files are scored turn by turn) it prints urgent recall per
category, false urgent replies per near-miss kind and personal-advice recall, as ``make eval``
counts them (:mod:`evaluation.scoring`): an item is expected urgent when its ``accept`` holds
``urgent``, and personal advice when it holds ``personal_advice``.

A care-team reply to an item whose accept names only sections is counted too.

The outcome of a message is the one the assistant's safety layer forces before any other policy:
``urgent`` when :meth:`actions.safety.detector.SafetyDetector.assess` says urgent, ``personal_advice``
when it finds an advice kind or the scope guard calls it personal advice (the answer actions then
send the care-team reply), else ``other``. A few seconds: the classifier is fitted once.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from actions.safety.detector import default_detector
from actions.scope import default_guard

ROOT = Path(__file__).resolve().parent.parent
URGENT, ADVICE, OTHER = "urgent", "personal_advice", "other"


def outcome(text: str) -> str:
    """The safety layer's decision for one message."""
    found = default_detector().assess(text)
    if found.urgent is not None:
        return URGENT
    if found.advice is not None or default_guard().out_of_scope(text) == "personal advice":
        return ADVICE
    return OTHER


def items(path: Path) -> Iterator[tuple[str, str, list[str], str | None, str | None]]:
    """(id, text, accept, category, kind) of every question, or of every conversation turn."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        data = json.loads(line)
        if "turns" in data:
            for i, turn in enumerate(data["turns"]):
                yield f"{data['id']}#{i}", turn["user"], turn["accept"], turn.get("category"), "conversation"
        else:
            item_id = data.get("id", f"line {number}")
            yield item_id, data["question"], data["accept"], data.get("category"), data.get("kind")


def score(path: Path, show_misses: bool) -> dict[str, object]:
    urgent_by: dict[str, list[bool]] = defaultdict(list)
    false_by: dict[str, list[bool]] = defaultdict(list)
    advice: list[bool] = []
    unasked_advice = 0  # the care-team reply where a cited answer was expected
    misses: list[str] = []
    for item_id, text, accept, category, kind in items(path):
        got = outcome(text)
        if URGENT in accept:
            urgent_by[category or "?"].append(got == URGENT)
            if got != URGENT:
                misses.append(f"  MISSED urgent [{category}] {item_id}: {text}")
        else:
            false_by[kind or "?"].append(got == URGENT)
            if got == URGENT:
                misses.append(f"  FALSE urgent [{kind}] {item_id}: {text}")
        if ADVICE in accept:
            advice.append(got == ADVICE)
            if got != ADVICE:
                misses.append(f"  MISSED advice [{kind}] {item_id}: {text}")
        elif got == ADVICE and not {"any", "not_urgent", "out_of_scope"} & set(accept):
            unasked_advice += 1
            misses.append(f"  UNASKED advice [{kind}] {item_id}: {text}")
    urgent_total = [x for v in urgent_by.values() for x in v]
    false_total = [x for v in false_by.values() for x in v]
    print(f"== {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    if urgent_total:
        per = ", ".join(f"{c} {sum(v)}/{len(v)}" for c, v in sorted(urgent_by.items()) if sum(v) < len(v))
        print(f"  urgent {sum(urgent_total)}/{len(urgent_total)}" + (f"  (short: {per})" if per else ""))
    per_kind = ", ".join(f"{k} {sum(v)}" for k, v in sorted(false_by.items()) if sum(v))
    print(f"  false urgent {sum(false_total)}/{len(false_total)}" + (f"  ({per_kind})" if per_kind else ""))
    if advice:
        print(f"  advice {sum(advice)}/{len(advice)}")
    if unasked_advice:
        print(f"  care-team reply where an answer was expected: {unasked_advice}")
    if show_misses:
        print("\n".join(misses))
    return {"urgent": sum(urgent_total), "false": sum(false_total), "advice": sum(advice), "unasked": unasked_advice}


def default_files() -> list[Path]:
    own = sorted((ROOT / "eval").glob("*.jsonl")) + sorted((ROOT / "eval" / "blind").glob("*.jsonl"))
    # The shared question files sit beside the main checkout (/work/shared) or one level up from a worktree.
    shared = next((d for d in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if d.is_dir()), None)
    return own + (sorted((shared / "eval").glob("*.jsonl")) if shared else [])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--misses", action="store_true", help="list every miss, false alarm and unasked advice")
    args = parser.parse_args()
    for path in args.files or default_files():
        score(path.resolve(), args.misses)


if __name__ == "__main__":
    main()
