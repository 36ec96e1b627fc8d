"""The stored events read back as turns (a question and the reply to it) and answer feedback.

A *turn* is a ``user`` event and the ``bot`` events after it, up to the next ``user`` event of the same
conversation; its reply is the last ``bot`` payload with an ``answer_type`` that is not the session-start
disclaimer's (:mod:`actions.reply_contract`). Feedback is the ``slot`` event ``FEEDBACK_SLOT`` the contract
describes; the last one per conversation and ``answer_id`` counts. Feedback taps (intent ``FEEDBACK_INTENT``
in the payload form ``/feedback{...}``) are not questions: neither they nor their replies make a turn.

The question's text is passed through :func:`channels.input_guard.redact` once more (the channels store it
redacted already; this covers rows stored before the guard existed). A row that cannot be read (not JSON, not
an object, a field of the wrong type, an answer type or feedback value the contract does not know) is skipped
and counted in :attr:`Decoded.skipped`, never guessed at.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from actions import reply_contract as contract
from channels.input_guard import redact
from stores.event_log import StoredEvent

UNKNOWN_CHANNEL = "unknown"


@dataclass
class Turn:
    """A question and the reply to it (``answer_type`` None: no complete reply was stored)."""

    sender_id: str
    timestamp: float
    channel: str
    text: str
    answer_type: str | None = None
    section: str | None = None  # the reply's first cited section
    urgent_category: str | None = None
    answer_id: str | None = None

    @property
    def day(self) -> dt.date:
        return dt.datetime.fromtimestamp(self.timestamp, dt.timezone.utc).date()


@dataclass(frozen=True)
class Feedback:
    """The last rating a conversation gave one answer."""

    sender_id: str
    answer_id: str
    rating: str
    reason: str | None
    section: str | None
    answer_type: str | None


@dataclass
class Decoded:
    turns: list[Turn] = field(default_factory=list)
    feedback: list[Feedback] = field(default_factory=list)
    skipped: int = 0  # rows that could not be read


class _Unreadable(ValueError):
    pass


def _object(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Unreadable
    return value


def _optional_text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise _Unreadable


def _turn(row: StoredEvent, event: Mapping[str, Any]) -> Turn | None:
    """The turn a ``user`` event starts, or None for a feedback tap."""
    text = event.get("text")
    if not isinstance(text, str):
        raise _Unreadable
    parse_data = _object(event.get("parse_data") or {})
    intent = _object(parse_data.get("intent") or {})
    if intent.get("name") == contract.FEEDBACK_INTENT and text.startswith("/" + contract.FEEDBACK_INTENT):
        return None  # a button's payload; typed text the classifier took for feedback is still a question
    channel = _optional_text(event.get("input_channel")) or UNKNOWN_CHANNEL
    return Turn(row.sender_id, row.timestamp, channel, redact(text))


def _reply(turn: Turn, event: Mapping[str, Any]) -> None:
    """Record a ``bot`` event's payload on its turn, when it is one that completes a reply."""
    custom = _object(event.get("data") or {}).get("custom")
    if custom is None:
        return
    custom = _object(custom)
    if contract.ANSWER_TYPE not in custom or custom.get(contract.DISCLAIMER):
        return
    answer_type = custom[contract.ANSWER_TYPE]
    citations = custom.get(contract.CITATIONS) or []
    if answer_type not in contract.ANSWER_TYPES or not isinstance(citations, list):
        raise _Unreadable
    section = _optional_text(_object(citations[0]).get("section")) if citations else None
    turn.answer_type = answer_type
    turn.section = section
    turn.urgent_category = _optional_text(custom.get(contract.URGENT_CATEGORY))
    answer_id = custom.get(contract.ANSWER_ID)
    turn.answer_id = None if answer_id is None else str(answer_id)


def _feedback(row: StoredEvent, event: Mapping[str, Any]) -> Feedback | None:
    if event.get("name") != contract.FEEDBACK_SLOT or event.get("value") is None:
        return None
    value = _object(event["value"])
    answer_id, rating, reason = (value.get(key) for key in contract.FEEDBACK_KEYS)
    if answer_id is None or rating not in contract.RATINGS or (reason is not None and reason not in contract.REASONS):
        raise _Unreadable
    answer_type = _optional_text(value.get("answer_type"))
    return Feedback(row.sender_id, str(answer_id), rating, reason, _optional_text(value.get("section")), answer_type)


def decode(rows: Iterable[StoredEvent]) -> Decoded:
    """Turns and feedback from rows in the order :func:`stores.event_log.events_between` gives them."""
    decoded = Decoded()
    feedback: dict[tuple[str, str], Feedback] = {}
    current: Turn | None = None
    sender: str | None = None
    for row in rows:
        if row.sender_id != sender:
            sender, current = row.sender_id, None
        try:
            event = _object(json.loads(row.data or ""))
            if row.type_name == "user":
                current = _turn(row, event)
                if current is not None:
                    decoded.turns.append(current)
            elif row.type_name == "bot":
                if current is not None:
                    _reply(current, event)
            elif row.type_name == "slot":
                rated = _feedback(row, event)
                if rated is not None:
                    feedback.pop((rated.sender_id, rated.answer_id), None)  # the last one counts, in its place
                    feedback[(rated.sender_id, rated.answer_id)] = rated
        except (_Unreadable, json.JSONDecodeError, TypeError):
            decoded.skipped += 1
            if row.type_name == "user":  # the bot events after it answer a question we could not read
                current = None
    decoded.feedback = list(feedback.values())
    return decoded
