"""Answer feedback in Chromium: 👎 then a reason under an answer, in the widget and on the kiosk, reach the
tracker store as answer_feedback events; the buttons are labelled, big enough and pressed once tapped; the
thank-you stays under the answer (no new message, focus and scroll left alone); no buttons under urgent."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from serving.local_servers import Servers
from tests.browser import test_kiosk as kiosk
from tests.browser import test_widget as widget
from tests.browser.conftest import screenshot
from tests.integration.test_feedback import stored_feedback

pytestmark = pytest.mark.integration

SYMPTOMS = "Symptoms of childhood acute lymphoblastic leukemia"
ASK_REASON = "Thank you. What was wrong with it? (optional)"
THANKS_REASON = "Thank you. This helps the people who keep these answers right."


def assert_tappable(button: Locator) -> None:
    box = button.bounding_box()
    assert box is not None
    assert box["width"] >= 44, box
    assert box["height"] >= 44, box


def rate_down_with_reason(answer: Locator, bot_rows: Locator, reason: str) -> None:
    helped = answer.get_by_role("button", name="This answer helped")
    not_helped = answer.get_by_role("button", name="This answer didn't help")
    for button in (helped, not_helped):
        expect(button).to_have_attribute("aria-pressed", "false")
        assert_tappable(button)
    rows_before = bot_rows.count()
    not_helped.click()
    expect(not_helped).to_have_attribute("aria-pressed", "true")
    expect(helped).to_have_attribute("aria-pressed", "false")
    expect(answer.get_by_role("status")).to_have_text(ASK_REASON)
    reasons = answer.locator(".pdq-feedback-reason")
    expect(reasons).to_have_text(["Didn't answer my question", "Hard to understand", "Wrong topic"])
    for i in range(3):
        assert_tappable(reasons.nth(i))
    answer.get_by_role("button", name=reason).click()
    expect(answer.get_by_role("button", name=reason)).to_have_attribute("aria-pressed", "true")
    expect(answer.get_by_role("status")).to_have_text(THANKS_REASON)
    assert bot_rows.count() == rows_before  # the thank-you is under the answer, not a new message
    expect(not_helped).to_be_in_viewport()  # nothing scrolled the answer away
    expect(answer.locator("input, textarea")).to_have_count(0)  # no text box: taps only


def test_widget_thumbs_down_and_a_reason_reach_the_tracker_store(page: Page, servers: Servers) -> None:
    widget.open_widget(page, servers)
    widget.ask(page, "What are the symptoms of ALL?")
    answer = widget.answers(page).last
    expect(answer.locator(".pdq-sources")).to_contain_text(SYMPTOMS)
    rate_down_with_reason(answer, page.locator(".pdq-row-bot"), "Hard to understand")
    focused = page.evaluate("document.querySelector('#pdq-chat-widget').shadowRoot.activeElement?.textContent")
    assert focused == "Hard to understand"  # the focus stayed on what was tapped
    expect(page.locator(".pdq-row-user")).to_have_count(1)  # the feedback is not shown as a question
    screenshot(page, "widget-feedback")
    stored = stored_feedback(servers.env["TRACKER_DB"], widget.session_id(page))
    assert [(f["rating"], f["reason"], f["section"], f["answer_type"]) for f in stored] == [
        ("down", None, SYMPTOMS, "answer"),
        ("down", "hard_to_understand", SYMPTOMS, "answer"),
    ]
    assert len({f["answer_id"] for f in stored}) == 1

    page.reload()  # the tapped rating is kept with the conversation for the tab
    widget.answers(page).last.wait_for()
    expect(widget.answers(page).last.get_by_role("button", name="This answer didn't help")).to_have_attribute(
        "aria-pressed", "true"
    )

    widget.ask(page, "my daughter has a fever of 39 and she is on chemo")
    urgent = page.locator(".pdq-row-bot[data-answer-type=urgent]")
    expect(urgent).to_have_count(1)
    expect(urgent.locator(".pdq-feedback")).to_have_count(0)


def test_kiosk_thumbs_down_and_a_reason_reach_the_tracker_store(
    page: Page, context: BrowserContext, servers: Servers
) -> None:
    page.goto(servers.rasa_url + "/kiosk/")
    kiosk.ask(page, "What are the symptoms of ALL?")
    answer = kiosk.answers(page).last
    expect(answer.locator(".sources")).to_contain_text(SYMPTOMS)
    rate_down_with_reason(answer, page.locator(".row-bot"), "Wrong topic")
    screenshot(page, "kiosk-feedback")
    stored = stored_feedback(servers.env["TRACKER_DB"], kiosk.session_id(page))
    assert [(f["rating"], f["reason"], f["section"]) for f in stored] == [
        ("down", None, SYMPTOMS),
        ("down", "wrong_topic", SYMPTOMS),
    ]
    kiosk.assert_nothing_stored(page, context)
