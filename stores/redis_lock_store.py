"""A Redis lock store whose waiting messages are never stranded by a crashed server's ticket.

Rasa 3.6's ``RedisLockStore`` queues a conversation's messages with tickets that expire ``lock_lifetime``
seconds after they are *issued*. A ticket left behind by a server that crashed mid-message expires after
that lifetime, but so does the ticket of the message waiting behind it, a moment later, while it waits;
Rasa then removes both, and the waiting message polls a lock that can never serve it until the HTTP request
times out (seen: every later message of that conversation hung 60 s and failed).

Here a waiting message keeps its own ticket alive (its expiry moves forward on every poll), so only tickets
of dead servers expire; a ticket lost to a concurrent write is issued again. Messages of one conversation
are still handled one at a time in ticket order. Selected with ``lock_store: type:
stores.redis_lock_store.SelfHealingRedisLockStore`` and the same settings as Rasa's ``redis`` type.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from typing import Any

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

POLL_INTERVAL_S = 0.05  # Rasa polls every second: a queued message would wait up to 1 s for nothing


class SelfHealingRedisLockStore(RedisLockStore):
    """``RedisLockStore`` whose waiters refresh their tickets (see the module docstring)."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs, **kwargs}
        super().__init__(**kwargs)

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = POLL_INTERVAL_S,
    ) -> AsyncGenerator[TicketLock, None]:
        ticket = self.issue_ticket(conversation_id, lock_lifetime)
        try:
            while True:
                lock = self.get_lock(conversation_id)
                own = lock._ticket_for_ticket_number(ticket) if lock is not None else None
                if lock is None or own is None:
                    # Our ticket is gone (lost to a concurrent write, or the lock was deleted): queue again.
                    ticket = self.issue_ticket(conversation_id, lock_lifetime)
                    continue
                if not lock.is_locked(ticket):
                    break
                own.expires = time.time() + lock_lifetime  # still here, still waiting
                self.save_lock(lock)
                await asyncio.sleep(wait_time_in_seconds)
            yield lock
        finally:
            self.cleanup(conversation_id, ticket)
