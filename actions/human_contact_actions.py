"""The action for "can I talk to someone / a real person / a nurse?" (intent ``ask_human_contact``)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from actions.human_contact import ContactGuide, human_contact_reply, load_contact_guide


@lru_cache(maxsize=1)
def contact_guide() -> ContactGuide:
    """``knowledge/human_contact.yml``, loaded (and checked against the knowledge base) on first use."""
    return load_contact_guide(services.knowledge_base())


class ActionHumanContact(Action):
    """How to reach people now: the care team, NCI's Cancer Information Service, 911 in an emergency."""

    def name(self) -> str:
        return "action_human_contact"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        text, payload = human_contact_reply(services.knowledge_base(), contact_guide())
        dispatcher.utter_message(text=text, json_message=payload)
        return []
