"""Signs of emergency described in other words (concepts.py and knowledge/safety/concepts.yml), and the
file's ``same_phrase`` field. Every sentence here was written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from actions.safety import assess, default_detector
from actions.safety.concepts import SafetyDataError, SignCatalogue


@pytest.mark.parametrize(
    ("category", "message"),
    [
        ("self_harm", "I have worked out how I'll end it once the kids are at school"),
        ("self_harm", "she told her brother she is ready to end things"),
        (
            "infection_exposure",
            "I've got these blisters along my ribs, shingles maybe, and I babysat my grandson all day",
        ),
        ("dehydration", "he hasn't peed since breakfast and it's 6pm"),
        # Confused speech told with another verb of speaking.
        ("unresponsive", "my boy is muttering nonsense to himself"),
    ],
)
def test_signs_in_other_words_are_urgent(category: str, message: str) -> None:
    assert assess(message).urgent == category, assess(message)


def test_a_negation_in_another_phrase_does_not_make_a_sign() -> None:
    # "no" belongs to the cough; the pee is normal.
    assert not assess("no cough, peeing and drinking as usual, just tired after dex. is that typical?").is_urgent


def test_mouth_sores_of_the_child_are_not_a_carer_exposure() -> None:
    assert not assess(
        "he has blisters in his mouth from methotrexate, I spent the night with him. what helps?"
    ).is_urgent


def _catalogue(tmp_path: Path, sign: str) -> SignCatalogue:
    path = tmp_path / "concepts.yml"
    path.write_text(f"categories:\n  fever:\n    lead: Call.\n    note: If so, call.\n    signs:\n      - {sign}\n")
    return SignCatalogue(path)


def test_same_phrase_is_honoured_and_checked(tmp_path: Path) -> None:
    catalogue = _catalogue(tmp_path, "{all: [[hot], [shaking]], window: 4, same_phrase: true}")
    assert catalogue.categories["fever"].signs[0].same_phrase
    with pytest.raises(SafetyDataError, match="same_phrase"):
        _catalogue(tmp_path, "{all: [[hot], [shaking]], same_phrase: maybe}")
    with pytest.raises(SafetyDataError, match="same_phrase"):
        _catalogue(tmp_path, "{any: [hot], same_phrase: true}")


def _current(message: str) -> set[str]:
    """The categories of the signs found happening now (the classifier left out)."""
    return {m.category for m, status in default_detector().signs(message) if status == "current"}


@pytest.mark.parametrize(
    "message",
    [
        "her toes have gone a bluish colour",
        "look at his nail beds, they're purple",
        "her fingertips look grey",
        "his fingertip colour is dusky",
        "her gums look blue to me",
    ],
)
def test_blue_or_grey_skin_anywhere_is_a_breathing_sign(message: str) -> None:
    assert "breathing" in _current(message)


@pytest.mark.parametrize(
    "message",
    [
        # The negation belongs to the sign: not knowing one's own people.
        "she is not knowing her dad this evening",
        "he didn't know his brother today",
        "he forgot who she is, his own sister",
        "grandma is here and he didn't know us when he woke",
        "she called me by the wrong name three times",
    ],
)
def test_not_knowing_familiar_people_is_unresponsive(message: str) -> None:
    assert "unresponsive" in _current(message)


@pytest.mark.parametrize(
    "message",
    [
        "his belly is like knives and he is crying",
        "she says her tummy is stabbing, she is screaming",
        "my son said his belly aches and it goes through to his back",
        "her stomach hurts and it's going to her back, she had the peg injection last week",
        "upper belly burning that radiates round to his back, after pegaspargase",
    ],
)
def test_pain_told_by_its_quality_or_going_through_to_the_back_is_severe(message: str) -> None:
    assert "severe_pain" in _current(message)


def test_a_belly_swollen_without_pain_is_no_emergency() -> None:
    # Steroids often round the belly; a swollen belly alone is no severe pain.
    assert "severe_pain" not in _current("his belly is so swollen from the dexamethasone, like a little balloon")


@pytest.mark.parametrize(
    "message",
    [
        "On the train the baby beside us had chickenpox, my son is on chemo",
        "a child in the hospital waiting room had measles, we were right by them",
        "the lady on the plane said her little ones have chicken pox",
        "a man on the flight had shingles on his neck, right beside my daughter",
        "the baby in the seat behind had varicella, we were there two hours",
    ],
)
def test_an_exposure_wherever_it_happened_is_urgent(message: str) -> None:
    assert "infection_exposure" in _current(message)


def test_the_parts_of_a_sign_lie_in_one_sentence() -> None:
    # "asleep" and "can't" belong to two different sentences and two different people.
    assert "unresponsive" not in _current("Took her temperature twice, normal. Sound asleep. Just can't relax.")


def test_across_sentences_is_honoured_and_checked(tmp_path: Path) -> None:
    catalogue = _catalogue(tmp_path, "{all: [[hot], [shaking]], window: 6, across_sentences: true}")
    assert catalogue.categories["fever"].signs[0].across_sentences
    with pytest.raises(SafetyDataError, match="across_sentences"):
        _catalogue(tmp_path, "{all: [[hot], [shaking]], across_sentences: sometimes}")
    with pytest.raises(SafetyDataError, match="across_sentences"):
        _catalogue(tmp_path, "{any: [hot], across_sentences: true}")


def test_cannot_is_read_as_cant() -> None:
    # The signs are written with "can't"; "cannot" is the same word.
    assert "severe_pain" in _current("her hip hurts so she cannot move")
    assert "unresponsive" in _current("he is drowsy and cannot keep awake")


@pytest.mark.parametrize(
    "message",
    [
        # A child hard to wake: "not wake up" told of the child is no wish to die.
        "in induction he does not wake up easily after the dex and the nurse checked his sugar",
        "she did not wake up when the alarm went off, she's fine now",
    ],
)
def test_a_child_not_waking_is_no_self_harm(message: str) -> None:
    assert "self_harm" not in _current(message)


@pytest.mark.parametrize(
    "message",
    [
        "my teenager says she wants to sleep and never wake up",
        "I just wish I could go to sleep and not wake up",
        "he said he hopes he will not wake up tomorrow",
        "sometimes I pray to not wake up",
        "she wants to disappear and not wake up again",
    ],
)
def test_wishing_not_to_wake_up_is_self_harm(message: str) -> None:
    assert assess(message).urgent == "self_harm", assess(message)


@pytest.mark.parametrize(
    "message",
    [
        # "blood", "breathing", "fever" as part of a name for something else.
        "my son keeps asking why his blood tests take so long",
        "she keeps asking if a blood cancer is the same as a bone cancer",
        "he has a blood count every week, it keeps me up at night",
        "we keep the fever plan on the fridge",
        "his breathing exercises are hard work",
    ],
)
def test_a_sign_word_inside_a_name_for_something_else_is_no_sign(message: str) -> None:
    assert not _current(message), default_detector().signs(message)


@pytest.mark.parametrize(
    "message",
    [
        "I accidentally gave him my blood pressure tablets",
        "she got into her grandma's pills and swallowed some",
        "he took his sister's medicine by mistake",
        "my daughter swallowed my sleeping tablets",
        "we gave her the wrong medicine tonight",
    ],
)
def test_someone_elses_medicine_is_poisoning(message: str) -> None:
    assert assess(message).urgent == "poisoning", assess(message)


@pytest.mark.parametrize(
    "message",
    [
        # An extra dose of the child's own medicine is a dose question for the care team.
        "accidentally gave him a double dose of his septrin, is that a problem?",
        "I accidentally gave her the 6mp twice tonight, what should I do?",
        "we accidentally gave an extra dose of ondansetron, is she ok?",
    ],
)
def test_an_extra_dose_of_the_childs_own_medicine_is_dose_advice(message: str) -> None:
    found = assess(message)
    assert found.urgent is None and found.advice == "dose", found


@pytest.mark.parametrize(
    "message",
    [  # written for this test
        "He vomited after the 6-MP and now he's shivering, 39.2c, can't keep water down.",
        "Her lips look a bit blue and she won't wake up properly from her nap!",
        "She keeps saying she wants to disappear. She hasn't eaten since yesterday.",
        "No fever today. Last month she had a nosebleed that would not stop, but that is over.",
        "the tube in his chest got pulled out and it is bleeding",
    ],
)
def test_ruling_signs_out_by_their_first_words_finds_what_the_full_search_finds(message: str) -> None:
    """find_sign on a TokenList rules signs out by Sign.group_keys; on a plain list it searches every
    phrase. Both must find the same."""
    detector = default_detector()
    tokens = detector.tokens(message)
    signs = [(c.name, s) for c in detector.catalogue.categories.values() for s in c.signs if s.groups]
    found = [SignCatalogue.find_sign(name, sign, tokens) for name, sign in signs]
    assert found == [SignCatalogue.find_sign(name, sign, list(tokens)) for name, sign in signs]
    assert any(found)


def test_a_signs_group_keys_are_its_phrases_first_words_or_stems() -> None:
    from actions.safety.concepts import parse_sign

    sign = parse_sign({"all": [["vomit*", "throwing up"], ["every hour"]]}, 10, "test")
    assert sign.group_keys == (frozenset({"vomit", "throwing"}), frozenset({"every"}))


@pytest.mark.parametrize(
    "message",
    [
        "she searched online how much of her dad's heart medicine it would take",
        "i keep googling how many sleeping tablets would be lethal",
        "my son asked the pharmacist how many of his pain pills it'd take",
    ],
)
def test_finding_out_how_much_medicine_would_kill_is_self_harm(message: str) -> None:
    assert "self_harm" in _current(message), default_detector().signs(message)


@pytest.mark.parametrize(
    "message",
    [
        "honestly they would all be better dead than watching this, me included",
        "he says he's lost the will to live",
        "my daughter keeps looking up ways to die",
        "i'm so tired of living like this",
        "she's been hurting herself on purpose with her nails",
        "i wanna be dead",
    ],
)
def test_wishing_to_be_dead_in_other_words_is_self_harm(message: str) -> None:
    assert "self_harm" in _current(message), default_detector().signs(message)


def test_how_long_recovery_would_take_is_no_self_harm() -> None:
    assert "self_harm" not in _current("i was looking up how many weeks it would take for her hair to grow back")


@pytest.mark.parametrize(
    "message",
    [
        "on chemo and his back is like an oven tonight",
        "her little hands are as hot as a kettle",
        "i touched his tummy and it was like touching a heater",
    ],
)
def test_heat_compared_with_something_hot_is_a_fever_sign(message: str) -> None:
    assert "fever" in _current(message), default_detector().signs(message)


@pytest.mark.parametrize(
    "message",
    [
        "the fever strips in our kit have expired, is a digital one better?",
        "she sneezes with hay fever every spring, can she take her allergy tablets",
        "we are saving up for a seizure alarm for his bed",
    ],
)
def test_objects_named_after_a_sign_are_no_sign(message: str) -> None:
    assert not _current(message), default_detector().signs(message)


def test_a_reading_on_such_an_object_is_still_a_fever() -> None:
    assert "fever" in _current("the fever strip says 38.7 and he is on chemo")
