"""Sending a :class:`~actions.answers.Reply` through a rasa_sdk dispatcher: text, buttons, payload."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.answers import Reply


def send(dispatcher: CollectingDispatcher, reply: Reply) -> None:
    """Send one reply: visible text and buttons plus the machine-readable payload."""
    dispatcher.utter_message(text=reply.text, buttons=list(reply.buttons), json_message=reply.payload)
