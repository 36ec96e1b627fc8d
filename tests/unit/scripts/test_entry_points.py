"""scripts/ holds command-line entry points only: nothing imports from it and no file edits the import path.

The project's packages are found because they are installed (``make install``: editable) or because the
command runs from the checkout (``python -m ...``), never because a file put the checkout on the path.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from serving.paths import ROOT

NOT_PROJECT_CODE = {".venv", ".git", "models", "var", "reports", "results", "test-artifacts", "node_modules"}


def project_python_files() -> Iterator[Path]:
    for path in sorted(ROOT.rglob("*.py")):
        if not NOT_PROJECT_CODE.intersection(path.relative_to(ROOT).parts):
            yield path


def imports_of(tree: ast.AST) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def touches_the_import_path(tree: ast.AST) -> bool:
    """Any use of ``sys.path`` (inserting, appending, assigning)."""
    return any(
        isinstance(node, ast.Attribute)
        and node.attr == "path"
        and isinstance(node.value, ast.Name)
        and node.value.id == "sys"
        for node in ast.walk(tree)
    )


def test_nothing_imports_from_scripts() -> None:
    importers = [
        str(path.relative_to(ROOT))
        for path in project_python_files()
        if any(name == "scripts" or name.startswith("scripts.") for name in imports_of(ast.parse(path.read_bytes())))
    ]
    assert importers == []


def test_no_file_edits_the_import_path() -> None:
    editors = [
        str(path.relative_to(ROOT))
        for path in project_python_files()
        if touches_the_import_path(ast.parse(path.read_bytes()))
    ]
    assert editors == []


def test_the_checks_see_what_they_look_for() -> None:
    # The two checks above must be able to fail: here on the forms the old scripts used.
    old = "import sys\nsys.path.insert(0, str(ROOT))\nfrom scripts.local_servers import Servers\nimport scripts.bench\n"
    tree = ast.parse(old)
    assert touches_the_import_path(tree)
    assert [name for name in imports_of(tree) if name.startswith("scripts")] == [
        "scripts.local_servers",
        "scripts.bench",
    ]
