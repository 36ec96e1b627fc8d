"""``python -m rasa_patches <rasa arguments>``: the patches are in place before Rasa's command line runs."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

pytestmark = pytest.mark.slow  # a fresh process that imports Rasa and every patch

# Rasa's CLI replaced by a probe that reports what it would have found: the patches in effect and its argv.
PROBE = textwrap.dedent(
    """
    import json, sys
    import rasa.__main__
    import rasa_patches
    from rasa_patches.__main__ import main

    rasa.__main__.main = lambda: print(json.dumps([rasa_patches.applied(), sys.argv]))
    main(["run", "--port", "5005"])
    """
)


def test_the_entry_point_installs_every_patch_then_hands_rasa_its_arguments() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=300, check=True
    )
    applied, argv = json.loads(result.stdout.strip().splitlines()[-1])
    assert applied == [
        "action_timeout", "fail_safe", "answer_ids", "failed_turns", "engineio_post", "eager_tensor",
        "event_types", "action_response", "endpoint_sessions", "model_loading", "predict_tracing", "graph_runner",
        "load_gc",
    ]  # fmt: skip
    assert argv == ["rasa", "run", "--port", "5005"]
    assert "without `python -m rasa_patches`" not in result.stderr
