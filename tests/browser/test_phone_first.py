"""Phone first: the widget at 390×844 and 1280×800 and the kiosk at 1080×1920, in chromium, against the real bot.

Each answer opens with the passage that answers and folds the rest behind a real "Show more" button; one
source line names NCI and the section, with a date that never breaks; the disclaimer stays in view; every
control is at least 44×44 px with at least 8 px between controls; ↻ asks first; on a phone the panel is a
modal dialog; urgent replies go to an assertive live region that exists before they arrive; axe-core finds
no serious or critical violation.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Locator, Page, ViewportSize, expect

from serving.local_servers import Servers
from tests.browser.accessibility import axe_violations
from tests.browser.conftest import CARE_TEAM_LABEL, screenshot

pytestmark = pytest.mark.integration

PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
KIOSK: ViewportSize = {"width": 1080, "height": 1920}
SYMPTOMS = "Symptoms of childhood acute lymphoblastic leukemia"
LEAD = "Symptoms of childhood ALL are caused by"
FOLDED_ITEM = "frequent infections or infections that do not go away"  # the last item of the symptoms list
MIN_TARGET = 44
MIN_GAP = 8

# Every control in the widget's shadow root or on the kiosk page wholly in view now (nothing covers it), with its box.
CONTROL_BOXES = """(selector) => {
  const host = document.querySelector('#pdq-chat-widget');
  const scope = host && host.shadowRoot ? host.shadowRoot : document;
  return [...scope.querySelectorAll(selector)]
    .filter((node) => {
      // Only what a finger can reach now: not scrolled out of the conversation behind the header or form.
      const r = node.getBoundingClientRect();
      if (!r.width || !r.height) return false;
      const [cx, cy] = [r.left + r.width / 2, r.top + r.height / 2]; // edges' midpoints: corners may be round
      const points = [[cx, cy], [cx, r.top + 3], [cx, r.bottom - 3], [r.left + 3, cy], [r.right - 3, cy]];
      return points.every(([x, y]) => {
        const hit = scope.elementFromPoint(x, y);
        return hit !== null && (hit === node || node.contains(hit));
      });
    })
    .map((node) => {
      const r = node.getBoundingClientRect();
      const name = (node.getAttribute('aria-label') || node.textContent || node.placeholder || node.tagName).trim();
      return {name: name.slice(0, 40), x: r.left, y: r.top, right: r.right, bottom: r.bottom};
    });
}"""


def assert_touch_targets(page: Page, selector: str, log: str = ".pdq-log") -> set[str]:
    """Every control matched by ``selector`` that can be tapped is ≥ 44×44 px and ≥ 8 px from every other, with
    the conversation (``log``) scrolled from top to bottom; returns the names of the controls checked."""
    names: set[str] = set()
    scroller = page.locator(log)
    height, client = scroller.evaluate("el => [el.scrollHeight, el.clientHeight]")
    for top in range(0, max(height - client, 0) + client // 3, max(client // 3, 1)):
        scroller.evaluate("(el, top) => { el.scrollTop = top; }", top)
        names |= assert_targets_now(page, selector)
    return names


def assert_targets_now(page: Page, selector: str) -> set[str]:
    boxes = page.evaluate(CONTROL_BOXES, selector)
    for box in boxes:
        width, height = box["right"] - box["x"], box["bottom"] - box["y"]
        assert min(width, height) >= MIN_TARGET, f"{box['name']!r} is {width:.0f}×{height:.0f} px"
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            gap = max(b["x"] - a["right"], a["x"] - b["right"], b["y"] - a["bottom"], a["y"] - b["bottom"])
            assert gap >= MIN_GAP - 0.5, f"{a['name']!r} and {b['name']!r} are {gap:.1f} px apart"
    return {box["name"] for box in boxes}


@pytest.fixture(params=[PHONE, DESKTOP], ids=["phone", "desktop"])
def screen(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Page]:
    """A page in a fresh context at the phone or the desktop size (touch on the phone)."""
    viewport: ViewportSize = request.param
    phone = viewport == PHONE
    context = browser.new_context(
        viewport=viewport, is_mobile=phone, has_touch=phone, locale="en-US", reduced_motion="reduce"
    )
    context.set_default_timeout(30_000)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    assert not errors, errors


def is_phone(page: Page) -> bool:
    return page.viewport_size == PHONE


def open_widget(page: Page, servers: Servers) -> None:
    page.goto(servers.rasa_url + "/chat/")
    page.get_by_role("button", name="Ask about childhood ALL").click()
    expect(page.locator("#pdq-panel")).to_be_visible()


def ask(page: Page, question: str) -> None:
    box = page.get_by_role("textbox", name="Your question")
    box.fill(question)
    box.press("Enter")


def first_answer(page: Page) -> Locator:
    answers = page.locator(".pdq-row-bot[data-answer-type=answer]")
    expect(answers).to_have_count(1)
    return answers.first


def test_answer_opens_with_the_passage_and_one_source_line_and_the_notice_stays(screen: Page, servers: Servers) -> None:
    page = screen
    open_widget(page, servers)
    ask(page, "what are the symptoms of leukemia?")
    answer = first_answer(page)
    bubble = answer.locator(".pdq-bubble")

    expect(bubble.get_by_text(LEAD)).to_be_visible()
    expect(bubble.get_by_text(FOLDED_ITEM)).to_be_hidden()
    expect(bubble.get_by_role("button", name="Show more")).to_have_count(1)
    more = bubble.locator(".pdq-show-more")  # its name changes to "Show less"
    assert more.evaluate("el => el.tagName") == "BUTTON"
    expect(more).to_have_attribute("aria-expanded", "false")
    assert more.get_attribute("aria-controls") == bubble.get_attribute("id")

    source = bubble.locator(".pdq-sources li")
    expect(source).to_have_count(1)
    expect(source).to_have_text(f"Source: NCI, {SYMPTOMS} (opens in a new tab) · updated Feb 12, 2025")
    assert bubble.inner_text().count(SYMPTOMS) == 1  # the section is named once on screen
    date = source.locator(".pdq-updated")
    assert date.evaluate("el => el.getClientRects().length") == 1  # "updated Feb 12, 2025" never breaks
    assert date.evaluate("el => getComputedStyle(el).whiteSpace") == "nowrap"
    panel_text = page.locator("#pdq-panel").inner_text()
    assert "NCI" in panel_text
    assert "cancer.gov" in panel_text

    height = bubble.evaluate("el => el.getBoundingClientRect().height")
    if is_phone(page):
        assert height / PHONE["height"] < 0.5, f"the folded answer is {height / PHONE['height']:.2f} screens"
        screenshot(page, "phone-first-answer", doc_image="widget-phone.png")
    else:
        screenshot(page, "desktop-first-answer", doc_image="widget.png")

    # The disclaimer stays in view: a pinned one-line notice whose "More" shows the disclaimer the bot sent.
    page.locator(".pdq-log").evaluate("el => { el.scrollTop = el.scrollHeight; }")
    notice = page.locator(".pdq-notice-line")
    expect(notice).to_be_in_viewport()
    assert notice.evaluate("el => el.getClientRects().length") == 1
    line_height = notice.evaluate("el => parseFloat(getComputedStyle(el).lineHeight)")
    assert notice.evaluate("el => el.getBoundingClientRect().height") <= line_height * 1.2  # one line
    assert notice.evaluate("el => el.scrollWidth <= el.clientWidth")  # nothing cut off: "call 911" is all there
    notice_more = page.get_by_role("button", name="More", exact=True)
    expect(notice_more).to_have_attribute("aria-expanded", "false")
    notice_more.click()
    expect(page.locator(".pdq-notice-full")).to_contain_text("It is not medical advice")
    expect(page.get_by_role("button", name="Less", exact=True)).to_have_attribute("aria-expanded", "true")

    more.click()
    expect(bubble.get_by_text(FOLDED_ITEM)).to_be_visible()
    expect(more).to_have_attribute("aria-expanded", "true")
    expect(more).to_have_text("Show less")
    assert bubble.evaluate("el => el.getBoundingClientRect().height") > height

    assert axe_violations(page) == []


def test_controls_are_44_px_and_8_px_apart_and_restart_asks_first(screen: Page, servers: Servers) -> None:
    page = screen
    open_widget(page, servers)
    controls = "button, input, a.pdq-call"
    starters = {"What is childhood ALL?", "What is a lumbar puncture?"}
    assert {"Start a new conversation", "Close chat", "More", "Send", *starters} <= assert_touch_targets(page, controls)
    ask(page, "she has a fever of 39 and is on chemo")
    expect(page.locator(".pdq-row-bot[data-answer-type=urgent]")).to_have_count(1)
    ask(page, "what is a bone marrow aspiration?")
    answer = first_answer(page)
    expect(answer.locator(".pdq-quick button").first).to_be_visible()
    topic = answer.locator(".pdq-quick button").first.inner_text()
    checked = assert_touch_targets(page, controls)
    assert {CARE_TEAM_LABEL, "Emergency: 911", "Show more", topic} <= checked

    session = page.locator(".pdq-root").get_attribute("data-session-id")
    restart = page.get_by_role("button", name="Start a new conversation")
    restart.click()
    expect(page.get_by_role("button", name="Cancel")).to_be_focused()
    expect(restart).to_have_attribute("aria-expanded", "true")
    question = "Start a new conversation? The messages here will be cleared."
    expect(page.get_by_role("group", name=question)).to_be_visible()
    assert {"Start over", "Cancel"} <= assert_touch_targets(page, controls)
    expect(answer).to_be_attached()  # nothing cleared yet

    page.keyboard.press("Escape")  # closes the question, not the panel
    expect(page.get_by_role("button", name="Start over")).to_be_hidden()
    expect(page.locator("#pdq-panel")).to_be_visible()
    expect(restart).to_be_focused()
    restart.click()
    page.get_by_role("button", name="Cancel").click()
    expect(answer).to_be_visible()
    assert page.locator(".pdq-root").get_attribute("data-session-id") == session

    restart.click()
    page.get_by_role("button", name="Start over").click()
    expect(page.locator(".pdq-row")).to_have_count(0)
    expect(page.locator(".pdq-root")).not_to_have_attribute("data-session-id", session or "")


def test_the_phone_panel_is_a_modal_dialog_and_the_desktop_panel_is_not(screen: Page, servers: Servers) -> None:
    page = screen
    open_widget(page, servers)
    dialog = page.get_by_role("dialog", name="Childhood leukemia questions")
    expect(dialog).to_be_visible()
    if not is_phone(page):
        expect(dialog).not_to_have_attribute("aria-modal", "true")
        return
    expect(dialog).to_have_attribute("aria-modal", "true")
    assert page.locator("body a[href]").count() >= 3  # the demo page has links behind the panel
    inside = "() => document.activeElement && document.activeElement.id === 'pdq-chat-widget'"
    for key in ["Tab"] * 15 + ["Shift+Tab"] * 15:
        page.keyboard.press(key)
        assert page.evaluate(inside), f"{key} left the dialog"
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("button", name="Ask about childhood ALL")).to_be_focused()


def test_urgent_replies_go_to_an_assertive_region_that_was_there_before(screen: Page, servers: Servers) -> None:
    page = screen
    open_widget(page, servers)
    region = page.locator(".pdq-announcer")
    expect(region).to_have_attribute("role", "alert")
    expect(region).to_have_attribute("aria-live", "assertive")
    expect(region).to_have_text("")
    region.evaluate("el => { el.__before = true; }")  # the same element must receive the reply

    ask(page, "my son is on chemo and has a fever of 39")
    urgent = page.locator(".pdq-row-bot[data-answer-type=urgent]")
    expect(urgent).to_have_count(1)
    expect(region).to_contain_text("Urgent.")
    expect(region).to_contain_text("fever")
    expect(region).to_contain_text(CARE_TEAM_LABEL)
    assert region.evaluate("el => el.__before") is True
    assert urgent.locator("[role=alert]").count() == 0  # not an alert inside the polite log
    call = urgent.get_by_role("link", name=CARE_TEAM_LABEL)
    expect(call).to_have_attribute("href", "tel:+15550100199")
    expect(urgent.get_by_role("link", name="Emergency: 911")).to_have_attribute("href", "tel:911")
    expect(urgent.get_by_role("button", name="Show more")).to_have_count(0)  # urgent replies never fold
    assert axe_violations(page) == []


def test_the_chat_page_with_the_widget_closed_has_no_serious_axe_violations(screen: Page, servers: Servers) -> None:
    screen.goto(servers.rasa_url + "/chat/")
    expect(screen.get_by_role("button", name="Ask about childhood ALL")).to_be_visible()
    assert assert_targets_now(screen, "button") == {"Ask about childhood ALL"}  # the launcher, ≥ 44×44 too
    assert axe_violations(screen) == []


@pytest.fixture
def kiosk(browser: Browser, servers: Servers) -> Iterator[Page]:
    context = browser.new_context(viewport=KIOSK, has_touch=True, locale="en-US", reduced_motion="reduce")
    context.set_default_timeout(30_000)
    opened = context.new_page()
    opened.goto(servers.rasa_url + "/kiosk/")
    yield opened
    context.close()


def test_kiosk_answer_folds_names_nci_once_and_announces_urgent_replies(kiosk: Page) -> None:
    page = kiosk
    assert {"Start over", "Ask"} <= assert_touch_targets(page, "button, input", "#log")
    region = page.locator("#announcer")
    expect(region).to_have_attribute("aria-live", "assertive")
    region.evaluate("el => { el.__before = true; }")

    ask(page, "what are the symptoms of leukemia?")
    answers = page.locator(".row-bot[data-answer-type=answer]")
    expect(answers).to_have_count(1)
    bubble = answers.first.locator(".bubble")
    expect(bubble.get_by_text(LEAD)).to_be_visible()
    expect(bubble.get_by_text(FOLDED_ITEM)).to_be_hidden()
    expect(bubble.locator(".sources li")).to_have_text(f"Source: NCI, {SYMPTOMS} · cancer.gov · updated Feb 12, 2025")
    assert bubble.inner_text().count(SYMPTOMS) == 1
    assert bubble.locator(".updated").evaluate("el => el.getClientRects().length") == 1
    assert "Show more" in assert_touch_targets(page, "button, input", "#log")
    screenshot(page, "kiosk-first-answer", doc_image="kiosk.png")
    expect(bubble.get_by_role("button", name="Show more")).to_have_count(1)
    more = bubble.locator(".show-more")
    expect(more).to_have_attribute("aria-expanded", "false")
    more.click()
    expect(bubble.get_by_text(FOLDED_ITEM)).to_be_visible()
    expect(more).to_have_attribute("aria-expanded", "true")
    assert axe_violations(page) == []

    ask(page, "my daughter is on chemo and the thermometer says 39.2")
    expect(page.locator(".row-bot[data-answer-type=urgent]")).to_have_count(1)
    expect(region).to_contain_text("Tell a member of staff now.")
    assert region.evaluate("el => el.__before") is True
    assert page.locator("#log [role=alert]").count() == 0
    assert axe_violations(page) == []
