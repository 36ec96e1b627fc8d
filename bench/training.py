"""How long training takes: the time ``make train`` recorded for the current model, or a training timed here."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path
from typing import Any

from devtools.training import TRAINING_RECORD, fingerprint
from serving.paths import MODEL, ROOT, VENV_BIN


def recorded_training() -> dict[str, Any] | None:
    """The training time ``make train`` recorded for the current model, if its inputs are still the same."""
    if not TRAINING_RECORD.exists() or not MODEL.exists():
        return None
    record = json.loads(TRAINING_RECORD.read_text(encoding="utf-8"))
    if record.get("fingerprint") != fingerprint():
        return None
    return {"seconds": record["seconds"], "ok": True, "source": f"make train at {record['trained_at']}"}


def time_training(workdir: Path) -> dict[str, Any]:
    """``rasa train --force`` of this project into a temp dir (fixed seeds as in make train)."""
    out = workdir / "train-models"
    env = {**os.environ, "PYTHONHASHSEED": "0", "TF_CPP_MIN_LOG_LEVEL": "2"}
    started = time.monotonic()
    completed = subprocess.run(
        [str(VENV_BIN / "rasa"), "train", "--force", "--out", str(out), "--fixed-model-name", "bench"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=900, check=False,
    )  # fmt: skip
    elapsed = time.monotonic() - started
    model = out / "bench.tar.gz"
    return {
        "seconds": round(elapsed, 1),
        "ok": completed.returncode == 0 and model.exists(),
        "model_mib": round(model.stat().st_size / 1024 / 1024, 1) if model.exists() else None,
        "log_tail": completed.stdout.decode(errors="replace")[-800:] if completed.returncode else "",
    }


def train(config: Path, out: Path) -> tuple[float, Path]:
    """Train ``config`` into ``out/model.tar.gz`` (fixed hash seed as in make train); (seconds, model path)."""
    started = time.monotonic()
    subprocess.run(
        [str(VENV_BIN / "rasa"), "train", "--config", str(config), "--out", str(out), "--fixed-model-name", "model",
         "--force", "--quiet"],
        cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": "0"}, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return time.monotonic() - started, out / "model.tar.gz"
