"""The REST, socket.io and Telegram channels decide "was the reply complete?" the same way: the reply contract's
:func:`actions.reply_contract.completes_reply` on the last thing the bot sent."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from actions import reply_contract as contract
from channels import rest
from channels.socketio import SocketIOJsonOutput
from channels.telegram import CallbackPayloads, TelegramBotOutput

TOKEN = "123456:" + "A" * 35  # the shape aiogram accepts; no request is made

DISCLAIMER = {"answer_type": "chitchat", "citations": [], "disclaimer": True}
ENDINGS: list[tuple[str, dict[str, Any] | None]] = [
    ("a text", None),
    ("the disclaimer's payload", DISCLAIMER),
    ("an answer's payload", {"answer_type": "answer", "citations": []}),
    ("an urgent payload", {"answer_type": "urgent", "urgent_category": "general", "citations": [], "contacts": []}),
]


class Emitter:
    async def emit(self, *args: Any, **kwargs: Any) -> None:
        return None


async def channel_verdicts(last: dict[str, Any] | None) -> tuple[bool, bool, bool]:
    sent = [{"recipient_id": "r", "text": "Hello"}] + ([{"recipient_id": "r", "custom": last}] if last else [])
    rest_complete = rest.with_fallback("r", sent) == sent

    socket = SocketIOJsonOutput(Emitter(), "bot_uttered", sid="s")
    await socket.send_text_message("r", "Hello")
    if last is not None:
        await socket.send_custom_json("r", last)

    telegram = TelegramBotOutput(TOKEN, "http://127.0.0.1:9", CallbackPayloads())
    telegram.answered["r"] = False  # as before each message; the text itself would need the network
    if last is not None:
        await telegram.send_custom_json("r", last)
    return rest_complete, socket.complete, telegram.answered["r"]


@pytest.mark.parametrize(("ending", "last"), ENDINGS, ids=[e for e, _ in ENDINGS])
def test_the_three_channels_agree_with_the_contract(ending: str, last: dict[str, Any] | None) -> None:
    expected = last is not None and contract.completes_reply(last)
    assert asyncio.run(channel_verdicts(last)) == (expected, expected, expected), ending
    assert expected is (ending in ("an answer's payload", "an urgent payload"))
