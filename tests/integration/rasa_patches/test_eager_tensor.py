"""rasa_patches.eager_tensor: EagerTensors stop leaking, and behave exactly as before."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from rasa_patches.eager_tensor import layout_matches
from serving.local_servers import ROOT

TENSORS = 20_000

# Creates TENSORS tensors by conversion and TENSORS by an op after warming up, and reports the Python
# memory still allocated afterwards, plus a few behaviours to compare between the two runs.
PROBE = textwrap.dedent(
    f"""
    import gc, json, tracemalloc
    import rasa_patches
    fixed = rasa_patches.install()["eager_tensor"]
    import numpy as np, tensorflow as tf
    from tensorflow.python.framework import ops
    x = np.arange(8, dtype=np.float32).reshape(1, 8)
    xt = tf.constant(x)
    def make(n):
        for _ in range(n // 2):
            tf.constant(x)
            tf.math.negative(xt)
    make(2000)
    gc.collect()
    tracemalloc.start()
    make({TENSORS})
    gc.collect()
    kept = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    t = tf.constant(x)
    t.note = "kept"
    try:
        ops.EagerTensor(1.0, "/no/such:device", None)
        constructor_error = None
    except Exception as e:
        constructor_error = type(e).__name__
    doubled = tf.function(lambda a: a * 2)(xt)
    print(json.dumps({{
        "fixed": fixed,
        "kept_bytes": kept,
        "attribute": [t.note, sorted(vars(t))],
        "constructor_error": constructor_error,
        "doubled": doubled.numpy().tolist(),
        "negated": tf.math.negative(xt).numpy().tolist(),
        "type": type(doubled).__name__,
    }}))
    """
)


def probe(fixed: bool) -> dict:
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "RASA_RUNTIME_FIXES": "1" if fixed else "0", "RASA_SPEEDUPS": "0"}
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


pytestmark = pytest.mark.slow  # fresh processes that load TensorFlow and make thousands of tensors


@pytest.fixture(scope="module")
def runs() -> tuple[dict, dict]:
    return probe(True), probe(False)


def test_without_the_fix_every_tensor_leaves_memory_behind(runs: tuple[dict, dict]) -> None:
    _, unfixed = runs
    assert unfixed["fixed"] is False
    assert unfixed["kept_bytes"] >= 15 * TENSORS  # 16 bytes each: the bug this fix exists for


def test_with_the_fix_tensors_leave_nothing_behind(runs: tuple[dict, dict]) -> None:
    fixed, _ = runs
    assert fixed["fixed"] is True
    assert fixed["kept_bytes"] < TENSORS  # under a byte per tensor (a few cache entries); the leak was 16


def test_tensors_behave_the_same_with_the_fix(runs: tuple[dict, dict]) -> None:
    fixed, unfixed = runs
    for key in ("attribute", "constructor_error", "doubled", "negated", "type"):
        assert fixed[key] == unfixed[key], key
    assert fixed["attribute"] == ["kept", ["note"]]
    assert fixed["constructor_error"] is not None
    assert fixed["negated"] == [[-float(i) for i in range(8)]]


def test_the_fix_only_touches_a_type_laid_out_as_expected() -> None:
    class DefinesNew:
        def __new__(cls) -> DefinesNew:
            return super().__new__(cls)

    assert not layout_matches(int)  # no managed dict, its own tp_new
    assert not layout_matches(DefinesNew)  # its own __new__
