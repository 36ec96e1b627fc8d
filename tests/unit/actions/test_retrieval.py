"""Free-text section search (BM25 over lemmas) on questions written for these tests."""

from __future__ import annotations

import pytest

from actions.knowledge_base import KnowledgeBase
from actions.retrieval import SectionSearch


@pytest.mark.parametrize(
    ("question", "section"),
    [
        ("what are the symtoms of lukemia", "symptoms"),
        ("how do they find out if a child has ALL, which tests", "tests-to-diagnose"),
        ("does a spinal tap hurt", "lumbar-puncture"),
        ("what happens in maintenance therapy", "treatment-phases"),
        ("how are babies under one treated", "treatment-infants"),
        ("what late effects can treatment cause years later", "side-effects-late-effects"),
        ("who wrote this summary and how is it reviewed", "reviewers-updates"),
        ("philadelphia chromosome positive treatment imatinib", "treatment-philadelphia-positive"),
    ],
)
def test_top_hit(search: SectionSearch, question: str, section: str) -> None:
    hits = search.search(question)
    assert hits and hits[0].section_id == section, hits


def test_scores_descend_and_limit_holds(search: SectionSearch) -> None:
    hits = search.search("chemotherapy drugs side effects", limit=3)
    assert len(hits) == 3
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_within_restricts_the_ranking(search: SectionSearch, kb: KnowledgeBase) -> None:
    family = ["tests-to-diagnose", *kb.section("tests-to-diagnose").children]
    hits = search.search("chemotherapy for the brain", within=family)
    assert all(h.section_id in family for h in hits)


@pytest.mark.parametrize("question", ["", "   ", "the and of", "zzzz qqqq"])
def test_nothing_to_match_gives_no_hits(search: SectionSearch, question: str) -> None:
    assert search.search(question) == []
