"""Passage-level knowledge: the summary cut into the pieces that answer questions, and a search over them.

A :class:`Passage` is one sentence of a paragraph, one list (its lead with every item — a lead is
never shown without its items), one item of a list whose items are explanations of several sentences
(under its lead), one labelled entry or one sentence of a figure caption (after the
caption's title: "A patient lies in a curled position on a table."), and knows its section and block.
Every passage's ``text`` is verbatim PDQ text (a sentence is a slice of its paragraph or caption).

:class:`PassageSearch` ranks passages for a question with BM25 over lemmas (each passage indexed with
its own words, plus its section's heading and the aliases, glossary terms and drug names that point
to the section at a lower weight, so "infants" finds the passages of the infants section).
:meth:`PassageSearch.rank` ranks the passages of given sections for a question: BM25, plus how much
of the question's distinctive words the passage's own text covers (so the sentence naming the drug,
test or population asked about beats a section opening that shares only the section's words; an
abbreviation the summary defines, "CBC", covers the words it stands for), plus
the question-type boost (:mod:`actions.question_types`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from actions.knowledge_base import Block, KnowledgeBase, Section
from actions.lay_terms import LayTerms
from actions.question_types import QuestionType, QuestionTypes
from actions.retrieval import Bm25Index, SectionSearch
from actions.text_normalisation import normalize

if TYPE_CHECKING:
    from actions.passage_vectors import PassageVectors

HEADING_WEIGHT = 1
# Lists answer many questions and are long; full BM25 length normalisation (0.75) buries them.
LENGTH_NORMALISATION = 0.6
ITEM_WEIGHT = 1
# In-section ranking: BM25 relative to the best passage's (0..1) times RELEVANCE_WEIGHT, plus
# COVERAGE_WEIGHT for covering all of the question's distinctive words (a share earns a share), plus
# the question-type boost; on one scale, so a long question's many matches do not drown the type.
RELEVANCE_WEIGHT = 10.0
COVERAGE_WEIGHT = 4.0
# How much the story told before a question counts in ranking passages, next to the question sentence
# (measured on the development sets: 0.3 loses "that part" and "the two" pointing into the story, 0.5-0.7 best).
CONTEXT_WEIGHT = 0.5
# Retrieval agreement (:meth:`PassageSearch.agreement`): reciprocal-rank fusion of BM25 and vector ranks,
# each passage earning 1 / (FUSION_RANK_OFFSET + rank) per ranking (the usual constant of the method), over
# each ranking's best FUSION_DEPTH passages; the first AGREEMENT_SUPPORT fused passages are its support.
FUSION_RANK_OFFSET = 60
FUSION_DEPTH = 50
AGREEMENT_SUPPORT = 3
# A sentence ends at ". ", "? " or "! " before a capital letter or a digit (the PDQ has no "e.g." / "Dr.").
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9“\"(])")
_LINK_ONLY = re.compile(r"^(Learn more|To learn more|For more|For help every step|For questions you may want)", re.I)


@dataclass(frozen=True)
class Passage:
    id: str
    section_id: str
    block_index: int
    kind: str  # "sentence" | "list" | "item" (a list's lead and one item) | "labelled" | "figure" (a caption sentence)
    text: str  # what the reply shows, verbatim PDQ text (a list: lead and "• item" lines)
    sentence_index: int = 0

    @property
    def is_link_only(self) -> bool:
        return self.kind == "sentence" and bool(_LINK_ONLY.match(self.text))

    @property
    def is_sentence(self) -> bool:
        """A sentence of a paragraph or of a figure caption (shown with a little of its block around it)."""
        return self.kind in ("sentence", "figure")

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


def headings_listed_after(kb: KnowledgeBase, section: Section) -> tuple[str, ...]:
    """The headings that follow ``section``'s text in the summary: its subsections, or else the
    sections after it under the same parent. A section ending in a lead ("The tests used to diagnose
    ... may include:", "Types of treatment your child might have include:") is listing them."""
    if section.children:
        return tuple(kb.section(c).heading for c in section.children)
    siblings = [s for s in kb.sections.values() if s.parent == section.parent and section.parent is not None]
    position = next(i for i, s in enumerate(siblings) if s.id == section.id) if siblings else 0
    return tuple(s.heading for s in siblings[position + 1 :])


def ends_with_a_lead(section: Section) -> bool:
    """Whether ``section``'s last block is a paragraph that only leads into what follows it (it ends in
    ":"): the headings after it are its items (:func:`headings_listed_after`)."""
    if not section.blocks:
        return False
    last = section.blocks[-1]
    return last.kind == "paragraph" and last.text.rstrip().endswith(":")


def part_closing_with_a_lead(kb: KnowledgeBase, section: Section) -> Section | None:
    """For a section with no text of its own, its first part that ends with a lead into the headings after it
    ("Types of treatment ..." and the closing "Types of treatment your child might have include:" of its
    "Treatment phases" part); None for a section with text, or with no such part."""
    if section.blocks:
        return None
    return next((kb.section(c) for c in section.children if ends_with_a_lead(kb.section(c))), None)


def block_passages(section: Section, listed_after: tuple[str, ...] = ()) -> list[Passage]:
    """The passages of one section, in reading order. A paragraph that is only a lead (ends in ":") and
    is the section's last block is a list whose items are ``listed_after`` (the headings that follow it,
    see :func:`headings_listed_after`), as on the page."""
    found = []
    for index, block in enumerate(section.blocks):
        base = f"{section.id}/{index}"
        is_last = index == len(section.blocks) - 1
        if is_last and listed_after and ends_with_a_lead(section):
            items = "\n".join(f"• {heading}" for heading in listed_after)
            found.append(Passage(base, section.id, index, "list", f"{block.text}\n{items}"))
        elif block.kind == "paragraph":
            for number, sentence in enumerate(sentences(block.text)):
                found.append(Passage(f"{base}/{number}", section.id, index, "sentence", sentence, number))
        elif block.kind == "list":
            found.append(Passage(base, section.id, index, "list", render_list(block)))
            if block.lead and any(len(sentences(item)) > 1 for item in block.items):
                # Items that are explanations ("Maintenance is the third phase ... The goal is ...")
                # also answer on their own, shown under their lead.
                for number, item in enumerate(block.items):
                    found.append(Passage(f"{base}/i{number}", section.id, index, "item", f"{block.lead}\n• {item}"))
        elif block.kind == "labelled":
            found.append(Passage(base, section.id, index, "labelled", f"{block.label}: {block.text}"))
        elif block.kind == "figure":  # the caption's first sentence is its title ("Lumbar puncture.")
            for number, sentence in enumerate(sentences(block.text)[1:], start=1):
                found.append(Passage(f"{base}/{number}", section.id, index, "figure", sentence, number))
    return found


_ABBREVIATED = re.compile(r"^(?P<words>.*?)\s*\((?P<abbreviation>[A-Z][A-Za-z0-9-]{1,7})\)\s*$")


def abbreviations(kb: KnowledgeBase) -> dict[re.Pattern[str], str]:
    """The abbreviations the summary's names define ("complete blood count (CBC)", "cerebrospinal fluid
    (CSF)" in the aliases, glossary and headings), each as a whole-word pattern, with the words it stands for."""
    names = (
        [a.alias for a in kb.aliases]
        + [g.term for g in kb.glossary.values()]
        + [s.heading for s in kb.sections.values()]
    )
    found: dict[re.Pattern[str], str] = {}
    for name in names:
        match = _ABBREVIATED.match(name)
        if match is not None:
            found.setdefault(re.compile(rf"\b{re.escape(match['abbreviation'])}\b"), match["words"])
    return found


@dataclass(frozen=True)
class Agreement:
    """Both retrievers' best passage is in ``section_id``, as is the best of their fused ranking."""

    section_id: str
    passage: Passage
    support: frozenset[str]  # the sections of the first AGREEMENT_SUPPORT fused passages


@dataclass(frozen=True)
class PassageHit:
    passage: Passage
    score: float
    coverage: float = 0.0  # idf-weighted share of the question's distinctive words in the passage's own text
    boost: float = 0.0  # the question-type boost the passage earned
    relevance: float = 0.0  # the plain BM25 score (``score`` is the ranking score of :meth:`PassageSearch.rank`)


class PassageSearch:
    """BM25 over every passage of the knowledge base, and (given ``vectors``) their sentence vectors."""

    def __init__(
        self, kb: KnowledgeBase, lay_terms: LayTerms | None = None, vectors: PassageVectors | None = None
    ) -> None:
        self._kb = kb
        self._lay_terms = lay_terms or LayTerms()
        self.vectors = vectors
        self.passages: dict[str, Passage] = {}
        self.by_section: dict[str, list[Passage]] = {}
        self._own: dict[str, frozenset[str]] = {}  # each passage's own index terms (no heading context)
        self._topic: dict[str, frozenset[str]] = {}  # each section's heading terms
        tokens = Bm25Index({}).tokens
        spelled_out = abbreviations(kb)
        docs: dict[str, Counter[str]] = {}
        for section in kb.sections.values():
            names = " ".join(
                [section.heading, *SectionSearch.extra_names(kb, section.id)]
                + ([kb.sections[section.parent].heading] if section.parent else [])
            )
            context = tokens(names) * HEADING_WEIGHT
            self._topic[section.id] = frozenset(tokens(section.heading))
            for passage in block_passages(section, headings_listed_after(kb, section)):
                self.passages[passage.id] = passage
                self.by_section.setdefault(section.id, []).append(passage)
                own = tokens(passage.text)
                # A passage naming its subject by abbreviation ("A CBC checks ...") covers the words it stands for.
                named = [
                    t
                    for abbreviation, words in spelled_out.items()
                    if abbreviation.search(passage.text)
                    for t in tokens(words)
                ]
                self._own[passage.id] = frozenset(own + named)
                docs[passage.id] = Counter(own + context)
        self._index = Bm25Index(docs, b=LENGTH_NORMALISATION)
        # Every passage's text normalised, one a line: what :meth:`_is_summary_phrase` looks in.
        self._summary_text = "\n".join(normalize(p.text) for p in self.passages.values())
        # The passages a reply may lead with, which :meth:`agreement` ranks by meaning.
        self._shown = {pid: p for pid, p in self.passages.items() if p.answers_alone}

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

    def rank(
        self, text: str, sections: Iterable[str], asked: Iterable[QuestionType] = (), *, context: str = ""
    ) -> list[PassageHit]:
        """Every passage of ``sections`` that can be shown on its own, best first: BM25 (relative to the
        best passage's, times :data:`RELEVANCE_WEIGHT`; 0 for a passage sharing no word) plus
        :data:`COVERAGE_WEIGHT` times its coverage of the question's distinctive words (the question's
        own terms that some passage of ``sections`` uses, and the PDQ words of its lay phrases whose own
        words none uses, except the sections' heading words: each word of a phrase of the summary, or, for
        PDQ words that are not one phrase, any one of them; weighted by idf, alternatives by the rarest)
        plus the boost for the ``asked`` question types. Ties keep reading order.

        (Adding the passages' similarity by meaning to this score was measured and left out: over five
        development sets it moved passage recall by -2 to +7 per set, +3 in all, at weights 3 and 6.)

        ``context`` is the story told before the question ``text`` (:func:`actions.question_focus.split_question`):
        its words add to BM25 at :data:`CONTEXT_WEIGHT` and cover nothing, so the passage that answers the
        question beats one that shares more of the story's words."""
        asked = tuple(asked)
        candidates = [p for s in sections for p in self.by_section.get(s, []) if p.answers_alone]
        # The question's terms (typos fixed) and the PDQ words of its lay phrases (already index words).
        own_terms = self._index.query_terms(text)
        lay_phrases = self._lay_terms.found(text)
        terms = {*own_terms, *(t for _, pdq in lay_phrases for t in self._index.tokens(pdq))}
        bm25 = self._index.scores(list(terms), [p.id for p in candidates])
        if context:
            story_terms = self._index.query_terms(self._lay_terms.expand(context))
            story = self._index.scores(story_terms, [p.id for p in candidates])
            bm25 = {pid: bm25.get(pid, 0.0) + CONTEXT_WEIGHT * story.get(pid, 0.0) for pid in {*bm25, *story}}

        # Coverage counts the parent's own words, and the PDQ words of a lay phrase ("lab" ->
        # "laboratory") whose own words none of these passages uses — but not the sections' own heading
        # words ("teenager" -> "adolescents young adults" says nothing new in that section).
        def used(words: Iterable[str]) -> set[str]:
            return {t for t in words if any(t in self._own[p.id] for p in candidates)}

        topic = frozenset().union(*(self._topic.get(s, frozenset()) for s in sections))
        # Each distinctive word is one thing to cover. A lay phrase standing for a phrase of the summary
        # ("after treatment has ended") adds each of its words; one standing for several PDQ words that are
        # not a phrase of the summary adds them as alternatives ("outlook" is covered by "prognosis" or by
        # "survival", not by both at once).
        distinctive = {frozenset({t}) for t in used(own_terms)}
        for phrase, pdq in lay_phrases:
            if not used(self._index.tokens(phrase)):
                words = used(self._index.tokens(pdq)) - topic
                if self._is_summary_phrase(pdq):
                    distinctive |= {frozenset({t}) for t in words}
                elif words:
                    distinctive.add(frozenset(words))
        weight = {group: max(self._index.idf(t) for t in group) for group in distinctive}
        total = sum(weight.values())
        top = max(bm25.values(), default=1.0)
        hits = []
        for order, passage in enumerate(candidates):
            own = self._own[passage.id]
            covered = sum(w for group, w in weight.items() if not group.isdisjoint(own))
            coverage = covered / total if total else 0.0
            boost = QuestionTypes.boost(asked, passage.kind, passage.text)
            relevance = bm25.get(passage.id, 0.0)
            score = RELEVANCE_WEIGHT * relevance / top + COVERAGE_WEIGHT * coverage + boost if relevance else 0.0
            hit = PassageHit(passage, round(score, 4), round(coverage, 4), boost, relevance)
            hits.append((-hit.score, order, hit))
        return [hit for *_, hit in sorted(hits, key=lambda h: (h[0], h[1]))]

    def _is_summary_phrase(self, words: str) -> bool:
        """Whether ``words`` occur as they are, as a phrase, in some passage of the summary."""
        return normalize(words) in self._summary_text

    def agreement(self, text: str) -> Agreement | None:
        """The section both retrievers point to for ``text``: BM25's best passage, the most similar passage
        and the best of their reciprocal-rank fusion are all in one section. None without passage vectors
        or when they disagree (or find nothing)."""
        if self.vectors is None:
            return None
        by_words = [h.passage.id for h in self.search(text, limit=FUSION_DEPTH)]
        by_meaning = self.vectors.ranked(text, self._shown)[:FUSION_DEPTH]
        if not by_words or not by_meaning:
            return None
        fused: dict[str, float] = {}
        for ranking in (by_words, by_meaning):
            for rank, pid in enumerate(ranking):
                fused[pid] = fused.get(pid, 0.0) + 1.0 / (FUSION_RANK_OFFSET + rank)
        order = sorted(fused, key=lambda pid: (-fused[pid], pid))
        best = self.passages[order[0]]
        sections = {self.passages[by_words[0]].section_id, self.passages[by_meaning[0]].section_id}
        if sections != {best.section_id}:
            return None
        support = frozenset(self.passages[pid].section_id for pid in order[:AGREEMENT_SUPPORT])
        return Agreement(best.section_id, best, support)

    def opening(self, section_id: str) -> Passage | None:
        """The first passage of a section's text (not of a figure caption) that can be shown on its own."""
        return next((p for p in self.by_section.get(section_id, []) if p.answers_alone and p.kind != "figure"), None)
