"""SMS and WhatsApp through Twilio: Rasa's ``TwilioInput`` with signed webhooks, the input guard and replies that
fit a phone.

Registered in ``credentials.yml`` as ``channels.twilio_messaging.TwilioMessagingInput`` (webhook:
``/webhooks/twilio/webhook``, the same for the SMS number and the WhatsApp sender). Settings come from the
environment (:class:`TwilioSettings`); without ``TWILIO_ACCOUNT_SID`` the channel is off (one log line, no
routes), and it stays off, with an error in the log, while a required setting is missing:

- ``TWILIO_ACCOUNT_SID``, ``TWILIO_AUTH_TOKEN``  the account (Console → Account info). The auth token also signs
                                                 every webhook.
- ``TWILIO_SMS_NUMBER``                          the SMS number (E.164, ``+15550100199``), and/or
- ``TWILIO_WHATSAPP_NUMBER``                     the WhatsApp sender (``whatsapp:+15550100199``; the prefix is
                                                 added when missing).
- ``TWILIO_WEBHOOK_URL``                         the public URL Twilio posts to, exactly as set in the Console
                                                 (the signature covers it; behind a proxy the server cannot
                                                 know it).
- ``TWILIO_API_URL``                             the REST API (default ``https://api.twilio.com``; tests use a
                                                 stand-in).

Differences from Rasa's ``TwilioInput``: every request must carry a valid ``X-Twilio-Signature`` (Twilio's
HMAC-SHA1 over the URL and the sorted POST parameters, checked with the ``twilio`` package's
``RequestValidator`` that Rasa already depends on), else 403 and a warning; messages to numbers that are not
ours are ignored; the text goes through :func:`channels.guarded_turn.guarded_reply` (input guard, safety net,
completeness check); the conversation id is a keyed hash of the phone number (:mod:`channels.pseudonyms`), never
the number; a reply is rendered by :func:`channels.sms_replies.sms_parts` (readable parts, source line last,
numbered options, "Reply MORE for more") and sent through the Messages API with aiohttp (Rasa's output uses the
blocking ``twilio`` client); a typed option number or MORE is mapped back to the payload of the bot's last
reply (:mod:`channels.sent_buttons`). The webhook answers with empty TwiML once the reply is sent.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.twilio import TwilioInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator

import rasa_patches
from channels import sms_replies
from channels.guarded_turn import guarded_reply
from channels.pseudonyms import conversation_id
from channels.sent_buttons import last_reply_buttons

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://api.twilio.com"
SIGNATURE_HEADER = "X-Twilio-Signature"
WHATSAPP_PREFIX = "whatsapp:"
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
MAX_OPTION_CHARS = 10  # "1", "MORE", " 2. ": longer texts are questions, not choices (no tracker read for them)
SEND_TIMEOUT_SECONDS = 10
MAX_BODY_BYTES = 64 * 1024  # an incoming message's form is 1-2 kB (a body has at most 1,600 characters)


@dataclass(frozen=True)
class TwilioSettings:
    account_sid: str | None = None
    auth_token: str | None = None
    sms_number: str | None = None
    whatsapp_number: str | None = None
    webhook_url: str | None = None
    api_url: str = DEFAULT_API_URL

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> TwilioSettings:
        def get(name: str) -> str | None:
            value = env.get(name, "").strip()
            return value or None

        whatsapp = get("TWILIO_WHATSAPP_NUMBER")
        if whatsapp is not None and not whatsapp.startswith(WHATSAPP_PREFIX):
            whatsapp = WHATSAPP_PREFIX + whatsapp
        return cls(
            account_sid=get("TWILIO_ACCOUNT_SID"),
            auth_token=get("TWILIO_AUTH_TOKEN"),
            sms_number=get("TWILIO_SMS_NUMBER"),
            whatsapp_number=whatsapp,
            webhook_url=get("TWILIO_WEBHOOK_URL"),
            api_url=(get("TWILIO_API_URL") or DEFAULT_API_URL).rstrip("/"),
        )

    def missing(self) -> list[str]:
        """The settings the channel still needs (none: it can be active)."""
        needed = {"TWILIO_AUTH_TOKEN": self.auth_token, "TWILIO_WEBHOOK_URL": self.webhook_url}
        missing = [name for name, value in needed.items() if value is None]
        if self.sms_number is None and self.whatsapp_number is None:
            missing.append("TWILIO_SMS_NUMBER or TWILIO_WHATSAPP_NUMBER")
        return missing

    def our_number(self, to: str) -> bool:
        return bool(to) and to in (self.sms_number, self.whatsapp_number)


def signature_ok(auth_token: str, url: str, params: Any, signature: str) -> bool:
    """Whether ``signature`` (the ``X-Twilio-Signature`` header) is Twilio's signature of ``url`` and the POST
    ``params`` with ``auth_token`` (an empty signature never is)."""
    return bool(signature) and bool(RequestValidator(auth_token).validate(url, params, signature))


class TwilioMessages:
    """Sends message bodies through Twilio's Messages API (``POST /2010-04-01/Accounts/{sid}/Messages.json``)."""

    def __init__(self, settings: TwilioSettings) -> None:
        self.settings = settings

    @property
    def url(self) -> str:
        return f"{self.settings.api_url}/2010-04-01/Accounts/{self.settings.account_sid}/Messages.json"

    async def send(self, to: str, from_: str, bodies: list[str]) -> int:
        """Send ``bodies`` in order, each waiting for the one before (so they leave in order); returns how many
        Twilio accepted. A failure is logged (status and Twilio's error code, never the text) and ends the reply."""
        auth = aiohttp.BasicAuth(self.settings.account_sid or "", self.settings.auth_token or "")
        sent = 0
        timeout = aiohttp.ClientTimeout(total=SEND_TIMEOUT_SECONDS)
        async with aiohttp.ClientSession(auth=auth, timeout=timeout) as session:
            for body in bodies:
                try:
                    async with session.post(self.url, data={"To": to, "From": from_, "Body": body}) as answer:
                        if answer.status >= 300:
                            detail = await answer.text()
                            logger.error("Twilio: sending a message failed: HTTP %s %s", answer.status, detail[:300])
                            return sent
                except (aiohttp.ClientError, TimeoutError) as error:
                    logger.error("Twilio: could not reach %s: %s", self.settings.api_url, type(error).__name__)
                    return sent
                sent += 1
        return sent


