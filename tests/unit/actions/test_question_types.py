"""Question types (actions/question_types.py, knowledge/question_types.yml): which shapes of question ask
for an enumeration, the treatment or an age, and what that changes in the reply. Questions are written for
these tests; expected passages are PDQ text (knowledge/source/)."""

from __future__ import annotations

import pytest

from actions.answering import answer_in_section, choose_passages
from actions.question_types import QuestionTypes
from actions.services import question_types


@pytest.mark.parametrize(
    "question",
    [
        "what chemo drugs will my boy be on?",
        "what anticancer drugs do children with ALL receive?",
        "what blood tests are done to diagnose it?",
        "what kind of specialists look after kids with ALL?",
    ],
)
def test_what_with_a_few_words_before_a_plural_of_drugs_tests_or_doctors_asks_for_an_enumeration(
    question: str,
) -> None:
    assert "enumeration" in {t.name for t in question_types().asked(question)}


def test_what_drugs_is_answered_with_the_list_of_drugs() -> None:
    reply = answer_in_section("what chemo drugs will my boy be on?", "chemotherapy")
    body = reply.text.split("\n\nSource:")[0]
    assert "Chemotherapy drugs used alone or in combination to treat ALL in children include:\n• asparaginase" in body
    assert body.endswith("• vincristine")


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("how do doctors treat an infant who has ALL?", True),
        ("what's the usual treatment for the T-cell type?", True),
        ("how would a teenager with ALL be treated?", True),
        ("what does a lumbar puncture check for?", False),
    ],
)
def test_how_is_it_treated_asks_for_the_treatment(question: str, asks: bool) -> None:
    assert ("treatment" in {t.name for t in question_types().asked(question)}) is asks


def test_a_sentence_saying_what_treatment_is_or_includes_is_evidence_for_the_treatment_type() -> None:
    treatment = [t for t in question_types().types if t.name == "treatment"]
    assert QuestionTypes.boost(treatment, "sentence", "Treatment of infants with newly diagnosed ALL ...") > 0
    assert QuestionTypes.boost(treatment, "sentence", "Children with T-ALL are given more anticancer drugs ...") > 0
    # "treatment" named as the cause of something is no evidence
    assert QuestionTypes.boost(treatment, "list", "Late effects of cancer treatment may include:\n• ...") == 0
    assert QuestionTypes.boost(treatment, "sentence", "Throughout treatment, it's important that ...") == 0


def test_how_is_a_group_treated_leads_with_the_sentence_saying_its_treatment() -> None:
    reply = answer_in_section("how do doctors treat an infant who has ALL?", "treatment-infants")
    assert reply.text.startswith(
        "Treatment of infants with newly diagnosed ALL during the remission induction, "
        "consolidation/intensification, and maintenance phases always includes combination chemotherapy. "
        "Infants with ALL are given different anticancer drugs and higher doses of anticancer drugs"
    )


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("what ages does this leukemia usually hit?", True),
        ("how old are most kids when they get ALL?", True),
        ("is age the reason she is high risk?", False),
    ],
)
def test_at_what_age_asks_for_an_age(question: str, asks: bool) -> None:
    assert ("age" in {t.name for t in question_types().asked(question)}) is asks


def test_an_age_question_leads_with_the_sentence_giving_ages() -> None:
    choice = choose_passages("what ages does this leukemia usually hit?", "what-is-all", intent_confidence=1.0)
    assert choice is not None
    assert choice.lead.text.endswith("occurs most often in children aged 1 to 4 years.")


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("does a swollen belly always mean cancer?", True),
        ("could it be some other illness instead?", True),
        ("is he definitely going to get it too?", True),
        ("must it be leukemia if the spots don't fade?", True),
        ("what are the signs of leukemia?", False),
    ],
)
def test_is_it_always_or_could_it_be_something_else_asks_for_certainty(question: str, asks: bool) -> None:
    assert ("certainty" in {t.name for t in question_types().asked(question)}) is asks


OTHER_PROBLEMS = "These symptoms may be caused by problems other than ALL."


@pytest.mark.parametrize(
    ("question", "section_id", "passage"),
    [
        ("could these signs be from something other than cancer?", "symptoms", OTHER_PROBLEMS),
        ("are those signs always caused by ALL?", "symptoms", OTHER_PROBLEMS),
        (
            "if my kid has one of those risk factors will he definitely get ALL?",
            "causes-risk-factors",
            "Not every child with one or more of these risk factors will develop ALL.",
        ),
    ],
)
def test_a_certainty_question_leads_with_the_sentence_that_hedges(question: str, section_id: str, passage: str) -> None:
    choice = choose_passages(question, section_id, intent_confidence=1.0)
    assert choice is not None
    assert choice.lead.text == passage


