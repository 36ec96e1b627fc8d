"""The report's settings: which store, which days, where to write, and the privacy threshold.

Read from the command line first, then the environment (``make report FROM=... TO=...`` passes both):

- the store: ``--url`` / ``TRACKER_URL`` (an SQLAlchemy URL, the production profile's PostgreSQL), else the
  SQLite file ``--db`` / ``TRACKER_DB`` (default ``var/tracker.db``);
- the period: ``--from`` / ``FROM`` and ``--to`` / ``TO``, dates ``YYYY-MM-DD`` in UTC, both days included
  (default: the 30 days up to today);
- ``--min-conversations`` / ``REPORT_MIN_CONVERSATIONS`` (N, default 3): a question's text is shown only when
  at least N different conversations asked something similar;
- ``--out`` / ``REPORT_DIR``: the folder for ``report.html`` and the CSV files (default ``var/report``, next
  to the conversations and git-ignored like them).

Every value is checked; a wrong one raises :class:`ReportSettingsError` with a message naming the setting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DB = "var/tracker.db"
DEFAULT_OUT = "var/report"
DEFAULT_DAYS = 30
DEFAULT_MIN_CONVERSATIONS = 3


class ReportSettingsError(ValueError):
    """A setting has a value the report cannot use; the message names the setting and says what to write."""


@dataclass(frozen=True)
class ReportSettings:
    store: str  # an SQLAlchemy URL or a SQLite file path (stores.retention.open_store)
    first_day: dt.date
    last_day: dt.date  # included
    min_conversations: int
    out_dir: Path

    @property
    def start(self) -> float:
        """The period's first second, Unix time (UTC midnight of ``first_day``)."""
        return _midnight(self.first_day)

    @property
    def end(self) -> float:
        """The second after the period (UTC midnight after ``last_day``)."""
        return _midnight(self.last_day + dt.timedelta(days=1))


def _midnight(day: dt.date) -> float:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp()


def _date(name: str, value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ReportSettingsError(f"{name}={value!r} is not a date: write it as YYYY-MM-DD, e.g. 2026-11-01") from None


def _text(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None


def settings_from(
    *,
    url: str | None = None,
    db: str | None = None,
    first: str | None = None,
    last: str | None = None,
    min_conversations: str | None = None,
    out: str | None = None,
    env: Mapping[str, str],
    today: dt.date | None = None,
) -> ReportSettings:
    """The settings from command-line values (``None``: not given) falling back to ``env``."""
    today = today or dt.datetime.now(dt.timezone.utc).date()
    store = _text(url) or _text(env.get("TRACKER_URL")) or _text(db) or _text(env.get("TRACKER_DB")) or DEFAULT_DB
    first_text, last_text = _text(first) or _text(env.get("FROM")), _text(last) or _text(env.get("TO"))
    last_day = _date("TO", last_text) if last_text else today
    first_day = _date("FROM", first_text) if first_text else last_day - dt.timedelta(days=DEFAULT_DAYS - 1)
    if first_day > last_day:
        raise ReportSettingsError(f"FROM={first_day} is after TO={last_day}: the period would be empty")
    n_text = _text(min_conversations) or _text(env.get("REPORT_MIN_CONVERSATIONS")) or str(DEFAULT_MIN_CONVERSATIONS)
    try:
        n = int(n_text)
    except ValueError:
        n = 0
    if n < 1:
        raise ReportSettingsError(
            f"REPORT_MIN_CONVERSATIONS={n_text!r} must be a whole number of 1 or more (default "
            f"{DEFAULT_MIN_CONVERSATIONS}): how many different conversations must ask a question before it is shown"
        )
    out_dir = Path(_text(out) or _text(env.get("REPORT_DIR")) or DEFAULT_OUT)
    if out_dir.exists() and not out_dir.is_dir():
        raise ReportSettingsError(f"REPORT_DIR={out_dir} is a file, not a folder")
    return ReportSettings(store, first_day, last_day, n, out_dir)
