"""Signs of emergency described in other words (concepts.py and knowledge/safety/concepts.yml), and the
file's ``same_phrase`` field. Every sentence here was written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from actions.safety import assess
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
