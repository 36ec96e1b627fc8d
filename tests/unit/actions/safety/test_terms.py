"""Terms are split into words as messages are (terms.py), so a term with digits or a hyphen matches.
Written for these tests."""

from __future__ import annotations

import pytest

from actions.safety.detector import default_detector
from actions.safety.terms import Term


@pytest.mark.parametrize(
    ("term", "message"),
    [
        ("6mp", "she spat out her 6MP tonight"),
        ("6-mp", "the 6-MP makes him queasy"),
        ("6mp", "the 6-mp makes him queasy"),
        ("cd19", "they mentioned CD19 on the flow report"),
        ("chicken-pox", "a boy with chicken pox sat by her"),
        ("10/10", "pain is 10/10"),
        ("vomit*", "she vomited twice"),
    ],
)
def test_a_term_with_digits_or_a_hyphen_matches_the_message(term: str, message: str) -> None:
    assert next(Term.parse(term).find(default_detector().tokens(message)), None) is not None


def test_a_prefix_star_stays_on_the_last_piece() -> None:
    assert Term.parse("6-mp*").words == ("6", "mp*")
