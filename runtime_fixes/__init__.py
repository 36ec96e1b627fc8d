"""Fixes for bugs in the libraries under Rasa that the project's soak runs found (docs/soak.md).

Unlike :mod:`speedups`, these change no behaviour that anyone could rely on; :func:`install` is
idempotent and each fix checks that it is on the platform it was written for before touching anything.
``RASA_RUNTIME_FIXES=0`` leaves them out (to measure the bug, ``scripts/soak.py``).
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
    from runtime_fixes import eager_tensor

    return eager_tensor.install()
