"""Forget conversations in the tracker store (retention policy: docs/privacy.md; the SQL: stores/retention.py).

    python -m scripts.privacy forget-old --days 30    # conversations whose last event is older than 30 days
    python -m scripts.privacy forget --sender ID      # one conversation
    (make forget-old DAYS=30 / make forget SENDER=ID)

The store is ``--url`` or ``$TRACKER_URL`` (an SQLAlchemy URL, e.g. the production profile's
``postgresql://user:password@host:port/rasa``), else the SQLite file ``--db`` or ``$TRACKER_DB`` (default
``var/tracker.db``). Exit status 1 with one line on stderr when the store cannot be opened.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import sqlalchemy as sa

from stores.retention import forget_older_than, forget_sender, open_store, safe_address

DEFAULT_DB = "var/tracker.db"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--url", default=os.environ.get("TRACKER_URL"), help="SQLAlchemy URL of the store")
    parser.add_argument("--db", type=Path, default=Path(os.environ.get("TRACKER_DB") or DEFAULT_DB))
    commands = parser.add_subparsers(dest="command", required=True)
    old = commands.add_parser("forget-old", help="delete conversations whose last event is older than N days")
    old.add_argument("--days", type=float, default=30.0)
    one = commands.add_parser("forget", help="delete one conversation")
    one.add_argument("--sender", required=True)
    args = parser.parse_args(argv)
    if args.command == "forget" and not args.sender.strip():
        parser.error("--sender must not be empty")
    try:
        engine = open_store(args.url or args.db)
        where = safe_address(engine)
        if args.command == "forget":
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
