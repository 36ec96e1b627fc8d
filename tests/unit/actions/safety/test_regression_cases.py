"""The safety detector on the regression phrasings written for the earlier keyword layer: every
urgent phrasing is urgent with its category, every near-miss is not."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from actions.safety import assess

CASES = yaml.safe_load((Path(__file__).parent / "urgent_cases.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES["urgent"], ids=lambda c: c["text"][:40])
def test_urgent_phrasings_are_urgent_with_their_category(case: dict[str, str]) -> None:
    assert assess(case["text"]).urgent == case["category"]


@pytest.mark.parametrize("text", CASES["not_urgent"], ids=lambda t: t[:40])
def test_near_misses_are_not_urgent(text: str) -> None:
    assert assess(text).urgent is None


@pytest.mark.parametrize("text", ["", "   ", "\u200b\u200b", "🙂", "\x00"])
def test_empty_and_odd_input_is_not_urgent(text: str) -> None:
    found = assess(text)
    assert found.urgent is None and found.advice is None
