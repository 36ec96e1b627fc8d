"""The session start with a real rasa_sdk Tracker and CollectingDispatcher: the disclaimer comes first."""

from __future__ import annotations

from rasa_sdk.events import ActionExecuted, SessionStarted

from actions.session_actions import ActionSessionStart
from tests.unit.actions.action_runs import make_tracker, run


def test_session_start_sends_the_disclaimer_first() -> None:
    messages, events = run(ActionSessionStart(), make_tracker("", "session_start"))
    assert [m["response"] for m in messages] == ["utter_disclaimer"]
    assert events == [SessionStarted(), ActionExecuted("action_listen")]
