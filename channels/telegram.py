"""Telegram channel configured from the environment, safe for long answers and long button payloads.

Registered in ``credentials.yml`` as ``channels.telegram.TelegramChannel`` (webhook:
``/webhooks/telegram/webhook``). Settings come from environment variables, so the repository holds no secret:

- ``TELEGRAM_TOKEN``          the bot token from @BotFather. Unset → the channel is inactive (no routes).
- ``TELEGRAM_VERIFY``         the bot's username; updates are refused if ``getMe`` reports another bot.
- ``TELEGRAM_WEBHOOK_URL``    the public HTTPS URL of ``/webhooks/telegram/webhook``; set on startup.
- ``TELEGRAM_WEBHOOK_SECRET`` required with a token (else the channel stays inactive); sent to Telegram with
                              ``setWebhook`` and required in the ``X-Telegram-Bot-Api-Secret-Token`` header
                              of every update.
- ``TELEGRAM_API_URL``        the Bot API server (default ``https://api.telegram.org``; tests use a stand-in).

Differences from Rasa's ``TelegramInput``: no event loop is started at import/registration time (the webhook
is set after the server starts), a reply is split into as few messages as possible within Telegram's
4096-character limit (at paragraph, then line, then word boundaries), buttons become a one-per-row inline
keyboard whose ``callback_data`` is the payload or — over Telegram's 64-byte limit — a short token resolved
when the button is pressed, an answer that offers feedback gets 👍 / 👎 as its keyboard's last row (``f:...``
callback data, the reasons after 👎 too), button presses are acknowledged (``answerCallbackQuery``), the custom JSON
payload (answer type, citations) is never sent to the user (the answer text already carries its source
line), ``/start`` greets, and edited messages, stickers etc. are ignored. Typed text and button payloads go
through :mod:`channels.input_guard` like on the other channels (intent injection defused, phone numbers and
e-mail addresses redacted before Rasa stores anything, empty / too long / non-English messages answered
directly), and a message that got no complete reply (action server down or slow) gets the friendly fallback.
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

from aiogram import Bot
from aiogram.bot.api import TelegramAPIServer
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Update
from aiogram.utils.exceptions import TelegramAPIError, ValidationError
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.telegram import TelegramInput, TelegramOutput
from rasa.shared.constants import INTENT_MESSAGE_PREFIX
from rasa.shared.core.constants import USER_INTENT_RESTART
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

import rasa_patches
from actions import reply_contract as contract
from channels import input_guard, safety_net
from stores.errors import STORE_UNAVAILABLE_REPLY, TrackerStoreUnavailable

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://api.telegram.org"
MESSAGE_LIMIT = 4096  # Telegram: 1-4096 characters per message (counted in UTF-16 code units)
CALLBACK_DATA_LIMIT = 64  # Telegram: callback_data is 1-64 bytes
TOKEN_PREFIX = "t:"
FEEDBACK_PREFIX = "f:"
EXPIRED_BUTTON = "This button has expired. Please type your question."
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ALLOWED_UPDATES = ["message", "callback_query"]
SEPARATORS = ("\n\n", "\n", " ")


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _hard_cut(text: str, limit: int) -> list[str]:
    chunks: list[str] = []
    current = ""
    for char in text:
        if utf16_length(current + char) > limit:
            chunks.append(current)
            current = ""
        current += char
    if current:
        chunks.append(current)
    return chunks


def split_message(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split ``text`` into as few messages of at most ``limit`` as possible, at paragraph/line/word boundaries."""
    text = text.strip()
    if not text:
        return []
    if utf16_length(text) <= limit:
        return [text]
    separator = next((sep for sep in SEPARATORS if sep in text), None)
    if separator is None:
        return _hard_cut(text, limit)
    chunks: list[str] = []
    current = ""
    for part in text.split(separator):
        if not part.strip():
            continue
        if utf16_length(part) > limit:
            if current:
                chunks.append(current)
                current = ""
            chunks.extend(split_message(part, limit))
            continue
        candidate = f"{current}{separator}{part}" if current else part
        if utf16_length(candidate) <= limit:
            current = candidate
        else:
            chunks.append(current)
            current = part
    if current:
        chunks.append(current)
    return [chunk.strip() for chunk in chunks if chunk.strip()]


