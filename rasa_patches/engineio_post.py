"""python-engineio 4.4.1 answers a long-polling POST without a session id with a 500.

``AsyncServer.handle_request`` builds its "Invalid session" message as ``'Invalid session ' + sid`` before it
checks that there is a ``sid``, so ``POST /socket.io/?EIO=4&transport=polling`` (no ``sid``, or ``sid=``) raises
``TypeError`` and Sanic answers 500 (found by the ``make chaos`` fuzz). The fix answers such a POST exactly as
engine.io answers one with an unknown session: ``400`` with ``"Invalid session"``. Newer python-engineio
releases fixed it, but python-socketio 5.8.0 / python-engineio 4.4.x are the newest that Rasa 3.6's socket.io
channel works with (README, Troubleshooting).
"""

from __future__ import annotations

import asyncio
import logging
import urllib.parse
from typing import Any

from engineio.asyncio_server import AsyncServer

from rasa_patches.versions import written_for

logger = logging.getLogger(__name__)

_original = AsyncServer.handle_request


async def handle_request(self: AsyncServer, *args: Any, **kwargs: Any) -> Any:
    """engine.io's ``handle_request``; a POST without a session id gets engine.io's own 400 "Invalid session"."""
    translate_request = self._async["translate_request"]
    if asyncio.iscoroutinefunction(translate_request):
        environ = await translate_request(*args, **kwargs)
    else:
        environ = translate_request(*args, **kwargs)
    if environ.get("REQUEST_METHOD") == "POST":
        query = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
        if not query.get("sid", [""])[0]:
            logger.info("engine.io: refused a POST without a session id")
            return await self._make_response(self._bad_request("Invalid session"), environ)
    return await _original(self, *args, **kwargs)


def install() -> bool:
    """Install the fix on python-engineio 4.4.x (idempotent); elsewhere change nothing and return False."""
    if not written_for("python-engineio", "4.4.", "engine.io fix"):
        return False
    AsyncServer.handle_request = handle_request
    return True


def active() -> bool:
    """Whether ``AsyncServer.handle_request`` is this module's."""
    return AsyncServer.handle_request is handle_request
