"""Everything in the project that points at a section of the summary (or quotes its text).

A new version of the page must not leave an intent, alias, glossary term, drug, risk group, gap or a
section id named in the actions' code pointing at a section that no longer exists. :func:`references` lists
them; :func:`dangling` returns the ones whose section is gone.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from knowledge_builder.curated import Curated, parse_yaml


@dataclass(frozen=True)
class Reference:
    where: str  # "<file>: <entry>"
    section: str
    text: str | None = None  # the quoted source text, when the reference quotes one


def _yaml(path: Path) -> Any:
    return parse_yaml(path.read_text(encoding="utf-8")) if path.is_file() else None


def _topics(path: Path) -> Iterable[Reference]:
    raw = _yaml(path) or {}
    for intent, spec in (raw.get("topics") or {}).items():
        where = f"{path.name}: intent {intent!r}"
        if isinstance(spec, str):
            yield Reference(where, spec)
            continue
        for key in ("section", "family"):
            if spec.get(key):
                yield Reference(where, spec[key])
        for mapping in ("by_entity", "by_text"):
            for value, section in (spec.get(mapping) or {}).items():
                yield Reference(f"{where} {mapping} {value!r}", section)


def _gaps(path: Path) -> Iterable[Reference]:
    raw = _yaml(path) or {}
    for name, gap in (raw.get("gaps") or {}).items():
        for section in gap.get("nearest") or []:
            yield Reference(f"{path.name}: gap {name!r} nearest", section)


def _code(directories: Iterable[Path], section_ids: set[str]) -> Iterable[Reference]:
    """String literals in Python code that are (old) section ids, e.g. a safety category's section."""
    for directory in directories:
        for path in sorted(directory.rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in section_ids:
                    yield Reference(f"{path.parent.name}/{path.name}:{node.lineno}", node.value)


def references(
    curated: Curated, knowledge_dir: Path, code_dirs: Iterable[Path], section_ids: set[str]
) -> list[Reference]:
    """Every reference to a section: curated inputs, topics.yml, gaps.yml and code naming one of ``section_ids``."""
    terms: Mapping[str, str] = {t.id: t.section for t in curated.glossary}
    found = [Reference(f"curated/glossary.yml: term {t.id!r}", t.section, t.sentence) for t in curated.glossary]
    for alias in curated.aliases:
        kind, _, target = alias.target.partition(":")
        section = target if kind == "section" else terms.get(target) if kind == "term" else None
        if section:
            found.append(Reference(f"curated/aliases.yml: alias {alias.alias!r} -> {alias.target}", section))
    spec = curated.risk_groups
    for lead in (spec.groups_lead, spec.other_factors_lead):
        found.append(Reference(f"curated/risk_groups.yml: {lead!r}", spec.section, lead))
    found += _topics(knowledge_dir / "topics.yml")
    found += _gaps(knowledge_dir / "gaps.yml")
    found += _code(code_dirs, section_ids)
    return found


def pointing_at(refs: Iterable[Reference], section_id: str) -> list[Reference]:
    return [ref for ref in refs if ref.section == section_id]


def dangling(refs: Iterable[Reference], section_ids: set[str]) -> list[Reference]:
    """References to sections that are not in ``section_ids``."""
    return [ref for ref in refs if ref.section not in section_ids]
