"""Fault drills: a turn that fails because the action server is down or hung leaves the conversation able to
continue on every channel, and the fallback comes within ACTION_TIMEOUT (rasa_patches/failed_turns.py).

Before the fix, a conversation whose first message arrived during the outage was stuck for good (every later
message, ``/restart`` and Telegram ``/start`` included, got the fallback), and a hung action server kept a new
conversation waiting eleven action timeouts.
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from typing import Any

import pytest
import requests

from channels import input_guard
from chaos.clients import socketio_turn, telegram_update
from chaos.telegram_standin import TelegramStandIn
from serving.local_servers import Servers
from tests.integration.channels.conftest import SECRET
from tests.integration.reliability.conftest import ACTION_TIMEOUT, ActionProxy, action_server_fault

pytestmark = pytest.mark.integration

QUESTION = "what are the symptoms of ALL?"
# Generous for a loaded machine, yet below two action timeouts: one wait for the action server per message.
FALLBACK_WITHIN = ACTION_TIMEOUT * 1.8


def customs(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [m["custom"] for m in messages if "custom" in m]


def cites_symptoms(custom: dict[str, Any]) -> bool:
    return custom.get("answer_type") == "answer" and custom["citations"][0]["section"].startswith("Symptoms")


# --- REST ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fault", ["down", "hang"])
def test_rest_conversation_started_during_an_outage_continues_when_the_action_server_is_back(
    servers: Servers, proxy: ActionProxy, fault: str
) -> None:
    sender = f"ft-{uuid.uuid4().hex[:10]}"
    with action_server_fault(proxy, fault):
        started = time.monotonic()
        reply = servers.send(sender, QUESTION)
        elapsed = time.monotonic() - started
    print(f"\nREST, new conversation, action server {fault}: fallback after {elapsed:.1f} s")
    assert "not medical advice" in str(reply[0].get("text"))  # the disclaimer even so
    assert customs(reply)[-1] == {"answer_type": "fallback", "citations": []}
    assert elapsed < FALLBACK_WITHIN
    assert cites_symptoms(customs(servers.send(sender, QUESTION))[-1])
    assert customs(servers.send(sender, "hello"))[-1]["answer_type"] == "chitchat"


def test_rest_fallback_within_the_action_timeout_for_an_existing_conversation(
    servers: Servers, proxy: ActionProxy
) -> None:
    sender = f"ft-{uuid.uuid4().hex[:10]}"
    servers.send(sender, "hello")
    with action_server_fault(proxy, "hang"):
        started = time.monotonic()
        reply = servers.send(sender, QUESTION)
        elapsed = time.monotonic() - started
    assert customs(reply)[-1]["answer_type"] == "fallback"
    assert elapsed < FALLBACK_WITHIN
    assert cites_symptoms(customs(servers.send(sender, QUESTION))[-1])


# --- socket.io -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fault", ["down", "hang"])
def test_socketio_conversation_started_during_an_outage_continues_when_the_action_server_is_back(
    servers: Servers, proxy: ActionProxy, fault: str
) -> None:
    session: dict[str, str] = {}  # a new conversation; socketio_turn fills in the server-issued id and token
    with action_server_fault(proxy, fault):
        elapsed, reply = asyncio.run(socketio_turn(servers.rasa_url, session, QUESTION))
    print(f"\nsocket.io, new conversation, action server {fault}: fallback after {elapsed:.1f} s")
    assert reply[-1]["answer_type"] == "fallback"
    assert elapsed < FALLBACK_WITHIN
    _, reply = asyncio.run(socketio_turn(servers.rasa_url, session, QUESTION))
    assert cites_symptoms(reply[-1])


# --- Telegram --------------------------------------------------------------------------------------------------


def telegram_says(servers: Servers, telegram_api: TelegramStandIn, chat_id: int, text: str) -> list[str]:
    """Post one message update the way Telegram would; the texts the bot sent to that chat in reply."""
    since = telegram_api.mark()
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    update = telegram_update(chat_id, text)
    answer = requests.post(servers.rasa_url + "/webhooks/telegram/webhook", json=update, headers=headers, timeout=90)
    assert answer.status_code == 200
    calls = telegram_api.calls_to("sendMessage", since)
    return [str(c.params["text"]) for c in calls if c.params["chat_id"] == str(chat_id)]


def test_telegram_chat_started_during_an_outage_continues_and_restarts(
    servers: Servers, proxy: ActionProxy, telegram_api: TelegramStandIn
) -> None:
    chat_id = random.randint(10**8, 10**9)
    with action_server_fault(proxy, "down"):
        assert telegram_says(servers, telegram_api, chat_id, QUESTION)[-1] == input_guard.FALLBACK_REPLY
    after_start = telegram_says(servers, telegram_api, chat_id, "/start")
    assert input_guard.FALLBACK_REPLY not in after_start
    assert any("childhood acute lymphoblastic leukemia" in text for text in after_start)
    after_restart = telegram_says(servers, telegram_api, chat_id, "/restart")
    assert input_guard.FALLBACK_REPLY not in after_restart
    assert "not medical advice" in after_restart[0]  # a new conversation: the disclaimer again
    answer = telegram_says(servers, telegram_api, chat_id, QUESTION)
    assert "Symptoms of childhood acute lymphoblastic leukemia" in answer[-1]


def test_telegram_restart_sends_no_spurious_fallback(servers: Servers, telegram_api: TelegramStandIn) -> None:
    chat_id = random.randint(10**8, 10**9)
    telegram_says(servers, telegram_api, chat_id, "hello")
    replies = telegram_says(servers, telegram_api, chat_id, "/restart")
    assert input_guard.FALLBACK_REPLY not in replies
    assert "not medical advice" in replies[0]
