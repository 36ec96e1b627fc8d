"""Requests for advice about one child in the kinds added to knowledge/safety/advice.yml, and general
questions in the same words that stay ordinary. Every sentence here was written for these tests."""

from __future__ import annotations

import pytest

from actions.safety import assess


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("decision", "is it worth asking for a second opinion on our boy's protocol, or will the team mind"),
        ("decision", "Is it a good idea to continue her chemo near my parents' home abroad?"),
        ("prognosis", "His leukemia is back for the third time. Is there any hope left for my son?"),
        ("prognosis", "Be honest, do you think he'll grow up and have a normal life?"),
        ("prognosis", "What are the chances she'll get heart trouble later from the daunorubicin?"),
        ("diagnosis", "does she have osteonecrosis? her ankle hurts on every walk"),
        ("diagnosis", "The new scan says his spleen is large. It means he has cancer again?"),
        ("diagnosis", "He gets tummy pain after every asparaginase, is it pancreatitis?"),
        ("diagnosis", "She trips over her own feet lately, is the chemo damaging her nerves?"),
        ("dose", "The clinic said one tablet of the pain medicine, can I give him one and a half tonight?"),
    ],
)
def test_a_request_about_one_child_gets_the_care_team_reply(kind: str, message: str) -> None:
    found = assess(message)
    assert found.advice == kind, found
    assert not found.is_urgent


@pytest.mark.parametrize(
    "message",
    [
        "What is osteonecrosis and why does it happen in children with ALL?",
        "Why are second opinions common for childhood leukemia?",
        "Is pancreatitis a side effect of asparaginase in children?",
    ],
)
def test_a_general_question_in_the_same_words_is_no_personal_advice(message: str) -> None:
    assert assess(message).advice is None, assess(message)
