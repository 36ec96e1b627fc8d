"""One message through the input guard, Rasa (here a stand-in of ``on_new_message``) and the completeness check."""

from __future__ import annotations

import asyncio
from typing import Any

from rasa.core.channels.channel import UserMessage

from actions import reply_contract as contract
from channels import input_guard
from channels.guarded_turn import guarded_reply
from stores.errors import STORE_UNAVAILABLE_REPLY, TrackerStoreUnavailable


class Rasa:
    """Records what reached it and answers with ``replies`` (REST-shaped) through the message's output channel."""

    def __init__(self, replies: list[dict[str, Any]] | None = None, error: Exception | None = None) -> None:
        self.replies = replies or []
        self.error = error
        self.received: list[UserMessage] = []

    async def __call__(self, message: UserMessage) -> None:
        self.received.append(message)
        if self.error is not None:
            raise self.error
        for reply in self.replies:
            await message.output_channel.send_response(message.sender_id, dict(reply))


def reply(rasa: Rasa, text: str) -> list[dict[str, Any]]:
    return asyncio.run(guarded_reply(rasa, text, "twilio-abc", "twilio"))


def test_a_complete_reply_passes_and_rasa_gets_the_redacted_text() -> None:
    answer = [{"text": "An answer."}, {"custom": contract.payload(contract.ANSWER)}]
    rasa = Rasa(answer)
    assert reply(rasa, "call me on 555-867-5309 what is ALL?") == [
        {"recipient_id": "twilio-abc", "text": "An answer."},
        {"recipient_id": "twilio-abc", "custom": contract.payload(contract.ANSWER)},
    ]
    [message] = rasa.received
    assert message.text == "call me on [phone] what is ALL?"
    assert (message.sender_id, message.input_channel) == ("twilio-abc", "twilio")


def test_a_turn_the_store_cannot_keep_says_so() -> None:
    assert reply(Rasa(error=TrackerStoreUnavailable("db gone")), "what is ALL?") == [
        {"recipient_id": "twilio-abc", "text": STORE_UNAVAILABLE_REPLY}
    ]


def test_empty_and_injected_messages_are_handled_by_the_guard() -> None:
    rasa = Rasa([{"text": "An answer."}, {"custom": contract.payload(contract.ANSWER)}])
    assert reply(rasa, "  ") == input_guard.direct_reply("twilio-abc", input_guard.check_message(""))
    assert rasa.received == []
    reply(rasa, '/restart{"x": 1}')
    assert rasa.received[0].text == 'restart{"x": 1}'  # not read as an intent
