"""Load and validate the PDQ knowledge base in ``knowledge/``.

The knowledge base is data: ``sections.yml`` (every PDQ section, verbatim), ``glossary.yml``,
``drugs.yml``, ``risk_groups.yml``, ``aliases.yml`` and ``topics.yml`` (which intent answers from
which section). :func:`load_knowledge_base` reads them into immutable objects and raises
:class:`KnowledgeBaseError` naming the file and the entry when anything is malformed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from actions.verbatim import is_verbatim_in_any

KNOWLEDGE_DIR = Path(__file__).resolve().parent.parent / "knowledge"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
DRUG_CATEGORIES = ("chemotherapy", "immunotherapy", "targeted therapy")
TARGET_KINDS = ("drug", "term", "section")
ALIAS_KINDS = ("abbreviation", "synonym", "misspelling", "brand")
ALIAS_FIELDS = ("alias", "target", "kind", "case_sensitive")


class KnowledgeBaseError(ValueError):
    """The knowledge base files are malformed; the message names the file and the entry."""

    def __init__(self, file: str, entry: str, problem: str) -> None:
        super().__init__(f"{file}: {entry}: {problem}")
        self.file = file
        self.entry = entry
        self.problem = problem


@dataclass(frozen=True)
class Block:
    """One piece of a section: a paragraph, a list (lead + items), a labelled entry or a figure caption."""

    kind: str
    text: str = ""
    lead: str | None = None
    items: tuple[str, ...] = ()
    label: str | None = None

    def texts(self) -> Iterator[str]:
        """Every verbatim PDQ string in this block, in reading order."""
        if self.kind == "list":
            if self.lead:
                yield self.lead
            yield from self.items
        else:
            if self.label:
                yield f"{self.label}: {self.text}"
            elif self.text:
                yield self.text


@dataclass(frozen=True)
class Section:
    id: str
    heading: str
    parent: str | None
    url: str
    updated: dt.date
    blocks: tuple[Block, ...]
    children: tuple[str, ...] = ()

    def texts(self) -> Iterator[str]:
        for block in self.blocks:
            yield from block.texts()

    @property
    def full_text(self) -> str:
        return " ".join(self.texts())


@dataclass(frozen=True)
class GlossaryEntry:
    id: str
    term: str
    section: str
    sentence: str


@dataclass(frozen=True)
class DrugMention:
    section: str
    text: str


@dataclass(frozen=True)
class Drug:
    id: str
    name: str
    category: str
    mentions: tuple[DrugMention, ...]


@dataclass(frozen=True)
class Alias:
    """A name people use for a drug, term or section; ``case_sensitive`` names match only as capitalised."""

    alias: str
    target_kind: str
    target_id: str
    kind: str
    case_sensitive: bool = False


@dataclass(frozen=True)
class RiskGroup:
    id: str
    name: str
    definition: str
    criteria: Mapping[str, Any]


@dataclass(frozen=True)
class RiskGroups:
    section: str
    groups: tuple[RiskGroup, ...]
    other_factors_lead: str
    other_factors: tuple[str, ...]


@dataclass(frozen=True)
class Topic:
    """Which section answers an intent, optionally refined by an entity value."""

    intent: str
    section: str
    entity: str | None = None
    by_entity: Mapping[str, str] = field(default_factory=dict)
    family: str | None = None
    refine_with: str | None = None
    by_text: Mapping[str, str] = field(default_factory=dict)
    # False for a section that lists pages to read by the names of topics answered elsewhere (related
    # resources): the retrievers' agreement on the named topic's section is no evidence against it.
    overruled_by_search: bool = True


@dataclass(frozen=True)
class Source:
    title: str
    publisher: str
    author: str
    url: str
    updated: dt.date
    file: str


@dataclass(frozen=True)
class KnowledgeBase:
    source: Source
    sections: Mapping[str, Section]
    glossary: Mapping[str, GlossaryEntry]
    drugs: Mapping[str, Drug]
    aliases: tuple[Alias, ...]
    risk_groups: RiskGroups
    topics: Mapping[str, Topic]

    def section(self, section_id: str) -> Section:
        """The section with this id; KeyError if there is none."""
        return self.sections[section_id]

    def section_by_heading(self, heading: str) -> Section | None:
        wanted = heading.strip().casefold()
        for section in self.sections.values():
            if section.heading.casefold() == wanted:
                return section
        return None


def _read_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_LOADER)
    except FileNotFoundError:
        raise KnowledgeBaseError(path.name, "(file)", "file is missing") from None
    except yaml.YAMLError as exc:
        raise KnowledgeBaseError(path.name, "(file)", f"is not valid YAML: {exc}") from None


def _require(value: Any, file: str, entry: str, key: str, kind: type | tuple[type, ...] = str) -> Any:
    if not isinstance(value, Mapping) or key not in value:
        raise KnowledgeBaseError(file, entry, f"missing required field {key!r}")
    found = value[key]
    if not isinstance(found, kind) or (isinstance(found, str) and not found.strip()):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise KnowledgeBaseError(file, entry, f"field {key!r} must be a non-empty {names}, got {found!r}")
    return found


def _as_date(value: Any, file: str, entry: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise KnowledgeBaseError(file, entry, f"'updated' is not a YYYY-MM-DD date: {value!r}") from None


def _parse_block(raw: Any, file: str, entry: str) -> Block:
    if not isinstance(raw, Mapping) or len(raw) != 1:
        raise KnowledgeBaseError(
            file, entry, f"a block must have exactly one of paragraph/list/labelled/figure: {raw!r}"
        )
    kind, body = next(iter(raw.items()))
    if kind in ("paragraph", "figure"):
        if not isinstance(body, str) or not body.strip():
            raise KnowledgeBaseError(file, entry, f"{kind} block must be non-empty text")
        return Block(kind=kind, text=body.strip())
    if kind == "list":
        items = _require(body, file, entry, "items", list)
        if not all(isinstance(item, str) and item.strip() for item in items):
            raise KnowledgeBaseError(file, entry, "list items must be non-empty strings")
        lead = body.get("lead")
        if lead is not None and not isinstance(lead, str):
            raise KnowledgeBaseError(file, entry, "list lead must be text or null")
        return Block(kind="list", lead=lead, items=tuple(item.strip() for item in items))
    if kind == "labelled":
        return Block(
            kind="labelled",
            label=_require(body, file, entry, "label"),
            text=_require(body, file, entry, "text"),
        )
    raise KnowledgeBaseError(file, entry, f"unknown block kind {kind!r}")


def _load_sections(directory: Path) -> tuple[Source, dict[str, Section]]:
    file = "sections.yml"
    raw = _read_yaml(directory / file)
    source_raw = _require(raw, file, "(top level)", "source", Mapping)
    source = Source(
        title=_require(source_raw, file, "source", "title"),
        publisher=_require(source_raw, file, "source", "publisher"),
        author=_require(source_raw, file, "source", "author"),
        url=_require(source_raw, file, "source", "url"),
        updated=_as_date(source_raw.get("updated"), file, "source"),
        file=_require(source_raw, file, "source", "file"),
    )
    sections: dict[str, Section] = {}
    for index, item in enumerate(_require(raw, file, "(top level)", "sections", list)):
        entry = f"sections[{index}]"
        section_id = _require(item, file, entry, "id")
        entry = f"section {section_id!r}"
        if section_id in sections:
            raise KnowledgeBaseError(file, entry, "duplicate id")
        url = _require(item, file, entry, "url")
        if not url.startswith(source.url):
            raise KnowledgeBaseError(file, entry, f"url must start with the page URL {source.url}")
        blocks = item.get("blocks")
        if not isinstance(blocks, list):
            raise KnowledgeBaseError(file, entry, "missing required field 'blocks' (a list, may be empty)")
        parent = item.get("parent")
        if parent is not None and not isinstance(parent, str):
            raise KnowledgeBaseError(file, entry, "parent must be a section id or null")
        sections[section_id] = Section(
            id=section_id,
            heading=_require(item, file, entry, "heading"),
            parent=parent,
            url=url,
            updated=_as_date(item.get("updated"), file, entry),
            blocks=tuple(_parse_block(block, file, entry) for block in blocks),
        )
    for section in list(sections.values()):
        if section.parent is not None and section.parent not in sections:
            raise KnowledgeBaseError(file, f"section {section.id!r}", f"parent {section.parent!r} does not exist")
    children: dict[str, list[str]] = {}
    for section in sections.values():
        if section.parent:
            children.setdefault(section.parent, []).append(section.id)
    for parent_id, child_ids in children.items():
        parent = sections[parent_id]
        sections[parent_id] = Section(**{**parent.__dict__, "children": tuple(child_ids)})
    return source, sections


def _check_section(file: str, entry: str, section_id: str, sections: Mapping[str, Section]) -> Section:
    if section_id not in sections:
        raise KnowledgeBaseError(file, entry, f"section {section_id!r} does not exist")
    return sections[section_id]


def _contains(section: Section, text: str) -> bool:
    """Whether ``text`` is verbatim (ignoring whitespace) inside one block of ``section``."""
    return is_verbatim_in_any(text, (" ".join(block.texts()) for block in section.blocks))


def _load_glossary(directory: Path, sections: Mapping[str, Section]) -> dict[str, GlossaryEntry]:
    file = "glossary.yml"
    glossary: dict[str, GlossaryEntry] = {}
    raw = _read_yaml(directory / file)
    if not isinstance(raw, list):
        raise KnowledgeBaseError(file, "(top level)", "must be a list of terms")
    for index, item in enumerate(raw):
        term_id = _require(item, file, f"entry {index}", "id")
        entry = f"term {term_id!r}"
        if term_id in glossary:
            raise KnowledgeBaseError(file, entry, "duplicate id")
        term = GlossaryEntry(
            id=term_id,
            term=_require(item, file, entry, "term"),
            section=_require(item, file, entry, "section"),
            sentence=_require(item, file, entry, "sentence"),
        )
        section = _check_section(file, entry, term.section, sections)
        if not _contains(section, term.sentence):
            raise KnowledgeBaseError(file, entry, f"sentence is not in section {term.section!r}")
        glossary[term_id] = term
    return glossary


def _load_drugs(directory: Path, sections: Mapping[str, Section]) -> dict[str, Drug]:
    file = "drugs.yml"
    drugs: dict[str, Drug] = {}
    raw = _read_yaml(directory / file)
    if not isinstance(raw, list):
        raise KnowledgeBaseError(file, "(top level)", "must be a list of drugs")
    for index, item in enumerate(raw):
        drug_id = _require(item, file, f"entry {index}", "id")
        entry = f"drug {drug_id!r}"
        if drug_id in drugs:
            raise KnowledgeBaseError(file, entry, "duplicate id")
        category = _require(item, file, entry, "category")
        if category not in DRUG_CATEGORIES:
            raise KnowledgeBaseError(file, entry, f"category must be one of {DRUG_CATEGORIES}, got {category!r}")
        mentions = []
        for mention in _require(item, file, entry, "mentions", list):
            section = _check_section(file, entry, _require(mention, file, entry, "section"), sections)
            text = _require(mention, file, entry, "text")
            if not _contains(section, text):
                raise KnowledgeBaseError(file, entry, f"mention {text!r} is not in section {section.id!r}")
            mentions.append(DrugMention(section=section.id, text=text))
        if not mentions:
            raise KnowledgeBaseError(file, entry, "needs at least one mention")
        drugs[drug_id] = Drug(
            id=drug_id, name=_require(item, file, entry, "name"), category=category, mentions=tuple(mentions)
        )
    return drugs


def _load_aliases(
    directory: Path, sections: Mapping[str, Section], glossary: Mapping[str, Any], drugs: Mapping[str, Any]
) -> tuple[Alias, ...]:
    file = "aliases.yml"
    raw = _read_yaml(directory / file)
    if not isinstance(raw, list):
        raise KnowledgeBaseError(file, "(top level)", "must be a list of aliases")
    known = {"section": sections, "term": glossary, "drug": drugs}
    aliases: list[Alias] = []
    seen: dict[str, str] = {}
    for index, item in enumerate(raw):
        alias = str(_require(item, file, f"entry {index}", "alias", (str, int)))
        entry = f"alias {alias!r}"
        target = _require(item, file, entry, "target")
        target_kind, _, target_id = target.partition(":")
        if target_kind not in TARGET_KINDS or target_id not in known[target_kind]:
            raise KnowledgeBaseError(file, entry, f"target {target!r} does not exist")
        kind = _require(item, file, entry, "kind")
        if kind not in ALIAS_KINDS:
            raise KnowledgeBaseError(file, entry, f"kind must be one of {ALIAS_KINDS}, got {kind!r}")
        unknown = sorted(str(key) for key in item if key not in ALIAS_FIELDS)
        if unknown:
            raise KnowledgeBaseError(file, entry, f"unknown field(s) {', '.join(unknown)}")
        case_sensitive = item.get("case_sensitive", False)
        if not isinstance(case_sensitive, bool):
            raise KnowledgeBaseError(file, entry, f"case_sensitive must be true or false, got {case_sensitive!r}")
        previous = seen.setdefault(alias.casefold(), target)
        if previous != target:
            raise KnowledgeBaseError(file, entry, f"maps to both {previous!r} and {target!r}")
        aliases.append(
            Alias(alias=alias, target_kind=target_kind, target_id=target_id, kind=kind, case_sensitive=case_sensitive)
        )
    return tuple(aliases)


def _load_risk_groups(directory: Path, sections: Mapping[str, Section]) -> RiskGroups:
    file = "risk_groups.yml"
    raw = _read_yaml(directory / file)
    section = _check_section(file, "(top level)", _require(raw, file, "(top level)", "section"), sections)
    groups = []
    for index, item in enumerate(_require(raw, file, "(top level)", "groups", list)):
        group_id = _require(item, file, f"groups[{index}]", "id")
        entry = f"group {group_id!r}"
        definition = _require(item, file, entry, "definition")
        if not _contains(section, definition):
            raise KnowledgeBaseError(file, entry, f"definition is not in section {section.id!r}")
        groups.append(
            RiskGroup(
                id=group_id,
                name=_require(item, file, entry, "name"),
                definition=definition,
                criteria=_require(item, file, entry, "criteria", Mapping),
            )
        )
    other = _require(raw, file, "(top level)", "other_factors", list)
    return RiskGroups(
        section=section.id,
        groups=tuple(groups),
        other_factors_lead=_require(raw, file, "(top level)", "other_factors_lead"),
        other_factors=tuple(other),
    )


_TOPIC_FIELDS = frozenset({"section", "entity", "by_entity", "family", "refine_with", "by_text", "overruled_by_search"})


def _overruled_by_search(spec: Mapping[str, Any], file: str, entry: str) -> bool:
    value = spec.get("overruled_by_search", True)
    if not isinstance(value, bool):
        raise KnowledgeBaseError(file, entry, f"overruled_by_search must be true or false, got {value!r}")
    return value


def _load_topics(directory: Path, sections: Mapping[str, Section]) -> dict[str, Topic]:
    file = "topics.yml"
    raw = _read_yaml(directory / file)
    if not isinstance(raw, Mapping) or not isinstance(raw.get("topics"), Mapping):
        raise KnowledgeBaseError(file, "(top level)", "must have a 'topics' mapping of intent -> section")
    topics: dict[str, Topic] = {}
    for intent, spec in raw["topics"].items():
        entry = f"intent {intent!r}"
        if isinstance(spec, str):
            spec = {"section": spec}
        if not isinstance(spec, Mapping) or not set(spec) <= _TOPIC_FIELDS:
            raise KnowledgeBaseError(file, entry, f"expected a section id or a mapping of {sorted(_TOPIC_FIELDS)}")
        section_id = _require(spec, file, entry, "section")
        _check_section(file, entry, section_id, sections)
        by_entity = spec.get("by_entity") or {}
        for value, target in by_entity.items():
            _check_section(file, f"{entry} value {value!r}", target, sections)
        by_text = spec.get("by_text") or {}
        for value, target in by_text.items():
            _check_section(file, f"{entry} phrase {value!r}", target, sections)
        family = spec.get("family")
        if family is not None:
            _check_section(file, entry, family, sections)
        topics[intent] = Topic(
            intent=intent,
            section=section_id,
            entity=spec.get("entity"),
            by_entity={str(k).casefold(): v for k, v in by_entity.items()},
            family=family,
            refine_with=spec.get("refine_with"),
            by_text={str(k).casefold(): v for k, v in by_text.items()},
            overruled_by_search=_overruled_by_search(spec, file, entry),
        )
    for topic in topics.values():
        if topic.refine_with is not None and topic.refine_with not in topics:
            raise KnowledgeBaseError(
                file, f"intent {topic.intent!r}", f"refine_with {topic.refine_with!r} is not a topic"
            )
    return topics


def load_knowledge_base(directory: Path = KNOWLEDGE_DIR) -> KnowledgeBase:
    """Read and validate every knowledge file in ``directory``."""
    source, sections = _load_sections(directory)
    glossary = _load_glossary(directory, sections)
    drugs = _load_drugs(directory, sections)
    return KnowledgeBase(
        source=source,
        sections=sections,
        glossary=glossary,
        drugs=drugs,
        aliases=_load_aliases(directory, sections, glossary, drugs),
        risk_groups=_load_risk_groups(directory, sections),
        topics=_load_topics(directory, sections),
    )


@lru_cache(maxsize=1)
def default_knowledge_base() -> KnowledgeBase:
    """The project's knowledge base, loaded once per process."""
    return load_knowledge_base(KNOWLEDGE_DIR)
