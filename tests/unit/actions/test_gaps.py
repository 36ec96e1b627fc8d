"""What the summary does not answer: the gap is found, said honestly, and the nearest passage offered."""

from __future__ import annotations

from pathlib import Path

import pytest

from actions.answer_actions import ActionAnswerTopic
from actions.answering import find_gap, gap_reply
from actions.gaps import GapCatalogue, GapsError
from actions.services import knowledge_base
from tests.unit.actions.action_runs import make_tracker, run, slots


@pytest.mark.parametrize(
    ("question", "gap"),
    [
        ("will chemo make his hair fall out?", "hair_loss"),
        ("how long does the whole treatment take?", "treatment_length"),
        ("does a lumbar punkture hurt a lot for kids?", "procedure_pain"),
        ("what is the survival rate for childhood ALL?", "survival_numbers"),
        ("what should she eat during chemo?", "diet"),
        ("can he go back to school during maintenance?", "school_and_activities"),
        # "when" with an end word asks how long treatment lasts
        ("when will she be finished with chemo?", "treatment_length"),
        ("when does his treatment end?", "treatment_length"),
        ("how will we ever pay for all of this treatment", "insurance_costs"),
        ("does our insurer cover the transplant?", "insurance_costs"),
    ],
)
def test_questions_the_summary_does_not_answer_are_recognised(question: str, gap: str) -> None:
    found = find_gap(question)
    assert found is not None and found.id == gap


@pytest.mark.parametrize(
    "question",
    [
        "what are the symptoms of ALL?",
        "what is a lumbar puncture?",
        "what happens during maintenance?",
        # "when" about a phase's beginning: the summary says when each phase begins
        "my son's doctor mentioned the maintenance stage, when do they usually move on to it?",
        "when do they switch him over to the maintenance pills?",
        # the summary says the skin is numbed first: a question only about numbing is answered
        "will they numb the spot before the marrow needle goes in?",
        # using the summary itself for insurance: its Disclaimer answers
        "may we give this summary to our insurance company?",
    ],
)
def test_questions_the_summary_answers_are_not_gaps(question: str) -> None:
    assert find_gap(question) is None


def test_the_gap_reply_says_so_then_offers_the_nearest_cited_passage() -> None:
    question = "will chemo make his hair fall out?"
    gap = find_gap(question)
    assert gap is not None
    reply = gap_reply(question, gap)
    section = knowledge_base().section("side-effects-late-effects")
    assert reply.answer_type == "not_in_summary"
    assert reply.text.startswith("The PDQ summary doesn't describe hair loss")
    assert "https://www.cancer.gov/about-cancer/treatment/side-effects" in reply.text
    assert "What the summary does say:\nCancer treatments can cause side effects." in reply.text
    assert reply.citations[0]["section"] == section.heading


def test_a_gap_pointing_at_a_missing_section_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "gaps.yml"
    path.write_text(
        "gaps:\n  x:\n    signs: [{any: [hair]}]\n    says: a\n    who: b\n    nearest: [no-such-section]\n",
        encoding="utf-8",
    )
    with pytest.raises(GapsError, match="no-such-section"):
        GapCatalogue(path, section_ids=frozenset(knowledge_base().sections))


@pytest.mark.parametrize(
    ("question", "section_id", "offered"),
    [
        (
            "my son is 6, is a spinal tap painful?",
            "lumbar-puncture",
            "After a small area on the lower back is numbed, a spinal needle (a long, thin needle) is inserted",
        ),
        (
            "does the marrow biopsy hurt much",
            "bone-marrow-aspiration-biopsy",
            "After a small area of skin is numbed, a bone marrow needle is inserted into the child’s hip bone.",
        ),
    ],
)
def test_a_gap_offers_the_passage_nearest_the_question_in_the_topic_asked_about(
    question: str, section_id: str, offered: str
) -> None:
    gap = find_gap(question)
    assert gap is not None and gap.id == "procedure_pain"
    reply = gap_reply(question, gap)
    assert f"What the summary does say:\n{offered}" in reply.text
    assert reply.citations[0]["section"] == knowledge_base().section(section_id).heading


