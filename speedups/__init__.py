"""Faster versions of Rasa 3.6 hot spots found by profiling a message and the start (docs/benchmarks.md).

:func:`install` replaces them in the running process; it is idempotent and does nothing on another Rasa
minor version (the replaced functions are Rasa 3.6 internals) or when ``RASA_SPEEDUPS=0`` is set (to
measure Rasa without them, ``make bench``). Each replacement keeps the original's
contract, which ``tests/test_speedups.py`` checks against the original:

- ``Event.resolve_by_type``: Rasa walks the whole ``Event`` class tree (``all_subclasses`` +
  ``inspect.isabstract``) for every event it deserialises, i.e. every stored event of a conversation at
  every message; here the type name → class answer is remembered (only successful look-ups).
- ``RemoteAction._validate_action_result``: ``jsonschema.validate`` checks the constant response schema
  against the meta-schema and builds a new validator at every action call; here the validator is built
  once and the same ``best_match`` error is raised with Rasa's message.
- ``EndpointConfig.request`` for the action server: Rasa opens a new ``aiohttp.ClientSession`` (and TCP
  connection) per action call; here one keep-alive session per event loop is reused.
- ``RasaModel.load``: building the weights of the saved DIET model traced the whole training graph, most
  of the server's cold start; here that one step runs eagerly (``speedups.model_loading``).
- ``DaskGraphRunner.run``: the NLU and policy graphs (three runs per message) were rebuilt as dask task
  graphs and scheduled by dask at every run; here each target set's node order is worked out once and
  the nodes are called in it (``speedups.graph_runner``).
"""

from __future__ import annotations

import logging
import os

logger = logging.getLogger(__name__)

_installed = False


def install() -> bool:
    """Install the replacements once; return whether they are active (False on a Rasa other than 3.6)."""
    global _installed
    if _installed:
        return True
    if os.environ.get("RASA_SPEEDUPS", "1").strip() == "0":
        logger.info("speedups: off (RASA_SPEEDUPS=0)")
        return False
    import rasa

    if not rasa.__version__.startswith("3.6."):
        logger.warning("speedups: written for Rasa 3.6, found %s; not installed", rasa.__version__)
        return False
    from speedups import action_response, endpoint_sessions, event_types, graph_runner, model_loading

    event_types.install()
    action_response.install()
    endpoint_sessions.install()
    model_loading.install()
    graph_runner.install()
    _installed = True
    logger.debug("speedups installed")
    return True
