"""Forget conversations in the SQLite tracker store (retention policy: docs/privacy.md).

    python scripts/privacy.py forget-old --days 30    # conversations whose last event is older than 30 days
    python scripts/privacy.py forget --sender ID      # one conversation
    (make forget-old DAYS=30 / make forget SENDER=ID)

The store is ``--db`` or ``$TRACKER_DB`` (default ``var/tracker.db``), the table Rasa's SQLTrackerStore writes
(``events``: one row per event with its ``sender_id`` and ``timestamp``). Rows are deleted in one
transaction, then the file is vacuumed so the deleted text does not linger in free pages. Safe while the
Rasa server runs: it reads a conversation from the store for every message.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import time
from pathlib import Path

DEFAULT_DB = "var/tracker.db"


def _connect(db: Path) -> sqlite3.Connection:
    if not db.exists():
        raise FileNotFoundError(f"no tracker store at {db}")
    connection = sqlite3.connect(db, timeout=30)
    if connection.execute("select 1 from sqlite_master where type='table' and name='events'").fetchone() is None:
        connection.close()
        raise ValueError(f"{db} has no 'events' table: not a Rasa SQL tracker store")
    return connection


def _vacuum(db: Path) -> None:
    connection = sqlite3.connect(db, timeout=30)
    try:
        connection.execute("vacuum")
    finally:
        connection.close()


def forget_sender(db: Path, sender: str) -> int:
    """Delete every event of ``sender``; the number of events deleted."""
    connection = _connect(db)
    try:
        with connection:
            deleted = connection.execute("delete from events where sender_id = ?", (sender,)).rowcount
    finally:
        connection.close()
    _vacuum(db)
    return deleted


def forget_older_than(db: Path, days: float, now: float | None = None) -> tuple[int, int]:
    """Delete conversations whose last event is older than ``days``; (conversations, events) deleted."""
    if days < 0:
        raise ValueError("days must be 0 or more")
    cutoff = (time.time() if now is None else now) - days * 86400
    connection = _connect(db)
    try:
        with connection:
            old = [
                row[0]
                for row in connection.execute(
                    "select sender_id from events group by sender_id having max(timestamp) < ?", (cutoff,)
                )
            ]
            events = 0
            for sender in old:
                events += connection.execute("delete from events where sender_id = ?", (sender,)).rowcount
    finally:
        connection.close()
    _vacuum(db)
    return len(old), events


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=Path(os.environ.get("TRACKER_DB") or DEFAULT_DB))
    commands = parser.add_subparsers(dest="command", required=True)
    old = commands.add_parser("forget-old", help="delete conversations whose last event is older than N days")
    old.add_argument("--days", type=float, default=30.0)
    one = commands.add_parser("forget", help="delete one conversation")
    one.add_argument("--sender", required=True)
    args = parser.parse_args(argv)
    try:
        if args.command == "forget":
            if not args.sender.strip():
                parser.error("--sender must not be empty")
            deleted = forget_sender(args.db, args.sender)
            print(f"privacy: deleted {deleted} events of conversation {args.sender!r} from {args.db}")
        else:
            conversations, events = forget_older_than(args.db, args.days)
            print(
                f"privacy: deleted {conversations} conversations ({events} events) "
                f"with no activity in the last {args.days:g} days from {args.db}"
            )
    except (FileNotFoundError, ValueError, sqlite3.Error) as problem:
        print(f"privacy: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
