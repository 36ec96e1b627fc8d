"""scripts/install.sh: refuses unsupported Pythons with a reason; installs the locks and this project (editable)
into a virtualenv, and does nothing the second time."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parents[3]
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


def declared_packages() -> list[str]:
    """The top-level packages pyproject.toml declares (the ``include`` patterns without a dot)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return [name for name in config["tool"]["setuptools"]["packages"]["find"]["include"] if "." not in name]


def test_every_top_level_package_is_declared() -> None:
    on_disk = sorted(
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if path.parent.name not in {"tests", "scripts"} and not path.parent.name.startswith(".")
    )
    assert on_disk == sorted(declared_packages())
