"""One bot reply as WhatsApp Cloud API messages: text, reply buttons or a list, and button ids mapped back.

:func:`whatsapp_messages` turns the REST-shaped messages of one turn into the ``messages`` objects of the
Graph API (without ``to``), in the order of :func:`channels.reply_groups.reply_groups` (the urgent reply
first):

- a text is a ``text`` message (split at :data:`TEXT_LIMIT` between sentences), without link previews; it
  carries its citation as the bot wrote it (source line with the link). When a payload cites a section whose
  link is not in the text, "Source: NCI, <section> <url>" follows as a text of its own;
- a text with buttons is an ``interactive`` message: up to :data:`MAX_BUTTONS` reply buttons (titles of at
  most :data:`BUTTON_TITLE_LIMIT` characters, :func:`shorten`), or a list message for more options (at most
  :data:`MAX_ROWS` rows, titles of at most :data:`ROW_TITLE_LIMIT`, the full title as the row's description when
  it had to be shortened). A text longer than an interactive body (:data:`BODY_LIMIT`) is sent as text first,
  and the options follow under :data:`OPTIONS_PROMPT`;
- the reply-contract payload itself is never sent;
- answer feedback (issue 19, :mod:`actions.reply_contract` "Answer feedback"): when a reply's payload asks for it
  (:func:`actions.reply_contract.wants_feedback`), :func:`feedback_message` follows that reply's messages: a short
  interactive message of its own, :data:`FEEDBACK_PROMPT` with 👍 / 👎 (:data:`RATING_TITLES`), so the answer keeps
  its citation as text and its own options (up to 3 buttons or a list) and the two never compete for WhatsApp's 3
  reply buttons. At most one per turn (the last reply that asks: a personal-advice turn is rated once), and none in
  a turn with an urgent reply: after an emergency the family must act, not rate. The reasons offered after 👎 get
  the titles of :data:`REASON_TITLES` (the bot's own reason labels are longer than a reply button's 20 characters).

A button's id is its payload when that fits (:data:`ID_LIMIT`), else ``h:`` and 32 hex digits of the payload's
SHA-256 (:func:`button_id`), resolved against the buttons the bot sent the conversation
(:func:`payload_for_id`): any payload works, however long (feedback payloads with JSON included).
Pure functions, no I/O.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from actions import reply_contract as contract
from channels import input_guard
from channels.reply_groups import Group, reply_groups
from channels.sms_replies import source_lines, split_text

TEXT_LIMIT = 4096  # a text message body
BODY_LIMIT = 1024  # the body of an interactive message
MAX_BUTTONS = 3
BUTTON_TITLE_LIMIT = 20
MAX_ROWS = 10
ROW_TITLE_LIMIT = 24
ROW_DESCRIPTION_LIMIT = 72
ID_LIMIT = 200  # list row ids: at most 200 characters (reply button ids: 256)
LIST_BUTTON = "Choose a topic"  # the list message's button (at most 20 characters)
LIST_SECTION_TITLE = "Read next"  # at most 24 characters
OPTIONS_PROMPT = "What would you like to read next?"
HASH_PREFIX = "h:"
ELLIPSIS = "…"
FEEDBACK_PROMPT = "Did this answer help?"
RATING_TITLES = {"up": "👍 Yes", "down": "👎 No"}  # keys: contract.RATINGS
# The reasons after 👎 as reply-button titles (at most 20 characters); keys: contract.REASONS.
REASON_TITLES = {
    "didnt_answer": "Didn't answer",
    "hard_to_understand": "Hard to understand",
    "wrong_topic": "Wrong topic",
}

# Shortening, applied in order until a title fits; each keeps the meaning in a chat about childhood ALL.
_STEPS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\s*\([^)]*\)"), ""),  # "Lumbar puncture (spinal tap)"
    (re.compile(r"^Treatment of\b"), "Treating"),
    (re.compile(r"\s+(?:of|for|with|in|and)\s+(?:children\s+with\s+)?(?:childhood\s+)?ALL\b|\s+ALL$"), ""),
    (re.compile(r"\s+and\s+"), " & "),
    (re.compile(r"\b(?:This|the|a|an|your)\s+", re.IGNORECASE), ""),
    (re.compile(r"\b(?:children|adolescents) with\s+|\bchildhood\s+"), ""),
)


def compact(title: str, limit: int) -> str | None:
    """``title`` in at most ``limit`` characters with its meaning kept, or None when that takes cutting words:
    parentheses dropped, "Treatment of" -> "Treating", "… of ALL" dropped (every topic is about ALL), "and" ->
    "&", then filler words."""
    shorter = " ".join(title.split())
    for pattern, replacement in (None, ""), *_STEPS:
        if pattern is not None:
            candidate = " ".join(pattern.sub(replacement, shorter).split())
            shorter = candidate[:1].upper() + candidate[1:] if candidate else shorter
        if len(shorter) <= limit:
            return shorter
    return None


def shorten(title: str, limit: int) -> str:
    """:func:`compact`, or when that is not enough the compacted title cut after a word, with "…"."""
    fitting = compact(title, limit)
    if fitting is not None:
        return fitting
    shorter = " ".join(title.split())
    for pattern, replacement in _STEPS:
        candidate = " ".join(pattern.sub(replacement, shorter).split())
        shorter = candidate[:1].upper() + candidate[1:] if candidate else shorter
    cut = ""
    for word in shorter.split(" "):
        if len(f"{cut} {word}".strip()) + len(ELLIPSIS) > limit:
            break
        cut = f"{cut} {word}".strip()
    cut = cut.rstrip(",;:-–&").rstrip() or shorter[: limit - len(ELLIPSIS)]
    return cut + ELLIPSIS


def button_id(payload: str) -> str:
    """The id a button or list row carries for ``payload``: the payload itself when it fits and cannot be taken
    for a hash, else ``h:<32 hex digits of its SHA-256>``."""
    if len(payload) <= ID_LIMIT and not payload.startswith(HASH_PREFIX) and payload == payload.strip():
        return payload
    return HASH_PREFIX + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


def payload_for_id(reply_id: str, sent_payloads: Iterable[str]) -> str | None:
    """The payload behind a tapped button's id: the id itself, or for a hash id the first of ``sent_payloads``
    (the payloads of the buttons the bot sent, most recent first) with that hash; None if none has it."""
    if not reply_id.startswith(HASH_PREFIX):
        return reply_id or None
    return next((p for p in sent_payloads if button_id(p) == reply_id), None)


def feedback_reason(payload: str) -> str | None:
    """The reason of an answer-feedback payload with one of :data:`REASON_TITLES`' reasons, else None."""
    entities = input_guard.feedback_entities(payload)
    reason = entities.get(contract.REASON) if entities is not None else None
    return reason if reason in REASON_TITLES else None


