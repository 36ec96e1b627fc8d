"""The urgent reply without the action server: what a channel sends when the normal path fails.

When a message gets no complete reply (action server down or slow) or is answered before Rasa (it is in
another language: :func:`urgent_or`), the channel asks :func:`urgent_text` whether the message describes an
emergency. If it does, the family gets the urgent reply (built in this process from
``knowledge/safety/``) instead of "Sorry, I can't look that up right now": an emergency is never
answered with an apology. The safety detector is the one the NLU pipeline already loaded.
"""

from __future__ import annotations

import logging
from typing import Any

from actions import reply_contract as contract

logger = logging.getLogger(__name__)


def urgent_reply(text: str) -> tuple[str, dict[str, object]] | None:
    """(text, payload) of the urgent reply if ``text`` describes an emergency now, else None."""
    try:
        from actions.safety import assess
        from actions.safety_replies import urgent_reply as build

        found = assess(text)
        if not found.is_urgent:
            return None
        reply = build(found.urgent)
        return reply.text, reply.payload
    except Exception as failure:  # the safety net must not become the failure
        logger.error("safety net: could not check a message: %s", type(failure).__name__)
        return None


def urgent_or(recipient_id: str, text: str, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The urgent reply when ``text`` is an emergency, else ``messages`` (a reply made without Rasa)."""
    urgent = urgent_reply(text)
    if urgent is not None:
        return [{"recipient_id": recipient_id, "text": urgent[0]}, {"recipient_id": recipient_id, "custom": urgent[1]}]
    return messages


def fallback_messages(recipient_id: str, text: str, fallback_text: str, answer_type: str) -> list[dict[str, object]]:
    """The urgent reply when ``text`` is an emergency, else ``fallback_text`` with ``answer_type``."""
    urgent = urgent_reply(text)
    if urgent is not None:
        return [{"recipient_id": recipient_id, "text": urgent[0]}, {"recipient_id": recipient_id, "custom": urgent[1]}]
    return [
        {"recipient_id": recipient_id, "text": fallback_text},
        {"recipient_id": recipient_id, "custom": contract.payload(answer_type)},
    ]
