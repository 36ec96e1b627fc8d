"""A question asked while the risk-group form waits for a number: told from an answer, and routed to the
action the dialogue rules give its intent."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answer_actions import ActionAnswerTopic, ActionSearchFallback
from actions.knowledge_base import KnowledgeBase
from actions.question_routing import (
    QUESTION_ACTIONS,
    answer_question,
    asks_a_question,
    question_action,
    wants_the_risk_group_form,
    without_intent,
)
from tests.unit.actions.action_runs import DOMAIN, assert_cited_answer, make_tracker


def run_routed(tracker: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(answer_question(dispatcher, tracker, DOMAIN))
    return dispatcher.messages, list(events)


RULES_DIR = Path(__file__).resolve().parents[3] / "data" / "rules"


def _rule_actions() -> dict[str, str]:
    """intent -> the first custom action after it (or the response, when it has none), in the rules without
    conditions: "is this medical advice?" gets the assistant's notice, then the action that answers it."""
    found: dict[str, str] = {}
    for path in RULES_DIR.glob("*.yml"):
        for rule in yaml.safe_load(path.read_text(encoding="utf-8")).get("rules", []):
            steps = rule.get("steps", [])
            if rule.get("condition") or len(steps) < 2 or "intent" not in steps[0]:
                continue
            actions = [step["action"] for step in steps[1:] if "action" in step]
            found.setdefault(steps[0]["intent"], next((a for a in actions if a.startswith("action_")), actions[0]))
    return found


def test_every_routed_intent_gets_the_action_of_its_rule(kb: KnowledgeBase) -> None:
    rules = _rule_actions()
    # check_risk_group starts the form outside it; asked inside it, it is answered from its section
    routed = {**{intent: ActionAnswerTopic for intent in kb.topics if intent != "check_risk_group"}, **QUESTION_ACTIONS}
    assert {intent: action().name() for intent, action in routed.items()} == {
        intent: rules[intent] for intent in routed
    }
    # every rule that runs a custom action on a question is routed (the form's own intents are not questions)
    custom = {i for i, a in rules.items() if a.startswith("action_") and i not in ("check_risk_group", "urgent_help")}
    assert custom - set(routed) == {"feedback", "nlu_fallback"}


def test_an_intent_without_a_question_action_goes_to_the_search_fallback() -> None:
    assert question_action("greet") is ActionSearchFallback
    assert question_action("inform") is ActionSearchFallback


@pytest.mark.parametrize(
    ("text", "intent", "confidence"),
    [
        ("and if she relapses later on?", "inform", 0.5),
        ("what about the side effects", "inform", 0.4),
        ("tell me more about those other factors", "inform", 0.4),
        ("please continue", "inform", 0.4),
        ("how come you need his count", "inform", 0.4),
        ("side effects of the steroids", "ask_side_effects", 0.93),
    ],
)
def test_a_question_instead_of_a_number_is_a_question(text: str, intent: str, confidence: float) -> None:
    assert asks_a_question(make_tracker(text, intent, ranking=[(intent, confidence)]))


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("it was quite high", "inform"),
        ("not sure, the doctor said a lot", "inform"),
        ("dunno", "inform"),
        ("", "inform"),
    ],
)
def test_an_attempt_to_answer_is_not_a_question(text: str, intent: str) -> None:
    assert not asks_a_question(make_tracker(text, intent, ranking=[(intent, 0.9)]))


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("what risk group would an 11 year old with a count of 9000 be in", True),
        ("could you work out the risk category for my girl", True),
        ("is a 3 year old with 70,000 white cells high risk?", True),
        ("the team told us he is high risk. how long will his treatment take?", False),  # the group is told
        ("is my nephew more at risk of getting leukemia because I had it?", False),  # risk factors
        # how a group it names is treated, not which group a child is in
        ("will my 15 year old get stronger chemo than the standard risk children?", False),
        # a story of chemo, then which group: the form
        ("he is 4 and started induction chemo on monday, his count was 12,000. is that standard risk?", True),
    ],
)
def test_only_a_request_to_work_out_a_group_wants_the_form(text: str, wanted: bool) -> None:
    assert wants_the_risk_group_form(text) is wanted


def test_a_told_group_with_a_question_is_answered_from_that_groups_treatment(kb: KnowledgeBase) -> None:
    tracker = make_tracker(
        "The oncologist says our son is very high risk. What treatment does that mean?", "check_risk_group"
    )
    messages, events = run_routed(tracker)
    assert_cited_answer(messages[0], kb, "treatment-very-high-risk")
    assert SlotSet("last_section", "treatment-very-high-risk") in events


def test_a_risk_question_that_is_not_about_groups_is_answered_without_the_form_intent() -> None:
    tracker = make_tracker(
        "could my younger kids be at risk for ALL as well",
        "check_risk_group",
        ranking=[("check_risk_group", 0.7), ("ask_causes_risk_factors", 0.25), ("ask_risk_groups", 0.03)],
    )
    stripped = without_intent(tracker, "check_risk_group")
    assert stripped.latest_message["intent"] == {"name": "ask_causes_risk_factors", "confidence": 0.25}
    assert [r["name"] for r in stripped.latest_message["intent_ranking"]] == [
        "ask_causes_risk_factors",
        "ask_risk_groups",
    ]
    assert tracker.latest_message["intent"]["name"] == "check_risk_group"  # the original is left alone


def test_a_question_on_a_named_groups_treatment_taken_for_the_form_is_answered_from_its_section(
    kb: KnowledgeBase,
) -> None:
    tracker = make_tracker(
        "does a 17 year old get more chemo than kids in the standard risk group?", "check_risk_group"
    )
    messages, events = run_routed(tracker)
    assert_cited_answer(messages[0], kb, "treatment-adolescents-young-adults")
