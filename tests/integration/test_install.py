"""scripts/install.sh into a new virtualenv: installs the locks and this project (editable), and does nothing
the second time (fast checks of the script: tests/unit/scripts/test_install.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.unit.scripts.test_install import INSTALL, ROOT, declared_packages


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
        [str(venv / "bin" / "python"), "-c", probe, *declared_packages()],
        cwd=tmp_path, capture_output=True, text=True, check=True,
    )  # fmt: skip
    origins = [Path(line) for line in found.stdout.splitlines()]
    assert origins == [ROOT / name / "__init__.py" for name in declared_packages()]

    second = subprocess.run(["bash", str(INSTALL)], capture_output=True, text=True, env=env, timeout=300)
    assert second.returncode == 0, second.stdout + second.stderr
    assert second.stdout.strip() == f"install: {venv} is up to date with the locks (nothing to do)."
