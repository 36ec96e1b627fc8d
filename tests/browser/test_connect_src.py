"""The widget page and the kiosk need no more than ``connect-src 'self'`` (long-polling only, no WebSocket).

The pages' headers are made by ``channels/web_pages.py``; here each page's Content-Security-Policy is rewritten on
the way to the browser with ``connect-src 'self'`` (no ``ws:`` / ``wss:``), and a question is asked: the ``page``
fixture fails the test on any CSP violation.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, Route, expect

from serving.local_servers import Servers
from tests.browser.test_widget import answers, ask, open_widget

pytestmark = pytest.mark.integration

STRICT_CONNECT_SRC = "connect-src 'self'"


def with_strict_connect_src(route: Route) -> None:
    response = route.fetch()
    headers = dict(response.headers)
    directives = [d.strip() for d in headers["content-security-policy"].split(";")]
    headers["content-security-policy"] = "; ".join(
        STRICT_CONNECT_SRC if d.startswith("connect-src") else d for d in directives
    )
    route.fulfill(response=response, headers=headers)


def test_the_widget_and_the_kiosk_work_with_connect_src_self(page: Page, servers: Servers) -> None:
    policies: list[str] = []
    page.on("response", lambda r: policies.append(r.headers.get("content-security-policy", "")))
    page.route("**/chat/", with_strict_connect_src)
    page.route("**/kiosk/", with_strict_connect_src)

    open_widget(page, servers)
    ask(page, "what is a lumbar puncture?")
    expect(answers(page)).to_have_count(1)

    page.goto(servers.rasa_url + "/kiosk/")
    box = page.get_by_role("textbox", name="Your question")
    box.fill("what is a lumbar puncture?")
    box.press("Enter")
    expect(page.locator(".row-bot[data-answer-type=answer]")).to_have_count(1)
    served = [p for p in policies if p]
    assert len(served) == 2, served
    assert all(STRICT_CONNECT_SRC + ";" in p and "ws:" not in p for p in served), served
