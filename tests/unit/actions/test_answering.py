"""Choosing the passage that answers (actions/answering.py): a passage whose opening clause restricts it to
a group of children answers for that group only; a gap named only in the story before a question is not
what the question asks. Questions are written for these tests; expected passages are PDQ text
(knowledge/source/)."""

from __future__ import annotations

import pytest

from actions.answer_actions import ActionAnswerTopic
from actions.answering import choose_passages, find_gap, groups_named, restricted_to
from actions.knowledge_base import KnowledgeBase
from actions.services import knowledge_base, passage_search
from tests.unit.actions.action_runs import assert_cited_answer, make_tracker, run, slots

GENERAL_FACTORS = "Your child's prognosis depends on:\n• how quickly and how low the leukemia cell count drops"
RELAPSE_FACTORS = "For leukemia that comes back after treatment, your child's prognosis depends partly on:"


def test_a_passage_opening_with_a_clause_about_a_group_is_restricted_to_it() -> None:
    relapse_list = next(
        p for p in passage_search().by_section["prognostic-factors"] if p.text.startswith(RELAPSE_FACTORS)
    )
    assert restricted_to(relapse_list) == {"treatment-relapsed-refractory"}
    general_list = next(
        p for p in passage_search().by_section["prognostic-factors"] if p.text.startswith(GENERAL_FACTORS)
    )
    assert restricted_to(general_list) == frozenset()  # its items name groups, its opening does not


def test_a_group_is_no_restriction_in_its_own_section() -> None:
    own = [restricted_to(p) for p in passage_search().by_section["treatment-relapsed-refractory"]]
    assert all(not groups for groups in own)


def test_groups_are_named_in_words_or_by_an_age() -> None:
    assert groups_named("once it has returned, what then?") == {"treatment-relapsed-refractory"}
    assert groups_named("our daughter is 15") == {"treatment-adolescents-young-adults"}
    assert groups_named("does his age matter?") == frozenset()


def test_a_question_naming_no_group_is_not_led_by_a_passage_restricted_to_one() -> None:
    choice = choose_passages("does a girl's age change her prognosis?", "prognostic-factors", intent_confidence=1.0)
    assert choice is not None
    assert choice.lead.text.startswith(GENERAL_FACTORS)


def test_a_question_naming_the_group_still_gets_its_passage() -> None:
    choice = choose_passages(
        "could the spot where it returns change the prognosis?", "prognostic-factors", intent_confidence=1.0
    )
    assert choice is not None
    assert choice.lead.text.startswith(RELAPSE_FACTORS)


def test_the_topic_action_answers_an_unrestricted_question_with_the_general_passage(kb: KnowledgeBase) -> None:
    tracker = make_tracker("does a girl's age change her prognosis?", "ask_prognosis")
    messages, events = run(ActionAnswerTopic(), tracker)
    assert len(messages) == 1
    assert_cited_answer(messages[0], kb, "prognostic-factors")
    body = messages[0]["text"].split("\n\nSource:")[0]
    assert body.startswith(GENERAL_FACTORS)
    assert "• your child's age at the time of diagnosis, sex, race, and ethnic background" in body
    assert RELAPSE_FACTORS not in body
    assert slots(events)["last_section"] == "prognostic-factors"


STORY_THEN_QUESTION = (
    "She finished two years of chemo last spring and we were so relieved. "
    "Which tests are used to check if it has come back?"
)


def test_a_gap_named_only_in_the_story_before_the_question_is_not_what_it_asks() -> None:
    assert find_gap(STORY_THEN_QUESTION) is None


@pytest.mark.parametrize(
    ("text", "gap"),
    [
        # one sentence: the whole message is the question
        ("will the chemo make her hair fall out?", "hair_loss"),
        # the gap is in the question sentence itself
        ("Her hair is coming out in clumps since the chemo started. Is that normal?", "hair_loss"),
        # a question sentence that asks nothing searchable on its own leans on the story
        ("He has been throwing up after every chemo session. What can we do?", "specific_side_effects"),
    ],
)
def test_a_gap_the_question_is_about_is_still_found(text: str, gap: str) -> None:
    found = find_gap(text)
    assert found is not None
    assert found.id == gap


def test_the_topic_action_answers_the_question_after_a_story_naming_a_gap(kb: KnowledgeBase) -> None:
    messages, events = run(ActionAnswerTopic(), make_tracker(STORY_THEN_QUESTION, "ask_follow_up"))
    assert len(messages) == 1
    assert_cited_answer(messages[0], kb, "follow-up-care")
    assert messages[0]["text"].startswith(
        "Some of the tests will continue to be done from time to time after treatment has ended. The results of "
        "these tests can show if your child's condition has changed or if the cancer has recurred (come back)."
    )
    assert slots(events)["last_section"] == "follow-up-care"


CONSOLIDATION_GOAL = (
    "The goal of consolidation/intensification therapy is to kill any leukemia cells that remain in the body "
    "and may cause a relapse."
)


