"""One user message through the input guard, Rasa and the completeness check: the reply a messaging channel
(SMS, WhatsApp) renders, as REST-shaped messages.

The same steps as the REST channel (:mod:`channels.rest`), for channels that send the reply themselves after
the turn: :func:`channels.input_guard.check_message` first (redaction, injection defused; empty, too long and
non-English messages answered without Rasa, an emergency in another language with the urgent reply), then
Rasa with a collecting output channel, then the friendly fallback (or the urgent reply, see
:mod:`channels.safety_net`) when the reply is not complete. A turn the tracker store cannot keep gets
:data:`stores.errors.STORE_UNAVAILABLE_REPLY`. Nothing the user typed is logged.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from channels import input_guard, safety_net
from channels.rest import with_fallback
from stores.errors import STORE_UNAVAILABLE_REPLY, TrackerStoreUnavailable

logger = logging.getLogger(__name__)


async def guarded_reply(
    on_new_message: Callable[[UserMessage], Awaitable[Any]], text: str, sender_id: str, input_channel: str
) -> list[dict[str, Any]]:
    """The messages that answer ``text`` from ``sender_id`` (see the module docstring); never raises for a
    failure of Rasa or the action server."""
    verdict = input_guard.check_message(text)
    if verdict.text is None:
        reply = input_guard.direct_reply(sender_id, verdict)
        if verdict.reason == "not_english":  # an emergency in broken English still gets the urgent reply
            reply = safety_net.urgent_or(sender_id, text, reply)
        return reply
    collector = CollectingOutputChannel()
    try:
        await on_new_message(UserMessage(verdict.text, collector, sender_id, input_channel=input_channel))
    except TrackerStoreUnavailable:  # nothing of this turn was kept: say so (the store logged why)
        return [{"recipient_id": sender_id, "text": STORE_UNAVAILABLE_REPLY}]
    except Exception as failure:  # the family gets the fallback, the log gets no text
        logger.error("%s: handling a message failed: %s", input_channel, type(failure).__name__)
    return with_fallback(sender_id, list(collector.messages), verdict.text)
