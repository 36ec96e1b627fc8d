"""``GET /healthz`` on the Rasa server: whether a message now would be answered and its turn stored.

Registered in ``credentials.yml`` as ``channels.health.HealthInput``; it receives no messages.

- ``200 {"status": "ok"}``: the model is loaded and the tracker store can be written;
- ``503 {"status": "unavailable", "reason": "..."}`` otherwise (``Cache-Control: no-store``); the reason
  names what is wrong, never an address or a path (those are in the store's log line).

The store's answer (``health()`` of :class:`stores.sql_tracker_store.DurableSQLTrackerStore`) comes from its
last operation or from a probe write that is rolled back, at most ``HEALTH_CACHE_SECONDS`` old, so probes
every second cost next to nothing. A store without ``health()`` (Rasa's own) counts as writable.

``from_credentials`` makes sure :mod:`rasa_patches` is installed (Rasa builds the channels before the agent),
as every channel of ours does: among them :mod:`rasa_patches.fail_safe`, so a durable store's failures reach
the channels instead of Rasa's fallback to memory.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

import rasa_patches

logger = logging.getLogger(__name__)


async def unavailable_reason(app: Any) -> str | None:
    """None when a message would be answered and stored now, else why not."""
    agent = getattr(app.ctx, "agent", None)
    if agent is None or not agent.is_ready():
        return "the model is not loaded yet"
    check = getattr(agent.tracker_store, "health", None)
    if check is None or await check() is None:
        return None
    return "the tracker store cannot be written (details in the server log)"  # no addresses or paths here


class HealthInput(InputChannel):
    """An input channel that receives no messages: it answers ``GET /healthz`` (see the module docstring)."""

    @classmethod
    def name(cls) -> str:
        return "healthz"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        rasa_patches.ensure_installed(cls.__name__)
        return cls()

    def url_prefix(self) -> str:
        # Rasa mounts channels at urljoin("/webhooks/", url_prefix()): "/" puts the route at the site root.
        return "/"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        health = Blueprint("healthz", __name__)

        @health.route("/healthz", methods=["GET", "HEAD"])
        async def healthz(request: Request) -> HTTPResponse:
            reason = await unavailable_reason(request.app)
            headers = {"Cache-Control": "no-store"}
            if reason is None:
                return response.json({"status": "ok"}, headers=headers)
            return response.json({"status": "unavailable", "reason": reason}, status=503, headers=headers)

        return health
