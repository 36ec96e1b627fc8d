"""Each custom action with a real rasa_sdk Tracker and CollectingDispatcher: events, payloads, citations."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answer_actions import (
    ActionAnswerTopic,
    ActionComfort,
    ActionExplainTerm,
    ActionSearchFallback,
    ActionShowMore,
    clarify_reply,
)
from actions.knowledge_base import KnowledgeBase, default_knowledge_base
from actions.risk_group_actions import (
    ActionAskChildAge,
    ActionAskChildWbc,
    ActionRiskGroupIntro,
    ActionRiskGroupResult,
    ValidateRiskGroupForm,
)
from actions.session_actions import ActionSessionStart
from actions.term_matching import Candidate, MatchResult, Target

DOMAIN = yaml.safe_load((Path(__file__).parent.parent / "domain.yml").read_text(encoding="utf-8"))


def make_tracker(
    text: str,
    intent: str,
    entities: list[dict[str, Any]] | None = None,
    slots: dict[str, Any] | None = None,
    ranking: list[tuple[str, float]] | None = None,
) -> Tracker:
    intent_ranking = [{"name": name, "confidence": confidence} for name, confidence in ranking or [(intent, 0.99)]]
    return Tracker(
        sender_id="test-user",
        slots=slots or {},
        latest_message={
            "text": text,
            "intent": intent_ranking[0],
            "intent_ranking": intent_ranking,
            "entities": entities or [],
        },
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def run(action: Action, tracker: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, DOMAIN))
    return dispatcher.messages, events


def slots(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The values the events set, by slot name."""
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def assert_cited_answer(message: dict[str, Any], kb: KnowledgeBase, section_id: str) -> None:
    section = kb.section(section_id)
    payload = message["custom"]
    assert payload["answer_type"] == "answer"
    assert payload["citations"][0] == {
        "section": section.heading,
        "url": section.url,
        "updated": "2025-02-12",
    }
    assert section.heading in message["text"] and section.url in message["text"]


def test_topic_answer_is_verbatim_pdq_with_citation(kb: KnowledgeBase) -> None:
    messages, events = run(ActionAnswerTopic(), make_tracker("what are the symptoms of ALL?", "ask_symptoms"))
    assert len(messages) == 1
    assert_cited_answer(messages[0], kb, "symptoms")
    # The passage that answers (the list of symptoms, with its lead), not the section's opening.
    assert "It's important to check with your child's doctor if your child has:\n• fever" in messages[0]["text"]
    assert (
        "• petechiae, which are flat, pinpoint, dark-red spots under the skin caused by bleeding" in messages[0]["text"]
    )
    body = messages[0]["text"].split("\n\nSource:")[0]
    assert len(body) <= 900
    assert 2 <= len(messages[0]["buttons"]) <= 4
    assert all(b["payload"].startswith(("/show_section", "/ask_more")) for b in messages[0]["buttons"])
    list_block = next(i for i, b in enumerate(kb.section("symptoms").blocks) if b.kind == "list")
    assert slots(events)["last_section"] == "symptoms"
    assert list_block in slots(events)["shown_blocks"]


@pytest.mark.parametrize(
    ("intent", "entities", "text", "section"),
    [
        (
            "ask_diagnosis_tests",
            [{"entity": "test", "value": "spinal tap"}],
            "what is a spinal tap for",
            "lumbar-puncture",
        ),
        (
            "ask_diagnosis_tests",
            [{"entity": "test", "value": "CBC"}],
            "what is a cbc",
            "complete-blood-count",
        ),
        ("ask_diagnosis_tests", [], "how is ALL diagnosed", "tests-to-diagnose"),
        (
            "ask_treatment_for_group",
            [{"entity": "population", "value": "infants"}],
            "how are infants treated",
            "treatment-infants",
        ),
        (
            "ask_treatment_for_group",
            [{"entity": "population", "value": "T-ALL"}],
            "treatment for T-ALL",
            "treatment-t-cell",
        ),
        (
            "ask_treatment_for_group",
            [],
            "what if it comes back after treatment, relapsed",
            "treatment-relapsed-refractory",
        ),
        (
            "show_section",
            [{"entity": "section", "value": "chest-x-ray"}],
            '/show_section{"section":"chest-x-ray"}',
            "chest-x-ray",
        ),
        (
            "show_section",
            [{"entity": "section", "value": "Follow-up care"}],
            "open Follow-up care",
            "follow-up-care",
        ),
        (
            "ask_stem_cell_transplant",
            [{"entity": "population", "value": "babies"}],
            "do babies with ALL get stem cell transplants",
            "treatment-infants",
        ),
        ("ask_about_summary", [], "how often is this summary updated and reviewed", "reviewers-updates"),
        ("ask_about_summary", [], "what is PDQ", "about-pdq"),
    ],
)
def test_entities_and_search_pick_the_subsection(
    kb: KnowledgeBase, intent: str, entities: list[dict[str, Any]], text: str, section: str
) -> None:
    messages, events = run(ActionAnswerTopic(), make_tracker(text, intent, entities))
    assert_cited_answer(messages[0], kb, section)
    assert slots(events)["last_section"] == section


