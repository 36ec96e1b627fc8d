"""A Redis lock store for several Rasa servers, built on atomic operations only.

Rasa 3.6's ``RedisLockStore`` keeps a conversation's whole ticket queue in one value and rewrites it on every
poll (read, change, write back): two servers polling the same conversation overwrite each other's tickets
and clean-ups, and conversations froze for about 20 s through nginx. :class:`ConcurrentRedisLockStore`
follows the design of Rasa Pro's ``ConcurrentRedisLockStore`` on Rasa Open Source's ``LockStore`` interface;
nothing is ever read, changed and written back from Python. Per conversation (``<prefix><id>``):

- ``:last`` — the ticket counter: ticket numbers come from ``INCR``, so they are unique and in arrival order;
- ``:ticket:<n>`` — one key per ticket, with an expiry (``lock_lifetime``); a waiting message renews its
  own ticket whenever it wakes and the holder every third of the lifetime, so only the ticket of a server
  that died expires, at most ``lock_lifetime`` after its last sign of life;
- ``:queue`` — a sorted set of the ticket numbers; the lowest live ticket is served;
- ``:wake:<n>`` — a list the releasing server pushes to, to wake ticket ``n`` at once (``BLPOP``); a waiter
  also wakes when the ticket ahead of it would expire, so a dead server's ticket costs at most its lifetime.

Issuing, "who is served, dropping dead tickets on the way" and check-and-release (delete one's own ticket,
wake the next live one) are each one Lua script, so they are atomic. Messages of one conversation are
therefore handled one at a time and in ``INCR`` order whichever server receives them. Redis unreachable:
each call is retried with backoff for ``retry_seconds`` (default 5; a Redis restart costs no turn), then
:class:`LockStoreUnavailable`, which the channels refuse like a tracker store failure (REST 503, the
"can't save" reply): the message was not handled, so an answer would be a turn that was never stored.
Selected with ``lock_store: type: stores.redis_lock_store.ConcurrentRedisLockStore`` and the settings of
Rasa's ``redis`` type, plus ``retry_seconds``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import AsyncGenerator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import redis.asyncio  # type: ignore[import-untyped]
import redis.exceptions  # type: ignore[import-untyped]
from rasa.core.lock import Ticket, TicketLock
from rasa.core.lock_store import DEFAULT_REDIS_LOCK_STORE_KEY_PREFIX, LOCK_LIFETIME, LockError, LockStore
from rasa.utils.endpoints import EndpointConfig

from stores.errors import TrackerStoreUnavailable

logger = logging.getLogger(__name__)

DEFAULT_RETRY_SECONDS = 5.0
_FIRST_RETRY_DELAY = 0.05
_LONGEST_RETRY_DELAY = 1.0


class LockStoreUnavailable(LockError, TrackerStoreUnavailable):
    """Redis could not be reached for a conversation's lock within ``retry_seconds``: the message was not
    handled and nothing of it was kept. A :class:`TrackerStoreUnavailable`, so every channel refuses the turn
    honestly; a ``LockError``, so Rasa's own handling of lock failures still applies."""


# KEYS: last, queue. ARGV: ticket key prefix, lifetime (ms). Returns the new ticket's number.
_ISSUE = """
local n = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2] * 4)
redis.call('SET', ARGV[1] .. n, '1', 'PX', ARGV[2])
redis.call('ZADD', KEYS[2], n, n)
redis.call('PEXPIRE', KEYS[2], ARGV[2] * 4)
return n
"""

# KEYS: queue, last. ARGV: ticket key prefix, own number, lifetime (ms).
# Renews the own ticket, drops dead tickets from the head; returns {head, head's ms to live}, {-1, 0} when
# the own ticket is gone.
_SERVING = """
if redis.call('PEXPIRE', ARGV[1] .. ARGV[2], ARGV[3]) == 0 then
  redis.call('ZREM', KEYS[1], ARGV[2])
  return {-1, 0}
end
redis.call('PEXPIRE', KEYS[1], ARGV[3] * 4)
redis.call('PEXPIRE', KEYS[2], ARGV[3] * 4)
while true do
  local head = redis.call('ZRANGE', KEYS[1], 0, 0)[1]
  local ttl = redis.call('PTTL', ARGV[1] .. head)
  if ttl > 0 then return {tonumber(head), ttl} end
  redis.call('ZREM', KEYS[1], head)
end
"""

