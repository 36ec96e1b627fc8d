"""The input guard lets the answer-feedback buttons' payloads through, and nothing that only looks like one."""

from __future__ import annotations

import pytest

from actions import reply_contract as contract
from channels.input_guard import check_message

ID = "0a1b2c3d4e5f"


@pytest.mark.parametrize(
    "payload",
    [
        contract.feedback_payload(ID, "up"),
        contract.feedback_payload(ID, "down"),
        *(contract.feedback_payload(ID, "down", reason) for reason in contract.REASONS),
        '/feedback{"answer_id": "0a1b2c3d4e5f", "rating": "up"}',
    ],
)
def test_feedback_button_payloads_reach_rasa_as_they_are(payload: str) -> None:
    verdict = check_message(payload)
    assert (verdict.text, verdict.reason) == (payload, "payload")


@pytest.mark.parametrize(
    "typed",
    [
        '/feedback{"answer_id": "0a1b2c3d4e5f"}',  # no rating
        '/feedback{"answer_id": "0a1b2c3d4e5f", "rating": "great"}',
        '/feedback{"answer_id": "0a1b2c3d4e5f", "rating": "up", "reason": "wrong_topic"}',  # a reason only after 👎
        '/feedback{"answer_id": "0a1b2c3d4e5f", "rating": "down", "reason": "my son Tom is 4"}',  # free text
        '/feedback{"answer_id": "0a1b2c3d4e5f", "rating": "down", "comment": "x"}',
        '/feedback{"answer_id": "not-an-id", "rating": "up"}',
        '/feedback{"answer_id": "0a1b2c3d4e5f", "rating": "up", "last_section": "x"}',
        "/feedback[1]",
    ],
)
def test_anything_else_that_looks_like_feedback_is_read_as_text(typed: str) -> None:
    verdict = check_message(typed)
    assert verdict.reason != "payload"
    assert verdict.text is None or not verdict.text.startswith("/")
