"""A story of something that is over, told in the past and ending with an everyday question, is not an
emergency now; the same sign still happening, or a sign that needs a call even when over, still is."""

from __future__ import annotations

import pytest

from actions.safety import assess

# Written for these tests only: each told in the past, said more weakly to be over, then an ordinary question.
OVER = [
    "Her line site was pink and sore in the spring but the antibiotic cream fixed it. How often is it dressed?",
    "He was being sick after every meal during consolidation, then a new tablet worked. What is it for?",
    "His gums bled a lot when he brushed, but it eased off once his platelets went up. What do platelets do?",
    "We rushed her to the ER on Sunday with 38.9, she got antibiotics and was fine after. What is an ANC?",
]

# Still happening, asking what to do, or a category a call is needed for even once it is over.
NOW = [
    ("fever", "The fever medicine worked for an hour but he is burning up again. What is a normal temperature?"),
    ("fever", "She was 38.6 at lunch, I gave her ibuprofen and now she reads 37.2. Is she okay to sleep?"),
    ("seizure", "He had a seizure after tea, the nurse line fixed nothing, it was scary. What is a lumbar puncture?"),
    ("unresponsive", "She was so drowsy I couldn't rouse her, then she woke and seemed fine. What is maintenance?"),
    ("bleeding", "His nose was bleeding at school and they sorted it, but now it's bleeding again and won't stop."),
    ("fever", "we called the ambulance because she is 39.4 and shaking"),
]


@pytest.mark.parametrize("message", OVER)
def test_a_story_of_something_over_is_not_urgent(message: str) -> None:
    assert not assess(message).is_urgent, assess(message)


@pytest.mark.parametrize(("category", "message"), NOW)
def test_what_is_still_happening_or_needs_a_call_anyway_is_urgent(category: str, message: str) -> None:
    assert assess(message).urgent == category


def test_looking_after_oneself_is_not_a_self_harm_phrase() -> None:
    assert not assess("Is it wrong to take time to take care of myself while my son is in hospital?").is_urgent
    assert assess("I just want to end my life, I can't do this").urgent == "self_harm"
