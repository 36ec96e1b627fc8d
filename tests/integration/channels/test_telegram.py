"""Telegram end to end: real Rasa + action servers, aiogram talking to a local stand-in of the Bot API.

Updates are POSTed to the channel webhook the way Telegram would; what the bot sends back is read from the
stand-in's request log.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import random
import time
from typing import Any

import pytest
import requests

from actions.knowledge_base import KnowledgeBase, Section
from channels.telegram import (
    CALLBACK_DATA_LIMIT,
    EXPIRED_BUTTON,
    FEEDBACK_PREFIX,
    MESSAGE_LIMIT,
    CallbackPayloads,
    TelegramBotOutput,
    split_message,
    utf16_length,
)
from chaos.telegram_standin import Call, TelegramStandIn
from serving.local_servers import Servers
from tests.integration.channels.conftest import SECRET, TOKEN, WEBHOOK_URL

pytestmark = pytest.mark.integration

_ids = itertools.count(random.randint(10_000, 90_000))


def new_chat() -> int:
    return random.randint(10**8, 10**9)


def user(chat_id: int) -> dict[str, Any]:
    return {"id": chat_id, "is_bot": False, "first_name": "Sam", "language_code": "en"}


def message_update(chat_id: int, text: str) -> dict[str, Any]:
    n = next(_ids)
    return {
        "update_id": n,
        "message": {
            "message_id": n,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private", "first_name": "Sam"},
            "from": user(chat_id),
            "text": text,
        },
    }


def callback_update(chat_id: int, data: str) -> dict[str, Any]:
    n = next(_ids)
    return {
        "update_id": n,
        "callback_query": {
            "id": f"cbq-{n}",
            "from": user(chat_id),
            "chat_instance": "-4242",
            "data": data,
            "message": {
                "message_id": n,
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private", "first_name": "Sam"},
                "from": {"id": 7000001, "is_bot": True, "first_name": "PDQ ALL assistant"},
                "text": "(the answer the button was under)",
            },
        },
    }


def post(servers: Servers, update: dict[str, Any], secret: str | None = SECRET) -> requests.Response:
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
    return requests.post(servers.rasa_url + "/webhooks/telegram/webhook", json=update, headers=headers, timeout=60)


def sent_to(telegram_api: TelegramStandIn, chat_id: int, since: int) -> list[Call]:
    return [c for c in telegram_api.calls_to("sendMessage", since) if c.params["chat_id"] == str(chat_id)]


def keyboard(call: Call) -> list[dict[str, str]]:
    rows = call.params.get("reply_markup", {}).get("inline_keyboard", [])
    return [button for row in rows for button in row]


def cites(text: str, section: Section) -> bool:
    """The answer's visible citation line: "Source: “<heading>” — ... <url>" (wording may change; these stay)."""
    source = text[text.rfind("Source") :]
    return source.startswith("Source") and section.heading in source and section.url in source


def assert_telegram_safe(messages: list[Call]) -> None:
    for call in messages:
        text = call.params["text"]
        assert 0 < utf16_length(text) <= MESSAGE_LIMIT
        assert "answer_type" not in text
        assert '"citations"' not in text
        for button in keyboard(call):
            assert len(button["callback_data"].encode()) <= CALLBACK_DATA_LIMIT


def test_webhook_is_set_on_startup_through_the_configured_api(servers: Servers, telegram_api: TelegramStandIn) -> None:
    calls = telegram_api.wait_for(lambda calls: any(c.method == "setWebhook" for c in calls))
    webhook = next(c for c in calls if c.method == "setWebhook")
    assert webhook.params["url"] == WEBHOOK_URL
    assert webhook.params["secret_token"] == SECRET
    assert set(webhook.params["allowed_updates"]) == {"message", "callback_query"}
    assert any(c.method == "getMe" for c in calls)  # TELEGRAM_VERIFY is checked against the bot's username
    health = requests.get(servers.rasa_url + "/webhooks/telegram/", timeout=10)
    assert health.json() == {"status": "ok"}


def test_question_gets_the_cited_answer_with_an_inline_keyboard(
    servers: Servers, telegram_api: TelegramStandIn, kb: KnowledgeBase
) -> None:
    chat = new_chat()
    since = telegram_api.mark()
    reply = post(servers, message_update(chat, "what are the symptoms of leukemia?"))
    assert reply.status_code == 200
    assert reply.text == "success"

    typing = telegram_api.calls_to("sendChatAction", since)
    assert [(c.params["chat_id"], c.params["action"]) for c in typing] == [(str(chat), "typing")]
    messages = sent_to(telegram_api, chat, since)
    texts = [m.params["text"] for m in messages]
    assert "not medical advice" in texts[0]  # the disclaimer starts a new conversation
    section = kb.section("symptoms")
    answer = next(m for m in messages if section.blocks[0].text in m.params["text"])
    assert cites(answer.params["text"], section)
    buttons = keyboard(answer)
    assert buttons
    # the 👍 / 👎 row is tested in test_telegram_feedback.py
    topics = [b for b in buttons if not b["callback_data"].startswith(FEEDBACK_PREFIX)]
    assert topics
    assert all(b["text"] and b["callback_data"].startswith(("/show_section", "/ask_more")) for b in topics)
    assert_telegram_safe(messages)


