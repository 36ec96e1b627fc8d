"""The channel tests' servers: a Telegram Bot API stand-in, then the real action + Rasa servers pointed at it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from chaos.telegram_standin import TelegramStandIn, telegram_standin
from serving.local_servers import Servers, running_servers

TOKEN = "123456789:AAH-stand-in_token"
SECRET = "stand-in-webhook-secret_42"
WEBHOOK_URL = "https://bot.example.org/webhooks/telegram/webhook"


@pytest.fixture(scope="package")
def telegram_api() -> Iterator[TelegramStandIn]:
    with telegram_standin(TOKEN) as standin:
        yield standin


@pytest.fixture(scope="package")
def servers(tmp_path_factory: pytest.TempPathFactory, telegram_api: TelegramStandIn) -> Iterator[Servers]:
    env = {
        "TELEGRAM_TOKEN": TOKEN,
        "TELEGRAM_VERIFY": "pdq_all_test_bot",
        "TELEGRAM_WEBHOOK_URL": WEBHOOK_URL,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "TELEGRAM_API_URL": telegram_api.url,
    }
    with running_servers(Path(tmp_path_factory.mktemp("channel-servers")), extra_env=env) as running:
        yield running
