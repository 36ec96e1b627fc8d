"""A question asked where the dialogue rules expect something else: which action answers it.

While the risk-group form waits for an age or a white blood cell count, a parent often asks a question
instead ("and if he is not in remission?", "what about side effects"). :func:`asks_a_question` tells such a
message from an attempt to answer the form; the form then ends and :func:`answer_question` answers the
message with the action the rules give its intent outside the form (``data/rules/topics.yml``,
``conversation.yml``, ``safety.yml``; ``tests/unit/actions/test_question_routing.py`` checks that the two
agree), except ``check_risk_group``: outside the form it starts the form, inside it is answered from the
risk-group section like any topic. An intent without a question action (a greeting, "inform") is answered
like an unsure message, by the search fallback, which also refuses what is out of scope.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from actions.answer_actions import (
    ActionAnswerTopic,
    ActionCapabilities,
    ActionComfort,
    ActionExplainTerm,
    ActionFollowUp,
    ActionOutOfScope,
    ActionSearchFallback,
    ActionShowMore,
    answered,
)
from actions.answering import answer_in_section
from actions.conversation import STRONG_TOPIC_MIN_SCORE, cues, named_topic, risk_group_told
from actions.dispatch import send
from actions.human_contact_actions import ActionHumanContact
from actions.population_statements import asked_population_treatment
from actions.question_focus import sentences
from actions.safety_actions import ActionPersonalAdvice

# The intents (besides the knowledge base's topic intents, all answered by ActionAnswerTopic) whose rule
# runs a custom action, and that action.
QUESTION_ACTIONS: dict[str, type[Action]] = {
    "show_section": ActionAnswerTopic,  # a section button pressed while the form waits
    "explain_term": ActionExplainTerm,
    "ask_more": ActionShowMore,
    "follow_up": ActionFollowUp,
    "ask_capabilities": ActionCapabilities,
    "express_fear": ActionComfort,
    "ask_human_contact": ActionHumanContact,
    "ask_personal_advice": ActionPersonalAdvice,
    "out_of_scope": ActionOutOfScope,
}
# Words a question starts with ("and if ...", "what about ...", "tell me ..."); an answer to "How old
# was the child?" or "What was the count?" does not start with them.
QUESTION_OPENERS = frozenset(
    """what whats what's how why when where who which whose does do did is are was were can could should
    would will may might tell explain and but also so then if""".split()
)
# A request to work out a risk group names the group or the tool ("which risk group", "standard or high
# risk", "risk category", "calculator"); "could my kid be at risk for ALL?" asks about risk factors.
_FORM_WORDS = re.compile(r"\b(?:groups?|grp|categor\w*|calculat\w*|standard|high)\b", re.IGNORECASE)
# An intent the NLU is this sure of says the message is that question, whatever its first word.
QUESTION_INTENT_MIN_CONFIDENCE = 0.6


def _intent(tracker: Tracker) -> tuple[str, float]:
    intent = tracker.latest_message.get("intent") or {}
    return str(intent.get("name") or ""), float(intent.get("confidence") or 0.0)


def wants_the_risk_group_form(text: str) -> bool:
    """Whether a message the NLU took for "check a risk group" asks to work one out: it names a group or
    the tool, does not tell the child's group already ("our 4 year old is standard risk, what is the
    treatment?" asks about treatment) and does not ask how a group it names is treated ("does my 16 year
    old get more chemo than the standard-risk kids?")."""
    return bool(_FORM_WORDS.search(text)) and risk_group_told(text) is None and _asked_groups_treatment(text) is None


def _asked_groups_treatment(text: str) -> str | None:
    """The treatment section of a group the message names when its last sentence asks how that group is
    treated ("is that standard risk?" after a story of chemo asks which group, not how it is treated)."""
    asked = sentences(text)[-1:] or [text]
    return asked_population_treatment(text) if cues().asks_treatment(asked[0]) else None


def question_action(intent: str) -> type[Action]:
    """The action that answers a question of ``intent`` (see the module docstring); ``check_risk_group``
    here is a question that did not want the form (:func:`wants_the_risk_group_form`), so the search
    fallback, not the risk-group section, answers it."""
    if intent == FORM_INTENT:
        return ActionSearchFallback
    if intent in services.knowledge_base().topics:
        return ActionAnswerTopic
    return QUESTION_ACTIONS.get(intent, ActionSearchFallback)


def asks_a_question(tracker: Tracker) -> bool:
    """Whether the latest message asks something rather than answering the form's question: it has a
    question mark, starts with a question word, asks to go on or asks why (the ``more`` and ``why`` cues of
    ``knowledge/follow_ups.yml``: "please continue", "how come") or is confidently one of the question
    intents and names a topic clearly (a term, drug or test, or a strong search hit: "side effects of the
    steroids"). Only asked of a message the form could not read ("it was quite high" is an answer, whatever
    intent the classifier gives a short statement)."""
    text = str(tracker.latest_message.get("text") or "").strip()
    if not text:
        return False
    tokens = cues().tokens(text)
    if "?" in text or cues().has("more", tokens) or cues().has("why", tokens):
        return True
    first = text.split()[0].casefold().strip(",.!:;")
    if first in QUESTION_OPENERS:
        return True
    intent, confidence = _intent(tracker)
    asked = intent in services.knowledge_base().topics or intent in QUESTION_ACTIONS
    if not asked or confidence < QUESTION_INTENT_MIN_CONFIDENCE:
        return False
    return named_topic(text, min_score=STRONG_TOPIC_MIN_SCORE) is not None


FORM_INTENT = "check_risk_group"


def without_intent(tracker: Tracker, intent: str) -> Tracker:
    """A copy of ``tracker`` whose latest message's ranking no longer holds ``intent`` (the top one left
    leads), for answering as if the classifier had not proposed it."""
    copied = tracker.copy()
    ranking = [r for r in copied.latest_message.get("intent_ranking") or [] if r.get("name") != intent]
    copied.latest_message["intent_ranking"] = ranking
    copied.latest_message["intent"] = ranking[0] if ranking else {"name": "nlu_fallback", "confidence": 0.0}
    return copied


async def answer_question(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
) -> list[EventType]:
    """Answer the latest message with the action of its intent (see the module docstring). A message
    taken for "check a risk group" that did not want the form is answered from the treatment section of
    the group it tells ("she is standard risk, what is the treatment?") or asks about ("does my 16 year old
    get more chemo?"), else by the search fallback as if the classifier had not proposed the form ("could
    my kid be at risk for ALL?")."""
    intent = _intent(tracker)[0]
    if intent == FORM_INTENT:
        text = str(tracker.latest_message.get("text") or "")
        # "she is standard risk, what is the treatment?"; "does my 16 year old get more chemo than the
        # standard-risk kids?" asks about the treatment of the group it names, not for the form
        told = risk_group_told(text) or _asked_groups_treatment(text)
        if told is not None:
            reply = answer_in_section(text, told, intent_confidence=1.0)
            send(dispatcher, reply)
            return answered(reply, tracker)
        tracker = without_intent(tracker, FORM_INTENT)
    action = question_action(intent)
    return list(await action().run(dispatcher, tracker, domain))
