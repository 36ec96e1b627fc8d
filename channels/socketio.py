"""Rasa's socket.io channel with one fix: custom payloads arrive as one ``bot_uttered`` event.

Rasa 3.6's ``SocketIOOutput.send_custom_json`` calls ``sio.emit(event, **payload)``, which only works for
payloads shaped like ``{"data": ...}``. Our actions send ``{"answer_type": ..., "citations": [...]}``, so the
stock channel raises ``TypeError: emit() got an unexpected keyword argument 'answer_type'`` and the rest of
the reply (the answer itself) never reaches the browser. Here the custom dict is emitted as the event's data,
exactly like the text messages: ``bot_uttered`` → ``{"answer_type": "answer", "citations": [...]}``.

Everything else (events, ``session_request`` / ``session_confirm``, session persistence, the
``/socket.io`` path) is Rasa's ``SocketIOInput`` unchanged; the channel keeps the name ``socketio``.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint

logger = logging.getLogger(__name__)


class SocketIOJsonOutput(SocketIOOutput):
    """Sends a custom payload as the data of one bot message event (not as ``emit`` keyword arguments)."""

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        await self._send_message(recipient_id, dict(json_message))


class SocketIOChannel(SocketIOInput):
    """``SocketIOInput`` whose replies go through :class:`SocketIOJsonOutput`."""

    def get_output_channel(self) -> SocketIOJsonOutput | None:
        if self.sio is None:
            return None
        return SocketIOJsonOutput(self.sio, self.bot_message_evt)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def handle(message: UserMessage) -> None:
            if type(message.output_channel) is SocketIOOutput:
                message.output_channel = SocketIOJsonOutput(self.sio, self.bot_message_evt)
            await on_new_message(message)

        return super().blueprint(handle)
