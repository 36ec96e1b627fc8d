"""How the drills talk to the servers: one REST turn, one socket.io turn (long-polling, like the widget), one
Telegram update (as Telegram posts it), each timed."""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from typing import Any

import requests
import socketio

from actions import reply_contract as contract
from chaos.servers import TELEGRAM_SECRET
from chaos.telegram_standin import TelegramStandIn

QUESTION = "what are the symptoms of ALL?"
SYMPTOMS_SECTION = "Symptoms of childhood acute lymphoblastic leukemia"


def rest_turn(base_url: str, sender: str, text: str, timeout: float = 90) -> tuple[float, list[dict[str, Any]]]:
    """POST one message; (seconds, the reply's messages). Raises on a non-200 answer."""
    started = time.monotonic()
    response = requests.post(
        base_url + "/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=timeout
    )
    response.raise_for_status()
    return time.monotonic() - started, list(response.json())


def payloads(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The custom payloads of a reply: REST wraps each in ``{"custom": ...}``, socket.io sends it as the event."""
    return [
        m["custom"] if isinstance(m.get("custom"), dict) else m
        for m in messages
        if "custom" in m or contract.ANSWER_TYPE in m
    ]


def last_payload(messages: list[dict[str, Any]]) -> dict[str, Any]:
    found = payloads(messages)
    return found[-1] if found else {}


def cites_symptoms(messages: list[dict[str, Any]]) -> bool:
    payload = last_payload(messages)
    citations = payload.get(contract.CITATIONS) or [{}]
    return payload.get(contract.ANSWER_TYPE) == contract.ANSWER and citations[0].get("section") == SYMPTOMS_SECTION


def has_disclaimer(messages: list[dict[str, Any]]) -> bool:
    return any(payload.get(contract.DISCLAIMER) for payload in payloads(messages))


async def socketio_turn(base_url: str, session: dict[str, str], text: str) -> tuple[float, list[dict[str, Any]]]:
    """Send one message over socket.io as the widget does (channels/socketio.py): resume ``session``
    (``{"session_id", "token"}`` from an earlier turn; empty for a new conversation, filled in here), then the
    question with its message id. (seconds, the bot's events up to the end of its reply: a custom payload that
    is not the disclaimer's)."""
    client = socketio.AsyncClient(reconnection=False)
    events: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    confirmed: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    client.on("session_confirm", confirmed.put_nowait)

    async def on_bot(data: dict[str, Any]) -> None:
        await events.put(data)

    client.on("bot_uttered", on_bot)

    await client.connect(base_url, transports=["polling"])
    try:
        await client.emit("session_request", dict(session))
        session.update(await asyncio.wait_for(confirmed.get(), 20))
        started = time.monotonic()
        await client.emit("user_uttered", {"message": text, "message_id": uuid.uuid4().hex})
        reply: list[dict[str, Any]] = []
        while not reply or not contract.completes_reply(reply[-1]):
            reply.append(await asyncio.wait_for(events.get(), 60))
        return time.monotonic() - started, reply
    finally:
        await client.disconnect()


def telegram_update(chat_id: int, text: str) -> dict[str, Any]:
    update_id = random.randint(1, 2**31)
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private", "first_name": "Sam"},
            "from": {"id": chat_id, "is_bot": False, "first_name": "Sam"},
            "text": text,
        },
    }


def telegram_turn(base_url: str, standin: TelegramStandIn, chat_id: int, text: str) -> tuple[float, list[str]]:
    """Post one update the way Telegram does; (seconds, the texts the bot sent to that chat)."""
    since = standin.mark()
    started = time.monotonic()
    answer = requests.post(
        base_url + "/webhooks/telegram/webhook",
        json=telegram_update(chat_id, text),
        headers={"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET},
        timeout=90,
    )
    answer.raise_for_status()
    calls = standin.calls_to("sendMessage", since)
    return time.monotonic() - started, [str(c.params["text"]) for c in calls if c.params["chat_id"] == str(chat_id)]
