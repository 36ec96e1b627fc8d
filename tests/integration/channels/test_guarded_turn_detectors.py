"""One message through the input guard, Rasa (a stand-in) and the completeness check: the cases that load the
safety or language detector (seconds of CPU, so not in the fast gate)."""

from __future__ import annotations

import pytest

from actions import reply_contract as contract
from channels import input_guard
from tests.unit.channels.test_guarded_turn import Rasa, reply

pytestmark = pytest.mark.integration


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
