"""Rasa actions that answer from the knowledge base. Each is a thin shell over the query API."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import answers, services
from actions.answers import Reply
from actions.dispatch import send
from actions.retrieval import Hit
from actions.scope import out_of_scope_reason
from actions.term_matching import MatchResult, Target
from actions.topic_resolution import Entity, resolve_section, second_question_section

FALLBACK_ANSWER_MIN_SCORE = 6.0
FALLBACK_ANSWER_MIN_LEAD = 1.5
FALLBACK_SUGGEST_MIN_SCORE = 2.0
TERM_ENTITY_TYPES = ("term", "drug", "test", "symptom", "phase")


def _entities(tracker: Tracker) -> list[Entity]:
    return [
        Entity(str(e.get("entity")), str(e.get("value")))
        for e in tracker.latest_message.get("entities", [])
        if e.get("entity") and e.get("value") is not None
    ]


def _text(tracker: Tracker) -> str:
    return str(tracker.latest_message.get("text") or "")


def _intent(tracker: Tracker) -> str:
    return str((tracker.latest_message.get("intent") or {}).get("name") or "")


def refuse_if_out_of_scope(dispatcher: CollectingDispatcher, text: str) -> bool:
    """Out-of-scope questions get the kind refusal (or, for doses, the care-team reply and the general
    information) instead of an answer."""
    reason = out_of_scope_reason(text)
    if reason is None:
        return False
    if reason == "personal advice":
        from actions.safety_actions import send_personal_advice  # the safety actions import this module

        send_personal_advice(dispatcher, text, "dose")
    else:
        dispatcher.utter_message(response="utter_out_of_scope")
    return True


def reply_for_target(target: Target) -> Reply:
    kb = services.knowledge_base()
    if target.kind == "drug":
        return answers.drug_answer(kb, kb.drugs[target.id])
    if target.kind == "term":
        return answers.term_answer(kb, kb.glossary[target.id])
    return answers.section_answer(kb, kb.section(target.id))


def clarify_reply(result: MatchResult) -> Reply:
    """ "Did you mean A or B?" with one button per candidate."""
    kb = services.knowledge_base()
    buttons = []
    names = []
    for candidate in result.alternatives:
        target = candidate.target
        if target.kind == "drug":
            name = kb.drugs[target.id].name
        elif target.kind == "term":
            name = kb.glossary[target.id].term
        else:
            name = kb.section(target.id).heading
        names.append(name)
        buttons.append({"title": name, "payload": f'/explain_term{{"term":"{name}"}}'})
    text = f"Did you mean {' or '.join(names)}? Please pick one so I don't guess."
    return Reply(text=text, answer_type="clarify", buttons=tuple(buttons))


def search_reply(text: str) -> Reply:
    """Answer from free-text search if it is clearly right; otherwise offer the best sections."""
    kb = services.knowledge_base()
    hits: list[Hit] = services.section_search().search(text, limit=3)
    if hits and hits[0].score >= FALLBACK_ANSWER_MIN_SCORE:
        runner_up = hits[1].score if len(hits) > 1 else 0.0
        if hits[0].score >= FALLBACK_ANSWER_MIN_LEAD * runner_up:
            return answers.section_answer(kb, kb.section(hits[0].section_id))
    offered = [kb.section(h.section_id) for h in hits if h.score >= FALLBACK_SUGGEST_MIN_SCORE]
    if not offered:
        return Reply(text="", answer_type="fallback")
    return answers.suggestions(
        kb,
        offered,
        "I'm not sure I understood. Is your question about one of these parts of the PDQ summary?",
        "fallback",
    )


class ActionAnswerTopic(Action):
    """Answer a topic intent from its PDQ section (refined by entities), with citation and buttons."""

    def name(self) -> str:
        return "action_answer_topic"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        kb = services.knowledge_base()
        text = _text(tracker)
        if refuse_if_out_of_scope(dispatcher, text):
            return []
        section_id = resolve_section(
            kb, services.section_search(), services.term_matcher(), _intent(tracker), _entities(tracker), text
        )
        if section_id is None:
            dispatcher.utter_message(response="utter_nothing_found")
            return []
        send(dispatcher, answers.section_answer(kb, kb.section(section_id)))
        other = second_question_section(services.section_search(), text, section_id)
        if other is not None:
            section = kb.section(other)
            send(
                dispatcher,
                answers.suggestions(
                    kb, [section], f"You also asked something that “{section.heading}” may answer:", "clarify"
                ),
            )
        return [SlotSet("last_section", section_id)]


class ActionExplainTerm(Action):
    """Explain a term or drug; ask "did you mean ...?" when two names are equally close."""

    def name(self) -> str:
        return "action_explain_term"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        if refuse_if_out_of_scope(dispatcher, _text(tracker)):
            return []
        matcher = services.term_matcher()
        results = [matcher.match(e.value) for e in _entities(tracker) if e.type in TERM_ENTITY_TYPES]
        results = [r for r in results if r.best or r.ambiguous] or matcher.find_in_text(_text(tracker))
        if not results:
            reply = search_reply(_text(tracker))
            if reply.text:
                send(dispatcher, reply)
            else:
                dispatcher.utter_message(response="utter_nothing_found")
            return []
        first = results[0]
        if first.best is None:
            send(dispatcher, clarify_reply(first))
            return []
        reply = reply_for_target(first.best.target)
        send(dispatcher, reply)
        section = reply.citations[0]["section"] if reply.citations else None
        found = services.knowledge_base().section_by_heading(section) if section else None
        return [SlotSet("last_section", found.id)] if found else []


class ActionShowMore(Action):
    """Show the whole of the section the button names, or of the last section answered."""

    def name(self) -> str:
        return "action_show_more"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        kb = services.knowledge_base()
        named = [e.value for e in _entities(tracker) if e.type == "section" and e.value in kb.sections]
        section_id = named[0] if named else tracker.get_slot("last_section")
        if not section_id or section_id not in kb.sections:
            dispatcher.utter_message(response="utter_capabilities")
            return []
        send(dispatcher, answers.section_answer(kb, kb.section(section_id), full=True))
        return [SlotSet("last_section", section_id)]


AGREEMENT_MIN_CONFIDENCE = 0.2
AGREEMENT_TOP_HITS = 3


def agreed_section(tracker: Tracker) -> str | None:
    """A section both weak signals point to: one of the classifier's runner-up topic intents
    (below the fallback threshold) resolves to a section that free-text search also ranks highly."""
    kb = services.knowledge_base()
    text = _text(tracker)
    search = services.section_search()
    hits = {h.section_id for h in search.search(text, limit=AGREEMENT_TOP_HITS)}
    ranking = tracker.latest_message.get("intent_ranking") or []
    for candidate in ranking[:3]:
        intent = str(candidate.get("name") or "")
        if intent not in kb.topics or float(candidate.get("confidence") or 0.0) < AGREEMENT_MIN_CONFIDENCE:
            continue
        section = resolve_section(kb, search, services.term_matcher(), intent, _entities(tracker), text)
        if section is not None and section in hits:
            return section
    return None


class ActionSearchFallback(Action):
    """NLU was unsure: a section the classifier and search agree on, a named term, or the best sections."""

    def name(self) -> str:
        return "action_search_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        text = _text(tracker)
        if refuse_if_out_of_scope(dispatcher, text):
            return []
        agreed = agreed_section(tracker)
        if agreed is not None:
            kb = services.knowledge_base()
            send(dispatcher, answers.section_answer(kb, kb.section(agreed)))
            return [SlotSet("last_section", agreed)]
        reply = search_reply(text)
        if reply.answer_type == "answer":
            send(dispatcher, reply)
            return []
        named = [r for r in services.term_matcher().find_in_text(text) if r.best is not None]
        if named and named[0].best is not None and named[0].best.target.kind in ("drug", "term"):
            send(dispatcher, reply_for_target(named[0].best.target))
            return []
        if reply.text:
            send(dispatcher, reply)
        else:
            dispatcher.utter_message(response="utter_nothing_found")
        return []


class ActionComfort(Action):
    """Kind words, then what the PDQ summary says about coping, with its citation."""

    def name(self) -> str:
        return "action_comfort"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        kb = services.knowledge_base()
        coping = answers.section_answer(kb, kb.section("coping"))
        text = (
            "I'm so sorry you're going through this. Feeling scared or overwhelmed is very understandable, "
            "and you don't have to face it alone. Your child's care team is there for your whole family.\n\n"
            + coping.text
        )
        send(
            dispatcher,
            Reply(text=text, answer_type="chitchat", citations=coping.citations, buttons=coping.buttons),
        )
        return [SlotSet("last_section", "coping")]


class ActionCapabilities(Action):
    """ "What can you do?" — unless the message names a topic ("do you have information about X")."""

    def name(self) -> str:
        return "action_capabilities"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        text = _text(tracker)
        named = [
            services.term_matcher().match(e.value)
            for e in _entities(tracker)
            if e.type in (*TERM_ENTITY_TYPES, "section")
        ]
        named = [r for r in named if r.best is not None] or [
            r for r in services.term_matcher().find_in_text(text) if r.best is not None
        ]
        if named and named[0].best is not None and not refuse_if_out_of_scope(dispatcher, text):
            reply = reply_for_target(named[0].best.target)
            send(dispatcher, reply)
            return []
        dispatcher.utter_message(response="utter_capabilities")
        return []
