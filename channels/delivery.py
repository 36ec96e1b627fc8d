"""One turn per client message id: a resent question is answered from the tracker, never handled twice.

The widget and the kiosk give every question a random message id and resend it until the server
acknowledges it (after a reconnect, a server restart, or when the parent presses Retry). Rasa stores the id
on the question's ``UserUttered`` event (``UserMessage.message_id``). :func:`handle_once` checks for that
event under the conversation's lock, the same lock Rasa takes for every message, in the same tracker store:
so a resend is recognised even when it reaches another Rasa server sharing PostgreSQL and Redis, or while
the first copy is still being handled (the resend waits for the lock, then finds the stored question). A
recognised resend is answered with the bot messages stored after that question, not handled again.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.shared.core.constants import ACTION_SESSION_START_NAME
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

MESSAGE_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")


class Outcome(Enum):
    HANDLED = "handled"  # a new question, handled by Rasa and stored
    DUPLICATE = "duplicate"  # already stored: its replies were sent again


def valid_message_id(value: Any) -> bool:
    """8-64 characters of ``A-Z a-z 0-9 _ -`` (the widget and the kiosk send 32 hex characters)."""
    return isinstance(value, str) and MESSAGE_ID.fullmatch(value) is not None


def stored_replies(tracker: DialogueStateTracker, message_id: str) -> list[dict[str, Any]] | None:
    """The bot messages the question ``message_id`` got, in the order they were sent, or None when the tracker
    holds no question with that id.

    They are the bot messages after it up to the next question, preceded by those of the conversation start
    (the disclaimer) when the question opened a new session: Rasa runs ``action_session_start`` before it.
    """
    events = list(tracker.events)
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        if isinstance(event, UserUttered) and event.message_id == message_id:
            return [*session_start_replies(events[:index]), *bot_messages(events[index + 1 :])]
    return None


def session_start_replies(before: list[Any]) -> list[dict[str, Any]]:
    """The bot messages of the last ``action_session_start`` in ``before``, if no question came after it."""
    for index in range(len(before) - 1, -1, -1):
        event = before[index]
        if isinstance(event, UserUttered):
            return []
        if isinstance(event, ActionExecuted) and event.action_name == ACTION_SESSION_START_NAME:
            return bot_messages(before[index + 1 :])
    return []


def bot_messages(events: list[Any]) -> list[dict[str, Any]]:
    """The messages of the ``BotUttered`` events up to the first question."""
    messages: list[dict[str, Any]] = []
    for event in events:
        if isinstance(event, UserUttered):
            break
        if isinstance(event, BotUttered):
            messages.append(event.message())
    return messages


async def handle_once(agent: Any, message: UserMessage, output: OutputChannel) -> Outcome:
    """Handle ``message`` (which carries its client's ``message_id``) unless its conversation already holds it.

    Raises what Rasa raises, including :class:`stores.errors.TrackerStoreUnavailable` when the tracker
    store cannot read or keep the turn.
    """
    async with agent.lock_store.lock(message.sender_id):
        tracker = await agent.tracker_store.retrieve(message.sender_id)  # the current session only: cheap
        replies = stored_replies(tracker, message.message_id) if tracker is not None else None
        if replies is not None:
            # A resend (rare): the whole conversation, so the replies include a session start stored before it.
            full = await agent.tracker_store.retrieve_full_tracker(message.sender_id)
            replies = (stored_replies(full, message.message_id) if full is not None else None) or replies
            for reply in replies:
                await output.send_response(message.sender_id, dict(reply))
            return Outcome.DUPLICATE
        await agent.processor.handle_message(message)
        return Outcome.HANDLED
