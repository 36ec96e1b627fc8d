"""rasa_patches.answer_ids: every recorded reply payload gets an answer_id; everything else is Rasa's own event."""

from __future__ import annotations

import re
from typing import Any

import pytest

from actions import reply_contract as contract
from rasa_patches import answer_ids


def message(**fields: Any) -> dict[str, Any]:
    return dict(fields)


@pytest.mark.parametrize(
    "fields",
    [
        {"text": "Hello."},
        {"text": "Pick one", "buttons": [{"title": "A", "payload": "a"}]},
        {"custom": {"something": "else"}},
        {"text": "x", "custom": {contract.ANSWER_TYPE: "answer", "citations": [], contract.ANSWER_ID: "0123456789ab"}},
    ],
)
def test_messages_without_a_new_typed_payload_are_rasas_own_events(fields: dict[str, Any]) -> None:
    assert answer_ids.create_bot_utterance(message(**fields)) == answer_ids.original()(message(**fields))


def test_a_reply_payload_gets_a_fresh_answer_id_and_keeps_everything_else() -> None:
    fields = {
        "text": "Signs ...",
        "custom": {"answer_type": "answer", "citations": [{"section": "S"}]},
        "utter_action": "u",
    }
    event = answer_ids.create_bot_utterance(message(**fields))
    expected = answer_ids.original()(message(**fields))
    custom = event.data["custom"]
    assert re.fullmatch(contract.ANSWER_ID_PATTERN, custom.pop("answer_id"))
    assert event.data == expected.data and event.text == expected.text and event.metadata == expected.metadata
    ids = {answer_ids.create_bot_utterance(message(**fields)).data["custom"]["answer_id"] for _ in range(1000)}
    assert len(ids) == 1000


def test_install_replaces_rasas_function_once() -> None:
    import rasa.core.actions.action as rasa_action

    before = rasa_action.create_bot_utterance
    try:
        assert answer_ids.install() is True
        assert answer_ids.install() is True
        assert answer_ids.active()
        assert rasa_action.create_bot_utterance is answer_ids.create_bot_utterance
    finally:
        rasa_action.create_bot_utterance = before
