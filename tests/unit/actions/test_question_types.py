"""Question types (actions/question_types.py, knowledge/question_types.yml): which shapes of question ask
for an enumeration, and what that changes in the reply. Questions are written for these tests; expected
passages are PDQ text (knowledge/source/)."""

from __future__ import annotations

import pytest

from actions.answering import answer_in_section
from actions.services import question_types


@pytest.mark.parametrize(
    "question",
    [
        "what chemo drugs will my boy be on?",
        "what anticancer drugs do children with ALL receive?",
        "what blood tests are done to diagnose it?",
        "what kind of specialists look after kids with ALL?",
    ],
)
def test_what_with_a_few_words_before_a_plural_of_drugs_tests_or_doctors_asks_for_an_enumeration(
    question: str,
) -> None:
    assert "enumeration" in {t.name for t in question_types().asked(question)}


def test_what_drugs_is_answered_with_the_list_of_drugs() -> None:
    reply = answer_in_section("what chemo drugs will my boy be on?", "chemotherapy")
    body = reply.text.split("\n\nSource:")[0]
    assert "Chemotherapy drugs used alone or in combination to treat ALL in children include:\n• asparaginase" in body
    assert body.endswith("• vincristine")
