"""The socket.io channel of the widget and the kiosk: bound sessions, acknowledged delivery, guarded transport.

Built on Rasa 3.6's ``SocketIOInput`` (its name ``socketio``, its ``/socket.io`` path and its events), with
its own handlers. The protocol (``namespace`` "/", long-polling only):

1. **Session.** client → ``session_request`` ``{}`` (new conversation) or ``{"session_id": id, "token": t}``
   (resume, e.g. after a network drop or a server restart); server → ``session_confirm``
   ``{"session_id": id, "token": t}``. Ids are issued by the server (32 hex characters) with a token (64
   hex characters) that only the client holds (:mod:`channels.socketio_sessions`); an id presented without
   its token, or of any other type or shape, gets a new conversation. The connection is then bound to that
   conversation: its messages go into it and the replies come back to this connection only. Another
   connection that names the id without the token can neither read nor write the conversation.
2. **Question.** client → ``user_uttered`` ``{"message": text, "message_id": mid}`` with a socket.io
   acknowledgement callback; ``mid`` is the client's id for this question, 8-64 characters of
   ``A-Z a-z 0-9 _ -`` (:mod:`channels.delivery`). A ``session_id`` in the event is ignored: the sender is
   the connection's session. An event without ``message_id`` is still answered (no de-duplication).
3. **Replies.** server → ``bot_uttered`` events: ``{"text": ..., "quick_replies"?: [...]}`` per paragraph,
   then the reply's custom payload ``{"answer_type": ..., "citations": [...], ...}`` as one event (Rasa's own
   channel raised ``TypeError`` on such payloads and lost the answer). Each event of a question's replies
   carries ``"reply_to": mid`` and ``"seq": n`` (0, 1, 2, ... within that question), so a client that
   receives a reply twice (a resend after a lost acknowledgement) shows it once.
4. **Acknowledgement**, returned to the callback only once the turn is over:
   ``{"message_id": mid, "status": s}`` with ``s`` = ``stored`` (handled and stored; also for a resend of a
   stored question, which is not handled again: its stored replies are sent again, see
   :func:`channels.delivery.handle_once`), ``answered`` (answered by the channel without reaching Rasa:
   empty, too long, another language), ``not_stored`` (the tracker store could not keep the turn: the client
   got :data:`stores.errors.STORE_UNAVAILABLE_REPLY` with ``answer_type`` ``not_stored`` and keeps the
   question to resend) or ``refused`` (malformed event, no session). Only ``stored`` and ``answered``
   acknowledge the question; the client resends anything else, with the same ``mid``.

Every question goes through :mod:`channels.input_guard` (as on REST and Telegram); when the bot produced no
complete reply (the action server down or slow) the friendly fallback is sent. The transport is guarded by
:class:`channels.engineio_guard.PacketGuard` (packet rate, packets and bytes per POST, requests in flight,
unsolicited PONGs, binary packets). The handshake offers no WebSocket upgrade: Rasa 3.6's Sanic 21.12 with
python-engineio 4.4.1 cannot complete one, so the server runs long-polling only and says so.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import rasa.core.channels.channel
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

import rasa_patches
from actions import reply_contract as contract
from channels import cors_refusals, input_guard, language, safety_net
from channels.delivery import Outcome, handle_once, valid_message_id
from channels.engineio_guard import PacketGuard
from channels.socketio_sessions import SessionTokens, read_secret
from stores.errors import STORE_UNAVAILABLE_REPLY, TrackerStoreUnavailable

logger = logging.getLogger(__name__)

NOT_STORED = contract.NOT_STORED  # answer_type of the reply sent when the tracker store could not keep the turn


class SocketIOJsonOutput(SocketIOOutput):
    """Sends a custom payload as the data of one bot message event (not as ``emit`` keyword arguments).

    With ``sid``, every event goes to that connection only (else to the room named by the recipient, the
    conversation's bound connections); with ``reply_to``, every event carries ``reply_to`` and ``seq``.
    """

    def __init__(self, sio: Any, bot_message_evt: str, sid: str | None = None, reply_to: str | None = None) -> None:
        super().__init__(sio, bot_message_evt)
        self.sid = sid
        self.reply_to = reply_to
        self.sent = 0
        self.last_sent: dict[str, Any] | None = None  # the last event data sent (fallback detection)

    async def _send_message(self, socket_id: str, response: Any) -> None:
        self.last_sent = response if isinstance(response, dict) else None
        if self.reply_to is not None and isinstance(response, dict):
            response = {**response, "reply_to": self.reply_to, "seq": self.sent}
        self.sent += 1
        await self.sio.emit(self.bot_message_evt, response, room=self.sid or socket_id)

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        await self._send_message(recipient_id, dict(json_message))

    async def send_reply(self, recipient_id: str, text: str, answer_type: str) -> None:
        """A reply made by the channel itself: the text, then its custom payload."""
        await self.send_text_message(recipient_id, text)
        await self.send_custom_json(recipient_id, contract.payload(answer_type))

    async def send_fallback(self, recipient_id: str, user_text: str, text: str, answer_type: str) -> None:
        """``text`` — or the urgent reply when the user's message describes an emergency."""
        await self.send_messages(recipient_id, safety_net.fallback_messages(recipient_id, user_text, text, answer_type))

    async def send_messages(self, recipient_id: str, messages: list[dict[str, Any]]) -> None:
        """REST-shaped messages (text with optional ``buttons``, or ``custom``), in order."""
        for message in messages:
            if "custom" in message:
                await self.send_custom_json(recipient_id, dict(message["custom"]))
            elif message.get("buttons"):
                await self.send_text_with_buttons(recipient_id, str(message["text"]), list(message["buttons"]))
            else:
                await self.send_text_message(recipient_id, str(message["text"]))

    @property
    def complete(self) -> bool:
        """Whether the last event sent ends a complete reply (:func:`actions.reply_contract.completes_reply`)."""
        return contract.completes_reply(self.last_sent)


def ack(message_id: Any, status: str) -> dict[str, Any]:
    return {"message_id": message_id if valid_message_id(message_id) else None, "status": status}


class SocketIOChannel(SocketIOInput):
    """The socket.io channel described in the module docstring."""

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> SocketIOInput:
        rasa_patches.ensure_installed(cls.__name__)
        language.warm_up()  # the language detector's models, before the port opens (channels/language.py)
        channel = super().from_credentials(credentials)
        assert isinstance(channel, SocketIOChannel)
        channel.tokens = SessionTokens(read_secret())
        return channel

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tokens: SessionTokens | None = None
        self.sessions: dict[str, str] = {}  # socket.io sid -> the conversation it is bound to
        self.app: Sanic | None = None
        self._on_new_message: Callable[[UserMessage], Awaitable[Any]] | None = None

    def get_output_channel(self) -> SocketIOJsonOutput | None:
        if self.sio is None:
            return None
        return SocketIOJsonOutput(self.sio, self.bot_message_evt)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        if self.tokens is None:
            self.tokens = SessionTokens(read_secret())
        tokens = self.tokens
        # Long-polling only, and the handshake says so (no "upgrades": ["websocket"] that would then fail).
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=[], transports=["polling"], allow_upgrades=False)
        PacketGuard(sio).install()
        self.sio = sio
        namespace = self.namespace or "/"
        socketio_webhook: Blueprint = SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)

        @socketio_webhook.listener("before_server_start")
        async def remember_app(app: Sanic, _: Any) -> None:
            self.app = app
            cors_refusals.install(app)  # a site not in CORS_ORIGINS that embeds the widget is logged

        @socketio_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        async def connect(sid: str, environ: dict[str, Any], auth: dict[str, Any] | None = None) -> bool:
            if not self.jwt_key:
                return True
            token = auth.get("token") if isinstance(auth, dict) else None
            payload = rasa.core.channels.channel.decode_bearer_token(token, self.jwt_key, self.jwt_algorithm)
            return bool(token and payload)

        async def disconnect(sid: str) -> None:
            self.sessions.pop(sid, None)

        async def session_request(sid: str, data: Any) -> None:
            session, how = tokens.resume_or_issue(data)
            previous = self.sessions.get(sid)
            if previous is not None and previous != session.session_id:
                sio.leave_room(sid, previous, namespace=namespace)
            self.sessions[sid] = session.session_id  # bound before the first await: later events see it
            sio.enter_room(sid, session.session_id, namespace=namespace)
            if how in ("malformed", "bad_token"):
                logger.info("socket.io: session_request refused (%s); issued a new conversation", how)
            await sio.emit(
                "session_confirm", {"session_id": session.session_id, "token": session.token}, room=sid,
                namespace=namespace,
            )  # fmt: skip

        async def user_uttered(sid: str, data: Any) -> dict[str, Any]:
            message_id = data.get("message_id") if isinstance(data, dict) else None
            sender_id = self.sessions.get(sid)
            if not isinstance(data, dict) or (message_id is not None and not valid_message_id(message_id)):
                logger.info("socket.io: dropped a malformed %s event", self.user_message_evt)
                return ack(message_id, "refused")
            if sender_id is None:
                logger.info("socket.io: dropped a %s event from a connection without a session", self.user_message_evt)
                return ack(message_id, "refused")
            text = data.get("message")
            try:
                status = await self.handle(sid, sender_id, text if isinstance(text, str) else "", message_id)
                return ack(message_id, status)
            except Exception as failure:  # never crash the socket; the log gets no text
                logger.error("socket.io: handling a message failed: %s", type(failure).__name__, exc_info=True)
                return ack(message_id, NOT_STORED)

        sio.on("connect", connect, namespace=namespace)
        sio.on("disconnect", disconnect, namespace=namespace)
        sio.on("session_request", session_request, namespace=namespace)
        sio.on(self.user_message_evt, user_uttered, namespace=namespace)
        self._on_new_message = on_new_message
        return socketio_webhook

    async def handle(self, sid: str, sender_id: str, user_text: str, message_id: str | None) -> str:
        """One question of the connection ``sid`` in conversation ``sender_id``; returns the ack status."""
        assert self.sio is not None
        output = SocketIOJsonOutput(self.sio, self.bot_message_evt, sid=sid, reply_to=message_id)
        verdict = input_guard.check_message(user_text)
        if verdict.text is None:
            if verdict.reason == "not_english":  # an emergency in broken English still gets the urgent reply
                reply = input_guard.direct_reply(sender_id, verdict)
                await output.send_messages(sender_id, safety_net.urgent_or(sender_id, user_text, reply))
            else:
                await output.send_reply(sender_id, verdict.reply or "", verdict.answer_type or contract.CLARIFY)
            return "answered"
        message = UserMessage(
            verdict.text, output, sender_id, input_channel=self.name(), metadata={}, message_id=message_id
        )  # metadata is dropped: the widget sends none
        agent = self.app.ctx.agent if self.app is not None else None
        status = "stored"
        try:
            if message_id is None or agent is None or not agent.is_ready():
                assert self._on_new_message is not None
                await self._on_new_message(message)
            elif await handle_once(agent, message, output) is Outcome.DUPLICATE:
                logger.info("socket.io: a resent question was answered from the conversation, not handled again")
        except TrackerStoreUnavailable:
            logger.error("socket.io: the tracker store could not keep a turn; told the user it was not stored")
            await output.send_reply(sender_id, STORE_UNAVAILABLE_REPLY, NOT_STORED)
            return NOT_STORED
        except Exception as failure:  # the user gets the fallback, the log gets no text
            logger.error("socket.io: handling a message failed: %s", type(failure).__name__)
            status = NOT_STORED
        if not output.complete:
            logger.warning(contract.INCOMPLETE_REPLY_WARNING)
            await output.send_fallback(sender_id, user_text, input_guard.FALLBACK_REPLY, contract.FALLBACK)
        return status
