"""The question sentence of a message that tells a story first (actions/question_focus.py) and the
section search that weighs it first (SectionSearch.search_question)."""

from __future__ import annotations

import pytest

from actions.question_focus import SplitMessage, is_question, split_question, story_then_question
from actions.retrieval import SectionSearch

STORY = (
    "The consultant went through his chemotherapy drugs and the lumbar puncture results with us. "
    "Will there be problems years later from the treatment?"
)


def test_one_sentence_is_all_question() -> None:
    assert split_question("what does a spinal tap check for?") == SplitMessage("what does a spinal tap check for?", "")


def test_the_last_asking_sentence_is_the_question() -> None:
    text = "We saw the team today. I'm scared. What happens in maintenance? Thanks for listening."
    assert split_question(text) == SplitMessage(
        "What happens in maintenance?", "We saw the team today. I'm scared. Thanks for listening."
    )


def test_a_question_word_without_a_question_mark_still_asks() -> None:
    text = "She starts treatment next week. how do the phases work"
    assert split_question(text).question == "how do the phases work"


def test_a_short_question_takes_the_sentence_it_points_to() -> None:
    text = "We were told she is very high risk. The doctor mentioned a transplant. What is that?"
    assert split_question(text) == SplitMessage(
        "The doctor mentioned a transplant. What is that?", "We were told she is very high risk."
    )


def test_without_any_question_the_last_sentence_is_used() -> None:
    assert split_question("He was diagnosed in May. Tell me about maintenance.").question == (
        "Tell me about maintenance."
    )


@pytest.mark.parametrize(
    ("sentence", "asks"),
    [("Is it genetic", True), ("wat r the phases", True), ("My son is 4.", False), ("we are tired", False)],
)
def test_is_question(sentence: str, asks: bool) -> None:
    assert is_question(sentence) is asks


def test_the_story_does_not_choose_the_section(search: SectionSearch) -> None:
    # The question asks about problems years after treatment: the PDQ's late effects section.
    hits = search.search_question(STORY)
    assert hits[0].section_id == "side-effects-late-effects"


def test_a_one_sentence_message_ranks_as_plain_search(search: SectionSearch) -> None:
    text = "what are the side effects of radiation"
    assert search.search_question(text) == search.search(text)


def test_a_story_then_a_question_is_split() -> None:
    message = "We saw the surgeon on Friday. He was kind. What does the port do?"
    assert story_then_question(message) == SplitMessage(
        question="What does the port do?", context="We saw the surgeon on Friday. He was kind."
    )


def test_words_after_the_question_keep_the_message_whole() -> None:
    # follow-ups search with the subject added after the parent's words
    query = "and how is it given? intrathecal chemotherapy"
    assert story_then_question(query) == SplitMessage(question=query, context="")
