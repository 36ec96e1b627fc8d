"""Every bot message the Rasa server records gets an ``answer_id`` in its reply payload (issue 19).

The answer-feedback buttons under a reply send its ``answer_id`` back (``actions.reply_contract``, "Answer
feedback"), and ``action_record_feedback`` finds the rated reply by it in the conversation's events. Rasa 3.6
builds every ``BotUttered`` event in one function, ``rasa.core.actions.action.create_bot_utterance`` (for a
custom action's messages, a rule's ``utter_*`` response, the local session start of
:mod:`rasa_patches.failed_turns`), and the output channels send what that event holds, so stamping the id
there gives the stored reply and the sent one the same id, whichever path made the reply.

The replacement calls Rasa's function and then adds ``answer_id`` (``secrets.token_hex(6)``: 12 hex digits, 48
random bits, so two replies of one conversation share an id with a probability below 1e-9 even after thousands
of replies) to a ``custom`` payload that has an ``answer_type`` and no ``answer_id`` yet. Other messages (text
parts, buttons) are returned unchanged. The id is random rather than counted from the tracker because Rasa
builds the event without the tracker, and a count would restart with each session of a conversation.
"""

from __future__ import annotations

import secrets
from typing import Any

import rasa.core.actions.action as rasa_action
from rasa.shared.core.events import BotUttered

from actions import reply_contract as contract
from rasa_patches.versions import written_for

_original = rasa_action.create_bot_utterance


def new_answer_id() -> str:
    """A fresh answer id (matches :data:`actions.reply_contract.ANSWER_ID_PATTERN`)."""
    return secrets.token_hex(6)


def create_bot_utterance(message: dict[str, Any]) -> BotUttered:
    """Rasa's ``create_bot_utterance``, with an ``answer_id`` added to a reply payload that has an answer type."""
    event = _original(message)
    custom = event.data.get("custom")
    if isinstance(custom, dict) and contract.ANSWER_TYPE in custom and contract.ANSWER_ID not in custom:
        event.data["custom"] = {**custom, contract.ANSWER_ID: new_answer_id()}
    return event


def install() -> bool:
    """Replace ``create_bot_utterance`` on Rasa 3.6 (idempotent); whether it is replaced."""
    if not written_for("rasa", "3.6.", "answer_ids"):
        return False
    if not active():
        rasa_action.create_bot_utterance = create_bot_utterance
    return True


def active() -> bool:
    """Whether ``create_bot_utterance`` is this module's."""
    return rasa_action.create_bot_utterance is create_bot_utterance


def original() -> Any:
    """Rasa's own function (for the tests that compare both)."""
    return _original
