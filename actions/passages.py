"""Passage-level knowledge: the summary cut into the pieces that answer questions, and a search over them.

A :class:`Passage` is one sentence of a paragraph, one list (its lead with every item — a lead is
never shown without its items) or one labelled entry, and knows its section and block. Every
passage's ``text`` is verbatim PDQ text (a sentence is a slice of its paragraph).

:class:`PassageSearch` ranks passages for a question with BM25 over lemmas (each passage indexed with
its own words, plus its section's heading and the aliases, glossary terms and drug names that point
to the section at a lower weight, so "infants" finds the passages of the infants section).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from actions.knowledge_base import Block, KnowledgeBase, Section
from actions.lay_terms import LayTerms
from actions.retrieval import Bm25Index, SectionSearch

HEADING_WEIGHT = 1
# Lists answer many questions and are long; full BM25 length normalisation (0.75) buries them.
LENGTH_NORMALISATION = 0.6
ITEM_WEIGHT = 1
# A sentence ends at ". ", "? " or "! " before a capital letter or a digit (the PDQ has no "e.g." / "Dr.").
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9“\"(])")
_LINK_ONLY = re.compile(r"^(Learn more|To learn more|For more|For help every step|For questions you may want)", re.I)


@dataclass(frozen=True)
class Passage:
    id: str
    section_id: str
    block_index: int
    kind: str  # "sentence" | "list" | "labelled"
    text: str  # what the reply shows, verbatim PDQ text (a list: lead and "• item" lines)
    sentence_index: int = 0

    @property
    def is_link_only(self) -> bool:
        return self.kind == "sentence" and bool(_LINK_ONLY.match(self.text))

    @property
    def is_dangling_lead(self) -> bool:
        """A sentence ending in ":" whose list is elsewhere ("The tests ... may include:"): never shown alone."""
        return self.kind == "sentence" and self.text.rstrip().endswith(":")

    @property
    def answers_alone(self) -> bool:
        return not (self.is_link_only or self.is_dangling_lead)


def sentences(paragraph: str) -> list[str]:
    """The sentences of a PDQ paragraph, each a verbatim slice of it."""
    return [part for part in _SENTENCE_END.split(paragraph) if part.strip()]


def render_list(block: Block) -> str:
    items = "\n".join(f"• {item}" for item in block.items)
    return f"{block.lead}\n{items}" if block.lead else items


def block_passages(section: Section) -> list[Passage]:
    """The passages of one section, in reading order (figures skipped)."""
    found = []
    for index, block in enumerate(section.blocks):
        base = f"{section.id}/{index}"
        if block.kind == "paragraph":
            for number, sentence in enumerate(sentences(block.text)):
                found.append(Passage(f"{base}/{number}", section.id, index, "sentence", sentence, number))
        elif block.kind == "list":
            found.append(Passage(base, section.id, index, "list", render_list(block)))
        elif block.kind == "labelled":
            found.append(Passage(base, section.id, index, "labelled", f"{block.label}: {block.text}"))
    return found


@dataclass(frozen=True)
class PassageHit:
    passage: Passage
    score: float


class PassageSearch:
    """BM25 over every passage of the knowledge base."""

    def __init__(self, kb: KnowledgeBase, lay_terms: LayTerms | None = None) -> None:
        self._kb = kb
        self._lay_terms = lay_terms or LayTerms()
        self.passages: dict[str, Passage] = {}
        self.by_section: dict[str, list[Passage]] = {}
        tokens = Bm25Index({}).tokens
        docs: dict[str, Counter[str]] = {}
        for section in kb.sections.values():
            names = " ".join(
                [section.heading, *SectionSearch.extra_names(kb, section.id)]
                + ([kb.sections[section.parent].heading] if section.parent else [])
            )
            context = tokens(names) * HEADING_WEIGHT
            for passage in block_passages(section):
                self.passages[passage.id] = passage
                self.by_section.setdefault(section.id, []).append(passage)
                docs[passage.id] = Counter(tokens(passage.text) + context)
        self._index = Bm25Index(docs, b=LENGTH_NORMALISATION)

    def search(self, text: str, *, limit: int = 5, sections: Iterable[str] | None = None) -> list[PassageHit]:
        """The best passages for ``text`` (only in ``sections`` when given), highest score first."""
        allowed = None
        if sections is not None:
            allowed = [p.id for s in sections for p in self.by_section.get(s, [])]
        scores = self._index.scores(self._index.query_terms(self._lay_terms.expand(text)), allowed)
        hits = [PassageHit(self.passages[pid], score) for pid, score in scores.items()]
        hits = [h for h in hits if h.passage.answers_alone]
        hits.sort(key=lambda h: (-h.score, h.passage.id))
        return hits[:limit]

    def opening(self, section_id: str) -> Passage | None:
        """The first passage of a section that can be shown on its own."""
        return next((p for p in self.by_section.get(section_id, []) if p.answers_alone), None)
