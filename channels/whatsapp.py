"""WhatsApp through Meta's WhatsApp Cloud API, as a Rasa input channel: signed webhooks, the input guard, replies
with reply buttons or list messages.

Registered in ``credentials.yml`` as ``channels.whatsapp.WhatsAppInput`` (webhook: ``/webhooks/whatsapp/webhook``).
Settings come from the environment (:class:`WhatsAppSettings`); without ``WHATSAPP_ACCESS_TOKEN`` the channel is
off (one log line, no routes), and it stays off, with an error in the log, while a required setting is missing:

- ``WHATSAPP_ACCESS_TOKEN``     a (system user) access token with ``whatsapp_business_messaging``.
- ``WHATSAPP_PHONE_NUMBER_ID``  the business phone number's id (not the number): replies are sent from it and
                                only messages to it are answered.
- ``WHATSAPP_APP_SECRET``       the Meta app's secret: every POST must carry ``X-Hub-Signature-256:
                                sha256=<HMAC-SHA256 of the raw body with it>``, else 403 and a warning.
- ``WHATSAPP_VERIFY_TOKEN``     a random string of yours, typed into the app's webhook settings: the
                                ``GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`` handshake is
                                answered with the challenge only when it matches (else 403).
- ``WHATSAPP_API_URL``          the Graph API (default ``https://graph.facebook.com``; tests use a stand-in), and
  ``WHATSAPP_API_VERSION``      its version (default :data:`DEFAULT_API_VERSION`).

Incoming ``text`` messages and taps on reply buttons / list rows (``interactive`` ``button_reply`` /
``list_reply``; their ids map back to payloads, :func:`channels.whatsapp_replies.payload_for_id`) go through
:func:`channels.guarded_turn.guarded_reply` like every channel; media get the "please type your question" reply;
reactions and delivery statuses are ignored; a message id seen before (Meta redelivers when an answer is late) is
not answered twice. The conversation id is a keyed hash of the WhatsApp number (:mod:`channels.pseudonyms`).
Replies are rendered by :func:`channels.whatsapp_replies.whatsapp_messages` (👍 / 👎 after an answer that asks
for feedback included; a tap is a reply button whose id is the feedback payload) and sent one after the other with
``POST /{version}/{phone_number_id}/messages`` (bearer token). The webhook answers 200 once the reply is sent.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp
from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

import rasa_patches
from channels import whatsapp_replies
from channels.guarded_turn import guarded_reply
from channels.pseudonyms import conversation_id
from channels.sent_buttons import session_button_payloads

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://graph.facebook.com"
DEFAULT_API_VERSION = "v21.0"
SIGNATURE_HEADER = "X-Hub-Signature-256"
SIGNATURE_PREFIX = "sha256="
EXPIRED_BUTTON = "This button has expired. Please type your question."
SEND_TIMEOUT_SECONDS = 10
MAX_BODY_BYTES = 256 * 1024  # a webhook with a text message is about 1 kB
SEEN_CAPACITY = 10_000


@dataclass(frozen=True)
class WhatsAppSettings:
    access_token: str | None = None
    phone_number_id: str | None = None
    app_secret: str | None = None
    verify_token: str | None = None
    api_url: str = DEFAULT_API_URL
    api_version: str = DEFAULT_API_VERSION

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> WhatsAppSettings:
        def get(name: str) -> str | None:
            value = env.get(name, "").strip()
            return value or None

        return cls(
            access_token=get("WHATSAPP_ACCESS_TOKEN"),
            phone_number_id=get("WHATSAPP_PHONE_NUMBER_ID"),
            app_secret=get("WHATSAPP_APP_SECRET"),
            verify_token=get("WHATSAPP_VERIFY_TOKEN"),
            api_url=(get("WHATSAPP_API_URL") or DEFAULT_API_URL).rstrip("/"),
            api_version=get("WHATSAPP_API_VERSION") or DEFAULT_API_VERSION,
        )

    def missing(self) -> list[str]:
        needed = {
            "WHATSAPP_PHONE_NUMBER_ID": self.phone_number_id,
            "WHATSAPP_APP_SECRET": self.app_secret,
            "WHATSAPP_VERIFY_TOKEN": self.verify_token,
        }
        return [name for name, value in needed.items() if value is None]


def signature_ok(app_secret: str, body: bytes, header: str) -> bool:
    """Whether ``header`` is ``sha256=<hex HMAC-SHA256 of body with app_secret>`` (compared in constant time)."""
    if not header.startswith(SIGNATURE_PREFIX):
        return False
    expected = hmac.new(app_secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(header[len(SIGNATURE_PREFIX) :].strip().lower().encode(), expected.encode())


@dataclass(frozen=True)
class Incoming:
    """One user message of a webhook: who sent it, its id, and its text or the id of the tapped option."""

    wa_id: str
    message_id: str
    text: str | None = None
    reply_id: str | None = None


def incoming_messages(update: Any, phone_number_id: str) -> list[Incoming]:
    """The user messages to ``phone_number_id`` in a webhook body (statuses, reactions and other numbers' messages
    left out; media as an empty text, so they get the "please type your question" reply)."""
    found: list[Incoming] = []
    if not isinstance(update, Mapping):
        return found
    entries = [e for e in update.get("entry") or [] if isinstance(e, Mapping)]
    changes = [c for e in entries for c in e.get("changes") or [] if isinstance(c, Mapping)]
    for change in changes:
        value = change.get("value")
        if change.get("field") != "messages" or not isinstance(value, Mapping):
            continue
        metadata = value.get("metadata")
        if not isinstance(metadata, Mapping) or str(metadata.get("phone_number_id", "")) != phone_number_id:
            continue
        for message in value.get("messages") or []:
            item = _incoming(message) if isinstance(message, Mapping) else None
            if item is not None:
                found.append(item)
    return found


def _incoming(message: Mapping[str, Any]) -> Incoming | None:
    wa_id, message_id, kind = str(message.get("from") or ""), str(message.get("id") or ""), message.get("type")
    if not wa_id or not message_id or kind in ("reaction", "system", "unsupported"):
        return None
    if kind == "text":
        return Incoming(wa_id, message_id, text=str((message.get("text") or {}).get("body") or ""))
    if kind == "interactive":
        interactive = message.get("interactive") or {}
        reply = interactive.get("button_reply") or interactive.get("list_reply") or {}
        if reply.get("id"):
            return Incoming(wa_id, message_id, reply_id=str(reply["id"]))
    if kind == "button":  # a quick-reply button of a template message
        button = message.get("button") or {}
        return Incoming(wa_id, message_id, text=str(button.get("payload") or button.get("text") or ""))
    return Incoming(wa_id, message_id, text="")


class GraphMessages:
    """Sends message objects through the Graph API (``POST /{version}/{phone_number_id}/messages``)."""

    def __init__(self, settings: WhatsAppSettings) -> None:
        self.settings = settings

    @property
    def url(self) -> str:
        return f"{self.settings.api_url}/{self.settings.api_version}/{self.settings.phone_number_id}/messages"

    async def send(self, wa_id: str, messages: list[dict[str, Any]]) -> int:
        """Send ``messages`` to ``wa_id`` in order, each after the one before; returns how many were accepted.
        A failure is logged (status and the Graph API's error, never the text) and ends the reply."""
        headers = {"Authorization": f"Bearer {self.settings.access_token}"}
        timeout = aiohttp.ClientTimeout(total=SEND_TIMEOUT_SECONDS)
        sent = 0
        async with aiohttp.ClientSession(headers=headers, timeout=timeout) as session:
            for message in messages:
                body = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": wa_id, **message}
                try:
                    async with session.post(self.url, json=body) as answer:
                        if answer.status >= 300:
                            detail = await answer.text()
                            logger.error("WhatsApp: sending a message failed: HTTP %s %s", answer.status, detail[:300])
                            return sent
                except (aiohttp.ClientError, TimeoutError) as error:
                    logger.error("WhatsApp: could not reach %s: %s", self.settings.api_url, type(error).__name__)
                    return sent
                sent += 1
        return sent


class SeenMessages:
    """The ids of the most recent ``capacity`` messages handled by this process (Meta may deliver one twice)."""

    def __init__(self, capacity: int = SEEN_CAPACITY) -> None:
        self.capacity = capacity
        self._ids: OrderedDict[str, None] = OrderedDict()

    def first_time(self, message_id: str) -> bool:
        if message_id in self._ids:
            return False
        self._ids[message_id] = None
        while len(self._ids) > self.capacity:
            self._ids.popitem(last=False)
        return True


class WhatsAppInput(InputChannel):
    """The WhatsApp Cloud API channel (see the module docstring)."""

    @classmethod
    def name(cls) -> str:
        return "whatsapp"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> WhatsAppInput:
        rasa_patches.ensure_installed(cls.__name__)
        return cls(WhatsAppSettings.from_env())

    def __init__(self, settings: WhatsAppSettings | None = None) -> None:
        self.settings = settings or WhatsAppSettings()
        self.graph = GraphMessages(self.settings)
        self.seen = SeenMessages()

    @property
    def active(self) -> bool:
        return self.settings.access_token is not None and not self.settings.missing()

    def get_output_channel(self) -> None:
        # Replies go to a WhatsApp number that only the request knows (the conversation id is a hash of it).
        return None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        whatsapp = Blueprint("whatsapp_cloud_webhook", __name__)
        if self.settings.access_token is None:
            logger.info("WhatsApp Cloud API channel inactive: WHATSAPP_ACCESS_TOKEN is not set")
            return whatsapp
        if not self.active:
            logger.error("WhatsApp channel inactive: set %s too (see README)", ", ".join(self.settings.missing()))
            return whatsapp

        @whatsapp.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @whatsapp.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            mode, token = request.args.get("hub.mode", ""), request.args.get("hub.verify_token", "")
            challenge = request.args.get("hub.challenge", "")
            expected = self.settings.verify_token or ""
            if mode == "subscribe" and hmac.compare_digest(token.encode(), expected.encode()) and challenge:
                logger.info("WhatsApp: webhook verified")
                return response.text(challenge)
            logger.warning("WhatsApp: refused a webhook verification with a wrong verify token or mode")
            return response.text("forbidden", status=403)

        @whatsapp.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            body = request.body or b""
            if len(body) > MAX_BODY_BYTES:  # before the HMAC: hashing a huge body is work an attacker chooses
                return response.text("too large", status=413)
            if not signature_ok(self.settings.app_secret or "", body, request.headers.get(SIGNATURE_HEADER, "")):
                logger.warning(
                    "WhatsApp: refused a webhook request with a missing or wrong %s (from %s)",
                    SIGNATURE_HEADER,
                    request.remote_addr or request.ip,
                )
                return response.text("forbidden", status=403)
            try:
                update = json.loads(body)
            except (ValueError, RecursionError):  # not JSON, or nested too deep for the parser
                return response.text("bad request", status=400)
            agent = getattr(request.app.ctx, "agent", None)
            for message in incoming_messages(update, self.settings.phone_number_id or ""):
                if self.seen.first_time(message.message_id):
                    await self.answer(agent, on_new_message, message)
            return response.text("ok")

        return whatsapp

    async def answer(
        self, agent: Any, on_new_message: Callable[[UserMessage], Awaitable[Any]], message: Incoming
    ) -> None:
        sender_id = conversation_id("whatsapp", self.settings.app_secret or "", message.wa_id)
        text = message.text
        if message.reply_id is not None:
            sent: list[str] = []
            if message.reply_id.startswith(whatsapp_replies.HASH_PREFIX):
                sent = await session_button_payloads(agent, sender_id)
            text = whatsapp_replies.payload_for_id(message.reply_id, sent)
            if text is None:
                await self.graph.send(message.wa_id, [whatsapp_replies.text_message(EXPIRED_BUTTON)])
                return
        replies = await guarded_reply(on_new_message, text or "", sender_id, self.name())
        await self.graph.send(message.wa_id, whatsapp_replies.whatsapp_messages(replies))
