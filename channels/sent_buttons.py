"""The buttons the bot sent a conversation, read back from its tracker: what a typed "1" or a tapped WhatsApp
button id stands for.

SMS has no buttons (a family types the number of an option) and WhatsApp button ids are limited in length,
so those channels map what comes back to a payload through the conversation's stored ``BotUttered`` events
(their ``buttons``), not through memory of this process: the mapping survives restarts and works on every
Rasa server that shares the tracker store.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rasa.shared.core.events import BotUttered, UserUttered


async def _events(agent: Any, sender_id: str) -> list[Any]:
    if agent is None or getattr(agent, "tracker_store", None) is None:
        return []
    tracker = await agent.tracker_store.retrieve(sender_id)  # the current session only
    return list(tracker.events) if tracker is not None else []


def _buttons(event: BotUttered) -> list[Mapping[str, Any]]:
    return [b for b in (event.data or {}).get("buttons") or [] if isinstance(b, Mapping)]


async def last_reply_buttons(agent: Any, sender_id: str) -> list[Mapping[str, Any]]:
    """The buttons of the bot's last reply (every ``BotUttered`` after the last user message), in order."""
    events = await _events(agent, sender_id)
    since = next((i + 1 for i in range(len(events) - 1, -1, -1) if isinstance(events[i], UserUttered)), 0)
    return [b for e in events[since:] if isinstance(e, BotUttered) for b in _buttons(e)]


async def session_button_payloads(agent: Any, sender_id: str) -> list[str]:
    """The payloads of every button the bot sent in the current session, the most recent first."""
    events = await _events(agent, sender_id)
    bot_events = [e for e in reversed(events) if isinstance(e, BotUttered)]
    return [str(b["payload"]) for e in bot_events for b in _buttons(e) if b.get("payload")]
