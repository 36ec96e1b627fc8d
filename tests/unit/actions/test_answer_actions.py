"""The answer actions (topics, terms, show more, fallback, comfort) with a real rasa_sdk Tracker and
CollectingDispatcher: events, payloads, citations."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Action, Tracker

from actions.answer_actions import (
    ActionAnswerTopic,
    ActionComfort,
    ActionExplainTerm,
    ActionOutOfScope,
    ActionSearchFallback,
    ActionShowMore,
    clarify_reply,
)
from actions.knowledge_base import KnowledgeBase, default_knowledge_base
from actions.term_matching import Candidate, MatchResult, Target
from tests.unit.actions.action_runs import assert_cited_answer, make_tracker, run, slots


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
        # trials only for children who have not started treatment, in other words
        (
            "ask_clinical_trials",
            [],
            "Some clinical trials accept only the children who did not start the treatment yet?",
            "clinical-trial-information",
        ),
        # After the assistant's own notice, what the summary says of its use (data/rules/safety.yml).
        ("ask_disclaimer", [], "is what you tell me medical advice?", "purpose"),
        ("ask_disclaimer", [], "are these official guidelines for deciding her treatment?", "purpose"),
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


_DISCLAIMER = "The information in these summaries should not be used to make decisions about insurance reimbursement."


@pytest.mark.parametrize(
    ("action", "intent", "text"),
    [
        (ActionOutOfScope(), "out_of_scope", "will our insurance pay for the CAR T treatment?"),
        (ActionOutOfScope(), "out_of_scope", "we are worried about affording all the hospital bills"),
        (ActionAnswerTopic(), "ask_chemotherapy", "does insurance cover chemotherapy for ALL?"),
    ],
)
def test_insurance_and_costs_say_who_can_help_and_what_the_disclaimer_says(
    action: Action, intent: str, text: str, kb: KnowledgeBase
) -> None:
    messages, _ = run(action, make_tracker(text, intent))
    assert len(messages) == 1
    custom = messages[0]["custom"]
    assert custom["answer_type"] == "not_in_summary"
    assert messages[0]["text"].startswith("The PDQ summary doesn't cover insurance or the costs of treatment.")
    assert _DISCLAIMER in messages[0]["text"]
    assert custom["citations"][0]["section"] == kb.section("disclaimer").heading


@pytest.mark.parametrize(
    "text",
    [
        "what's the best pizza place near the hospital",
        "my husband has AML, will insurance cover his transplant?",  # another disease: refused first
        "does my mom's insurance cover her leukemia treatment",  # an adult patient
    ],
)
def test_out_of_scope_intent_without_a_gap_or_about_another_patient_gets_the_refusal(text: str) -> None:
    messages, events = run(ActionOutOfScope(), make_tracker(text, "out_of_scope"))
    assert [m["response"] for m in messages] == ["utter_out_of_scope"]
    assert events == []


@pytest.mark.parametrize(
    "text",
    ["can we hand this summary to the insurance company as proof?", "is this information ok for insurance claims"],
)
def test_using_the_summary_for_insurance_is_answered_from_its_disclaimer(text: str, kb: KnowledgeBase) -> None:
    messages, events = run(ActionOutOfScope(), make_tracker(text, "out_of_scope"))
    assert len(messages) == 1
    assert_cited_answer(messages[0], kb, "disclaimer")
    assert messages[0]["text"].startswith(_DISCLAIMER)
    assert slots(events)["last_section"] == "disclaimer"


def test_out_of_scope_intent_on_a_question_the_summary_touches_says_what_it_does_not_cover() -> None:
    messages, _ = run(ActionOutOfScope(), make_tracker("what should she eat during chemo?", "out_of_scope"))
    assert messages[0]["custom"]["answer_type"] == "not_in_summary"


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


def test_a_message_search_cannot_place_that_names_a_group_it_offers_is_answered_from_the_groups_section(
    kb: KnowledgeBase,
) -> None:
    text = "down syndrome and ALL, anything special?"
    messages, events = run(ActionSearchFallback(), make_tracker(text, "nlu_fallback"))
    assert len(messages) == 1
    assert_cited_answer(messages[0], kb, "treatment-down-syndrome")
    assert "Children with Down syndrome and ALL are treated based on their risk group." in messages[0]["text"]
    assert slots(events)["last_section"] == "treatment-down-syndrome"
    assert slots(events)["population_section"] == "treatment-down-syndrome"


def test_a_message_search_cannot_place_that_names_a_group_it_does_not_offer_still_gets_the_choice() -> None:
    # search offers other sections only: the group named is not what the message is about
    messages, events = run(
        ActionSearchFallback(), make_tracker("do little ones under a year get this often?", "nlu_fallback")
    )
    assert messages[0]["custom"]["answer_type"] == "fallback"
    assert "last_section" not in slots(events)


def _told_then_asked(told: str, asked: str, intent: str, *, new_session: bool = False) -> Tracker:
    """A session where ``told`` got a reply from no custom action (so no slot was set), then ``asked``."""
    events: list[dict[str, Any]] = [
        {"event": "session_started"},
        {"event": "user", "text": told, "parse_data": {"intent": {"name": "out_of_scope"}}},
        {"event": "action", "name": "utter_out_of_scope"},
        {"event": "bot", "text": "I'm sorry — that's outside what I can help with.", "data": {}},
        {"event": "action", "name": "action_listen"},
    ]
    if new_session:
        events += [{"event": "action", "name": "action_session_start"}, {"event": "session_started"}]
    events.append({"event": "user", "text": asked, "parse_data": {"intent": {"name": intent}}})
    tracker = make_tracker(asked, intent)
    tracker.events = events
    return tracker


def test_a_population_told_in_a_turn_no_action_answered_carries_into_a_treatment_question(kb: KnowledgeBase) -> None:
    tracker = _told_then_asked(
        "our boy was born with an extra chromosome 21 and now has leukemia",
        "which treatments do kids get?",
        "ask_treatment_overview",
    )
    messages, events = run(ActionAnswerTopic(), tracker)
    assert messages[0]["custom"]["citations"][0]["section"] == kb.section("treatment-down-syndrome").heading
    assert slots(events)["last_section"] == "treatment-down-syndrome"


def test_a_population_told_in_an_earlier_session_does_not_carry(kb: KnowledgeBase) -> None:
    tracker = _told_then_asked(
        "our boy was born with an extra chromosome 21 and now has leukemia",
        "which treatments do kids get?",
        "ask_treatment_overview",
        new_session=True,
    )
    messages, _ = run(ActionAnswerTopic(), tracker)
    assert messages[0]["custom"]["citations"][0]["section"] == kb.section("treatment-options").heading


@pytest.mark.parametrize(
    ("asked", "intent", "expected"),
    [
        # a causes question that names the group being talked about: the causes section
        (
            "was it the down syndrome that gave him leukemia in the first place?",
            "ask_causes_risk_factors",
            "causes-risk-factors",
        ),
        # a treatment question that names the group: still the group's section
        ("do kids with down syndrome get gentler chemo?", "ask_chemotherapy", "treatment-down-syndrome"),
    ],
)
def test_a_confident_kept_topic_is_not_pulled_into_the_groups_section(
    kb: KnowledgeBase, asked: str, intent: str, expected: str
) -> None:
    tracker = make_tracker(asked, intent, slots={"last_section": "treatment-down-syndrome"})
    messages, _ = run(ActionAnswerTopic(), tracker)
    assert messages[0]["custom"]["citations"][0]["section"] == kb.section(expected).heading


@pytest.mark.parametrize(
    ("asked", "intent", "confidence", "expected"),
    [
        # an aspect of any treatment, asked with a pronoun about the one talked about: the aspect's section
        (
            "can it make him slower at school?",
            "ask_side_effects",
            0.95,
            "side-effects-late-effects",
        ),
        # not sure enough: the conversation's section
        ("can it make him slower at school?", "ask_side_effects", 0.6, "radiation-therapy"),
        # a confident topic that is not an aspect does not pull a pronoun follow-up away
        ("is it done to small kids too?", "ask_what_is_all", 0.95, "radiation-therapy"),
    ],
)
def test_a_pronoun_follow_up_about_an_aspect_goes_to_the_aspects_section(
    kb: KnowledgeBase, asked: str, intent: str, confidence: float, expected: str
) -> None:
    tracker = make_tracker(asked, intent, slots={"last_section": "radiation-therapy"}, ranking=[(intent, confidence)])
    messages, _ = run(ActionAnswerTopic(), tracker)
    assert messages[0]["custom"]["citations"][0]["section"] == kb.section(expected).heading


def test_a_worried_question_about_what_the_summary_does_not_cover_gets_the_honest_gap_reply() -> None:
    text = "I'm so stressed. Do you know any babysitters who could handle a kid on chemo?"
    messages, events = run(ActionComfort(), make_tracker(text, "express_fear"))
    assert len(messages) == 1
    assert messages[0]["custom"]["answer_type"] == "not_in_summary"
    assert "social worker" in messages[0]["text"]


def test_worry_without_a_question_gets_kind_words_and_the_coping_passage(kb: KnowledgeBase) -> None:
    messages, _ = run(
        ActionComfort(),
        make_tracker("I can't stop crying, I'm so scared about the chemo and the nausea", "express_fear"),
    )
    assert messages[0]["custom"]["answer_type"] == "chitchat"
    assert messages[0]["text"].startswith("I'm so sorry you're going through this.")
    assert messages[0]["custom"]["citations"][0]["section"] == kb.section("coping").heading


def test_a_story_before_a_clear_question_is_answered_from_what_the_question_asks(kb: KnowledgeBase) -> None:
    text = (
        "We had the big meeting with the whole team yesterday. They handed us a calendar that runs for more than "
        "two years. I'm trying to understand why it's broken into chunks. What are the phases of treatment?"
    )
    tracker = make_tracker(text, "nlu_fallback", ranking=[("nlu_fallback", 0.45), ("express_fear", 0.16)])
    messages, events = run(ActionSearchFallback(), tracker)
    assert messages[0]["custom"]["citations"][0]["section"] == kb.section("treatment-phases").heading
    assert slots(events)["last_section"] == "treatment-phases"


def test_a_question_pointing_into_the_story_is_not_searched_alone(kb: KnowledgeBase) -> None:
    text = "My daughter says the boy is moving on to maintenance. Are the medicines gentler in that part?"
    tracker = make_tracker(text, "nlu_fallback", ranking=[("nlu_fallback", 0.45), ("ask_treatment_phases", 0.3)])
    messages, _ = run(ActionSearchFallback(), tracker)
    assert messages[0]["custom"]["citations"][0]["section"] != kb.section("chemotherapy").heading


@pytest.mark.parametrize(
    ("text", "section"),
    [
        ("did I do something wrong while I was pregnant with her?", "causes-risk-factors"),
        ("who do I talk to about the odds of my child surviving?", "prognostic-factors"),
    ],
)
def test_a_message_one_passage_matches_clearly_is_answered_from_it_not_asked_about(
    kb: KnowledgeBase, text: str, section: str
) -> None:
    tracker = make_tracker(text, "nlu_fallback", ranking=[("nlu_fallback", 0.45), ("greet", 0.1)])
    messages, events = run(ActionSearchFallback(), tracker)
    assert messages[0]["custom"]["answer_type"] == "answer"
    assert messages[0]["custom"]["citations"][0]["section"] == kb.section(section).heading
    assert slots(events)["last_section"] == section


def test_a_message_no_passage_matches_clearly_is_not_answered() -> None:
    tracker = make_tracker("what will the weather be in Chicago this weekend?", "nlu_fallback")
    messages, _ = run(ActionSearchFallback(), tracker)
    assert all((m.get("custom") or {}).get("answer_type") != "answer" for m in messages)
