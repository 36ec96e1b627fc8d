"""The reply contract: the machine-readable part of every bot reply, and when a reply is complete.

A bot reply is one or more visible messages (``text``, maybe ``buttons``) and ends with ONE custom payload
(Rasa's ``json_message`` / ``custom``)::

    {"answer_type": <one of ANSWER_TYPES>, "citations": [{"section", "url", "updated"}, ...], ...}

- ``answer_type`` says what kind of reply it is (:data:`ANSWER_TYPES`); ``citations`` lists the PDQ sections
  the reply quoted (empty when it stated nothing from the summary; ``not_in_summary`` cites the passage it
  offers instead).
- ``urgent`` payloads add ``urgent_category`` and ``contacts`` (``[{"label", "tel"}]``); ``personal_advice``
  payloads add ``advice_kind``; ``human_contact`` payloads add ``contacts``;
  the replies to a message in another language than English (channels/language.py) add ``language`` (the
  ``knowledge/languages.yml`` row, ``english`` for the fallback) and ``contacts``.
- The session-start disclaimer's payload (domain.yml ``utter_disclaimer``) is the only one with
  ``disclaimer: true``; it does NOT complete a reply: the answer to the question comes after it.

A reply is *complete* (:func:`completes_reply`) when the last thing sent is a payload with an
``answer_type`` that is not the session-start disclaimer's; the channels send the fallback (logging
:data:`INCOMPLETE_REPLY_WARNING`) when it is not.

The website widget reads the same keys and types: :func:`javascript_mirror` is the ``REPLY_CONTRACT``
object in web/widget/chat-core.js, and domain.yml's custom payloads use these keys and types (both
checked by tests/unit/actions/test_reply_contract.py).

Standard library only, so both images import it (the action image copies only ``actions/`` and
``knowledge/``; the Rasa image copies ``actions/`` too and its channels import this module). Importing it
does no work.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

# Payload keys.
ANSWER_TYPE = "answer_type"
CITATIONS = "citations"
DISCLAIMER = "disclaimer"
URGENT_CATEGORY = "urgent_category"
CONTACTS = "contacts"
ADVICE_KIND = "advice_kind"
LANGUAGE = "language"  # replies to a message in another language (channels/language.py): the row's language
CITATION_KEYS = ("section", "url", "updated")
CONTACT_KEYS = ("label", "tel")

# Answer types.
ANSWER = "answer"  # verbatim PDQ text, cited
NOT_IN_SUMMARY = "not_in_summary"  # the summary does not answer; who can (and maybe the nearest passage, cited)
URGENT = "urgent"  # an emergency: the urgent reply before anything else
PERSONAL_ADVICE = "personal_advice"  # about one child: the care-team reply, then general information
OUT_OF_SCOPE = "out_of_scope"  # not about childhood ALL
CLARIFY = "clarify"  # a question back (which section, a form question)
FALLBACK = "fallback"  # not understood, or the bot failed
CHITCHAT = "chitchat"  # greetings, thanks, the disclaimer
NOT_STORED = "not_stored"  # the turn could not be stored (socket.io); the question may be resent
HUMAN_CONTACT = "human_contact"  # how to reach a person now (care team, NCI's Cancer Information Service)
ANSWER_TYPES = (
    ANSWER,
    NOT_IN_SUMMARY,
    URGENT,
    PERSONAL_ADVICE,
    OUT_OF_SCOPE,
    CLARIFY,
    FALLBACK,
    CHITCHAT,
    NOT_STORED,
    HUMAN_CONTACT,
)
BODY_ANSWER_TYPES = (ANSWER, NOT_IN_SUMMARY)  # replies whose text quotes the summary

# Answer feedback (issue 19). Every reply whose payload has an ``answer_type`` carries ``answer_id``: an id
# unique within the conversation that the feedback buttons under that reply send back. A feedback message is
# the intent FEEDBACK_INTENT with the entities FEEDBACK_KEYS (Rasa's ``/feedback{"answer_id": ..., "rating":
# "down", "reason": "wrong_topic"}`` payload form); the action stores it as one Rasa event,
# ``SlotSet(FEEDBACK_SLOT, {answer_id, rating, reason, section, answer_type})`` (section: the first cited
# section's title, or None; answer_type: the rated reply's), so it lives in whichever tracker store runs and
# `make report` reads it from there. A 👎 without a reason may be followed by one with a reason for the same
# answer_id: the last event per answer_id counts. No free text, no personal data.
# The Rasa server issues answer_id as it records each bot message (rasa_patches.answer_ids: 12 random hex digits,
# so every reply stored, whether a custom action, a rule's response or the local session start made it, has one).
# Replies a channel makes without Rasa (input_guard's refusals, the fallback when the action server is down) are
# not stored and carry none: there is nothing to rate.
ANSWER_ID = "answer_id"
FEEDBACK_INTENT = "feedback"
FEEDBACK_SLOT = "answer_feedback"
RATING = "rating"
REASON = "reason"
FEEDBACK_KEYS = (ANSWER_ID, RATING, REASON)
RATINGS = ("up", "down")
REASONS = ("didnt_answer", "hard_to_understand", "wrong_topic")
# The answer types the widget, the kiosk and Telegram put 👍 / 👎 under (when the payload has an answer_id).
# Not ``urgent`` (the family must act on it, not rate it: nothing may sit between them and the phone numbers),
# ``clarify`` (a question back: the answer that follows the choice is the one to rate), ``chitchat`` (greetings,
# the disclaimer, the thank-you for feedback itself) and ``not_stored`` (nothing was stored to rate).
FEEDBACK_ANSWER_TYPES = (ANSWER, NOT_IN_SUMMARY, PERSONAL_ADVICE, OUT_OF_SCOPE, FALLBACK)
# answer_id: what the Rasa server issues (rasa_patches.answer_ids); checked on every feedback message.
ANSWER_ID_PATTERN = r"[0-9a-f]{12}"

INCOMPLETE_REPLY_WARNING = "No complete reply for a message (action server down or slow?); sent the fallback"


def payload(answer_type: str, citations: Iterable[Mapping[str, str]] = ()) -> dict[str, Any]:
    """The plain payload ``{"answer_type": answer_type, "citations": [...]}`` (citations copied)."""
    return {ANSWER_TYPE: answer_type, CITATIONS: [dict(c) for c in citations]}


def feedback_payload(answer_id: str, rating: str, reason: str | None = None) -> str:
    """The message a feedback button sends: ``/feedback{"answer_id": ..., "rating": ...[, "reason": ...]}``."""
    entities = {ANSWER_ID: answer_id, RATING: rating, **({REASON: reason} if reason is not None else {})}
    return "/" + FEEDBACK_INTENT + json.dumps(entities, separators=(",", ":"))


def wants_feedback(custom: Mapping[str, Any]) -> bool:
    """Whether the reply ending with payload ``custom`` gets 👍 / 👎 buttons: it has an ``answer_id`` and its
    type is one of :data:`FEEDBACK_ANSWER_TYPES`."""
    return isinstance(custom.get(ANSWER_ID), str) and custom.get(ANSWER_TYPE) in FEEDBACK_ANSWER_TYPES


def completes_reply(last: Mapping[str, Any] | None) -> bool:
    """Whether ``last``, the last thing a channel sent for a message (``None``: nothing), ends a complete reply:
    a payload (no ``text``) with an ``answer_type`` that is not the session-start disclaimer's."""
    return last is not None and "text" not in last and ANSWER_TYPE in last and not last.get(DISCLAIMER)


def is_complete(messages: Sequence[Mapping[str, Any]]) -> bool:
    """:func:`completes_reply` for REST-shaped messages (a payload is a message's ``custom``)."""
    custom = messages[-1].get("custom") if messages else None
    return isinstance(custom, Mapping) and completes_reply(custom)


def javascript_mirror() -> dict[str, Any]:
    """The ``REPLY_CONTRACT`` object web/widget/chat-core.js must declare (JSON, keys in this order)."""
    return {
        "keys": {
            "answerType": ANSWER_TYPE,
            "citations": CITATIONS,
            "contacts": CONTACTS,
            "answerId": ANSWER_ID,
        },
        "answerTypes": {name.upper(): name for name in ANSWER_TYPES},
        "feedback": {
            "intent": FEEDBACK_INTENT,
            "keys": {"answerId": ANSWER_ID, "rating": RATING, "reason": REASON},
            "ratings": {name.upper(): name for name in RATINGS},
            "answerTypes": list(FEEDBACK_ANSWER_TYPES),
        },
    }
