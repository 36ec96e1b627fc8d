"""Rasa's SQL tracker store that keeps every turn it acknowledges, or says it cannot.

Rasa's ``SQLTrackerStore`` behind Rasa's fail-safe wrapper answers a database failure with amnesia: a read
error is "no such conversation" (a new conversation, the disclaimer again), a write error keeps the turn in
memory only. :class:`DurableSQLTrackerStore` instead:

- checks at start that it can write (a probe row inserted and rolled back), waiting at most
  ``retry_seconds`` for a database that is still starting; otherwise it raises
  :class:`stores.errors.TrackerStoreUnavailable` with a message that says what to fix, and the server stops;
- checks pooled connections before use (``pool_pre_ping``), so a database restart costs no error;
- retries a transient failure (connection refused or lost, SQLite busy) with bounded exponential backoff for
  up to ``retry_seconds`` (default :data:`DEFAULT_RETRY_SECONDS`), so a restart of a few seconds costs no
  turn; then raises ``TrackerStoreUnavailable`` (never falls back to memory: :mod:`rasa_patches.fail_safe`), and
  logs one line ``tracker_store_unavailable operation=... reason=...`` at error level per failure;
- answers :meth:`health` (None, or why it cannot write) from the last operation or a probe, at most
  :data:`HEALTH_CACHE_SECONDS` old (``GET /healthz``, :mod:`channels.health`);
- never saves a turn over a conversation forgotten while it was handled (``make forget`` during a message):
  the last row it loaded must still be there when it writes, checked in the writing transaction under the
  conversation's lock (:mod:`stores.conversation_lock`, which the retention commands take too); otherwise
  the turn is dropped and a warning logged, and the conversation starts afresh at its next message;
- loads only the ``data`` column, and keeps the trackers it last saved or loaded for the
  :data:`CACHED_CONVERSATIONS` most recent conversations, handing one out again only while the database still
  holds exactly its events (same count in the current session and same last row id, one aggregate query at
  every retrieve) and it has not been changed since (its event count). A conversation deleted or changed
  behind the server's back (``make forget``, retention, another server) is therefore read again.

Selected in the endpoints files with ``type: stores.sql_tracker_store.DurableSQLTrackerStore`` (PostgreSQL)
or its SQLite subclass ``stores.sqlite_tracker_store.SQLiteTrackerStore``, with the settings of Rasa's
``SQL`` type plus ``retry_seconds``.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any, TypeVar, cast

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy.orm import sessionmaker

from stores.conversation_lock import conversation_lock
from stores.errors import NeverFallsBack, TrackerStoreUnavailable

logger = logging.getLogger(__name__)

T = TypeVar("T")

CACHED_CONVERSATIONS = 256
DEFAULT_RETRY_SECONDS = 10.0
HEALTH_CACHE_SECONDS = 1.5
CONNECT_TIMEOUT_SECONDS = 3  # PostgreSQL: a database that accepts no connection must not hold the server
PROBE_SENDER = "__tracker_store_write_probe__"
_FIRST_DELAY_S, _MAX_DELAY_S = 0.05, 1.0

# Rasa's ``_event_query`` for the current session, counted. Written out once: building the ORM query
# (subquery, cache key) took more time than running it, twice per message (docs/benchmarks.md).
_STORED_STATE = sa.text(
    "select count(events.id), max(events.id) from events, "
    "(select max(timestamp) as session_start from events "
    " where sender_id = :sender_id and type_name = :session_started) as latest "
    "where events.sender_id = :sender_id "
    "and (events.timestamp >= latest.session_start or latest.session_start is null)"
).bindparams(session_started=SessionStarted.type_name)
_ROW_EXISTS = sa.text("select 1 from events where id = :id and sender_id = :sender_id")


def describe(error: BaseException) -> str:
    """The database's own one-line message (never the statement or its parameters: they hold user text)."""
    original = getattr(error, "orig", None) or error
    lines = str(original).strip().splitlines()
    return f"{type(original).__name__}: {lines[0] if lines else ''}".strip().rstrip(":")


