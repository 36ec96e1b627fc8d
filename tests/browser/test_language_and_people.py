"""A question in Spanish and "can I talk to someone?" in the widget and on the kiosk (chromium, the real bot)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from serving.local_servers import Servers
from tests.browser.conftest import CARE_TEAM_LABEL, screenshot
from tests.browser.test_widget import ask, open_widget

pytestmark = pytest.mark.integration

SPANISH_BUTTON = "Mostrar la respuesta en inglés / Show the English answer"


def test_widget_spanish_reply_then_the_english_answer_on_request(page: Page, servers: Servers) -> None:
    open_widget(page, servers)
    ask(page, "¿Cuáles son los síntomas de la leucemia en los niños?")
    spanish = page.locator(".pdq-row-bot[data-answer-type=out_of_scope]")
    expect(spanish).to_have_count(1)
    expect(spanish).to_contain_text("Si es una emergencia, llame ahora mismo al equipo médico de su hijo o al 911.")
    expect(spanish).to_contain_text("1-800-422-6237")
    expect(spanish).to_contain_text("cancer.gov/espanol")
    calls = spanish.locator("a.pdq-call")
    expect(calls).to_have_count(2)
    expect(calls.nth(0)).to_have_attribute("href", "tel:18004226237")
    expect(calls.nth(1)).to_have_attribute("href", "tel:911")
    screenshot(page, "widget-spanish")
    page.get_by_role("button", name=SPANISH_BUTTON).click()
    answer = page.locator(".pdq-row-bot[data-answer-type=answer]")
    expect(answer).to_have_count(1)
    expect(answer).to_contain_text("Symptoms of childhood ALL are caused by")
    expect(answer.locator(".pdq-sources li")).to_contain_text("Symptoms of childhood acute lymphoblastic leukemia")


def test_widget_a_person_when_asked_with_tappable_numbers(page: Page, servers: Servers) -> None:
    open_widget(page, servers)
    ask(page, "can I talk to a real person?")
    reply = page.locator(".pdq-row-bot[data-answer-type=human_contact]")
    expect(reply).to_have_count(1)
    expect(reply).to_contain_text("You can talk to a person:")
    expect(reply).to_contain_text("For the hours of the phone line and the chat, see cancer.gov/contact.")
    calls = reply.locator("a.pdq-call")
    expect(calls).to_have_count(2)
    expect(calls.nth(0)).to_have_text(CARE_TEAM_LABEL)
    expect(calls.nth(0)).to_have_attribute("href", "tel:+15550100199")
    expect(calls.nth(1)).to_have_attribute("href", "tel:18004226237")
    expect(reply.locator(".pdq-sources li")).to_contain_text("Clinical Trial Information")
    screenshot(page, "widget-human-contact")


def test_kiosk_a_person_when_asked_starts_with_the_front_desk(page: Page, servers: Servers) -> None:
    page.goto(servers.rasa_url + "/kiosk/")
    box = page.get_by_role("textbox", name="Your question")
    box.fill("is there a nurse I can talk to?")
    box.press("Enter")
    reply = page.locator(".row-bot[data-answer-type=human_contact]")
    expect(reply).to_have_count(1)
    expect(reply.locator("p").first).to_have_text("Please ask at the front desk.")
    expect(reply).to_contain_text("1-800-4-CANCER (1-800-422-6237)")
    expect(page.locator("a")).to_have_count(0)  # nothing leads away from the kiosk
    screenshot(page, "kiosk-human-contact")
