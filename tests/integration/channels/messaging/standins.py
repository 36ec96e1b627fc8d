"""Local stand-ins of Twilio's Messages API and Meta's Graph API: they record what the bot sends.

Each listens on a free loopback port in a background thread and answers as the real API does for the calls the
channels make (Twilio: ``POST /2010-04-01/Accounts/{sid}/Messages.json`` with HTTP Basic auth and form fields;
Graph: ``POST /{version}/{phone_number_id}/messages`` with a bearer token and JSON). Wrong credentials get 401.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from serving.local_servers import free_port


@dataclass
class Recorder:
    """What a stand-in received: one dict per accepted message (Twilio: the form; Graph: the JSON body)."""

    url: str = ""
    sent: list[dict[str, Any]] = field(default_factory=list)
    refused: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def record(self, message: dict[str, Any]) -> int:
        with self._lock:
            self.sent.append(message)
            return next(self._ids)

    def to(self, recipient: str, since: int = 0) -> list[dict[str, Any]]:
        with self._lock:
            return [m for m in self.sent[since:] if m.get("To", m.get("to")) == recipient]

    def mark(self) -> int:
        with self._lock:
            return len(self.sent)

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            time.sleep(0.1)
        raise AssertionError(f"the stand-in did not see the expected messages; it saw {self.sent}")


def twilio_app(recorder: Recorder, account_sid: str, auth_token: str) -> web.Application:
    expected = "Basic " + base64.b64encode(f"{account_sid}:{auth_token}".encode()).decode()

    async def messages(request: web.Request) -> web.Response:
        if request.match_info["sid"] != account_sid or request.headers.get("Authorization") != expected:
            recorder.refused += 1
            return web.json_response({"code": 20003, "message": "Authenticate", "status": 401}, status=401)
        form = {k: v for k, v in (await request.post()).items() if isinstance(v, str)}
        if not form.get("Body") or len(form["Body"]) > 1600:
            recorder.refused += 1
            return web.json_response({"code": 21617, "message": "body too long or empty", "status": 400}, status=400)
        n = recorder.record(form)
        return web.json_response({"sid": f"SM{n:032x}", "status": "queued", **form}, status=201)

    app = web.Application()
    app.router.add_post("/2010-04-01/Accounts/{sid}/Messages.json", messages)
    return app


def graph_app(recorder: Recorder, phone_number_id: str, access_token: str) -> web.Application:
    async def messages(request: web.Request) -> web.Response:
        ok = request.match_info["phone"] == phone_number_id
        if not ok or request.headers.get("Authorization") != f"Bearer {access_token}":
            recorder.refused += 1
            return web.json_response({"error": {"message": "Invalid OAuth access token", "code": 190}}, status=401)
        body = await request.json()
        n = recorder.record(body)
        return web.json_response(
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": body.get("to"), "wa_id": body.get("to")}],
                "messages": [{"id": f"wamid.standin{n}"}],
            }
        )

    app = web.Application()
    app.router.add_post("/{version}/{phone}/messages", messages)
    return app


@contextmanager
def serving(app: web.Application, recorder: Recorder) -> Iterator[Recorder]:
    """Run ``app`` on a free loopback port until the block ends; ``recorder.url`` is its base URL."""
    port = free_port()
    recorder.url = f"http://127.0.0.1:{port}"
    loop = asyncio.new_event_loop()
    started = threading.Event()
    runners: list[web.AppRunner] = []

    async def start() -> None:
        runner = web.AppRunner(app, access_log=None)
        runners.append(runner)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(start())
        started.set()
        loop.run_forever()

    thread = threading.Thread(target=run, name="api-standin", daemon=True)
    thread.start()
    if not started.wait(10):
        raise RuntimeError("the API stand-in did not start")
    try:
        yield recorder
    finally:
        asyncio.run_coroutine_threadsafe(runners[0].cleanup(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()
