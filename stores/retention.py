"""Forgetting conversations in the SQL tracker store (retention policy: docs/privacy.md).

The store is the table Rasa's SQL tracker stores write (``events``: one row per event with its
``sender_id`` and ``timestamp``), on SQLite (``make run``) or PostgreSQL (production profile). Rows are
deleted in one transaction, then the table is vacuumed (SQLite: the whole file and its write-ahead log, so
deleted text does not linger in free pages; PostgreSQL: ``VACUUM events``, which frees the dead rows for
reuse). Safe while Rasa servers run: each delete holds the conversation's lock
(:func:`stores.conversation_lock.conversation_lock`), and the servers' store never saves a turn over a
conversation forgotten while that turn was handled, so a forgotten conversation starts afresh at its next
message and nothing of it comes back.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import cast

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from stores.conversation_lock import conversation_lock


def open_store(target: str | Path) -> Engine:
    """An engine for an SQLAlchemy URL, or for a SQLite file path (which must exist and be a Rasa store).

    Raises ``FileNotFoundError`` for a missing file and ``ValueError`` for a store that cannot be opened or
    has no ``events`` table; the message never contains a password.
    """
    text = str(target)
    if "://" not in text:
        if not Path(text).exists():
            raise FileNotFoundError(f"no tracker store at {text}")
        text = f"sqlite:///{Path(text).resolve()}"
    engine = sa.create_engine(text, future=True)
    try:
        if not sa.inspect(engine).has_table("events"):
            raise ValueError(f"{safe_address(engine)} has no 'events' table: not a Rasa SQL tracker store")
    except sa.exc.OperationalError as problem:
        raise ValueError(f"cannot open {safe_address(engine)}: {problem.orig}") from None
    return engine


def safe_address(engine: Engine) -> str:
    """The store's address with the password hidden."""
    return cast(str, engine.url.render_as_string(hide_password=True))  # SQLAlchemy 1.4 has no types


def _delete(connection: Connection, sender: str) -> int:
    conversation_lock(connection, sender)
    return int(connection.execute(sa.text("delete from events where sender_id = :s"), {"s": sender}).rowcount)


def _vacuum(engine: Engine) -> None:
    statement = "vacuum" if engine.dialect.name == "sqlite" else "vacuum events"
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(sa.text(statement))
        if engine.dialect.name == "sqlite":  # the server's store is in WAL mode: empty the log file too
            connection.execute(sa.text("pragma wal_checkpoint(truncate)"))


def forget_sender(engine: Engine, sender: str) -> int:
    """Delete every event of ``sender``; the number of events deleted."""
    with engine.begin() as connection:
        deleted = _delete(connection, sender)
    _vacuum(engine)
    return deleted


def forget_older_than(engine: Engine, days: float, now: float | None = None) -> tuple[int, int]:
    """Delete conversations whose last event is older than ``days``; (conversations, events) deleted."""
    if days < 0:
        raise ValueError("days must be 0 or more")
    cutoff = (time.time() if now is None else now) - days * 86400
    with engine.begin() as connection:
        old = [
            row[0]
            for row in connection.execute(
                sa.text("select sender_id from events group by sender_id having max(timestamp) < :cutoff"),
                {"cutoff": cutoff},
            )
        ]
        events = sum(_delete(connection, sender) for sender in old)
    _vacuum(engine)
    return len(old), events
