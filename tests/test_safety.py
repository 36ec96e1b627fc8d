"""Red-flag detection: every urgent phrasing triggers, every near-miss does not."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from actions.safety import RED_FLAGS_FILE, RedFlagDetector, detect_red_flag

CASES = yaml.safe_load((Path(__file__).parent / "safety" / "urgent_cases.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES["urgent"], ids=lambda c: c["text"][:40])
def test_urgent_phrasings_trigger(case: dict[str, str]) -> None:
    flag = detect_red_flag(case["text"])
    assert flag is not None, case
    assert flag.category == case["category"]


@pytest.mark.parametrize("text", CASES["not_urgent"], ids=lambda t: t[:40])
def test_near_misses_do_not_trigger(text: str) -> None:
    assert detect_red_flag(text) is None


def test_every_category_is_exercised() -> None:
    categories = RedFlagDetector(RED_FLAGS_FILE).categories
    assert {c["category"] for c in CASES["urgent"]} == set(categories)
    assert len(CASES["urgent"]) >= 60 and len(CASES["not_urgent"]) >= 40


@pytest.mark.parametrize("text", ["", "   ", "\u200b\u200b", "🙂", "\x00"])
def test_empty_and_odd_input_is_not_urgent(text: str) -> None:
    assert detect_red_flag(text) is None
