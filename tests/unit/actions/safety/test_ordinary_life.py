"""Messages about everyday life, hopes and plans are not emergencies on the classifier's word alone.

Sentences written for these tests only."""

from __future__ import annotations

import pytest

from actions.safety import assess, build_detector
from actions.safety.classifier import Prediction, SafetyClassifier


class _SaysUrgent(SafetyClassifier):
    """A classifier that calls every message urgent (self-harm) with probability 0.8: above the
    ordinary threshold, below the one for a message that reassures or tells of ordinary life."""

    def __init__(self) -> None:
        pass

    def predict(self, text: str) -> Prediction:  # noqa: ARG002
        return Prediction("urgent", {"urgent": 0.8, "not_urgent": 0.2, "personal_advice": 0.0}, "self_harm")

    def kind(self, label: str, text: str) -> str | None:  # noqa: ARG002
        return "self_harm"


@pytest.mark.parametrize(
    ("plain", "with_hopes"),
    [
        (
            "He sits by the window all afternoon watching the buses go past on the main road.",
            "He sits by the window all afternoon watching the buses, he wants to be a bus driver when he grows up.",
        ),
        (
            "She keeps her face pressed to the glass watching the rain for hours.",
            "She keeps her face pressed to the glass watching the rain, she can't wait to splash in puddles again.",
        ),
    ],
)
def test_hopes_and_plans_make_the_classifier_alone_need_more_certainty(plain: str, with_hopes: str) -> None:
    detector = build_detector(_SaysUrgent())
    assert detector.assess(plain).urgent == "self_harm"
    assert detector.assess(with_hopes).urgent is None


def test_hopes_and_plans_never_demote_a_sign() -> None:
    detector = build_detector(_SaysUrgent())
    found = detector.assess("she can't wait for her birthday but right now her lips are blue and she is gasping")
    assert found.urgent == "breathing"


@pytest.mark.parametrize(
    "text",
    [
        "we painted his hospital room door with stars and he loves it",
        "My son told his nurse he wants to become a firefighter when he is big.",
        "our twins start kindergarten in september and their brother will walk them there once he's stronger",
    ],
)
def test_news_of_everyday_life_is_not_urgent(text: str) -> None:
    assert assess(text).urgent is None


@pytest.mark.parametrize(
    ("past", "now"),
    [
        (
            "Last spring his gums would not settle and we spent two nights on the ward.",
            "His gums would not settle and we are on the way to the ward right now.",
        ),
        (
            "At the start he would not leave his bed and we had to carry him to the toilet.",
            "He will not leave his bed and we have to carry him to the toilet.",
        ),
    ],
)
def test_a_story_told_only_in_the_past_needs_more_certainty_from_the_classifier_alone(past: str, now: str) -> None:
    detector = build_detector(_SaysUrgent())
    assert detector.assess(past).urgent is None
    assert detector.assess(now).urgent == "self_harm"
