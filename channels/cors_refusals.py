"""Logs the origins whose cross-site requests the server refuses (not in ``CORS_ORIGINS``), rate-limited.

Rasa answers cross-site requests through Sanic-CORS (``rasa run --cors ORIGIN...``, which ``scripts/run.sh``
fills from ``CORS_ORIGINS``): a request from an origin that is not listed gets no
``Access-Control-Allow-Origin`` header, so the browser hides the answer from the page. The hospital web admin
then sees only the browser's generic CORS error; this module makes the server say which origin it refused and
which setting allows it: one warning per origin per :data:`QUIET_SECONDS` (a widget retries every few
seconds), for at most :data:`MAX_ORIGINS` origins at a time (a flood of made-up origins cannot grow memory).

:func:`install` adds a request middleware to the app, in a ``before_server_start`` listener (the socket.io
channel calls it): it reads the same allowlist Sanic-CORS uses (``app.ctx.sanic_cors.resources``), so
what it logs is exactly what Sanic-CORS refuses. Same-origin requests (the ``Origin`` names the server's
own host, as the demo page and the kiosk do) are never refused.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlsplit

from sanic import Sanic
from sanic.request import Request
from sanic_cors.core import get_cors_origins, try_match

logger = logging.getLogger(__name__)

QUIET_SECONDS = 60.0
MAX_ORIGINS = 1000
MAX_LOGGED_CHARS = 200  # an Origin header is the client's: never log more of it than this

Resources = Sequence[tuple[Any, dict[str, Any]]]


class RefusalLog:
    """Remembers when each refused origin was last logged; :meth:`should_log` says whether to log it now."""

    def __init__(self, quiet_seconds: float = QUIET_SECONDS, max_origins: int = MAX_ORIGINS,
                 clock: Callable[[], float] = time.monotonic) -> None:  # fmt: skip
        self.quiet_seconds = quiet_seconds
        self.max_origins = max_origins
        self.clock = clock
        self.last_logged: dict[str, float] = {}

    def should_log(self, origin: str) -> bool:
        now = self.clock()
        last = self.last_logged.get(origin)
        if last is not None and now - last < self.quiet_seconds:
            return False
        if last is None and len(self.last_logged) >= self.max_origins:
            self.last_logged = {o: t for o, t in self.last_logged.items() if now - t < self.quiet_seconds}
            if len(self.last_logged) >= self.max_origins:
                return False  # too many origins at once: the ones already logged say enough
        self.last_logged[origin] = now
        return True


def is_refused(origin: str, host: str, path: str, resources: Resources) -> bool:
    """Whether Sanic-CORS refuses a request from ``origin`` to ``path`` on the server named ``host``."""
    if urlsplit(origin).netloc.lower() == host.lower():
        return False  # same origin: CORS does not apply
    for pattern, options in resources:
        if try_match(path, pattern):
            return not get_cors_origins(options, origin)
    return True


def warn(origin: str, path: str) -> None:
    logger.warning(
        "CORS: refused a request from origin %r (path %s): the widget cannot work on that site. To allow it, add "
        "the origin to CORS_ORIGINS on this server (e.g. CORS_ORIGINS=%r). Logged once per origin per %d s.",
        origin[:MAX_LOGGED_CHARS], path[:MAX_LOGGED_CHARS], origin[:MAX_LOGGED_CHARS], int(QUIET_SECONDS),
    )  # fmt: skip


def install(app: Sanic, refusals: RefusalLog | None = None) -> None:
    """Log refused cross-site requests to ``app`` (call from a ``before_server_start`` listener)."""
    seen = refusals or RefusalLog()

    async def log_refused_origin(request: Request) -> None:
        origin = request.headers.get("origin")
        if not origin or origin == "null":
            return
        context = getattr(app.ctx, "sanic_cors", None)
        resources: Resources = getattr(context, "resources", None) or ()
        if is_refused(origin, request.host, request.path, resources) and seen.should_log(origin):
            warn(origin, request.path)

    app.register_middleware(log_refused_origin, "request")
