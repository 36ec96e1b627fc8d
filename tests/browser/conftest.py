"""Browser tests: Playwright driving Debian's chromium against the real action + Rasa servers.

Chromium comes from ``scripts/install_browser.sh`` (never ``playwright install``). Screenshots go to
``test-artifacts/screenshots/``; with ``UPDATE_DOC_IMAGES=1`` the README images in ``docs/images/`` are
rewritten too.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, ViewportSize, sync_playwright

from serving.local_servers import ROOT, Servers, free_port, running_servers

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CARE_TEAM_PHONE = "+1 555 010 0199"  # a fictional number (555-01xx is reserved for fiction)
CARE_TEAM_LABEL = "Oncology on-call"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
DOC_IMAGES = ROOT / "docs" / "images"
DESKTOP: ViewportSize = {"width": 1280, "height": 860}


def screenshot(page: Page, name: str, *, doc_image: str | None = None) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
    if doc_image and os.environ.get("UPDATE_DOC_IMAGES") == "1":
        DOC_IMAGES.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(DOC_IMAGES / doc_image))


class HospitalSite:
    """Another origin (a "hospital website") whose page embeds the widget with the one-line snippet."""

    def __init__(self) -> None:
        self.bot_url = ""
        port = free_port()
        self.origin = f"http://127.0.0.1:{port}"
        self.other_origin = f"http://localhost:{port}"  # same server, but an origin the bot does not allow
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                page = (
                    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Hospital</title></head>'
                    "<body><h1>A hospital website on another origin</h1>"
                    f'<script src="{site.bot_url}/widget/widget.js" data-server="{site.bot_url}" defer></script>'
                    "</body></html>"
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture(scope="package")
def hospital_site() -> Iterator[HospitalSite]:
    site = HospitalSite()
    yield site
    site.server.shutdown()
    site.server.server_close()


@pytest.fixture(scope="package")
def servers(tmp_path_factory: pytest.TempPathFactory, hospital_site: HospitalSite) -> Iterator[Servers]:
    """The real servers; CORS allows the hospital site's origin only (like CORS_ORIGINS in scripts/run.sh)."""
    workdir = Path(tmp_path_factory.mktemp("browser-servers"))
    care_team = {"CARE_TEAM_PHONE": CARE_TEAM_PHONE, "CARE_TEAM_PHONE_LABEL": CARE_TEAM_LABEL}
    with running_servers(workdir, extra_env=care_team, rasa_args=("--cors", hospital_site.origin)) as running:
        hospital_site.bot_url = running.rasa_url
        yield running


@contextlib.contextmanager
def launched_chromium() -> Iterator[Browser]:
    """Debian's chromium under Playwright. While it is open, Playwright's event loop runs in this thread, so
    tests that call ``asyncio.run`` must not share its scope (the cluster tests scope it to their module)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `bash scripts/install_browser.sh` (never `playwright install`)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    with launched_chromium() as launched:
        yield launched


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh browser profile for each test: no storage, no cookies carried over."""
    ctx = browser.new_context(viewport=DESKTOP, locale="en-US", reduced_motion="reduce")
    ctx.set_default_timeout(30_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: BrowserContext, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A page that fails the test on any JavaScript error or Content-Security-Policy violation."""
    opened = context.new_page()
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            problems.append(f"CSP: {message.text}")

    opened.on("console", on_console)
    opened.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    yield opened
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    with contextlib.suppress(Exception):  # a closed page has nothing to show
        screenshot(opened, f"last-{name}")
    assert not problems, problems
