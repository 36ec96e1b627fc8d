"""Load the running Rasa server with simulated users over REST (aiohttp) and socket.io (python-socketio).

Every simulated user holds its own conversation (its own sender / session id). A user opens its
conversation with ``/greet`` (the disclaimer; not timed), then sends questions one after the other,
waiting for each reply, and starts a new conversation every ``CONVERSATION_LENGTH`` questions (so every
level sees the same conversation lengths; a long conversation is slower, see :func:`conversation_growth`);
``users`` users do that at the same time. Questions are taken round-robin
from the question files so the mix is the realistic one (answers, term explanations, fallbacks,
out-of-scope, urgent). The number of messages is fixed per level and every request has a timeout.
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections.abc import Callable, Sequence
from typing import Any

import aiohttp
import socketio

from actions import reply_contract as contract
from bench.stats import latency_summary

REQUEST_TIMEOUT_S = 30.0
CONVERSATION_LENGTH = 10


async def _rest_send(session: aiohttp.ClientSession, url: str, sender: str, message: str) -> list[dict[str, Any]]:
    async with session.post(url, json={"sender": sender, "message": message}) as response:
        response.raise_for_status()
        body = await response.json()
        if not isinstance(body, list) or not body:
            raise RuntimeError(f"empty reply to {message!r}")
        return body


async def rest_load(
    rasa_url: str, questions: Sequence[str], users: int, messages: int, think_s: float = 0.0
) -> dict[str, Any]:
    """``users`` concurrent conversations sending ``messages`` questions in total over REST.

    With ``think_s`` each user waits between 0.5 and 1.5 × ``think_s`` after a reply before the next question
    (a person reading and typing); with 0 the users send back to back (the server's saturation).
    """
    pause = random.Random(2024)
    url = rasa_url + "/webhooks/rest/webhook"
    per_user = [messages // users + (1 if i < messages % users else 0) for i in range(users)]
    latencies: list[float] = []
    errors = 0
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)
    connector = aiohttp.TCPConnector(limit=users + 5)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        senders = [f"bench-rest-{uuid.uuid4().hex[:10]}" for _ in range(users)]
        await asyncio.gather(*(_rest_send(session, url, s, "/greet") for s in senders))

        async def user(index: int) -> None:
            nonlocal errors
            if think_s:  # people do not all press Enter in the same millisecond
                await asyncio.sleep(think_s * pause.uniform(0.0, 1.0))
            for n in range(per_user[index]):
                question = questions[(index * 7919 + n) % len(questions)]
                if n and n % CONVERSATION_LENGTH == 0:
                    senders[index] = f"bench-rest-{uuid.uuid4().hex[:10]}"
                    try:
                        await _rest_send(session, url, senders[index], "/greet")
                    except (aiohttp.ClientError, asyncio.TimeoutError, RuntimeError):
                        errors += 1
                        continue
                started = time.perf_counter()
                try:
                    await _rest_send(session, url, senders[index], question)
                    latencies.append((time.perf_counter() - started) * 1000)
                except (aiohttp.ClientError, asyncio.TimeoutError, RuntimeError):
                    errors += 1
                if think_s:
                    await asyncio.sleep(think_s * pause.uniform(0.5, 1.5))

        started = time.perf_counter()
        await asyncio.gather(*(user(i) for i in range(users)))
        wall = time.perf_counter() - started
    return {"users": users, "think_s": think_s, **latency_summary(latencies, errors, wall)}


async def conversation_growth(rasa_url: str, questions: Sequence[str], messages: int = 100) -> dict[str, Any]:
    """One conversation of ``messages`` questions (≥ 2 × messages tracker events): latency of each message."""
    url = rasa_url + "/webhooks/rest/webhook"
    sender = f"bench-long-{uuid.uuid4().hex[:10]}"
    latencies: list[float] = []
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)) as session:
        await _rest_send(session, url, sender, "/greet")
        for n in range(messages):
            started = time.perf_counter()
            await _rest_send(session, url, sender, questions[n % len(questions)])
            latencies.append((time.perf_counter() - started) * 1000)
    first, last = latencies[:10], latencies[-10:]
    return {
        "messages": messages,
        "sender": sender,
        "first10_mean_ms": round(sum(first) / len(first), 1),
        "last10_mean_ms": round(sum(last) / len(last), 1),
        "by_decile_mean_ms": [
            round(sum(latencies[i : i + messages // 10]) / (messages // 10), 1)
            for i in range(0, messages, messages // 10)
        ],
        "latencies_ms": [round(x, 1) for x in latencies],
    }


async def socketio_load(rasa_url: str, questions: Sequence[str], users: int, messages: int) -> dict[str, Any]:
    """``users`` concurrent socket.io clients (long-polling, like the widget) sending ``messages`` questions.

    A message's latency is from ``user_uttered`` to the first ``bot_uttered`` event carrying the custom
    payload (``answer_type``), which ends the reply's main answer.
    """
    per_user = [messages // users + (1 if i < messages % users else 0) for i in range(users)]
    latencies: list[float] = []
    errors = 0

    async def user(index: int) -> None:
        nonlocal errors
        client = socketio.AsyncClient(reconnection=False)
        payloads: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        confirmed: asyncio.Future[Any] = asyncio.get_running_loop().create_future()

        async def on_confirm(data: Any) -> None:
            if not confirmed.done():
                confirmed.set_result(data)

        async def on_bot(data: dict[str, Any]) -> None:
            if isinstance(data, dict) and contract.ANSWER_TYPE in data:
                await payloads.put(data)

        client.on("session_confirm", on_confirm)
        client.on("bot_uttered", on_bot)

        async def ask(message: str) -> None:
            await client.emit("user_uttered", {"message": message, "message_id": uuid.uuid4().hex})
            await asyncio.wait_for(payloads.get(), REQUEST_TIMEOUT_S)

        try:
            await client.connect(rasa_url, transports=["polling"], wait_timeout=REQUEST_TIMEOUT_S)
            await client.emit("session_request", {})
            await asyncio.wait_for(confirmed, REQUEST_TIMEOUT_S)
            await ask("/greet")
            await asyncio.sleep(0.3)  # let the rest of the disclaimer arrive before timing starts
            while not payloads.empty():
                payloads.get_nowait()
        except (socketio.exceptions.SocketIOError, asyncio.TimeoutError, OSError):
            errors += per_user[index]
            await client.disconnect()
            return
        try:
            for n in range(per_user[index]):
                question = questions[(index * 7919 + n) % len(questions)]
                started = time.perf_counter()
                try:
                    await ask(question)
                    latencies.append((time.perf_counter() - started) * 1000)
                except (socketio.exceptions.SocketIOError, asyncio.TimeoutError):
                    errors += 1
                # a reply may have a second payload (a "you also asked" suggestion): drain it
                await asyncio.sleep(0.05)
                while not payloads.empty():
                    payloads.get_nowait()
        finally:
            await client.disconnect()

    started = time.perf_counter()
    await asyncio.gather(*(user(i) for i in range(users)))
    wall = time.perf_counter() - started
    summary = latency_summary(latencies, errors, wall)
    summary["note"] = "msg/s includes a 50 ms drain pause after every reply"
    return {"users": users, **summary}


async def rest_soak(
    rasa_url: str,
    questions: Sequence[str],
    users: int,
    seconds: float,
    memory: Callable[[], dict[str, Any]],
    sample_every_s: float = 30.0,
) -> dict[str, Any]:
    """``users`` conversations send questions without pause for ``seconds``; memory is sampled on the way.

    Bounded by time (and every request by its timeout). Reports errors, latencies per minute and the
    resident memory of both servers at each sample, so a leak shows as a rising series.
    """
    url = rasa_url + "/webhooks/rest/webhook"
    deadline = time.monotonic() + seconds
    started = time.monotonic()
    latencies: list[tuple[float, float]] = []  # (seconds since start, ms)
    errors = 0
    samples = [{"t_s": 0.0, **memory()}]
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)
    async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=users + 5)) as session:

        async def user(index: int) -> None:
            nonlocal errors
            n = 0
            sender = f"bench-soak-{uuid.uuid4().hex[:10]}"
            while time.monotonic() < deadline:
                if n % CONVERSATION_LENGTH == 0:
                    sender = f"bench-soak-{uuid.uuid4().hex[:10]}"
                question = questions[(index * 7919 + n) % len(questions)]
                n += 1
                sent = time.perf_counter()
                try:
                    await _rest_send(session, url, sender, question)
                    latencies.append((time.monotonic() - started, (time.perf_counter() - sent) * 1000))
                except (aiohttp.ClientError, asyncio.TimeoutError, RuntimeError):
                    errors += 1

        async def sampler() -> None:
            while time.monotonic() < deadline:
                await asyncio.sleep(min(sample_every_s, max(deadline - time.monotonic(), 0.0)))
                samples.append({"t_s": round(time.monotonic() - started, 1), **memory()})

        await asyncio.gather(sampler(), *(user(i) for i in range(users)))
    wall = time.monotonic() - started
    per_minute = []
    for minute in range(int(wall // 60) + 1):
        chunk = [ms for t, ms in latencies if minute * 60 <= t < (minute + 1) * 60]
        if chunk:
            per_minute.append({"minute": minute + 1, **latency_summary(chunk, 0, 60.0)})
    return {
        "users": users,
        "seconds": round(wall, 1),
        **latency_summary([ms for _, ms in latencies], errors, wall),
        "per_minute": per_minute,
        "memory_samples": samples,
    }
