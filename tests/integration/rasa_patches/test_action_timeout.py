"""rasa_patches.action_timeout installed in a fresh process that imports Rasa: the constant Rasa's RemoteAction
reads becomes ``ACTION_TIMEOUT`` (the setting itself: tests/unit/rasa_patches/test_action_timeout.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.slow  # a fresh process that imports Rasa
def test_install_sets_the_constant_rasas_remote_action_reads() -> None:
    code = (
        "import rasa.core.actions.action as a; from rasa_patches import action_timeout; "
        "before = a.DEFAULT_REQUEST_TIMEOUT; print(before, action_timeout.install(), a.DEFAULT_REQUEST_TIMEOUT)"
    )
    env = {**os.environ, "ACTION_TIMEOUT": "2.5"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=True
    )
    assert result.stdout.split() == ["300", "True", "2.5"]
