"""``load_gc``: the Rasa server's model loads with automatic garbage collection paused, otherwise as Rasa's."""

from __future__ import annotations

import asyncio
import gc
import types
import weakref
from collections.abc import Iterator
from typing import Any

import pytest
import rasa.core.agent
import rasa.core.run

from rasa_patches import load_gc


class _Cycle:
    def __init__(self) -> None:
        self.me = self


@pytest.fixture
def fake_load(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """``rasa.core.agent.load_agent`` replaced by a load that records the collector's state and leaves a
    reference cycle behind (garbage that only the collector frees); Rasa's listener restored afterwards."""
    seen: dict[str, Any] = {"agent": object()}

    async def load_agent(**kwargs: Any) -> object:
        seen["collecting_during_load"] = gc.isenabled()
        seen["kwargs"] = kwargs
        seen["garbage"] = weakref.ref(_Cycle())  # unreachable at once, freed only by a collection
        return seen["agent"]

    monkeypatch.setattr(rasa.core.agent, "load_agent", load_agent)
    monkeypatch.setattr(rasa.core.run, "load_agent_on_start", rasa.core.run.load_agent_on_start)
    assert gc.isenabled()
    yield seen
    gc.unfreeze()
    gc.enable()


def _listen(listener: Any) -> tuple[object, types.SimpleNamespace]:
    app = types.SimpleNamespace(ctx=types.SimpleNamespace())

    async def start() -> object:
        return await listener("models/x.tar.gz", None, None, app, asyncio.get_running_loop())

    return asyncio.run(start()), app


def test_the_model_loads_with_collection_paused_then_garbage_is_freed_and_collection_is_on(fake_load: dict) -> None:
    assert load_gc.install()
    assert rasa.core.run.load_agent_on_start is load_gc.load_agent_on_start
    frozen_before = gc.get_freeze_count()
    agent, app = _listen(rasa.core.run.load_agent_on_start)
    assert fake_load["collecting_during_load"] is False
    assert gc.isenabled()
    assert fake_load["garbage"]() is None  # the load's garbage was collected at its end
    assert gc.get_freeze_count() > frozen_before  # what the model keeps is out of later collections
    assert agent is app.ctx.agent is fake_load["agent"]


def test_rasas_listener_loads_the_same_agent_with_the_same_arguments(fake_load: dict) -> None:
    load_gc.install()
    patched, patched_app = _listen(rasa.core.run.load_agent_on_start)
    patched_kwargs = {k: v for k, v in fake_load["kwargs"].items() if k != "loop"}
    original, original_app = _listen(load_gc.original())
    assert fake_load["collecting_during_load"] is True  # Rasa's own: the collector runs throughout
    assert patched is original is patched_app.ctx.agent is original_app.ctx.agent
    assert patched_kwargs == {k: v for k, v in fake_load["kwargs"].items() if k != "loop"}


def test_a_failed_load_raises_as_before_and_leaves_collection_on(
    fake_load: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(**kwargs: Any) -> object:
        raise OSError("model file unreadable")

    monkeypatch.setattr(rasa.core.agent, "load_agent", broken)
    load_gc.install()
    with pytest.raises(OSError, match="model file unreadable"):
        _listen(rasa.core.run.load_agent_on_start)
    assert gc.isenabled()