def feedback_callback_data(payload: str) -> str | None:
    """The compact ``callback_data`` of an answer-feedback payload, ``f:<answer_id>:<rating>[:<reason>]`` (at most
    38 bytes, and needs no memory, so it still works after a restart), or None for any other payload."""
    entities = input_guard.feedback_entities(payload)
    if entities is None:
        return None
    fields = [entities[contract.ANSWER_ID], entities[contract.RATING]]
    if contract.REASON in entities:
        fields.append(entities[contract.REASON])
    return FEEDBACK_PREFIX + ":".join(fields)


def feedback_payload_of(data: str) -> str | None:
    """The answer-feedback payload that :func:`feedback_callback_data` made ``data`` from (None: not one)."""
    fields = data.removeprefix(FEEDBACK_PREFIX).split(":")
    if not data.startswith(FEEDBACK_PREFIX) or len(fields) not in (2, 3):
        return None
    return contract.feedback_payload(*fields)


def feedback_buttons(answer_id: str) -> list[InlineKeyboardButton]:
    """👍 / 👎 for the answer ``answer_id``, one row under it."""
    return [
        InlineKeyboardButton(
            symbol, callback_data=feedback_callback_data(contract.feedback_payload(answer_id, rating)) or ""
        )
        for symbol, rating in (("👍", "up"), ("👎", "down"))
    ]


class CallbackPayloads:
    """Maps button payloads to ``callback_data`` within Telegram's 64-byte limit, and back.

    Answer-feedback payloads become ``f:...`` (:func:`feedback_callback_data`). Other short payloads are used as
    they are; longer ones (and any that look like a token) become ``t:<24 hex digits of their SHA-256>``,
    remembered in memory (most recent ``capacity`` payloads).
    """

    def __init__(self, capacity: int = 10_000) -> None:
        self.capacity = capacity
        self._payloads: OrderedDict[str, str] = OrderedDict()

    def encode(self, payload: str) -> str:
        feedback = feedback_callback_data(payload)
        if feedback is not None:
            return feedback
        if len(payload.encode("utf-8")) <= CALLBACK_DATA_LIMIT and not payload.startswith(
            (TOKEN_PREFIX, FEEDBACK_PREFIX)
        ):
            return payload
        token = TOKEN_PREFIX + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:24]
        self._payloads[token] = payload
        self._payloads.move_to_end(token)
        while len(self._payloads) > self.capacity:
            self._payloads.popitem(last=False)
        return token

    def decode(self, data: str) -> str | None:
        """The payload for ``callback_data``; None for an unknown token (e.g. from before a restart)."""
        if data.startswith(TOKEN_PREFIX):
            return self._payloads.get(data)
        if data.startswith(FEEDBACK_PREFIX):
            return feedback_payload_of(data)
        return data or None


@dataclass(frozen=True)
class TelegramSettings:
    token: str | None = None
    verify: str | None = None
    webhook_url: str | None = None
    api_url: str = DEFAULT_API_URL
    webhook_secret: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> TelegramSettings:
        def get(name: str) -> str | None:
            value = env.get(name, "").strip()
            return value or None

        return cls(
            token=get("TELEGRAM_TOKEN"),
            verify=(get("TELEGRAM_VERIFY") or "").lstrip("@") or None,
            webhook_url=get("TELEGRAM_WEBHOOK_URL"),
            api_url=get("TELEGRAM_API_URL") or DEFAULT_API_URL,
            webhook_secret=get("TELEGRAM_WEBHOOK_SECRET"),
        )


