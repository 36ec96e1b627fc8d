"""Oxygen saturation readings (oxygen.py) and the low-oxygen sign they give. Written for these tests."""

from __future__ import annotations

import pytest

from actions.safety import assess
from actions.safety.detector import default_detector
from actions.safety.oxygen import saturations
from actions.safety.temperature import readings


def _saturations(message: str) -> list[float]:
    return [s.percent for s in saturations(default_detector().tokens(message))]


@pytest.mark.parametrize(
    ("message", "percent"),
    [
        ("his sats are 88 on the monitor", [88.0]),
        ("SpO2 86% and falling", [86.0]),
        ("the pulse ox on her toe says 90", [90.0]),
        ("we got 89% oxygen twice", [89.0]),
        ("the little oxygen gadget the nurse lent us reads 85 now", [85.0]),
        ("o2 sat of 97, heart rate 88", [97.0]),
    ],
)
def test_a_saturation_is_read_after_its_oxygen_word(message: str, percent: list[float]) -> None:
    assert _saturations(message) == percent


@pytest.mark.parametrize(
    "message",
    [
        "she had oxygen in the ambulance and her heart rate was 88",
        "if his sats drop below 92 should we ring 911?",
        "he needed oxygen for 60 minutes after the operation",
        "his pulse is 90 and he's sleeping",
    ],
)
def test_a_limit_a_flow_or_another_measure_is_no_saturation(message: str) -> None:
    assert _saturations(message) == []


@pytest.mark.parametrize(
    "message",
    [
        "her sats keep showing 87 on the finger clip",
        "Oxygen reader says 84%, what do I do",
        "my son's SpO2 is 89 and he looks pale",
        "pulse ox is 90 and dropping, she's on chemo",
        "the monitor at home: oxygen 86, he is very tired",
    ],
)
def test_a_low_saturation_is_a_breathing_emergency(message: str) -> None:
    assert assess(message).urgent == "breathing", assess(message)


def test_a_normal_saturation_is_none() -> None:
    assert not assess("her sats were 98 at clinic today, all good. What does maintenance involve?").is_urgent


def test_a_saturation_is_not_read_as_a_temperature() -> None:
    # 96 would be a normal temperature in °F and would hide the fever.
    tokens = default_detector().tokens("she has a fever and her oxygen reading is 96")
    assert readings(tokens) == []
    assert assess("she has a fever and her oxygen reading is 96").urgent == "fever"