@pytest.mark.parametrize(
    ("action", "intent", "text"),
    [
        (ActionAnswerTopic(), "ask_symptoms", "what are the symptoms of adult acute lymphoblastic leukemia"),
        (ActionExplainTerm(), "explain_term", "what is hairy cell leukemia"),
        (ActionSearchFallback(), "nlu_fallback", "is cml curable"),
    ],
)
def test_out_of_scope_questions_get_the_kind_refusal(action: Action, intent: str, text: str) -> None:
    messages, events = run(action, make_tracker(text, intent))
    assert [m["response"] for m in messages] == ["utter_out_of_scope"]
    assert events == []


def test_empty_parent_section_lists_its_parts(kb: KnowledgeBase) -> None:
    messages, _ = run(
        ActionAnswerTopic(),
        make_tracker("open it", "show_section", [{"entity": "section", "value": "types-of-treatment"}]),
    )
    assert_cited_answer(messages[0], kb, "types-of-treatment")
    assert "• Chemotherapy" in messages[0]["text"]


def test_two_questions_in_one_message_offer_the_second(kb: KnowledgeBase) -> None:
    text = "What are the symptoms of leukemia? And which tests are used to diagnose it?"
    messages, _ = run(ActionAnswerTopic(), make_tracker(text, "ask_symptoms"))
    assert len(messages) == 2
    assert_cited_answer(messages[0], kb, "symptoms")
    assert messages[1]["custom"] == {"answer_type": "clarify", "citations": []}
    assert messages[1]["buttons"][0]["payload"] == '/show_section{"section": "tests-to-diagnose"}'


def test_drug_with_misspelling_is_explained_from_its_mentions(kb: KnowledgeBase) -> None:
    tracker = make_tracker("what is methotrexat", "explain_term", [{"entity": "drug", "value": "methotrexat"}])
    messages, events = run(ActionExplainTerm(), tracker)
    assert_cited_answer(messages[0], kb, "chemotherapy")
    assert (
        "Chemotherapy drugs used alone or in combination to treat ALL in children include:\n• methotrexate"
        in messages[0]["text"]
    )
    assert slots(events)["last_section"] == "chemotherapy"


def test_glossary_term_found_in_text_without_entity(kb: KnowledgeBase) -> None:
    messages, _ = run(ActionExplainTerm(), make_tracker("what does petichiae mean?", "explain_term"))
    assert_cited_answer(messages[0], kb, "symptoms")
    assert "flat, pinpoint, dark-red spots under the skin" in messages[0]["text"]


def test_near_twin_drugs_ask_did_you_mean() -> None:
    tracker = make_tracker("what is dauxorubicin", "explain_term", [{"entity": "drug", "value": "dauxorubicin"}])
    messages, events = run(ActionExplainTerm(), tracker)
    assert messages[0]["custom"] == {"answer_type": "clarify", "citations": []}
    assert {b["title"] for b in messages[0]["buttons"]} == {"daunorubicin", "doxorubicin"}
    assert events == []


def test_unknown_term_says_nothing_found() -> None:
    messages, events = run(ActionExplainTerm(), make_tracker("what is a flux capacitor", "explain_term"))
    assert len(messages) == 1 and messages[0]["response"] == "utter_nothing_found"
    assert events == []


