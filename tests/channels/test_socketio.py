"""What the widget and the kiosk receive over socket.io (python-socketio client, long-polling like the browser)."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import pytest
import requests
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
    assert buttons and all(b["title"] and b["payload"].startswith(("/show_section", "/ask_more")) for b in buttons)


def test_a_binary_packet_closes_its_connection(servers: Servers) -> None:
    # GHSA-5w7q-77mv-v69f: python-socketio 5.8.0 would wait for the 1000 announced attachments, taking every
    # later message of the connection as one of them. The channel closes the connection instead.
    http = requests.Session()
    opened = http.get(f"{servers.rasa_url}/socket.io/", params={"EIO": "4", "transport": "polling"}, timeout=10)
    url = f"{servers.rasa_url}/socket.io/?EIO=4&transport=polling&sid={json.loads(opened.text[1:])['sid']}"
    assert http.post(url, data="40", timeout=10).text.lower() == "ok"
    assert http.get(url, timeout=10).text.startswith("40")  # namespace connected
    binary_event = '451000-["user_uttered",{"_placeholder":true,"num":0}]'  # engine.io "4" + socket.io "5"
    assert http.post(url, data=binary_event, timeout=10).status_code == 200
    # The session is gone at once (without the guard this poll would wait for the server's ping, 25 s).
    assert http.get(url, timeout=10).status_code == 400
    # Everyone else is unaffected.
    _, reply = asyncio.run(ask(servers.rasa_url, uuid.uuid4().hex, "what are the symptoms of ALL?"))
    assert reply[-1]["answer_type"] == "answer"
