"""A python-socketio client that speaks the widget's protocol (long-polling, sessions, acknowledged questions)."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import socketio


class ChatClient:
    """One socket.io connection: ``open`` asks for a session, ``ask`` sends a question and waits for its ack.

    Every ``bot_uttered`` event this connection receives is kept in ``received``, in order.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.client = socketio.AsyncClient(reconnection=False)
        self.received: list[dict[str, Any]] = []
        self.session: dict[str, Any] = {}
        self._confirmed: asyncio.Queue[Any] = asyncio.Queue()

        @self.client.on("session_confirm")
        async def on_confirm(data: Any) -> None:
            await self._confirmed.put(data)

        @self.client.on("bot_uttered")
        async def on_bot(data: dict[str, Any]) -> None:
            self.received.append(data)

    async def open(self, request: Any = None) -> dict[str, Any]:
        """Connect and send ``session_request`` (``{}`` unless given); return what ``session_confirm`` carried."""
        await self.client.connect(self.url, transports=["polling"], wait_timeout=20)
        await self.client.emit("session_request", {} if request is None else request)
        self.session = await asyncio.wait_for(self._confirmed.get(), 20)
        return self.session

    async def ask(
        self, text: str, message_id: str | None = None, timeout: float = 60
    ) -> tuple[Any, list[dict[str, Any]]]:
        """Send a question with a (new, unless given) message id; return its ack and the events received for it."""
        message_id = message_id or uuid.uuid4().hex
        before = len(self.received)
        reply = await self.client.call("user_uttered", {"message": text, "message_id": message_id}, timeout=timeout)
        return reply, self.received[before:]

    async def close(self) -> None:
        await self.client.disconnect()
