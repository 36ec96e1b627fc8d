"""The lock store of the production profile, against the cluster's real Redis."""

from __future__ import annotations

import asyncio
import json
import time
import uuid

import pytest
from rasa.core.lock_store import RedisLockStore

from actions.knowledge_base import KnowledgeBase
from scripts.cluster import Cluster
from stores.redis_lock_store import SelfHealingRedisLockStore
from tests.cluster.conftest import rasa_url, send

pytestmark = pytest.mark.cluster

PREFIX = "allpdq"


def plant_crashed_servers_ticket(store: RedisLockStore, conversation_id: str, expires_in: float) -> None:
    """What a server that crashed while handling a message leaves in Redis: a ticket nobody will finish."""
    ticket = json.dumps({"number": 1, "expires": time.time() + expires_in})
    store.red.set(
        store.key_prefix + conversation_id, json.dumps({"conversation_id": conversation_id, "tickets": [ticket]})
    )


def redis_settings(cluster: Cluster) -> dict[str, object]:
    return {
        "host": "127.0.0.1",
        "port": cluster.config.redis_port,
        "password": cluster.secrets()["REDIS_PASSWORD"],
        "db": 0,
        "key_prefix": PREFIX,
    }


async def acquire(store: RedisLockStore, conversation_id: str, lifetime: float) -> float:
    started = time.monotonic()
    async with store.lock(conversation_id, lock_lifetime=lifetime):
        return time.monotonic() - started


def test_rasas_own_redis_lock_store_strands_a_message_behind_a_crashed_ticket(cluster: Cluster) -> None:
    # Why the profile does not use `type: redis`: the waiting message's own ticket expires while it waits.
    store = RedisLockStore(**redis_settings(cluster))  # type: ignore[arg-type]
    conversation = f"stock-{uuid.uuid4().hex[:8]}"
    plant_crashed_servers_ticket(store, conversation, expires_in=0.9)
    with pytest.raises(asyncio.TimeoutError):
        asyncio.run(asyncio.wait_for(acquire(store, conversation, lifetime=1.0), timeout=5))
    store.delete_lock(conversation)


def test_a_message_behind_a_crashed_ticket_is_served_when_that_ticket_expires(cluster: Cluster) -> None:
    store = SelfHealingRedisLockStore(**redis_settings(cluster))
    conversation = f"healing-{uuid.uuid4().hex[:8]}"
    plant_crashed_servers_ticket(store, conversation, expires_in=0.9)
    waited = asyncio.run(asyncio.wait_for(acquire(store, conversation, lifetime=1.0), timeout=5))
    assert 0.8 < waited < 2.0
    assert store.get_lock(conversation) is None  # cleaned up after the message


def test_queued_messages_are_served_one_at_a_time_in_arrival_order(cluster: Cluster) -> None:
    store = SelfHealingRedisLockStore(**redis_settings(cluster))
    conversation = f"order-{uuid.uuid4().hex[:8]}"
    served: list[int] = []
    inside = 0

    async def message(n: int) -> None:
        nonlocal inside
        await asyncio.sleep(n * 0.02)  # arrival order 0, 1, 2, ...
        async with store.lock(conversation, lock_lifetime=5):
            inside += 1
            assert inside == 1
            served.append(n)
            await asyncio.sleep(0.1)
            inside -= 1

    async def all_messages() -> None:
        await asyncio.gather(*(message(n) for n in range(6)))

    asyncio.run(all_messages())
    assert served == list(range(6))


def test_the_cluster_answers_a_conversation_whose_server_crashed_mid_message(
    cluster: Cluster, kb: KnowledgeBase
) -> None:
    store = SelfHealingRedisLockStore(**redis_settings(cluster))
    sender = f"crashed-{uuid.uuid4().hex[:8]}"
    # As if a server took this conversation's message half a second ago and died.
    lifetime = cluster.config.lock_lifetime_s
    plant_crashed_servers_ticket(store, sender, expires_in=lifetime - 0.5)
    started = time.monotonic()
    reply = send(rasa_url(cluster, 2), sender, "what are the symptoms of ALL?", timeout=lifetime + 30)
    assert lifetime - 1 < time.monotonic() - started < lifetime + 5
    assert kb.section("symptoms").blocks[0].text in "\n".join(str(m.get("text")) for m in reply)
