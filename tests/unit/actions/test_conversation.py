"""Follow-ups read against the conversation state in slots, with real rasa_sdk Trackers."""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.answer_actions import ActionAnswerTopic, ActionFollowUp
from actions.conversation import Context, leans_on_context, resolve
from actions.services import knowledge_base


def tracker(text: str, intent: str, slots: dict[str, Any] | None = None, confidence: float = 0.9) -> Tracker:
    return Tracker(
        sender_id="t",
        slots=slots or {},
        latest_message={
            "text": text,
            "intent": {"name": intent, "confidence": confidence},
            "intent_ranking": [{"name": intent, "confidence": confidence}],
            "entities": [],
        },
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def run(action: Action, t: Tracker) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, t, {}))
    return dispatcher.messages, {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def heading(section_id: str) -> str:
    return knowledge_base().section(section_id).heading


def converse(turns: list[tuple[str, str]]) -> list[tuple[list[dict[str, Any]], dict[str, Any]]]:
    """Run the turns through the answering actions, carrying the slots like Rasa does."""
    state: dict[str, Any] = {}
    results = []
    for text, intent in turns:
        action: Action = ActionFollowUp() if intent == "follow_up" else ActionAnswerTopic()
        messages, slots = run(action, tracker(text, intent, dict(state)))
        state.update(slots)
        results.append((messages, dict(state)))
    return results


def test_a_population_named_in_a_follow_up_moves_to_its_treatment_section() -> None:
    (_, first), (second, _) = converse(
        [("what is chemotherapy?", "ask_chemotherapy"), ("and for teenagers?", "follow_up")]
    )
    assert first["last_section"] == "chemotherapy"
    assert second[0]["custom"]["citations"][0]["section"] == heading("treatment-adolescents-young-adults")


def test_a_population_named_earlier_carries_into_a_later_generic_treatment_question() -> None:
    results = converse(
        [
            ("my son has Down syndrome and ALL, how is it treated for him?", "ask_treatment_for_group"),
            ("what is a lumbar puncture?", "ask_diagnosis_tests"),
            ("what treatment options are there?", "ask_treatment_overview"),
        ]
    )
    assert results[0][1]["population_section"] == "treatment-down-syndrome"
    assert results[1][0][0]["custom"]["citations"][0]["section"] == heading("lumbar-puncture")
    assert results[2][0][0]["custom"]["citations"][0]["section"] == heading("treatment-down-syndrome")


def test_does_it_hurt_after_a_procedure_says_honestly_what_the_summary_does_not_say() -> None:
    (_, _), (reply, _) = converse(
        [("what is a bone marrow aspiration?", "ask_diagnosis_tests"), ("does it hurt?", "follow_up")]
    )
    payload = reply[0]["custom"]
    assert payload["answer_type"] == "not_in_summary"
    assert payload["citations"][0]["section"] == heading("bone-marrow-aspiration-biopsy")
    assert "numbed" in reply[0]["text"]


def test_back_to_what_we_were_talking_about_returns_to_the_earlier_topic() -> None:
    results = converse(
        [
            ("what is a stem cell transplant?", "ask_stem_cell_transplant"),
            ("what is a chest x-ray?", "ask_diagnosis_tests"),
            ("ok, back to what we were talking about", "follow_up"),
        ]
    )
    assert results[2][0][0]["custom"]["citations"][0]["section"] == heading("stem-cell-transplant")


def test_a_new_topic_named_in_the_message_wins_over_the_carried_one() -> None:
    results = converse(
        [("what is radiation therapy?", "ask_radiation_therapy"), ("and what are the symptoms of ALL?", "ask_symptoms")]
    )
    assert results[1][0][0]["custom"]["citations"][0]["section"] == heading("symptoms")


def test_a_correction_without_a_topic_asks_which_one_with_buttons() -> None:
    results = converse(
        [("what is a chest x-ray for?", "ask_diagnosis_tests"), ("no, I meant the other test", "follow_up")]
    )
    reply = results[1][0][0]
    assert reply["custom"]["answer_type"] == "clarify"
    assert any("Lumbar puncture" in b["title"] for b in reply["buttons"])


def test_a_follow_up_on_the_same_topic_shows_something_not_shown_yet() -> None:
    results = converse([("what is immunotherapy?", "ask_immunotherapy"), ("why?", "follow_up")])
    first_text = results[0][0][0]["text"].split("\n\nSource:")[0]
    second_text = results[1][0][0]["text"].split("\n\nSource:")[0]
    assert results[1][0][0]["custom"]["citations"][0]["section"] == heading("immunotherapy")
    assert second_text != first_text


def test_standalone_questions_do_not_lean_on_the_context() -> None:
    context = Context(section="lumbar-puncture", previous="chemotherapy", shown_blocks=(0,))
    assert resolve("what are the symptoms of childhood leukemia?", context) is None
    assert not leans_on_context("what are the treatment phases of childhood ALL and what happens in each one")
    assert leans_on_context("is it painful?")
