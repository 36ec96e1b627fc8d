"""Words that look like a sign, or like a sign's end, and are not (the detector end to end). Every
sentence was written for these tests, none taken from an evaluation set.

* a negated stop ("hasn't stopped", "won't stop") tells a sign going on, never a sign denied;
* "spots all over now" is not "it's all over now": the spots do not make the nosebleed after them over;
* blood told by its colour ("her nose is pouring red") and sight lost suddenly are emergencies;
* a time point ("an hour ago") is no duration of bleeding, blood given to a blood bank is no bleeding,
  and a vaccine named after an infection is no exposure;
* a feared image ("I have nightmares that ...") and planning what number to call at are not now.
"""

from __future__ import annotations

import pytest

from actions.safety import assess


@pytest.mark.parametrize(
    ("category", "message"),
    [
        ("bleeding", "the spot where his tooth came out hasn't stopped seeping since lunchtime, he's in consolidation"),
        ("bleeding", "her gum has not stopped oozing for two hours and she looks grey"),
        ("bleeding", "little bruises everywhere on her legs and arms and her nose won't stop running red"),
        ("bleeding", "he's got those red dots all over now and blood keeps pouring from his nose"),
        ("bleeding", "my daughter's nose is pouring red onto her pyjamas, she's on chemo"),
        ("severe_pain", "he is on vincristine and says he suddenly can't see out of his left eye"),
        ("severe_pain", "she woke up and has lost the sight in one eye, we're scared"),
    ],
)
def test_a_sign_going_on_or_told_in_other_words_is_urgent(category: str, message: str) -> None:
    assert assess(message).urgent == category


@pytest.mark.parametrize(
    "message",
    [
        "a nosebleed started an hour ago, it took 3 min and stopped on its own. do low platelets cause them?",
        "my sister started donating blood because of what our little one has been through. how is blood used?",
        "the GP offered me the shingles vaccine. can I still cuddle my son who is on chemo after I get it?",
        "I keep having nightmares that he stops breathing at night. is that a real risk during treatment?",
        "what's the number on the thermometer when I should take her to hospital? I want to stick it on the fridge",
    ],
)
def test_look_alike_words_are_not_an_emergency_now(message: str) -> None:
    assert assess(message).urgent is None


def test_the_words_of_the_first_message_are_what_makes_it_urgent() -> None:
    """The same nosebleed without the words the rules were taught to read is not found by a sign."""
    assert assess("her nose is a bit red from wiping it so often").urgent is None


@pytest.mark.parametrize(
    "message",
    [
        "we were told she's intermediate risk and now i'm confused about what that changes for her treatment",
        "honestly I am so confused by all the phases, what happens in consolidation?",
        "the doctors used so many words today, it's confusing. what is a lumbar puncture for?",
    ],
)
def test_a_parent_confused_by_what_they_were_told_is_no_confused_child(message: str) -> None:
    assert assess(message).urgent is None


@pytest.mark.parametrize(
    "message",
    [
        "i'm scared, she's suddenly confused and doesn't know where she is",
        "he woke up from his nap confused and talking nonsense right now",
    ],
)
def test_a_child_suddenly_confused_is_still_urgent(message: str) -> None:
    assert assess(message).urgent == "unresponsive"