# KEYS: queue, last. ARGV: ticket key prefix, own number, wake key prefix, lifetime (ms).
# Deletes the own ticket (and only it), then wakes the next live ticket; returns 1 if the ticket was still held.
_RELEASE = """
local held = redis.call('DEL', ARGV[1] .. ARGV[2])
redis.call('ZREM', KEYS[1], ARGV[2])
redis.call('DEL', ARGV[3] .. ARGV[2])
while true do
  local head = redis.call('ZRANGE', KEYS[1], 0, 0)[1]
  if not head then
    redis.call('DEL', KEYS[2])
    return held
  end
  if redis.call('PTTL', ARGV[1] .. head) > 0 then
    redis.call('RPUSH', ARGV[3] .. head, '1')
    redis.call('PEXPIRE', ARGV[3] .. head, ARGV[4])
    return held
  end
  redis.call('ZREM', KEYS[1], head)
end
"""


class ConcurrentRedisLockStore(LockStore):
    """Ticket lock per conversation on atomic Redis operations (see the module docstring)."""

    def __init__(
        self,
        endpoint_config: EndpointConfig | None = None,
        host: str = "localhost",
        port: int | str = 6379,
        db: int | str = 1,
        username: str | None = None,
        password: str | None = None,
        use_ssl: bool = False,
        key_prefix: str | None = None,
        socket_timeout: float | str | None = None,
        retry_seconds: float | str = DEFAULT_RETRY_SECONDS,
        **_: Any,
    ) -> None:
        if endpoint_config is not None:
            settings = dict(endpoint_config.kwargs)
            host = endpoint_config.url or settings.pop("host", host)
            port = settings.get("port", port)
            db = settings.get("db", db)
            username = settings.get("username", username)
            password = settings.get("password", password)
            use_ssl = bool(settings.get("use_ssl", use_ssl))
            key_prefix = settings.get("key_prefix", key_prefix)
            retry_seconds = settings.get("retry_seconds", retry_seconds)
        self.retry_seconds = float(retry_seconds)
        if not 0 <= self.retry_seconds <= 60:
            raise ValueError(f"retry_seconds must be between 0 and 60, not {retry_seconds!r}")
        self.red = redis.asyncio.Redis(
            host=host,
            port=int(port),
            db=int(db),
            username=username,
            password=password or None,
            ssl=use_ssl,
            socket_connect_timeout=float(socket_timeout) if socket_timeout else 5.0,
        )
        self.key_prefix = DEFAULT_REDIS_LOCK_STORE_KEY_PREFIX
        if key_prefix:
            if not str(key_prefix).isalnum():
                raise ValueError(f"key_prefix must be letters and digits, not {key_prefix!r}")
            self.key_prefix = f"{key_prefix}:{DEFAULT_REDIS_LOCK_STORE_KEY_PREFIX}"
        self._issue = self.red.register_script(_ISSUE)
        self._serving = self.red.register_script(_SERVING)
        self._release = self.red.register_script(_RELEASE)
        super().__init__()

    def keys_of(self, conversation_id: str) -> dict[str, str]:
        """The Redis keys (and key prefixes) of one conversation's lock."""
        base = self.key_prefix + conversation_id
        return {"last": base + ":last", "queue": base + ":queue", "ticket": base + ":ticket:", "wake": base + ":wake:"}

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = 0,  # Rasa's polling interval: unused, waiters are woken
    ) -> AsyncGenerator[TicketLock, None]:
        keys = self.keys_of(conversation_id)
        lifetime_ms = max(int(lock_lifetime * 1000), 1)
        ticket = await self._retrying(lambda: self._issue_ticket(keys, lifetime_ms))
        try:
            while True:
                serving_args = [keys["ticket"], ticket, lifetime_ms]
                head, head_ms = await self._retrying(
                    lambda args=serving_args: self._serving(keys=[keys["queue"], keys["last"]], args=args)  # type: ignore[misc]
                )
                if head == ticket:
                    break
                if head == -1:  # our ticket is gone (Redis restarted or lost it): queue again
                    ticket = await self._retrying(lambda: self._issue_ticket(keys, lifetime_ms))
                    continue
                # Woken by the release; at the latest when the ticket ahead would expire, or in time to
                # renew our own.
                timeout = max(min(head_ms / 1000 + 0.01, lock_lifetime / 2), 0.01)
                with contextlib.suppress(redis.exceptions.RedisError, asyncio.TimeoutError):  # asked again above
                    await asyncio.wait_for(self.red.blpop([keys["wake"] + str(ticket)], timeout=timeout), timeout + 5)
            renewing = asyncio.create_task(self._renew_while_held(keys["ticket"] + str(ticket), lock_lifetime))
            try:
                yield TicketLock(conversation_id, deque([Ticket(ticket, time.time() + lock_lifetime)]))  # this one
            finally:
                renewing.cancel()
        finally:
            await self._finish(keys, ticket, lifetime_ms)

    async def _retrying(self, call: Callable[[], Awaitable[Any]]) -> Any:
        """``call()``, tried again with backoff while Redis is unreachable, for at most ``retry_seconds``."""
        deadline = time.monotonic() + self.retry_seconds
        delay = _FIRST_RETRY_DELAY
        while True:
            try:
                return await call()
            except redis.exceptions.RedisError as error:
                if time.monotonic() + delay > deadline:
                    logger.warning("lock_store_unavailable reason=%s", type(error).__name__)
                    raise LockStoreUnavailable(f"Redis lock store unavailable: {type(error).__name__}") from None
                await asyncio.sleep(delay)
                delay = min(delay * 2, _LONGEST_RETRY_DELAY)

    async def _renew_while_held(self, ticket_key: str, lock_lifetime: float) -> None:
        """Keep a held ticket alive while its server is: a message slower than the lifetime (e.g. waiting
        out a database restart) keeps the conversation; a server that died stops renewing."""
        with contextlib.suppress(redis.exceptions.RedisError):
            while True:
                await asyncio.sleep(lock_lifetime / 3)
                if not await self.red.pexpire(ticket_key, max(int(lock_lifetime * 1000), 1)):
                    return

    async def _issue_ticket(self, keys: dict[str, str], lifetime_ms: int) -> int:
        return int(await self._issue(keys=[keys["last"], keys["queue"]], args=[keys["ticket"], lifetime_ms]))

    async def _finish(self, keys: dict[str, str], ticket: int, lifetime_ms: int) -> None:
        try:
            held = await self._release(
                keys=[keys["queue"], keys["last"]], args=[keys["ticket"], ticket, keys["wake"], lifetime_ms]
            )
        except redis.exceptions.RedisError as error:  # the ticket expires by itself
            logger.warning("lock_release_failed reason=%s", type(error).__name__)
            return
        if not held:
            logger.warning("lock_ticket_expired_while_held: a message took longer than the lock lifetime")

    # Rasa's read-modify-write interface: what this store exists to avoid.

    def get_lock(self, conversation_id: str) -> TicketLock | None:
        raise NotImplementedError("ConcurrentRedisLockStore has no shared lock value: use lock()")

    def delete_lock(self, conversation_id: str) -> None:
        raise NotImplementedError("ConcurrentRedisLockStore has no shared lock value: use lock()")

    def save_lock(self, lock: TicketLock) -> None:
        raise NotImplementedError("ConcurrentRedisLockStore has no shared lock value: use lock()")
