"""One build: curated inputs + page text -> the generated knowledge files, checked, with what changed.

:func:`build` never writes; ``__main__`` decides whether to write or only compare (``--check``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from knowledge_builder.changes import Changes, compare
from knowledge_builder.curated import load_curated, parse_yaml
from knowledge_builder.cutting import cut
from knowledge_builder.emit import aliases_yml, drugs_yml, glossary_yml, risk_groups_yml, sections_yml
from knowledge_builder.errors import KnowledgeBuildError
from knowledge_builder.references import Reference, dangling, pointing_at, references
from knowledge_builder.source_text import body, normalise, page_text, updated
from knowledge_builder.structure import structure_changes
from knowledge_builder.verify import verify

CURATED_DIR = "curated"


@dataclass(frozen=True)
class BuildResult:
    outputs: dict[str, str]  # generated file name (in the knowledge directory) -> its text
    changes: Changes  # against the sections.yml in the knowledge directory
    source_file: Path  # where the page text lives in the knowledge directory
    page_text: str  # the page text read (flattened, when the source was HTML)
    attention: list[str]  # what points at changed text: for a person to re-read, not an error


def _listed(refs: list[Reference]) -> str:
    return "".join(f"\n    - {ref.where}" for ref in refs) or "\n    (nothing points at it)"


def _read_committed(path: Path) -> Any:
    return parse_yaml(path.read_text(encoding="utf-8")) if path.is_file() else None


def _attention(changes: Changes, refs: list[Reference]) -> list[str]:
    lines = []
    for section in changes.sections:
        old_texts = [old for old, _ in section.changed] + section.removed
        quoting = [
            r
            for r in pointing_at(refs, section.section)
            if r.text and any(old in r.text or r.text in old for old in old_texts)
        ]
        lines += [f"{ref.where} quotes changed or removed text of {section.section!r}" for ref in quoting]
        citing = [r for r in pointing_at(refs, section.section) if r not in quoting]
        if citing:
            lines.append(f"{section.section!r} changed; {len(citing)} entries cite it:{_listed(citing)}")
    return lines


def build(knowledge_dir: Path, source: Path | None = None, code_dirs: Iterable[Path] = ()) -> BuildResult:
    """Build the knowledge files from ``source`` (default: the committed page text) and ``knowledge_dir``/curated.

    Raises :class:`KnowledgeBuildError` listing what is wrong: a section the page no longer has (and what
    points at it), a new section the spec does not place, text the spec and the page disagree on, a curated
    entry whose text is gone, or anything that points at a section that no longer exists.
    """
    curated = load_curated(knowledge_dir / CURATED_DIR)
    source_file = knowledge_dir / curated.source.file
    text = page_text(source or source_file)
    normalised = normalise(text)
    spec_ids = {s.id for s in curated.sections}
    refs = references(curated, knowledge_dir, code_dirs, spec_ids)

    start = normalised.find(curated.source.body_start)
    if start >= 0:
        structure = structure_changes(normalised, start, curated.sections)
        problems = [
            f"section {s.id!r} ({s.heading!r}) is no longer on the page: remove it from curated/spec.yml and "
            f"update what points at it:{_listed(pointing_at(refs, s.id))}"
            for s in structure.removed
        ]
        problems += [
            f"new section {heading!r} (under {parent or 'the top level'}): curated/spec.yml must say where it goes "
            "(add an entry with its id, heading, parent and blocks)"
            for parent, heading in structure.added
        ]
        if problems:
            raise KnowledgeBuildError(problems)

    try:
        sections = cut(body(normalised, curated.source.body_start, curated.source.body_end), curated.sections)
    except KnowledgeBuildError as error:
        if error.section is None:
            raise
        raise KnowledgeBuildError(
            [*error.problems, f"entries pointing at {error.section!r}:{_listed(pointing_at(refs, error.section))}"],
            section=error.section,
        ) from None
    changes = compare(_read_committed(knowledge_dir / "sections.yml"), sections)
    try:
        verify(curated, sections, text)
    except KnowledgeBuildError as error:  # say what changed on the page that the curated entries no longer find
        raise KnowledgeBuildError(
            [*error.problems, *(f"the page changed: {line}" for line in changes.report())]
        ) from None
    gone = dangling(refs, {s.id for s in sections})
    if gone:
        raise KnowledgeBuildError([f"{ref.where}: section {ref.section!r} does not exist" for ref in gone])

    date = updated(normalised)
    outputs = {
        "sections.yml": sections_yml(curated, sections, date),
        "glossary.yml": glossary_yml(curated),
        "drugs.yml": drugs_yml(curated, sections),
        "risk_groups.yml": risk_groups_yml(curated, sections),
        "aliases.yml": aliases_yml(curated),
    }
    for name, output in outputs.items():
        try:
            parse_yaml(output)
        except yaml.YAMLError as exc:  # a bug in emit, not in the data
            raise KnowledgeBuildError(f"generated {name} is not valid YAML: {exc}") from None
    return BuildResult(outputs, changes, source_file, text, _attention(changes, refs))
