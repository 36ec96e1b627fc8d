"""The build context as ``.dockerignore`` selects it, and a digest of it that decides whether to rebuild.

Only the pattern syntax our ``.dockerignore`` uses is supported: ``*`` and ``?`` within one path segment,
``**`` for any number of segments, a leading ``!`` to re-include, ``#`` comments and blank lines. A pattern
matches a path and everything below it; the last matching line wins (Docker's rules). Any other syntax
(character classes, escapes) raises :class:`UnsupportedPattern` instead of being read differently from
the builder.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path


class UnsupportedPattern(ValueError):
    """A ``.dockerignore`` line this module cannot read the way buildah and Docker do."""


@dataclass(frozen=True)
class Rule:
    """One ``.dockerignore`` line: ``pattern`` as a regular expression; ``include`` for ``!`` lines."""

    pattern: str
    regex: re.Pattern[str]
    include: bool

    def matches(self, path: str) -> bool:
        """Whether the rule matches ``path`` (POSIX, relative) or one of the folders above it."""
        parts = path.split("/")
        return any(self.regex.fullmatch("/".join(parts[:end])) for end in range(1, len(parts) + 1))


def _segment_regex(segment: str) -> str:
    if any(char in segment for char in "[]\\"):
        raise UnsupportedPattern(f"character classes and escapes are not supported: {segment!r}")
    return "".join("[^/]*" if char == "*" else "[^/]" if char == "?" else re.escape(char) for char in segment)


def parse_rule(line: str) -> Rule | None:
    """The rule of one ``.dockerignore`` line, or None for a blank line or a comment."""
    text = line.strip()
    if not text or text.startswith("#"):
        return None
    include = text.startswith("!")
    pattern = text[1:].strip() if include else text
    # Docker cleans patterns like paths: no leading "/" or "./", no trailing "/".
    pattern = os.path.normpath(pattern).lstrip("/")
    if pattern in ("", "."):
        raise UnsupportedPattern(f"empty pattern: {line!r}")
    pieces: list[str] = []
    for segment in pattern.split("/"):
        pieces.append("(?:[^/]+/)*" if segment == "**" else _segment_regex(segment) + "/")
    regex = "".join(pieces)
    # Drop the trailing separator of the last segment ("**" as the last segment matches everything below).
    regex = regex[:-1] if regex.endswith("/") else regex + "[^/]+(?:/[^/]+)*"
    return Rule(pattern, re.compile(regex), include)


def read_rules(dockerignore: Path) -> list[Rule]:
    """The rules of a ``.dockerignore`` file (none when it does not exist), in file order."""
    if not dockerignore.exists():
        return []
    return [rule for line in dockerignore.read_text().splitlines() if (rule := parse_rule(line)) is not None]


def is_excluded(path: str, rules: Iterable[Rule]) -> bool:
    """Whether ``path`` stays out of the build context: the last rule that matches it decides."""
    excluded = False
    for rule in rules:
        if rule.matches(path):
            excluded = not rule.include
    return excluded


def context_files(root: Path, rules: list[Rule]) -> Iterator[str]:
    """The files of the build context under ``root`` (relative POSIX paths, sorted); ``.git`` is never in it."""
    found: list[str] = []
    for folder, subfolders, files in os.walk(root):
        relative = Path(folder).relative_to(root).as_posix()
        subfolders[:] = sorted(name for name in subfolders if name != ".git")
        for name in files:
            path = name if relative == "." else f"{relative}/{name}"
            if not is_excluded(path, rules):
                found.append(path)
    yield from sorted(found)


def context_digest(root: Path, containerfile: Path, extra: Iterable[str] = ()) -> str:
    """SHA-256 over the Containerfile, ``.dockerignore``, every context file's path, executable bit and
    content, and the ``extra`` strings (build arguments, the base image's id): equal digests, equal builds."""
    digest = hashlib.sha256()
    dockerignore = root / ".dockerignore"
    for item in (containerfile.read_text(), dockerignore.read_text() if dockerignore.exists() else "", *extra):
        digest.update(b"extra\0" + item.encode() + b"\0")
    for path in context_files(root, read_rules(dockerignore)):
        file = root / path
        digest.update(b"file\0" + path.encode() + b"\0" + (b"x" if os.access(file, os.X_OK) else b"-"))
        digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()
