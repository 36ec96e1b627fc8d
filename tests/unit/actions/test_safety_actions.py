"""The urgent and personal-advice actions with real rasa_sdk Trackers and CollectingDispatchers."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.safety_actions import ActionPersonalAdvice, ActionUrgentHelp
from actions.safety_replies import urgent_reply
from actions.services import knowledge_base


def tracker(text: str, intent: str, entities: list[dict[str, Any]]) -> Tracker:
    return Tracker(
        sender_id="t",
        slots={},
        latest_message={"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": entities},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def run(action: Action, t: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, t, {}))
    return dispatcher.messages, events


def test_urgent_reply_leads_with_the_action_for_a_seizure_and_never_offers_988(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CARE_TEAM_PHONE", "+1 (555) 010-0199")
    monkeypatch.setenv("CARE_TEAM_PHONE_LABEL", "Oncology on-call")
    messages, events = run(
        ActionUrgentHelp(),
        tracker("his arms are jerking", "urgent_help", [{"entity": "urgent_category", "value": "seizure"}]),
    )
    assert events == []
    assert len(messages) == 1
    text, payload = messages[0]["text"], messages[0]["custom"]
    assert text.startswith("A seizure is an emergency: call 911")
    assert "Oncology on-call: +1 (555) 010-0199." in text
    assert "988" not in text
    assert payload["answer_type"] == "urgent"
    assert payload["urgent_category"] == "seizure"
    assert {"label": "Oncology on-call", "tel": "+15550100199"} in payload["contacts"]
    assert {"label": "Emergency: 911", "tel": "911"} in payload["contacts"]
    assert all(c["tel"] != "988" for c in payload["contacts"])


def test_self_harm_leads_with_988(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CARE_TEAM_PHONE", raising=False)
    reply = urgent_reply("self_harm")
    assert reply.text.startswith("Please call or text 988")
    assert reply.payload["contacts"][0]["tel"] == "988"


def test_without_a_care_team_number_the_family_is_told_to_use_theirs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CARE_TEAM_PHONE", raising=False)
    reply = urgent_reply("fever")
    assert "Use the after-hours number your child's care team gave you." in reply.text
    assert [c["tel"] for c in reply.payload["contacts"]] == ["911"]


def test_a_bad_care_team_number_never_breaks_the_urgent_reply(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CARE_TEAM_PHONE", "call Mary")
    reply = urgent_reply("bleeding")
    assert reply.payload["answer_type"] == "urgent"
    assert "Use the after-hours number your child's care team gave you." in reply.text


def test_an_unknown_category_still_gets_an_urgent_reply() -> None:
    reply = urgent_reply(None)
    assert reply.payload == {**reply.payload, "answer_type": "urgent", "urgent_category": "general"}
    assert "call your child's care team now" in reply.text


def test_personal_advice_is_declined_kindly_then_answered_in_general() -> None:
    kb = knowledge_base()
    messages, events = run(
        ActionPersonalAdvice(),
        tracker(
            "what are my daughter's chances of being cured?",
            "ask_personal_advice",
            [{"entity": "advice_kind", "value": "prognosis"}],
        ),
    )
    assert [m["custom"]["answer_type"] for m in messages] == ["personal_advice", "answer"]
    assert messages[0]["custom"]["advice_kind"] == "prognosis"
    assert "care team is in the best position" in messages[0]["text"]
    # buttons fit the question: no dose or trial topics after a prognosis question
    titles = [b["title"] for m in messages for b in m.get("buttons") or []]
    assert titles and all("trial" not in t.lower() and t != "Chemotherapy" for t in titles)
    prognosis = kb.section("prognostic-factors")
    assert messages[1]["custom"]["citations"][0]["section"] == prognosis.heading
    assert {e["name"]: e["value"] for e in events}["last_section"] == "prognostic-factors"


def test_dose_questions_get_dose_buttons_not_prognosis() -> None:
    messages, _ = run(
        ActionPersonalAdvice(),
        tracker(
            "he vomited his 6-MP, should I give another?",
            "ask_personal_advice",
            [{"entity": "advice_kind", "value": "dose"}],
        ),
    )
    assert messages[0]["custom"]["answer_type"] == "personal_advice"
    assert all("Prognostic" not in b["title"] for m in messages for b in m.get("buttons") or [])
    assert messages[1]["custom"]["answer_type"] == "answer"


def test_a_sign_that_is_not_happening_now_adds_one_conditional_line_under_the_answer() -> None:
    from actions.answer_actions import ActionAnswerTopic

    t = Tracker(
        sender_id="t",
        slots={},
        latest_message={
            "text": "temp is 36.8 so no fever. what happens during maintenance?",
            "intent": {"name": "ask_treatment_phases", "confidence": 0.95},
            "intent_ranking": [{"name": "ask_treatment_phases", "confidence": 0.95}],
            "entities": [{"entity": "safety_note", "value": "fever"}],
        },
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )
    messages, _ = run(ActionAnswerTopic(), t)
    assert messages[0]["custom"]["answer_type"] == "answer"
    assert messages[0]["text"].endswith(
        "If your child has a fever of 38 °C (100.4 °F) or more, or chills, during treatment, call the care team now."
    )
    without, _ = run(ActionAnswerTopic(), tracker("what happens during maintenance?", "ask_treatment_phases", []))
    assert "call the care team now" not in without[0]["text"]


def test_the_general_answer_after_a_personal_question_is_about_the_population_named_earlier() -> None:
    """A transplant question about a baby whose infancy the parent mentioned earlier: the general answer
    comes from the infants' section, which says what the summary knows about transplant for infants."""
    t = tracker(
        "is our little one going to need a stem cell transplant?",
        "ask_personal_advice",
        [{"entity": "advice_kind", "value": "decision"}],
    )
    t.slots.update({"population_section": "treatment-infants", "last_section": "risk-groups"})
    messages, _ = run(ActionPersonalAdvice(), t)
    assert messages[0]["custom"]["answer_type"] == "personal_advice"
    infants = knowledge_base().section("treatment-infants")
    assert messages[1]["custom"]["citations"][0]["section"] == infants.heading
    assert "It is not clear whether a stem cell transplant during first remission will help" in messages[1]["text"]
