"""A turn whose custom action fails leaves the conversation able to continue, within a bounded time.

Rasa 3.6 (``rasa/core/processor.py``) handles a failed call to the action server by logging the action as
executed without its events and predicting on. Three consequences, reproduced with the action server
down or hung (issue 17, items 1 and 3):

1. **A failed ``action_session_start`` leaves a conversation without a session.** Our session start is a
   custom action (it sends the disclaimer), so its events — ``SessionStarted`` and the
   ``action_listen`` that lets the policies read the next user message — are lost. No rule matches a user
   message that does not follow ``action_listen``, so the policies predict the core fallback action ten
   times in a row until the action-loop limit ("circuit breaker") trips.
2. **A tripped circuit breaker never resets.** ``is_action_limit_reached`` counts the actions since the
   last ``action_listen``, and the breaker logs none, so every later message of the conversation —
   ``/restart`` included — trips it at once: the conversation is stuck until its session expires.
3. **A hung action server is waited for once per predicted action**, each time for the full action timeout:
   eleven times for a new conversation (the session start, then the ten fallbacks), so the REST channel's
   60 s response timeout expired first.

The fixes, each at its root:

- :func:`run_remote_action` gives the action server at most one action timeout per message in all (the
  budget starts when the message is handled, after it waited for its conversation's lock), and starts the
  session locally when the remote ``action_session_start`` fails: the disclaimer (our session start's only
  response, :data:`actions.session_actions.DISCLAIMER_RESPONSE`) rendered from the domain, then the events
  of Rasa's own ``ActionSessionStart``. The conversation then starts exactly as if the action server had
  answered.
- :func:`handle_message_with_tracker` restores the invariant that every user message is read after
  ``action_listen`` (Rasa keeps it on every other path): a conversation whose last turn ended without
  listening (a tripped breaker, or a conversation stored by a server without this fix) gets the missing
  ``action_listen`` before the new message, so the action-loop count starts afresh and the policies see
  the state they were trained on. Paused conversations are left as they are (Rasa deliberately does not
  listen there).

The budget is ``rasa.core.actions.action.DEFAULT_REQUEST_TIMEOUT``, the per-call timeout our channels set
from ``ACTION_TIMEOUT`` at start (:mod:`rasa_patches.action_timeout`), read when each message starts.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import rasa.core.actions.action as rasa_actions
from rasa.core.actions.action import ActionBotResponse, ActionExecutionRejection, ActionSessionStart, RemoteAction
from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.nlg import NaturalLanguageGenerator
from rasa.core.processor import MessageProcessor
from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException

from actions.session_actions import DISCLAIMER_RESPONSE
from rasa_patches.versions import written_for

logger = logging.getLogger(__name__)

# When the message being handled in this task must have its answer (monotonic clock); None outside a message.
_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar("action_deadline", default=None)

# Rasa's own methods (Rasa ships no type information: these annotations are the signatures its source has).
_original_run: Callable[..., Awaitable[list[Event]]] = RemoteAction.run
_original_handle_message = MessageProcessor.handle_message
_original_handle_message_with_tracker = MessageProcessor._handle_message_with_tracker


class ActionBudgetSpent(RasaException):
    """This message already waited its whole action timeout for the action server; no further call is made."""


def remaining_budget() -> float | None:
    """Seconds the current message may still wait for the action server (None: not inside a message)."""
    deadline = _deadline.get()
    return None if deadline is None else deadline - time.monotonic()


async def handle_message(self: MessageProcessor, message: UserMessage) -> Any:
    """Rasa's ``MessageProcessor.handle_message`` with this message's action-server budget started."""
    token = _deadline.set(time.monotonic() + float(rasa_actions.DEFAULT_REQUEST_TIMEOUT))
    try:
        return await _original_handle_message(self, message)
    finally:
        _deadline.reset(token)


async def local_session_start(
    output_channel: OutputChannel, nlg: NaturalLanguageGenerator, tracker: DialogueStateTracker, domain: Domain
) -> list[Event]:
    """What our ``action_session_start`` returns, made here: the disclaimer, then Rasa's session-start events."""
    disclaimer = await ActionBotResponse(DISCLAIMER_RESPONSE, silent_fail=True).run(
        output_channel, nlg, tracker, domain
    )
    return [*disclaimer, *await ActionSessionStart().run(output_channel, nlg, tracker, domain)]


async def run_remote_action(
    self: RemoteAction,
    output_channel: OutputChannel,
    nlg: NaturalLanguageGenerator,
    tracker: DialogueStateTracker,
    domain: Domain,
) -> list[Event]:
    """Rasa's ``RemoteAction.run`` within the message's budget; a failed session start is made locally."""
    remaining = remaining_budget()
    try:
        if remaining is None:
            return await _original_run(self, output_channel, nlg, tracker, domain)
        if remaining <= 0:
            raise ActionBudgetSpent(f"no time left to run '{self.name()}'")
        return await asyncio.wait_for(_original_run(self, output_channel, nlg, tracker, domain), remaining)
    except ActionExecutionRejection:
        raise
    except Exception as failure:
        if self.name() != ACTION_SESSION_START_NAME:
            logger.error("action %s failed: %s", self.name(), type(failure).__name__)
            raise
        logger.error("action %s failed: %s; session started locally", self.name(), type(failure).__name__)
        return await local_session_start(output_channel, nlg, tracker, domain)


async def handle_message_with_tracker(
    self: MessageProcessor, message: UserMessage, tracker: DialogueStateTracker
) -> None:
    """Rasa's ``_handle_message_with_tracker``, after the ``action_listen`` a broken turn failed to log."""
    latest = tracker.latest_action_name
    if latest is not None and latest != ACTION_LISTEN_NAME and not tracker.is_paused():
        logger.warning("conversation resumed after a turn that ended without listening (last action: %s)", latest)
        tracker.update(ActionExecuted(ACTION_LISTEN_NAME), self.domain)
    await _original_handle_message_with_tracker(self, message, tracker)


_PATCHES: list[tuple[type, str, Callable[..., Awaitable[Any]]]] = [
    (RemoteAction, "run", run_remote_action),
    (MessageProcessor, "handle_message", handle_message),
    (MessageProcessor, "_handle_message_with_tracker", handle_message_with_tracker),
]


def install() -> bool:
    """Install the fixes (idempotent); False, changing nothing, on a Rasa other than 3.6."""
    if not written_for("rasa", "3.6.", "failed-turn fixes"):
        return False
    for owner, name, replacement in _PATCHES:
        setattr(owner, name, replacement)
    return True


def active() -> bool:
    """Whether all three methods are this module's."""
    return all(getattr(owner, name) is replacement for owner, name, replacement in _PATCHES)
