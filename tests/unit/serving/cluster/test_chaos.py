"""The drills' fault windows: which turns a fault is allowed to have failed."""

from __future__ import annotations

from serving.cluster.chaos import Window
from serving.cluster.load import Turn

# PostgreSQL stopped at t=100 for 15 s (back at 115; the window ends 2 s later), as `make cluster-chaos` runs it.
OUTAGE = Window("postgres down 15 s", start=100.0, end=117.0, allows_5xx=True, allows_cant_look_up=True)


def turn(sent_at: float, seconds: float, status: int) -> Turn:
    return Turn("family-1", "what is induction?", sent_at, seconds, status, "" if status != 200 else "Induction ...")


def test_a_message_in_flight_when_the_database_stopped_is_the_outages() -> None:
    # Measured in the full drill: sent 0.8 s before the stop, still being handled under load when PostgreSQL
    # went away, refused honestly 9.8 s later (503 after the store's retries). Counted "outside" before.
    assert OUTAGE.covers(turn(99.2, 9.8, 503))


def test_messages_sent_during_the_window_are_the_faults() -> None:
    assert OUTAGE.covers(turn(100.0, 10.0, 503))
    assert OUTAGE.covers(turn(116.9, 0.5, 200))


def test_messages_answered_before_it_or_sent_after_it_are_not() -> None:
    assert not OUTAGE.covers(turn(98.0, 1.5, 503))  # answered at 99.5, before the stop: a failure of its own
    assert not OUTAGE.covers(turn(117.5, 0.3, 503))  # sent after the window: a failure of its own


def test_a_kill_covers_the_requests_in_flight_on_the_killed_server() -> None:
    kill = Window("kill -9 rasa-1", start=200.0, end=205.0, allows_5xx=True, allows_cant_look_up=False)
    assert kill.covers(turn(199.6, 0.7, 502))  # sent before the kill, its connection reset by it
    assert not kill.covers(turn(190.0, 0.5, 502))
