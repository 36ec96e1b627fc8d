"""A local stand-in for the Telegram Bot API: the methods aiogram 2.x calls, Telegram-shaped JSON, a request log.

It listens on a free loopback port in a background thread. ``TELEGRAM_API_URL=<stand-in url>`` points the bot
at it (aiogram builds ``<url>/bot<token>/<method>``). Every call is recorded as a :class:`Call` with the
method name and its parameters (form fields; ``reply_markup`` and other JSON fields decoded).
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from serving.local_servers import free_port

BOT_USER = {"id": 7000001, "is_bot": True, "first_name": "PDQ ALL assistant", "username": "pdq_all_test_bot"}
JSON_FIELDS = {"reply_markup", "allowed_updates", "entities"}


@dataclass
class Call:
    method: str
    params: dict[str, Any]


@dataclass
class TelegramStandIn:
    token: str
    url: str = ""
    calls: list[Call] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _message_id: int = 100

    def record(self, call: Call) -> None:
        with self._lock:
            self.calls.append(call)

    def snapshot(self) -> list[Call]:
        with self._lock:
            return list(self.calls)

    def calls_to(self, method: str, since: int = 0) -> list[Call]:
        return [c for c in self.snapshot()[since:] if c.method == method]

    def mark(self) -> int:
        """Index of the next call: pass it as ``since`` to look only at later calls."""
        return len(self.snapshot())

    def wait_for(self, predicate: Callable[[list[Call]], bool], timeout: float = 30.0) -> list[Call]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            calls = self.snapshot()
            if predicate(calls):
                return calls
            time.sleep(0.1)
        raise AssertionError(f"the stand-in did not see the expected calls; it saw {self.snapshot()}")

    def next_message_id(self) -> int:
        with self._lock:
            self._message_id += 1
            return self._message_id

    async def handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        params: dict[str, Any] = {}
        if request.content_type == "application/json":
            params = dict(await request.json())
        else:
            params = {k: v for k, v in (await request.post()).items() if isinstance(v, str)}
        for key in JSON_FIELDS & params.keys():
            if isinstance(params[key], str):
                params[key] = json.loads(params[key])
        self.record(Call(method, params))
        chat_id = params.get("chat_id")
        if chat_id is not None and not str(chat_id).lstrip("-").isdigit():  # as Telegram answers, not a crash
            return web.json_response(
                {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}, status=400
            )
        result = self.result_for(method, params)
        if result is None:
            return web.json_response(
                {"ok": False, "error_code": 404, "description": "Not Found: method not found"}, status=404
            )
        return web.json_response({"ok": True, "result": result})

    def result_for(self, method: str, params: dict[str, Any]) -> Any:
        name = method.lower()
        if name == "getme":
            return BOT_USER
        if name in {"setwebhook", "deletewebhook", "answercallbackquery", "sendchataction"}:
            return True
        if name == "sendmessage":
            message: dict[str, Any] = {
                "message_id": self.next_message_id(),
                "date": int(time.time()),
                "chat": {"id": int(params["chat_id"]), "type": "private"},
                "from": BOT_USER,
                "text": params.get("text", ""),
            }
            if "reply_markup" in params:
                message["reply_markup"] = params["reply_markup"]
            return message
        return None


@contextmanager
def telegram_standin(token: str) -> Iterator[TelegramStandIn]:
    """Run the stand-in on a free loopback port until the block ends."""
    standin = TelegramStandIn(token)
    port = free_port()
    standin.url = f"http://127.0.0.1:{port}"
    loop = asyncio.new_event_loop()
    started = threading.Event()
    runner_box: dict[str, web.AppRunner] = {}

    async def start() -> None:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", standin.handle)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        runner_box["runner"] = runner

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(start())
        started.set()
        loop.run_forever()

    thread = threading.Thread(target=run, name="telegram-standin", daemon=True)
    thread.start()
    if not started.wait(10):
        raise RuntimeError("the Telegram stand-in did not start")
    try:
        yield standin
    finally:
        asyncio.run_coroutine_threadsafe(runner_box["runner"].cleanup(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()
