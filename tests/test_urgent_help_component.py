"""The Rasa NLU component: red flags force urgent_help; unsure classifier urgency is demoted."""

from __future__ import annotations

from typing import Any

import pytest
from rasa.shared.nlu.training_data.message import Message

from nlu_components.urgent_help import UrgentHelpDetector


def message(text: str, ranking: list[tuple[str, float]]) -> Message:
    intents = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    return Message(data={"text": text, "intent": intents[0], "intent_ranking": intents, "entities": []})


@pytest.fixture
def detector() -> UrgentHelpDetector:
    return UrgentHelpDetector({"classifier_threshold": 0.8})


def intent(msg: Message) -> dict[str, Any]:
    return dict(msg.get("intent"))


def test_red_flag_overrides_a_confident_other_intent(detector: UrgentHelpDetector) -> None:
    msg = message("he is on chemo and has a fever of 39", [("ask_chemotherapy", 0.97), ("ask_symptoms", 0.02)])
    detector.process([msg])
    assert intent(msg) == {"name": "urgent_help", "confidence": 1.0}
    assert msg.get("intent_ranking")[0]["name"] == "urgent_help"
    assert {"entity": "red_flag", "value": "fever_during_treatment"}.items() <= msg.get("entities")[0].items()


def test_unsure_classifier_urgency_is_demoted(detector: UrgentHelpDetector) -> None:
    msg = message("car t after a second relapse?", [("urgent_help", 0.61), ("ask_immunotherapy", 0.2)])
    detector.process([msg])
    assert intent(msg)["name"] == "ask_immunotherapy"


def test_confident_classifier_urgency_is_kept(detector: UrgentHelpDetector) -> None:
    msg = message("he is really sleepy and confused after chemo", [("urgent_help", 0.91), ("ask_side_effects", 0.03)])
    detector.process([msg])
    assert intent(msg) == {"name": "urgent_help", "confidence": 0.91}


def test_ordinary_messages_are_untouched(detector: UrgentHelpDetector) -> None:
    msg = message("what is a fever", [("explain_term", 0.9), ("ask_symptoms", 0.05)])
    detector.process([msg])
    assert intent(msg) == {"name": "explain_term", "confidence": 0.9}
    assert msg.get("entities") == []
