"""The single-server lock store: a conversation's messages handled one at a time, in order, without polling.

Rasa's ``InMemoryLockStore`` queues a conversation's messages with tickets, and a waiting message looks at
the lock once a second (``LockStore.lock(..., wait_time_in_seconds=1)``, the agent's default): 20 messages
sent at once for one conversation took up to 19 s although each takes a fraction of a second.
:class:`QueueingInMemoryLockStore` gives each conversation an ``asyncio.Lock`` instead, which hands the lock
to the longest-waiting message the moment it is released (first in, first out; CPython's lock lets no
newcomer overtake a waiter). A message that has waited ``lock_lifetime`` seconds (``TICKET_LOCK_LIFETIME``,
Rasa's default 60) gives up with Rasa's ``LockError``, which the channels answer with the fallback reply.

It is still an ``InMemoryLockStore``, so Rasa keeps refusing several Sanic workers with it. Selected in
``endpoints.yml`` with ``lock_store: type: stores.memory_lock_store.QueueingInMemoryLockStore``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, InMemoryLockStore, LockError


@dataclass
class _Queue:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0  # messages holding or waiting for the lock


class QueueingInMemoryLockStore(InMemoryLockStore):
    """``InMemoryLockStore`` whose waiting messages are woken by the release (see the module docstring)."""

    def __init__(self, endpoint_config: Any = None, **_: Any) -> None:
        super().__init__()
        self._queues: dict[str, _Queue] = {}

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = 0,  # Rasa's polling interval: unused, nothing polls
    ) -> AsyncGenerator[TicketLock, None]:
        queue = self._queues.setdefault(conversation_id, _Queue())
        queue.users += 1
        try:
            try:
                await asyncio.wait_for(queue.lock.acquire(), timeout=lock_lifetime)
            except asyncio.TimeoutError:
                raise LockError(f"waited {lock_lifetime:g} s for the conversation's lock") from None
            try:
                yield TicketLock(conversation_id)
            finally:
                queue.lock.release()
        finally:
            queue.users -= 1
            if queue.users == 0:
                self._queues.pop(conversation_id, None)
