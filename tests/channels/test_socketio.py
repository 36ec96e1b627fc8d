"""What the widget and the kiosk receive over socket.io (python-socketio client, long-polling like the browser)."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
import socketio

from actions.knowledge_base import KnowledgeBase
from scripts.local_servers import Servers

pytestmark = pytest.mark.integration


async def ask(url: str, session_id: str, message: str) -> tuple[str, list[dict[str, Any]]]:
    """Send one message; collect the bot_uttered events until the custom payload of an answer arrives."""
    client = socketio.AsyncClient(reconnection=False)
    events: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    confirmed: asyncio.Future[str] = asyncio.get_running_loop().create_future()

    @client.on("session_confirm")
    async def on_confirm(data: Any) -> None:
        if not confirmed.done():
            confirmed.set_result(data)

    @client.on("bot_uttered")
    async def on_bot(data: dict[str, Any]) -> None:
        await events.put(data)

    await client.connect(url, transports=["polling"])
    try:
        await client.emit("session_request", {"session_id": session_id})
        confirmed_id = await asyncio.wait_for(confirmed, 10)
        await client.emit("user_uttered", {"message": message, "session_id": session_id})
        reply: list[dict[str, Any]] = []
        while not reply or reply[-1].get("answer_type") != "answer":
            reply.append(await asyncio.wait_for(events.get(), 30))
        return confirmed_id, reply
    finally:
        await client.disconnect()


def test_socketio_events_text_then_the_custom_payload_as_one_dict(servers: Servers, kb: KnowledgeBase) -> None:
    session_id = uuid.uuid4().hex
    confirmed, reply = asyncio.run(ask(servers.rasa_url, session_id, "what are the symptoms of ALL?"))
    assert confirmed == session_id
    texts = [e for e in reply if "text" in e]
    customs = [e for e in reply if "text" not in e]
    assert "not medical advice" in texts[0]["text"]  # the disclaimer, then its own payload
    assert customs[0] == {"answer_type": "chitchat", "citations": [], "disclaimer": True}
    section = kb.section("symptoms")
    assert customs[-1] == {
        "answer_type": "answer",
        "citations": [{"section": section.heading, "url": section.url, "updated": "2025-02-12"}],
    }
    answer = "\n\n".join(e["text"] for e in texts[1:])  # Rasa sends one event per paragraph
    assert section.blocks[0].text in answer and section.url in answer
    buttons = texts[-1]["quick_replies"]
    assert buttons and all(b["title"] and b["payload"].startswith("/show_section") for b in buttons)
