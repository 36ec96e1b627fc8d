"""Bad input for every door of the Rasa server — REST, socket.io (engine.io requests and socket.io events),
the static pages and the Telegram webhook — counting the answers with a 5xx status (there must be none).

Inputs come from a seeded :class:`random.Random` (the same run every time) plus hand-written cases that once
broke something (5,000-deep JSON, ``NaN``, a 300-character file name, ``text/plain`` bodies).
"""

from __future__ import annotations

import asyncio
import json
import random
import string
from dataclasses import dataclass, field
from typing import Any

import requests
import socketio

from actions import reply_contract as contract
from chaos.clients import QUESTION, rest_turn, socketio_turn
from chaos.servers import TELEGRAM_SECRET

NASTY_TEXTS = [
    "",
    " ",
    "\x00",
    "\u202e\u200b",
    "🙂" * 50,
    "<script>alert(1)</script>",
    "/restart",
    '/greet{"x": 1}',
    "x" * 5000,
    "ﷺ" * 100,
    "\U0010ffff",
    "%00%2e%2e/",
    "' OR 1=1 --",
    "${jndi:ldap://x}",
]


def random_json(rng: random.Random, depth: int = 0) -> Any:
    """Any JSON value, sometimes deep, sometimes odd (huge numbers, control characters, NaN-like text)."""
    roll = rng.random()
    if depth > 4 or roll < 0.45:
        return rng.choice([
            None, True, False, rng.randint(-(2**70), 2**70), rng.random() * 1e308, rng.choice(NASTY_TEXTS),
            "".join(rng.choice(string.printable) for _ in range(rng.randint(0, 40))),
        ])  # fmt: skip
    if roll < 0.7:
        return [random_json(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return {rng.choice(["sender", "message", "metadata", "input_channel", "x"]): random_json(rng, depth + 1)
            for _ in range(rng.randint(0, 4))}  # fmt: skip


def nested(depth: int) -> bytes:
    return b'{"sender": "deep", "message": "hi", "metadata": ' + b'{"a": ' * depth + b"1" + b"}" * depth + b"}"


@dataclass
class Surface:
    """One door's fuzz: how many inputs were tried and the ones that got a 5xx."""

    name: str
    tried: int = 0
    server_errors: list[str] = field(default_factory=list)

    def record(self, what: str, status: int) -> None:
        self.tried += 1
        if status >= 500:
            self.server_errors.append(f"{what[:80]!r} -> {status}")

    def __str__(self) -> str:
        return f"{self.name} {self.tried} inputs, {len(self.server_errors)} x 5xx"


def _send(surface: Surface, what: str, method: str, url: str, **kwargs: Any) -> None:
    try:
        response = requests.request(method, url, timeout=60, **kwargs)
    except requests.RequestException as error:  # the server closed the connection: count it as an error
        surface.tried += 1
        surface.server_errors.append(f"{what[:80]!r} -> {type(error).__name__}")
        return
    surface.record(what, response.status_code)


def fuzz_rest(base: str, rng: random.Random, count: int) -> Surface:
    surface = Surface("REST")
    url = base + "/webhooks/rest/webhook"
    fixed: list[tuple[bytes, str]] = [
        (nested(5000), "application/json"),
        (b'{"sender": "n", "message": "hi", "metadata": {"x": NaN}}', "application/json"),
        (b'{"sender": "t", "message": "hi"}', "text/plain"),
        (b"\xff\xfe\x00garbage", "application/json"),
        (b'{"sender": "' + b"s" * 70_000 + b'", "message": "hi"}', "application/json"),
    ]
    for body, content_type in fixed:
        _send(
            surface, body[:60].decode(errors="replace"), "POST", url, data=body, headers={"Content-Type": content_type}
        )
    for _ in range(count):
        if rng.random() < 0.2:
            body = bytes(rng.randrange(256) for _ in range(rng.randint(0, 300)))
        else:
            body = json.dumps(random_json(rng)).encode()
        content_type = rng.choice(["application/json", "application/json", "text/plain", "", "application/xml"])
        method = rng.choice(["POST"] * 8 + ["GET", "PUT"])
        _send(surface, body.decode(errors="replace"), method, url, data=body, headers={"Content-Type": content_type})
    return surface


def fuzz_pages(base: str, rng: random.Random, count: int) -> Surface:
    surface = Surface("pages")
    fixed = [
        "/widget/" + "a" * 300 + ".js", "/kiosk/" + "c/" * 2100 + "x.css", "/chat/%2e%2e/%2e%2e/etc/passwd",
        "/vendor/..%2f..%2fcredentials.yml", "/widget/%00.js", "/chat/\u00e9\u00e9.html", "/", "/kiosk",
    ]  # fmt: skip
    pieces = ["..", ".", "%2e", "%2f", "%00", "%ff", "a" * 260, "widget.js", "index.html", "\u2603", "~", ";", "//"]
    paths = fixed + [
        "/"
        + rng.choice(["widget", "vendor", "chat", "kiosk"])
        + "/"
        + "/".join(rng.choices(pieces, k=rng.randint(1, 4)))
        for _ in range(count)
    ]
    for path in paths:
        _send(surface, path, rng.choice(["GET", "GET", "HEAD", "POST", "OPTIONS"]), base + path)
    return surface


def fuzz_telegram(base: str, rng: random.Random, count: int) -> Surface:
    surface = Surface("Telegram")
    url = base + "/webhooks/telegram/webhook"
    for n in range(count):
        update = random_json(rng)
        if rng.random() < 0.5:  # shaped like an update, with odd fields
            update = {"update_id": rng.choice([n, -1, "x", None, 2**70]), "message": {
                "message_id": n, "date": rng.choice([0, "now", None]),
                "chat": {"id": rng.choice([1, -5, "x", None]), "type": "private"},
                "text": rng.choice(NASTY_TEXTS)}}  # fmt: skip
        secret = TELEGRAM_SECRET if rng.random() < 0.8 else "wrong"
        body = json.dumps(update)
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret, "Content-Type": "application/json"}
        _send(surface, body, "POST", url, data=body.encode(), headers=headers)
    return surface


async def _socketio_events(base: str, rng: random.Random, count: int) -> None:
    client = socketio.AsyncClient(reconnection=False)
    await client.connect(base, transports=["polling"])
    try:
        for _ in range(count):
            event = rng.choice(["user_uttered", "session_request", "unknown", "message"])
            with_id = {"session_id": rng.choice([None, 5, "x" * 200, "ok-id", [1]]), "message": random_json(rng)}
            await client.emit(event, rng.choice([random_json(rng), with_id]))
        await asyncio.sleep(1)
    finally:
        await client.disconnect()


def fuzz_socketio(base: str, rng: random.Random, count: int) -> Surface:
    surface = Surface("socket.io")
    polling = base + "/socket.io/"
    for _ in range(count):
        query = {"EIO": rng.choice(["4", "3", "x", ""]), "transport": rng.choice(["polling", "websocket", "carrier"]),
                 "sid": rng.choice(["", "bogus", "A" * 500]), "t": rng.choice(["1", "%00"])}  # fmt: skip
        body = rng.choice(
            [b"", b"4garbage", b'42["user_uttered",{"message":"hi"}]', bytes(rng.randrange(256) for _ in range(50))]
        )
        method = rng.choice(["GET", "POST", "POST"])
        _send(surface, f"{method} {query} {body[:20]!r}", method, polling, params=query, data=body)
    asyncio.run(_socketio_events(base, rng, count))
    surface.tried += count
    # the events must not have broken the channel: a real question over socket.io still gets its answer
    _, reply = asyncio.run(socketio_turn(base, {}, QUESTION))
    if reply[-1].get(contract.ANSWER_TYPE) != contract.ANSWER:
        surface.server_errors.append(f"after the events: a question got {reply[-1].get(contract.ANSWER_TYPE)}")
    return surface


def fuzz_everything(base: str, count: int, seed: int = 17) -> list[Surface]:
    """Fuzz every door with about ``count`` inputs each; then check REST still answers a question."""
    rng = random.Random(seed)
    surfaces = [fuzz_rest(base, rng, count), fuzz_pages(base, rng, count), fuzz_telegram(base, rng, count)]
    surfaces.append(fuzz_socketio(base, rng, count))
    _, reply = rest_turn(base, f"fuzz-after-{rng.randrange(10**9)}", QUESTION)
    if not reply:
        surfaces[0].server_errors.append("after the fuzz: no reply to a question")
    return surfaces
