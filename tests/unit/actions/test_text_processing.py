"""Lemmas: a question's word and the summary's word meet in one index term, whatever their number."""

from __future__ import annotations

import pytest

from actions.text_processing import lemmas


@pytest.mark.parametrize(
    ("plural", "singular"),
    [
        ("phases", "phase"),  # the lookup table reads it as the plural of "phasis"
        ("lymphoblasts", "lymphoblast"),  # not in the lookup table at all
        ("chemos", "chemo"),
        ("steroids", "steroid"),  # in the table: unchanged
    ],
)
def test_plural_and_singular_share_a_lemma(plural: str, singular: str) -> None:
    assert lemmas(f"treatment {plural}") == lemmas(f"treatment {singular}")


@pytest.mark.parametrize("word", ["diagnosis", "virus", "illness", "cns"])
def test_words_ending_in_s_that_are_not_plurals_keep_it(word: str) -> None:
    assert lemmas(word) == [word]


def test_a_question_about_phases_finds_the_phases_section() -> None:
    from actions import services

    for question in ("what are the phases of treatment", "what happens in each treatment phase"):
        hits = services.section_search().search(question, limit=1)
        assert hits[0].section_id == "treatment-phases", question
