"""The benchmark helpers: percentiles, the baselines' rules and the synthetic knowledge base."""

from __future__ import annotations

import math
from pathlib import Path

from actions.knowledge_base import default_knowledge_base
from bench.accuracy import PlainBM25, StockKnowledgeBaseAction, score
from bench.growth import synthetic
from bench.stats import latency_summary, percentile


def test_percentile_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50
    assert percentile(values, 95) == 95
    assert percentile(values, 99) == 99
    assert math.isnan(percentile([], 50))


def test_latency_summary_counts_errors() -> None:
    summary = latency_summary([10.0, 20.0, 30.0], errors=1, wall_s=2.0)
    assert summary["messages"] == 4 and summary["error_rate"] == 0.25 and summary["msg_per_s"] == 1.5


def test_plain_bm25_answers_with_a_heading_or_out_of_scope() -> None:
    kb = default_knowledge_base()
    bm25 = PlainBM25(kb)
    headings = {section.heading for section in kb.sections.values()}
    assert bm25.outcome("What are the side effects of chemotherapy?") in headings
    assert bm25.outcome("zzzz qqqq") == "out_of_scope"


def test_stock_kb_action_needs_a_mention_naming_one_section(tmp_path: Path) -> None:
    kb = default_knowledge_base()
    stock = StockKnowledgeBaseAction(kb, tmp_path)
    assert stock.outcome("symptoms of childhood acute lymphoblastic leukemia") == kb.section("symptoms").heading
    assert stock.outcome("zzzz qqqq") == "out_of_scope"
    assert stock.applied == 1


def test_score_by_category() -> None:
    questions = [{"accept": ["A"]}, {"accept": ["out_of_scope"]}, {"accept": ["urgent"]}]
    result = score(list(zip(questions, ["A", "B", "urgent"], strict=True)))
    assert result["correct"] == 2 and result["by_category"]["out_of_scope"]["correct"] == 0


def test_synthetic_knowledge_base_grows_with_consistent_links() -> None:
    kb = default_knowledge_base()
    big = synthetic(kb, 3)
    assert len(big.sections) == 3 * len(kb.sections)
    for section in big.sections.values():
        assert section.parent is None or section.parent in big.sections
        assert all(child in big.sections for child in section.children)
    assert all(entry.section in big.sections for entry in big.glossary.values())
