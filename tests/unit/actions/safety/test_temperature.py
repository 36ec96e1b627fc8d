"""Temperatures named as limits are not temperatures taken (temperature.py); written for these tests."""

from __future__ import annotations

import pytest

from actions.safety.detector import default_detector
from actions.safety.temperature import readings


def _fevers(message: str) -> list[float]:
    return [r.celsius for r in readings(default_detector().tokens(message)) if r.is_fever]


@pytest.mark.parametrize(
    "message",
    [
        "temp is less than 38 today, fine for the park?",
        "37.5 again, below the 38 cutoff",
        "the 100.4 rule applies to him",
    ],
)
def test_a_limit_named_is_no_fever_reading(message: str) -> None:
    assert _fevers(message) == []


@pytest.mark.parametrize(
    "message",
    ["his temp is above the 38 line", "she's more than 38 on the ear thermometer", "went over the 100.4 mark"],
)
def test_a_temperature_past_the_limit_is_a_fever(message: str) -> None:
    assert _fevers(message) != []