class TwilioMessagingInput(TwilioInput):
    """Rasa's Twilio input channel, configured from the environment, signed, guarded (see module docstring)."""

    @classmethod
    def name(cls) -> str:
        return "twilio"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> TwilioMessagingInput:
        rasa_patches.ensure_installed(cls.__name__)
        return cls(TwilioSettings.from_env())

    def __init__(self, settings: TwilioSettings | None = None) -> None:
        self.settings = settings or TwilioSettings()
        super().__init__(
            self.settings.account_sid, self.settings.auth_token, self.settings.sms_number, debug_mode=False
        )
        self.messages = TwilioMessages(self.settings)

    @property
    def active(self) -> bool:
        return self.settings.account_sid is not None and not self.settings.missing()

    def get_output_channel(self) -> None:
        # Replies go to a phone number that only the request knows (the conversation id is a hash of it):
        # sent by the webhook itself, never through Rasa's TwilioOutput.
        return None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        twilio_webhook = Blueprint("twilio_messaging_webhook", __name__)
        if self.settings.account_sid is None:
            logger.info("Twilio channel (SMS, WhatsApp) inactive: TWILIO_ACCOUNT_SID is not set")
            return twilio_webhook
        if not self.active:
            logger.error("Twilio channel inactive: set %s too (see README)", ", ".join(self.settings.missing()))
            return twilio_webhook

        @twilio_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @twilio_webhook.route("/webhook", methods=["POST"])
        async def message(request: Request) -> HTTPResponse:
            if len(request.body or b"") > MAX_BODY_BYTES:  # before parsing and hashing every parameter
                return response.text("too large", status=413)
            if not signature_ok(
                self.settings.auth_token or "",
                self.settings.webhook_url or "",
                request.form,
                request.headers.get(SIGNATURE_HEADER, ""),
            ):
                logger.warning(
                    "Twilio: refused a webhook request with a missing or wrong %s (from %s)",
                    SIGNATURE_HEADER,
                    request.remote_addr or request.ip,
                )
                return response.text("forbidden", status=403)
            sender, to = request.form.get("From") or "", request.form.get("To") or ""
            if not sender or not self.settings.our_number(to):
                logger.warning("Twilio: ignored a message that is not to one of our numbers")
                return twiml()
            agent = getattr(request.app.ctx, "agent", None)
            await self.answer(agent, on_new_message, sender, to, request.form.get("Body") or "")
            return twiml()

        return twilio_webhook

    async def answer(
        self, agent: Any, on_new_message: Callable[[UserMessage], Awaitable[Any]], sender: str, to: str, body: str
    ) -> None:
        """Answer ``body`` from ``sender`` (sent to our number ``to``) with SMS / WhatsApp messages."""
        sender_id = conversation_id("twilio", self.settings.auth_token or "", sender)
        text = body.replace("¡", "@")  # some carriers turn @ into ¡ (as Rasa's TwilioInput does)
        if len(text.strip()) <= MAX_OPTION_CHARS:
            options = sms_replies.numbered_options(await last_reply_buttons(agent, sender_id))
            text = sms_replies.chosen_payload(text, options) or text
        messages = await guarded_reply(on_new_message, text, sender_id, self.name())
        await self.messages.send(sender, to, sms_replies.sms_parts(messages))


def twiml() -> HTTPResponse:
    """Twilio's "nothing more to do": the reply was sent through the API."""
    return response.text(EMPTY_TWIML, content_type="text/xml")
