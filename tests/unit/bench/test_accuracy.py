"""The accuracy benchmark's baselines (plain BM25, Rasa's stock knowledge-base action) and its scoring."""

from __future__ import annotations

from pathlib import Path

from actions.knowledge_base import default_knowledge_base
from bench.accuracy import PlainBM25, StockKnowledgeBaseAction, score


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
    assert result["correct"] == 2
    assert result["by_category"]["out_of_scope"]["correct"] == 0
