"""Print knowledge-base counts and how long loading it takes (median of several cold loads)."""

from __future__ import annotations

import statistics
import sys
import time

from actions.knowledge_base import load_knowledge_base
from actions.retrieval import SectionSearch
from actions.term_matching import TermMatcher


def main() -> int:
    load_times, index_times = [], []
    for _ in range(7):
        started = time.perf_counter()
        kb = load_knowledge_base()
        load_times.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        SectionSearch(kb)
        TermMatcher(kb)
        index_times.append((time.perf_counter() - started) * 1000)
    blocks = sum(len(s.blocks) for s in kb.sections.values())
    items = sum(len(b.items) for s in kb.sections.values() for b in s.blocks)
    print(f"sections: {len(kb.sections)} ({blocks} blocks, {items} list items)")
    print(f"glossary terms: {len(kb.glossary)}")
    print(f"drugs: {len(kb.drugs)}")
    print(f"aliases: {len(kb.aliases)}")
    print(f"risk groups: {len(kb.risk_groups.groups)}; topics (intent -> section): {len(kb.topics)}")
    print(f"load + validate: median {statistics.median(load_times):.1f} ms (first {load_times[0]:.1f} ms)")
    print(f"search index + term matcher: median {statistics.median(index_times):.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