def test_button_press_is_acknowledged_and_gets_the_next_answer(
    servers: Servers, telegram_api: TelegramStandIn, kb: KnowledgeBase
) -> None:
    chat = new_chat()
    since = telegram_api.mark()
    post(servers, message_update(chat, "what are the symptoms of leukemia?"))
    buttons = [b for m in sent_to(telegram_api, chat, since) for b in keyboard(m)]
    button = next(b for b in buttons if b["callback_data"].startswith("/show_section"))
    section_id = json.loads(button["callback_data"].removeprefix("/show_section"))["section"]

    since = telegram_api.mark()
    update = callback_update(chat, button["callback_data"])
    assert post(servers, update).status_code == 200

    acks = telegram_api.calls_to("answerCallbackQuery", since)
    assert [a.params["callback_query_id"] for a in acks] == [update["callback_query"]["id"]]
    messages = sent_to(telegram_api, chat, since)
    section = kb.section(section_id)
    assert any(cites(m.params["text"], section) for m in messages)
    assert_telegram_safe(messages)


def test_start_command_greets(servers: Servers, telegram_api: TelegramStandIn) -> None:
    chat = new_chat()
    since = telegram_api.mark()
    post(servers, message_update(chat, "/start"))
    texts = [m.params["text"] for m in sent_to(telegram_api, chat, since)]
    assert "not medical advice" in texts[0]
    assert any("childhood acute lymphoblastic leukemia" in t for t in texts[1:])


def test_expired_button_token_is_answered_without_a_message(servers: Servers, telegram_api: TelegramStandIn) -> None:
    chat = new_chat()
    since = telegram_api.mark()
    assert post(servers, callback_update(chat, "t:000000000000000000000000")).status_code == 200
    acks = telegram_api.calls_to("answerCallbackQuery", since)
    assert acks
    assert acks[0].params["text"] == EXPIRED_BUTTON
    assert sent_to(telegram_api, chat, since) == []


def test_update_without_the_webhook_secret_is_refused(servers: Servers, telegram_api: TelegramStandIn) -> None:
    chat = new_chat()
    since = telegram_api.mark()
    for secret in (None, "wrong-secret"):
        assert post(servers, message_update(chat, "what are the symptoms?"), secret=secret).status_code == 403
    assert sent_to(telegram_api, chat, since) == []


def test_long_text_is_split_at_paragraphs_and_long_payloads_become_tokens(
    telegram_api: TelegramStandIn, kb: KnowledgeBase
) -> None:
    """The output channel with real aiogram over HTTP: a text far over 4096 characters, a 100-byte payload."""
    blocks = (block.text.strip() for section in kb.sections.values() for block in section.blocks)
    text = "\n\n".join(b for b in blocks if b)
    assert len(text) > 3 * MESSAGE_LIMIT
    long_payload = "/show_section" + json.dumps({"section": "a-section-id-" + "x" * 80})
    payloads = CallbackPayloads()
    chat = new_chat()
    since = telegram_api.mark()

    async def send() -> None:
        bot = TelegramBotOutput(TOKEN, telegram_api.url, payloads)
        try:
            await bot.send_text_with_buttons(
                str(chat), text, [{"title": "More", "payload": long_payload}, {"title": "Short", "payload": "/hi"}]
            )
        finally:
            await bot.close_session()

    asyncio.run(send())
    messages = sent_to(telegram_api, chat, since)
    parts = [m.params["text"] for m in messages]
    assert len(parts) == len(split_message(text)) > 1
    assert all(utf16_length(p) <= MESSAGE_LIMIT for p in parts)
    assert "\n\n".join(parts) == text  # split only between paragraphs here: nothing lost, nothing cut
    assert all("reply_markup" not in m.params for m in messages[:-1])
    more, short = keyboard(messages[-1])
    assert more["callback_data"].startswith("t:")
    assert len(more["callback_data"].encode()) <= CALLBACK_DATA_LIMIT
    assert payloads.decode(more["callback_data"]) == long_payload
    assert short["callback_data"] == "/hi"
