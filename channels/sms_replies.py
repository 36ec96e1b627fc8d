"""One bot reply as plain text messages for SMS and WhatsApp-through-Twilio, and a typed option mapped back.

A phone has no buttons and no links under a text, and long SMS arrive in pieces, sometimes out of order. So
a reply (the REST-shaped messages of one turn: ``text``, maybe ``buttons``, then the ``custom`` payload of the
reply contract) becomes :func:`sms_parts`:

- each text is split at sentence (then line, then word) boundaries into parts of at most :data:`PART_CHARS`
  characters (a phone screen or so; a single sentence longer than that is kept whole up to
  :data:`MESSAGE_LIMIT`, Twilio's limit for one message, and only then cut at words); parts of one reply are
  numbered "(1/3)" so that parts arriving out of order can still be read in order;
- when the payload cites sections, the text's own source paragraph ("Source: ..." / "Sources: ...") is
  replaced by one line per citation, ``Source: NCI, <section> <url>``, after the text;
- the options come last: the "Tell me more" button (payload ``/ask_more{...}``) as "Reply MORE for more.",
  every other button as "Reply 1 for <title>." (numbered in the order the bot sent them, see
  :func:`numbered_options`).

:func:`chosen_payload` maps what the user typed back ("1", "MORE", "more please" is NOT an option) to the
payload of the option with that number in the bot's last reply; anything else is ordinary text.
Pure functions, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from channels.reply_groups import reply_groups

PART_CHARS = 320  # a readable part: about one phone screen of an SMS app, two or three SMS segments
WHOLE_FACTOR = 1.25  # a text up to 400 characters stays one part: two parts of 200 read worse than one
SHORT_TAIL_FACTOR = 0.25  # a last part under 80 characters joins the part before it
MESSAGE_LIMIT = 1600  # Twilio: at most 1,600 characters in one message body (SMS and WhatsApp)
MORE_KEYWORD = "MORE"
MORE_PAYLOAD_PREFIX = "/ask_more"
SOURCE_PUBLISHER = "NCI"
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9•])")
_SOURCE_PARAGRAPH = re.compile(r"^Sources?:", re.IGNORECASE)


@dataclass(frozen=True)
class Option:
    """One choice of a reply: what the user types (``"1"`` or ``"MORE"``), the button's title and payload."""

    key: str
    title: str
    payload: str


def numbered_options(buttons: Iterable[Mapping[str, Any]]) -> list[Option]:
    """The reply's buttons as options: the first ``/ask_more`` button is ``MORE``, the others 1, 2, 3 … in order.

    Buttons without a title or a payload are skipped. Rendering and mapping back both use this, so the
    number a family reads is the number that is mapped back."""
    options: list[Option] = []
    number = 0
    has_more = False
    for button in buttons:
        title, payload = str(button.get("title") or "").strip(), str(button.get("payload") or "").strip()
        if not title or not payload:
            continue
        if payload.startswith(MORE_PAYLOAD_PREFIX) and not has_more:
            has_more = True
            options.append(Option(MORE_KEYWORD, title, payload))
            continue
        number += 1
        options.append(Option(str(number), title, payload))
    return options


def chosen_payload(text: str, options: Sequence[Option]) -> str | None:
    """The payload of the option the user typed ("1", " 2. ", "more", "MORE!"), or None when ``text`` is not
    one of the keys of ``options``."""
    key = text.strip().strip(".!#)").strip().upper()
    return next((option.payload for option in options if option.key == key), None)


def options_text(options: Sequence[Option]) -> str:
    """ "Reply MORE for more." then "Reply 1 for Symptoms of ALL." …, one per line ("" without options)."""
    lines = [f"Reply {MORE_KEYWORD} for more." for o in options if o.key == MORE_KEYWORD]
    lines += [f"Reply {o.key} for {o.title}." for o in options if o.key != MORE_KEYWORD]
    return "\n".join(lines)


def source_lines(citations: Iterable[Mapping[str, Any]]) -> str:
    """ "Source: NCI, <section> <url>", one line per cited section."""
    return "\n".join(
        f"Source: {SOURCE_PUBLISHER}, {c.get('section', '')} {c.get('url', '')}".strip() for c in citations
    )


