"""The input guard every channel uses: normalisation, limits, intent injection, language, redaction."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from actions import services
from actions.reply_contract import is_complete
from channels import input_guard
from channels.input_guard import check_message, is_allowed_payload, redact
from channels.rest import BadRequest, parse_body, with_fallback


@pytest.mark.parametrize("text", ["", "   ", "\x00\x00", "\u200b\u200c\u200d\ufeff", "\n\t\r", "/", "// "])
def test_empty_messages_get_a_please_type_reply(text: str) -> None:
    verdict = check_message(text)
    assert verdict.text is None and verdict.reason == "empty" and verdict.answer_type == "clarify"


def test_long_messages_are_asked_to_be_shortened() -> None:
    assert check_message("what is ALL? " * 100).text is not None  # 1,300 characters: fine
    verdict = check_message("what is ALL? " * 200)
    assert verdict.text is None and verdict.reason == "too_long" and "shorten" in (verdict.reply or "")
    assert check_message("x" * 1_000_000).reason == "too_long"


@pytest.mark.parametrize(
    "payload",
    [
        '/show_section{"section": "lumbar-puncture"}',
        '/show_section{"section":"symptoms"}',
        '/ask_more{"section": "risk-groups"}',
        '/explain_term{"term":"Lumbar puncture (spinal tap)"}',
        '/explain_term{"term":"What is childhood acute lymphoblastic leukemia?"}',
    ],
)
def test_the_bots_own_button_payloads_pass_unchanged(payload: str) -> None:
    verdict = check_message(payload)
    assert verdict.text == payload and verdict.reason == "payload"


def test_every_button_payload_the_actions_can_make_is_allowed() -> None:
    kb = services.knowledge_base()
    sections = list(kb.sections.values())
    names = [d.name for d in kb.drugs.values()] + [g.term for g in kb.glossary.values()]
    names += [s.heading for s in sections]
    for name in names:
        assert is_allowed_payload(f'/explain_term{{"term":"{name}"}}'), name
    for section in sections:
        assert is_allowed_payload("/show_section" + json.dumps({"section": section.id})), section.id
        assert is_allowed_payload("/ask_more" + json.dumps({"section": section.id})), section.id


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("/greet", "greet"),
        ("/restart", "restart"),
        ('/inform{"risk_group": "high"}', 'inform{"risk_group": "high"}'),
        ('/show_section{"section": "symptoms", "risk_group": "high"}', None),  # extra entity key
        ('/show_section{"topic": "symptoms"}', None),  # wrong key
        ('/show_section{"section": ["symptoms"]}', None),  # not a simple value
        ('/show_section{"section": "Symptoms; drop"}', None),
        ('/show_section@0.99{"section": "symptoms"}', None),  # forced confidence
        ("/show_section", "show_section"),
        ("///nlu_fallback", "nlu_fallback"),
        ("\u200b/greet", "greet"),
        (" /affirm", "affirm"),
    ],
)
def test_other_slash_commands_are_read_as_text(typed: str, expected: str | None) -> None:
    verdict = check_message(typed)
    assert verdict.reason != "payload"
    assert verdict.text is not None and not verdict.text.startswith("/")
    if expected is not None:
        assert verdict.text == expected


# Messages in other languages, short messages and English with Spanish names or medical Latin:
# tests/unit/channels/test_language.py (the lingua detector replaced the word lists).


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("call me on 555-123-4567 please", "call me on [phone] please"),
        ("my number is +1 (212) 555-0199.", "my number is [phone]."),
        ("+44 20 7946 0958", "[phone]"),
        ("phone +1 (212) 555-0199, what is ALL?", "phone [phone], what is ALL?"),
        ("ring 0612345678", "ring [phone]"),
        ("mail jane.doe+kid@example.co.uk or J_D@mail.example.org!", "mail [email] or [email]!"),
        ("fever of 38.9 since 2025-02-12", "fever of 38.9 since 2025-02-12"),
        ("platelets 150,000 and 1,000,000 cells", "platelets 150,000 and 1,000,000 cells"),
        ("she is 4 years old, 16 kg, dose 1.5 mg", "she is 4 years old, 16 kg, dose 1.5 mg"),
        ("on 12/03/2024 at 10:30", "on 12/03/2024 at 10:30"),
        ("call 911 or 988", "call 911 or 988"),
        ("pi is 3.14159265", "pi is 3.14159265"),
    ],
)
def test_phone_numbers_and_emails_are_redacted(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_redaction_happens_in_check_message() -> None:
    assert check_message("email me at mom@example.com or call 212 555 0199") == input_guard.Verdict(
        "email me at [email] or call [phone]"
    )


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gets_a_verdict(text: str) -> None:
    verdict = check_message(text)
    if verdict.text is None:
        assert verdict.reply and verdict.answer_type in {"clarify", "out_of_scope"}
    else:
        assert verdict.text == verdict.text.strip() and "\x00" not in verdict.text
        assert 0 < len(verdict.text) <= input_guard.MAX_CHARS
        assert not verdict.text.startswith("/") or verdict.reason == "payload"


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"", "not valid JSON"),
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe", "not valid JSON"),
        (b"[]", "JSON object"),
        (b'"hello"', "JSON object"),
        (b"null", "JSON object"),
        (b'{"sender": 5, "message": ["x"]}', '"sender"'),
        (b'{"sender": "a", "message": ["x"]}', '"message"'),
        (b'{"message": "hi"}', '"sender"'),
        (b'{"sender": "a"}', '"message"'),
        (b'{"sender": "  ", "message": "hi"}', '"sender"'),
        (b'{"sender": "a\\u0000b", "message": "hi"}', '"sender"'),
        (b'{"sender": "a", "message": "hi", "metadata": "x"}', '"metadata"'),
    ],
)
def test_malformed_webhook_bodies_are_refused(body: bytes, problem: str) -> None:
    with pytest.raises(BadRequest, match=problem):
        parse_body(body)


def test_well_formed_webhook_body() -> None:
    assert parse_body(b'{"sender": "s", "message": "hi", "metadata": {"a": 1}}') == ("s", "hi", {"a": 1})


def test_fallback_is_added_only_when_the_reply_is_incomplete() -> None:
    done = [{"recipient_id": "s", "text": "x"}, {"recipient_id": "s", "custom": {"answer_type": "answer"}}]
    assert is_complete(done) and with_fallback("s", done) == done
    for partial in ([], done[:1]):
        reply = with_fallback("s", partial)
        assert reply[-2]["text"] == input_guard.FALLBACK_REPLY
        assert reply[-1]["custom"] == {"answer_type": "fallback", "citations": []}


def test_a_flood_of_one_word_is_written_once_and_short_repeats_are_kept() -> None:
    assert input_guard.check_message("what are the symptoms of ALL? " + "please " * 200).text == (
        "what are the symptoms of ALL? please"
    )
    assert input_guard.check_message("he is very very very sick").text == "he is very very very sick"


def test_feedback_entities_of_a_feedback_payload() -> None:
    assert input_guard.feedback_entities('/feedback{"answer_id":"0123456789ab","rating":"up"}') == {
        "answer_id": "0123456789ab", "rating": "up",
    }  # fmt: skip
    assert input_guard.feedback_entities(
        '/feedback{"answer_id":"0123456789ab","rating":"down","reason":"wrong_topic"}'
    ) == {"answer_id": "0123456789ab", "rating": "down", "reason": "wrong_topic"}


@pytest.mark.parametrize(
    "text",
    [
        '/feedback{"answer_id":"0123456789ab","rating":"sideways"}',  # no such rating
        '/feedback{"answer_id":"not-an-id","rating":"up"}',  # not an id the server issues
        '/feedback{"answer_id":"0123456789ab","rating":"up","reason":"wrong_topic"}',  # a reason only after 👎
        '/feedback{"answer_id":"0123456789ab","rating":"up","note":"hi"}',  # free text
        '/feedback{"answer_id":"0123456789ab",',  # broken JSON
        '/ask_symptoms{"answer_id":"0123456789ab","rating":"up"}',  # another intent
        'please /feedback{"answer_id":"0123456789ab","rating":"up"}',  # not the whole message
    ],
)
def test_feedback_entities_of_anything_else_is_none(text: str) -> None:
    assert input_guard.feedback_entities(text) is None
