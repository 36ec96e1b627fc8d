"""The knowledge-base search/answer path as the knowledge base grows (synthetic ×10, ×100 sections).

Every section is copied ``factor - 1`` times with a new id (``<id>--syn<k>``), its parent/children
mapped to the copies, and its heading and text perturbed: 15 % of the words replaced by random words
of the knowledge base's own vocabulary (seeded). Glossary entries and aliases that point to a section
are copied too (their names perturbed the same way), so the term matcher grows with it. Then
``SectionSearch`` and ``TermMatcher`` are built in-process over the big knowledge base and the path an
answer takes is timed for real questions: ``search`` (top 3) + ``find_in_text`` (names in the question)
+ ``section_answer`` (the reply for the top section). Memory is what the synthetic knowledge base and
both indexes keep allocated (``tracemalloc``, measured in a separate build from the timed one).
"""

from __future__ import annotations

import dataclasses
import gc
import random
import time
import tracemalloc
from collections.abc import Sequence
from typing import Any

from actions import answers
from actions.knowledge_base import Alias, Block, GlossaryEntry, KnowledgeBase, Section
from actions.retrieval import SectionSearch
from actions.term_matching import TermMatcher
from actions.text_processing import lemmas
from bench.stats import percentile

PERTURB_SHARE = 0.15


def _perturb(text: str, vocabulary: Sequence[str], rng: random.Random) -> str:
    words = text.split(" ")
    return " ".join(rng.choice(vocabulary) if rng.random() < PERTURB_SHARE else w for w in words)


def synthetic(kb: KnowledgeBase, factor: int, seed: int = 7) -> KnowledgeBase:
    """``kb`` with every section (and its glossary terms and aliases) present ``factor`` times."""
    if factor <= 1:
        return kb
    rng = random.Random(seed)
    vocabulary = sorted({w for s in kb.sections.values() for w in s.full_text.split() if w.isalpha()})
    sections: dict[str, Section] = dict(kb.sections)
    glossary: dict[str, GlossaryEntry] = dict(kb.glossary)
    aliases: list[Alias] = list(kb.aliases)
    for k in range(1, factor):

        def new_id(section_id: str | None, k: int = k) -> str | None:
            return None if section_id is None else f"{section_id}--syn{k}"

        for section in kb.sections.values():
            blocks = tuple(
                dataclasses.replace(
                    b,
                    text=_perturb(b.text, vocabulary, rng) if b.text else b.text,
                    lead=_perturb(b.lead, vocabulary, rng) if b.lead else b.lead,
                    items=tuple(_perturb(i, vocabulary, rng) for i in b.items),
                )
                for b in section.blocks
            )
            copy_id = str(new_id(section.id))
            sections[copy_id] = dataclasses.replace(
                section,
                id=copy_id,
                heading=_perturb(section.heading, vocabulary, rng),
                parent=new_id(section.parent),
                blocks=tuple(Block(**dataclasses.asdict(b)) for b in blocks),
                children=tuple(str(new_id(c)) for c in section.children),
            )
        for entry in kb.glossary.values():
            copy_id = f"{entry.id}--syn{k}"
            glossary[copy_id] = dataclasses.replace(
                entry, id=copy_id, term=f"{entry.term} {rng.choice(vocabulary)}", section=str(new_id(entry.section))
            )
        for alias in kb.aliases:
            if alias.target_kind == "section":
                aliases.append(
                    dataclasses.replace(
                        alias, alias=f"{alias.alias} {rng.choice(vocabulary)}", target_id=str(new_id(alias.target_id))
                    )
                )
    return dataclasses.replace(kb, sections=sections, glossary=glossary, aliases=tuple(aliases))


def measure(kb: KnowledgeBase, questions: Sequence[str], factors: Sequence[int] = (1, 10, 100)) -> list[dict[str, Any]]:
    """Build time, memory and per-question latency of the search/answer path at each size."""
    rows = []
    lemmas("warm up the spaCy pipeline")
    for factor in factors:
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        kept = synthetic(kb, factor)
        kept_indexes = (SectionSearch(kept), TermMatcher(kept))
        gc.collect()
        retained = tracemalloc.get_traced_memory()[0] - before
        tracemalloc.stop()
        del kept, kept_indexes
        gc.collect()
        started = time.perf_counter()
        big = synthetic(kb, factor)
        kb_s = time.perf_counter() - started
        started = time.perf_counter()
        search = SectionSearch(big)
        search_s = time.perf_counter() - started
        started = time.perf_counter()
        matcher = TermMatcher(big)
        matcher_s = time.perf_counter() - started
        asked = list(questions[: 100 if factor < 100 else 50])
        timings: dict[str, list[float]] = {"search": [], "find_in_text": [], "answer": [], "total": []}
        for question in asked:
            t0 = time.perf_counter()
            hits = search.search(question, limit=3)
            t1 = time.perf_counter()
            matcher.find_in_text(question)
            t2 = time.perf_counter()
            if hits:
                answers.section_answer(big, big.section(hits[0].section_id))
            t3 = time.perf_counter()
            for key, value in (("search", t1 - t0), ("find_in_text", t2 - t1), ("answer", t3 - t2), ("total", t3 - t0)):
                timings[key].append(value * 1000)
        rows.append(
            {
                "factor": factor,
                "sections": len(big.sections),
                "glossary_terms": len(big.glossary),
                "aliases": len(big.aliases),
                "questions": len(asked),
                "build_s": {
                    "synthetic_kb": round(kb_s, 2),
                    "section_search": round(search_s, 2),
                    "term_matcher": round(matcher_s, 2),
                },
                "memory_mib": round(retained / 1024 / 1024, 1),
                "latency_ms": {
                    key: {
                        "p50": round(percentile(v, 50), 2),
                        "p95": round(percentile(v, 95), 2),
                        "mean": round(sum(v) / len(v), 2),
                    }
                    for key, v in timings.items()
                },
            }
        )
        del big, search, matcher
    return rows
