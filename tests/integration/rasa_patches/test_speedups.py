"""The speedups as Rasa's entry points install them, in fresh processes that import Rasa (tens of seconds each;
the speedups' own behaviour against Rasa's functions: tests/unit/rasa_patches/test_speedups.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _install_in_fresh_process(env: dict[str, str]) -> str:
    code = textwrap.dedent(
        """
        import rasa_patches
        installed = rasa_patches.install()  # first, as the entry points do
        from rasa.core.actions.action import RemoteAction
        from rasa.shared.core.events import Event
        active = all(installed[name] for name in rasa_patches.SPEEDUPS)
        from rasa.utils.endpoints import EndpointConfig
        from rasa.utils.tensorflow.models import RasaModel
        from rasa.engine.runner.dask import DaskGraphRunner
        print(active, Event.resolve_by_type.__module__, RemoteAction._validate_action_result.__module__,
              EndpointConfig.session.__module__, RasaModel.load.__func__.__module__, DaskGraphRunner.run.__module__)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True
    )
    return result.stdout.strip()


@pytest.mark.slow  # two fresh processes that import Rasa
def test_install_applies_every_speedup_and_they_can_be_switched_off() -> None:
    env = {k: v for k, v in os.environ.items() if k != "RASA_SPEEDUPS"}
    assert _install_in_fresh_process(env) == (
        "True rasa_patches.event_types rasa_patches.action_response rasa_patches.endpoint_sessions"
        " rasa_patches.model_loading rasa_patches.graph_runner"
    )
    off = _install_in_fresh_process({**env, "RASA_SPEEDUPS": "0"})
    assert off == (
        "False rasa.shared.core.events rasa.core.actions.action rasa.utils.endpoints rasa.utils.tensorflow.models"
        " rasa.engine.runner.dask"
    )


@pytest.mark.slow  # a fresh process that imports Rasa
def test_a_channel_built_by_a_bare_rasa_run_installs_them() -> None:
    code = (
        "from channels.rest import GuardedRestInput; from rasa.shared.core.events import Event; "
        "before = Event.resolve_by_type.__module__; GuardedRestInput.from_credentials(None); "
        "print(before, Event.resolve_by_type.__module__)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stdout.strip() == "rasa.shared.core.events rasa_patches.event_types"