def _options(buttons: Sequence[Mapping[str, Any]]) -> list[tuple[str, str]]:
    """(title, payload) of the buttons that have both, the first of each payload only; a feedback reason gets its
    WhatsApp title (:data:`REASON_TITLES`)."""
    seen: set[str] = set()
    options = []
    for button in buttons:
        title, payload = str(button.get("title") or "").strip(), str(button.get("payload") or "").strip()
        if title and payload and payload not in seen:
            seen.add(payload)
            reason = feedback_reason(payload)
            options.append((REASON_TITLES[reason] if reason else title, payload))
    return options


def _unique(titles: list[str], limit: int) -> list[str]:
    """WhatsApp refuses two buttons with the same title: number the repeats ("Treating…", "Treating… 2")."""
    result: list[str] = []
    for title in titles:
        candidate, n = title, 1
        while candidate in result:
            n += 1
            suffix = f" {n}"
            candidate = title[: limit - len(suffix)].rstrip() + suffix
        result.append(candidate)
    return result


def interactive(body: str, buttons: Sequence[Mapping[str, Any]]) -> dict[str, Any] | None:
    """The reply-buttons (up to 3 options) or list (more) message for ``body`` (at most :data:`BODY_LIMIT`)."""
    options = _options(buttons)[:MAX_ROWS]
    if not options:
        return None
    compacted = [compact(t, BUTTON_TITLE_LIMIT) for t, _ in options]
    if len(options) <= MAX_BUTTONS and all(compacted):
        titles = _unique([str(t) for t in compacted], BUTTON_TITLE_LIMIT)
        action: dict[str, Any] = {
            "buttons": [
                {"type": "reply", "reply": {"id": button_id(payload), "title": title}}
                for title, (_, payload) in zip(titles, options, strict=True)
            ]
        }
        kind = "button"
    else:
        titles = _unique([shorten(t, ROW_TITLE_LIMIT) for t, _ in options], ROW_TITLE_LIMIT)
        rows = []
        for title, (full, payload) in zip(titles, options, strict=True):
            row = {"id": button_id(payload), "title": title}
            if title != full:
                row["description"] = shorten(full, ROW_DESCRIPTION_LIMIT)
            rows.append(row)
        action = {"button": LIST_BUTTON, "sections": [{"title": LIST_SECTION_TITLE, "rows": rows}]}
        kind = "list"
    return {"type": "interactive", "interactive": {"type": kind, "body": {"text": body}, "action": action}}


