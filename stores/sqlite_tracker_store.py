"""Rasa's SQL tracker store on SQLite, in write-ahead-log mode and reading only the event column.

Two costs of Rasa's ``SQLTrackerStore`` at every message (docs/benchmarks.md, Where the time goes):

- SQLite is opened with its defaults, a rollback journal and ``synchronous=FULL``, so saving a message's
  events waits for several fsyncs. In WAL mode with ``synchronous=NORMAL`` a commit appends to the log
  without waiting for the disk: a crash of the server loses nothing committed, a power cut can lose the
  last moments (acceptable for a chat history; the answers come from the knowledge base, not from here).
- Loading a conversation builds a full ORM object per stored event, although only its JSON is used; this
  store selects the ``data`` column alone (same query, same order).

Selected in ``endpoints.yml`` with ``type: stores.sqlite_tracker_store.WalSQLiteTrackerStore`` and the same
settings as Rasa's ``SQL`` type; with another dialect only the second change applies.
"""

from __future__ import annotations

import json
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import event


class WalSQLiteTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` whose SQLite connections use WAL and ``synchronous=NORMAL``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _wal)
            self.engine.dispose()  # connections opened while the tables were created reopen with the pragmas

    async def _retrieve(self, sender_id: str, fetch_events_from_all_sessions: bool) -> DialogueStateTracker | None:
        """Rasa's ``_retrieve`` with the event JSON selected alone instead of whole ORM rows."""
        with self.session_scope() as session:
            query = self._event_query(session, sender_id, fetch_events_from_all_sessions)
            events = [json.loads(data) for (data,) in query.with_entities(self.SQLEvent.data).all()]
        if not self.domain or not events:
            return None
        return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)


def _wal(connection: Any, _: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("pragma journal_mode=wal")
    cursor.execute("pragma synchronous=normal")
    cursor.close()
