"""Real servers for the reliability, security and privacy tests, with the action server behind a switchable proxy.

The Rasa server reaches the action server through :class:`ActionProxy` (in this process), so a test can make
the action server slow (``hang``) or gone (``down``: the port refuses connections) and bring it back, without
restarting anything. ``ACTION_TIMEOUT=3`` bounds how long the Rasa server waits for an action. The Telegram
channel is on, talking to the Bot API stand-in (``chaos/telegram_standin.py``), so the fault drills
cover REST, socket.io and Telegram with the same servers.
"""

from __future__ import annotations

import contextlib
import gzip
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from chaos.telegram_standin import TelegramStandIn, telegram_standin
from serving.local_servers import Servers, free_port, running_servers
from tests.integration.channels.conftest import SECRET, TOKEN, WEBHOOK_URL

ACTION_TIMEOUT = 3.0
HANG_SECONDS = 15.0


def is_session_start(body: bytes, encoding: str | None) -> bool:
    plain = gzip.decompress(body) if encoding == "gzip" else body
    return b'"next_action":"action_session_start"' in plain.replace(b" ", b"")


class ActionProxy:
    """Forwards to the action server; ``hang`` delays every request, ``fail-answers`` answers 500 to every
    action but the session start, ``down()`` closes the port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.target = ""
        self.mode = "forward"
        self._server: ThreadingHTTPServer | None = None
        self.up()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/webhook"

    def up(self) -> None:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: object) -> None:
                pass

            def _forward(self, method: str) -> None:
                with contextlib.suppress(OSError):  # the Rasa server gave up waiting (hang), or the test is over
                    self._relay(method)

            def _relay(self, method: str) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if proxy.mode == "hang":
                    time.sleep(HANG_SECONDS)
                if proxy.mode == "fail-answers" and not is_session_start(body, self.headers.get("Content-Encoding")):
                    self.send_error(500)
                    return
                headers = {"Content-Type": self.headers.get("Content-Type", "application/json")}
                if self.headers.get("Content-Encoding"):
                    headers["Content-Encoding"] = self.headers["Content-Encoding"]
                try:
                    answer = requests.request(method, proxy.target + self.path, data=body, headers=headers, timeout=60)
                except requests.RequestException:
                    self.send_error(502)
                    return
                self.send_response(answer.status_code)
                self.send_header("Content-Type", answer.headers.get("Content-Type", "application/json"))
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            def do_POST(self) -> None:
                self._forward("POST")

            def do_GET(self) -> None:
                self._forward("GET")

        server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self._server = server

    def down(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


@pytest.fixture(scope="package")
def proxy() -> Iterator[ActionProxy]:
    action_proxy = ActionProxy()
    try:
        yield action_proxy
    finally:
        action_proxy.down()


@pytest.fixture(scope="package")
def telegram_api() -> Iterator[TelegramStandIn]:
    with telegram_standin(TOKEN) as standin:
        yield standin


@pytest.fixture(scope="package")
def servers(
    tmp_path_factory: pytest.TempPathFactory, proxy: ActionProxy, telegram_api: TelegramStandIn
) -> Iterator[Servers]:
    env = {
        "ACTION_SERVER_URL": proxy.url,
        "ACTION_TIMEOUT": str(ACTION_TIMEOUT),
        "TELEGRAM_TOKEN": TOKEN,
        "TELEGRAM_VERIFY": "pdq_all_test_bot",
        "TELEGRAM_WEBHOOK_URL": WEBHOOK_URL,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "TELEGRAM_API_URL": telegram_api.url,
    }
    with running_servers(Path(tmp_path_factory.mktemp("reliability-servers")), extra_env=env) as running:
        proxy.target = running.actions_url
        yield running


@contextlib.contextmanager
def action_server_fault(proxy: ActionProxy, fault: str) -> Iterator[None]:
    """The action server ``"down"`` (port closed) or ``"hang"`` (every call stalls) inside the block, then back."""
    if fault == "down":
        proxy.down()
    else:
        proxy.mode = fault
    try:
        yield
    finally:
        proxy.mode = "forward"
        if proxy._server is None:
            proxy.up()
