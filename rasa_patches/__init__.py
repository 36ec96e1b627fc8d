"""Every change this project makes to Rasa 3.6 and the libraries under it, installed by one :func:`install`.

Importing this package, or any module of it, changes nothing: only :func:`install` (and each module's own
``install()``) replaces anything. Each patch checks that it is on the release it was written for
(:mod:`rasa_patches.versions`) and otherwise changes nothing; each keeps the original's contract, which its
test checks against the original (``tests/unit/rasa_patches/``; those that need a fresh process:
``tests/integration/rasa_patches/``).

**Where it is installed.** ``python -m rasa_patches <rasa arguments>`` (:mod:`rasa_patches.__main__`) installs
the patches and then runs Rasa's own command line; every place that starts a Rasa server uses it (``make run``
and the cluster through ``serving.programs``, the images' ``CMD``, the Helm values, the test and bench
harnesses). Rasa offers no start-up hook of its own, and it imports our channels and components only by
their module paths, so the alternatives were a patch applied as a side effect of importing a channel (what
this package replaced: importing a "pure" helper loaded TensorFlow) or a ``sitecustomize``. A bare
``rasa run`` with our ``credentials.yml`` still gets them: each of our channels calls :func:`ensure_installed`
when Rasa builds it from the credentials, before the model is loaded and before any message, and a warning
names this entry point.

**The patches** (module: what it replaces and why):

- always: :mod:`~rasa_patches.action_timeout` (the action server is waited for ``ACTION_TIMEOUT`` seconds, not
  300), :mod:`~rasa_patches.fail_safe` (a durable tracker store's failures are not hidden by Rasa's
  fall-back to memory) and :mod:`~rasa_patches.answer_ids` (every recorded reply payload gets the
  ``answer_id`` the answer-feedback buttons send back);
- runtime fixes, bugs found by the soak runs and the fault drills, off with ``RASA_RUNTIME_FIXES=0`` (to
  measure the bugs): :mod:`~rasa_patches.failed_turns` (a turn whose custom action fails left the
  conversation stuck and waited for the action server once per predicted action),
  :mod:`~rasa_patches.engineio_post` (python-engineio 4.4.1 answered a polling POST without a session id
  with a 500), :mod:`~rasa_patches.eager_tensor` (TensorFlow 2.12 on Python 3.11 leaks 16 bytes per tensor);
- speedups, measured replacements of Rasa 3.6 hot spots (docs/benchmarks.md), off with ``RASA_SPEEDUPS=0``
  (to measure Rasa without them, ``make bench``): :mod:`~rasa_patches.event_types` (``Event.resolve_by_type``
  remembers type name → class), :mod:`~rasa_patches.action_response` (the action-response JSON-schema
  validator built once; a valid response checked event by event against its own type's branch of the
  schema's ``oneOf``), :mod:`~rasa_patches.endpoint_sessions` (``EndpointConfig.session``: one keep-alive
  HTTP session per event loop, so the calls to the action server reuse their connection),
  :mod:`~rasa_patches.model_loading` (the saved DIET model's weights built with one eager step),
  :mod:`~rasa_patches.graph_runner` (the NLU and policy graphs run in a fixed node order without dask), and
  two for the server's cold start (docs/deployment.md): :mod:`~rasa_patches.predict_tracing` (DIET's prediction
  function traced without AutoGraph's source rewrite) and :mod:`~rasa_patches.load_gc` (the model loaded with
  automatic garbage collection paused).

Two things that reach into other libraries are deliberately not here, because they change nothing
process-wide: the socket.io transport limits (:class:`channels.engineio_guard.PacketGuard`) wrap the one
engine.io server our socket.io channel creates, when it creates it; and ``actions.text_processing`` makes
TensorFlow unimportable only while it loads its spaCy lemmatizer (on first use, in the action server, which
runs neither Rasa nor this package), then restores ``sys.modules``.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys

logger = logging.getLogger(__name__)

ALWAYS = ("action_timeout", "fail_safe", "answer_ids")
RUNTIME_FIXES = ("failed_turns", "engineio_post", "eager_tensor")
SPEEDUPS = (
    "event_types", "action_response", "endpoint_sessions", "model_loading", "predict_tracing", "graph_runner",
    "load_gc",
)  # fmt: skip
PATCHES = ALWAYS + RUNTIME_FIXES + SPEEDUPS

_installed: dict[str, bool] | None = None


def runtime_fixes_enabled() -> bool:
    """Whether the runtime fixes are wanted in this process (``RASA_RUNTIME_FIXES`` is not ``0``)."""
    return os.environ.get("RASA_RUNTIME_FIXES", "1").strip() != "0"


def speedups_enabled() -> bool:
    """Whether the speedups are wanted in this process (``RASA_SPEEDUPS`` is not ``0``)."""
    return os.environ.get("RASA_SPEEDUPS", "1").strip() != "0"


def install() -> dict[str, bool]:
    """Install every patch that applies here, once; ``{patch: whether it is active}`` in :data:`PATCHES` order.

    Idempotent: a second call changes nothing and returns the first call's answer.
    """
    global _installed
    if _installed is not None:
        return dict(_installed)
    wanted = set(ALWAYS)
    if runtime_fixes_enabled():
        wanted.update(RUNTIME_FIXES)
    else:
        logger.info("runtime fixes: off (RASA_RUNTIME_FIXES=0)")
    if speedups_enabled():
        wanted.update(SPEEDUPS)
    else:
        logger.info("speedups: off (RASA_SPEEDUPS=0)")
    result = {}
    for name in PATCHES:
        result[name] = name in wanted and bool(importlib.import_module(f"rasa_patches.{name}").install())
    _installed = result
    logger.debug("rasa_patches: %s", ", ".join(name for name, on in result.items() if on) or "none")
    return dict(result)


def ensure_installed(caller: str) -> None:
    """:func:`install`, with a warning when the process was not started by ``python -m rasa_patches``.

    Called by our channels when Rasa builds them (a bare ``rasa run``); ``caller`` names the channel.
    """
    if _installed is None:
        logger.warning("%s: Rasa was started without `python -m rasa_patches`; installing the patches now", caller)
        install()


def applied() -> list[str]:
    """The patches in effect in this process now, found without importing anything.

    A patch module that was never imported cannot have replaced anything; one that was is asked whether its
    replacement is in place.
    """
    found = []
    for name in PATCHES:
        module = sys.modules.get(f"rasa_patches.{name}")
        if module is not None and module.active():
            found.append(name)
    return found
