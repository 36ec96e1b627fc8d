"""``python -m reporting`` (``make report``, ``make report FROM=2026-11-01 TO=2026-11-30``): write the report.

Options and environment variables: :mod:`reporting.settings`. Prints where it wrote the page and the CSV
files. Exit status 2 with one line on stderr for a wrong setting, 1 for a store that cannot be read or a
folder that cannot be written.
"""

from __future__ import annotations

import argparse
import os
import sys

import sqlalchemy as sa

from reporting.output import write_report
from reporting.settings import ReportSettingsError, settings_from


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reporting", description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--url", help="SQLAlchemy URL of the tracker store (default $TRACKER_URL)")
    parser.add_argument("--db", help="SQLite tracker store file (default $TRACKER_DB, else var/tracker.db)")
    parser.add_argument("--from", dest="first", metavar="YYYY-MM-DD", help="first day (UTC; default $FROM)")
    parser.add_argument("--to", dest="last", metavar="YYYY-MM-DD", help="last day, included (default $TO, else today)")
    parser.add_argument("--min-conversations", metavar="N", help="show a question asked in N+ conversations (3)")
    parser.add_argument("--out", metavar="FOLDER", help="where to write (default $REPORT_DIR, else var/report)")
    args = parser.parse_args(argv)
    try:
        settings = settings_from(
            url=args.url, db=args.db, first=args.first, last=args.last,
            min_conversations=args.min_conversations, out=args.out, env=os.environ,
        )  # fmt: skip
    except ReportSettingsError as problem:
        print(f"report: {problem}", file=sys.stderr)
        return 2
    try:
        written = write_report(settings)
    except (FileNotFoundError, ValueError, OSError) as problem:
        print(f"report: {problem}", file=sys.stderr)
        return 1
    except sa.exc.SQLAlchemyError as problem:  # the database's own first line, never the statement
        reason = str(getattr(problem, "orig", None) or problem).strip().splitlines()
        print(
            f"report: cannot read the tracker store: {reason[0] if reason else type(problem).__name__}", file=sys.stderr
        )
        return 1
    summary = dict((str(row[0]), row[1]) for row in written.report.tables["summary"].rows)
    print(
        f"report: {summary['conversations']} conversations, {summary['messages']} messages "
        f"from {settings.first_day} to {settings.last_day} in {written.store}"
    )
    print(f"report: wrote {written.html}")
    print(f"report: and the tables as CSV: {', '.join(path.name for path in written.csv_files)} in {settings.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
