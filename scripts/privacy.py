"""Forget conversations in the tracker store (retention policy: docs/privacy.md).

    python scripts/privacy.py forget-old --days 30    # conversations whose last event is older than 30 days
    python scripts/privacy.py forget --sender ID      # one conversation
    (make forget-old DAYS=30 / make forget SENDER=ID)

The store is ``--url`` or ``$TRACKER_URL`` (an SQLAlchemy URL, e.g. the production profile's
``postgresql://user:password@host:port/rasa``), else the SQLite file ``--db`` or ``$TRACKER_DB`` (default
``var/tracker.db``). Either way it is the table Rasa's SQLTrackerStore writes (``events``: one row per event
with its ``sender_id`` and ``timestamp``). Rows are deleted in one transaction, then the table is vacuumed
(SQLite: the whole file, so deleted text does not linger in free pages; PostgreSQL: ``VACUUM events``,
which frees the dead rows for reuse). Safe while Rasa servers run: they read a conversation from the store
for every message.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

DEFAULT_DB = "var/tracker.db"


def open_store(target: str | Path) -> Engine:
    """An engine for an SQLAlchemy URL, or for a SQLite file path (which must exist and be a Rasa store)."""
    text = str(target)
    if "://" not in text:
        if not Path(text).exists():
            raise FileNotFoundError(f"no tracker store at {text}")
        text = f"sqlite:///{Path(text).resolve()}"
    engine = sa.create_engine(text, future=True)
    try:
        if not sa.inspect(engine).has_table("events"):
            raise ValueError(f"{_safe(engine)} has no 'events' table: not a Rasa SQL tracker store")
    except sa.exc.OperationalError as problem:
        raise ValueError(f"cannot open {_safe(engine)}: {problem.orig}") from None
    return engine


def _safe(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def _vacuum(engine: Engine) -> None:
    statement = "vacuum" if engine.dialect.name == "sqlite" else "vacuum events"
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(sa.text(statement))
        if engine.dialect.name == "sqlite":  # the server's store is in WAL mode: empty the log file too
            connection.execute(sa.text("pragma wal_checkpoint(truncate)"))


def forget_sender(engine: Engine, sender: str) -> int:
    """Delete every event of ``sender``; the number of events deleted."""
    with engine.begin() as connection:
        deleted = connection.execute(sa.text("delete from events where sender_id = :s"), {"s": sender}).rowcount
    _vacuum(engine)
    return int(deleted)


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
        events = 0
        for sender in old:
            events += connection.execute(sa.text("delete from events where sender_id = :s"), {"s": sender}).rowcount
    _vacuum(engine)
    return len(old), events


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default=os.environ.get("TRACKER_URL"), help="SQLAlchemy URL of the store")
    parser.add_argument("--db", type=Path, default=Path(os.environ.get("TRACKER_DB") or DEFAULT_DB))
    commands = parser.add_subparsers(dest="command", required=True)
    old = commands.add_parser("forget-old", help="delete conversations whose last event is older than N days")
    old.add_argument("--days", type=float, default=30.0)
    one = commands.add_parser("forget", help="delete one conversation")
    one.add_argument("--sender", required=True)
    args = parser.parse_args(argv)
    try:
        engine = open_store(args.url or args.db)
        where = _safe(engine)
        if args.command == "forget":
            if not args.sender.strip():
                parser.error("--sender must not be empty")
            deleted = forget_sender(engine, args.sender)
            print(f"privacy: deleted {deleted} events of conversation {args.sender!r} from {where}")
        else:
            conversations, events = forget_older_than(engine, args.days)
            print(
                f"privacy: deleted {conversations} conversations ({events} events) "
                f"with no activity in the last {args.days:g} days from {where}"
            )
    except (FileNotFoundError, ValueError, sa.exc.SQLAlchemyError) as problem:
        print(f"privacy: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
