"""What a user types, made safe before Rasa (and its tracker store) sees it. Pure functions, no I/O.

Every channel (REST, socket.io, Telegram) passes the user's text through :func:`check_message`, which

1. cleans it (:func:`actions.text_normalisation.clean`): Unicode NFC, NUL / control / zero-width /
   bidi-override characters removed, whitespace collapsed to single spaces;
2. answers directly, without Rasa, when there is nothing to answer: an empty message, a message longer
   than :data:`MAX_CHARS`, a message in another language than English or with an emergency phrase of one
   (:func:`channels.language.language_reply`: the fixed reply of ``knowledge/languages.yml``, with a button
   that sends the question on as English); the button's payload (:func:`channels.language.english_request`)
   is unwrapped here and its question goes on without the language check;
3. stops intent injection: Rasa reads any text starting with ``/`` as ``/intent{"entity": "value"}`` and
   would set that intent and those entities (and through them slots). Only the payloads of the bot's own
   buttons and the answer-feedback buttons are let through (:func:`is_allowed_payload`; a feedback payload
   sets no slot itself: ``action_record_feedback`` checks it again); from anything else the leading ``/`` is removed,
   so it is read as ordinary text;
4. redacts phone numbers, e-mail addresses and long digit runs (``[phone]``, ``[email]``, ``[number]``, see
   :func:`redact`) so they are never stored, and
   writes a word typed four or more times in a row once (:func:`collapse_repeats`).

The result is a :class:`Verdict`: either ``text`` to hand to Rasa, or a ``reply`` (+ ``answer_type``, maybe
``buttons`` and a full ``payload``) to send back as the bot's answer.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from actions import reply_contract as contract
from actions.text_normalisation import clean
from channels import language

MAX_CHARS = 2000  # after normalisation; longer messages get SHORTEN_REPLY

EMPTY_REPLY = "I didn't get a question there. Please type your question about childhood ALL in a few words."
SHORTEN_REPLY = (
    f"That message is too long for me (more than {MAX_CHARS:,} characters). "
    "Please shorten it to one question and send it again."
)
FALLBACK_REPLY = "Sorry, I can't look that up right now, please try again in a moment."

# The bot's own button payloads: intent -> (entity key, pattern of its value). Nothing else may start with "/".
_SECTION_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")
_TERM_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 '()\-/?,.–’]{0,119}")
ALLOWED_PAYLOADS: dict[str, tuple[str, re.Pattern[str]]] = {
    "show_section": ("section", _SECTION_ID),
    "ask_more": ("section", _SECTION_ID),
    "explain_term": ("term", _TERM_NAME),
}
_PAYLOAD = re.compile(r"/([a-z_]+)(\{.*\})", re.DOTALL)

# E-mail: a dot-atom (any letters, internationalised addresses included) or a quoted local part, "@", then a
# domain of letter/digit labels ending in a top-level domain of letters (or punycode), or an address literal.
_EMAIL = re.compile(
    r"""(?:(?<![\w.!#$%&'*+/=?^`{|}~-])[\w!#$%&'*+/=?^`{|}~-]+(?:\.[\w!#$%&'*+/=?^`{|}~-]+)*|"(?:[^"\\\r\n]|\\.){1,64}")"""
    r"@(?:(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+(?:[^\W\d_]{2,}|xn--[a-z0-9-]{2,})|\[[0-9A-Fa-f.:]+\])(?![\w-])",
    re.IGNORECASE,
)
# What people put between the digits of a phone number or a card / ID number: spaces, hyphens and dashes of
# every kind (non-breaking hyphen, en and em dash, minus sign), slashes, parentheses; a dot only before a
# group of 3-4 digits (555.123.4567), so that decimals (38.5, 3.14159) never join a number.
_DIGIT_SEPARATOR = r"(?:[ \-\u2010-\u2015\u2212/()]{1,4}|\)?\.(?=\d{3,4}(?!\d)))"
# A run of 7 or more digits with those separators, an optional "+" or "(" before it and an extension after
# it; letters may touch it ("call555-123-4567", "MRN12345678"), a digit, dot or comma before it may not.
_NUMBER_CANDIDATE = re.compile(
    rf"(?<![\d.,])(?P<number>\+?\(?\d(?:{_DIGIT_SEPARATOR}?\d){{6,}}\)?)"
    r"(?:\s?(?:ext\.?|extension|x|\#)\s?\d{1,6}(?!\d))?",
    re.IGNORECASE,
)
_ISO_DATE = re.compile(r"\d{4}-(\d{1,2})-(\d{1,2})")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})([./-])(\d{1,2})\2(?:\d{2}|\d{4})")


def is_date(text: str) -> bool:
    """2025-02-12, 12/03/2024, 3.12.24: a year of 2 or 4 digits, a month of 1-12 and a day of 1-31."""
    iso = _ISO_DATE.fullmatch(text)
    if iso is not None:
        return 1 <= int(iso.group(1)) <= 12 and 1 <= int(iso.group(2)) <= 31
    other = _DAY_MONTH_YEAR.fullmatch(text)
    if other is None:
        return False
    first, second = int(other.group(1)), int(other.group(3))
    return 1 <= min(first, second) <= 12 and max(first, second) <= 31


MAX_PHONE_DIGITS = 15  # E.164; longer runs are card, account or record numbers


@dataclass(frozen=True)
class Verdict:
    """``text`` for Rasa, or (``text`` None) a ``reply`` of type ``answer_type`` to send straight back."""

    text: str | None
    reply: str | None = None
    answer_type: str | None = None
    reason: str = "ok"  # ok | payload | in_english | empty | too_long | not_english
    buttons: tuple[dict[str, str], ...] = ()
    payload: dict[str, Any] | None = None  # the reply's whole payload, when it has more than answer_type


