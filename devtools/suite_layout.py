"""Where each kind of test lives. The folder under ``tests/`` is the kind, and the stage of ``scripts/test.sh``
that runs it; a test's markers must say the same, so that ``-m`` selections and folders never disagree:

=====================  ==========================================================  =====================
folder                 what its tests may start                                    markers (one of)
=====================  ==========================================================  =====================
``tests/unit/<pkg>/``  nothing: no trained model, no servers, no fresh Rasa        none of the slow ones
``tests/integration/`` real action + Rasa servers, fresh Rasa/TensorFlow processes  integration, install,
                       a fresh virtualenv                                          slow
``tests/browser/``     the real servers and Debian's chromium                      integration
``tests/cluster/``     PostgreSQL, Redis, nginx, two Rasa servers                  cluster
``tests/images/``      container images built with buildah                         images
=====================  ==========================================================  =====================

``tests/conftest.py`` applies :func:`misplaced` to every collected test and stops the run when one is out of
place, naming it and where it belongs.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePosixPath

# The markers that keep a test out of `make unit` (pyproject.toml declares them).
SLOW_MARKERS = frozenset({"integration", "cluster", "images", "install", "slow"})

# Folder under tests/ -> the markers one of which its tests must carry.
SLOW_FOLDERS: dict[str, frozenset[str]] = {
    "integration": frozenset({"integration", "install", "slow"}),
    "browser": frozenset({"integration"}),
    "cluster": frozenset({"cluster"}),
    "images": frozenset({"images"}),
}


def misplaced(path: str, markers: Iterable[str]) -> str | None:
    """Why the test in ``path`` (relative to the checkout, ``/``-separated) with these marker names is out of
    place, or None when its folder and its markers agree."""
    names = frozenset(markers)
    parts = PurePosixPath(path).parts
    if len(parts) < 3 or parts[0] != "tests":  # tests/<kind>/<file>
        return f"{path}: a test outside a kind's folder; move it to tests/unit/<package>/ or a slow kind's folder"
    kind = parts[1]
    slow = SLOW_MARKERS & names
    if kind == "unit":
        if slow:
            return (
                f"{path}: marked {', '.join(sorted(slow))} but in tests/unit/ (the fast gate); "
                "move it to tests/integration/ (or the folder of its kind)"
            )
        return None
    expected = SLOW_FOLDERS.get(kind)
    if expected is None:
        return f"{path}: tests/{kind}/ is not a kind of test (unit, {', '.join(SLOW_FOLDERS)})"
    if not expected & names:
        return f"{path}: in tests/{kind}/ but not marked {' or '.join(sorted(expected))}"
    return None
