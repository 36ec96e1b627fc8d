"""The passage that answers leads the reply: question types, the question's distinctive words, figure
captions and section-ending leads. Expected passages are PDQ sentences (knowledge/source/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from actions import answering, answers, services
from actions.answer_actions import ActionAnswerTopic
from actions.answering import answer_in_section, choose_passages
from actions.question_types import QuestionTypes, QuestionTypesError
from actions.services import question_types
from tests.unit.actions.action_runs import make_tracker, run, slots


def lead_text(question: str, section_id: str) -> str:
    choice = choose_passages(question, section_id, intent_confidence=1.0)
    assert choice is not None
    return choice.lead.text


@pytest.mark.parametrize(
    ("question", "section_id", "passage"),
    [
        # why / what for -> the sentence giving the purpose
        (
            "Why would my son need intrathecal chemotherapy?",
            "chemotherapy",
            "Intrathecal chemotherapy is used to treat childhood ALL that has spread, or may spread, to the brain "
            "and spinal cord.",
        ),
        # how common / how often -> the sentence saying rare/common
        (
            "how often is a transplant the very first treatment kids get",
            "stem-cell-transplant",
            "Stem cell transplant is rarely used as initial treatment for children and adolescents with ALL.",
        ),
        # do all children get X -> the sentence about which children
        (
            "does every child get the CNS-directed therapy or only a few?",
            "treatment-cns-testicles",
            "All children with ALL receive CNS-directed therapy as part of induction therapy and "
            "consolidation/intensification therapy and sometimes during maintenance therapy.",
        ),
        # the question's rare word (testicles) beats the section opening
        (
            "what do they do when it has gone to the testicles",
            "treatment-cns-testicles",
            "If the leukemia cells spread to the testicles, treatment includes high doses of systemic chemotherapy "
            "and sometimes radiation therapy.",
        ),
    ],
)
def test_the_passage_that_answers_leads(question: str, section_id: str, passage: str) -> None:
    assert lead_text(question, section_id) == passage


def test_a_figure_caption_sentence_can_answer_and_is_shown_without_the_caption_title() -> None:
    reply = answer_in_section("what happens to the sample at the lab after a cbc?", "complete-blood-count")
    assert reply.text.startswith(
        "The blood sample is sent to the laboratory and the red blood cells, white blood cells, and platelets "
        "are counted."
    )
    assert "Complete blood count (CBC). Blood is collected" not in reply.text


def test_a_section_ending_in_a_lead_lists_the_headings_that_follow_it() -> None:
    reply = answer_in_section("name the tests doctors can use to find leukemia", "tests-to-diagnose")
    assert (
        "The tests used to diagnose childhood acute lymphoblastic leukemia may include:\n"
        "• Complete blood count (CBC)\n• Blood chemistry studies\n• Bone marrow aspiration and biopsy\n"
        "• Lumbar puncture (spinal tap)\n• Chest x-ray"
    ) in reply.text


def test_the_opening_leads_when_the_question_names_only_the_topic() -> None:
    assert lead_text("what is immunotherapy?", "immunotherapy").startswith(
        "Immunotherapy is a treatment that uses the patient's immune system to fight cancer."
    )


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("why is a chest x-ray done?", "reason"),
        ("y do they need another marrow test", "reason"),
        ("when does maintenance start?", "time"),
        ("is ph+ all rare in toddlers?", "frequency"),
        ("do all kids get radiation?", "population"),
        ("what does the blood count check?", "contents"),
        ("what decides the risk group?", "depends"),
    ],
)
def test_question_types_are_recognised(question: str, expected: str) -> None:
    assert expected in {t.name for t in question_types().asked(question)}


def test_when_inside_a_sentence_does_not_ask_for_a_time() -> None:
    assert "time" not in {t.name for t in question_types().asked("what will the doctor review when we go there")}


def test_evidence_earns_the_boost_of_the_type_asked() -> None:
    types = question_types()
    asked = types.asked("what is the goal of maintenance?")
    assert types.boost(asked, "sentence", "The goal is to kill any remaining leukemia cells.") > 0
    assert types.boost(asked, "sentence", "Maintenance is the third phase of treatment.") == 0.0


_TYPE_X = "types:\n  x:"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (_TYPE_X + "\n    asks: ['a']\n    evidence: ['b']\n    boost: 1\n    colour: red\n", "types.x"),
        (_TYPE_X + "\n    asks: ['(']\n    evidence: ['b']\n    boost: 1\n", "types.x.asks"),
        (_TYPE_X + "\n    asks: ['a']\n    evidence: []\n    boost: 1\n", "evidence patterns or kinds"),
        (_TYPE_X + "\n    asks: ['a']\n    evidence: ['b']\n    kinds: [poem]\n    boost: 1\n", "kinds"),
        (_TYPE_X + "\n    asks: ['a']\n    evidence: ['b']\n    boost: 0\n", "boost"),
        ("types: {}\n", "no types"),
        ("continuation: [more]\ntypes: {}\n", "exactly the field"),
    ],
)
def test_a_malformed_question_types_file_is_rejected(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "question_types.yml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(QuestionTypesError, match=message):
        QuestionTypes(path)


def test_asking_for_more_goes_on_reading_the_section_in_order_without_repeating() -> None:
    _, events = run(ActionAnswerTopic(), make_tracker("explain ALL to me", "ask_what_is_all"))
    state = slots(events)
    assert state["shown_blocks"] == [0]  # the opening paragraph
    seen = [state["shown_blocks"]]
    replies = []
    for message in ("could you tell me more about that?", "what else is there about it?"):
        messages, events = run(ActionAnswerTopic(), make_tracker(message, "ask_what_is_all", slots=state))
        state = slots(events)
        replies.append(messages[0]["text"])
        seen.append(state["shown_blocks"])
    assert replies[0].startswith(
        "The bone marrow and thymus make blood stem cells (immature cells) that become mature blood cells over time."
    )
    assert "Childhood acute lymphoblastic leukemia (also called ALL" not in replies[0] + replies[1]
    assert replies[1].startswith("A lymphoid stem cell becomes a lymphoblast cell")
    assert seen == [[0], [0, 2, 3], [0, 2, 3, 4, 6]]


def test_a_list_item_the_question_singles_out_is_shown_alone_under_its_lead() -> None:
    reply = answer_in_section("in maintenance, what are they trying to achieve?", "treatment-phases")
    assert reply.text.startswith(
        "The treatment of childhood ALL is done in three phases:\n"
        "• Maintenance is the third phase of treatment. The goal is to kill any remaining leukemia cells that "
        "may regrow and cause a relapse."
    )
    assert "• Remission induction is the first phase of treatment." not in reply.text


def test_a_long_list_of_explanations_is_shown_as_its_lead_and_each_items_first_sentence() -> None:
    reply = answer_in_section("list all the phases of treatment", "treatment-phases")
    body = reply.text.split("\n\nSource:")[0]
    assert body == (
        "The treatment of childhood ALL is done in three phases:\n"
        "• Remission induction is the first phase of treatment.\n"
        "• Consolidation/intensification is the second phase of treatment.\n"
        "• Maintenance is the third phase of treatment."
    )
    assert reply.buttons[0]["title"] == "Tell me more"


def test_a_follow_up_about_what_was_already_shown_gets_that_passage_again() -> None:
    choice = choose_passages(
        "hang on, the needle goes in between two bones of the spine?",
        "lumbar-puncture",
        intent_confidence=1.0,
        already_shown=(0,),
    )
    assert choice is not None
    assert choice.lead.text == (
        "This is done by placing a hollow needle between two bones in the spine and into the lining around the "
        "spinal cord to remove a sample of CSF."
    )


def test_a_question_with_the_word_more_is_answered_not_read_on() -> None:
    """Only a request to go on ("tell me more", follow_ups.yml ``more``) reads on; "more drugs" is a question,
    answered by the sentence already shown if that is the one that answers it."""
    choice = choose_passages(
        "do teens get more drugs than younger kids?",
        "treatment-adolescents-young-adults",
        intent_confidence=1.0,
        already_shown=(0, 1),
    )
    assert choice is not None
    assert "given more anticancer drugs and higher doses" in choice.lead.text


def test_when_a_treatment_is_needed_is_answered_by_what_it_is_used_to_treat() -> None:
    # "when" asks in which cases: "... may be used to treat childhood ALL that has spread ..." says it.
    reply = answer_in_section("when is radiation needed?", "radiation-therapy", intent_confidence=1.0)
    assert "External radiation therapy may be used to treat childhood ALL that has spread" in reply.text


def test_a_weaker_runner_up_is_shown_only_while_the_reply_stays_short() -> None:
    question = "how is blinatumomab given?"
    choice = choose_passages(question, "immunotherapy", intent_confidence=1.0)
    assert choice is not None and choice.second is not None
    assert choice.lead.text.startswith("Blinatumomab: Blinatumomab works by bringing healthy T cells")
    assert choice.second.text.startswith("Examples of immunotherapy used to treat childhood ALL include blinatumomab")
    assert choice.second_if_short  # it scores well under the lead
    body = answer_in_section(question, "immunotherapy").text.split("\n\nSource:")[0]
    assert choice.lead.text in body and choice.second.text in body
    assert len(body) <= answering.WEAK_SECOND_MAX_CHARS
    kb = services.knowledge_base()
    tight = answers.passage_answer(kb, choice.lead, choice.second, second_max_chars=len(body) - 1)
    assert choice.lead.text in tight.text and choice.second.text not in tight.text