def test_offer_words_need_nearest_sections(tmp_path: Path) -> None:
    path = tmp_path / "gaps.yml"
    entry = "gaps:\n  x:\n    signs: [{any: [hair]}]\n    says: a\n    who: b\n    offer: numbed\n"
    path.write_text(entry + "    nearest: [lumbar-puncture]\n", encoding="utf-8")
    assert GapCatalogue(path).gaps[0].offer == "numbed"
    path.write_text(entry, encoding="utf-8")
    with pytest.raises(GapsError, match="'offer' is text, and needs 'nearest'"):
        GapCatalogue(path)


@pytest.mark.parametrize(
    ("question", "gap"),
    [
        ("how many nights will she have to sleep at the hospital at the start?", "hospital_stay"),
        ("when can he come home after they admit him?", "hospital_stay"),
        ("how many days is a child admitted for the first chemo?", "hospital_stay"),
        ("is it ok for grandma to visit during induction?", "visitors"),
        ("is it too risky to have my cousins come over during treatment?", "visitors"),
        ("can her classmates come to see her in hospital?", "visitors"),
    ],
)
def test_a_stay_in_hospital_and_visitors_are_gaps(question: str, gap: str) -> None:
    found = find_gap(question)
    assert found is not None and found.id == gap


@pytest.mark.parametrize(
    "question",
    [
        "what tests are done in the hospital?",
        "when will the doctor visit us to explain the results?",
        "should we visit a genetic counselor?",
        "is it safe to visit another hospital for a second opinion?",
    ],
)
def test_the_family_visiting_a_doctor_or_a_hospital_is_not_a_gap(question: str) -> None:
    assert find_gap(question) is None


def test_a_question_about_the_stay_in_hospital_gets_the_honest_reply_with_the_phases_cited() -> None:
    messages, events = run(
        ActionAnswerTopic(),
        make_tracker("how long do kids usually stay in hospital at the start?", "ask_treatment_phases"),
    )
    payload = messages[0]["custom"]
    assert payload["answer_type"] == "not_in_summary"
    assert [c["section"] for c in payload["citations"]] == [knowledge_base().section("treatment-phases").heading]
    assert messages[0]["text"].startswith(
        "The PDQ summary doesn't say how long children stay in the hospital or when they can go home."
    )
    assert "What the summary does say" in messages[0]["text"]
    assert slots(events)["last_section"] == "treatment-phases"


def test_a_question_about_numbing_gets_the_passage_that_says_so() -> None:
    messages, _ = run(
        ActionAnswerTopic(), make_tracker("do they numb his back first for the spinal tap", "ask_diagnosis_tests")
    )
    assert messages[0]["custom"]["answer_type"] == "answer"
    assert "After a small area on the lower back is numbed" in messages[0]["text"]


def test_unless_signs_keep_a_question_the_summary_answers_from_a_gap(tmp_path: Path) -> None:
    path = tmp_path / "gaps.yml"
    entry = "gaps:\n  x:\n    signs: [{any: [insurance]}]\n    says: a\n    who: b\n"
    path.write_text(entry + "    unless: [{any: [this summary]}]\n", encoding="utf-8")
    catalogue = GapCatalogue(path)
    assert catalogue.find("will insurance pay?") is not None
    assert catalogue.find("can insurance use this summary?") is None
    path.write_text(entry + "    unless: this summary\n", encoding="utf-8")
    with pytest.raises(GapsError, match="'unless' must be a list of signs"):
        GapCatalogue(path)


@pytest.mark.parametrize(
    ("question", "gap"),
    [
        ("does my job legally have to give me paid leave for all these hospital days", "practical_help"),
        ("is there anywhere cheap we can stay near the hospital during induction?", "practical_help"),
        ("would the trial pay for our gas and the hotel while we're there?", "practical_help"),
        ("we need a babysitter for his sister on clinic days, any ideas?", "practical_help"),
        ("how many days does it take for the marrow results to come back?", "results_timing"),
        ("how soon will we hear about the spinal fluid results", "results_timing"),
        ("will the hospital let his little sister come visit him?", "visitors"),
    ],
)
def test_practical_help_results_timing_and_visiting_rules_are_gaps(question: str, gap: str) -> None:
    found = find_gap(question)
    assert found is not None and found.id == gap


@pytest.mark.parametrize(
    "question",
    [
        "what do the results of the bone marrow test show?",
        "what can the results of follow-up tests show?",
        "how do the test results help plan treatment?",
    ],
)
def test_what_results_show_is_not_a_gap(question: str) -> None:
    assert find_gap(question) is None
