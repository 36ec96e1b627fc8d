"""Building the report from a store and writing it: ``report.html`` and one CSV file per table."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from reporting.page import render
from reporting.settings import ReportSettings
from reporting.tables import Report, build_report
from reporting.turns import decode
from stores.event_log import events_between
from stores.retention import open_store, safe_address

HTML_NAME = "report.html"


@dataclass(frozen=True)
class Written:
    report: Report
    html: Path
    csv_files: list[Path]
    store: str  # the store's address, password hidden


def write_csv(report: Report, folder: Path) -> list[Path]:
    """One ``<table>.csv`` per table (header row, then the rows), UTF-8."""
    paths = []
    for table in report.tables.values():
        path = folder / f"{table.name}.csv"
        with path.open("w", newline="", encoding="utf-8") as file:
            writer = csv.writer(file)
            writer.writerow(table.columns)
            writer.writerows(table.rows)
        paths.append(path)
    return paths


def write_report(settings: ReportSettings, now: dt.datetime | None = None) -> Written:
    """Read the store of ``settings`` for its period and write the page and the CSV files to its folder.

    Raises ``FileNotFoundError`` / ``ValueError`` (stores.retention.open_store) for a store that cannot be
    opened, ``sqlalchemy.exc.SQLAlchemyError`` for one that fails while read, ``OSError`` for a folder that
    cannot be written."""
    engine = open_store(settings.store)
    try:
        store = safe_address(engine)
        report = build_report(decode(events_between(engine, settings.start, settings.end)), settings)
    finally:
        engine.dispose()
    settings.out_dir.mkdir(parents=True, exist_ok=True)
    html = settings.out_dir / HTML_NAME
    generated = now or dt.datetime.now(dt.timezone.utc)
    html.write_text(render(report, generated, store), encoding="utf-8")
    return Written(report, html, write_csv(report, settings.out_dir), store)
