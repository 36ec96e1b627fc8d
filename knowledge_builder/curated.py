"""Load the curated inputs in knowledge/curated/ (source.yml, spec.yml, glossary.yml, drugs.yml, aliases.yml,
risk_groups.yml) into typed objects.

Every field documented at the top of each file is honoured; anything else (an unknown field, a missing
required field, a value of the wrong type) raises :class:`KnowledgeBuildError` naming the file and the entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from knowledge_builder.errors import KnowledgeBuildError

DRUG_CATEGORIES = ("chemotherapy", "immunotherapy", "targeted therapy")
ALIAS_KINDS = ("abbreviation", "synonym", "misspelling", "brand")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
CRITERIA_KEYS = ("combine", "age_years_min", "age_years_below", "wbc_per_microliter_min", "wbc_per_microliter_below")


@dataclass(frozen=True)
class SourceInfo:
    title: str
    publisher: str
    author: str
    url: str
    file: str
    body_start: str
    body_end: str


@dataclass(frozen=True)
class Paragraph:
    """A paragraph from the cursor up to and including the first ``ends_with``."""

    ends_with: str


@dataclass(frozen=True)
class Figure:
    """An image caption after the word "Enlarge", up to and including ``ends_with``."""

    ends_with: str


@dataclass(frozen=True)
class ListBlock:
    lead: str | None
    items: tuple[str, ...]


@dataclass(frozen=True)
class Labelled:
    """A bold-label entry "<label>: <text>"; the text runs up to and including ``ends_with``."""

    label: str
    ends_with: str


@dataclass(frozen=True)
class Omitted:
    """Source text deliberately not represented as a block; ``reason`` is written next to it."""

    text: str
    reason: str


BlockSpec = Paragraph | Figure | ListBlock | Labelled | Omitted


@dataclass(frozen=True)
class SectionSpec:
    id: str
    heading: str
    parent: str | None
    blocks: tuple[BlockSpec, ...]
    skip_after_heading: str | None = None


@dataclass(frozen=True)
class GlossaryTerm:
    id: str
    term: str
    section: str
    sentence: str


@dataclass(frozen=True)
class DrugSpec:
    id: str
    name: str
    category: str


@dataclass(frozen=True)
class AliasSpec:
    alias: str
    target: str
    kind: str
    case_sensitive: bool = False


@dataclass(frozen=True)
class RiskGroupSpec:
    id: str
    name: str
    criteria: tuple[tuple[str, Any], ...]  # in file order: the emitted flow mapping keeps it
    other_criteria: tuple[str, ...] = ()


@dataclass(frozen=True)
class RiskGroupsSpec:
    section: str
    groups_lead: str
    other_factors_lead: str
    groups: tuple[RiskGroupSpec, ...]


@dataclass(frozen=True)
class Curated:
    source: SourceInfo
    sections: tuple[SectionSpec, ...]
    glossary: tuple[GlossaryTerm, ...]
    drugs: tuple[DrugSpec, ...]
    aliases: tuple[AliasSpec, ...]
    risk_groups: RiskGroupsSpec


class _Entry:
    """One mapping of one file, read field by field; :meth:`done` rejects the fields nobody asked for."""

    def __init__(self, file: str, entry: str, raw: Any) -> None:
        file = f"curated/{file}"
        if not isinstance(raw, Mapping):
            raise KnowledgeBuildError(f"{file}: {entry}: must be a mapping, got {raw!r}")
        self.file, self.entry, self.raw = file, entry, raw
        self.used: set[str] = set()

    def fail(self, problem: str) -> KnowledgeBuildError:
        return KnowledgeBuildError(f"{self.file}: {self.entry}: {problem}")

    def text(self, key: str, *, optional: bool = False, nullable: bool = False) -> Any:
        self.used.add(key)
        if key not in self.raw:
            if optional:
                return None
            raise self.fail(f"missing required field {key!r}")
        value = self.raw[key]
        if value is None and nullable:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"field {key!r} must be non-empty text, got {value!r}")
        return value

    def value(self, key: str, kind: type, *, optional: bool = False) -> Any:
        self.used.add(key)
        if key not in self.raw:
            if optional:
                return None
            raise self.fail(f"missing required field {key!r}")
        value = self.raw[key]
        if not isinstance(value, kind):
            raise self.fail(f"field {key!r} must be a {kind.__name__}, got {value!r}")
        return value

    def done(self) -> None:
        unknown = sorted(str(key) for key in self.raw if key not in self.used)
        if unknown:
            raise self.fail(f"unknown field(s) {', '.join(unknown)}")


def parse_yaml(text: str) -> Any:
    """``text`` parsed as YAML, with the C loader when PyYAML has it."""
    return yaml.load(text, Loader=_LOADER)


def _read(directory: Path, file: str) -> Any:
    try:
        return parse_yaml((directory / file).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KnowledgeBuildError(f"curated/{file}: file is missing from {directory}") from None
    except yaml.YAMLError as exc:
        raise KnowledgeBuildError(f"curated/{file}: is not valid YAML: {exc}") from None


def _top(directory: Path, file: str, key: str) -> list[Any]:
    top = _Entry(file, "(top level)", _read(directory, file))
    items: list[Any] = top.value(key, list)
    top.done()
    return items


def _source(directory: Path) -> SourceInfo:
    e = _Entry("source.yml", "(top level)", _read(directory, "source.yml"))
    info = SourceInfo(**{name: e.text(name) for name in SourceInfo.__dataclass_fields__})
    e.done()
    return info


def _block(file: str, entry: str, raw: Any) -> BlockSpec:
    if not isinstance(raw, Mapping) or len(raw) != 1:
        raise KnowledgeBuildError(
            f"curated/{file}: {entry}: a block is exactly one of paragraph/figure/list/labelled/omitted, got {raw!r}"
        )
    kind, body = next(iter(raw.items()))
    e = _Entry(file, f"{entry} {kind} block", body)
    block: BlockSpec
    if kind == "paragraph":
        block = Paragraph(e.text("ends_with"))
    elif kind == "figure":
        block = Figure(e.text("ends_with"))
    elif kind == "labelled":
        block = Labelled(e.text("label"), e.text("ends_with"))
    elif kind == "omitted":
        block = Omitted(e.text("text"), e.text("reason"))
    elif kind == "list":
        lead = e.text("lead", nullable=True)
        items = e.value("items", list)
        if not items or not all(isinstance(item, str) and item.strip() for item in items):
            raise e.fail("items must be a non-empty list of non-empty texts")
        block = ListBlock(lead, tuple(items))
    else:
        raise KnowledgeBuildError(f"curated/{file}: {entry}: unknown block kind {kind!r}")
    e.done()
    return block


def _sections(directory: Path) -> tuple[SectionSpec, ...]:
    file = "spec.yml"
    specs: list[SectionSpec] = []
    for index, raw in enumerate(_top(directory, file, "sections")):
        e = _Entry(file, f"sections[{index}]", raw)
        section_id = e.text("id")
        e.entry = f"section {section_id!r}"
        blocks = e.value("blocks", list)
        specs.append(
            SectionSpec(
                id=section_id,
                heading=e.text("heading"),
                parent=e.text("parent", nullable=True),
                skip_after_heading=e.text("skip_after_heading", optional=True),
                blocks=tuple(_block(file, e.entry, block) for block in blocks),
            )
        )
        e.done()
    ids = [spec.id for spec in specs]
    for spec in specs:
        if ids.count(spec.id) > 1:
            raise KnowledgeBuildError(f"curated/{file}: section {spec.id!r}: duplicate id")
        if spec.parent is not None and spec.parent not in ids[: ids.index(spec.id)]:
            raise KnowledgeBuildError(
                f"curated/{file}: section {spec.id!r}: parent {spec.parent!r} is not a section before it"
            )
    return tuple(specs)


def _glossary(directory: Path) -> tuple[GlossaryTerm, ...]:
    terms = []
    for index, raw in enumerate(_top(directory, "glossary.yml", "terms")):
        e = _Entry("glossary.yml", f"terms[{index}]", raw)
        e.entry = f"term {e.text('id')!r}"
        terms.append(GlossaryTerm(e.text("id"), e.text("term"), e.text("section"), e.text("sentence")))
        e.done()
    return tuple(terms)


def _drugs(directory: Path) -> tuple[DrugSpec, ...]:
    drugs = []
    for index, raw in enumerate(_top(directory, "drugs.yml", "drugs")):
        e = _Entry("drugs.yml", f"drugs[{index}]", raw)
        e.entry = f"drug {e.text('id')!r}"
        drug = DrugSpec(e.text("id"), e.text("name"), e.text("category"))
        if drug.category not in DRUG_CATEGORIES:
            raise e.fail(f"category must be one of {DRUG_CATEGORIES}, got {drug.category!r}")
        e.done()
        drugs.append(drug)
    return tuple(drugs)


def _aliases(directory: Path) -> tuple[AliasSpec, ...]:
    aliases = []
    for index, raw in enumerate(_top(directory, "aliases.yml", "aliases")):
        e = _Entry("aliases.yml", f"aliases[{index}]", raw)
        e.entry = f"alias {e.text('alias')!r}"
        alias = AliasSpec(
            e.text("alias"), e.text("target"), e.text("kind"), bool(e.value("case_sensitive", bool, optional=True))
        )
        if alias.kind not in ALIAS_KINDS:
            raise e.fail(f"kind must be one of {ALIAS_KINDS}, got {alias.kind!r}")
        e.done()
        aliases.append(alias)
    return tuple(aliases)


def _risk_groups(directory: Path) -> RiskGroupsSpec:
    file = "risk_groups.yml"
    top = _Entry(file, "(top level)", _read(directory, file))
    groups = []
    for index, raw in enumerate(top.value("groups", list)):
        e = _Entry(file, f"groups[{index}]", raw)
        e.entry = f"group {e.text('id')!r}"
        criteria = e.value("criteria", dict)
        unknown = [key for key in criteria if key not in CRITERIA_KEYS]
        if unknown or criteria.get("combine") not in ("all", "any"):
            raise e.fail(f"criteria must have combine (all | any) and only {CRITERIA_KEYS}, got {criteria!r}")
        if not all(isinstance(v, int) for k, v in criteria.items() if k != "combine"):
            raise e.fail(f"criteria numbers must be whole numbers, got {criteria!r}")
        other = e.value("other_criteria", list, optional=True) or []
        if not all(isinstance(item, str) and item.strip() for item in other):
            raise e.fail("other_criteria must be a list of non-empty texts")
        groups.append(RiskGroupSpec(e.text("id"), e.text("name"), tuple(criteria.items()), tuple(other)))
        e.done()
    spec = RiskGroupsSpec(
        section=top.text("section"),
        groups_lead=top.text("groups_lead"),
        other_factors_lead=top.text("other_factors_lead"),
        groups=tuple(groups),
    )
    top.done()
    return spec


def load_curated(directory: Path) -> Curated:
    """Read and check the shape of every curated file in ``directory`` (knowledge/curated/)."""
    return Curated(
        source=_source(directory),
        sections=_sections(directory),
        glossary=_glossary(directory),
        drugs=_drugs(directory),
        aliases=_aliases(directory),
        risk_groups=_risk_groups(directory),
    )
