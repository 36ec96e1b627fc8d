"""Start every conversation with the disclaimer."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted
from rasa_sdk.executor import CollectingDispatcher

# The domain response that opens every conversation (also sent by the Rasa server when this action cannot be
# reached: rasa_patches.failed_turns).
DISCLAIMER_RESPONSE = "utter_disclaimer"


class ActionSessionStart(Action):
    """A new session: say what this assistant is (and is not) before anything else."""

    def name(self) -> str:
        return "action_session_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        dispatcher.utter_message(response=DISCLAIMER_RESPONSE)
        return [SessionStarted(), ActionExecuted("action_listen")]
