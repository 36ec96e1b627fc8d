"""Parsing ages and counts, and matching them to the PDQ's general risk-group definitions."""

from __future__ import annotations

import pytest

from actions.knowledge_base import KnowledgeBase
from actions.risk_groups import matching_definition, parse_age_years, parse_wbc_per_microliter


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("4", 4),
        ("she is 6", 6),
        ("he's 10 years old", 10),
        ("18 months", 1.5),
        ("8 months", 8 / 12),
        ("2 and a half", 2.5),
        ("fifteen", 15),
        ("6 weeks", 6 / 52),
    ],
)
def test_ages(text: str, years: float) -> None:
    assert parse_age_years(text) == pytest.approx(years)


@pytest.mark.parametrize("text", ["", "no idea", "240", "-3", "my son"])
def test_unreadable_ages(text: str) -> None:
    assert parse_age_years(text) is None


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("30,000", 30000),
        ("30000", 30000),
        ("30k", 30000),
        ("30 thousand", 30000),
        ("wbc was 12000", 12000),
        ("52", 52000),
        ("4.5", 4500),
        ("it was 4500 per microliter", 4500),
    ],
)
def test_counts(text: str, count: float) -> None:
    assert parse_wbc_per_microliter(text) == pytest.approx(count)


@pytest.mark.parametrize("text", ["", "not sure", "0"])
def test_unreadable_counts(text: str) -> None:
    assert parse_wbc_per_microliter(text) is None


@pytest.mark.parametrize(
    ("age", "wbc", "group"),
    [
        (4, 30000, "standard"),
        (1, 49999, "standard"),
        (9.9, 10000, "standard"),
        (10, 10000, "high"),
        (4, 50000, "high"),
        (15, 80000, "high"),
        (0.5, 10000, "very-high"),
        (0.5, 90000, "very-high"),
    ],
)
def test_definitions_follow_the_pdq_thresholds(kb: KnowledgeBase, age: float, wbc: float, group: str) -> None:
    found = matching_definition(kb.risk_groups, age, wbc)
    assert found is not None and found.id == group
    assert found.definition in kb.section("risk-groups").full_text
