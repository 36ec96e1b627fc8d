"""Rasa's SQL tracker store on SQLite: write-ahead log, event column only, recent conversations kept in memory.

Costs of Rasa's ``SQLTrackerStore`` at every message (docs/benchmarks.md, Where the time goes):

- SQLite is opened with its defaults, a rollback journal and ``synchronous=FULL``, so saving a message's
  events waits for several fsyncs. In WAL mode with ``synchronous=NORMAL`` a commit appends to the log
  without waiting for the disk: a crash of the server loses nothing committed, a power cut can lose the
  last moments (acceptable for a chat history; the answers come from the knowledge base, not from here).
- SQLAlchemy 1.4 opens a new SQLite connection for every session (three per message); this store pools them.
- Loading a conversation builds a full ORM object per stored event, although only its JSON is used; this
  store selects the ``data`` column alone (same query, same order).
- Every message deserialises and replays the whole conversation, so a message costs more the longer the
  conversation. This store keeps the trackers it last saved or loaded for the :data:`CACHED_CONVERSATIONS`
  most recent conversations and hands one out again only while the database still holds exactly its
  events: same number of events in the current session and same last row id, checked with one aggregate
  query at every retrieve, and the tracker not changed since (its event count). A conversation deleted or
  changed behind the server's back (``make forget``, retention) is therefore read from the database again.
  Within one Rasa server the lock store already serialises the messages of a conversation; this store is
  for one server on one SQLite file (the production profile uses PostgreSQL and Rasa's own SQL store).

Selected in ``endpoints.yml`` with ``type: stores.sqlite_tracker_store.SQLiteTrackerStore`` and the same
settings as Rasa's ``SQL`` type; with another dialect only the second change applies.
"""

from __future__ import annotations

import itertools
import json
from collections import OrderedDict
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy import event
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import QueuePool

CACHED_CONVERSATIONS = 256

# Rasa's ``_event_query`` for the current session, counted. Written out once: building the ORM query
# (subquery, cache key) took more time than running it, twice per message (docs/benchmarks.md).
_STORED_STATE = sa.text(
    "select count(events.id), max(events.id) from events, "
    "(select max(timestamp) as session_start from events "
    " where sender_id = :sender_id and type_name = :session_started) as latest "
    "where events.sender_id = :sender_id "
    "and (events.timestamp >= latest.session_start or latest.session_start is null)"
).bindparams(session_started=SessionStarted.type_name)


class SQLiteTrackerStore(SQLTrackerStore):
    """Rasa's ``SQLTrackerStore`` for one Rasa server on a SQLite file (see the module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.engine: sa.engine.Engine
        if self.engine.dialect.name == "sqlite":
            # SQLAlchemy 1.4 opens and closes a SQLite file connection per session (NullPool): three per
            # message. A pool keeps them open; Rasa uses the store from its event-loop thread only.
            url = self.engine.url
            self.engine.dispose()
            self.engine = sa.create_engine(url, poolclass=QueuePool, connect_args={"check_same_thread": False})
            event.listen(self.engine, "connect", _wal)
            self.sessionmaker = sessionmaker(bind=self.engine)
        # sender id -> (tracker, (event count of its session, last row id)) as last saved or loaded
        self._recent: OrderedDict[str, tuple[DialogueStateTracker, tuple[int, int]]] = OrderedDict()

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The conversation's current session: the kept tracker while the database matches it, else loaded."""
        with self.session_scope() as session:
            stored = self._stored_state(session, sender_id)
            kept = self._recent.get(sender_id)
            if kept is not None and kept[1] == stored and len(kept[0].events) == stored[0]:
                self._recent.move_to_end(sender_id)
                return kept[0]
            tracker = self._load(session, sender_id, fetch_events_from_all_sessions=False)
        self._keep(sender_id, tracker, stored)
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Rasa's save: the events not yet stored are appended (one query fewer); the tracker is then kept."""
        await self.stream_events(tracker)
        with self.session_scope() as session:
            count, last_id = self._stored_state(session, tracker.sender_id)
            rows = [self._row(tracker.sender_id, e) for e in itertools.islice(tracker.events, count, None)]
            session.add_all(rows)
            session.flush()  # assigns the row ids
            last_id = rows[-1].id if rows else last_id
            session.commit()
        self._keep(tracker.sender_id, tracker, (count + len(rows), last_id))

    def _row(self, sender_id: str, stored: Event) -> Any:
        """The table row Rasa's ``SQLTrackerStore.save`` writes for an event."""
        data = stored.as_dict()
        return self.SQLEvent(
            sender_id=sender_id,
            type_name=stored.type_name,
            timestamp=data.get("timestamp"),
            intent_name=data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            action_name=data.get("name"),
            data=json.dumps(data),
        )

    async def _retrieve(self, sender_id: str, fetch_events_from_all_sessions: bool) -> DialogueStateTracker | None:
        with self.session_scope() as session:
            return self._load(session, sender_id, fetch_events_from_all_sessions)

    def _load(self, session: Any, sender_id: str, fetch_events_from_all_sessions: bool) -> DialogueStateTracker | None:
        """Rasa's ``_retrieve`` with the event JSON selected alone instead of whole ORM rows."""
        query = self._event_query(session, sender_id, fetch_events_from_all_sessions)
        events = [json.loads(data) for (data,) in query.with_entities(self.SQLEvent.data).all()]
        if not self.domain or not events:
            return None
        return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)

    def _stored_state(self, session: Any, sender_id: str) -> tuple[int, int]:
        """(events in the current session, last row id) of the conversation in the database."""
        count, last_id = session.execute(_STORED_STATE, {"sender_id": sender_id}).one()
        return int(count), int(last_id or 0)

    def _keep(self, sender_id: str, tracker: DialogueStateTracker | None, stored: tuple[int, int]) -> None:
        if tracker is None or len(tracker.events) != stored[0]:
            self._recent.pop(sender_id, None)
            return
        self._recent[sender_id] = (tracker, stored)
        self._recent.move_to_end(sender_id)
        while len(self._recent) > CACHED_CONVERSATIONS:
            self._recent.popitem(last=False)


def _wal(connection: Any, _: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("pragma journal_mode=wal")
    cursor.execute("pragma synchronous=normal")
    # Each pooled connection keeps its own page cache (2 MiB by default) that fills as the file grows;
    # the operating system caches the file anyway, so a small one bounds the server's memory sooner.
    cursor.execute("pragma cache_size=-512")
    cursor.close()
