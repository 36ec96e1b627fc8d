"""scripts/install.sh: refuses unsupported Pythons with a reason; does nothing when the locks are unchanged."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTALL = ROOT / "scripts" / "install.sh"


def _fake_bin(tmp_path: Path, version: str) -> Path:
    fake = tmp_path / "bin"
    fake.mkdir()
    for tool in ("bash", "env", "cat", "cut", "sha256sum"):
        found = shutil.which(tool)
        assert found is not None
        (fake / tool).symlink_to(found)
    script = f"#!/bin/sh\ncase \"$1\" in --version) echo 'Python {version}';; *) exit 1;; esac\n"
    for name in ("python3", "python3.11"):
        (fake / name).write_text(script)
        (fake / name).chmod(0o755)
    return fake


def test_unsupported_python_is_refused_with_the_reason(tmp_path: Path) -> None:
    fake = _fake_bin(tmp_path, "3.12.4")
    result = subprocess.run(
        ["/bin/bash", str(INSTALL)], env={"PATH": str(fake), "HOME": str(tmp_path)}, capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "needs Python 3.11 or 3.10 (found: Python 3.12.4)" in result.stderr
    assert "TensorFlow 2.12" in result.stderr


def test_second_install_does_nothing() -> None:
    result = subprocess.run(["bash", str(INSTALL)], capture_output=True, text=True, env=dict(os.environ))
    assert result.returncode == 0
    assert "up to date with the locks (nothing to do)" in result.stdout
