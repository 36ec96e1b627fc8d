"""Rasa's fail-safe wrapper must not hide the failures of a tracker store that promises to keep every turn.

Rasa 3.6's ``Agent._create_tracker_store`` wraps every tracker store in ``FailSafeTrackerStore``, which turns
any error into "no conversation" on read (a silent new conversation: the disclaimer again, form state gone)
and into an in-memory copy on write (a reply goes out, nothing is stored). A store that subclasses
:class:`stores.errors.NeverFallsBack` raises :class:`stores.errors.TrackerStoreUnavailable` instead, and
:func:`install` makes the agent use such a store as it is; every other store keeps Rasa's wrapper.

:func:`install` is idempotent and does nothing on another Rasa minor version (``_create_tracker_store`` is a
Rasa 3.6 internal). ``tests/unit/rasa_patches/test_fail_safe.py`` checks it against Rasa's original.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from rasa_patches.versions import written_for
from stores.errors import NeverFallsBack

logger = logging.getLogger(__name__)

_original: Callable[[Any, Any], Any] | None = None


def _create_tracker_store(store: Any, domain: Any) -> Any:
    """``Agent._create_tracker_store`` that leaves a :class:`NeverFallsBack` store unwrapped."""
    if isinstance(store, NeverFallsBack):
        store.domain = domain  # type: ignore[attr-defined]
        return store
    assert _original is not None
    return _original(store, domain)


def install() -> bool:
    """Let the agent use :class:`NeverFallsBack` stores unwrapped; whether that is active (False off Rasa 3.6)."""
    global _original
    if _original is not None:
        return True
    if not written_for("rasa", "3.6.", "fail_safe (store failures may be hidden)"):
        return False
    from rasa.core.agent import Agent

    _original = Agent._create_tracker_store
    Agent._create_tracker_store = staticmethod(_create_tracker_store)
    return True


def active() -> bool:
    """Whether ``Agent._create_tracker_store`` is this module's."""
    return _original is not None


def uninstall() -> None:
    """Restore Rasa's own ``_create_tracker_store`` (tests)."""
    global _original
    from rasa.core.agent import Agent

    if _original is not None:
        Agent._create_tracker_store = staticmethod(_original)
        _original = None
