"""The lock store of the production profile, against the cluster's real Redis and Rasa servers."""

from __future__ import annotations

import asyncio
import itertools
import json
import multiprocessing
import time
import uuid
from typing import Any

import pytest
import redis
from rasa.core.lock_store import RedisLockStore

from actions.knowledge_base import KnowledgeBase
from serving.cluster.cluster import Cluster
from stores.redis_lock_store import ConcurrentRedisLockStore
from tests.cluster.conftest import rasa_url, send

pytestmark = pytest.mark.cluster

PREFIX = "allpdq"
MESSAGES_PER_CONVERSATION = 40


def redis_settings(cluster: Cluster) -> dict[str, Any]:
    return {
        "host": "127.0.0.1",
        "port": cluster.config.redis_port,
        "password": cluster.secrets()["REDIS_PASSWORD"],
        "db": 0,
        "key_prefix": PREFIX,
    }


def plant_crashed_servers_ticket(settings: dict[str, Any], conversation_id: str, expires_in: float) -> None:
    """What a server that crashed while handling a message leaves in Redis: a ticket nobody will release."""

    async def plant() -> None:
        store = ConcurrentRedisLockStore(**settings)
        await store._issue_ticket(store.keys_of(conversation_id), int(expires_in * 1000))
        await store.red.close()

    asyncio.run(plant())


async def acquire(store: Any, conversation_id: str, lifetime: float) -> float:
    started = time.monotonic()
    async with store.lock(conversation_id, lock_lifetime=lifetime):
        return time.monotonic() - started


def test_rasas_own_redis_lock_store_strands_a_message_behind_a_crashed_ticket(cluster: Cluster) -> None:
    # One reason the profile does not use `type: redis`: the waiting message's own ticket expires while it waits.
    store = RedisLockStore(**redis_settings(cluster))
    conversation = f"stock-{uuid.uuid4().hex[:8]}"
    ticket = json.dumps({"number": 1, "expires": time.time() + 0.9})
    store.red.set(store.key_prefix + conversation, json.dumps({"conversation_id": conversation, "tickets": [ticket]}))
    with pytest.raises(asyncio.TimeoutError):
        asyncio.run(asyncio.wait_for(acquire(store, conversation, lifetime=1.0), timeout=5))
    store.delete_lock(conversation)


def test_a_message_behind_a_crashed_ticket_is_served_when_that_ticket_expires(cluster: Cluster) -> None:
    settings = redis_settings(cluster)
    conversation = f"crashed-{uuid.uuid4().hex[:8]}"
    plant_crashed_servers_ticket(settings, conversation, expires_in=0.9)

    async def scenario() -> float:
        store = ConcurrentRedisLockStore(**settings)
        try:
            return await asyncio.wait_for(acquire(store, conversation, lifetime=1.0), timeout=5)
        finally:
            await store.red.close()

    waited = asyncio.run(scenario())
    assert 0.6 < waited < 2.0  # woken by the expiry, not by a poll
    keys = redis.Redis(**{k: v for k, v in settings.items() if k != "key_prefix"}).keys(f"{PREFIX}:*{conversation}*")
    assert keys == []  # nothing left behind


def contend(settings: dict[str, Any], conversations: list[str], worker: int, workers: int, ready: Any) -> None:
    """One process of the stress test: a message every 10 ms (across processes), each holding the lock 25 ms."""
    checker = redis.Redis(**{k: v for k, v in settings.items() if k != "key_prefix"})
    ready.wait(120)  # every process imported and started
    start_at = time.time() + 0.5

    async def message(conversation: str, n: int) -> None:
        await asyncio.sleep(max(0.0, start_at + n * 0.01 - time.time()))
        async with store.lock(conversation, lock_lifetime=10) as held:
            if not checker.set(f"stress:{conversation}:inside", n, nx=True, px=5000):
                checker.rpush(f"stress:{conversation}:violations", n)
            checker.rpush(f"stress:{conversation}:served", json.dumps([n, held.last_issued]))
            await asyncio.sleep(0.025)
            checker.delete(f"stress:{conversation}:inside")

    async def run() -> None:
        await asyncio.gather(
            *(message(c, n) for c in conversations for n in range(worker, MESSAGES_PER_CONVERSATION, workers))
        )
        await store.red.close()

    store = ConcurrentRedisLockStore(**settings)
    asyncio.run(run())


