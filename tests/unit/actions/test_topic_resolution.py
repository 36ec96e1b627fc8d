"""Classifier and section search together: a weak intent is overruled by clear search evidence, a
fallback is answered by search when it is clearly right and otherwise asks with section buttons.
Real rasa_sdk Trackers and CollectingDispatcher; expected sections are the PDQ sections that answer."""

from __future__ import annotations

import json
from typing import Any

import pytest
from rasa_sdk import Tracker

from actions.answer_actions import ActionAnswerTopic, ActionSearchFallback
from actions.knowledge_base import KnowledgeBase
from actions.retrieval import SectionSearch
from actions.services import passage_search
from actions.topic_resolution import SearchDecision, overrule_by_agreement, overrule_weak_intent, search_decision
from tests.unit.actions.action_runs import make_tracker, run

LATE_EFFECTS_STORY = (
    "The consultant went through his chemotherapy drugs and the lumbar puncture results with us. "
    "Will there be problems years later from the treatment?"
)
SUPPORT_STORY = (
    "Her blood counts were checked again today and the doctors talked about chemotherapy drugs. "
    "I'm exhausted. What support is there for the family?"
)


def tracker(text: str, ranking: list[tuple[str, float]]) -> Tracker:
    return make_tracker(text, ranking[0][0], ranking=ranking)


def cited_section(message: dict[str, Any], kb: KnowledgeBase) -> str:
    assert message["custom"]["answer_type"] == "answer"
    found = kb.section_by_heading(message["custom"]["citations"][0]["section"])
    assert found is not None
    return found.id


def test_a_weak_intent_is_overruled_by_clear_search_evidence(kb: KnowledgeBase) -> None:
    messages, events = run(ActionAnswerTopic(), tracker(LATE_EFFECTS_STORY, [("ask_diagnosis_tests", 0.5)]))
    assert cited_section(messages[0], kb) == "side-effects-late-effects"
    assert {"event": "slot", "timestamp": None, "name": "last_section", "value": "side-effects-late-effects"} in events


def test_a_confident_intent_keeps_its_section(kb: KnowledgeBase) -> None:
    messages, _ = run(ActionAnswerTopic(), tracker(LATE_EFFECTS_STORY, [("ask_diagnosis_tests", 0.95)]))
    tests_family = {"tests-to-diagnose", *kb.section("tests-to-diagnose").children}
    assert cited_section(messages[0], kb) in tests_family


def test_overrule_needs_search_to_be_sure(search: SectionSearch) -> None:
    # "where does it come from" gives search nothing strong: the classifier's section stays.
    assert overrule_weak_intent(search, "where does it come from", "causes-risk-factors", 0.5) == "causes-risk-factors"


def test_fallback_answers_the_question_after_the_story(kb: KnowledgeBase) -> None:
    messages, _ = run(ActionSearchFallback(), tracker(LATE_EFFECTS_STORY, [("nlu_fallback", 0.45)]))
    assert cited_section(messages[0], kb) == "side-effects-late-effects"


def test_fallback_answers_when_search_clearly_leads(kb: KnowledgeBase) -> None:
    messages, _ = run(ActionSearchFallback(), tracker(SUPPORT_STORY, [("nlu_fallback", 0.45)]))
    assert cited_section(messages[0], kb) == "coping"


def test_unsure_search_asks_with_at_most_three_section_buttons(kb: KnowledgeBase, search: SectionSearch) -> None:
    text = "how do the drugs and the tests work"
    decision = search_decision(search, text)
    assert decision.answer is None
    assert 2 <= len(decision.offer) <= 3
    messages, _ = run(ActionSearchFallback(), tracker(text, [("nlu_fallback", 0.45)]))
    buttons = messages[0]["buttons"]
    assert messages[0]["custom"]["answer_type"] == "fallback"
    assert [json.loads(b["payload"].removeprefix("/show_section"))["section"] for b in buttons] == list(decision.offer)
    assert all(section_id in kb.sections for section_id in decision.offer)


@pytest.mark.parametrize("text", ["qwzx vbnm", ""])
def test_search_with_nothing_offers_nothing(search: SectionSearch, text: str) -> None:
    assert search_decision(search, text).offer == ()