def test_show_more_gives_the_rest_of_the_section_in_short_parts(kb: KnowledgeBase) -> None:
    first, events = run(ActionAnswerTopic(), make_tracker("what is ALL", "ask_what_is_all"))
    seen = [first[0]["text"]]
    for _ in range(6):
        state = slots(events)
        more, events = run(ActionShowMore(), make_tracker("tell me more", "ask_more", slots=state))
        assert_cited_answer(more[0], kb, "what-is-all")
        assert len(more[0]["text"].split("\n\nSource:")[0]) <= 900
        assert more[0]["text"] not in seen  # each "Tell me more" shows something new
        seen.append(more[0]["text"])
        if "ALL usually worsens quickly if it is not treated." in more[0]["text"]:
            break
    else:
        pytest.fail("Tell me more never reached the end of the section")
    assert slots(events)["last_section"] == "what-is-all"


def test_show_more_without_context_lists_capabilities() -> None:
    messages, events = run(ActionShowMore(), make_tracker("more", "ask_more"))
    assert messages[0]["response"] == "utter_capabilities"
    assert events == []


def test_fallback_offers_sections_as_buttons() -> None:
    messages, _ = run(ActionSearchFallback(), make_tracker("stuff about the spine needle thing", "nlu_fallback"))
    payload = messages[0]["custom"]
    assert payload["answer_type"] in ("fallback", "answer")
    assert 1 <= len(messages[0]["buttons"]) <= 4


def test_fallback_answers_when_classifier_runner_up_and_search_agree(kb: KnowledgeBase) -> None:
    tracker = make_tracker(
        "which children are more likely to get this, what are the risk factors",
        "nlu_fallback",
        ranking=[("nlu_fallback", 0.45), ("ask_causes_risk_factors", 0.3), ("ask_risk_groups", 0.2)],
    )
    messages, events = run(ActionSearchFallback(), tracker)
    assert_cited_answer(messages[0], kb, "causes-risk-factors")
    assert slots(events)["last_section"] == "causes-risk-factors"


def test_fallback_ignores_a_runner_up_that_search_does_not_support() -> None:
    tracker = make_tracker(
        "stuff about the spine needle thing",
        "nlu_fallback",
        ranking=[("nlu_fallback", 0.45), ("ask_prognosis", 0.3)],
    )
    messages, _ = run(ActionSearchFallback(), tracker)
    assert messages[0]["custom"]["citations"] == [] or messages[0]["custom"]["citations"][0]["section"] != (
        "Prognostic factors for childhood acute lymphoblastic leukemia"
    )


def test_fallback_with_nothing_to_offer() -> None:
    messages, _ = run(ActionSearchFallback(), make_tracker("qwzx vbnm", "nlu_fallback"))
    assert messages[0]["response"] == "utter_nothing_found"


def test_comfort_is_kind_and_cites_coping(kb: KnowledgeBase) -> None:
    messages, events = run(ActionComfort(), make_tracker("i'm so scared", "express_fear"))
    assert messages[0]["custom"]["answer_type"] == "chitchat"
    assert messages[0]["custom"]["citations"][0]["section"] == "Coping with your child's cancer"
    assert "When your child has cancer, every member of the family needs support." in messages[0]["text"]
    slots = {e["name"]: e["value"] for e in events}
    assert slots["last_section"] == "coping"
    assert "previous_section" not in slots  # nothing was being talked about before


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


def test_session_start_sends_the_disclaimer_first() -> None:
    messages, events = run(ActionSessionStart(), make_tracker("", "session_start"))
    assert [m["response"] for m in messages] == ["utter_disclaimer"]
    assert events == [SessionStarted(), ActionExecuted("action_listen")]


def test_a_did_you_mean_button_carries_its_target_and_pressing_it_explains_exactly_that() -> None:
    """Buttons carry ids, not display names: the next turn needs no name matching."""
    ambiguous = MatchResult(
        "cyto",
        None,
        (
            Candidate(Target("drug", "cytarabine"), "cytarabine", 80.0),
            Candidate(Target("drug", "cyclophosphamide"), "cyclophosphamide", 80.0),
        ),
    )
    buttons = clarify_reply(ambiguous).buttons
    assert [b["payload"] for b in buttons] == [
        '/explain_term{"term": "drug:cytarabine"}',
        '/explain_term{"term": "drug:cyclophosphamide"}',
    ]
    # Rasa reads the payload as the intent and a "term" entity with that value.
    pressed = make_tracker(
        buttons[1]["payload"], "explain_term", entities=[{"entity": "term", "value": "drug:cyclophosphamide"}]
    )
    messages, _ = run(ActionExplainTerm(), pressed)
    assert default_knowledge_base().drugs["cyclophosphamide"].name in messages[0]["text"]
    assert "cytarabine" not in messages[0]["text"].lower()
