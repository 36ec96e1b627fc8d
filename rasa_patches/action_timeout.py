"""How long the Rasa server waits for the action server: ``ACTION_TIMEOUT`` seconds instead of Rasa's 300.

Rasa 3.6's ``RemoteAction.run`` calls the action server with ``timeout=DEFAULT_REQUEST_TIMEOUT``, a module
constant of ``rasa.core.actions.action`` set to 300 s and read at every call, with no setting in
``endpoints.yml``. A hung action server would keep a family waiting five minutes. :func:`install` sets that
constant once at start; when it expires Rasa logs the error, drops that action's events and carries on, and
the channel answers with the friendly fallback. Every real action answers in well under a second.
:mod:`rasa_patches.failed_turns` reads the same constant as each message's budget for the action server.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

from rasa_patches.versions import written_for

logger = logging.getLogger(__name__)

DEFAULT_ACTION_TIMEOUT = 10.0  # seconds; ACTION_TIMEOUT in the environment overrides it

_installed = False


def action_timeout(env: Mapping[str, str] | None = None) -> float:
    """The action-server timeout in seconds: ``ACTION_TIMEOUT`` (0.5-300) or :data:`DEFAULT_ACTION_TIMEOUT`."""
    raw = (os.environ if env is None else env).get("ACTION_TIMEOUT", "").strip()
    try:
        value = float(raw) if raw else DEFAULT_ACTION_TIMEOUT
    except ValueError:
        logger.warning("ACTION_TIMEOUT=%r is not a number; using %s s", raw, DEFAULT_ACTION_TIMEOUT)
        return DEFAULT_ACTION_TIMEOUT
    return min(max(value, 0.5), 300.0)


def install() -> bool:
    """Set Rasa's action-call timeout from ``ACTION_TIMEOUT`` (read now) on Rasa 3.6; whether it is set."""
    global _installed
    if not written_for("rasa", "3.6.", "action timeout"):
        return False
    import rasa.core.actions.action

    seconds = action_timeout()
    if seconds != rasa.core.actions.action.DEFAULT_REQUEST_TIMEOUT:
        rasa.core.actions.action.DEFAULT_REQUEST_TIMEOUT = seconds
        logger.info("Action server timeout: %s s (ACTION_TIMEOUT)", seconds)
    _installed = True
    return True


def active() -> bool:
    """Whether :func:`install` has set the timeout in this process."""
    return _installed