@pytest.mark.parametrize(
    ("message", "section_id", "passage"),
    [
        # the story names all three phases; the question asks about one of them
        (
            "My daughter finished the first month in hospital and they talk about induction, consolidation and "
            "maintenance all the time. I am lost. What is the point of consolidation?",
            "treatment-phases",
            CONSOLIDATION_GOAL,
        ),
        # the story is about family and hospitals; the question about what the other doctor needs
        (
            "Our oncologist is lovely, but my sister keeps pushing us to ask another hospital. We do not want to "
            "upset anyone. What papers would the other doctor need from us?",
            "second-opinion",
            "If you seek a second opinion, you will need to get medical test results and reports from the first "
            "doctor to share with the second doctor.",
        ),
    ],
)
def test_the_question_sentence_not_the_story_chooses_the_passage(message: str, section_id: str, passage: str) -> None:
    choice = choose_passages(message, section_id, intent_confidence=0.9)
    assert choice is not None
    assert passage in choice.lead.text
    assert choice.lead.text.count("•") <= 1  # the item asked about under its lead, not the whole list


def test_the_story_still_counts_when_the_question_only_points_into_it() -> None:
    # "that part" is maintenance, named only in the story
    message = "The doctors say my son moves on to maintenance soon. Are the doses smaller in that part?"
    choice = choose_passages(message, "treatment-phases", intent_confidence=0.9)
    assert choice is not None
    assert "Often the cancer treatments are given in lower doses than those used" in choice.lead.text


def test_a_story_before_the_question_is_answered_with_its_passage_first_by_the_action() -> None:
    message = (
        "We started the second block of treatment today and it feels endless. Induction, consolidation, "
        "maintenance... What is the point of consolidation?"
    )
    tracker = make_tracker(message, "ask_treatment_phases", ranking=[("ask_treatment_phases", 0.8)])
    messages, events = run(ActionAnswerTopic(), tracker)
    assert_cited_answer(messages[0], knowledge_base(), "treatment-phases")
    body = messages[0]["text"].split("\n\nSource:")[0]
    assert body.splitlines()[1].startswith("• Consolidation/intensification is the second phase of treatment.")
    assert CONSOLIDATION_GOAL in body
    assert slots(events)["last_section"] == "treatment-phases"


def test_a_neighbouring_section_chosen_without_much_confidence_gives_way_to_the_passage_that_answers() -> None:
    # The classifier put a family-history question in the risk factors at 0.7; the genetic counseling
    # section has the sentence that answers it.
    choice = choose_passages(
        "can a family history tell you for sure that the leukemia was inherited?",
        "causes-risk-factors",
        intent_confidence=0.7,
    )
    assert choice is not None and choice.moved
    assert choice.lead.section_id == "genetic-counseling"
    assert choice.lead.text == (
        "It is not always clear from the family medical history whether a child with ALL has an inherited "
        "condition that increased their risk."
    )


def test_a_moderately_sure_intent_keeps_its_section_against_a_weak_passage_elsewhere() -> None:
    # At 0.7, the best passage elsewhere shares only common words with the question (BM25 under 7): the
    # causes section the classifier chose stays.
    choice = choose_passages(
        "why do small children end up with leukemia in the first place", "causes-risk-factors", intent_confidence=0.7
    )
    assert choice is not None and not choice.moved
    assert choice.lead.section_id == "causes-risk-factors"


def test_a_confident_intent_keeps_its_section() -> None:
    choice = choose_passages(
        "can a family history tell you for sure that the leukemia was inherited?",
        "causes-risk-factors",
        intent_confidence=0.9,
    )
    assert choice is not None and not choice.moved
    assert choice.lead.section_id == "causes-risk-factors"


def test_the_question_sentence_not_the_story_says_where_the_passage_that_answers_is() -> None:
    story = (
        "We are moving house, my husband changed jobs and our older son started school, so everything is chaos "
        "and the treatment feels endless. "
    )
    choice = choose_passages(
        story + "Is it allowed to copy parts of this summary into our newsletter?", "coping", intent_confidence=0.4
    )
    assert choice is not None and choice.moved
    assert choice.lead.section_id == "permission-to-use"


@pytest.mark.parametrize(
    ("text", "section"),
    [
        ("which kinds of treatment can a child with ALL have", "types-of-treatment"),
        ("what sorts of treatment exist for leukemia in kids", "types-of-treatment"),
        # the group named wins over the phrase ("what kind of treatment" of the infants' section)
        ("what kind of treatment does a baby with ALL get", "treatment-infants"),
        # how the treatment is chosen stays with "Treatment options"
        ("who decides on my child's treatment plan", "treatment-options"),
    ],
)
def test_the_kinds_of_treatment_are_answered_by_the_types_of_treatment_section(
    kb: KnowledgeBase, text: str, section: str
) -> None:
    messages, events = run(ActionAnswerTopic(), make_tracker(text, "ask_treatment_overview"))
    assert messages[0]["custom"]["citations"][0]["section"] == kb.section(section).heading
    if section == "types-of-treatment":
        # the list of types that closes "Treatment phases", whole, cited as the section asked about
        assert messages[0]["text"].startswith(
            "Types of treatment your child might have include:\n• Chemotherapy\n• Radiation therapy\n"
        )
        assert slots(events)["shown_list"]["items"][1] == "Radiation therapy"
