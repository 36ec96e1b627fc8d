"""What a tracker store raises when it cannot keep a turn, and what the channels tell the user then.

A reply is a promise that the turn is stored. When the store cannot read or write a conversation (the
database is down, read-only, or its folder is gone) it raises :class:`TrackerStoreUnavailable` instead of
falling back to memory; each channel catches it and answers honestly (REST: ``503`` with ``Retry-After``
and a JSON error; widget, kiosk and Telegram: :data:`STORE_UNAVAILABLE_REPLY`), and ``/healthz`` turns red.
"""

from __future__ import annotations

RETRY_AFTER_SECONDS = 60
STORE_UNAVAILABLE_REPLY = "I can't save our conversation right now — please try again in a minute."


class TrackerStoreUnavailable(RuntimeError):
    """The tracker store could not read or write a conversation; nothing of this turn was kept."""


class NeverFallsBack:
    """Marker of a tracker store that raises :class:`TrackerStoreUnavailable` rather than forget a turn.

    Rasa wraps every other store in its ``FailSafeTrackerStore`` (:mod:`rasa_patches.fail_safe`).
    """
