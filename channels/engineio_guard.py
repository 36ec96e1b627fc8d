"""Limits on what one engine.io connection may send, in front of python-engineio 4.4.1's request handler.

python-engineio 4.4.1 (pinned with python-socketio 5.8.0 for Rasa 3.6) trusts each connection:

- every PONG starts another heartbeat task, solicited or not (GHSA-cgwc-pv48-fhj5): one client posting
  PONGs from 20 parallel long-polling POSTs for 30 s took a Rasa server from 741 to 1,653 MiB, for good;
- a long-polling POST may carry any number of packets (up to ``max_http_buffer_size``, 1 MB by default),
  and any number of POSTs and GETs of one connection may be in flight at once;
- binary socket.io packets announce attachments that python-socketio 5.8.0 waits for, taking every later
  message of the connection as one of them (GHSA-5w7q-77mv-v69f).

:class:`PacketGuard` wraps the engine.io server's ``handle_request`` (the Sanic route) and each connection's
``receive``; a connection that breaks a limit is closed at once (its next request is a clean 400, "invalid
session") and one warning is logged, without any of the data it sent. The widget and the kiosk stay far
inside the limits: one GET and one POST at a time, a few packets per POST, a PONG only after a PING.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from engineio import packet as eio_packet
from sanic import response

logger = logging.getLogger(__name__)

PACKET_SEPARATOR = b"\x1e"  # engine.io 4 long-polling payloads: packets separated by the record separator
BINARY_PACKET_TYPES = ("5", "6")  # socket.io BINARY_EVENT, BINARY_ACK


@dataclass(frozen=True)
class PacketLimits:
    """What one connection may send. A packet costs one token; the bucket refills at ``refill_per_second``."""

    max_body_bytes: int = 64 * 1024  # engine.io's max_http_buffer_size (a question is at most 2,000 characters)
    max_packets_per_post: int = 16  # python-engineio 4.4.1 ignores (and logs a traceback for) longer payloads
    max_requests_in_flight: int = 2  # per method: socket.io clients keep one GET and one POST open
    bucket_size: int = 60
    refill_per_second: float = 2.0


@dataclass
class _Connection:
    tokens: float
    refilled_at: float
    in_flight: dict[str, int] = field(default_factory=lambda: {"GET": 0, "POST": 0})
    receive_wrapped: bool = False


class PacketGuard:
    """Installs the limits of :class:`PacketLimits` on a python-socketio ``AsyncServer``'s engine.io server.

    :meth:`install` must run before the server is attached to the Sanic app (the route takes the engine.io
    server's ``handle_request`` at attach time). Nothing outside the given server is changed.
    """

    def __init__(self, sio: Any, limits: PacketLimits | None = None) -> None:
        self.sio = sio
        self.eio = sio.eio
        self.limits = limits or PacketLimits()
        self._connections: dict[str, _Connection] = {}
        self._handle_request: Callable[..., Awaitable[Any]] = self.eio.handle_request
        self._handle_message: Callable[[str, Any], Awaitable[None]] = sio._handle_eio_message

    def install(self) -> None:
        self.eio.max_http_buffer_size = self.limits.max_body_bytes
        self.eio.handle_request = self.handle_request
        self.eio.on("message", self.text_packets_only)

    async def handle_request(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        """The engine.io route: requests of known connections are counted and checked before engine.io sees them."""
        sid: str = request.args.get("sid", "") if request.method in ("GET", "POST") else ""
        socket = self.eio.sockets.get(sid) if sid else None
        if socket is None:
            return await self._handle_request(request, *args, **kwargs)
        connection = self._connection(sid)
        if request.method == "POST":
            if not connection.receive_wrapped:
                self._guard_receive(sid, socket)
                connection.receive_wrapped = True
            body = request.body or b""
            packets = body.count(PACKET_SEPARATOR) + 1 if body else 0
            reason = self._too_much(connection, packets, len(body))
            if reason:
                return await self._refuse(sid, reason)
        if connection.in_flight[request.method] >= self.limits.max_requests_in_flight:
            return await self._refuse(sid, f"more than {self.limits.max_requests_in_flight} {request.method}s at once")
        connection.in_flight[request.method] += 1
        try:
            return await self._handle_request(request, *args, **kwargs)
        finally:
            connection.in_flight[request.method] -= 1

    def _connection(self, sid: str) -> _Connection:
        connection = self._connections.get(sid)
        if connection is None:
            if len(self._connections) > 2 * len(self.eio.sockets) + 100:  # forget closed connections
                for gone in [s for s in self._connections if s not in self.eio.sockets]:
                    del self._connections[gone]
            connection = _Connection(tokens=self.limits.bucket_size, refilled_at=time.monotonic())
            self._connections[sid] = connection
        return connection

    def _too_much(self, connection: _Connection, packets: int, size: int) -> str | None:
        limits = self.limits
        if size > limits.max_body_bytes:
            return f"a POST over {limits.max_body_bytes} bytes"
        if packets > limits.max_packets_per_post:
            return f"more than {limits.max_packets_per_post} packets in one POST"
        now = time.monotonic()
        elapsed = now - connection.refilled_at
        connection.tokens = min(limits.bucket_size, connection.tokens + elapsed * limits.refill_per_second)
        connection.refilled_at = now
        connection.tokens -= packets
        if connection.tokens < 0:
            return "the packet rate"
        return None

    def _guard_receive(self, sid: str, socket: Any) -> None:
        """Drop PONGs that answer no PING (each would start another heartbeat task); count them as abuse."""
        receive = socket.receive

        async def receive_solicited(pkt: Any) -> None:
            if pkt.packet_type == eio_packet.PONG:
                if socket.last_ping is None:
                    logger.debug("socket.io: dropped an unsolicited PONG")
                    return
                socket.last_ping = None  # answered: a second PONG in the same POST is unsolicited
            await receive(pkt)

        socket.receive = receive_solicited

    async def _refuse(self, sid: str, reason: str) -> Any:
        logger.warning("socket.io: closed a connection that exceeded %s", reason)
        await self.close(sid)
        return response.text("Bad Request", status=400)

    async def close(self, sid: str) -> None:
        """Close the engine.io connection ``sid`` and forget it at once.

        A pending poll gets the CLOSE packet; the session is forgotten, so the next request is a clean 400
        "invalid session" (engine.io 4.4 answers 500 for a closed session it still remembers).
        """
        self.sio._binary_packet.pop(sid, None)
        self._connections.pop(sid, None)
        socket = self.eio.sockets.get(sid)
        if socket is not None:
            await socket.close(wait=False)
            self.eio.sockets.pop(sid, None)

    async def text_packets_only(self, eio_sid: str, data: Any) -> None:
        """engine.io ``message`` handler: binary socket.io packets close the connection (GHSA-5w7q-77mv-v69f);
        the widget and the kiosk only ever send text events."""
        if isinstance(data, bytes) or (isinstance(data, str) and data[:1] in BINARY_PACKET_TYPES):
            logger.warning("socket.io: refused a binary packet and closed its connection")
            await self.close(eio_sid)
            return
        await self._handle_message(eio_sid, data)
