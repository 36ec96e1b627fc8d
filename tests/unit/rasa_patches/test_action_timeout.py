"""rasa_patches.action_timeout: Rasa's 300 s wait for the action server becomes ``ACTION_TIMEOUT``."""

from __future__ import annotations

from rasa_patches.action_timeout import action_timeout


def test_action_timeout_setting() -> None:
    assert action_timeout({}) == 10.0
    assert action_timeout({"ACTION_TIMEOUT": "3"}) == 3.0
    assert action_timeout({"ACTION_TIMEOUT": "nope"}) == 10.0
    assert action_timeout({"ACTION_TIMEOUT": "0"}) == 0.5
    assert action_timeout({"ACTION_TIMEOUT": "100000"}) == 300.0
