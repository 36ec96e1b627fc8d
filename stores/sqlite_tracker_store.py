"""The durable SQL tracker store on one SQLite file (``make run``): write-ahead log, pooled connections.

:class:`SQLiteTrackerStore` is :class:`stores.sql_tracker_store.DurableSQLTrackerStore` (retries, honest
refusal, no fallback to memory, kept recent conversations, no resurrection of forgotten turns) with what
SQLite needs besides (docs/benchmarks.md, Where the time goes):

- SQLite is opened with its defaults, a rollback journal and ``synchronous=FULL``, so saving a message's
  events waits for several fsyncs. In WAL mode with ``synchronous=NORMAL`` a commit appends to the log
  without waiting for the disk: a crash of the server loses nothing committed, a power cut can lose the
  last moments (acceptable for a chat history; the answers come from the knowledge base, not from here).
- SQLAlchemy 1.4 opens a new SQLite connection for every session (three per message); this store pools them.
- The file must be there: its folder must exist at start (else the server stops with a message naming it),
  and after the start it is opened with ``mode=rw`` and its identity (device, inode) is checked before every
  operation, so a file removed or replaced while the server runs makes the store unavailable instead of
  silently starting an empty database (every conversation forgotten).
- Only "database is locked" counts as transient; a read-only or missing file is reported at once.

Selected in ``endpoints.yml`` with ``type: stores.sqlite_tracker_store.SQLiteTrackerStore``, ``dialect:
"sqlite"`` and ``db:`` the file. Within one Rasa server the lock store serialises the messages of a
conversation; this store is for one server on one file (the production profile uses PostgreSQL).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.pool import QueuePool

from stores.errors import TrackerStoreUnavailable
from stores.sql_tracker_store import DurableSQLTrackerStore

logger = logging.getLogger(__name__)


class SQLiteTrackerStore(DurableSQLTrackerStore):
    """The durable SQL tracker store for one Rasa server on a SQLite file (see the module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        db = kwargs.get("db")
        self._path: Path | None = None
        self._identity: tuple[int, int] | None = None
        if kwargs.get("dialect", "sqlite") == "sqlite" and db and db != ":memory:":
            self._path = Path(str(db)).expanduser().resolve()
            if not self._path.parent.is_dir():
                reason = (
                    f"the tracker store's folder {self._path.parent} does not exist (TRACKER_DB={db}): "
                    "create it or point TRACKER_DB at a file in an existing folder"
                )
                logger.error("tracker_store_unavailable operation=start reason=%r", reason)
                raise TrackerStoreUnavailable(reason)
        super().__init__(*args, **kwargs)

    def _durable_engine(self, engine: sa.engine.Engine) -> sa.engine.Engine:
        if engine.dialect.name != "sqlite" or self._path is None:
            return engine
        # SQLAlchemy 1.4 opens and closes a SQLite file connection per session (NullPool): three per
        # message. A pool keeps them open; Rasa uses the store from its event-loop thread only.
        engine.dispose()
        if not self._path.exists():
            raise TrackerStoreUnavailable(f"cannot create the tracker store {self._path}")
        self._identity = _identity(self._path)
        url = sa.engine.URL.create(
            "sqlite", database=f"file:{quote(str(self._path))}", query={"mode": "rw", "uri": "true"}
        )
        durable = sa.create_engine(url, poolclass=QueuePool, connect_args={"check_same_thread": False})
        event.listen(durable, "connect", _wal)
        return durable

    def _where(self) -> str:
        return str(self._path) if self._path is not None else super()._where()

    def _check_file(self) -> None:
        if self._path is None or self._identity is None:
            return
        try:
            identity = _identity(self._path)
        except FileNotFoundError:
            raise TrackerStoreUnavailable(f"the tracker store file {self._path} is gone") from None
        if identity != self._identity:
            raise TrackerStoreUnavailable(
                f"the tracker store file {self._path} was replaced; restart the server to use the new file"
            )

    def _is_transient(self, error: sa.exc.SQLAlchemyError) -> bool:
        message = str(getattr(error, "orig", error)).lower()
        return isinstance(error, sa.exc.OperationalError) and ("locked" in message or "busy" in message)


def _identity(path: Path) -> tuple[int, int]:
    stat = os.stat(path)
    return stat.st_dev, stat.st_ino


def _wal(connection: Any, _: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("pragma journal_mode=wal")
    cursor.execute("pragma synchronous=normal")
    # Each pooled connection keeps its own page cache (2 MiB by default) that fills as the file grows;
    # the operating system caches the file anyway, so a small one bounds the server's memory sooner.
    cursor.execute("pragma cache_size=-512")
    cursor.close()
