"""Conversation ids for channels whose users are phone numbers (SMS, WhatsApp): a keyed hash, never the number.

Twilio and WhatsApp name the sender by phone number. Stored as the conversation id it would sit in the tracker
store next to the redacted messages (docs/privacy.md), so the channels store ``<prefix>-<32 hex digits of
HMAC-SHA256(key, number)>`` instead and keep the number only while they answer the message. The key is the
channel's own secret (Twilio auth token, WhatsApp app secret): rotating it starts new conversations.
"""

from __future__ import annotations

import hashlib
import hmac


def conversation_id(prefix: str, key: str, address: str) -> str:
    """``<prefix>-<hex>``: the same for the same ``key`` and ``address``, unguessable without ``key``."""
    digest = hmac.new(key.encode("utf-8"), address.strip().encode("utf-8"), hashlib.sha256).hexdigest()
    return f"{prefix}-{digest[:32]}"
