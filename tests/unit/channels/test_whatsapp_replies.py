"""WhatsApp rendering: reply buttons or a list within the Cloud API's limits, meaningful short titles, ids that
carry any payload."""

from __future__ import annotations

import json

import pytest

from channels.whatsapp_replies import (
    BODY_LIMIT,
    OPTIONS_PROMPT,
    button_id,
    compact,
    payload_for_id,
    shorten,
    whatsapp_messages,
)

URL = "https://www.cancer.gov/types/leukemia/patient/child-all-treatment-pdq#:~:text=Chemotherapy"
CITATION = {"section": "Chemotherapy", "url": URL, "updated": "2025-02-12"}
TEXT = f"Chemotherapy uses drugs to stop the growth of cancer cells.\n\nSource: “Chemotherapy” — NCI.\n{URL}"


def button(title: str, section: str) -> dict[str, str]:
    return {"title": title, "payload": "/show_section" + json.dumps({"section": section})}


def reply(text: str, buttons: list[dict[str, str]], citations: list[dict[str, str]] | None = None) -> list[dict]:
    return [
        {"recipient_id": "x", "text": text, "buttons": buttons},
        {"recipient_id": "x", "custom": {"answer_type": "answer", "citations": citations or [CITATION]}},
    ]


@pytest.mark.parametrize(
    ("title", "short"),
    [
        ("Symptoms of ALL", "Symptoms of ALL"),
        ("Lumbar puncture (spinal tap)", "Lumbar puncture"),
        ("Complete blood count (CBC)", "Complete blood count"),
        ("Treatment of T-cell ALL", "Treating T-cell ALL"),
        ("Treatment of high-risk ALL", "Treating high-risk"),
        ("Genetic counseling for children with ALL", "Genetic counseling"),
        ("Tests to diagnose ALL", "Tests to diagnose"),
        ("Reviewers and Updates", "Reviewers & Updates"),
        ("Getting a second opinion", None),  # nothing to drop without losing meaning: a list row instead
        ("Side effects and late effects of treatment", None),
    ],
)
def test_titles_are_compacted_to_20_characters_keeping_their_meaning(title: str, short: str | None) -> None:
    assert compact(title, 20) == short


def test_shorten_cuts_after_a_word_when_compacting_is_not_enough() -> None:
    assert shorten("Side effects and late effects of treatment", 24) == "Side effects & late…"
    assert shorten("Treatment of relapsed or refractory ALL", 24) == "Treating relapsed or…"
    assert len(shorten("Supercalifragilisticexpialidocious-therapy", 20)) == 20


def test_up_to_three_compactable_options_are_reply_buttons_under_the_answer() -> None:
    buttons = [
        button("Tell me more", "chemo"),
        button("Treatment of T-cell ALL", "t-cell"),
        button("Immunotherapy", "i"),
    ]
    [message] = whatsapp_messages(reply(TEXT, buttons))
    assert message["type"] == "interactive"
    interactive = message["interactive"]
    assert interactive["type"] == "button"
    assert interactive["body"]["text"] == TEXT  # the answer with its citation and link
    assert interactive["action"]["buttons"] == [
        {"type": "reply", "reply": {"id": '/show_section{"section": "chemo"}', "title": "Tell me more"}},
        {"type": "reply", "reply": {"id": '/show_section{"section": "t-cell"}', "title": "Treating T-cell ALL"}},
        {"type": "reply", "reply": {"id": '/show_section{"section": "i"}', "title": "Immunotherapy"}},
    ]


def test_more_options_or_titles_that_would_need_cutting_are_a_list_with_the_full_title_described() -> None:
    buttons = [button("Tell me more", "a"), button("Getting a second opinion", "b")]
    [message] = whatsapp_messages(reply(TEXT, buttons))
    interactive = message["interactive"]
    assert interactive["type"] == "list"
    rows = interactive["action"]["sections"][0]["rows"]
    assert rows == [
        {"id": '/show_section{"section": "a"}', "title": "Tell me more"},
        {"id": '/show_section{"section": "b"}', "title": "Getting a second opinion"},
    ]
    many = [button(f"Topic number {n} with a rather long title", f"s{n}") for n in range(14)]
    [message] = whatsapp_messages(reply(TEXT, many))
    rows = message["interactive"]["action"]["sections"][0]["rows"]
    assert len(rows) == 10
    assert all(len(r["title"]) <= 24 for r in rows)
    assert len({r["title"] for r in rows}) == 10  # unique, as WhatsApp requires
    assert rows[0]["description"] == "Topic number 0 with a rather long title"
    assert len(message["interactive"]["action"]["button"]) <= 20


def test_a_text_too_long_for_an_interactive_body_is_sent_as_text_then_the_options() -> None:
    long_text = "A sentence from the summary about treatment. " * 40 + f"\n\n{TEXT}"
    assert len(long_text) > BODY_LIMIT
    messages = whatsapp_messages(reply(long_text, [button("Immunotherapy", "i")]))
    assert [m["type"] for m in messages] == ["text", "interactive"]
    assert messages[0]["text"] == {"body": long_text.strip(), "preview_url": False}
    assert messages[1]["interactive"]["body"]["text"] == OPTIONS_PROMPT


def test_a_citation_whose_link_is_not_in_the_text_is_added_as_a_source_line() -> None:
    messages = whatsapp_messages(reply("Chemotherapy uses drugs.", []))
    assert messages == [
        {
            "type": "text",
            "text": {"body": f"Chemotherapy uses drugs.\n\nSource: NCI, Chemotherapy {URL}", "preview_url": False},
        }
    ]


def test_the_urgent_reply_comes_first_and_the_payload_is_never_sent() -> None:
    messages = whatsapp_messages(
        [
            {"recipient_id": "x", "text": "Please note: not medical advice."},
            {"recipient_id": "x", "custom": {"answer_type": "chitchat", "citations": [], "disclaimer": True}},
            {"recipient_id": "x", "text": "Call your child's care team now, or 911."},
            {"recipient_id": "x", "custom": {"answer_type": "urgent", "citations": []}},
        ]
    )
    assert [m["text"]["body"] for m in messages] == [
        "Call your child's care team now, or 911.",
        "Please note: not medical advice.",
    ]


def test_long_payloads_travel_as_hash_ids_resolved_from_the_sent_buttons() -> None:
    feedback = "/feedback" + json.dumps(
        {"answer_id": "a" * 40, "rating": "down", "reason": "hard_to_understand"} | {"note": "x" * 200}
    )
    assert len(feedback) > 256
    token = button_id(feedback)
    assert token.startswith("h:")
    assert len(token) == 34
    assert payload_for_id(token, ["/other", feedback]) == feedback
    assert payload_for_id(token, ["/other"]) is None  # not sent in this session: expired
    short = '/show_section{"section": "symptoms"}'
    assert button_id(short) == short
    assert payload_for_id(short, []) == short
    assert button_id("h:looks-like-a-hash") != "h:looks-like-a-hash"  # never taken for a hash
