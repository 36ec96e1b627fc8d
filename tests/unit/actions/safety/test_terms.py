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


# Written for these tests: messages that mix exact words, stems and phrases of several words.
SPEED_MESSAGES = [
    "He vomited after the 6-MP and now he's shivering, 39.2c, can't keep water down.",
    "Her lips look a bit blue and she won't wake up properly from her nap!",
    "No fever today. Last month she had a nosebleed that would not stop, but that is over.",
    "what does maintenance mean? is it the longest phase",
    "",
]


def test_prefixes_are_every_beginning_of_every_word() -> None:
    tokens = default_detector().tokens("Blue lips, sleepy")
    assert tokens.prefixes() == {
        "b",
        "bl",
        "blu",
        "blue",
        "l",
        "li",
        "lip",
        "lips",
        "s",
        "sl",
        "sle",
        "slee",
        "sleep",
        "sleepy",
    }


@pytest.mark.parametrize("message", SPEED_MESSAGES)
def test_a_term_is_found_at_the_same_places_in_a_plain_list_as_in_a_token_list(message: str) -> None:
    tokens = default_detector().tokens(message)
    terms = [Term.parse(raw) for raw in ("vomit*", "won't wake", "no", "would not stop", "s*", "blue", "phase")]
    terms += [
        term
        for category in default_detector().catalogue.categories.values()
        for sign in category.signs
        for group in sign.groups
        for term in group
    ]
    for term in terms:
        assert list(term.find(list(tokens))) == list(term.find(tokens)), term
        # and every place found starts at a word that has the term's first key as its beginning
        assert all(term.first_key in tokens.prefixes() for _ in term.find(tokens))


def test_a_message_tokenised_again_gets_the_same_tokens_in_a_list_of_its_own() -> None:
    from actions.safety.terms import Tokenizer

    remembering = default_detector()._tokenizer
    message = "she's so sleepy, but no fevr since tuesday. is that ok?"
    first = remembering.tokens(message)
    first.memo["seen"] = True
    first.append(first[0])
    again = remembering.tokens(message)
    assert again is not first and "seen" not in again.memo and len(again) == len(first) - 1
    fresh = Tokenizer(default_detector().catalogue.shorthand, remembering._vocabulary, remembering._is_known_word)
    assert list(again) == list(remembering._tokens(message))
    assert [t.text for t in again] == [t.text for t in fresh.tokens(message)]
    assert again.positions == fresh.tokens(message).positions


@pytest.mark.parametrize("message", SPEED_MESSAGES)
def test_occurrences_are_the_spans_of_each_term_in_turn(message: str) -> None:
    from actions.safety.terms import occurrences

    tokens = default_detector().tokens(message)
    terms = [term for found in default_detector().situation.terms.values() for term in found]
    terms += [Term.parse(raw) for raw in ("no", "won't wake", "vomit*", "no")]
    chained = [span for term in terms for span in term.find(list(tokens))]
    assert occurrences(terms, tokens) == chained
    assert occurrences(terms, list(tokens)) == chained


def test_a_terms_first_key_is_its_first_word_or_stem() -> None:
    assert Term.parse("vomit* a lot").first_key == "vomit"
    assert Term.parse("won't stop").first_key == "won't"
    assert Term.parse("vomit*") == Term(("vomit*",))  # the key takes no part in equality
