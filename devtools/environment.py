"""``make install``'s last step: fail loudly unless the key packages import at the versions the lock pins.

python -m devtools.environment
"""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import re
import sys
from pathlib import Path

from serving.paths import ROOT

LOCK = ROOT / "requirements" / "runtime.lock"
KEY_PACKAGES = {
    "rasa": "rasa",
    "rasa-sdk": "rasa_sdk",
    "tensorflow": "tensorflow",
    "spacy": "spacy",
    "rapidfuzz": "rapidfuzz",
    "python-socketio": "socketio",
}


def pinned_versions(lock: Path) -> dict[str, str]:
    pins = {}
    for line in lock.read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s\\;]+)", line)
        if match:
            pins[match.group(1).lower()] = match.group(2)
    return pins


def main() -> int:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # before TensorFlow is imported: its C++ start-up chatter
    pins = pinned_versions(LOCK)
    problems = []
    for dist, module in KEY_PACKAGES.items():
        try:
            importlib.import_module(module)
            installed = importlib.metadata.version(dist)
        except Exception as exc:  # any import failure is a broken environment
            problems.append(f"{dist}: cannot import {module!r} ({exc.__class__.__name__}: {exc})")
            continue
        if installed != pins.get(dist):
            problems.append(f"{dist}: installed {installed}, lock pins {pins.get(dist)}")
    if problems:
        print("smoke check FAILED:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    print("smoke check ok: " + ", ".join(f"{d} {pins[d]}" for d in KEY_PACKAGES))
    return 0


if __name__ == "__main__":
    sys.exit(main())
