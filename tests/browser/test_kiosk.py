"""The waiting-room kiosk, in chromium, against the real bot."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from serving.local_servers import Servers
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.integration

HEX_ID = re.compile(r"^[0-9a-f]{32}$")


def ask(page: Page, question: str) -> None:
    box = page.get_by_role("textbox", name="Your question")
    box.fill(question)
    box.press("Enter")


def answers(page: Page) -> Locator:
    return page.locator(".row-bot[data-answer-type=answer]")


def session_id(page: Page, other_than: str = "") -> str:
    """The conversation id the server issued to the page (waits for it, and for one other than ``other_than``)."""
    kiosk = page.locator("#kiosk")
    if other_than:
        expect(kiosk).not_to_have_attribute("data-session-id", other_than)
    expect(kiosk).to_have_attribute("data-session-id", HEX_ID)
    value = kiosk.get_attribute("data-session-id") or ""
    assert HEX_ID.match(value), value
    return value


def assert_nothing_stored(page: Page, context: BrowserContext) -> None:
    assert page.evaluate("[localStorage.length, sessionStorage.length, document.cookie]") == [0, 0, ""]
    assert context.cookies() == []


def test_answers_buttons_idle_reset_and_nothing_stored(page: Page, context: BrowserContext, servers: Servers) -> None:
    page.goto(servers.rasa_url + "/kiosk/?idle=3")
    expect(page.locator(".privacy")).to_contain_text("Please don't type your child's name or other personal details.")
    expect(page.locator("#idle-note")).to_have_text("This screen clears itself after 3 seconds without use.")
    first_session = session_id(page)

    ask(page, "what are the symptoms of leukemia?")
    expect(answers(page)).to_have_count(1)
    answer = answers(page).first
    expect(page.locator(".disclaimer")).to_contain_text("It is not medical advice")
    expect(answer.locator(".sources li")).to_have_text(
        "Source: NCI, Symptoms of childhood acute lymphoblastic leukemia · cancer.gov · updated Feb 12, 2025"
    )
    expect(answer.locator(".source-line")).to_contain_text("cancer.gov")
    expect(answer.locator(".source-line")).to_be_hidden()  # the structured sources replace it on screen
    expect(answer).not_to_contain_text("https://")
    expect(page.locator("a")).to_have_count(0)  # nothing leads away from the kiosk
    screenshot(page, "kiosk-answer")

    chip = answer.locator(".chips button").first
    title = chip.inner_text()
    chip.click()
    expect(page.locator(".user").last).to_have_text(f"You asked: {title}")
    expect(answers(page)).to_have_count(2)
    expect(page.locator("a")).to_have_count(0)
    assert session_id(page) == first_session
    assert_nothing_stored(page, context)

    # No touch for 3 s: the screen is wiped and a new conversation starts with a new session id.
    expect(page.locator(".row")).to_have_count(0, timeout=15_000)
    expect(page.locator(".intro")).to_be_visible()
    second_session = session_id(page, other_than=first_session)
    screenshot(page, "kiosk-after-idle-reset")

    ask(page, "what is a lumbar puncture?")
    expect(page.locator(".disclaimer")).to_have_count(1)  # a new conversation on the server too
    expect(answers(page)).to_have_count(1)
    assert session_id(page) == second_session
    assert_nothing_stored(page, context)


def test_start_over_wipes_the_screen_and_starts_a_new_session(page: Page, servers: Servers) -> None:
    page.goto(servers.rasa_url + "/kiosk/")
    expect(page.locator("#idle-note")).to_have_text("This screen clears itself after 2 minutes without use.")
    first_session = session_id(page)
    ask(page, "what are the symptoms of leukemia?")
    expect(answers(page)).to_have_count(1)
    page.locator("#log").evaluate("el => { el.scrollTop = el.scrollHeight; }")  # show the sources and buttons
    screenshot(page, "kiosk-default")
    page.get_by_role("textbox", name="Your question").fill("half-typed question")

    page.get_by_role("button", name="Start over").click()
    expect(page.locator(".row")).to_have_count(0)
    expect(page.get_by_role("textbox", name="Your question")).to_have_value("")
    session_id(page, other_than=first_session)

    page.locator(".intro .chips button").first.click()  # the example questions work too
    expect(answers(page)).to_have_count(1)


def test_urgent_reply_on_the_kiosk_says_to_tell_staff_first(page: Page, servers: Servers) -> None:
    page.goto(servers.rasa_url + "/kiosk/")
    ask(page, "my daughter is on chemo and the thermometer says 39.2")
    urgent = page.locator(".row-bot[data-answer-type=urgent]")
    expect(urgent).to_have_count(1)
    expect(urgent.locator(".urgent-staff")).to_have_text("Tell a member of staff now.")
    first_lines = [line.casefold() for line in urgent.locator("p").all_inner_texts()[:2]]
    assert first_lines == ["urgent", "tell a member of staff now."], first_lines
    expect(urgent).to_contain_text("Oncology on-call: +15550100199")
    expect(page.locator("a")).to_have_count(0)  # numbers as text: nothing leads away from the kiosk
