"""A bot reply cut at its reply-contract payloads, with the urgent reply moved first: what the messaging
channels (SMS, WhatsApp) render.

Rasa hands a channel the REST-shaped messages of one turn: ``text`` (maybe with ``buttons``) and ``custom``
payloads (:mod:`actions.reply_contract`). Each payload ends a :class:`Group` of the messages sent before it
(the session-start disclaimer is one group, the answer another; a personal-advice reply is two). Channels that
cannot show a reply as it streams (one SMS at a time, arriving in any order) send the ``urgent`` group first:
an emergency is answered before anything else, the disclaimer included.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from actions import reply_contract as contract


@dataclass(frozen=True)
class Group:
    """The texts and buttons sent before one payload (``payload`` None: trailing messages without one)."""

    texts: tuple[str, ...] = ()
    buttons: tuple[Mapping[str, Any], ...] = ()
    payload: Mapping[str, Any] | None = None
    messages: tuple[Mapping[str, Any], ...] = field(default=(), repr=False)

    @property
    def citations(self) -> list[Mapping[str, Any]]:
        citations = (self.payload or {}).get(contract.CITATIONS) or []
        return [c for c in citations if isinstance(c, Mapping)]

    @property
    def urgent(self) -> bool:
        return (self.payload or {}).get(contract.ANSWER_TYPE) == contract.URGENT


def reply_groups(messages: Sequence[Mapping[str, Any]]) -> list[Group]:
    """The groups of a reply in the order they should be shown: ``urgent`` ones first, the rest as sent."""
    groups: list[Group] = []
    current: list[Mapping[str, Any]] = []
    for message in messages:
        current.append(message)
        custom = message.get("custom")
        if isinstance(custom, Mapping):
            groups.append(_group(current, custom))
            current = []
    if current:
        groups.append(_group(current, None))
    return [g for g in groups if g.urgent] + [g for g in groups if not g.urgent]


def _group(messages: list[Mapping[str, Any]], payload: Mapping[str, Any] | None) -> Group:
    texts = tuple(str(m["text"]) for m in messages if isinstance(m.get("text"), str) and m["text"].strip())
    buttons = tuple(b for m in messages for b in (m.get("buttons") or []) if isinstance(b, Mapping))
    return Group(texts, buttons, payload, tuple(messages))
