"""The REST channel (``/webhooks/rest/webhook``) with input validation, the input guard and a friendly fallback.

Registered in ``credentials.yml`` as ``channels.rest.GuardedRestInput`` in place of Rasa's ``rest:``; its
``name()`` stays ``rest``, so the URL and the ``input_channel`` stored with each message are unchanged.

Differences from Rasa's ``RestInput``:

- the request must say ``Content-Type: application/json`` (else 415: a ``text/plain`` POST is one a browser
  sends cross-site without a CORS preflight);
- the body must be a JSON object ``{"sender": str, "message": str, "metadata": object (optional)}`` of at most
  :data:`MAX_BODY_BYTES`, strict JSON (no ``NaN`` / ``Infinity``), nested at most :data:`MAX_JSON_DEPTH`
  deep; otherwise 400 (malformed / wrong types) or 413 (too large) with a JSON ``{"error": ...}``, instead of
  a 500 or a message with ``None`` text;
- ``metadata`` is accepted and dropped: nothing of the assistant reads it, so it is never stored;
- the text goes through :func:`channels.input_guard.check_message` (normalised, intent injection defused,
  phone numbers and e-mail addresses redacted; empty, too long or non-English messages answered directly);
- a client cannot choose ``input_channel`` (always ``rest``) and there is no streaming mode;
- when the bot produced no complete reply (the action server is down or slower than the action timeout,
  ``ACTION_TIMEOUT``, :mod:`rasa_patches.action_timeout`) the reply is :data:`channels.input_guard.FALLBACK_REPLY` with
  ``answer_type`` ``fallback``;
- nothing the user typed is logged, at any level.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

import rasa_patches
from actions import reply_contract as contract
from channels import input_guard, language, safety_net
from stores.errors import RETRY_AFTER_SECONDS, STORE_UNAVAILABLE_REPLY, TrackerStoreUnavailable

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024
MAX_JSON_DEPTH = 32  # deeper bodies are refused before parsing (Python's parser recurses once per level)
JSON_CONTENT_TYPE = "application/json"
MAX_SENDER_CHARS = 128


def with_fallback(recipient_id: str, messages: list[dict[str, Any]], text: str = "") -> list[dict[str, Any]]:
    """``messages``, followed by the friendly fallback when they are not a complete reply (the urgent
    reply instead when ``text``, the user's message, describes an emergency)."""
    if contract.is_complete(messages):
        return messages
    logger.warning(contract.INCOMPLETE_REPLY_WARNING)
    return [*messages, *safety_net.fallback_messages(recipient_id, text, input_guard.FALLBACK_REPLY, contract.FALLBACK)]


class BadRequest(ValueError):
    """A webhook body that is not ``{"sender": str, "message": str}``."""


def json_depth(body: bytes) -> int:
    """The deepest nesting of ``[`` / ``{`` in a JSON text (brackets inside strings not counted)."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return deepest


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_body(body: bytes) -> tuple[str, str, dict[str, Any] | None]:
    """``(sender, message, metadata)`` from a webhook body, or :class:`BadRequest` saying what is wrong."""
    if json_depth(body) > MAX_JSON_DEPTH:
        raise BadRequest(f"the body is nested more than {MAX_JSON_DEPTH} levels deep")
    try:
        data = json.loads(body, parse_constant=_no_constant)
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        raise BadRequest("the body is not valid JSON") from error
    if not isinstance(data, dict):
        raise BadRequest('the body must be a JSON object: {"sender": "...", "message": "..."}')
    sender, message, metadata = data.get("sender"), data.get("message"), data.get("metadata")
    if not isinstance(sender, str) or not sender.strip():
        raise BadRequest('"sender" must be a non-empty string')
    if len(sender) > MAX_SENDER_CHARS or not sender.isprintable():
        raise BadRequest(f'"sender" must be at most {MAX_SENDER_CHARS} printable characters')
    if not isinstance(message, str):
        raise BadRequest('"message" must be a string')
    if metadata is not None and not isinstance(metadata, dict):
        raise BadRequest('"metadata" must be a JSON object')
    return sender, message, metadata


def error(status: int, text: str) -> HTTPResponse:
    return response.json({"error": text}, status=status)


class GuardedRestInput(RestInput):
    """Rasa's REST channel with body validation, the input guard and the fallback reply (see module doc)."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> GuardedRestInput:
        rasa_patches.ensure_installed(cls.__name__)
        language.warm_up()  # the language detector's models, before the port opens (channels/language.py)
        return cls()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("guarded_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            content_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
            if content_type != JSON_CONTENT_TYPE:
                return error(415, f"send the body as {JSON_CONTENT_TYPE}")
            body = request.body or b""
            if len(body) > MAX_BODY_BYTES:
                return error(413, f"the body is larger than {MAX_BODY_BYTES // 1024} kB")
            try:
                sender, message, _metadata = parse_body(body)  # metadata: validated, then dropped
            except BadRequest as bad:
                return error(400, str(bad))
            verdict = input_guard.check_message(message)
            if verdict.text is None:
                reply = input_guard.direct_reply(sender, verdict)
                if verdict.reason == "not_english":  # an emergency in broken English still gets the urgent reply
                    reply = safety_net.urgent_or(sender, message, reply)
                return response.json(reply)
            collector = CollectingOutputChannel()
            try:
                await on_new_message(UserMessage(verdict.text, collector, sender, input_channel=self.name()))
            except TrackerStoreUnavailable:  # nothing of this turn was kept: refuse it (the store logged why)
                return response.json(
                    {"error": "the conversation cannot be saved right now", "reply": STORE_UNAVAILABLE_REPLY},
                    status=503,
                    headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
                )
            except Exception as failure:  # the user gets the fallback, the log gets no text
                logger.error("REST: handling a message failed: %s", type(failure).__name__)
            return response.json(with_fallback(sender, list(collector.messages), verdict.text))

        return webhook
