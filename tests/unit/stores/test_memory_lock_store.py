"""The single-server lock store: one message of a conversation at a time, in arrival order, no polling delay."""

from __future__ import annotations

import asyncio
import time

import pytest
from rasa.core.lock_store import InMemoryLockStore, LockError, LockStore

from stores.memory_lock_store import QueueingInMemoryLockStore

HOLD_S = 0.05


async def queued_messages(store: LockStore, count: int) -> tuple[list[int], list[float], int]:
    """``count`` messages of one conversation arriving 1 ms apart, each holding the lock ``HOLD_S``."""
    served: list[int] = []
    waits: list[float] = []
    inside = most_inside = 0

    async def message(n: int) -> None:
        nonlocal inside, most_inside
        await asyncio.sleep(n * 0.001)
        started = time.monotonic()
        async with store.lock("family-1"):
            waits.append(time.monotonic() - started)
            inside += 1
            most_inside = max(most_inside, inside)
            served.append(n)
            await asyncio.sleep(HOLD_S)
            inside -= 1

    await asyncio.gather(*(message(n) for n in range(count)))
    return served, waits, most_inside


def test_queued_messages_are_served_one_at_a_time_in_order_without_waiting_for_a_poll() -> None:
    store = QueueingInMemoryLockStore()
    served, waits, most_inside = asyncio.run(queued_messages(store, 20))
    assert served == list(range(20))
    assert most_inside == 1
    assert max(waits) < 19 * HOLD_S + 1.0  # the last one waits for the 19 before it, not for polls
    assert store._queues == {}  # nothing left behind


def test_rasas_in_memory_lock_store_makes_queued_messages_wait_for_its_once_a_second_poll() -> None:
    served, waits, _ = asyncio.run(queued_messages(InMemoryLockStore(), 5))
    assert sorted(served) == list(range(5))
    assert max(waits) > 2.5  # why endpoints.yml names QueueingInMemoryLockStore


def test_a_message_that_waits_longer_than_the_lock_lifetime_gives_up_with_a_lock_error() -> None:
    store = QueueingInMemoryLockStore()

    async def scenario() -> None:
        async def hold() -> None:
            async with store.lock("family-2"):
                await asyncio.sleep(0.5)

        holder = asyncio.create_task(hold())
        await asyncio.sleep(0.01)
        with pytest.raises(LockError):
            async with store.lock("family-2", lock_lifetime=0.1):
                pass
        await holder

    asyncio.run(scenario())
    assert store._queues == {}


def test_other_conversations_do_not_wait() -> None:
    store = QueueingInMemoryLockStore()

    async def scenario() -> float:
        async with store.lock("family-3"):
            started = time.monotonic()
            async with store.lock("family-4"):
                return time.monotonic() - started

    assert asyncio.run(scenario()) < 0.1
