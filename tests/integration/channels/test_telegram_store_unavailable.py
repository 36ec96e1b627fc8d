"""Telegram when the tracker store cannot be written: the kind "can't save" reply, then the conversation goes on."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import requests

from channels.input_guard import FALLBACK_REPLY
from chaos.telegram_standin import TelegramStandIn
from serving.local_servers import Servers
from stores.errors import STORE_UNAVAILABLE_REPLY
from tests.integration.channels.test_telegram import message_update, new_chat, post, sent_to

pytestmark = pytest.mark.integration


def wait_for_health(servers: Servers, status: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while requests.get(servers.rasa_url + "/healthz", timeout=10).status_code != status:
        assert time.monotonic() < deadline, f"/healthz did not turn {status}"
        time.sleep(0.2)


def test_a_message_that_cannot_be_stored_gets_the_cant_save_reply(
    servers: Servers, telegram_api: TelegramStandIn
) -> None:
    chat = new_chat()
    post(servers, message_update(chat, "/start"))
    db = Path(servers.env["TRACKER_DB"])
    aside = db.with_name("telegram-moved-away.db")
    db.rename(aside)
    try:
        wait_for_health(servers, 503)
        since = telegram_api.mark()
        assert post(servers, message_update(chat, "what are the symptoms of leukemia?")).status_code == 200
        texts = [m.params["text"] for m in sent_to(telegram_api, chat, since)]
    finally:
        aside.rename(db)
    assert texts == [STORE_UNAVAILABLE_REPLY]  # not the "can't look that up" fallback, not a new conversation
    assert FALLBACK_REPLY not in texts
    wait_for_health(servers, 200)
    since = telegram_api.mark()
    post(servers, message_update(chat, "what are the symptoms of leukemia?"))
    texts = [m.params["text"] for m in sent_to(telegram_api, chat, since)]
    assert texts
    assert not any("not medical advice" in t for t in texts)
