"""evaluation.outcome on hand-written replies; expected values worked out by hand from the rules."""

from __future__ import annotations

from evaluation import outcome as oc
from tests.unit.evaluation.fakes import (
    BUTTON,
    answer,
    citation_block,
    not_in_summary,
    payload,
    personal_advice,
    simple,
    urgent,
    visible,
)


def test_a_cited_answer_is_its_first_citation_heading() -> None:
    assert oc.outcome(answer("Signs include fever.", "Symptoms")) == "Symptoms"


def test_first_citation_of_the_first_cited_message_wins() -> None:
    reply = [visible("two"), payload("answer", "Tests", "Symptoms"), *answer("three", "Stem cell transplant")]
    assert oc.outcome(reply) == "Tests"


def test_chitchat_before_an_answer_does_not_hide_it() -> None:
    assert oc.outcome(simple("chitchat", "Glad to help.") + answer("x", "Symptoms")) == "Symptoms"


def test_urgent_anywhere_wins() -> None:
    assert oc.outcome(answer("x", "Symptoms") + urgent()) == "urgent"


def test_personal_advice_followed_by_a_general_answer_is_personal_advice() -> None:
    assert oc.outcome(personal_advice() + answer("Doses depend on weight.", "Chemotherapy")) == "personal_advice"


def test_urgent_beats_personal_advice() -> None:
    assert oc.outcome(personal_advice() + urgent()) == "urgent"


def test_how_to_reach_a_person_is_human_contact_despite_its_citation() -> None:
    assert oc.outcome(
        [visible("You can talk to a person:"), payload("human_contact", "Clinical Trial Information")]
    ) == ("human_contact")


def test_not_in_summary_first_is_an_honest_out_of_scope_despite_its_citation() -> None:
    assert oc.outcome(not_in_summary("The summary doesn't say.", "Tests")) == "out_of_scope"


def test_out_of_scope_first_is_out_of_scope() -> None:
    assert oc.outcome(simple("out_of_scope", "I can only answer about childhood ALL.")) == "out_of_scope"


def test_not_in_summary_after_chitchat_counts_its_citation() -> None:
    assert oc.outcome(simple("chitchat") + not_in_summary("no", "Tests")) == "Tests"


def test_fallback_without_buttons_is_out_of_scope_with_buttons_is_fallback() -> None:
    assert oc.outcome(simple("fallback", "I couldn't find that.")) == "out_of_scope"
    assert oc.outcome(simple("fallback", "Did you mean?", [BUTTON])) == "fallback"


def test_clarify() -> None:
    assert oc.outcome(simple("clarify", "Which one?", [BUTTON])) == "clarify"


def test_nothing_scored_is_no_reply() -> None:
    assert oc.outcome([]) == "no_reply"
    assert oc.outcome(simple("chitchat", "Hello!")) == "no_reply"
    assert oc.outcome([visible("text without payload")]) == "no_reply"


def test_urgent_category_is_read_from_the_urgent_payload() -> None:
    assert oc.urgent_category(urgent("bleeding")) == "bleeding"
    assert oc.urgent_category(answer("x", "Symptoms")) is None


def test_body_cuts_every_kind_of_citation_block() -> None:
    assert oc.body("Line one.\nLine two.\n\nSource: “Symptoms” — PDQ.\nhttps://x") == "Line one.\nLine two."
    assert oc.body("Answer.\nSources: “A”, “B” — PDQ.\nhttps://a\nhttps://b") == "Answer."
    assert oc.body("Answer.\n\nFrom the PDQ summary “Symptoms”, updated 2024.") == "Answer."
    assert oc.body("An open Source: mid-line is body.") == "An open Source: mid-line is body."


def test_answer_body_excludes_citations_and_other_messages() -> None:
    reply = personal_advice() + answer("Induction is the first phase.", "Treatment phases")
    assert oc.answer_body(reply) == "Induction is the first phase."
    assert len(oc.answer_body(reply) or "") == 29


def test_answer_body_joins_answer_and_not_in_summary_bodies_per_turn() -> None:
    reply = answer("One.", "A") + simple("chitchat", "Hi.") + not_in_summary("Two.", "B")
    assert oc.answer_body(reply) == "One.\n\nTwo."


def test_answer_body_is_none_without_answer_messages() -> None:
    assert oc.answer_body(urgent()) is None
    assert oc.answer_body(simple("chitchat", "Hello!")) is None


def test_a_lone_payload_without_text_is_still_read() -> None:
    reply = [{"recipient_id": "u", "custom": {"answer_type": "answer", "citations": [{"section": "Tests"}]}}]
    assert oc.outcome(reply) == "Tests"
    assert oc.answer_body(reply) == ""


def test_key_passage_ignores_punctuation_quotes_dashes_case_and_spacing() -> None:
    reply = answer('Most children\'s "bone-marrow"\n• tests — are DONE under sedation', "Bone marrow aspiration")
    assert oc.passage_found("children’s “bone marrow” tests - are done", reply)
    assert not oc.passage_found("children’s bone marrow tests are painful", reply)


def test_key_passage_is_searched_in_every_text_of_the_turn() -> None:
    reply = personal_advice() + answer("General: doses depend on body size.", "Chemotherapy")
    assert oc.passage_found("care team is the right place", reply)
    assert oc.passage_found("Doses depend on body size", reply)


def test_normalise() -> None:
    assert oc.normalise("Stage 3–4: “ALL” (B-cell)") == "stage34allbcell"


def test_citation_block_helper_is_cut() -> None:
    assert oc.body(f"Body.\n\n{citation_block('Symptoms')}") == "Body."