class TelegramBotOutput(TelegramOutput):
    """Sends replies through the Bot API server in the settings, split and with inline keyboards."""

    def __init__(self, token: str, api_url: str, callback_payloads: CallbackPayloads) -> None:
        # Not TelegramOutput.__init__: it cannot pass the API server. The aiohttp session is created lazily,
        # on the first request, inside the server's event loop.
        Bot.__init__(self, token, server=TelegramAPIServer.from_base(api_url))
        self.callback_payloads = callback_payloads
        self.answered: dict[str, bool] = {}  # chat id -> did the last reply end with its custom payload?

    async def close_session(self) -> None:
        """Close the HTTP session (aiogram 2's ``close()`` does the same but is deprecated)."""
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        self.answered[str(recipient_id)] = False
        for part in split_message(text):
            await self.send_message(recipient_id, part, disable_web_page_preview=True)

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        """Rasa's ``send_response``, with 👍 / 👎 as the last row of the answer's keyboard when its payload (in
        the same message) asks for feedback (:func:`actions.reply_contract.wants_feedback`)."""
        custom = message.get("custom")
        if isinstance(custom, dict) and contract.wants_feedback(custom) and message.get("text"):
            await self.send_text_with_buttons(
                recipient_id,
                str(message["text"]),
                list(message.get("buttons") or message.get("quick_replies") or []),
                feedback_for=custom[contract.ANSWER_ID],
            )
            await self.send_custom_json(recipient_id, custom)
            return
        await super().send_response(recipient_id, message)

    async def send_text_with_buttons(
        self,
        recipient_id: str,
        text: str,
        buttons: list[dict[str, Any]],
        button_type: str | None = "inline",
        **kwargs: Any,
    ) -> None:
        self.answered[str(recipient_id)] = False
        keyboard = InlineKeyboardMarkup(row_width=1)
        for button in buttons:
            if button.get("title") and button.get("payload"):
                data = self.callback_payloads.encode(str(button["payload"]))
                keyboard.row(InlineKeyboardButton(str(button["title"]), callback_data=data))
        if kwargs.get("feedback_for"):
            keyboard.row(*feedback_buttons(str(kwargs["feedback_for"])))
        parts = split_message(text) or ["Please choose:"]
        for part in parts[:-1]:
            await self.send_message(recipient_id, part, disable_web_page_preview=True)
        await self.send_message(recipient_id, parts[-1], disable_web_page_preview=True, reply_markup=keyboard)

    async def send_messages(self, chat_id: int, messages: list[dict[str, Any]]) -> None:
        """A reply made by the channel (REST-shaped messages): the texts, with their buttons as a keyboard."""
        for message in messages:
            if message.get("buttons"):
                await self.send_text_with_buttons(str(chat_id), str(message["text"]), list(message["buttons"]))
            elif "text" in message:
                await self.send_message(chat_id, str(message["text"]), disable_web_page_preview=True)

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        # {"answer_type": ..., "citations": [...]} is for widgets and evaluation; the answer text already
        # ends with its source line. Never send raw JSON to a family.
        self.answered[str(recipient_id)] = contract.completes_reply(json_message)
        logger.debug("Telegram: not sending the custom payload %s", json_message)


