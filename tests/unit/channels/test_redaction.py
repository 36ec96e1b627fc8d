"""channels.input_guard.redact over generated phone numbers, e-mail addresses and ID numbers (hypothesis), and
the medical numbers parents write, which must survive it (the safety layer reads temperatures)."""

from __future__ import annotations

import re
from datetime import date

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from channels.input_guard import check_message, redact

SEPARATORS = [" ", "-", "\u2013", "\u2014", "\u2011", "\u2010", "\u2212", "/", " - "]
LEADS = ["", "call ", "call", "my number is ", "phone: ", "reach me at ", "(", "tel "]
TAILS = ["", " please", ".", "!", " or text", ", thanks", ")"]


@st.composite
def phone_numbers(draw: st.DrawFn) -> str:
    """Phone numbers as people type them: +country, (area), groups of digits with any dash, slash, space or
    dot between them, an extension."""
    groups = draw(st.lists(st.integers(2, 4), min_size=2, max_size=4).filter(lambda g: 7 <= sum(g) <= 13))
    digits = [draw(st.text("0123456789", min_size=size, max_size=size)) for size in groups]
    if draw(st.booleans()):  # a dot only ever sits before a group of 3-4 digits (555.123.4567)
        digits = [digits[0]] + [d.ljust(3, "5") for d in digits[1:]]
        separator = "."
        assume(sum(map(len, digits)) >= 7)
    else:
        separator = draw(st.sampled_from(SEPARATORS))
    # Written like a date (05-06-2024, 3 groups: day/month 1-2 digits, year 2 or 4) it is a date: not drawn.
    assume(not (len(digits) == 3 and len(digits[0]) <= 2 and len(digits[1]) <= 2 and len(digits[2]) in (2, 4)))
    first = digits[0]
    if draw(st.booleans()):
        first = f"({first})"
    number = first + "".join(separator + group for group in digits[1:])
    if draw(st.booleans()):
        number = (
            "+" + draw(st.text("123456789", min_size=1, max_size=2)) + draw(st.sampled_from([" ", "-", ""])) + number
        )
    if draw(st.booleans()):
        number += draw(st.sampled_from([" ext. ", " x", "x", " ext ", " #"])) + draw(
            st.text("0123456789", min_size=1, max_size=5)
        )
    return number


LETTERS = st.characters(whitelist_categories=("Ll", "Lu", "Lo"), max_codepoint=0x9FFF)


@st.composite
def email_addresses(draw: st.DrawFn) -> str:
    """ASCII, internationalised (any letters) and quoted local parts; domains of letters in any script."""
    atom = st.text(st.one_of(LETTERS, st.sampled_from("0123456789_+-")), min_size=1, max_size=10).filter(
        lambda a: a[0] not in "-+" and a[-1] not in "-"
    )
    if draw(st.booleans()):
        local = ".".join(draw(st.lists(atom, min_size=1, max_size=3)))
    else:
        local = (
            '"' + draw(st.text(st.one_of(LETTERS, st.sampled_from(" .,@0123456789")), min_size=1, max_size=20)) + '"'
        )
    label = st.text(st.one_of(LETTERS, st.sampled_from("0123456789")), min_size=1, max_size=10)
    tld = st.text(LETTERS, min_size=2, max_size=6)
    return f"{local}@{'.'.join(draw(st.lists(label, min_size=1, max_size=3)))}.{draw(tld)}"


@st.composite
def id_numbers(draw: st.DrawFn) -> str:
    """Card, account and record numbers: 7-30 digits, bare or in groups, maybe after letters (MRN12345678)."""
    digits = draw(st.text("0123456789", min_size=7, max_size=30))
    if draw(st.booleans()):
        separator = draw(st.sampled_from([" ", "-", "\u2013"]))
        digits = separator.join(digits[i : i + 4] for i in range(0, len(digits), 4))
    return draw(st.sampled_from(["", "MRN", "card ", "ID: ", "account #"])) + digits


def no_digits_left(text: str) -> bool:
    return not re.search(r"\d", text)


@settings(max_examples=400, deadline=None)
@given(lead=st.sampled_from(LEADS), number=phone_numbers(), tail=st.sampled_from(TAILS))
def test_phone_numbers_in_any_format_are_redacted(lead: str, number: str, tail: str) -> None:
    redacted = redact(f"{lead}{number}{tail}")
    # (a padded country code + groups can pass 15 digits, E.164's limit: then it is redacted as a [number])
    assert "[phone]" in redacted or "[number]" in redacted, (number, redacted)
    assert no_digits_left(redacted), (number, redacted)


@settings(max_examples=300, deadline=None)
@given(address=email_addresses(), tail=st.sampled_from(TAILS))
def test_email_addresses_in_any_script_are_redacted(address: str, tail: str) -> None:
    redacted = redact(f"write to {address}{tail}")
    assert redacted == f"write to [email]{tail}", (address, redacted)


@settings(max_examples=300, deadline=None)
@given(number=id_numbers())
def test_long_digit_runs_are_redacted(number: str) -> None:
    redacted = redact(f"her number is {number} ok")
    assert no_digits_left(redacted), (number, redacted)
    assert "[phone]" in redacted or "[number]" in redacted, (number, redacted)


temperatures = st.decimals(min_value="35.0", max_value="42.5", places=1).map(str)
fahrenheit = st.decimals(min_value="96.0", max_value="106.0", places=1).map(lambda t: f"{t}°F")
doses = st.decimals(min_value="0.1", max_value="500", places=1).map(lambda d: f"{d} mg")
counts = st.integers(0, 999_999).map(lambda n: f"ANC {n}") | st.integers(1, 999).map(lambda n: f"platelets {n},000")
ages = st.integers(0, 18).map(lambda n: f"{n} years old")
recent_dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31))
dates = recent_dates.map(lambda d: d.isoformat()) | recent_dates.map(lambda d: d.strftime("%m/%d/%Y"))


@settings(max_examples=400, deadline=None)
@given(values=st.lists(st.one_of(temperatures, fahrenheit, doses, counts, ages, dates), min_size=1, max_size=4))
def test_medical_numbers_survive(values: list[str]) -> None:
    text = "my son is " + ", ".join(values)
    assert redact(text) == text


def test_the_safety_layer_still_reads_a_temperature_after_the_guard() -> None:
    from actions.safety import assess

    text = check_message("my daughter has a fever of 38.5 during chemo, call me on 555\u2013123\u20134567").text
    assert text == "my daughter has a fever of 38.5 during chemo, call me on [phone]"
    assert assess(text).is_urgent
