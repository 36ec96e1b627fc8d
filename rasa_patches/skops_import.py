"""skops' module imported before TensorFlow, so its import-time scan of ``sys.modules`` is short.

The Rasa server's safety classifier (``nlu_components.urgent_help``) is stored in the skops format. skops 0.9
builds its default list of trusted types when ``skops.io`` is first imported: for each of the ~800 numpy and
scipy ufuncs, which carry no ``__module__``, it walks every module in ``sys.modules`` (pickle's
``whichmodule``). Imported while the model loads, after TensorFlow and Rasa (~5,600 modules), that walk was
the largest single step of the server's cold start (6-8 s of CPU of 20-27; docs/deployment.md, "Restart time
of a Rasa server"); imported first (~1,400 modules) it costs about a second. Nothing else changes: the classifier's
own check of the types in its file (``actions.safety.classifier``) does not use skops' default list.
"""

from __future__ import annotations

import importlib
import logging
import sys

from rasa_patches.versions import written_for

logger = logging.getLogger(__name__)

_imported_first = False  # whether install() imported skops.io while TensorFlow was not loaded


def install() -> bool:
    """Import ``skops.io`` now, if TensorFlow is not loaded yet (idempotent); whether it was imported first."""
    global _imported_first
    if _imported_first:
        return True
    if not written_for("skops", "0.9.", "speedup skops_import"):
        return False
    if "tensorflow" in sys.modules:  # too late to gain anything: Rasa was started without `python -m rasa_patches`
        logger.info("skops_import: TensorFlow is already loaded; skops.io is imported when the model loads")
        return False
    importlib.import_module("skops.io")
    _imported_first = True
    return True


def active() -> bool:
    """Whether this process imported ``skops.io`` before TensorFlow through :func:`install`."""
    return _imported_first
