"""Questions about one child that the summary answers, and the personal-advice requests that look like
them (the detector end to end). Every sentence was written for these tests, none taken from an
evaluation set.

* whether a family *may* join a trial or get a second opinion is answered; whether they *should* is theirs;
* how common or rare something is, at a child's age, is a general question;
* "is it / is that ... leukemia?" asks whether the child's signs mean it only when signs are told;
* "so much" and "so many" tell how much something matters, not an amount of medicine;
* whether a told sign is one of leukemia's signs is answered by the list of signs; whether the child has
  leukemia is a diagnosis;
* what is done for children like this one is answered; whether to do it is a decision, how it ends a prognosis;
* the odds of getting leukemia are its risk factors; the odds of surviving it are a prognosis.
"""

from __future__ import annotations

import pytest

from actions.safety import assess


@pytest.mark.parametrize(
    "message",
    [
        "can we still join a trial now that she has started induction?",
        "is it okay to ask another hospital for a second opinion about him?",
        "my son has T-ALL, is that rare at his age?",
        "my granddaughter is two, is that a common age for leukemia?",
        "what is this acute lymphoblastic leukemia my daughter has?",
        "why does it matter so much that she swallows every tablet on time?",
        "her gums bleed when she brushes, is that one of the signs?",
        "he sweats at night a lot, could that be a leukemia symptom?",
        "my son is in the high-risk group, will they have to give him radiation to the head?",
        "our boy relapsed. is a transplant on the table now?",
        # the odds of getting leukemia are the summary's risk factors
        "none of her cousins had it. what raises the odds of a kid getting ALL?",
        "my son has Down syndrome, does that make him more likely to get leukemia?",
    ],
)
def test_a_question_the_summary_answers_is_no_personal_advice(message: str) -> None:
    assert assess(message).advice is None


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("decision", "should we enrol him in the trial or not?"),
        ("diagnosis", "she's pale and bruised all over, could it be leukemia?"),
        ("diagnosis", "his legs ache and he's always tired, is it leukemia?"),
        ("dose", "is 20 mg too much for him?"),
        ("dose", "how many tablets should he have tonight?"),
        ("diagnosis", "his gums bleed and he's so pale, does this mean he has leukemia?"),
        ("decision", "they want to give him head radiation, should we say yes?"),
        ("decision", "which one of those would you pick for her?"),
        ("prognosis", "will he get through this?"),
        ("prognosis", "what are the odds he survives this?"),
    ],
)
def test_the_requests_that_look_like_them_are_personal_advice(kind: str, message: str) -> None:
    assert assess(message).advice == kind


@pytest.mark.parametrize(
    "message",
    [
        "what dose that word on her letter mean",
        "so what dose the maintenance phase do exactly",
        "my son is 12, what dose treatment look like at his age",
    ],
)
def test_dose_typed_for_does_asks_no_dose(message: str) -> None:
    assert assess(message).advice is None


@pytest.mark.parametrize(
    "message",
    [
        "what dose should she have of the liquid one",
        "what dose of dex is right for him",
        "the dose they gave him seems high, is it too much?",
    ],
)
def test_a_dose_asked_about_is_still_a_dose(message: str) -> None:
    assert assess(message).advice == "dose"
