"""The widget and the kiosk in chromium, served by nginx, talking socket.io to two Rasa servers behind it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, Request, expect

from serving.cluster.cluster import Cluster

pytestmark = pytest.mark.cluster


def ask(page: Page, question: str) -> None:
    box = page.get_by_role("textbox", name="Your question")
    box.fill(question)
    box.press("Enter")


def record_socketio(page: Page) -> list[str]:
    urls: list[str] = []

    def on_request(request: Request) -> None:
        if "/socket.io/" in request.url:
            urls.append(request.url)

    page.on("request", on_request)
    return urls


def test_widget_conversation_through_nginx(page: Page, cluster: Cluster) -> None:
    socketio_urls = record_socketio(page)
    page.goto(cluster.config.public_url + "/chat/")
    page.get_by_role("button", name="Ask about childhood ALL").click()
    questions = ["what are the symptoms of leukemia?", "what is a lumbar puncture?", "what is maintenance therapy?"]
    for n, question in enumerate(questions, start=1):
        ask(page, question)
        expect(page.locator(".pdq-row-bot[data-answer-type=answer]")).to_have_count(n)
    sources = page.locator(".pdq-row-bot[data-answer-type=answer] .pdq-sources").first
    expect(sources).to_contain_text("Source: NCI, Symptoms of childhood acute lymphoblastic leukemia")
    # Every socket.io request of the page carried the same route, so nginx kept it on one Rasa server.
    routes = {url.split("route=", 1)[1].split("&", 1)[0] for url in socketio_urls if "route=" in url}
    assert len(socketio_urls) > 3
    assert all("route=" in url for url in socketio_urls)
    assert len(routes) == 1


def test_kiosk_through_nginx(page: Page, cluster: Cluster) -> None:
    page.goto(cluster.config.public_url + "/kiosk/")
    ask(page, "what are the symptoms of leukemia?")
    answer = page.locator(".row-bot[data-answer-type=answer]")
    expect(answer).to_have_count(1)
    expect(answer.locator(".sources li")).to_contain_text("Symptoms of childhood acute lymphoblastic leukemia")
