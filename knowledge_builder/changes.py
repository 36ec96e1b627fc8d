"""What a rebuild changes in sections.yml: sections added and removed, sentences changed, added, removed."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from knowledge_builder.cutting import CutSection, sentences


@dataclass
class SectionChanges:
    section: str
    changed: list[tuple[str, str]] = field(default_factory=list)  # (old sentence, new sentence)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


@dataclass
class Changes:
    added_sections: list[str] = field(default_factory=list)
    removed_sections: list[str] = field(default_factory=list)
    sections: list[SectionChanges] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added_sections or self.removed_sections or self.sections)

    def report(self) -> list[str]:
        lines = [f"section added: {s}" for s in self.added_sections]
        lines += [f"section removed: {s}" for s in self.removed_sections]
        for section in self.sections:
            lines += [f"{section.section}: changed: {old!r}\n    -> {new!r}" for old, new in section.changed]
            lines += [f"{section.section}: added: {text!r}" for text in section.added]
            lines += [f"{section.section}: removed: {text!r}" for text in section.removed]
        return lines


def _old_units(section: dict[str, Any]) -> list[str]:
    """The sentences / list texts of one section of a committed sections.yml (parsed YAML)."""
    units: list[str] = []
    for block in section.get("blocks") or []:
        (kind, value), *_ = block.items()
        if kind == "list":
            units += ([value["lead"]] if value["lead"] else []) + list(value["items"])
        elif kind == "labelled":
            units += sentences(value["text"])
        else:
            units += sentences(value)
    return units


def compare(old: dict[str, Any] | None, new: list[CutSection]) -> Changes:
    """Changes from ``old`` (the committed sections.yml, parsed; None when there is none) to ``new``."""
    old_sections = {s["id"]: s for s in (old or {}).get("sections", [])}
    new_sections = {s.id: s for s in new}
    changes = Changes(
        added_sections=[s for s in new_sections if s not in old_sections],
        removed_sections=[s for s in old_sections if s not in new_sections],
    )
    for section_id, section in new_sections.items():
        if section_id not in old_sections:
            continue
        before = _old_units(old_sections[section_id])
        after = [unit for block in section.blocks if block.kind != "omitted" for unit in block.units()]
        found = SectionChanges(section_id)
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes():
            if op == "replace":
                pairs = list(zip(before[i1:i2], after[j1:j2], strict=False))
                found.changed += pairs
                found.removed += before[i1 + len(pairs) : i2]
                found.added += after[j1 + len(pairs) : j2]
            elif op == "delete":
                found.removed += before[i1:i2]
            elif op == "insert":
                found.added += after[j1:j2]
        if found.changed or found.added or found.removed:
            changes.sections.append(found)
    return changes
