"""The risk-group form's actions with a real rasa_sdk Tracker and CollectingDispatcher: validation, the
questions, the general (never personal) result with its citation."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa_sdk import Action
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answer_actions import ActionShowMore
from actions.knowledge_base import KnowledgeBase
from actions.risk_group_actions import (
    ActionAskChildAge,
    ActionAskChildWbc,
    ActionRiskGroupIntro,
    ActionRiskGroupResult,
    ValidateRiskGroupForm,
)
from tests.unit.actions.action_runs import DOMAIN, assert_cited_answer, make_tracker, run


def test_form_validation_parses_and_rejects() -> None:
    form = ValidateRiskGroupForm()
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("18 months", "inform")
    assert form.validate_child_age_years("18 months", dispatcher, tracker, DOMAIN) == {"child_age_years": 1.5}
    assert dispatcher.messages == []
    assert form.validate_child_age_years("banana", dispatcher, tracker, DOMAIN) == {"child_age_years": None}
    assert dispatcher.messages[0]["custom"]["answer_type"] == "clarify"
    assert form.validate_child_wbc_per_microliter("30k", dispatcher, tracker, DOMAIN) == {
        "child_wbc_per_microliter": 30000.0
    }


@pytest.mark.parametrize(
    ("age", "wbc", "definition_start"),
    [(4.0, 30000.0, "Standard risk:"), (12.0, 20000.0, "High risk:"), (0.5, 10000.0, "Very high risk:")],
)
def test_risk_group_result_is_general_information(
    kb: KnowledgeBase, age: float, wbc: float, definition_start: str
) -> None:
    tracker = make_tracker("30000", "inform", slots={"child_age_years": age, "child_wbc_per_microliter": wbc})
    messages, events = run(ActionRiskGroupResult(), tracker)
    text = messages[0]["text"]
    definition = next(g.definition for g in kb.risk_groups.groups if g.definition.startswith(definition_start))
    assert definition in text
    assert "not your child's risk group" in text
    assert kb.risk_groups.other_factors[0] in text
    assert_cited_answer(messages[0], kb, "risk-groups")
    assert events == [
        SlotSet("child_age_years", None),
        SlotSet("child_wbc_per_microliter", None),
        SlotSet("last_section", "risk-groups"),
    ]


@pytest.mark.parametrize(
    ("text", "prefilled"),
    [
        ("help me figure out the risk group", []),
        ("wbc was 60,000 at diagnosis, which risk group is that", [SlotSet("child_wbc_per_microliter", 60000.0)]),
        (
            "which risk group fits a 4 year old with a wbc of 20,000",
            [SlotSet("child_age_years", 4.0), SlotSet("child_wbc_per_microliter", 20000.0)],
        ),
    ],
)
def test_risk_group_intro_cites_the_section_and_prefills_numbers(
    kb: KnowledgeBase, text: str, prefilled: list[dict[str, Any]]
) -> None:
    messages, events = run(ActionRiskGroupIntro(), make_tracker(text, "check_risk_group"))
    assert_cited_answer(messages[0], kb, "risk-groups")
    assert events == [SlotSet("last_section", "risk-groups"), *prefilled]
    assert len(messages) == (1 if len(prefilled) == 2 else 2)


@pytest.mark.parametrize(
    ("action", "name", "asks"),
    [
        (ActionAskChildAge(), "action_ask_child_age_years", "How old was the child at diagnosis?"),
        (ActionAskChildWbc(), "action_ask_child_wbc_per_microliter", "white blood cell count at diagnosis"),
    ],
)
def test_form_questions(action: Action, name: str, asks: str) -> None:
    messages, events = run(action, make_tracker("", "check_risk_group"))
    assert action.name() == name and name in DOMAIN["actions"]
    assert asks in messages[0]["text"] and messages[0]["custom"] == {"answer_type": "clarify", "citations": []}
    assert events == []


def test_a_question_instead_of_the_count_ends_the_form_without_the_unreadable_reply() -> None:
    form = ValidateRiskGroupForm()
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("and what if he is not in remission after induction?", "inform", ranking=[("inform", 0.4)])
    value = tracker.latest_message["text"]
    assert form.validate_child_wbc_per_microliter(value, dispatcher, tracker, DOMAIN) == {
        "child_wbc_per_microliter": None,
        "requested_slot": None,
    }
    assert dispatcher.messages == []


def test_the_result_without_numbers_answers_the_question_that_ended_the_form(kb: KnowledgeBase) -> None:
    tracker = make_tracker(
        "what are the late effects of the treatment?",
        "ask_side_effects",
        slots={"child_age_years": 4.0, "child_wbc_per_microliter": None, "last_section": "risk-groups"},
    )
    messages, events = run(ActionRiskGroupResult(), tracker)
    assert "not your child's risk group" not in messages[0]["text"]
    assert_cited_answer(messages[0], kb, "side-effects-late-effects")
    assert events[:2] == [SlotSet("child_age_years", None), SlotSet("child_wbc_per_microliter", None)]
    assert SlotSet("last_section", "side-effects-late-effects") in events


def test_a_message_that_does_not_want_the_form_gets_no_intro_and_the_form_asks_nothing() -> None:
    text = "They've said she is standard risk. What happens in her treatment?"
    tracker = make_tracker(text, "check_risk_group")
    assert run(ActionRiskGroupIntro(), tracker) == ([], [])
    slots = ["child_age_years", "child_wbc_per_microliter"]
    form = ValidateRiskGroupForm()
    assert asyncio.run(form.required_slots(slots, CollectingDispatcher(), tracker, DOMAIN)) == []
    asked = make_tracker("which risk group fits a 6 year old?", "check_risk_group")
    assert asyncio.run(form.required_slots(slots, CollectingDispatcher(), asked, DOMAIN)) == slots


def test_show_more_before_any_answer_answers_the_topic_it_names(kb: KnowledgeBase) -> None:
    messages, _ = run(ActionShowMore(), make_tracker("tell me more about the radiation treatment", "ask_more"))
    assert_cited_answer(messages[0], kb, "radiation-therapy")
