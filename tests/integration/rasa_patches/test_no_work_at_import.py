"""Importing a module of ours changes nothing in Rasa, and only modules that need TensorFlow load it.

Each package's modules are imported one after another in a fresh Python process, which after every import
records whether ``tensorflow`` is loaded and which patches :func:`rasa_patches.applied` finds. Within one
process this is exact for both questions: a patch, once applied, stays applied, and TensorFlow, once loaded,
stays loaded, so the first module that does either is the one that did it; the modules allowed to load
TensorFlow (:data:`LOADS_TENSORFLOW`) come last.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

pytestmark = pytest.mark.slow  # a fresh process per package that imports all its modules, Rasa and TensorFlow

PACKAGES = ["rasa_patches", "channels", "stores", "actions", "nlu_components"]

# They import Rasa's processor, its action module or its NLU components, which import TensorFlow.
LOADS_TENSORFLOW = {
    "nlu_components.urgent_help",
    "rasa_patches.action_response",
    "rasa_patches.answer_ids",
    "rasa_patches.failed_turns",
    "rasa_patches.model_loading",
}

PROBE = textwrap.dedent(
    """
    import importlib, json, pkgutil, sys
    package = importlib.import_module(sys.argv[1])
    allowed = set(json.loads(sys.argv[2]))
    names = [package.__name__] + sorted(
        info.name for info in pkgutil.walk_packages(package.__path__, package.__name__ + ".")
    )
    names.sort(key=lambda name: name in allowed)  # the modules that may load TensorFlow last
    import rasa_patches
    seen = []
    for name in names:
        importlib.import_module(name)
        seen.append({"module": name, "tensorflow": "tensorflow" in sys.modules, "applied": rasa_patches.applied()})
    print(json.dumps(seen))
    """
)


def import_each(package: str) -> list[dict]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, package, json.dumps(sorted(LOADS_TENSORFLOW))],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("package", PACKAGES)
def test_importing_a_module_patches_nothing_and_loads_tensorflow_only_where_needed(package: str) -> None:
    seen = import_each(package)
    assert len(seen) > 1  # the package and its modules were found
    patched = [(s["module"], s["applied"]) for s in seen if s["applied"]]
    assert patched == []
    tensorflow = [s["module"] for s in seen if s["tensorflow"] and s["module"] not in LOADS_TENSORFLOW]
    assert tensorflow == []


def test_installed_patches_are_found() -> None:
    code = "import rasa_patches, json; on = rasa_patches.install(); print(json.dumps([on, rasa_patches.applied()]))"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300, check=True
    )
    installed, applied = json.loads(result.stdout.strip().splitlines()[-1])
    assert list(installed) == [
        "action_timeout", "fail_safe", "answer_ids", "failed_turns", "engineio_post", "eager_tensor",
        "event_types", "action_response", "endpoint_sessions", "model_loading", "predict_tracing", "graph_runner",
        "load_gc",
    ]  # fmt: skip
    assert all(installed.values())
    assert applied == list(installed)
