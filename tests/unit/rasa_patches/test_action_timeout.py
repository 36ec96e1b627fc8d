"""rasa_patches.action_timeout: Rasa's 300 s wait for the action server becomes ``ACTION_TIMEOUT``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from rasa_patches.action_timeout import action_timeout

ROOT = Path(__file__).resolve().parents[3]


def test_action_timeout_setting() -> None:
    assert action_timeout({}) == 10.0
    assert action_timeout({"ACTION_TIMEOUT": "3"}) == 3.0
    assert action_timeout({"ACTION_TIMEOUT": "nope"}) == 10.0
    assert action_timeout({"ACTION_TIMEOUT": "0"}) == 0.5
    assert action_timeout({"ACTION_TIMEOUT": "100000"}) == 300.0


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