_ANSWER_ID = re.compile(contract.ANSWER_ID_PATTERN)


def is_feedback_payload(entities: object) -> bool:
    """Whether ``entities`` are those of an answer-feedback button (``actions.reply_contract``): an ``answer_id``
    as the server issues them, a rating, and after 👎 maybe one of the reasons; nothing else, no free text."""
    if not isinstance(entities, dict) or not {contract.ANSWER_ID, contract.RATING} <= set(entities):
        return False
    if not set(entities) <= set(contract.FEEDBACK_KEYS):
        return False
    answer_id, rating, reason = (entities.get(k) for k in contract.FEEDBACK_KEYS)
    return (
        isinstance(answer_id, str)
        and _ANSWER_ID.fullmatch(answer_id) is not None
        and rating in contract.RATINGS
        and (contract.REASON not in entities or (rating == "down" and reason in contract.REASONS))
    )


def feedback_entities(text: str) -> dict[str, str] | None:
    """The entities of ``text`` when it is exactly an answer-feedback payload (``/feedback{...}`` whose entities
    pass :func:`is_feedback_payload`), else None. The one parser of feedback payloads for every channel."""
    match = _PAYLOAD.fullmatch(text)
    if match is None or match.group(1) != contract.FEEDBACK_INTENT:
        return None
    try:
        entities = json.loads(match.group(2))
    except ValueError:
        return None
    return entities if is_feedback_payload(entities) else None


def is_allowed_payload(text: str) -> bool:
    """Whether ``text`` is exactly one of the bot's own button payloads (see :data:`ALLOWED_PAYLOADS`) or an
    answer-feedback payload (:func:`is_feedback_payload`)."""
    match = _PAYLOAD.fullmatch(text)
    if match is not None and match.group(1) == contract.FEEDBACK_INTENT:
        return feedback_entities(text) is not None
    if match is None or match.group(1) not in ALLOWED_PAYLOADS:
        return False
    key, pattern = ALLOWED_PAYLOADS[match.group(1)]
    try:
        entities = json.loads(match.group(2))
    except ValueError:
        return False
    if not isinstance(entities, dict) or list(entities) != [key]:
        return False
    value = entities[key]
    return isinstance(value, str) and pattern.fullmatch(value) is not None


def defuse_command(text: str) -> str:
    """Text that Rasa will not read as ``/intent{...}``: leading slashes (and spaces after them) removed."""
    return text.lstrip("/").lstrip() if text.startswith("/") else text


def redact(text: str) -> str:
    """Personal data that people type, replaced before anything is stored: e-mail addresses -> ``[email]``
    (internationalised and quoted ones too), phone numbers (7-15 digits, any dashes, slashes or dots between
    them, with an extension) -> ``[phone]``, longer digit runs (card, account, record numbers) -> ``[number]``.

    Dates (2025-02-12, 12/03/2024) and the numbers parents write about their child stay: temperatures
    (38.5), counts (ANC 500, platelets 150,000), ages and doses (2.5 mg) have fewer than 7 digits in a row or
    a decimal point that does not join a number.
    """
    text = _EMAIL.sub("[email]", text)

    def number(match: re.Match[str]) -> str:
        candidate = match.group(0)
        if all(is_date(part) for part in candidate.split()):
            return candidate
        digits = sum(char.isdigit() for char in match.group("number"))  # the extension not counted
        return "[phone]" if digits <= MAX_PHONE_DIGITS else "[number]"

    return _NUMBER_CANDIDATE.sub(number, text)


def check_message(raw: str, max_chars: int = MAX_CHARS) -> Verdict:
    """What to do with one user message: see the module docstring."""
    text = clean(raw)
    english = language.english_request(text)
    if english is not None:  # "Show the English answer": the question goes on as English
        text = clean(language.english_wording(english))
    if text.startswith("/"):
        if is_allowed_payload(text):
            return Verdict(text, reason="payload")
        text = defuse_command(text)
    if not text:
        return Verdict(None, EMPTY_REPLY, contract.CLARIFY, "empty")
    if len(text) > max_chars:
        return Verdict(None, SHORTEN_REPLY, contract.CLARIFY, "too_long")
    safe = redact(collapse_repeats(text))
    if english is not None:
        return Verdict(safe, reason="in_english")
    other = language.language_reply(text, question=safe)
    if other is not None:
        answer_type = str(other.payload[contract.ANSWER_TYPE])
        return Verdict(None, other.text, answer_type, "not_english", other.buttons, other.payload)
    return Verdict(safe)


_REPEATED_WORD = re.compile(r"\b(\w+)((?:\W+\1\b){3,})", re.IGNORECASE)


def collapse_repeats(text: str) -> str:
    """A word typed four or more times in a row once ("please please please please ..." -> "please"):
    a flood of one word drowns the question for the classifier and says nothing more."""
    return _REPEATED_WORD.sub(lambda m: m.group(1), text)


def direct_reply(recipient_id: str, verdict: Verdict) -> list[dict[str, Any]]:
    """The REST-shaped messages for a verdict answered without Rasa: the text (with its buttons), then the payload."""
    messages = bot_messages(recipient_id, verdict.reply or "", verdict.answer_type or contract.CLARIFY)
    if verdict.buttons:
        messages[0]["buttons"] = [dict(button) for button in verdict.buttons]
    if verdict.payload is not None:
        messages[1]["custom"] = dict(verdict.payload)
    return messages


def bot_messages(recipient_id: str, text: str, answer_type: str) -> list[dict[str, Any]]:
    return [
        {"recipient_id": recipient_id, "text": text},
        {"recipient_id": recipient_id, "custom": contract.payload(answer_type)},
    ]
