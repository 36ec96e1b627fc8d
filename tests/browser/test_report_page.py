"""The content owner's report page in Chromium: complete without JavaScript and without loading anything.

The report is written from the seeded store of tests/unit/reporting/ (its counts are checked there); here the
page is opened from disk with JavaScript off and every request it makes is recorded. ``UPDATE_DOC_IMAGES=1``
rewrites the README's screenshot, ``docs/images/report.png``.
"""

from __future__ import annotations

import datetime as dt
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Request
from rasa.core.tracker_store import SQLTrackerStore

from reporting.output import Written, write_report
from reporting.settings import ReportSettings
from tests.browser.conftest import DOC_IMAGES, SCREENSHOTS
from tests.unit.reporting.seeded_store import D1, D3, seed

pytestmark = pytest.mark.integration


def seeded_report(folder: Path) -> Written:
    store = folder / "tracker.db"
    seed(SQLTrackerStore(dialect="sqlite", db=str(store)))
    settings = ReportSettings(str(store), D1, D3, min_conversations=3, out_dir=folder / "report")
    return write_report(settings, dt.datetime(2026, 11, 5, 8, 0, tzinfo=dt.timezone.utc))


def test_the_report_shows_its_charts_and_tables_without_javascript_or_network(browser: Browser, tmp_path: Path) -> None:
    # The store is written with asyncio.run, which cannot run in the thread where Playwright's loop lives.
    with ThreadPoolExecutor(1) as pool:
        written = pool.submit(seeded_report, tmp_path).result()
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1100, "height": 900})
    requests: list[str] = []

    def record(request: Request) -> None:
        requests.append(request.url)

    context.on("request", record)
    page = context.new_page()
    page.goto(written.html.as_uri())
    images = page.locator("img")
    assert images.count() == 4
    for index in range(images.count()):
        box = images.nth(index).bounding_box()
        assert box is not None
        assert box["width"] > 300  # drawn, not a broken-image icon
        assert box["height"] > 100
    assert page.locator("h2").all_inner_texts()[:2] == ["Summary", "Conversations and messages per day and channel"]
    unanswered = page.locator("table").last.locator("tbody tr")
    assert unanswered.all_inner_texts() == ["will my child lose hair\t3\t3\t3\t0\t0"]
    assert "8 questions" not in page.inner_text("body")  # N = 3 here: 5 questions in 3 groups left out
    assert "Left out here: 5 questions in 3 groups." in page.inner_text(".privacy")
    assert requests == [written.html.as_uri()]  # nothing else fetched: charts are inline
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "report.png"), full_page=True)
    if os.environ.get("UPDATE_DOC_IMAGES") == "1":
        page.screenshot(path=str(DOC_IMAGES / "report.png"), full_page=True)
    context.close()
