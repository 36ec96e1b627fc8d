"""Passage search (actions/passages.py): a passage that names its subject by the abbreviation the summary
defines covers the words it stands for. Questions are written for these tests; expected passages are PDQ
text (knowledge/source/)."""

from __future__ import annotations

from actions.answering import answer_in_section, choose_passages
from actions.knowledge_base import KnowledgeBase
from actions.passages import PassageSearch, abbreviations
from actions.services import passage_search, question_types

CBC_LIST = "A CBC checks a sample of blood for:\n• the number of red blood cells and platelets"


def test_the_abbreviations_the_summary_defines_are_found(kb: KnowledgeBase) -> None:
    spelled_out = {pattern.pattern: words.lower() for pattern, words in abbreviations(kb).items()}
    assert spelled_out[r"\bCBC\b"] == "complete blood count"
    assert spelled_out[r"\bCSF\b"] == "cerebrospinal fluid"


def test_a_passage_using_the_abbreviation_covers_the_spelled_out_question() -> None:
    question = "what does the complete blood count tell the doctors?"
    hits = passage_search().rank(question, ["complete-blood-count"], question_types().asked(question))
    listed = next(h for h in hits if h.passage.text.startswith(CBC_LIST))
    assert listed.coverage == 1.0


def test_a_question_spelling_out_the_abbreviation_gets_the_passage_that_uses_it() -> None:
    reply = answer_in_section("what does the complete blood count tell the doctors?", "complete-blood-count")
    assert reply.text.startswith(CBC_LIST)


def test_the_mean_of_a_meaning_question_finds_nothing_by_itself() -> None:
    # "mean" as a lemma met the Purpose section's "meant": "what does X mean?" led with the summary's purpose
    hits = passage_search().search("what does a pediatric hematologist mean", limit=1)
    assert hits[0].passage.section_id == "who-treats"
    assert passage_search().search("what does it mean", limit=1) == []


def test_the_forms_of_get_are_stop_words_like_get() -> None:
    # as the lemma "get" they met "get a second opinion": "who gets it?" was a second-opinion question
    assert passage_search().search("who gets it", limit=1) == []
    assert passage_search().search("who got it", limit=1) == []
    assert passage_search().search("getting it", limit=1) == []


def test_us_is_a_stop_word_like_we() -> None:
    # "us" is rare in the summary ("Contact Us", "E-mail Us"), so as a word it led any question a family
    # asked about themselves to the Contact Us section: "could someone sit down with us and explain it?"
    hits = passage_search().search("could someone sit down with us and explain it", limit=1)
    assert not hits or hits[0].passage.section_id != "contact-us"
    assert passage_search().search("how do I contact you", limit=1)[0].passage.section_id == "contact-us"


def test_agreement_names_the_section_both_retrievers_lead_with() -> None:
    agreement = passage_search().agreement("how does the doctor take a bit of marrow out of the hip bone")
    assert agreement is not None
    assert agreement.section_id == "bone-marrow-aspiration-biopsy"
    assert agreement.passage.section_id == "bone-marrow-aspiration-biopsy"
    assert "bone-marrow-aspiration-biopsy" in agreement.support


def test_agreement_needs_the_passage_vectors(kb: KnowledgeBase) -> None:
    assert PassageSearch(kb).agreement("how does the doctor take a bit of marrow out of the hip bone") is None


def test_agreement_needs_words_in_common() -> None:
    assert passage_search().agreement("zzzz qqqq") is None


def test_a_lay_phrase_with_several_pdq_words_is_covered_by_any_one_of_them() -> None:
    # "outlook" stands for "prognosis" and "survival": the list of what the prognosis depends on covers it
    # as fully as the opening sentence that says "survival", so the list answers "what changes the outlook".
    choice = choose_passages(
        "what changes the outlook for a child who has ALL?", "prognostic-factors", intent_confidence=1.0
    )
    assert choice is not None
    assert choice.lead.text.startswith("Your child's prognosis depends on:\n• how quickly and how low")
