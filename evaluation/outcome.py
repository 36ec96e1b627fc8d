"""Reading one bot reply: the list of messages the REST channel returns for one user message.

Contract. A reply is a list of messages. A visible message has ``text`` (and maybe ``buttons``); the message
right after it may carry its payload, ``{"custom": {"answer_type": ..., "citations": [{"section", "url",
"updated"}], ...}}`` (a message holding both ``text`` and ``custom`` is its own payload too). The payload's
keys and ``answer_type`` values are the reply contract's (:mod:`actions.reply_contract`).

The *outcome* of a reply is, first match wins:

1. ``urgent`` if any payload is ``urgent``;
2. ``personal_advice`` if any payload is ``personal_advice``; ``human_contact`` if any payload is
   ``human_contact`` (how to reach a person, which cites the sentence with NCI's number);
3. ``out_of_scope`` if the first payload is ``not_in_summary`` or ``out_of_scope`` (an honest "not in the
   summary", even though ``not_in_summary`` cites the nearest passage);
4. the ``section`` of the first citation of the first payload that has citations;
5. ``out_of_scope`` if a payload is ``fallback`` and no message has buttons ("I couldn't find that");
6. ``fallback`` / ``clarify``, whichever payload of the two comes first;
7. ``no_reply``.

The *body* of a visible text is the text before its citation block, which starts on the first line that
begins with ``Source:``, ``Sources:`` or ``From the PDQ summary``. A *key passage* is found when, both
reduced to lowercase letters and digits, it is a substring of all the reply's texts joined.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from actions import reply_contract as contract

# The outcomes named after the answer type that decides them (rules 1-3, 5 and 6 of the module docstring).
URGENT = contract.URGENT
PERSONAL_ADVICE = contract.PERSONAL_ADVICE
HUMAN_CONTACT = contract.HUMAN_CONTACT
OUT_OF_SCOPE = contract.OUT_OF_SCOPE
FALLBACK = contract.FALLBACK
CLARIFY = contract.CLARIFY
NO_REPLY = "no_reply"
ERROR = "error"  # the bot could not be reached (set by the runner, never by :func:`outcome`)

CITATION_STARTS = ("Source:", "Sources:", "From the PDQ summary")

Message = Mapping[str, Any]


@dataclass(frozen=True)
class ReplyPart:
    """One visible message and the payload that belongs to it (``None`` when it has none)."""

    text: str
    has_buttons: bool
    payload: Mapping[str, Any] | None

    @property
    def answer_type(self) -> str | None:
        return answer_type(self.payload) if self.payload is not None else None


def parts(messages: Sequence[Message]) -> list[ReplyPart]:
    """Pair each visible message with the payload that follows it (a lone payload gets an empty text)."""
    result: list[ReplyPart] = []
    for message in messages:
        text = message.get("text")
        custom = message.get("custom")
        payload = custom if isinstance(custom, Mapping) else None
        if isinstance(text, str):
            result.append(ReplyPart(text, bool(message.get("buttons")), payload))
        elif payload is not None:
            if result and result[-1].payload is None:
                last = result[-1]
                result[-1] = ReplyPart(last.text, last.has_buttons, payload)
            else:
                result.append(ReplyPart("", bool(message.get("buttons")), payload))
    return result


def payloads(messages: Sequence[Message]) -> list[Mapping[str, Any]]:
    """Every payload of the reply, in order."""
    return [m["custom"] for m in messages if isinstance(m.get("custom"), Mapping)]


def answer_type(payload: Mapping[str, Any]) -> str | None:
    value = payload.get(contract.ANSWER_TYPE)
    return value if isinstance(value, str) else None


def first_section(payload: Mapping[str, Any]) -> str | None:
    """The heading of the payload's first citation, if it has one."""
    citations = payload.get(contract.CITATIONS)
    if isinstance(citations, list) and citations and isinstance(citations[0], Mapping):
        section = citations[0].get("section")
        if isinstance(section, str) and section:
            return section
    return None


def outcome(messages: Sequence[Message]) -> str:
    """The outcome of one reply (rules 1-7 of the module docstring)."""
    found = payloads(messages)
    types = [answer_type(p) for p in found]
    if URGENT in types:
        return URGENT
    if PERSONAL_ADVICE in types:
        return PERSONAL_ADVICE
    if HUMAN_CONTACT in types:
        return HUMAN_CONTACT
    if types and types[0] in (contract.NOT_IN_SUMMARY, contract.OUT_OF_SCOPE):
        return OUT_OF_SCOPE
    for payload in found:
        section = first_section(payload)
        if section is not None:
            return section
    if FALLBACK in types and not any(m.get("buttons") for m in messages):
        return OUT_OF_SCOPE
    for kind in types:
        if kind in (FALLBACK, CLARIFY):
            return kind
    return NO_REPLY


def urgent_category(messages: Sequence[Message]) -> str | None:
    """The ``urgent_category`` of the first urgent payload, if any."""
    for payload in payloads(messages):
        if answer_type(payload) == URGENT:
            value = payload.get(contract.URGENT_CATEGORY)
            return str(value) if value is not None else None
    return None


def body(text: str) -> str:
    """``text`` without its citation block (everything from the first line starting a citation)."""
    kept: list[str] = []
    for line in text.splitlines():
        if line.lstrip().startswith(CITATION_STARTS):
            break
        kept.append(line)
    return "\n".join(kept).strip()


def reply_text(messages: Sequence[Message]) -> str:
    """All visible texts of the reply, joined by newlines (citations included)."""
    return "\n".join(p.text for p in parts(messages) if p.text)


def answer_body(messages: Sequence[Message]) -> str | None:
    """The bodies of the ``answer`` / ``not_in_summary`` messages joined by a blank line; ``None`` if none."""
    bodies = [body(p.text) for p in parts(messages) if p.answer_type in contract.BODY_ANSWER_TYPES]
    return "\n\n".join(b for b in bodies if b) if bodies else None


def normalise(text: str) -> str:
    """``text`` reduced to lowercase letters and digits (no spaces, punctuation, quotes, dashes or bullets)."""
    return "".join(ch for ch in text.lower() if ch.isalnum())


def passage_found(key_passage: str, messages: Sequence[Message]) -> bool:
    """Whether the key passage is in the reply, comparing letters and digits only."""
    return normalise(key_passage) in normalise(reply_text(messages))