class DurableSQLTrackerStore(SQLTrackerStore, NeverFallsBack):
    """``SQLTrackerStore`` that retries, refuses honestly and never resurrects a forgotten turn (module doc)."""

    def __init__(self, *args: Any, retry_seconds: float | str = DEFAULT_RETRY_SECONDS, **kwargs: Any) -> None:
        self.retry_seconds = float(retry_seconds)
        super().__init__(*args, **kwargs)
        self.engine: sa.engine.Engine = self._durable_engine(self.engine)
        self.sessionmaker = sessionmaker(bind=self.engine)
        # sender id -> (tracker, (event count of its session, last row id)) as last saved or loaded
        self._recent: OrderedDict[str, tuple[DialogueStateTracker, tuple[int, int]]] = OrderedDict()
        # sender id -> (event count of its session, last row id) when this server last loaded or saved it
        self._loaded: OrderedDict[str, tuple[int, int]] = OrderedDict()
        self._health: tuple[float, str | None] = (0.0, None)
        self._check_at_start()

    # --- engine and start ------------------------------------------------------------------------------

    def _durable_engine(self, engine: sa.engine.Engine) -> sa.engine.Engine:
        """The engine to use instead of Rasa's: on PostgreSQL, connections checked before use, connect timeout."""
        if engine.dialect.name != "postgresql":
            return engine
        url = engine.url
        engine.dispose()
        connect_args: dict[str, Any] = {"connect_timeout": CONNECT_TIMEOUT_SECONDS}
        options = create_engine_kwargs(url)
        connect_args.update(options.pop("connect_args", {}))
        return sa.create_engine(url, pool_pre_ping=True, connect_args=connect_args, **options)

    def _check_at_start(self) -> None:
        """Raise ``TrackerStoreUnavailable`` unless a probe row can be written within ``retry_seconds``."""
        deadline = time.monotonic() + self.retry_seconds
        delay = _FIRST_DELAY_S
        while True:
            try:
                self._probe()
                return
            except sa.exc.SQLAlchemyError as error:
                if not self._is_transient(error) or time.monotonic() + delay > deadline:
                    reason = f"cannot write to the tracker store {self._where()}: {describe(error)}"
                    logger.error("tracker_store_unavailable operation=start reason=%r", reason)
                    raise TrackerStoreUnavailable(reason) from None
                time.sleep(delay)  # before the server serves anything: nothing else to run meanwhile
                delay = min(delay * 2, _MAX_DELAY_S)

    def _where(self) -> str:
        return cast(str, self.engine.url.render_as_string(hide_password=True))  # SQLAlchemy 1.4 has no types

    def _probe(self) -> None:
        """Insert a row and roll it back: proves the database is reachable and writable, leaves nothing."""
        self._check_file()
        with self.engine.connect() as connection:
            transaction = connection.begin()
            try:
                table = self.SQLEvent.__table__
                connection.execute(table.insert().values(sender_id=PROBE_SENDER, type_name="probe", timestamp=0))
            finally:
                transaction.rollback()

    def _check_file(self) -> None:
        """Raise ``TrackerStoreUnavailable`` when the store's file is gone (SQLite; nothing to check here)."""

    def _is_transient(self, error: sa.exc.SQLAlchemyError) -> bool:
        """Whether ``error`` may go away by itself within seconds (a restart, a dropped connection)."""
        if isinstance(error, sa.exc.DBAPIError) and error.connection_invalidated:
            return True
        return isinstance(error, sa.exc.OperationalError | sa.exc.InterfaceError | sa.exc.DisconnectionError)

    # --- every operation -------------------------------------------------------------------------------

    async def _reliably(self, operation: str, work: Callable[[], T]) -> T:
        """``work()``, retried while the failure is transient and ``retry_seconds`` allow; else unavailable."""
        deadline = time.monotonic() + self.retry_seconds
        delay, attempts = _FIRST_DELAY_S, 0
        while True:
            attempts += 1
            try:
                self._check_file()
                result = work()
                self._health = (time.monotonic(), None)
                return result
            except TrackerStoreUnavailable as unavailable:
                self._unavailable(operation, str(unavailable), attempts)
                raise
            except sa.exc.SQLAlchemyError as error:
                if not self._is_transient(error) or time.monotonic() + delay > deadline:
                    reason = describe(error)
                    self._unavailable(operation, reason, attempts)
                    raise TrackerStoreUnavailable(reason) from None
                await asyncio.sleep(delay)
                delay = min(delay * 2, _MAX_DELAY_S)

    def _unavailable(self, operation: str, reason: str, attempts: int) -> None:
        self._health = (time.monotonic(), reason)
        logger.error(
            "tracker_store_unavailable operation=%s attempts=%d store=%s reason=%r",
            operation, attempts, self._where(), reason,
        )  # fmt: skip

    async def health(self) -> str | None:
        """None when the store can be written, else why not; from the last operation or a fresh probe."""
        checked_at, reason = self._health
        if time.monotonic() - checked_at < HEALTH_CACHE_SECONDS:
            return reason
        try:
            self._probe()
            reason = None
        except TrackerStoreUnavailable as unavailable:
            reason = str(unavailable)
        except sa.exc.SQLAlchemyError as error:
            reason = describe(error)
        if reason is not None and self._health[1] is None:  # log the change, not every probe
            logger.error("tracker_store_unavailable operation=probe store=%s reason=%r", self._where(), reason)
        elif reason is None and self._health[1] is not None:
            logger.info("tracker_store_available store=%s", self._where())
        self._health = (time.monotonic(), reason)
        return reason

    # --- Rasa's interface ------------------------------------------------------------------------------

    async def keys(self) -> Iterable[str]:
        return await self._reliably("keys", lambda: list(self._keys_now()))

    def _keys_now(self) -> Iterable[str]:
        with self.session_scope() as session:
            return [sender for (sender,) in session.query(self.SQLEvent.sender_id).distinct().all()]

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The conversation's current session: the kept tracker while the database matches it, else loaded."""
        return await self._reliably("retrieve", lambda: self._retrieve_now(sender_id))

    def _retrieve_now(self, sender_id: str) -> DialogueStateTracker | None:
        with self.session_scope() as session:
            stored = self._stored_state(session, sender_id)
            self._remember(self._loaded, sender_id, stored)
            kept = self._recent.get(sender_id)
            if kept is not None and kept[1] == stored and len(kept[0].events) == stored[0]:
                self._recent.move_to_end(sender_id)
                return kept[0]
            tracker = self._load(session, sender_id, fetch_events_from_all_sessions=False)
        self._keep(sender_id, tracker, stored)
        return tracker

    async def retrieve_full_tracker(self, conversation_id: str) -> DialogueStateTracker | None:
        return await self._reliably("retrieve", lambda: self._retrieve_all_now(conversation_id))

    def _retrieve_all_now(self, sender_id: str) -> DialogueStateTracker | None:
        with self.session_scope() as session:
            return self._load(session, sender_id, fetch_events_from_all_sessions=True)

    async def _retrieve(self, sender_id: str, fetch_events_from_all_sessions: bool) -> DialogueStateTracker | None:
        with self.session_scope() as session:
            return self._load(session, sender_id, fetch_events_from_all_sessions)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Append the events not yet stored, unless the conversation was forgotten since it was loaded."""
        await self.stream_events(tracker)
        await self._reliably("save", lambda: self._save_now(tracker))

    def _save_now(self, tracker: DialogueStateTracker) -> None:
        sender = tracker.sender_id
        loaded = self._loaded.get(sender)
        with self.session_scope() as session:
            conversation_lock(session, sender)  # no forget of this conversation until the commit
            count, last_id = self._stored_state(session, sender)
            if loaded is not None and loaded[1] and not self._still_there(session, sender, loaded[1]):
                session.rollback()
                self._forget_locally(sender)
                logger.warning("tracker_store_turn_dropped reason='the conversation was forgotten during the turn'")
                return
            rows = [self._row(sender, e) for e in itertools.islice(tracker.events, count, None)]
            session.add_all(rows)
            session.flush()  # assigns the row ids
            last_id = rows[-1].id if rows else last_id
            session.commit()
        stored = (count + len(rows), last_id)
        self._remember(self._loaded, sender, stored)
        self._keep(sender, tracker, stored)

    # --- helpers ---------------------------------------------------------------------------------------

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

    def _still_there(self, session: Any, sender_id: str, row_id: int) -> bool:
        return session.execute(_ROW_EXISTS, {"id": row_id, "sender_id": sender_id}).first() is not None

    def _forget_locally(self, sender_id: str) -> None:
        self._recent.pop(sender_id, None)
        self._loaded.pop(sender_id, None)

    def _remember(self, where: OrderedDict[str, Any], sender_id: str, value: Any) -> None:
        where[sender_id] = value
        where.move_to_end(sender_id)
        while len(where) > CACHED_CONVERSATIONS * 16:  # state of conversations in flight; tiny entries
            where.popitem(last=False)

    def _keep(self, sender_id: str, tracker: DialogueStateTracker | None, stored: tuple[int, int]) -> None:
        if tracker is None or len(tracker.events) != stored[0]:
            self._recent.pop(sender_id, None)
            return
        self._recent[sender_id] = (tracker, stored)
        self._recent.move_to_end(sender_id)
        while len(self._recent) > CACHED_CONVERSATIONS:
            self._recent.popitem(last=False)
