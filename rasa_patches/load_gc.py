"""The Rasa server loads its model with Python's automatic garbage collection paused.

Loading the model creates millions of Python objects (TensorFlow's graph, the traced prediction function,
the safety rules), nearly all of them kept for the life of the server. Each automatic collection of the
oldest generation walks all of them again: during the load the collector ran about 1,300 times, about a
second of CPU, while freeing almost nothing. Rasa's ``load_agent_on_start`` (the
``before_server_start`` listener of ``rasa run``, before the port is opened) runs here with automatic
collection off; at its end one full collection frees the load's garbage, :func:`gc.freeze` moves the model's
long-lived objects to the permanent generation (later collections no longer walk them) and automatic
collection is on again as before. The agent loaded is Rasa's own; only ``rasa run`` goes through this
listener (training, tests and the benchmark's in-process loads do not).
"""

from __future__ import annotations

import gc
import sys
from typing import Any

from rasa_patches.versions import written_for

_original: Any = None


async def load_agent_on_start(*args: Any, **kwargs: Any) -> Any:
    """Rasa's ``load_agent_on_start`` with automatic garbage collection paused while it runs."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return await _original(*args, **kwargs)
    finally:
        gc.collect()
        gc.freeze()
        if was_enabled:
            gc.enable()


def install() -> bool:
    """Replace ``rasa.core.run.load_agent_on_start`` on Rasa 3.6 (idempotent); whether it is replaced."""
    global _original
    if not written_for("rasa", "3.6.", "speedup load_gc"):
        return False
    import rasa.core.run  # here, not at import: it loads TensorFlow

    if not active():
        _original = rasa.core.run.load_agent_on_start
        rasa.core.run.load_agent_on_start = load_agent_on_start
    return True


def active() -> bool:
    """Whether ``rasa.core.run.load_agent_on_start`` is this module's."""
    run = sys.modules.get("rasa.core.run")
    return run is not None and run.load_agent_on_start is load_agent_on_start


def original() -> Any:
    """Rasa's own listener (for the tests that compare both)."""
    import rasa.core.run

    return _original if _original is not None else rasa.core.run.load_agent_on_start