@pytest.mark.parametrize(
    ("question", "section_id", "lead"),
    [
        # "affect" asks what it depends on: the list that says so beats the opening about prognosis
        (
            "what kinds of things affect prognosis in childhood ALL?",
            "prognostic-factors",
            "Your child's prognosis depends on:",
        ),
        # few and common words: little BM25 anywhere, but the list says what it depends on and covers them all
        ("what decides which treatment a child gets?", "treatment-phases", "Treatment options depend on:"),
    ],
)
def test_what_something_depends_on_leads_with_the_passage_saying_so(question: str, section_id: str, lead: str) -> None:
    choice = choose_passages(question, section_id, intent_confidence=0.95)
    assert choice is not None
    assert choice.lead.text.startswith(lead)


@pytest.mark.parametrize(
    ("question", "section_id", "lead"),
    [
        # what is X / the difference between X and Y -> the sentence saying what X is
        (
            "so what is a clinical trial?",
            "clinical-trial-information",
            "A clinical trial is a study to answer a scientific question, such as whether one treatment is better "
            "than another.",
        ),
        (
            "the doctors say relapsed and refractory, what is the difference between them?",
            "treatment-relapsed-refractory",
            "Refractory childhood acute lymphoblastic leukemia (ALL) is cancer that does not respond to initial "
            "treatment.",
        ),
        # do children get X -> the sentence saying which children's leukemia it treats
        (
            "would children with ALL normally get radiation?",
            "radiation-therapy",
            "External radiation therapy may be used to treat childhood ALL that has spread, or may spread, to the "
            "brain, spinal cord, or testicles.",
        ),
    ],
)
def test_definition_and_which_children_questions_lead_with_the_sentence_that_answers(
    question: str, section_id: str, lead: str
) -> None:
    choice = choose_passages(question, section_id, intent_confidence=1.0)
    assert choice is not None
    assert choice.lead.text == lead


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("what's a lymphoblast?", True),
        ("ok what is that?", True),
        ("imatinib - what kind of medicine is it?", True),
        ("what is the treatment for babies?", False),
        ("what is the best option now?", False),
    ],
)
def test_what_is_x_asks_for_a_definition_but_what_is_the_treatment_does_not(question: str, asks: bool) -> None:
    assert ("definition" in {t.name for t in question_types().asked(question)}) is asks


def test_what_if_the_first_phase_fails_shows_the_sentence_for_children_not_in_remission() -> None:
    reply = answer_in_section("what happens if the first phase does not bring remission?", "treatment-standard-risk")
    assert (
        "For children with a poor response to treatment who are not in remission after remission induction therapy"
        in reply.text
    )


@pytest.mark.parametrize(
    "question",
    [
        "if a kid is pale and bruises easily, is it definitely leukemia?",
        "my son has bruises and is always tired - does that always mean ALL?",
    ],
)
def test_does_a_sign_always_mean_leukemia_shows_that_other_problems_may_cause_it(question: str) -> None:
    # The list of signs shares more words with the question; the answer is the sentence that hedges.
    reply = answer_in_section(question, "symptoms")
    assert "These symptoms may be caused by problems other than ALL." in reply.text


def test_texting_shorthand_is_spelled_out_before_the_question_type_is_read() -> None:
    # "wat r" is "what are": the groups are asked for, and the list of them answers
    assert "enumeration" in {t.name for t in question_types().asked("wat r the risk groups in kids all")}
    assert "enumeration" not in {t.name for t in QuestionTypes().asked("wat r the risk groups in kids all")}
    reply = answer_in_section("wat r the risk groups in kids all", "risk-groups", intent_confidence=0.95)
    assert "The three risk groups in childhood ALL include:" in reply.text


def test_a_name_defined_with_its_abbreviation_in_brackets_is_evidence_of_what_it_is() -> None:
    choice = choose_passages("so what is PDQ", "about-pdq", intent_confidence=0.95)
    assert choice is not None
    assert choice.lead.text.startswith("Physician Data Query (PDQ) is the National Cancer Institute's")


def test_how_doctors_are_deciding_asks_what_it_depends_on() -> None:
    question = "how are the doctors deciding which way the chemo goes in for my son?"
    assert "depends" in {t.name for t in question_types().asked(question)}
    choice = choose_passages(question, "chemotherapy", intent_confidence=0.95)
    assert choice is not None
    assert choice.lead.text == "The way the chemotherapy is given depends on your child's risk group."