class TelegramChannel(TelegramInput):
    """Rasa's Telegram input channel, configured from environment variables; inactive without a token."""

    @classmethod
    def name(cls) -> str:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> TelegramChannel:
        rasa_patches.ensure_installed(cls.__name__)
        return cls(TelegramSettings.from_env())

    def __init__(self, settings: TelegramSettings | None = None) -> None:
        self.settings = settings or TelegramSettings()
        super().__init__(self.settings.token, self.settings.verify, self.settings.webhook_url, debug_mode=False)
        self.callback_payloads = CallbackPayloads()
        self._output: TelegramBotOutput | None = None
        self._verified: bool | None = None

    @property
    def active(self) -> bool:
        return self.settings.token is not None

    def get_output_channel(self) -> TelegramBotOutput | None:
        if self.settings.token is None:
            return None  # inactive: Rasa then collects the replies instead of sending them anywhere
        if self._output is None:
            self._output = TelegramBotOutput(self.settings.token, self.settings.api_url, self.callback_payloads)
        return self._output

    async def _check_bot(self, bot: TelegramBotOutput) -> bool:
        """Whether the token belongs to the bot named in TELEGRAM_VERIFY (asked once, then remembered)."""
        if self.settings.verify is None:
            return True
        if self._verified is None:
            me = await bot.get_me()
            self._verified = me.username == self.settings.verify
            if not self._verified:
                logger.error(
                    "Telegram: the token belongs to @%s, not @%s (TELEGRAM_VERIFY); updates are refused",
                    me.username,
                    self.settings.verify,
                )
        return self._verified

    async def _start(self, bot: TelegramBotOutput) -> None:
        try:
            await self._check_bot(bot)
            if self.settings.webhook_url is None:
                logger.warning("Telegram: TELEGRAM_WEBHOOK_URL is not set; set the webhook yourself (see README)")
                return
            payload = {"url": self.settings.webhook_url, "allowed_updates": json.dumps(ALLOWED_UPDATES)}
            if self.settings.webhook_secret:
                payload["secret_token"] = self.settings.webhook_secret
            await bot.request("setWebhook", payload)
            logger.info("Telegram: webhook set to %s", self.settings.webhook_url)
        except (TelegramAPIError, OSError) as error:
            logger.error("Telegram: could not reach the Bot API at %s: %s", self.settings.api_url, error)

    def _secret_ok(self, request: Request) -> bool:
        expected = self.settings.webhook_secret
        if expected is None:
            return True
        return hmac.compare_digest(request.headers.get(SECRET_HEADER, "").encode(), expected.encode())

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        telegram = Blueprint("telegram_webhook", __name__)
        if not self.active:
            logger.info("Telegram channel inactive: TELEGRAM_TOKEN is not set")
            return telegram
        if self.settings.webhook_secret is None:
            # Without it anyone who finds the webhook URL could post forged updates (docs/security.md).
            logger.error("Telegram channel inactive: set TELEGRAM_WEBHOOK_SECRET too (e.g. $(openssl rand -hex 24))")
            return telegram
        try:
            bot = self.get_output_channel()
        except ValidationError as error:  # a malformed token must not take the website chat down with it
            logger.error("Telegram channel inactive: TELEGRAM_TOKEN is not a bot token (%s)", error)
            return telegram
        if bot is None:
            return telegram

        @telegram.listener("after_server_start")
        async def start(_: Sanic, __: Any) -> None:
            await self._start(bot)

        @telegram.listener("before_server_stop")
        async def stop(_: Sanic, __: Any) -> None:
            await bot.close_session()

        @telegram.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @telegram.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            if not self._secret_ok(request):
                return response.text("forbidden", status=403)
            try:
                update = Update(**(request.json or {}))
            except Exception:  # anything that is not an update
                return response.text("bad request", status=400)
            if not await self._check_bot(bot):
                return response.text("failed")
            try:
                await self._handle(update, bot, on_new_message)
            except Exception as error:  # answer 200 anyway, or Telegram redelivers forever
                logger.exception("Telegram: could not handle update %s: %s", update.update_id, error)
            return response.text("success")

        return telegram

    async def _handle(
        self, update: Update, bot: TelegramBotOutput, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> None:
        texts: list[str]
        if update.callback_query is not None:
            query = update.callback_query
            payload = self.callback_payloads.decode(query.data or "")
            await bot.answer_callback_query(query.id, text=None if payload else EXPIRED_BUTTON)
            if payload is None or query.message is None:
                return
            chat_id = query.message.chat.id
            texts = [payload]
        elif update.message is not None and update.message.text:
            chat_id = update.message.chat.id
            text = update.message.text.strip()
            command = text.split(maxsplit=1)[0].split("@", 1)[0] if text else ""
            if command == "/start":
                texts = ["hello"]
            elif command == INTENT_MESSAGE_PREFIX + USER_INTENT_RESTART:
                texts = [command, "hello"]  # the channel's own command, sent by the channel
            else:
                texts = [text]
        else:
            return  # edited messages, stickers, photos, locations ...
        if texts[0] != INTENT_MESSAGE_PREFIX + USER_INTENT_RESTART:
            verdict = input_guard.check_message(texts[0])
            if verdict.text is None:
                messages = input_guard.direct_reply(str(chat_id), verdict)
                if verdict.reason == "not_english":  # an emergency in broken English still gets the urgent reply
                    messages = safety_net.urgent_or(str(chat_id), texts[0], messages)
                await bot.send_messages(chat_id, messages)
                return
            texts = [verdict.text]
        try:  # "typing…" in the chat while the answer is prepared
            await bot.send_chat_action(chat_id, "typing")
        except TelegramAPIError as error:
            logger.debug("Telegram: sendChatAction failed: %s", error)
        for text in texts:
            bot.answered[str(chat_id)] = False
            try:
                await on_new_message(UserMessage(text, bot, str(chat_id), input_channel=self.name()))
            except TrackerStoreUnavailable:  # nothing of this turn was kept: say so (the store logged why)
                await bot.send_message(chat_id, STORE_UNAVAILABLE_REPLY, disable_web_page_preview=True)
                return
            except Exception as failure:  # the family gets the fallback, the log gets no text
                logger.error("Telegram: handling a message failed: %s", type(failure).__name__)
            if text == INTENT_MESSAGE_PREFIX + USER_INTENT_RESTART:
                continue  # Rasa restarts without a reply; the "hello" after it is the answer to wait for
            if not bot.answered.get(str(chat_id)):
                logger.warning(contract.INCOMPLETE_REPLY_WARNING)
                urgent = safety_net.urgent_reply(text)
                reply = urgent[0] if urgent is not None else input_guard.FALLBACK_REPLY
                await bot.send_message(chat_id, reply, disable_web_page_preview=True)
