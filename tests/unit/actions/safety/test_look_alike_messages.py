"""Messages that look like they need another answer than they do (the detector end to end), each with
the same words in the situation that must keep the other answer. Every sentence was written for these tests.

* an exposure told by what the rash looks like, without the disease's name;
* nosebleeds told as a pattern ("keeps getting nosebleeds") in a question whether it means leukemia,
  and "a faint rash" (faint as a look, not fainting): personal advice, not urgent;
* resolved stories: "kept everything down since", "all gone now", "over half term", a stretch of
  time placed on a day gone by ("sick all day tuesday"), a child bouncing around again;
* "a child" and the doctors' "they" name nobody; a request asking why about one child is answered;
* a temperature said of the child and then asked about ("she's 38.4, does that count?") is a fever now,
  while asking the rule ("when do we need to ring about ...", "do we count 38.1 ...") is not.
"""

from __future__ import annotations

import pytest

from actions.safety import assess, default_detector


@pytest.mark.parametrize(
    "message",
    [
        "the twins next door have come up in itchy blisters and they were on our trampoline with my son on sunday",
        "her best mate from school has the spotty itchy virus, they swapped hats at break",
        "a kid from his playgroup has got spots with water in them, they were in the sandpit together",
        "the nanny's little girl has fluid filled spots all over her tummy and she brought her round yesterday",
    ],
)
def test_an_exposure_told_by_the_look_of_the_rash_is_urgent(message: str) -> None:
    assert assess(message).urgent == "infection_exposure"


@pytest.mark.parametrize(
    "message",
    [
        # The same look of a rash with nobody the child was with: no exposure sign.
        "what do fluid filled spots on the skin usually mean in general?",
    ],
)
def test_the_look_of_a_rash_alone_is_no_exposure_sign(message: str) -> None:
    signs = default_detector().signs(message)
    assert not [m for m, status in signs if m.category == "infection_exposure" and status == "current"]


@pytest.mark.parametrize(
    "message",
    [
        "her nose keeps bleeding through the tissues, it's been twenty minutes",
        "the blood keeps coming from his gums and won't stop",
        "his nosebleed keeps going and his shirt is soaked",
    ],
)
def test_bleeding_that_keeps_going_stays_urgent(message: str) -> None:
    assert assess(message).urgent == "bleeding"


@pytest.mark.parametrize(
    "message",
    [
        "my little one keeps getting nosebleeds and looks washed out, is this how leukaemia starts?",
        "she has a faint rash of pinprick dots on her arms and her counts were lower, has it come back?",
    ],
)
def test_symptoms_asked_about_as_leukemia_get_the_care_team_reply_not_urgent(message: str) -> None:
    found = assess(message)
    assert not found.is_urgent, found
    # "has it come back?" is read as a question about results (a relapse), "is this how leukaemia
    # starts?" as one about a diagnosis: both are the care team's to answer.
    assert found.advice in {"diagnosis", "results"}, found


@pytest.mark.parametrize(
    ("category", "message"),
    [
        (
            "dehydration",
            "He was sick all day Friday but has kept everything down since Saturday, which foods give energy?",
        ),
        ("fever", "her high temperature over half term is all gone now. do kids on chemo catch colds more?"),
        ("dehydration", "she vomited all day tuesday and since wednesday kept her food down, is ginger ok for nausea?"),
        (
            "fever",
            "ten days back he spiked to 39.2 and stayed in overnight, he's bouncing around now. why do fevers happen?",
        ),
    ],
)
def test_a_resolved_story_is_not_urgent_and_keeps_a_note(category: str, message: str) -> None:
    found = assess(message)
    assert not found.is_urgent, found
    assert found.note == category, found


@pytest.mark.parametrize(
    ("category", "message"),
    [
        # The same signs still happening.
        ("dehydration", "he has been sick all day and can't even keep sips of water down"),
        ("fever", "she is hot as anything, 38.8 now, and shivering"),
    ],
)
def test_the_same_signs_still_happening_are_urgent(category: str, message: str) -> None:
    assert assess(message).urgent == category


@pytest.mark.parametrize(
    "message",
    [
        "What are the usual warning signs of leukemia in a child?",
        "Can ALL come back in the spinal fluid and how do they find out?",
        "why is my son getting a steroid as well as the chemo drugs in this phase?",
        "how come my daughter needs a spinal tap so many times?",
    ],
)
def test_an_answerable_general_question_is_no_personal_advice(message: str) -> None:
    found = assess(message)
    assert found.advice is None, found
    assert not found.is_urgent, found


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        # The same words asking about one child's results or chances stay personal advice.
        ("results", "His neutrophils are 0.4 this week, can he still go to school?"),
        ("prognosis", "Will my son survive this relapse?"),
    ],
)
def test_a_request_about_one_child_stays_personal_advice(kind: str, message: str) -> None:
    assert assess(message).advice == kind


def test_a_child_after_an_indefinite_word_names_nobody() -> None:
    rules = default_detector().advice
    tokens = default_detector().tokens
    assert not rules.about_someone(tokens("what does leukemia look like in a child"))
    assert not rules.about_someone(tokens("how do they treat a relapse"))
    assert rules.about_someone(tokens("what does leukemia look like in my child"))


@pytest.mark.parametrize(
    "message",
    [
        # A temperature said of the child, then asked about: it was measured, so it is a fever now.
        "he is 38.3, does that count as a fever for him?",
        "her temp is 38.9, is it common after chemo?",
    ],
)
def test_a_measured_temperature_asked_about_is_urgent(message: str) -> None:
    assert assess(message).urgent == "fever"


@pytest.mark.parametrize(
    "message",
    [
        # Asking the rule: when to call, or what the team counts, with no one's temperature taken.
        "when do we need to ring about vomiting, like after how many hours of it",
        "do we count 38.1 one single time as a fever, or must it last an hour?",
        "when do i have to take her in for a nosebleed, how many minutes of bleeding is too many",
    ],
)
def test_a_question_about_when_to_call_is_not_urgent(message: str) -> None:
    assert not assess(message).is_urgent
