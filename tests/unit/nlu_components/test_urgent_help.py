"""The Rasa NLU component: the safety check sets the intent and entities whatever the classifier said."""

from __future__ import annotations

from typing import Any

import pytest
from rasa.shared.nlu.training_data.message import Message

from actions.safety import default_detector
from nlu_components.urgent_help import UrgentHelpDetector


def message(text: str, ranking: list[tuple[str, float]]) -> Message:
    intents = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    return Message(data={"text": text, "intent": intents[0], "intent_ranking": intents, "entities": []})


@pytest.fixture(scope="module")
def component() -> UrgentHelpDetector:
    return UrgentHelpDetector({}, default_detector())


def entities(msg: Message) -> dict[str, Any]:
    return {e["entity"]: e["value"] for e in msg.get("entities")}


def test_an_emergency_overrides_a_confident_topic_intent(component: UrgentHelpDetector) -> None:
    msg = message(
        "he is in maintenance and now his arms are jerking and he won't answer me", [("ask_treatment_phases", 0.97)]
    )
    component.process([msg])
    assert msg.get("intent") == {"name": "urgent_help", "confidence": 1.0}
    assert msg.get("intent_ranking")[0]["name"] == "urgent_help"
    assert entities(msg) == {"urgent_category": "seizure"}


def test_a_confident_runner_up_cannot_make_the_fallback_classifier_ambiguous(component: UrgentHelpDetector) -> None:
    from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier

    msg = message(
        "kid's pee is pink-brown and he's passing clots?? on chemo", [("explain_term", 0.99), ("ask_symptoms", 0.01)]
    )
    component.process([msg])
    fallback = FallbackClassifier({"threshold": 0.45, "ambiguity_threshold": 0.05})
    fallback.process([msg])
    assert msg.get("intent")["name"] == "urgent_help"
    assert msg.get("intent_ranking")[1]["confidence"] <= 0.8


def test_a_personal_request_becomes_personal_advice_with_its_kind(component: UrgentHelpDetector) -> None:
    msg = message(
        "is 10 mg of prednisone too much for my son?", [("ask_chemotherapy", 0.9), ("ask_side_effects", 0.05)]
    )
    component.process([msg])
    assert msg.get("intent") == {"name": "ask_personal_advice", "confidence": 1.0}
    assert entities(msg) == {"advice_kind": "dose"}


def test_the_classifiers_own_urgent_guess_is_replaced_when_the_check_finds_no_emergency(
    component: UrgentHelpDetector,
) -> None:
    msg = message("at what temperature should we call the clinic?", [("urgent_help", 0.9), ("ask_side_effects", 0.05)])
    component.process([msg])
    assert msg.get("intent")["name"] == "ask_side_effects"
    assert all(r["name"] != "urgent_help" for r in msg.get("intent_ranking"))


def test_a_sign_that_is_over_adds_a_safety_note_and_keeps_the_topic(component: UrgentHelpDetector) -> None:
    msg = message("she had a seizure two years ago, what is consolidation?", [("ask_treatment_phases", 0.8)])
    component.process([msg])
    assert msg.get("intent") == {"name": "ask_treatment_phases", "confidence": 0.8}
    assert entities(msg) == {"safety_note": "seizure"}


def test_ordinary_messages_and_button_payloads_are_untouched(component: UrgentHelpDetector) -> None:
    ordinary = message("what is a lumbar puncture?", [("ask_diagnosis_tests", 0.93)])
    payload = message('/show_section{"section": "chest-x-ray"}', [("show_section", 1.0)])
    component.process([ordinary, payload])
    assert ordinary.get("intent") == {"name": "ask_diagnosis_tests", "confidence": 0.93}
    assert ordinary.get("entities") == []
    assert payload.get("intent") == {"name": "show_section", "confidence": 1.0}
