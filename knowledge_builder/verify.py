"""Check a build: every text verbatim in the source, every curated entry found where it says it is.

:func:`verify` collects every problem and raises one :class:`KnowledgeBuildError` listing them all (never
``assert``: the checks must hold under ``python -O`` too).
"""

from __future__ import annotations

import re

from actions.verbatim import VerbatimSource
from knowledge_builder.curated import Curated
from knowledge_builder.cutting import CutSection
from knowledge_builder.emit import drug_mentions
from knowledge_builder.errors import KnowledgeBuildError


def _risk_group_problems(curated: Curated, sections: dict[str, CutSection]) -> list[str]:
    spec = curated.risk_groups
    section = sections.get(spec.section)
    if section is None:
        return [f"curated/risk_groups.yml: section {spec.section!r} does not exist"]
    lists = {b.lead: b.items for b in section.blocks if b.kind == "list"}
    problems = [
        f"curated/risk_groups.yml: section {spec.section!r} has no list with the lead {lead!r}"
        for lead in (spec.groups_lead, spec.other_factors_lead)
        if lead not in lists
    ]
    for group, definition in zip(spec.groups, lists.get(spec.groups_lead, ()), strict=False):
        where = f"curated/risk_groups.yml: group {group.id!r}"
        if not definition.startswith(group.name + ":"):
            problems.append(f"{where}: the definition {definition[:60]!r} does not start with {group.name!r}:")
        for key, value in group.criteria:
            if key == "combine":
                continue
            shown = f"{value:,}" if key.startswith("wbc") else str(value)
            if not re.search(rf"\b{re.escape(shown)}\b", definition):
                problems.append(f"{where}: {key} {shown} is not printed in the definition")
        problems += [f"{where}: {f!r} is not in the definition" for f in group.other_criteria if f not in definition]
    return problems


def verify(curated: Curated, sections: list[CutSection], source: str) -> None:
    """Raise :class:`KnowledgeBuildError` listing every text that is not verbatim or not where it is cited."""
    verbatim = VerbatimSource(source)
    by_id = {section.id: section for section in sections}
    problems: list[str] = []
    if not verbatim.contains(curated.source.title):
        problems.append(f"curated/source.yml: title {curated.source.title!r} is not in the source")
    for section in sections:
        for block in section.kept:
            problems += [
                f"sections: {section.id}: {text!r} is not verbatim in the source"
                for text in block.quotable()
                if not verbatim.contains(text)
            ]
    term_ids: set[str] = set()
    for term in curated.glossary:
        where = f"curated/glossary.yml: term {term.id!r}"
        if term.id in term_ids:
            problems.append(f"{where}: duplicate id")
        term_ids.add(term.id)
        cited = by_id.get(term.section)
        if cited is None:
            problems.append(f"{where}: section {term.section!r} does not exist")
        elif not any(term.sentence in text for block in cited.blocks for text in block.quotable()):
            problems.append(f"{where}: sentence {term.sentence!r} is not in section {term.section!r}")
        if term.term.lower() not in term.sentence.lower():
            problems.append(f"{where}: the term {term.term!r} is not in its sentence")
    for drug in curated.drugs:
        if not drug_mentions(sections, drug):
            problems.append(f"curated/drugs.yml: drug {drug.id!r}: no sentence of the summary names it any more")
        if not verbatim.contains(drug.name):
            problems.append(f"curated/drugs.yml: drug {drug.id!r}: name {drug.name!r} is not in the source")
    targets = {f"term:{t}" for t in term_ids} | {f"drug:{d.id}" for d in curated.drugs}
    targets |= {f"section:{s}" for s in by_id}
    seen: dict[str, str] = {}
    for alias in curated.aliases:
        where = f"curated/aliases.yml: alias {alias.alias!r}"
        if alias.target not in targets:
            problems.append(f"{where}: target {alias.target!r} does not exist")
        previous = seen.setdefault(alias.alias.lower(), alias.target)
        if previous != alias.target:
            problems.append(f"{where}: maps to both {previous!r} and {alias.target!r}")
    problems += _risk_group_problems(curated, by_id)
    if problems:
        raise KnowledgeBuildError(problems)
