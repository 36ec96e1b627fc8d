"""The WAL SQLite tracker store keeps conversations exactly as Rasa's SQL tracker store does."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from stores.sqlite_tracker_store import WalSQLiteTrackerStore

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
    ours = WalSQLiteTrackerStore(DOMAIN, dialect="sqlite", db=db)
    asyncio.run(ours.save(conversation("family-1")))
    loaded = asyncio.run(ours.retrieve("family-1"))
    rasas = asyncio.run(SQLTrackerStore(DOMAIN, dialect="sqlite", db=db).retrieve("family-1"))
    assert loaded is not None and rasas is not None
    assert [e.as_dict() for e in loaded.events] == [e.as_dict() for e in rasas.events]
    assert [e.timestamp for e in loaded.events] == [2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]  # from the session start
    assert loaded.get_slot("section") == "symptoms"
    assert asyncio.run(ours.retrieve("nobody")) is None


def test_only_the_last_session_is_loaded_as_by_rasa(tmp_path: Path) -> None:
    db = str(tmp_path / "tracker.db")
    store = WalSQLiteTrackerStore(DOMAIN, dialect="sqlite", db=db)
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
        assert ours is not None and theirs is not None
        assert [e.as_dict() for e in ours.events] == [e.as_dict() for e in theirs.events]


def test_the_database_is_in_write_ahead_log_mode(tmp_path: Path) -> None:
    db = tmp_path / "tracker.db"
    store = WalSQLiteTrackerStore(DOMAIN, dialect="sqlite", db=str(db))
    asyncio.run(store.save(conversation("family-3")))
    with sqlite3.connect(db) as connection:
        assert connection.execute("pragma journal_mode").fetchone() == ("wal",)
