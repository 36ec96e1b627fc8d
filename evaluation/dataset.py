"""Evaluation files: JSON lines of questions or of conversations, read into typed items.

Contract:

- A *question file* has one object a line: ``{"question": str, "accept": [str, ...]}`` plus the optional
  ``key_passage`` (str), ``category`` (the urgent category), ``kind`` (near-miss or personal-advice kind),
  ``style`` (str), ``keyword`` (bool), ``gap`` (bool) and ``id``. Other fields (``source`` ...) are ignored.
- A *conversation file* has one conversation a line: ``{"id", "turns": [{"user": str, "accept": [str, ...],
  optional "key_passage", optional "category"}, ...]}`` and an optional ``kind`` (a list of str, or one str).
- A file is a conversation file when its first object has ``turns``; every later line must then be one too.
- Blank lines are skipped. Anything else that does not fit (unreadable file, invalid JSON, missing or
  mistyped field, no items at all) raises :class:`EvalFileError` whose message names the file and line.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class EvalFileError(Exception):
    """An evaluation file that cannot be read or does not follow the format above."""


@dataclass(frozen=True)
class Expectation:
    """What counts as right for one user message: accepted outcomes, the passage to find, the urgent category."""

    accept: tuple[str, ...]
    key_passage: str | None = None
    category: str | None = None


@dataclass(frozen=True)
class Question:
    """One single-turn question (asked with a fresh sender)."""

    question: str
    expectation: Expectation
    id: str | None = None
    kind: str | None = None
    style: str | None = None
    keyword: bool | None = None
    gap: bool | None = None


@dataclass(frozen=True)
class ConversationTurn:
    """One user message of a conversation and what counts as right for it."""

    user: str
    expectation: Expectation


@dataclass(frozen=True)
class Conversation:
    """Several turns sent by one sender, in order."""

    id: str
    turns: tuple[ConversationTurn, ...]
    kinds: tuple[str, ...] = ()


@dataclass(frozen=True)
class QuestionFile:
    """A file of single-turn questions."""

    path: Path
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class ConversationFile:
    """A file of multi-turn conversations."""

    path: Path
    conversations: tuple[Conversation, ...]


EvalFile = QuestionFile | ConversationFile


def _text(obj: Mapping[str, Any], key: str, where: str) -> str:
    value = obj.get(key)
    if not isinstance(value, str) or not value.strip():
        raise EvalFileError(f"{where}: {key!r} must be a non-empty string")
    return value


def _optional_text(obj: Mapping[str, Any], key: str, where: str) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise EvalFileError(f"{where}: {key!r} must be a string")
    return str(value)


def _optional_bool(obj: Mapping[str, Any], key: str, where: str) -> bool | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, bool):
        raise EvalFileError(f"{where}: {key!r} must be true or false")
    return value


def _expectation(obj: Mapping[str, Any], where: str) -> Expectation:
    accept = obj.get("accept")
    if not isinstance(accept, list) or not accept or not all(isinstance(a, str) and a for a in accept):
        raise EvalFileError(f"{where}: 'accept' must be a non-empty list of strings")
    key_passage = _optional_text(obj, "key_passage", where)
    if key_passage is not None and not any(ch.isalnum() for ch in key_passage):
        raise EvalFileError(f"{where}: 'key_passage' has no letters or digits")
    return Expectation(tuple(accept), key_passage, _optional_text(obj, "category", where))


def parse_question(obj: Mapping[str, Any], where: str = "question") -> Question:
    """One question object; ``where`` (file:line) prefixes any :class:`EvalFileError` message."""
    return Question(
        question=_text(obj, "question", where),
        expectation=_expectation(obj, where),
        id=_optional_text(obj, "id", where),
        kind=_optional_text(obj, "kind", where),
        style=_optional_text(obj, "style", where),
        keyword=_optional_bool(obj, "keyword", where),
        gap=_optional_bool(obj, "gap", where),
    )


def parse_conversation(obj: Mapping[str, Any], where: str = "conversation") -> Conversation:
    """One conversation object; ``where`` (file:line) prefixes any :class:`EvalFileError` message."""
    turns = obj.get("turns")
    if not isinstance(turns, list) or not turns:
        raise EvalFileError(f"{where}: 'turns' must be a non-empty list")
    parsed = []
    for i, turn in enumerate(turns):
        turn_where = f"{where} turn {i}"
        if not isinstance(turn, dict):
            raise EvalFileError(f"{turn_where}: a turn must be an object")
        parsed.append(ConversationTurn(_text(turn, "user", turn_where), _expectation(turn, turn_where)))
    kind = obj.get("kind")
    if kind is None:
        kinds: tuple[str, ...] = ()
    elif isinstance(kind, str):
        kinds = (kind,)
    elif isinstance(kind, list) and all(isinstance(k, str) for k in kind):
        kinds = tuple(kind)
    else:
        raise EvalFileError(f"{where}: 'kind' must be a string or a list of strings")
    return Conversation(_optional_text(obj, "id", where) or where, tuple(parsed), kinds)


def load_eval_file(path: Path) -> EvalFile:
    """Read ``path`` into a :class:`QuestionFile` or a :class:`ConversationFile` (see the module contract)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise EvalFileError(f"{path}: cannot read: {exc}") from exc
    objects: list[tuple[str, dict[str, Any]]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EvalFileError(f"{where}: invalid JSON: {exc}") from exc
        if not isinstance(obj, dict):
            raise EvalFileError(f"{where}: each line must be a JSON object")
        objects.append((where, obj))
    if not objects:
        raise EvalFileError(f"{path}: holds no questions or conversations")
    if "turns" in objects[0][1]:
        return ConversationFile(path, tuple(parse_conversation(obj, where) for where, obj in objects))
    return QuestionFile(path, tuple(parse_question(obj, where) for where, obj in objects))
