"""A parent's statement of who their child is: acknowledged, answered with the population's cited
section, remembered for the next question (real rasa_sdk Trackers and CollectingDispatcher)."""

from __future__ import annotations

import pytest

from actions.answer_actions import ActionFollowUp, ActionSearchFallback
from actions.knowledge_base import KnowledgeBase
from actions.population_statements import ACKNOWLEDGEMENT, asked_population_treatment, stated_population
from tests.unit.actions.action_runs import make_tracker, run, slots


@pytest.mark.parametrize(
    ("text", "population"),
    [
        ("my son is 10 weeks old and they found leukemia yesterday", "treatment-infants"),
        ("Our daughter has Down syndrome. The leukemia was found last week.", "treatment-down-syndrome"),
        ("my nephew is 17 years old and has ALL", "treatment-adolescents-young-adults"),
        ("his leukemia has relapsed after two years", "treatment-relapsed-refractory"),
        # a question that names a group is a question, not a statement
        ("is leukemia in teenagers treated differently?", None),
        ("my son is 17. how long is treatment", None),
        # a statement about the child that names no group
        ("my daughter was diagnosed with ALL last month", None),
    ],
)
def test_a_statement_naming_a_population_is_recognised(text: str, population: str | None) -> None:
    assert stated_population(text) == population


def test_a_population_statement_is_acknowledged_with_the_cited_section_and_remembered(kb: KnowledgeBase) -> None:
    section = kb.section("treatment-infants")
    messages, events = run(
        ActionSearchFallback(), make_tracker("my son is 10 weeks old and they found leukemia yesterday", "nlu_fallback")
    )
    assert len(messages) == 1
    text = messages[0]["text"]
    assert text.startswith(ACKNOWLEDGEMENT)
    # the PDQ text follows, verbatim, with its citation
    assert "Acute lymphoblastic leukemia (ALL) diagnosed in infancy is uncommon." in text
    assert messages[0]["custom"]["answer_type"] == "chitchat"
    assert messages[0]["custom"]["citations"] == [
        {"section": section.heading, "url": section.url, "updated": "2025-02-12"}
    ]
    set_slots = slots(events)
    assert set_slots["population_section"] == "treatment-infants"
    assert set_slots["last_section"] == "treatment-infants"


def test_after_a_population_statement_a_treatment_question_is_answered_for_that_population(kb: KnowledgeBase) -> None:
    _, events = run(
        ActionFollowUp(), make_tracker("Our daughter has Down syndrome. The leukemia was found last week.", "follow_up")
    )
    messages, _ = run(
        ActionSearchFallback(),
        make_tracker("and which treatment does a child like her get?", "nlu_fallback", slots=slots(events)),
    )
    assert messages[0]["custom"]["answer_type"] == "answer"
    assert messages[0]["custom"]["citations"][0]["section"] == kb.section("treatment-down-syndrome").heading
    assert "Children with Down syndrome and ALL are treated based on their risk group." in messages[0]["text"]


def test_a_statement_about_something_the_summary_does_not_cover_gets_the_honest_reply_first() -> None:
    # the group is named, but the statement is about hair loss, which the summary does not cover
    messages, _ = run(
        ActionSearchFallback(), make_tracker("my 16 year old is losing her hair from the chemo", "nlu_fallback")
    )
    assert messages[0]["custom"]["answer_type"] == "not_in_summary"


@pytest.mark.parametrize(
    ("text", "population"),
    [
        (
            "our boy is 16 and they found leukemia last week. is it treated like it is for younger children?",
            "treatment-adolescents-young-adults",
        ),
        ("she is only 4 months. which chemo do babies get?", "treatment-infants"),
        # names a group but asks nothing about treatment
        ("my son has down syndrome, what are the symptoms?", None),
        # asks about treatment but names no group
        ("how is ALL treated?", None),
        # a statement, no question
        ("my nephew is 17 years old and has ALL", None),
        # a treatment named outside the group's sections answers it better than the group's section
        ("is CAR T given when ALL is first found, or only once it comes back?", None),
    ],
)
def test_a_question_about_a_populations_treatment_is_recognised(text: str, population: str | None) -> None:
    assert asked_population_treatment(text) == population


def test_a_question_about_a_populations_treatment_the_nlu_missed_is_answered_from_its_section(
    kb: KnowledgeBase,
) -> None:
    messages, _ = run(
        ActionSearchFallback(),
        make_tracker(
            "our boy is 16 and they found leukemia last week. is it treated like it is for younger children?",
            "nlu_fallback",
        ),
    )
    assert messages[0]["custom"]["answer_type"] == "answer"
    assert messages[0]["custom"]["citations"][0]["section"] == kb.section("treatment-adolescents-young-adults").heading


def test_a_teenager_writing_about_their_mum_is_acknowledged_not_refused(kb: KnowledgeBase) -> None:
    messages, _ = run(
        ActionSearchFallback(),
        make_tracker("i'm 15 and just got told i have ALL. my mum won't stop crying", "nlu_fallback"),
    )
    assert messages[0]["text"].startswith(ACKNOWLEDGEMENT)
    assert messages[0]["custom"]["citations"][0]["section"] == kb.section("treatment-adolescents-young-adults").heading
