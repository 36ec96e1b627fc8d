"""A question that names a group of children and asks how it is treated is answered from that group's
treatment section, whatever generic treatment section the classifier chose; a question that only
mentions the group keeps its section (actions/conversation.py ``carried_population``)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.answer_actions import ActionAnswerTopic
from actions.conversation import (
    FOLLOW_UPS_FILE,
    Context,
    FollowUpCues,
    FollowUpsError,
    carried_population,
    population_section,
)
from actions.services import knowledge_base


def answer(text: str, intent: str) -> dict[str, Any]:
    """The first message ActionAnswerTopic sends for ``text`` classified (confidently) as ``intent``."""
    tracker = Tracker(
        sender_id="t",
        slots={},
        latest_message={
            "text": text,
            "intent": {"name": intent, "confidence": 0.9},
            "intent_ranking": [{"name": intent, "confidence": 0.9}],
            "entities": [],
        },
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAnswerTopic().run(dispatcher, tracker, {}))
    return dispatcher.messages[0]


def cited(message: dict[str, Any]) -> str:
    return str(message["custom"]["citations"][0]["section"])


def heading(section_id: str) -> str:
    return knowledge_base().section(section_id).heading


def test_a_phases_question_about_babies_is_answered_from_the_infants_section() -> None:
    message = answer("in which phases do babies get chemo?", "ask_treatment_phases")
    assert cited(message) == heading("treatment-infants")
    assert (
        "Treatment of infants with newly diagnosed ALL during the remission induction, "
        "consolidation/intensification, and maintenance phases always includes combination chemotherapy."
        in message["text"]
    )


def test_a_side_effect_question_about_down_syndrome_is_answered_from_its_section() -> None:
    message = answer("are the drugs harder on kids with Down syndrome?", "ask_side_effects")
    assert cited(message) == heading("treatment-down-syndrome")
    assert "Sometimes children with Down syndrome may receive lower doses of anticancer drugs" in message["text"]


def test_a_risk_group_question_about_its_treatment_is_answered_from_the_groups_treatment() -> None:
    message = answer("how is treatment different for the very high risk group?", "ask_risk_groups")
    assert cited(message) == heading("treatment-very-high-risk")
    assert "Children in the very high-risk ALL group are given more anticancer drugs" in message["text"]


def test_a_story_naming_teenagers_asking_about_a_phase_is_answered_from_their_section() -> None:
    text = "Our daughter is sixteen. Her teen years are hard enough already. What maintenance do teenagers get?"
    assert cited(answer(text, "ask_treatment_phases")) == heading("treatment-adolescents-young-adults")


def test_a_treatment_question_classified_as_a_test_question_is_answered_from_the_groups_section() -> None:
    message = answer("the scan showed leukemia in his brain, how will they treat it?", "ask_diagnosis_tests")
    assert cited(message) == heading("treatment-cns-testicles")


def test_a_named_risk_group_wins_over_the_place_a_treatment_goes() -> None:
    # "into the spinal fluid" says where the chemotherapy goes; the children asked about are high risk
    message = answer("for the high risk group, is chemo also put into the spinal fluid?", "ask_chemotherapy")
    assert cited(message) == heading("treatment-high-risk")


def test_a_lay_name_of_a_risk_group_picks_its_treatment_section() -> None:
    message = answer("treatment for low risk leukemia in a 5yo", "ask_treatment_for_group")
    assert cited(message) == heading("treatment-standard-risk")


@pytest.mark.parametrize(
    ("text", "section"),
    [
        ("she's in the lowest group, what treatment does that mean?", "treatment-standard-risk"),
        ("his group is the middle one of the three, how is that treated?", "treatment-high-risk"),
        ("they put her in the most serious group, what does treatment look like?", "treatment-very-high-risk"),
    ],
)
def test_a_risk_group_told_by_its_place_among_the_three_picks_its_treatment_section(text: str, section: str) -> None:
    assert cited(answer(text, "ask_treatment_for_group")) == heading(section)


@pytest.mark.parametrize(
    ("text", "population"),
    [
        ("i'm 16 and just got diagnosed, is my treatment different", "treatment-adolescents-young-adults"),
        ("is it the same for kids with down syndrom", "treatment-down-syndrome"),
        ("kids with an extra chromosome 21", "treatment-down-syndrome"),
        ("do infents get a transplant", "treatment-infants"),
        ("if the leukemia returns, what then", "treatment-relapsed-refractory"),
    ],
)
def test_populations_are_named_in_lay_words_and_misspellings(text: str, population: str) -> None:
    assert FollowUpCues().population(text) == population


def test_sections_kept_by_their_questions_exist() -> None:
    assert FollowUpCues().kept_sections <= set(knowledge_base().sections)
    assert FollowUpCues().aspect_sections <= set(knowledge_base().sections)


@pytest.mark.parametrize(
    ("text", "intent", "section"),
    [
        # the group is only the context of a question about something else than its treatment
        ("what are the symptoms of leukemia in babies?", "ask_symptoms", "symptoms"),
        ("how do we cope with treatment as parents of a teenager?", "ask_coping", "coping"),
        (
            "My brother had chemo as a teenager. What raises the chance of getting ALL?",
            "ask_causes_risk_factors",
            "causes-risk-factors",
        ),
        # a question about a test that names a group but asks nothing about its treatment
        ("what is a lumbar puncture and is it done on babies too?", "ask_diagnosis_tests", "lumbar-puncture"),
    ],
)
def test_a_question_that_only_mentions_a_group_keeps_its_section(text: str, intent: str, section: str) -> None:
    assert cited(answer(text, intent)) == heading(section)


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("are the drugs different for little ones", True),
        ("is she going to receive radiation", True),
        ("wat kemo do they giv", True),
        ("how is it treated", True),
        # what the doctors can do next is treatment too
        ("if the child responds badly but is still in remission after that, what they can do?", True),
        ("and if that happens, what can they do", True),
        ("what are the early signs", False),
        ("how do we tell her brother", False),
    ],
)
def test_treatment_asks_are_recognised(text: str, asks: bool) -> None:
    assert FollowUpCues().asks_treatment(text) is asks


@pytest.mark.parametrize("field", ["treatment_asks", "keeps_section", "aspect_sections"])
def test_follow_ups_file_without_a_routing_field_is_rejected(tmp_path: Path, field: str) -> None:
    raw = yaml.safe_load(FOLLOW_UPS_FILE.read_text(encoding="utf-8"))
    del raw[field]
    path = tmp_path / "follow_ups.yml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(FollowUpsError, match=field):
        FollowUpCues(path)


def test_a_section_that_speaks_of_the_group_itself_keeps_the_question() -> None:
    # The transplant section says total-body irradiation "is sometimes not given to infants".
    text = "do infants get total-body irradiation before a transplant?"
    assert carried_population("stem-cell-transplant", text, Context()) == "stem-cell-transplant"


def test_a_treatment_question_about_a_group_the_section_does_not_speak_of_moves_to_the_groups_section() -> None:
    text = "is a transplant used for kids with Down syndrome?"
    assert carried_population("stem-cell-transplant", text, Context()) == "treatment-down-syndrome"


def test_of_two_risk_groups_compared_the_one_named_first_is_asked_about() -> None:
    text = "how does high risk treatment compare with standard risk?"
    assert carried_population("treatment-standard-risk", text, Context()) == "treatment-high-risk"


def test_a_question_about_what_happens_next_in_treatment_asks_about_treatment() -> None:
    text = "in the low risk group, what happens next if remission doesn't come?"
    assert carried_population("treatment-phases", text, Context()) == "treatment-standard-risk"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # CNS-directed therapy in parents' words, classified as a generic treatment or chemotherapy question.
        ("is the brain and spine treatment something every kid with ALL has?", "ask_treatment_overview"),
        ("which kinds of chemo are able to reach the brain?", "ask_chemotherapy"),
        ("why do they bother to protect the brain when the leukemia is in the blood", "ask_treatment_overview"),
    ],
)
def test_treatment_aimed_at_the_brain_in_parents_words_is_answered_from_the_cns_section(text: str, intent: str) -> None:
    message = answer(text, intent)
    assert cited(message) == heading("treatment-cns-testicles")


@pytest.mark.parametrize(
    "message",
    [
        "we might try for another baby next year, could a brother or sister get it too?",
        "her baby sister was just born, should she be tested?",
        "he has bruised easily since he was a baby, is that a sign?",
    ],
)
def test_a_baby_who_is_not_the_child_names_no_group_of_children(message: str) -> None:
    assert population_section(knowledge_base(), message) is None


def test_a_baby_who_is_the_child_still_names_the_infants() -> None:
    assert population_section(knowledge_base(), "our baby was diagnosed at 7 months, what happens now?") == (
        "treatment-infants"
    )


@pytest.mark.parametrize(
    ("text", "intent", "section"),
    [
        (
            "Our daughter relapsed over the summer and the doctors now want to give her blinatumomab. I had never "
            "heard of it. How does blinatumomab work?",
            "ask_immunotherapy",
            "immunotherapy",
        ),
        (
            "She relapsed in the spring and now they plan to use inotuzumab. What does inotuzumab do?",
            "ask_targeted_therapy",
            "targeted-therapy",
        ),
    ],
)
def test_how_a_named_treatment_works_after_a_story_naming_a_group_is_answered_from_its_own_section(
    text: str, intent: str, section: str
) -> None:
    assert cited(answer(text, intent)) == heading(section)


@pytest.mark.parametrize(
    ("text", "intent", "section"),
    [
        (
            "he relapsed last month, is blinatumomab used for kids like him?",
            "ask_immunotherapy",
            "treatment-relapsed-refractory",
        ),
        # what a drug is for, told a group: which children get it
        (
            "the doctor said philadelphia positive. what are imatinib and dasatinib for?",
            "ask_targeted_therapy",
            "treatment-philadelphia-positive",
        ),
    ],
)
def test_a_named_treatment_used_for_a_named_group_is_answered_from_the_groups_section(
    text: str, intent: str, section: str
) -> None:
    assert cited(answer(text, intent)) == heading(section)