def without_source_paragraph(text: str) -> str:
    """``text`` without its trailing source paragraph(s) ("Source: …" / "Sources: …", as the bot writes them)."""
    paragraphs = text.strip().split("\n\n")
    while len(paragraphs) > 1 and _SOURCE_PARAGRAPH.match(paragraphs[-1].strip()):
        paragraphs.pop()
    return "\n\n".join(paragraphs).strip()


def _units(text: str) -> list[tuple[str, str]]:
    """(separator before it, piece): sentences, with the line or paragraph break that comes before each."""
    units: list[tuple[str, str]] = []
    for p, paragraph in enumerate(text.strip().split("\n\n")):
        for n, line in enumerate(paragraph.strip().split("\n")):
            for s, sentence in enumerate(_SENTENCE_END.split(line.strip())):
                if not sentence.strip():
                    continue
                separator = " " if s else ("\n" if n else ("\n\n" if p else ""))
                units.append((separator, sentence.strip()))
    return units


def _cut_words(text: str, limit: int) -> list[str]:
    """``text`` in pieces of at most ``limit`` characters, cut between words (inside a word only if it is longer)."""
    pieces: list[str] = []
    current = ""
    for word in text.split(" "):
        while len(word) > limit:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(word[:limit])
            word = word[limit:]
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= limit:
            current = candidate
        else:
            pieces.append(current)
            current = word
    if current:
        pieces.append(current)
    return pieces


def split_text(text: str, part_chars: int = PART_CHARS, limit: int = MESSAGE_LIMIT) -> list[str]:
    """``text`` in parts of at most ``part_chars`` characters, split between sentences (a longer sentence is one
    part of at most ``limit``, cut between words only beyond that). Nothing is dropped but the whitespace at
    the split points."""
    text = text.strip()
    if len(text) <= part_chars * WHOLE_FACTOR:
        return [text] if text else []
    parts: list[str] = []
    current = ""
    tail_separator = ""  # what came before the first piece of ``current`` in the text
    for separator, unit in _units(text):
        pieces = [unit] if len(unit) <= limit else _cut_words(unit, limit)
        for index, piece in enumerate(pieces):
            joiner = separator if index == 0 else " "
            if not current:
                current, tail_separator = piece, joiner
            elif len(current) + len(joiner) + len(piece) <= part_chars:
                current = f"{current}{joiner}{piece}"
            else:
                parts.append(current)
                current, tail_separator = piece, joiner
            if len(current) > part_chars:  # a long sentence: a part of its own
                parts.append(current)
                current = ""
    if current:
        short = len(current) < part_chars * SHORT_TAIL_FACTOR
        if parts and short and len(parts[-1]) + len(tail_separator) + len(current) <= limit:
            parts[-1] = f"{parts[-1]}{tail_separator or ' '}{current}"
        else:
            parts.append(current)
    return parts


def reply_options(messages: Sequence[Mapping[str, Any]]) -> list[Option]:
    """The options of a whole reply (the buttons of all its messages, in order)."""
    return numbered_options(b for m in messages for b in (m.get("buttons") or []))


def sms_parts(
    messages: Sequence[Mapping[str, Any]], part_chars: int = PART_CHARS, limit: int = MESSAGE_LIMIT
) -> list[str]:
    """The message bodies to send for one reply (see the module docstring), each at most ``limit`` characters.

    The urgent reply comes first and is never split below ``limit`` (it must arrive whole)."""
    bodies: list[str] = []
    for group in reply_groups(messages):
        text = "\n\n".join(t.strip() for t in group.texts)
        if group.citations:
            text = without_source_paragraph(text)
        parts = split_text(text, limit if group.urgent else part_chars, limit)
        if len(parts) > 1:
            parts = [f"({n}/{len(parts)}) {part}"[:limit] for n, part in enumerate(parts, 1)]
        source = source_lines(group.citations)
        if source:
            if parts and len(parts[-1]) + 2 + len(source) <= limit:
                parts[-1] = f"{parts[-1]}\n\n{source}"
            else:
                parts.extend(_cut_words(source, limit))
        bodies.extend(parts)
    prompt = options_text(reply_options(messages))
    if prompt:
        if bodies and len(bodies[-1]) + 2 + len(prompt) <= limit:
            bodies[-1] = f"{bodies[-1]}\n\n{prompt}"
        else:
            bodies.append(prompt)
    return bodies
