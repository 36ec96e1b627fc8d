"""The Redis lock store when Redis is down or restarting, against a real redis-server.

A Redis restart must cost no turn (the store retries), and Redis gone for longer must refuse the message
honestly: the chaos drill saw 4 of 487 turns answered with the fallback and a 200 while Redis was down,
turns that were never stored.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from serving.local_servers import free_port
from stores.errors import TrackerStoreUnavailable
from stores.redis_lock_store import ConcurrentRedisLockStore, LockStoreUnavailable

pytestmark = pytest.mark.cluster


@contextmanager
def redis_server(port: int) -> Iterator[subprocess.Popen[bytes]]:
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield process
    finally:
        process.terminate()
        process.wait(10)


async def hold_lock_once(store: ConcurrentRedisLockStore, conversation: str) -> float:
    started = time.monotonic()
    async with store.lock(conversation, lock_lifetime=5):
        waited = time.monotonic() - started
    await store.red.close()
    return waited


def test_redis_down_refuses_the_message_as_not_stored() -> None:
    store = ConcurrentRedisLockStore(host="127.0.0.1", port=free_port(), db=0, retry_seconds=1)
    started = time.monotonic()
    with pytest.raises(LockStoreUnavailable) as raised:
        asyncio.run(hold_lock_once(store, "nobody-home"))
    assert isinstance(raised.value, TrackerStoreUnavailable)  # the channels' honest refusal (REST 503)
    assert 0.5 <= time.monotonic() - started < 10  # retried for about retry_seconds, then gave up


def test_a_redis_restart_within_the_retry_window_costs_no_turn() -> None:
    port = free_port()
    store = ConcurrentRedisLockStore(host="127.0.0.1", port=port, db=0, retry_seconds=10)
    with redis_server_started_late(port, delay=1.0):
        waited = asyncio.run(hold_lock_once(store, "restarting"))
    assert 0.9 <= waited < 10


@contextmanager
def redis_server_started_late(port: int, delay: float) -> Iterator[None]:
    servers: list[subprocess.Popen[bytes]] = []
    stack: list[object] = []

    def start() -> None:
        time.sleep(delay)
        context = redis_server(port)
        servers.append(context.__enter__())
        stack.append(context)

    starter = threading.Thread(target=start)
    starter.start()
    try:
        yield
    finally:
        starter.join(30)
        for context in stack:
            context.__exit__(None, None, None)  # type: ignore[attr-defined]
