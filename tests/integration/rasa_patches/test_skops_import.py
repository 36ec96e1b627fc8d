"""``skops_import``: skops' module is imported before TensorFlow, and the safety classifier loads the same."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

pytestmark = pytest.mark.slow  # fresh processes that import TensorFlow

ORDER = textwrap.dedent(
    """
    import json, sys
    if sys.argv[1] == "tensorflow-first":
        import tensorflow
    import rasa_patches
    on = rasa_patches.install()
    import tensorflow, skops.io
    names = list(sys.modules)
    print(json.dumps({"skops_before_tensorflow": names.index("skops.io") < names.index("tensorflow"),
                      "installed": on["skops_import"], "applied": "skops_import" in rasa_patches.applied()}))
    """
)


def _order(mode: str, **env: str) -> dict:
    base = {k: v for k, v in os.environ.items() if k != "RASA_SPEEDUPS"}
    result = subprocess.run(
        [sys.executable, "-c", ORDER, mode], cwd=ROOT, env={**base, **env},
        capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_install_imports_skops_before_anything_loads_tensorflow() -> None:
    assert _order("patches-first") == {"skops_before_tensorflow": True, "installed": True, "applied": True}


def test_without_it_skops_comes_after_tensorflow_as_in_rasa() -> None:
    # RASA_SPEEDUPS=0 is Rasa as shipped: skops is imported when the model's safety classifier loads.
    assert _order("patches-first", RASA_SPEEDUPS="0") == {
        "skops_before_tensorflow": False, "installed": False, "applied": False,
    }  # fmt: skip


def test_too_late_when_tensorflow_is_loaded_it_says_it_did_nothing() -> None:
    assert _order("tensorflow-first") == {"skops_before_tensorflow": False, "installed": False, "applied": False}


LOAD = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    if sys.argv[2] == "skops-first":
        import rasa_patches.skops_import
        assert rasa_patches.skops_import.install()
    import tensorflow
    from actions.safety.classifier import SafetyClassifier
    classifier = SafetyClassifier.load(Path(sys.argv[1]))
    texts = ["my son has a fever of 39 during chemo", "what is induction therapy?", "should we stop the steroids?"]
    print(json.dumps([[p.label, p.kind, sorted(p.probabilities.items())] for p in map(classifier.predict, texts)]))
    """
)


def test_the_safety_classifier_loads_the_same_whichever_comes_first(tmp_path: Path) -> None:
    from actions.safety.classifier import SafetyClassifier

    saved = tmp_path / "safety.skops"
    SafetyClassifier.from_project().save(saved)

    def predictions(order: str) -> list:
        result = subprocess.run(
            [sys.executable, "-c", LOAD, str(saved), order], cwd=ROOT,
            capture_output=True, text=True, timeout=300, check=True,
        )  # fmt: skip
        return json.loads(result.stdout.strip().splitlines()[-1])

    first, last = predictions("skops-first"), predictions("tensorflow-first")
    assert first == last
    assert first[0][0] == "urgent"  # the classifier was really loaded and used
