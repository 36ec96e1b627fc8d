"""``EndpointConfig.session`` that hands out one keep-alive ``aiohttp.ClientSession`` per event loop.

Rasa 3.6 opens a new client session, and so a new TCP connection, for every call to the action server
(``EndpointConfig.request``: ``async with self.session() as session``). The replacement returns a context
manager that yields a shared session for the running loop and the endpoint's headers and auth, and does
not close it on exit, so connections are reused. Idle connections are dropped after
:data:`KEEPALIVE_S`, before the action server's own keep-alive timeout (Sanic: 5 s), so a request is
never sent on a connection the server is closing.
"""

from __future__ import annotations

import asyncio
import weakref
from types import TracebackType
from typing import Any

import aiohttp
import rasa.utils.endpoints
from rasa.utils.endpoints import EndpointConfig

from rasa_patches.versions import written_for

KEEPALIVE_S = 4.0

_original = EndpointConfig.session
_sessions: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[Any, aiohttp.ClientSession]] = (
    weakref.WeakKeyDictionary()
)


class _Borrowed:
    """``async with`` yields the shared session and leaves it open."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self._session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self._session

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        return None


def _key(endpoint: EndpointConfig) -> tuple[Any, ...]:
    headers = tuple(sorted((endpoint.headers or {}).items()))
    auth = tuple(sorted((endpoint.basic_auth or {}).items()))
    return headers, auth, rasa.utils.endpoints.DEFAULT_REQUEST_TIMEOUT


def session(self: EndpointConfig) -> Any:
    """A shared session for this loop and endpoint settings; Rasa's own when no loop is running."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return _original(self)
    per_loop = _sessions.setdefault(loop, {})
    key = _key(self)
    shared = per_loop.get(key)
    if shared is None or shared.closed:
        auth = self.basic_auth
        shared = aiohttp.ClientSession(  # Rasa's settings (headers, auth, total timeout) + keep-alive
            headers=self.headers,
            auth=aiohttp.BasicAuth(auth["username"], auth["password"]) if auth else None,
            timeout=aiohttp.ClientTimeout(total=rasa.utils.endpoints.DEFAULT_REQUEST_TIMEOUT),
            connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_S),
        )
        per_loop[key] = shared
    return _Borrowed(shared)


def install() -> bool:
    """Replace ``EndpointConfig.session`` on Rasa 3.6 (idempotent); whether it is replaced."""
    if not written_for("rasa", "3.6.", "speedup endpoint_sessions"):
        return False
    if not active():
        EndpointConfig.session = session
    return True


def active() -> bool:
    """Whether ``EndpointConfig.session`` is this module's."""
    return EndpointConfig.session is session


def original() -> Any:
    """Rasa's own method (for the tests)."""
    return _original
