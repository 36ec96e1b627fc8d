"""One message through the input guard, Rasa (here a stand-in of ``on_new_message``) and the completeness check."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
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


@pytest.mark.slow  # the safety net loads the safety detector to check the message (about 40 s on a busy machine)
def test_an_incomplete_reply_gets_the_fallback() -> None:
    fallback = reply(Rasa([{"text": "half"}]), "what is ALL?")
    assert fallback[-2:] == [
        {"recipient_id": "twilio-abc", "text": input_guard.FALLBACK_REPLY},
        {"recipient_id": "twilio-abc", "custom": contract.payload(contract.FALLBACK)},
    ]


@pytest.mark.slow  # loads the safety detector (about 40 s on a busy 2-core machine)
def test_an_emergency_without_a_complete_reply_gets_the_urgent_reply() -> None:
    urgent = reply(Rasa(error=RuntimeError("action server down")), "my son is on chemo and has a fever of 39")
    assert urgent[-1]["custom"][contract.ANSWER_TYPE] == contract.URGENT
    assert "911" in urgent[-2]["text"]


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


@pytest.mark.slow  # loads the language detector and the safety detector
def test_a_message_in_spanish_gets_the_spanish_reply_and_its_english_button_without_rasa() -> None:
    from channels import language

    rasa = Rasa([{"text": "never sent"}])
    sent = reply(rasa, "¿Cuáles son los efectos secundarios del tratamiento de mi hija?")
    spanish = language.table().rows["spanish"]
    assert sent[0]["text"] == spanish.reply
    assert [b["title"] for b in sent[0].get("buttons", [])] == [spanish.show_english]
    assert sent[-1]["custom"][contract.ANSWER_TYPE] == contract.OUT_OF_SCOPE
    assert rasa.received == []
