"""SMS rendering: readable parts split between sentences, the source line last, numbered options mapped back."""

from __future__ import annotations

import re

import pytest

from channels.sms_replies import (
    MESSAGE_LIMIT,
    PART_CHARS,
    chosen_payload,
    numbered_options,
    sms_parts,
    split_text,
)

URL = "https://www.cancer.gov/types/leukemia/patient/child-all-treatment-pdq#:~:text=Chemotherapy"
CITATION = {"section": "Chemotherapy", "url": URL, "updated": "2025-02-12"}
BOT_SOURCE = f"Source: “Chemotherapy” — Childhood ALL (PDQ®)–Patient Version, NCI, updated February 12, 2025.\n{URL}"
SENTENCES = [f"Sentence number {n} says something about treatment that a parent may want to read." for n in range(12)]
BUTTONS = [
    {"title": "Tell me more", "payload": '/ask_more{"section": "chemotherapy"}'},
    {"title": "Radiation therapy", "payload": '/show_section{"section": "radiation-therapy"}'},
    {"title": "Types of treatment of ALL", "payload": '/show_section{"section": "types-of-treatment"}'},
]


def answer(text: str, buttons: list[dict[str, str]] | None = None) -> list[dict[str, object]]:
    return [
        {"recipient_id": "x", "text": f"{text}\n\n{BOT_SOURCE}", **({"buttons": buttons} if buttons else {})},
        {"recipient_id": "x", "custom": {"answer_type": "answer", "citations": [CITATION]}},
    ]


def test_a_short_text_is_one_part() -> None:
    assert split_text("One sentence. Two sentences.") == ["One sentence. Two sentences."]
    assert split_text("") == []


def test_a_long_text_is_split_between_sentences_into_parts_of_at_most_320_characters() -> None:
    text = " ".join(SENTENCES)
    parts = split_text(text)
    assert len(parts) == 4  # 12 sentences of 81-82 characters: 3 per part (4 would be 331 characters)
    assert all(len(p) <= PART_CHARS for p in parts)
    assert " ".join(parts) == text  # nothing lost, nothing cut inside a sentence
    assert all(p.endswith("read.") for p in parts)


def test_list_items_and_paragraphs_keep_their_line_breaks() -> None:
    items = "\n".join(f"• item number {n} of a long list of things to look out for" for n in range(12))
    text = f"Look out for these:\n{items}\n\nA paragraph after the list. It has two sentences."
    parts = split_text(text)
    assert len(parts) > 1
    assert "\n".join(parts).replace("\n\n", "\n").split("\n") == text.replace("\n\n", "\n").split("\n")


def test_a_sentence_longer_than_a_part_stays_whole_and_only_texts_over_the_limit_are_cut_between_words() -> None:
    long_sentence = "Word " + "word " * 99 + "end."
    long_sentence = long_sentence.strip()
    assert split_text(f"Short one. {long_sentence} Short two.") == ["Short one.", f"{long_sentence} Short two."]
    huge = "word " * 500
    parts = split_text(huge.strip())
    assert all(len(p) <= MESSAGE_LIMIT for p in parts)
    assert " ".join(parts) == huge.strip()


def test_a_short_last_sentence_joins_the_part_before_it() -> None:
    text = " ".join(SENTENCES[:4]) + " Ask."
    parts = split_text(text)
    assert parts[-1].endswith("read. Ask.")


def test_an_answer_is_numbered_parts_with_the_source_line_last_then_the_options() -> None:
    bodies = sms_parts(answer(" ".join(SENTENCES), BUTTONS))
    assert [b[:5] for b in bodies] == ["(1/4)", "(2/4)", "(3/4)", "(4/4)"]
    last = bodies[-1]
    assert last.endswith(
        f"{SENTENCES[-1]}\n\nSource: NCI, Chemotherapy {URL}\n\n"
        "Reply MORE for more.\nReply 1 for Radiation therapy.\nReply 2 for Types of treatment of ALL."
    )
    assert "“Chemotherapy” —" not in "".join(bodies)  # the bot's own source paragraph is replaced
    assert all(len(b) <= MESSAGE_LIMIT for b in bodies)


def test_a_reply_without_citations_keeps_its_text_and_has_no_source_line() -> None:
    messages = [
        {"recipient_id": "x", "text": "Hello! Ask me about childhood ALL."},
        {"recipient_id": "x", "custom": {"answer_type": "chitchat", "citations": []}},
    ]
    assert sms_parts(messages) == ["Hello! Ask me about childhood ALL."]


def test_the_urgent_reply_comes_first_and_whole() -> None:
    urgent = "Call your child's care team now. " * 15 + "If your child seems very unwell, call 911."
    messages = [
        {"recipient_id": "x", "text": "Please note: this is not medical advice."},
        {"recipient_id": "x", "custom": {"answer_type": "chitchat", "citations": [], "disclaimer": True}},
        {"recipient_id": "x", "text": urgent},
        {"recipient_id": "x", "custom": {"answer_type": "urgent", "citations": [], "urgent_category": "fever"}},
    ]
    assert len(urgent) > PART_CHARS
    assert sms_parts(messages) == [urgent.strip(), "Please note: this is not medical advice."]


def test_options_are_numbered_in_the_order_sent_and_the_first_more_button_is_more() -> None:
    options = numbered_options([*BUTTONS, {"title": "", "payload": "/x"}, {"title": "Again", "payload": "/ask_more{}"}])
    assert [(o.key, o.title) for o in options] == [
        ("MORE", "Tell me more"),
        ("1", "Radiation therapy"),
        ("2", "Types of treatment of ALL"),
        ("3", "Again"),
    ]


@pytest.mark.parametrize(
    ("typed", "payload"),
    [
        ("1", '/show_section{"section": "radiation-therapy"}'),
        (" 2. ", '/show_section{"section": "types-of-treatment"}'),
        ("more", '/ask_more{"section": "chemotherapy"}'),
        ("MORE!", '/ask_more{"section": "chemotherapy"}'),
        ("3", None),
        ("0", None),
        ("more please", None),
        ("what is 1", None),
    ],
)
def test_what_the_user_types_maps_back_to_the_option(typed: str, payload: str | None) -> None:
    assert chosen_payload(typed, numbered_options(BUTTONS)) == payload


def test_every_part_of_a_long_reply_fits_twilio() -> None:
    text = "\n\n".join(" ".join(SENTENCES) for _ in range(6))
    bodies = sms_parts(answer(text, BUTTONS))
    assert all(len(b) <= MESSAGE_LIMIT for b in bodies)
    assert all(re.match(r"\(\d+/\d+\) ", b) for b in bodies)
