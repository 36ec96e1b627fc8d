"""The website widget on the demo hospital page, in chromium, against the real bot."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Browser, Locator, Page, Route, expect

from serving.local_servers import Servers
from tests.browser.conftest import CARE_TEAM_LABEL, screenshot

pytestmark = pytest.mark.integration

STORAGE_KEY = "pdq-chat-widget:v1"


def open_widget(page: Page, servers: Servers) -> None:
    page.goto(servers.rasa_url + "/chat/")
    launcher = page.get_by_role("button", name="Ask about childhood ALL")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    launcher.click()
    expect(page.locator("#pdq-panel")).to_be_visible()
    # While open, the launcher makes way for the panel, whose close button carries the expanded state.
    expect(page.get_by_role("button", name="Close chat")).to_have_attribute("aria-expanded", "true")


def ask(page: Page, question: str) -> None:
    box = page.get_by_role("textbox", name="Your question")
    box.fill(question)
    box.press("Enter")


def answers(page: Page) -> Locator:
    return page.locator(".pdq-row-bot[data-answer-type=answer]")


def session_id(page: Page) -> str:
    value = page.locator(".pdq-root").get_attribute("data-session-id")
    assert value
    return value


def test_answer_with_citation_buttons_and_the_conversation_survives_a_reload(page: Page, servers: Servers) -> None:
    open_widget(page, servers)
    expect(page.get_by_role("textbox", name="Your question")).to_be_focused()
    # The typing indicator may come and go faster than an assertion can poll: record that it was shown.
    page.evaluate(
        """() => {
            const root = [...document.querySelectorAll('*')].find((e) => e.shadowRoot).shadowRoot;
            window.__typingShown = false;
            new MutationObserver(() => {
                if (root.querySelector('.pdq-typing:not([hidden])')) window.__typingShown = true;
            }).observe(root, {attributes: true, childList: true, subtree: true});
        }"""
    )
    ask(page, "what are the symptoms of leukemia?")
    expect(page.locator(".pdq-user").last).to_have_text("You said: what are the symptoms of leukemia?")

    expect(answers(page)).to_have_count(1)
    expect(page.locator(".pdq-typing")).to_be_hidden()
    assert page.evaluate("window.__typingShown") is True
    expect(page.locator(".pdq-disclaimer")).to_contain_text("It is not medical advice")
    answer = answers(page).first
    expect(answer).to_contain_text("Symptoms of childhood ALL are caused by")

    source = answer.locator(".pdq-sources li")
    expect(source).to_have_text(
        "Source: NCI, Symptoms of childhood acute lymphoblastic leukemia (opens in a new tab) · updated Feb 12, 2025"
    )
    link = source.locator("a")
    href = link.get_attribute("href") or ""
    assert href.startswith("https://www.cancer.gov/")
    assert "#:~:text=" in href
    assert link.get_attribute("target") == "_blank"
    assert set((link.get_attribute("rel") or "").split()) >= {"noopener", "noreferrer"}
    in_text = answer.locator(".pdq-source-line a")  # the URL in the answer text is a safe link too
    assert (in_text.get_attribute("href") or "").startswith("https://www.cancer.gov/")
    expect(in_text).to_contain_text("cancer.gov")
    expect(answer.locator(".pdq-source-line")).to_be_hidden()  # the structured sources replace it on screen

    buttons = answer.locator(".pdq-quick button")
    assert buttons.count() >= 1
    page.locator(".pdq-log").evaluate("el => { el.scrollTop = el.scrollHeight; }")  # show the sources and buttons
    screenshot(page, "widget-answer")

    title = buttons.first.inner_text()
    buttons.first.click()
    expect(page.locator(".pdq-user").last).to_have_text(f"You said: {title}")
    expect(answers(page)).to_have_count(2)
    second = answers(page).nth(1).locator(".pdq-sources a")
    assert (second.get_attribute("href") or "").startswith("https://www.cancer.gov/")
    expect(answer.locator(".pdq-quick")).to_have_count(0)  # old suggestions go away once used

    rows = page.locator(".pdq-row").count()
    before = session_id(page)
    page.reload()
    expect(page.locator("#pdq-panel")).to_be_visible()  # still open
    expect(page.locator(".pdq-row")).to_have_count(rows)
    assert session_id(page) == before
    stored = json.loads(page.evaluate(f"sessionStorage.getItem('{STORAGE_KEY}')"))
    assert stored["sessionId"] == before
    assert len(stored["messages"]) == rows

    ask(page, "what is a lumbar puncture?")  # the same conversation goes on: no second disclaimer
    expect(answers(page)).to_have_count(3)
    expect(page.locator(".pdq-disclaimer")).to_have_count(1)
    expect(answers(page).nth(2).locator(".pdq-sources")).to_contain_text("Lumbar puncture")


def test_keyboard_and_aria(page: Page, servers: Servers) -> None:
    page.goto(servers.rasa_url + "/chat/")
    launcher = page.get_by_role("button", name="Ask about childhood ALL")
    launcher.focus()
    page.keyboard.press("Enter")
    box = page.get_by_role("textbox", name="Your question")
    expect(box).to_be_focused()
    log = page.get_by_role("log", name="Conversation")
    expect(log).to_have_attribute("aria-live", "polite")
    close = page.get_by_role("button", name="Close chat")
    expect(close).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("button", name="Send")).to_be_visible()
    expect(page.get_by_role("button", name="Start a new conversation")).to_be_visible()

    page.keyboard.type("what is childhood ALL?")
    page.keyboard.press("Enter")
    expect(answers(page)).to_have_count(1)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Send")).to_be_focused()
    outline = page.get_by_role("button", name="Send").evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline == "solid"  # visible focus

    chip = answers(page).first.locator(".pdq-quick button").first
    chip.focus()
    title = chip.inner_text()
    page.keyboard.press("Enter")
    expect(page.locator(".pdq-user").last).to_have_text(f"You said: {title}")
    expect(answers(page)).to_have_count(2)

    page.keyboard.press("Escape")
    expect(page.locator("#pdq-panel")).to_be_hidden()
    expect(launcher).to_be_focused()
    expect(launcher).to_have_attribute("aria-expanded", "false")


CONTRAST = """el => {
  const rgb = c => {
    const p = c.match(/[\\d.]+/g).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const lum = ({r, g, b}) => {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  let bg = {r: 255, g: 255, b: 255}, node = el;
  while (node) {
    if (node.nodeType === 1) {
      const c = rgb(getComputedStyle(node).backgroundColor);
      if (c.a > 0.99) { bg = c; break; }
    }
    node = node.parentNode && node.parentNode.nodeType === 11 ? node.parentNode.host : node.parentNode;
  }
  const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(bg)];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


def test_text_meets_wcag_aa_contrast(page: Page, servers: Servers) -> None:
    open_widget(page, servers)
    ask(page, "my son is on chemo and has a fever of 39")
    expect(page.locator(".pdq-row-bot[data-answer-type=urgent]")).to_have_count(1)
    ask(page, "what are the symptoms?")
    expect(answers(page)).to_have_count(1)
    selectors = [
        ".pdq-title", ".pdq-subtitle", ".pdq-user", ".pdq-bot p", ".pdq-source-line", ".pdq-sources li",
        ".pdq-sources a", ".pdq-chip", ".pdq-notice-line", ".pdq-disclaimer p", ".pdq-type-urgent p",
        ".pdq-urgent-label", ".pdq-intro p", ".pdq-input",
    ]  # fmt: skip
    for selector in selectors:
        element = page.locator(selector).first
        ratio = element.evaluate(CONTRAST)
        assert ratio >= 4.5, f"{selector}: contrast {ratio:.2f} < 4.5"


def test_urgent_reply_offers_tappable_numbers_for_the_care_team_and_911(page: Page, servers: Servers) -> None:
    open_widget(page, servers)
    ask(page, "she is floppy and I can barely wake her up")
    urgent = page.locator(".pdq-row-bot[data-answer-type=urgent]")
    expect(urgent).to_have_count(1)
    expect(page.locator(".pdq-announcer")).to_contain_text("Urgent.")  # the assertive region (test_phone_first)
    calls = urgent.locator("a.pdq-call")
    expect(calls).to_have_count(2)
    expect(calls.nth(0)).to_have_text(CARE_TEAM_LABEL)
    expect(calls.nth(0)).to_have_attribute("href", "tel:+15550100199")
    expect(calls.nth(1)).to_have_attribute("href", "tel:911")
    expect(urgent.locator(".pdq-bubble")).not_to_contain_text("988")  # the crisis line only for self-harm
    box = calls.nth(0).bounding_box()
    assert box is not None
    assert box["height"] >= 44


EVIL = "<img src=x onerror=window.__pwned=1><script>window.__pwned=2</script>"


def test_html_in_bot_and_user_text_is_shown_as_text(page: Page, servers: Servers) -> None:
    """Bot events are rewritten on the wire (socket.io long-polling) to carry HTML and a javascript: URL."""

    def tamper(route: Route) -> None:
        if route.request.method != "GET" or "transport=polling" not in route.request.url:
            route.continue_()
            return
        response = route.fetch(timeout=90_000)
        body = response.text()
        body = body.replace("Symptoms of childhood ALL are caused", EVIL + " Symptoms of childhood ALL are caused")
        body = body.replace(
            "https://www.cancer.gov/types/leukemia/patient/child-all-treatment-pdq", "javascript:void(0)"
        )
        route.fulfill(response=response, body=body)

    page.route("**/socket.io/**", tamper)
    open_widget(page, servers)
    ask(page, "<b>bold</b><script>window.__pwned=3</script> what are the symptoms?")
    expect(page.locator(".pdq-user").last).to_have_text(
        "You said: <b>bold</b><script>window.__pwned=3</script> what are the symptoms?"
    )
    expect(answers(page)).to_have_count(1)
    answer = answers(page).first
    expect(answer).to_contain_text(EVIL)  # literally, as text
    expect(page.locator(".pdq-log img, .pdq-log script, .pdq-log b")).to_have_count(0)
    expect(page.locator(".pdq-log a[href^='javascript']")).to_have_count(0)
    expect(answer.locator(".pdq-sources li")).to_have_text(
        "Source: NCI, Symptoms of childhood acute lymphoblastic leukemia · updated Feb 12, 2025"  # no link, not lost
    )
    assert page.evaluate("window.__pwned") is None
    page.unroute_all(behavior="ignoreErrors")  # a long-poll may still be in flight


def test_phone_screen_gets_a_full_screen_panel(browser: Browser, servers: Servers) -> None:
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        page = phone.new_page()
        open_widget(page, servers)
        box = page.locator("#pdq-panel").bounding_box()
        assert box == {"x": 0, "y": 0, "width": 390, "height": 844}
        ask(page, "what is a bone marrow aspiration?")
        expect(page.locator(".pdq-row-bot[data-answer-type]")).to_have_count(2)
        screenshot(page, "widget-phone")
    finally:
        phone.close()


def test_banner_when_the_server_is_down_and_recovery_after_restart(page: Page, servers: Servers) -> None:
    open_widget(page, servers)
    ask(page, "what is childhood ALL?")
    expect(answers(page)).to_have_count(1)
    banner = page.locator(".pdq-banner")
    expect(banner).to_be_hidden()

    servers.stop_rasa()
    try:
        expect(banner).to_be_visible(timeout=20_000)
        expect(banner).to_contain_text("Can't reach the assistant")
        screenshot(page, "widget-offline")
        ask(page, "what are the symptoms?")  # typed while offline: kept and sent after the reconnect
        expect(page.locator(".pdq-user").last).to_have_text("You said: what are the symptoms?")
    finally:
        servers.start_rasa()

    expect(banner).to_be_hidden(timeout=30_000)
    expect(answers(page)).to_have_count(2, timeout=30_000)
    ask(page, "what is a lumbar puncture?")
    expect(answers(page)).to_have_count(3)
    expect(page.locator(".pdq-disclaimer")).to_have_count(1)  # same conversation (SQLite tracker store)
