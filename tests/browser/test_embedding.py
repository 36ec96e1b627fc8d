"""The one-line snippet on another site (a second local HTTP server): allowed by CORS_ORIGINS it works; not
allowed, the parent reads "Chat isn't available on this page", the console says once which setting to change,
and the server logs the refused origin once (rate-limited), however often the page tried."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from serving.local_servers import Servers
from tests.browser.conftest import HospitalSite

pytestmark = pytest.mark.integration


def ask(page: Page, question: str) -> None:
    box = page.get_by_role("textbox", name="Your question")
    box.fill(question)
    box.press("Enter")


def refusal_lines(servers: Servers, origin: str) -> list[str]:
    log = (servers.workdir / "rasa.log").read_text(encoding="utf-8", errors="replace")
    return [line for line in log.splitlines() if "CORS: refused a request from origin" in line and origin in line]


def test_allowed_origin_works_and_a_refused_one_explains_itself(
    page: Page, hospital_site: HospitalSite, servers: Servers
) -> None:
    console: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        console.append(message.text)

    page.on("console", on_console)
    page.goto(hospital_site.origin + "/")  # allowed (the servers fixture passes --cors with this origin)
    page.get_by_role("button", name="Ask about childhood ALL").click()
    ask(page, "what is childhood ALL?")
    answers = page.locator(".pdq-row-bot[data-answer-type=answer]")
    expect(answers).to_have_count(1)
    link = answers.first.locator(".pdq-sources a")
    assert (link.get_attribute("href") or "").startswith("https://www.cancer.gov/")
    assert not [text for text in console if "CORS" in text]
    assert refusal_lines(servers, hospital_site.origin) == []

    refused = hospital_site.other_origin  # same site server, but an origin the bot does not allow
    page.goto(refused + "/")
    page.get_by_role("button", name="Ask about childhood ALL").click()
    banner = page.locator(".pdq-banner")
    expect(banner).to_contain_text("Chat isn't available on this page", timeout=20_000)
    expect(banner).not_to_contain_text("reconnect")
    expect(page.locator(".pdq-root")).to_have_attribute("data-status", "refused")
    expect(page.get_by_role("textbox", name="Your question")).to_be_disabled()

    time.sleep(6)  # longer than the widget's reconnection delays: nothing more may be logged
    advice = [text for text in console if "CORS_ORIGINS" in text]
    assert len(advice) == 1, advice
    assert "CORS_ORIGINS on BOT-HOST" in advice[0]
    assert refused in advice[0]
    blocked = [text for text in console if "blocked by CORS policy" in text]
    assert len(blocked) >= 2, console  # the page tried more than once ...

    lines = refusal_lines(servers, refused)
    assert len(lines) == 1, lines  # ... and the server said so once, at warning level
    assert "WARNING" in lines[0]
    assert "CORS_ORIGINS" in lines[0]