def text_message(body: str) -> dict[str, Any]:
    return {"type": "text", "text": {"body": body, "preview_url": False}}


def feedback_message(answer_id: str) -> dict[str, Any]:
    """:data:`FEEDBACK_PROMPT` with 👍 / 👎 reply buttons for the reply ``answer_id``. The ids are the feedback
    payloads themselves (about 50 characters, well within :data:`ID_LIMIT`): a tap maps back without a lookup."""
    buttons = [
        {"type": "reply", "reply": {"id": button_id(contract.feedback_payload(answer_id, rating)), "title": title}}
        for rating, title in RATING_TITLES.items()
    ]
    return {
        "type": "interactive",
        "interactive": {"type": "button", "body": {"text": FEEDBACK_PROMPT}, "action": {"buttons": buttons}},
    }


def _rated(groups: Sequence[Group]) -> int | None:
    """The index of the group to put 👍 / 👎 under: the last one that shows something and whose payload asks for
    feedback; None in a turn with an urgent reply."""
    if any(g.urgent for g in groups):
        return None
    for index in range(len(groups) - 1, -1, -1):
        payload = groups[index].payload
        if payload is not None and contract.wants_feedback(payload) and (groups[index].texts or groups[index].buttons):
            return index
    return None


def _group_messages(group: Group) -> list[dict[str, Any]]:
    text = "\n\n".join(t.strip() for t in group.texts)
    missing = [c for c in group.citations if str(c.get("url", "")) not in text]
    if missing:
        text = f"{text}\n\n{source_lines(missing)}".strip()
    with_options = interactive(text, group.buttons) if group.buttons and len(text) <= BODY_LIMIT else None
    if with_options is not None and text:
        return [with_options]
    out = [text_message(part) for part in split_text(text, TEXT_LIMIT, TEXT_LIMIT)]
    options = interactive(OPTIONS_PROMPT, group.buttons)
    if options is not None:
        out.append(options)
    return out


def whatsapp_messages(messages: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The Graph API message objects for one reply (see the module docstring)."""
    groups = reply_groups(messages)
    rated = _rated(groups)
    out: list[dict[str, Any]] = []
    for index, group in enumerate(groups):
        out.extend(_group_messages(group))
        if index == rated and group.payload is not None:
            out.append(feedback_message(str(group.payload[contract.ANSWER_ID])))
    return out
