"""Fixes for bugs in Rasa 3.6 and the libraries under it, found by the soak runs and the fault drills.

- :mod:`runtime_fixes.eager_tensor`: TensorFlow 2.12 on Python 3.11 leaks 16 bytes per tensor (docs/soak.md);
- :mod:`runtime_fixes.failed_turns`: a turn whose custom action fails (action server down or hung) left
  the conversation stuck for good and waited for the action server once per predicted action (issue 17);
- :mod:`runtime_fixes.engineio_post`: python-engineio 4.4.1 answers a polling POST without a session id with a 500.

Unlike :mod:`speedups`, these change no behaviour that anyone could rely on; :func:`install` is
idempotent and each fix checks that it is on the platform it was written for before touching anything.
``RASA_RUNTIME_FIXES=0`` leaves them out (to measure the bugs, ``bench/soak.py`` and the fault drills).
"""

from __future__ import annotations

import logging
import os

logger = logging.getLogger(__name__)


def enabled() -> bool:
    """Whether the fixes are wanted in this process (``RASA_RUNTIME_FIXES`` is not ``0``)."""
    return os.environ.get("RASA_RUNTIME_FIXES", "1").strip() != "0"


def install() -> bool:
    """Install every fix that applies here; return whether the EagerTensor fix is active."""
    if not enabled():
        logger.info("runtime fixes: off (RASA_RUNTIME_FIXES=0)")
        return False
    from runtime_fixes import eager_tensor, engineio_post, failed_turns

    failed_turns.install()
    engineio_post.install()
    return eager_tensor.install()