def test_many_processes_and_simultaneous_messages_one_at_a_time_in_arrival_order(cluster: Cluster) -> None:
    settings = redis_settings(cluster)
    checker = redis.Redis(**{k: v for k, v in settings.items() if k != "key_prefix"})
    conversations = [f"stress-{uuid.uuid4().hex[:8]}" for _ in range(3)]
    workers = 4
    context = multiprocessing.get_context("spawn")
    ready = context.Barrier(workers)
    processes = [
        context.Process(target=contend, args=(settings, conversations, worker, workers, ready))
        for worker in range(workers)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(180)
    assert all(process.exitcode == 0 for process in processes)
    for conversation in conversations:
        served = [json.loads(entry) for entry in checker.lrange(f"stress:{conversation}:served", 0, -1)]
        assert checker.lrange(f"stress:{conversation}:violations", 0, -1) == []  # never two at once
        assert sorted(n for n, _ in served) == list(range(MESSAGES_PER_CONVERSATION))  # every message once
        # Served in ticket (INCR, arrival) order: 1, 2, 3, ... for as long as messages are queued; the counter
        # starts again at 1 only after the queue ran empty.
        queues: list[list[int]] = []
        for _, ticket in served:
            if ticket == 1:
                queues.append([])
            queues[-1].append(ticket)
        assert all(queue == list(range(1, len(queue) + 1)) for queue in queues), queues
        in_sending_order = sum(a < b for (a, _), (b, _) in itertools.pairwise(served))
        print(
            f"\n{conversation}: {in_sending_order + 1}/{len(served)} in the order they were sent 10 ms apart, "
            f"longest queue {max(map(len, queues))}"
        )
        assert checker.keys(f"{PREFIX}:*{conversation}*") == []


def test_the_cluster_answers_a_conversation_whose_server_crashed_mid_message(
    cluster: Cluster, kb: KnowledgeBase
) -> None:
    sender = f"crashed-{uuid.uuid4().hex[:8]}"
    # As if a server took this conversation's message half a second ago and died.
    lifetime = cluster.config.lock_lifetime_s
    plant_crashed_servers_ticket(redis_settings(cluster), sender, expires_in=lifetime - 0.5)
    started = time.monotonic()
    reply = send(rasa_url(cluster, 2), sender, "what are the symptoms of ALL?", timeout=lifetime + 30)
    assert lifetime - 1.5 < time.monotonic() - started < lifetime + 5
    assert kb.section("symptoms").blocks[0].text in "\n".join(str(m.get("text")) for m in reply)


def test_a_live_holder_slower_than_the_lifetime_keeps_the_lock(cluster: Cluster) -> None:
    settings = redis_settings(cluster)
    conversation = f"slow-{uuid.uuid4().hex[:8]}"

    async def scenario() -> tuple[float, float]:
        store = ConcurrentRedisLockStore(**settings)
        released_at = 0.0

        async def slow_holder() -> None:
            nonlocal released_at
            async with store.lock(conversation, lock_lifetime=0.6):
                await asyncio.sleep(1.5)  # e.g. waiting out a database restart
                released_at = time.monotonic()

        holder = asyncio.create_task(slow_holder())
        await asyncio.sleep(0.1)
        async with store.lock(conversation, lock_lifetime=0.6):
            entered_at = time.monotonic()
        await holder
        await store.red.close()
        return entered_at, released_at

    entered_at, released_at = asyncio.run(scenario())
    assert entered_at >= released_at  # not let in when the holder's first lifetime ran out
    assert entered_at - released_at < 0.3  # and woken at once when it released
