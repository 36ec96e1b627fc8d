"""Cut the summary body into sections, block by block, as knowledge/curated/spec.yml says.

The walk consumes the body from its first character to its last: a section's heading, the navigation text
after it (``skip_after_heading``, and a parent's "In This Section <child headings>" link list), then each
block. Any disagreement between the spec and the source raises :class:`KnowledgeBuildError` naming the
section and quoting the source where it happened, so every character lands in exactly one block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge_builder.curated import Figure, Labelled, ListBlock, Omitted, Paragraph, SectionSpec
from knowledge_builder.errors import KnowledgeBuildError

IN_THIS_SECTION = "In This Section"
FIGURE_MARK = "Enlarge"
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=[A-Z(“\"])")


@dataclass(frozen=True)
class CutBlock:
    """One block of sections.yml; ``omitted`` blocks carry the source text left out and the reason."""

    kind: str  # paragraph | figure | list | labelled | omitted
    text: str = ""
    lead: str | None = None
    items: tuple[str, ...] = ()
    label: str = ""
    reason: str = ""

    def quotable(self) -> list[str]:
        """The texts a glossary sentence or a drug mention may quote a span of."""
        if self.kind in ("paragraph", "figure"):
            return [self.text]
        if self.kind == "labelled":
            return [self.text, f"{self.label}: {self.text}"]
        if self.kind == "list":
            return ([self.lead] if self.lead else []) + list(self.items)
        return []

    def units(self) -> list[str]:
        """The block as sentences (a list: its lead and items; a labelled entry: the sentences of its text)."""
        if self.kind == "list":
            return self.quotable()
        if self.kind == "labelled":
            return sentences(self.text)
        return [s for text in self.quotable() for s in sentences(text)]


@dataclass(frozen=True)
class CutSection:
    id: str
    heading: str
    parent: str | None
    blocks: tuple[CutBlock, ...]

    @property
    def kept(self) -> tuple[CutBlock, ...]:
        return tuple(b for b in self.blocks if b.kind != "omitted")


def sentences(text: str) -> list[str]:
    """``text`` split after ".", "?" or "!" before a capital letter, an opening quote or "("."""
    return _SENTENCE_END.split(text)


class _Cursor:
    def __init__(self, body: str) -> None:
        self.body = body
        self.pos = 0

    def at(self, width: int = 120) -> str:
        return self.body[self.pos : self.pos + width]

    def _space(self, where: str, after: str) -> None:
        if self.pos < len(self.body):
            if self.body[self.pos] != " ":
                raise KnowledgeBuildError(
                    f"section {where!r}: no space after {after[-40:]!r}: {self.at(60)!r}", section=where
                )
            self.pos += 1

    def expect(self, text: str, where: str) -> None:
        if not self.body.startswith(text, self.pos):
            raise KnowledgeBuildError(
                f"section {where!r}: expected {text[:80]!r} but the source has {self.at()!r}", section=where
            )
        self.pos += len(text)
        self._space(where, text)

    def up_to(self, end: str, where: str) -> str:
        found = self.body.find(end, self.pos)
        if found < 0:
            raise KnowledgeBuildError(f"section {where!r}: end {end!r} not found after {self.at(80)!r}", section=where)
        text = self.body[self.pos : found + len(end)]
        self.pos = found + len(end)
        self._space(where, end)
        return text


def cut(body: str, spec: tuple[SectionSpec, ...]) -> list[CutSection]:
    """The sections of ``body`` as ``spec`` describes them, in page order."""
    children: dict[str, list[str]] = {}
    for section in spec:
        if section.parent:
            children.setdefault(section.parent, []).append(section.heading)
    cursor = _Cursor(body)
    out = []
    for section in spec:
        where = section.id
        cursor.expect(section.heading, where)
        if section.skip_after_heading:
            cursor.expect(section.skip_after_heading, where)
        if section.id in children and body.startswith(IN_THIS_SECTION, cursor.pos):
            cursor.expect(f"{IN_THIS_SECTION} {' '.join(children[section.id])}", where)
        blocks = []
        for block in section.blocks:
            if isinstance(block, Paragraph):
                blocks.append(CutBlock("paragraph", text=cursor.up_to(block.ends_with, where)))
            elif isinstance(block, ListBlock):
                for text in ([block.lead] if block.lead is not None else []) + list(block.items):
                    cursor.expect(text, where)
                blocks.append(CutBlock("list", lead=block.lead, items=block.items))
            elif isinstance(block, Labelled):
                cursor.expect(block.label + ":", where)
                blocks.append(CutBlock("labelled", label=block.label, text=cursor.up_to(block.ends_with, where)))
            elif isinstance(block, Figure):
                cursor.expect(FIGURE_MARK, where)
                blocks.append(CutBlock("figure", text=cursor.up_to(block.ends_with, where)))
            elif isinstance(block, Omitted):
                cursor.expect(block.text, where)
                blocks.append(CutBlock("omitted", text=block.text, reason=block.reason))
        out.append(CutSection(section.id, section.heading, section.parent, tuple(blocks)))
    if cursor.pos != len(body):
        raise KnowledgeBuildError(f"text after the last section that the spec does not place: {cursor.at(200)!r}")
    return out
