"""The build context as .dockerignore selects it, and the digest that decides whether `make images` rebuilds."""

from __future__ import annotations

from pathlib import Path

import pytest

from container_images.context import (
    Rule,
    UnsupportedPattern,
    context_digest,
    context_files,
    is_excluded,
    parse_rule,
    read_rules,
)


def rules(*lines: str) -> list[Rule]:
    return [rule for line in lines if (rule := parse_rule(line)) is not None]


def test_allowlist_keeps_only_listed_paths_and_drops_bytecode() -> None:
    allow = rules("*", "!actions", "!requirements/runtime.lock", "**/__pycache__", "**/*.pyc")
    assert not is_excluded("actions/answers.py", allow)
    assert not is_excluded("actions/safety/terms.py", allow)
    assert not is_excluded("requirements/runtime.lock", allow)
    assert is_excluded("requirements/dev.lock", allow)
    assert is_excluded("tests/test_actions.py", allow)
    assert is_excluded(".venv/bin/python", allow)
    assert is_excluded("var/tracker.db", allow)
    assert is_excluded("actions/__pycache__/answers.cpython-311.pyc", allow)
    assert is_excluded("actions/safety/old.pyc", allow)
    assert is_excluded("actionsX/file.py", allow)  # "actions" is a whole name, not a prefix


def test_last_matching_line_wins() -> None:
    assert is_excluded("web/chat/index.html", rules("!web", "*"))
    assert not is_excluded("web/chat/index.html", rules("*", "!web"))
    assert is_excluded("web/vendor/LICENSE", rules("*", "!web", "web/vendor"))


def test_question_mark_and_double_star() -> None:
    assert is_excluded("a/b/c/x1.txt", rules("**/x?.txt"))
    assert not is_excluded("a/b/c/x12.txt", rules("**/x?.txt"))
    assert is_excluded("docs/a/b.md", rules("docs/**"))
    assert not is_excluded("docs", rules("docs/**"))


def test_leading_slash_and_trailing_slash_are_cleaned() -> None:
    assert is_excluded("var/x", rules("/var/"))


@pytest.mark.parametrize("line", ["[ab]*", "foo\\*", "!", "/"])
def test_other_syntax_is_rejected(line: str) -> None:
    with pytest.raises(UnsupportedPattern):
        parse_rule(line)


def test_comments_and_blank_lines_are_no_rules() -> None:
    assert rules("# a comment", "", "   ") == []


def _project(tmp_path: Path) -> Path:
    (tmp_path / ".dockerignore").write_text("*\n!app\n**/__pycache__\n")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "main.py").write_text("print('hi')\n")
    (tmp_path / "app" / "__pycache__").mkdir()
    (tmp_path / "app" / "__pycache__" / "main.pyc").write_bytes(b"\0")
    (tmp_path / "notes.txt").write_text("not in the context\n")
    (tmp_path / "Containerfile").write_text("FROM scratch\nCOPY app/ /app/\n")
    return tmp_path


def test_context_files_are_what_the_dockerignore_lets_in(tmp_path: Path) -> None:
    root = _project(tmp_path)
    assert list(context_files(root, read_rules(root / ".dockerignore"))) == ["app/main.py"]


def test_digest_changes_with_the_context_only(tmp_path: Path) -> None:
    root = _project(tmp_path)
    containerfile = root / "Containerfile"
    first = context_digest(root, containerfile)
    assert context_digest(root, containerfile) == first

    (root / "notes.txt").write_text("edited, still outside the context\n")
    (root / "app" / "__pycache__" / "main.pyc").write_bytes(b"\1")
    assert context_digest(root, containerfile) == first

    (root / "app" / "main.py").write_text("print('changed')\n")
    second = context_digest(root, containerfile)
    assert second != first

    (root / "app" / "main.py").chmod(0o755)
    third = context_digest(root, containerfile)
    assert third != second

    containerfile.write_text("FROM scratch\nCOPY app/ /srv/\n")
    fourth = context_digest(root, containerfile)
    assert fourth != third

    (root / ".dockerignore").write_text("*\n!app\n!notes.txt\n**/__pycache__\n")
    fifth = context_digest(root, containerfile)
    assert fifth != fourth

    assert context_digest(root, containerfile, extra=("base=other",)) != fifth


def test_repository_dockerignore_is_readable_and_keeps_tests_out() -> None:
    root = Path(__file__).resolve().parents[3]
    files = list(context_files(root, read_rules(root / ".dockerignore")))
    assert "models/all-pdq.tar.gz" in files or not (root / "models/all-pdq.tar.gz").exists()
    assert "web/chat/index.html" in files
    assert not [path for path in files if path.startswith(("tests/", "var/", ".venv/", "eval/"))]
