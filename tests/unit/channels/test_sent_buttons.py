"""Reading back the buttons the bot sent, from a real Rasa tracker store."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from channels.sent_buttons import last_reply_buttons, session_button_payloads

A = {"title": "A", "payload": '/show_section{"section": "a"}'}
B = {"title": "B", "payload": '/show_section{"section": "b"}'}
C = {"title": "C", "payload": '/ask_more{"section": "c"}'}


def agent_with(events: list) -> SimpleNamespace:
    store = InMemoryTrackerStore(Domain.empty())
    asyncio.run(store.save(DialogueStateTracker.from_events("family", events)))
    return SimpleNamespace(tracker_store=store)


def test_the_last_replys_buttons_and_every_sent_payload_most_recent_first() -> None:
    agent = agent_with(
        [
            ActionExecuted("action_listen"),
            UserUttered("what is ALL?"),
            BotUttered("first answer", {"buttons": [A, B]}),
            UserUttered("tell me about c"),
            BotUttered("second answer", {"buttons": [C]}),
            BotUttered("more", {"buttons": [A]}),
        ]
    )
    assert asyncio.run(last_reply_buttons(agent, "family")) == [C, A]
    assert asyncio.run(session_button_payloads(agent, "family")) == [
        A["payload"],
        C["payload"],
        A["payload"],
        B["payload"],
    ]


def test_a_reply_without_buttons_or_an_unknown_conversation_has_none() -> None:
    agent = agent_with(
        [UserUttered("hi"), BotUttered("old", {"buttons": [A]}), UserUttered("thanks"), BotUttered("ok")]
    )
    assert asyncio.run(last_reply_buttons(agent, "family")) == []
    assert asyncio.run(last_reply_buttons(agent, "someone-else")) == []
    assert asyncio.run(last_reply_buttons(None, "family")) == []
