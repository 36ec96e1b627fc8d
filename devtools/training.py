"""``make train``: train the Rasa model only when its inputs changed since the last training.

    python -m devtools.training [--force]

Inputs: config.yml, domain.yml, everything under data/, nlu_components/, and
knowledge/safety/training.yml (the safety classifier's examples; it is saved in the model). The fingerprint of
the inputs is stored next to the model (models/all-pdq.fingerprint).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from serving.paths import MODEL, ROOT

FINGERPRINT = ROOT / "models" / "all-pdq.fingerprint"
TRAINING_RECORD = ROOT / "models" / "all-pdq.training.json"  # how long the last training took (make bench)
INPUTS = ["config.yml", "domain.yml", "data", "nlu_components", "knowledge/safety/training.yml"]


def fingerprint() -> str:
    """SHA-256 over the names and bytes of every training input."""
    digest = hashlib.sha256()
    for name in INPUTS:
        path = ROOT / name
        files = (
            sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
            if path.is_dir()
            else [path]
        )
        for file in files:
            digest.update(str(file.relative_to(ROOT)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--force", action="store_true", help="train even when the inputs are unchanged")
    args = parser.parse_args(argv)
    wanted = fingerprint()
    if MODEL.exists() and FINGERPRINT.exists() and FINGERPRINT.read_text().strip() == wanted and not args.force:
        print(f"train: {MODEL.relative_to(ROOT)} is up to date (nothing to do).")
        return 0
    print("train: training the model ...", flush=True)
    started = time.perf_counter()
    rasa = str(Path(sys.executable).parent / "rasa")
    # Train into a scratch folder and move the result into place in one step, so a server that is
    # starting meanwhile never reads a half-written model.
    MODEL.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=MODEL.parent, prefix=".training-") as scratch:
        command = [rasa, "train", "--fixed-model-name", "all-pdq", "--out", scratch]
        result = subprocess.run(command, cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": "0"})
        trained = Path(scratch) / MODEL.name
        if result.returncode != 0 or not trained.exists():
            print("train: FAILED", file=sys.stderr)
            return result.returncode or 1
        os.replace(trained, MODEL)
    FINGERPRINT.write_text(wanted + "\n")
    seconds = time.perf_counter() - started
    record = {"seconds": round(seconds, 1), "trained_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "fingerprint": wanted}
    TRAINING_RECORD.write_text(json.dumps(record) + "\n")
    print(f"train: done in {seconds:.0f} s -> {MODEL.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
