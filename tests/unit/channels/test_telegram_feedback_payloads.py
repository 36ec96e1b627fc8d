"""Answer feedback on Telegram: every feedback payload fits in callback_data's 64 bytes and decodes back the same
(the end-to-end test is tests/integration/channels/test_telegram_feedback.py)."""

from __future__ import annotations

import pytest

from actions import reply_contract as contract
from channels.telegram import CALLBACK_DATA_LIMIT, CallbackPayloads, feedback_callback_data

ID = "0a1b2c3d4e5f"


@pytest.mark.parametrize("reason", [None, *contract.REASONS])
@pytest.mark.parametrize("rating", contract.RATINGS)
def test_every_feedback_payload_fits_in_callback_data_and_comes_back_the_same(rating: str, reason: str | None) -> None:
    if reason is not None and rating == "up":
        return
    payload = contract.feedback_payload(ID, rating, reason)
    assert len(payload.encode()) > CALLBACK_DATA_LIMIT or reason is None  # too long as it is, with a reason
    data = CallbackPayloads().encode(payload)
    assert data == feedback_callback_data(payload) == ":".join(["f", ID, rating, *([reason] if reason else [])])
    assert len(data.encode()) <= CALLBACK_DATA_LIMIT
    assert CallbackPayloads().decode(data) == payload  # another instance: nothing remembered, survives a restart


def test_malformed_feedback_callback_data_is_no_payload() -> None:
    assert CallbackPayloads().decode("f:0a1b2c3d4e5f") is None
    assert CallbackPayloads().decode("f:a:b:c:d") is None
    assert feedback_callback_data('/feedback{"answer_id": "x", "rating": "up"}') is None
