"""The durable SQL tracker store on SQLite: refuses honestly, never forgets silently, never resurrects."""

from __future__ import annotations

import asyncio
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from stores import retention, sql_tracker_store
from stores.errors import TrackerStoreUnavailable
from stores.sqlite_tracker_store import SQLiteTrackerStore

DOMAIN = Domain.from_yaml('version: "3.1"\nintents: [ask_symptoms]')


def conversation(sender: str, text: str = "what are the symptoms?") -> DialogueStateTracker:
    tracker = DialogueStateTracker(sender, DOMAIN.slots)
    for event in (
        ActionExecuted("action_session_start", timestamp=1.0),
        SessionStarted(timestamp=2.0),
        ActionExecuted("action_listen", timestamp=3.0),
        UserUttered(text, {"name": "ask_symptoms", "confidence": 0.9}, timestamp=4.0),
        ActionExecuted("action_listen", timestamp=5.0),
    ):
        tracker.update(event)
    return tracker


@contextmanager
def immutable(*paths: Path) -> Iterator[None]:
    """Files nobody can write, root included (the tests run as root, which ignores permission bits)."""
    existing = [str(p) for p in paths if p.exists()]
    subprocess.run(["chattr", "+i", *existing], check=True)
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", *existing], check=True)


def store_at(db: Path) -> SQLiteTrackerStore:
    return SQLiteTrackerStore(DOMAIN, dialect="sqlite", db=str(db), retry_seconds=0.5)


def test_a_missing_folder_stops_the_store_at_start_with_a_clear_message(tmp_path: Path) -> None:
    with pytest.raises(TrackerStoreUnavailable, match=r"folder .*missing-folder does not exist.*TRACKER_DB"):
        store_at(tmp_path / "missing-folder" / "tracker.db")


def test_a_read_only_database_stops_the_store_at_start(tmp_path: Path) -> None:
    db = tmp_path / "tracker.db"
    asyncio.run(store_at(db).save(conversation("family-1")))
    with immutable(db, tmp_path), pytest.raises(TrackerStoreUnavailable, match="cannot write to the tracker store"):
        store_at(db)


def test_a_database_turned_read_only_refuses_the_turn_and_keeps_the_conversation(tmp_path: Path) -> None:
    db = tmp_path / "tracker.db"
    store = store_at(db)
    asyncio.run(store.save(conversation("family-2")))
    tracker = asyncio.run(store.retrieve("family-2"))
    assert tracker is not None
    tracker.update(UserUttered("and the treatment?", timestamp=6.0))
    with immutable(db, tmp_path):
        store.engine.dispose()  # connections opened from now on see a file they cannot write
        with pytest.raises(TrackerStoreUnavailable, match="readonly"):
            asyncio.run(store.save(tracker))
        assert asyncio.run(store.health()) is not None
    again = asyncio.run(store.retrieve("family-2"))
    assert again is not None
    assert [e.text for e in again.events if isinstance(e, UserUttered)] == ["what are the symptoms?"]


def test_a_removed_database_file_makes_the_store_unavailable_not_empty(tmp_path: Path, caplog) -> None:
    db = tmp_path / "tracker.db"
    store = store_at(db)
    asyncio.run(store.save(conversation("family-3")))
    assert asyncio.run(store.health()) is None
    db.unlink()
    with pytest.raises(TrackerStoreUnavailable, match="is gone"):
        asyncio.run(store.retrieve("family-3"))
    with pytest.raises(TrackerStoreUnavailable, match="is gone"):
        asyncio.run(store.save(conversation("family-4")))
    assert "is gone" in (asyncio.run(store.health()) or "")
    assert not db.exists()  # no empty database created in its place
    lines = [r.getMessage() for r in caplog.records if "tracker_store_unavailable" in r.getMessage()]
    assert len(lines) == 2
    assert all("operation=" in line for line in lines)
    assert not any("symptoms" in r.getMessage() for r in caplog.records)  # never the user's text


def test_health_is_cached_briefly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "tracker.db"
    store = store_at(db)
    probes = 0
    probe = store._probe

    def counting_probe() -> None:
        nonlocal probes
        probes += 1
        probe()

    monkeypatch.setattr(store, "_probe", counting_probe)
    monkeypatch.setattr(sql_tracker_store, "HEALTH_CACHE_SECONDS", 0.3)
    store._health = (0.0, None)
    for _ in range(5):
        assert asyncio.run(store.health()) is None
    assert probes == 1
    asyncio.run(asyncio.sleep(0.35))
    asyncio.run(store.health())
    assert probes == 2


def test_a_turn_in_flight_when_its_conversation_is_forgotten_is_not_saved(tmp_path: Path) -> None:
    db = tmp_path / "tracker.db"
    store = store_at(db)
    asyncio.run(store.save(conversation("family-5", "my phone is in my bag, Zoe Quincey has a fever")))
    tracker = asyncio.run(store.retrieve("family-5"))  # a message of family-5 is being handled ...
    assert tracker is not None
    tracker.update(UserUttered("and what about the treatment?", timestamp=6.0))
    assert retention.forget_sender(retention.open_store(db), "family-5") == 5  # ... when the family is forgotten
    asyncio.run(store.save(tracker))  # the turn ends
    assert asyncio.run(store.retrieve("family-5")) is None
    assert b"Quincey" not in db.read_bytes()
    # The family writes again: a new conversation, stored as usual.
    asyncio.run(store.save(conversation("family-5", "hello again")))
    again = asyncio.run(store.retrieve("family-5"))
    assert again is not None
    assert [e.text for e in again.events if isinstance(e, UserUttered)] == ["hello again"]


def test_a_conversation_saved_again_after_a_lost_commit_acknowledgement_is_not_doubled(tmp_path: Path) -> None:
    store = store_at(tmp_path / "tracker.db")
    tracker = conversation("family-6")
    asyncio.run(store.save(tracker))
    asyncio.run(store.save(tracker))  # a retry of a save whose commit went through
    loaded = asyncio.run(store.retrieve("family-6"))
    assert loaded is not None
    assert len(loaded.events) == len(tracker.events)


def test_a_database_turned_read_only_under_open_connections_refuses_the_turn(tmp_path: Path) -> None:
    db = tmp_path / "tracker.db"
    store = store_at(db)
    asyncio.run(store.save(conversation("family-7")))
    tracker = asyncio.run(store.retrieve("family-7"))
    assert tracker is not None
    tracker.update(UserUttered("and the treatment?", timestamp=6.0))
    with immutable(db, tmp_path, *tmp_path.glob("tracker.db-*")):  # the write-ahead log too
        with pytest.raises(TrackerStoreUnavailable):
            asyncio.run(store.save(tracker))
        assert asyncio.run(store.health()) is not None
