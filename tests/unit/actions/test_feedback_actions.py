"""action_record_feedback with real rasa_sdk Trackers and CollectingDispatchers: the exact event it stores,
the thank-you it sends, and what it ignores."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.answer_actions import context_of
from actions.feedback_actions import ActionRecordFeedback
from actions.services import knowledge_base

SYMPTOMS = "Symptoms of childhood acute lymphoblastic leukemia"
ANSWER_ID = "0a1b2c3d4e5f"
URGENT_ID = "feedc0ffee00"


def citation(section: str) -> dict[str, str]:
    return {"section": section, "url": "https://www.cancer.gov/x", "updated": "2025-02-12"}


def bot(text: str, custom: dict[str, Any]) -> dict[str, Any]:
    return {"event": "bot", "text": text, "data": {"custom": custom}}


def user(text: str, intent: str) -> dict[str, Any]:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent, "confidence": 1.0}}}


HISTORY = [
    user("what are the symptoms?", "ask_symptoms"),
    bot("Signs of ALL include ...", {"answer_type": "answer", "citations": [citation(SYMPTOMS), citation("Other")],
                                     "answer_id": ANSWER_ID}),
    user("he can't breathe", "urgent_help"),
    bot("Call 911 now.", {"answer_type": "urgent", "citations": [], "answer_id": URGENT_ID}),
]  # fmt: skip


def payload_text(entities: dict[str, Any]) -> str:
    return "/feedback" + json.dumps(entities)


def tracker(entities: dict[str, Any], text: str | None = None, events: list[dict[str, Any]] | None = None) -> Tracker:
    message = payload_text(entities) if text is None else text
    return Tracker(
        sender_id="family-1",
        slots={"last_section": "symptoms", "subject": None},
        latest_message={
            "text": message,
            "intent": {"name": "feedback", "confidence": 1.0},
            "entities": [{"entity": k, "value": v, "start": 0, "end": 0} for k, v in entities.items()],
        },
        events=[*(HISTORY if events is None else events), user(message, "feedback")],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def run(t: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionRecordFeedback().run(dispatcher, t, {}))
    return dispatcher.messages, events


def chitchat(text: str, buttons: list[dict[str, str]] | None = None) -> dict[str, Any]:
    return {
        "text": text,
        "buttons": buttons or [],
        "elements": [],
        "custom": {"answer_type": "chitchat", "citations": []},
        "template": None,
        "response": None,
        "image": None,
        "attachment": None,
    }


def test_a_thumbs_up_is_one_slot_event_with_the_rated_answers_section_and_type() -> None:
    messages, events = run(tracker({"answer_id": ANSWER_ID, "rating": "up"}))
    assert events == [
        {
            "event": "slot",
            "timestamp": None,
            "name": "answer_feedback",
            "value": {"answer_id": ANSWER_ID, "rating": "up", "reason": None, "section": SYMPTOMS,
                      "answer_type": "answer"},
        }
    ]  # fmt: skip
    assert messages == [chitchat("Thank you for letting us know.")]


def test_a_thumbs_down_without_a_reason_is_stored_and_offers_the_three_reasons() -> None:
    messages, events = run(tracker({"answer_id": ANSWER_ID, "rating": "down"}))
    assert [e["value"] for e in events] == [
        {"answer_id": ANSWER_ID, "rating": "down", "reason": None, "section": SYMPTOMS, "answer_type": "answer"}
    ]
    assert messages == [
        chitchat(
            "Thank you. What was wrong with it? (optional)",
            [
                {"title": "Didn't answer my question",
                 "payload": '/feedback{"answer_id":"0a1b2c3d4e5f","rating":"down","reason":"didnt_answer"}'},
                {"title": "Hard to understand",
                 "payload": '/feedback{"answer_id":"0a1b2c3d4e5f","rating":"down","reason":"hard_to_understand"}'},
                {"title": "Wrong topic",
                 "payload": '/feedback{"answer_id":"0a1b2c3d4e5f","rating":"down","reason":"wrong_topic"}'},
            ],
        )
    ]  # fmt: skip


def test_a_reason_after_thumbs_down_is_stored_and_thanked() -> None:
    messages, events = run(tracker({"answer_id": ANSWER_ID, "rating": "down", "reason": "hard_to_understand"}))
    assert [e["value"] for e in events] == [
        {"answer_id": ANSWER_ID, "rating": "down", "reason": "hard_to_understand", "section": SYMPTOMS,
         "answer_type": "answer"}
    ]  # fmt: skip
    assert messages == [chitchat("Thank you. This helps the people who keep these answers right.")]


def test_an_uncited_reply_is_stored_with_no_section() -> None:
    events_before = [user("what's the weather?", "out_of_scope"),
                     bot("I'm sorry — that's outside ...", {"answer_type": "out_of_scope", "citations": [],
                                                             "answer_id": "00000000000a"})]  # fmt: skip
    _, events = run(tracker({"answer_id": "00000000000a", "rating": "down"}, events=events_before))
    assert [e["value"] for e in events] == [
        {"answer_id": "00000000000a", "rating": "down", "reason": None, "section": None, "answer_type": "out_of_scope"}
    ]


@pytest.mark.parametrize(
    ("entities", "problem"),
    [
        ({"answer_id": "ffffffffffff", "rating": "up"}, "unknown answer_id"),
        ({"rating": "up"}, "no answer_id"),
        ({"answer_id": ANSWER_ID, "rating": "meh"}, "unknown rating"),
        ({"answer_id": ANSWER_ID, "rating": "down", "reason": "too long"}, "unknown reason"),
        ({"answer_id": ANSWER_ID, "rating": "up", "reason": "wrong_topic"}, "unknown reason"),
        ({"answer_id": URGENT_ID, "rating": "down"}, "the rated reply offers no feedback"),
    ],
)
def test_feedback_that_cannot_be_recorded_changes_nothing_and_is_logged(
    entities: dict[str, Any], problem: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="actions.feedback_actions"):
        messages, events = run(tracker(entities))
    assert events == []
    assert messages == [chitchat("Sorry, I couldn't record that rating. You can keep asking your questions.")]
    assert [r.getMessage() for r in caplog.records] == [f"feedback ignored ({problem}) in conversation family-1"]


def test_typed_text_classified_as_feedback_is_answered_as_a_question_and_stores_nothing() -> None:
    messages, events = run(tracker({}, text="what are the symptoms of leukemia"))
    assert not any(e.get("name") == "answer_feedback" for e in events)
    assert messages and messages[-1]["custom"]["answer_type"] in ("answer", "fallback", "clarify")
    assert "rating" not in json.dumps(messages)


def test_a_feedback_turn_does_not_count_as_a_detour_for_the_next_follow_up() -> None:
    """ "back to what we were talking about" reads the turn before the message: after 👍 that is still the
    symptoms answer (without the skip the thank-you, which cites nothing, would look like a detour)."""
    kb = knowledge_base()
    symptoms = next(s for s in kb.sections.values() if s.heading == SYMPTOMS)
    events = [
        *HISTORY[:2],
        user(payload_text({"answer_id": ANSWER_ID, "rating": "up"}), "feedback"),
        bot(
            "Thank you for letting us know.", {"answer_type": "chitchat", "citations": [], "answer_id": "0123456789ab"}
        ),
        user("and what else?", "follow_up"),
    ]
    t = Tracker(
        sender_id="family-1",
        slots={"last_section": symptoms.id},
        latest_message={"text": "and what else?", "intent": {"name": "follow_up", "confidence": 1.0}, "entities": []},
        events=events,
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )
    assert context_of(t).detoured is False
    detour = [*events[:2], user("what's the weather?", "out_of_scope"), *events[3:]]
    t.events = detour
    assert context_of(t).detoured is True  # an out-of-scope turn in between still is one
