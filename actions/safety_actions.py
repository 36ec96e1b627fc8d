"""Rasa actions of the safety layer: the urgent reply, and the personal-advice reply followed by the
general cited information that helps. Thin shells over :mod:`actions.safety_replies`."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import answers, services
from actions import reply_contract as contract
from actions.answer_actions import answered, context_of
from actions.answering import answer_in_section
from actions.answers import Reply
from actions.conversation import carried_population
from actions.dispatch import send
from actions.safety_replies import advice_line, advice_sections, urgent_reply
from actions.topic_resolution import resolve_section

GENERAL_INFO_MIN_SCORE = 6.0
TOPIC_MIN_CONFIDENCE = 0.3
GENERAL_INFO_INTRO = "Here is the general information the PDQ summary gives, which may help when you talk with them:"


def _entity(tracker: Tracker, name: str) -> str | None:
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == name and entity.get("value"):
            return str(entity["value"])
    return None


class ActionUrgentHelp(Action):
    """The urgent reply for the category the safety check found; nothing else in the same turn."""

    def name(self) -> str:
        return "action_urgent_help"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        reply = urgent_reply(_entity(tracker, "urgent_category"))
        dispatcher.utter_message(text=reply.text, json_message=reply.payload)
        return []


def general_section(text: str, kind: str | None) -> str:
    """The section whose general information helps with this personal question: the search's best
    section when it is clear and among the kind's sections (or very clear), else the kind's default."""
    preferred = advice_sections(kind)
    hits = services.section_search().search(text, limit=3)
    for hit in hits:
        if hit.section_id in preferred and hit.score >= GENERAL_INFO_MIN_SCORE / 2:
            return hit.section_id
    if hits and hits[0].score >= GENERAL_INFO_MIN_SCORE * 2:
        return hits[0].section_id
    return preferred[0]


class ActionPersonalAdvice(Action):
    """Kindly hand a question about one child to the care team, then give the general cited answer."""

    def name(self) -> str:
        return "action_personal_advice"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        text = str(tracker.latest_message.get("text") or "")
        kind = _entity(tracker, "advice_kind")
        # The general answer is about the child the conversation is about: a population named earlier
        # ("our baby is 8 months") answers "will she need a transplant?" from its own section.
        section_id = carried_population(
            topic_section(tracker) or general_section(text, kind), text, context_of(tracker)
        )
        reply = send_personal_advice(dispatcher, text, kind, section_id)
        return answered(reply, tracker)


def topic_section(tracker: Tracker) -> str | None:
    """The section of the topic the classifier heard beside the personal request (its best topic
    intent, when it is at least :data:`TOPIC_MIN_CONFIDENCE` sure), for the general answer."""
    kb = services.knowledge_base()
    text = str(tracker.latest_message.get("text") or "")
    for candidate in tracker.latest_message.get("intent_ranking") or []:
        intent = str(candidate.get("name") or "")
        if intent in kb.topics and float(candidate.get("confidence") or 0.0) >= TOPIC_MIN_CONFIDENCE:
            return resolve_section(kb, services.section_search(), services.term_matcher(), intent, [], text)
    return None


def send_personal_advice(
    dispatcher: CollectingDispatcher, text: str, kind: str | None, topic: str | None = None
) -> Reply:
    """The kind care-team reply for ``kind``, then the general cited answer; returns its section id.

    The buttons under the answer are the sections that fit this kind of question ("Tell me more"
    first when the section has more), not the answered section's neighbours.
    """
    kb = services.knowledge_base()
    section_id = topic or general_section(text, kind)
    dispatcher.utter_message(
        text=f"{advice_line(kind)}\n\n{GENERAL_INFO_INTRO}",
        json_message={
            contract.ANSWER_TYPE: contract.PERSONAL_ADVICE,
            contract.ADVICE_KIND: kind or "decision",
            contract.CITATIONS: [],
        },
    )
    reply = answer_in_section(text, section_id)
    more = [b for b in reply.buttons if b["payload"].startswith("/ask_more")]
    fitting = [answers.section_button(kb.section(s)) for s in advice_sections(kind) if s != section_id]
    general = replace(reply, buttons=tuple([*more, *fitting][:3]))
    send(dispatcher, general)
    return general
