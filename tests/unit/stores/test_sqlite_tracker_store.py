"""The WAL SQLite tracker store keeps conversations exactly as Rasa's SQL tracker store does."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from stores import retention, sql_tracker_store
from stores.sqlite_tracker_store import SQLiteTrackerStore

DOMAIN = Domain.from_yaml(
    """
version: "3.1"
intents: [ask_symptoms]
slots:
  section:
    type: text
    mappings: [{type: custom}]
"""
)


def conversation(sender: str) -> DialogueStateTracker:
    tracker = DialogueStateTracker(sender, DOMAIN.slots)
    for event in (
        ActionExecuted("action_session_start", timestamp=1.0),
        SessionStarted(timestamp=2.0),
        ActionExecuted("action_listen", timestamp=3.0),
        UserUttered("what are the symptoms?", {"name": "ask_symptoms", "confidence": 0.97}, timestamp=4.0),
        ActionExecuted("action_answer_topic", timestamp=5.0),
        BotUttered("From “Symptoms…”", {"custom": {"answer_type": "answer"}}, timestamp=6.0),
        SlotSet("section", "symptoms", timestamp=7.0),
        ActionExecuted("action_listen", timestamp=8.0),
    ):
        tracker.update(event)
    return tracker


def test_a_saved_conversation_comes_back_as_rasa_reads_it(tmp_path: Path) -> None:
    db = str(tmp_path / "tracker.db")
    ours = SQLiteTrackerStore(DOMAIN, dialect="sqlite", db=db)
    asyncio.run(ours.save(conversation("family-1")))
    loaded = asyncio.run(ours.retrieve("family-1"))
    rasas = asyncio.run(SQLTrackerStore(DOMAIN, dialect="sqlite", db=db).retrieve("family-1"))
    assert loaded is not None
    assert rasas is not None
    assert [e.as_dict() for e in loaded.events] == [e.as_dict() for e in rasas.events]
    assert [e.timestamp for e in loaded.events] == [2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]  # from the session start
    assert loaded.get_slot("section") == "symptoms"
    assert asyncio.run(ours.retrieve("nobody")) is None


def test_only_the_last_session_is_loaded_as_by_rasa(tmp_path: Path) -> None:
    db = str(tmp_path / "tracker.db")
    store = SQLiteTrackerStore(DOMAIN, dialect="sqlite", db=db)
    tracker = conversation("family-2")
    asyncio.run(store.save(tracker))
    tracker.update(ActionExecuted("action_session_start", timestamp=10.0))
    tracker.update(SessionStarted(timestamp=11.0))
    tracker.update(ActionExecuted("action_listen", timestamp=12.0))
    asyncio.run(store.save(tracker))
    rasas = SQLTrackerStore(DOMAIN, dialect="sqlite", db=db)
    loaded = asyncio.run(store.retrieve("family-2"))
    assert loaded is not None
    assert [e.timestamp for e in loaded.events] == [11.0, 12.0]
    for read in ("retrieve", "retrieve_full_tracker"):
        ours, theirs = (asyncio.run(getattr(s, read)("family-2")) for s in (store, rasas))
        assert ours is not None
        assert theirs is not None
        assert [e.as_dict() for e in ours.events] == [e.as_dict() for e in theirs.events]


def test_the_database_is_in_write_ahead_log_mode(tmp_path: Path) -> None:
    db = tmp_path / "tracker.db"
    store = SQLiteTrackerStore(DOMAIN, dialect="sqlite", db=str(db))
    asyncio.run(store.save(conversation("family-3")))
    with sqlite3.connect(db) as connection:
        assert connection.execute("pragma journal_mode").fetchone() == ("wal",)


def test_the_stored_state_counts_what_rasas_session_query_returns(tmp_path: Path) -> None:
    store = SQLiteTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "tracker.db"))
    tracker = conversation("family-4")
    asyncio.run(store.save(conversation("someone-else")))
    states = []
    for step in range(3):  # one session, then two more started in the same conversation
        asyncio.run(store.save(tracker))
        with store.session_scope() as session:
            rows = store._event_query(session, "family-4", fetch_events_from_all_sessions=False).all()
            states.append((store._stored_state(session, "family-4"), (len(rows), max(r.id for r in rows))))
        tracker.update(ActionExecuted("action_session_start", timestamp=10.0 + step))
        tracker.update(SessionStarted(timestamp=10.5 + step))
        tracker.update(ActionExecuted("action_listen", timestamp=10.7 + step))
    assert [ours for ours, _ in states] == [rasas for _, rasas in states]
    assert [count for (count, _), _ in states] == [7, 2, 2]
    with store.session_scope() as session:
        assert store._stored_state(session, "nobody") == (0, 0)


def as_dicts(tracker: DialogueStateTracker | None) -> list[dict]:
    assert tracker is not None
    return [e.as_dict() for e in tracker.events]


def test_a_kept_conversation_is_what_the_database_holds(tmp_path: Path) -> None:
    db = str(tmp_path / "tracker.db")
    store = SQLiteTrackerStore(DOMAIN, dialect="sqlite", db=db)
    asyncio.run(store.save(conversation("family-4")))
    first = asyncio.run(store.retrieve("family-4"))
    assert asyncio.run(store.retrieve("family-4")) is first  # kept, not rebuilt
    rasas = SQLTrackerStore(DOMAIN, dialect="sqlite", db=db)
    assert as_dicts(first) == as_dicts(asyncio.run(rasas.retrieve("family-4")))


def test_a_changed_but_unsaved_tracker_is_not_handed_out_again(tmp_path: Path) -> None:
    store = SQLiteTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "tracker.db"))
    asyncio.run(store.save(conversation("family-5")))
    tracker = asyncio.run(store.retrieve("family-5"))
    assert tracker is not None
    stored = as_dicts(tracker)
    tracker.update(SlotSet("section", "never-saved", timestamp=9.0))  # e.g. a message that failed before save
    again = asyncio.run(store.retrieve("family-5"))
    assert again is not tracker
    assert as_dicts(again) == stored


def test_changes_made_behind_the_servers_back_are_seen(tmp_path: Path) -> None:
    db = tmp_path / "tracker.db"
    store = SQLiteTrackerStore(DOMAIN, dialect="sqlite", db=str(db))
    asyncio.run(store.save(conversation("family-6")))
    asyncio.run(store.save(conversation("family-7")))
    assert asyncio.run(store.retrieve("family-6")) is not None
    # another writer (a second process on the same file) adds an event ...
    other = SQLiteTrackerStore(DOMAIN, dialect="sqlite", db=str(db))
    longer = asyncio.run(other.retrieve("family-6"))
    assert longer is not None
    longer.update(SlotSet("section", "treatment", timestamp=9.0))
    asyncio.run(other.save(longer))
    seen = asyncio.run(store.retrieve("family-6"))
    assert seen is not None
    assert seen.get_slot("section") == "treatment"
    # ... and `make forget` deletes a conversation
    with sqlite3.connect(db) as connection:
        connection.execute("delete from events where sender_id = 'family-7'")
    assert asyncio.run(store.retrieve("family-7")) is None


def test_only_the_most_recent_conversations_are_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sql_tracker_store, "CACHED_CONVERSATIONS", 3)
    store = SQLiteTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "tracker.db"))
    for n in range(5):
        asyncio.run(store.save(conversation(f"family-{n}")))
        asyncio.run(store.retrieve(f"family-{n}"))
    assert list(store._recent) == ["family-2", "family-3", "family-4"]
    assert asyncio.run(store.retrieve("family-0")) is not None  # still in the database


def test_a_forgotten_conversation_leaves_no_text_in_the_database_or_its_log(tmp_path: Path) -> None:
    db = tmp_path / "tracker.db"
    store = SQLiteTrackerStore(DOMAIN, dialect="sqlite", db=str(db))
    tracker = conversation("family-8")
    tracker.update(UserUttered("my daughter Zoe Quincey-Marchbanks has a fever", timestamp=9.0))
    asyncio.run(store.save(tracker))
    files = [db, db.with_name(db.name + "-wal")]
    assert any(b"Quincey-Marchbanks" in f.read_bytes() for f in files if f.exists())
    assert retention.forget_sender(sa.create_engine(f"sqlite:///{db}"), "family-8") > 0
    assert not any(b"Quincey-Marchbanks" in f.read_bytes() for f in files if f.exists())
    assert asyncio.run(store.retrieve("family-8")) is None
