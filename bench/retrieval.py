"""Measure free-text section retrieval on question files (top-1 / top-3 accuracy).

Compares ranking variants so the choice in actions/retrieval.py is justified by numbers:
    python -m bench.retrieval [question files...]  (default: shared external + own set)
Questions whose accept list has no PDQ heading (out_of_scope / urgent only) are skipped.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from actions.knowledge_base import load_knowledge_base
from actions.retrieval import SectionSearch
from serving.paths import ROOT

DEFAULT_FILES = [
    ROOT.parent / "shared" / "eval" / "external_questions.jsonl",
    ROOT / "eval" / "own_questions.jsonl",
]
VARIANTS: dict[str, dict[str, Any]] = {
    "bm25 + lemmas + heading x3 + typo fix (chosen)": {},
    "bm25 + lemmas + heading x1 + typo fix": {"heading_weight": 1},
    "bm25 + lemmas + heading x3, no typo fix": {"fix_typos": False},
    "bm25 + plain words + heading x3 + typo fix": {"use_lemmas": False},
}


def load_questions(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("files", nargs="*", type=Path, default=DEFAULT_FILES)
    parser.add_argument("--json", type=Path, help="write the results here as JSON")
    args = parser.parse_args()
    kb = load_knowledge_base()
    headings = {s.heading for s in kb.sections.values()}
    results: dict[str, dict[str, Any]] = {}
    for name, options in VARIANTS.items():
        search = SectionSearch(kb, **options)
        for path in args.files:
            questions = [q for q in load_questions(path) if any(a in headings for a in q["accept"])]
            top1 = top3 = 0
            started = time.perf_counter()
            for q in questions:
                hits = [kb.section(h.section_id).heading for h in search.search(q["question"], limit=3)]
                top1 += bool(hits) and hits[0] in q["accept"]
                top3 += any(h in q["accept"] for h in hits)
            elapsed_ms = (time.perf_counter() - started) * 1000 / max(len(questions), 1)
            results.setdefault(name, {})[path.name] = {
                "questions": len(questions),
                "top1": round(top1 / len(questions), 3),
                "top3": round(top3 / len(questions), 3),
                "ms_per_query": round(elapsed_ms, 2),
            }
    print(f"{'variant':48} {'file':28} {'n':>4} {'top1':>6} {'top3':>6} {'ms/q':>6}")
    for name, per_file in results.items():
        for file, r in per_file.items():
            print(
                f"{name:48} {file:28} {r['questions']:>4} {r['top1']:>6.3f} {r['top3']:>6.3f} {r['ms_per_query']:>6.2f}"
            )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
