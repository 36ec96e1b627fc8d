"""scripts/install.sh: refuses unsupported Pythons with a reason; installs the locks and this project (editable)
into a virtualenv, and does nothing the second time."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import tomllib

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


def _declared_packages() -> list[str]:
    """The top-level packages pyproject.toml declares (the ``include`` patterns without a dot)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return [name for name in config["tool"]["setuptools"]["packages"]["find"]["include"] if "." not in name]


def test_every_top_level_package_is_declared() -> None:
    on_disk = sorted(
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if path.parent.name not in {"tests", "scripts"} and not path.parent.name.startswith(".")
    )
    assert on_disk == sorted(_declared_packages())


@pytest.mark.install
def test_fresh_virtualenv_gets_the_locks_and_the_project_editable_then_nothing_to_do(tmp_path: Path) -> None:
    # A new virtualenv that sees this environment's packages through a .pth file, so the locks are already
    # satisfied and nothing is downloaded; pip and setuptools are the locked ones (no ensurepip copies).
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = Path(next(venv.glob("lib/python3.*/site-packages")))
    (site / "shared-locked-packages.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = {**os.environ, "INSTALL_VENV": str(venv)}

    first = subprocess.run(["bash", str(INSTALL)], capture_output=True, text=True, env=env, timeout=900)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "install: this project (editable)" in first.stdout
    assert "smoke check ok" in first.stdout
    assert "install: done." in first.stdout

    # From another folder, every declared package resolves to this checkout (not to the shared environment).
    probe = "import importlib.util, sys; print('\\n'.join(importlib.util.find_spec(n).origin for n in sys.argv[1:]))"
    found = subprocess.run(
        [str(venv / "bin" / "python"), "-c", probe, *_declared_packages()],
        cwd=tmp_path, capture_output=True, text=True, check=True,
    )  # fmt: skip
    origins = [Path(line) for line in found.stdout.splitlines()]
    assert origins == [ROOT / name / "__init__.py" for name in _declared_packages()]

    second = subprocess.run(["bash", str(INSTALL)], capture_output=True, text=True, env=env, timeout=300)
    assert second.returncode == 0, second.stdout + second.stderr
    assert second.stdout.strip() == f"install: {venv} is up to date with the locks (nothing to do)."