def test_search_answers_when_one_section_alone_matches(search: SectionSearch) -> None:
    # genetic counseling scores about 5, below the "clearly best" score, and nothing else comes close:
    # one button would only make the parent tap for the answer.
    assert search_decision(search, "can leukemia be inherited?") == SearchDecision(
        answer="genetic-counseling", offer=()
    )


PH_INCIDENCE = "How often do toddlers turn out to have the Philadelphia chromosome kind?"
CHEST_PICTURE = "do they check the chest with an x-ray picture"


def test_both_retrievers_agreeing_elsewhere_overrule_even_a_confident_intent(kb: KnowledgeBase) -> None:
    # BM25 and the passage vectors both lead with the chest x-ray section; nothing near the top of their
    # fused ranking is about symptoms.
    assert overrule_by_agreement(passage_search(), kb, CHEST_PICTURE, "symptoms") == "chest-x-ray"
    messages, _ = run(ActionAnswerTopic(), tracker(CHEST_PICTURE, [("ask_symptoms", 0.9)]))
    assert cited_section(messages[0], kb) == "chest-x-ray"


def test_agreement_on_the_section_of_a_group_the_message_names_is_no_evidence(kb: KnowledgeBase) -> None:
    # The retrievers agree on the Ph+ section because the message names the Ph+ group.
    assert passage_search().agreement(PH_INCIDENCE) is not None
    named = "treatment-philadelphia-positive"
    assert overrule_by_agreement(passage_search(), kb, PH_INCIDENCE, "what-is-all", named_group=named) == "what-is-all"


def test_agreement_on_a_subsection_of_the_chosen_section_keeps_the_choice(kb: KnowledgeBase) -> None:
    # Treatment options is the parent of the Ph+ section: the classifier's family already holds the answer.
    assert overrule_by_agreement(passage_search(), kb, PH_INCIDENCE, "treatment-options") == "treatment-options"


def test_without_agreement_the_chosen_section_stays(kb: KnowledgeBase) -> None:
    question = "which organ makes the blood cells in the body"  # the retrievers point to different sections
    assert passage_search().agreement(question) is None
    assert overrule_by_agreement(passage_search(), kb, question, "chemotherapy") == "chemotherapy"


def test_a_fallback_both_retrievers_agree_on_is_answered_not_offered(kb: KnowledgeBase) -> None:
    question = "what do the words in the summary mean legally, can i copy it"
    assert search_decision(SectionSearch(kb), question).answer is None  # search alone would offer three sections
    messages, _ = run(ActionSearchFallback(), tracker(question, [("nlu_fallback", 0.45)]))
    assert cited_section(messages[0], kb) == "permission-to-use"


def test_agreement_does_not_move_a_topic_the_conversation_is_on(kb: KnowledgeBase) -> None:
    # After a follow-up care answer, "the bone marrow needle tests then" asks about tests during follow-up care;
    # the retrievers alone would lead with the bone marrow section.
    question = "does she still get the bone marrow needle tests then"
    assert overrule_by_agreement(passage_search(), kb, question, "follow-up-care") == "bone-marrow-aspiration-biopsy"
    on_follow_up_care = make_tracker(
        question, "ask_follow_up", slots={"last_section": "follow-up-care"}, ranking=[("ask_follow_up", 0.9)]
    )
    messages, _ = run(ActionAnswerTopic(), on_follow_up_care)
    assert cited_section(messages[0], kb) == "follow-up-care"


@pytest.mark.parametrize("section", ["clinical-trials", "types-of-treatment", "immunotherapy"])
def test_a_section_button_is_answered_from_its_section_whatever_the_retrievers_say(
    kb: KnowledgeBase, section: str
) -> None:
    # The buttons under a targeted therapy answer; the payload's words alone led the retrievers elsewhere
    # ("clinical-trials" to Clinical Trial Information).
    payload = "/show_section" + json.dumps({"section": section})
    pressed = make_tracker(
        payload,
        "show_section",
        entities=[{"entity": "section", "value": section}],
        slots={"last_section": "targeted-therapy"},
        ranking=[("show_section", 1.0)],
    )
    messages, _ = run(ActionAnswerTopic(), pressed)
    cited = cited_section(messages[0], kb)
    assert cited == section or cited in kb.section(section).children
