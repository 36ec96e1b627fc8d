"""Answer feedback (issue 19): record a 👍 / 👎 (and after 👎 maybe a reason) on one reply, and say thanks.

The buttons under a reply send ``/feedback{"answer_id": ..., "rating": ..., "reason": ...}``
(:func:`actions.reply_contract.feedback_payload`). :class:`ActionRecordFeedback` checks it, finds the rated
reply among the conversation's bot messages by its ``answer_id`` and returns exactly one event,
``SlotSet("answer_feedback", {answer_id, rating, reason, section, answer_type})`` (section: the reply's first
citation's section title, or None), which the tracker store keeps with the conversation. Nothing else of the
conversation changes (the slots the follow-ups read are left as they were, and the rule listens after it).

The thank-you is one short line: after 👍 or a reason, thanks; after 👎 without a reason, the three reasons as
buttons. A feedback message that cannot be recorded (unknown answer_id, a rating or reason not in the
contract, a reply that offers no feedback) changes nothing, is logged (without any text of the conversation)
and gets a short "couldn't record that" line, never an invented section. Typed text the classifier mistook for
``feedback`` (it has only placeholder examples, data/nlu/feedback.yml) is answered like any unsure question.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import reply_contract as contract
from actions.answer_actions import ActionSearchFallback

logger = logging.getLogger(__name__)

# The reason buttons after a 👎, in the order of contract.REASONS.
REASON_LABELS = {
    "didnt_answer": "Didn't answer my question",
    "hard_to_understand": "Hard to understand",
    "wrong_topic": "Wrong topic",
}
THANKS_UP = "Thank you for letting us know."
ASK_REASON = "Thank you. What was wrong with it? (optional)"
THANKS_REASON = "Thank you. This helps the people who keep these answers right."
NOT_RECORDED = "Sorry, I couldn't record that rating. You can keep asking your questions."


def feedback_entities(tracker: Tracker) -> dict[str, Any]:
    """The feedback entities of the latest message, ``{key: value}`` for the keys of the contract only."""
    found: dict[str, Any] = {}
    for entity in tracker.latest_message.get("entities") or []:
        name = entity.get("entity")
        if name in contract.FEEDBACK_KEYS and name not in found:
            found[name] = entity.get("value")
    return found


def invalid_reason(entities: Mapping[str, Any]) -> str | None:
    """Why ``entities`` are not a feedback the contract allows (None: they are)."""
    answer_id = entities.get(contract.ANSWER_ID)
    rating = entities.get(contract.RATING)
    reason = entities.get(contract.REASON)
    if not isinstance(answer_id, str) or not answer_id:
        return "no answer_id"
    if rating not in contract.RATINGS:
        return "unknown rating"
    if reason is not None and (reason not in contract.REASONS or rating != "down"):
        return "unknown reason"
    return None


def rated_reply(tracker: Tracker, answer_id: str) -> Mapping[str, Any] | None:
    """The payload of the bot message of this conversation with ``answer_id`` (the latest, should there be
    two), or None."""
    for event in reversed(tracker.events):
        if event.get("event") != "bot":
            continue
        custom = (event.get("data") or {}).get("custom")
        if isinstance(custom, Mapping) and custom.get(contract.ANSWER_ID) == answer_id:
            return custom
    return None


def feedback_record(entities: Mapping[str, Any], reply: Mapping[str, Any]) -> dict[str, Any]:
    """The value of the ``answer_feedback`` slot for valid ``entities`` about ``reply`` (its payload)."""
    citations = reply.get(contract.CITATIONS) or []
    first = citations[0] if citations and isinstance(citations[0], Mapping) else {}
    section = first.get("section")
    return {
        contract.ANSWER_ID: entities[contract.ANSWER_ID],
        contract.RATING: entities[contract.RATING],
        contract.REASON: entities.get(contract.REASON),
        "section": section if isinstance(section, str) and section else None,
        contract.ANSWER_TYPE: reply.get(contract.ANSWER_TYPE),
    }


def is_feedback_message(tracker: Tracker) -> bool:
    """Whether the latest message is a feedback button's payload (not typed text)."""
    return str(tracker.latest_message.get("text") or "").startswith("/" + contract.FEEDBACK_INTENT)


def _thank(dispatcher: CollectingDispatcher, text: str, buttons: list[dict[str, str]] | None = None) -> None:
    dispatcher.utter_message(text=text, buttons=buttons or [], json_message=contract.payload(contract.CHITCHAT))


class ActionRecordFeedback(Action):
    """Store a 👍 / 👎 on a reply as one ``answer_feedback`` slot event; a short thank-you."""

    def name(self) -> str:
        return "action_record_feedback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        if not is_feedback_message(tracker):
            logger.warning("feedback: typed text was classified as feedback; answered as a question")
            return await ActionSearchFallback().run(dispatcher, tracker, domain)
        entities = feedback_entities(tracker)
        problem = invalid_reason(entities)
        reply = None if problem else rated_reply(tracker, entities[contract.ANSWER_ID])
        if problem is None and reply is None:
            problem = "unknown answer_id"
        elif reply is not None and reply.get(contract.ANSWER_TYPE) not in contract.FEEDBACK_ANSWER_TYPES:
            problem = "the rated reply offers no feedback"
        if problem is not None or reply is None:
            logger.warning("feedback ignored (%s) in conversation %s", problem, tracker.sender_id)
            _thank(dispatcher, NOT_RECORDED)
            return []
        record = feedback_record(entities, reply)
        if record[contract.RATING] == "down" and record[contract.REASON] is None:
            buttons = [
                {
                    "title": REASON_LABELS[reason],
                    "payload": contract.feedback_payload(record[contract.ANSWER_ID], "down", reason),
                }
                for reason in contract.REASONS
            ]
            _thank(dispatcher, ASK_REASON, buttons)
        else:
            _thank(dispatcher, THANKS_UP if record[contract.RATING] == "up" else THANKS_REASON)
        return [SlotSet(contract.FEEDBACK_SLOT, record)]
