"""Rasa's socket.io channel with one fix: custom payloads arrive as one ``bot_uttered`` event.

Rasa 3.6's ``SocketIOOutput.send_custom_json`` calls ``sio.emit(event, **payload)``, which only works for
payloads shaped like ``{"data": ...}``. Our actions send ``{"answer_type": ..., "citations": [...]}``, so the
stock channel raises ``TypeError: emit() got an unexpected keyword argument 'answer_type'`` and the rest of
the reply (the answer itself) never reaches the browser. Here the custom dict is emitted as the event's data,
exactly like the text messages: ``bot_uttered`` → ``{"answer_type": "answer", "citations": [...]}``.

Every user message goes through :mod:`channels.input_guard` (as on REST and Telegram): malformed events are
dropped, empty / too long / non-English messages are answered directly, intent injection is defused, phone
numbers and e-mail addresses are redacted before Rasa stores anything; and when the bot produced no complete
reply (the action server down or slow) the friendly fallback is sent.

Binary socket.io packets are refused and their connection closed: see :func:`refuse_binary_packets`.

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

from channels import input_guard, safety_net
from channels.rest import bound_action_timeout

logger = logging.getLogger(__name__)


class SocketIOJsonOutput(SocketIOOutput):
    """Sends a custom payload as the data of one bot message event (not as ``emit`` keyword arguments)."""

    def __init__(self, sio: Any, bot_message_evt: str) -> None:
        super().__init__(sio, bot_message_evt)
        self.last_sent: dict[str, Any] | None = None  # the last event data sent (fallback detection)

    async def _send_message(self, socket_id: str, response: Any) -> None:
        self.last_sent = response if isinstance(response, dict) else None
        await super()._send_message(socket_id, response)

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        await self._send_message(recipient_id, dict(json_message))

    async def send_reply(self, recipient_id: str, text: str, answer_type: str) -> None:
        """A reply made by the channel itself: the text, then its custom payload."""
        await self.send_text_message(recipient_id, text)
        await self.send_custom_json(recipient_id, {"answer_type": answer_type, "citations": []})

    async def send_fallback(self, recipient_id: str, user_text: str, text: str, answer_type: str) -> None:
        """``text`` — or the urgent reply when the user's message describes an emergency."""
        for message in safety_net.fallback_messages(recipient_id, user_text, text, answer_type):
            if "custom" in message:
                await self.send_custom_json(recipient_id, dict(message["custom"]))  # type: ignore[call-overload]
            else:
                await self.send_text_message(recipient_id, str(message["text"]))

    @property
    def complete(self) -> bool:
        """Whether the last event sent was a custom payload (every complete bot reply ends with one) other than
        the session-start disclaimer's (then the answer after it went missing)."""
        last = self.last_sent
        return last is not None and "text" not in last and "answer_type" in last and not last.get("disclaimer")


def clean_event(data: Any) -> dict[str, Any] | None:
    """A ``user_uttered`` event Rasa's handler can take, or None to drop it (not an object, bad session id)."""
    if not isinstance(data, dict):
        return None
    session_id = data.get("session_id")
    if session_id is not None and (not isinstance(session_id, str) or len(session_id) > 128):
        return None
    message = data.get("message")
    cleaned: dict[str, Any] = {"message": message if isinstance(message, str) else ""}
    if session_id is not None:
        cleaned["session_id"] = session_id
    return cleaned  # metadata is dropped: the widget sends none, and a string would go through json.loads


class SocketIOChannel(SocketIOInput):
    """``SocketIOInput`` whose replies go through :class:`SocketIOJsonOutput`, with the input guard."""

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> SocketIOInput:
        bound_action_timeout()
        return super().from_credentials(credentials)

    def get_output_channel(self) -> SocketIOJsonOutput | None:
        if self.sio is None:
            return None
        return SocketIOJsonOutput(self.sio, self.bot_message_evt)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def handle(message: UserMessage) -> None:
            output = SocketIOJsonOutput(self.sio, self.bot_message_evt)
            message.output_channel = output
            user_text = message.text or ""
            verdict = input_guard.check_message(user_text)
            if verdict.text is None:
                if verdict.reason == "not_english":
                    await output.send_fallback(message.sender_id, user_text, verdict.reply or "", "out_of_scope")
                else:
                    await output.send_reply(message.sender_id, verdict.reply or "", verdict.answer_type or "clarify")
                return
            message.text = verdict.text
            try:
                await on_new_message(message)
            except Exception as failure:  # the user gets the fallback, the log gets no text
                logger.error("socket.io: handling a message failed: %s", type(failure).__name__)
            if not output.complete:
                logger.warning("No complete reply for a message (action server down or slow?); sent the fallback")
                await output.send_fallback(message.sender_id, user_text, input_guard.FALLBACK_REPLY, "fallback")

        socketio_webhook = super().blueprint(handle)
        assert self.sio is not None
        namespace = self.namespace or "/"
        rasa_handler = self.sio.handlers[namespace][self.user_message_evt]

        async def user_uttered(sid: str, data: Any) -> None:
            cleaned = clean_event(data)
            if cleaned is None:
                logger.info("socket.io: dropped a malformed %s event", self.user_message_evt)
                return
            try:
                await rasa_handler(sid, cleaned)
            except Exception as failure:  # never crash the socket; the log gets no text
                logger.error("socket.io: handling a message failed: %r", type(failure).__name__, exc_info=True)

        self.sio.on(self.user_message_evt, user_uttered, namespace=self.namespace)
        refuse_binary_packets(self.sio)
        return socketio_webhook


BINARY_PACKET_TYPES = ("5", "6")  # socket.io BINARY_EVENT, BINARY_ACK


def refuse_binary_packets(sio: Any) -> None:
    """Close any connection that sends a binary socket.io packet.

    python-socketio 5.8.0 (the newest Rasa 3.6 works with) keeps the attachments a binary packet announces
    until they have all arrived, and takes every later message of that connection as one of them, so a client
    that announces many and never sends them grows the server's memory (GHSA-5w7q-77mv-v69f, fixed in 5.16.2).
    The widget and the kiosk only ever send text events.
    """
    handle_message = sio._handle_eio_message

    async def text_packets_only(eio_sid: str, data: Any) -> None:
        if isinstance(data, bytes) or (isinstance(data, str) and data[:1] in BINARY_PACKET_TYPES):
            logger.warning("socket.io: refused a binary packet and closed its connection")
            sio._binary_packet.pop(eio_sid, None)
            socket = sio.eio.sockets.get(eio_sid)
            if socket is not None:
                # A pending poll gets the CLOSE packet; then the session is forgotten at once, so the next poll
                # is a clean 400 "invalid session" (engine.io 4.4 answers 500 for a closed, unforgotten one).
                await socket.close(wait=False)
                sio.eio.sockets.pop(eio_sid, None)
            return
        await handle_message(eio_sid, data)

    sio.eio.on("message", text_packets_only)
