"""actions.text_normalisation: the three forms of a text, each as its contract says."""

from __future__ import annotations

from actions.text_normalisation import clean, match_key, normalize
from channels.input_guard import check_message


def test_clean_strips_nul_zero_width_bidi_and_controls() -> None:
    assert clean("  what\x00 is\u200b A\u200dLL\u202e?\x07 \t\n ") == "what is ALL?"
    assert clean("\u200f\u2066") == ""
    assert clean("👩‍👧 ¿qué?") == "👩👧 ¿qué?"


def test_clean_keeps_case_punctuation_and_compatibility_forms() -> None:
    # the NLU model reads the text as typed: only the characters that are not text go
    assert clean("Is 6‑MP “safe”?\r\nＡＬＬ\u00a0ﬁne") == "Is 6‑MP “safe”? ＡＬＬ ﬁne"
    assert clean("e\u0301") == "é"  # NFC: one character


def test_the_channels_clean_every_message() -> None:
    assert check_message("  what\x00 is\u200b A\u200dLL?\t").text == "what is ALL?"


def test_normalize_is_the_casefolded_compatibility_form_with_plain_punctuation() -> None:
    assert normalize("Is 6–MP “safe”?\nＡＬＬ\u00a0ﬁne") == 'is 6-mp "safe"? all fine'
    assert normalize("Straße – it’s\u200b OK") == "strasse - it's ok"


def test_match_key_turns_each_character_other_than_letters_and_digits_into_a_space() -> None:
    assert match_key("6-MP") == "6 mp"
    assert match_key("  Methotrexate (MTX)! ") == "methotrexate  mtx"
    assert match_key("it’s “ALL”") == "it s  all"


def test_ascii_text_is_normalised_as_any_text_is() -> None:
    """normalize takes a shortcut for ASCII; the result is the general path's, for every ASCII character."""
    from actions.text_normalisation import _unified_characters

    for code in range(128):
        for text in (chr(code), f"Fever{chr(code)}39 C", f" a {chr(code)}\tb\n"):
            assert text.isascii()
            assert normalize(text) == " ".join(_unified_characters(text).casefold().split()), repr(text)
    assert normalize("He\x00 has\r\na FEVER\x7f") == "he has a fever"
