"""Rank knowledge-base sections for a free-text question.

Okapi BM25 over spaCy lookup lemmas. Each section is indexed as its body text plus its heading,
its parent's heading and the aliases / glossary terms / drug names that point to it; heading
words count ``HEADING_WEIGHT`` times. Query words that are not in the index vocabulary are
mapped to the closest vocabulary word with rapidfuzz (misspellings such as "symtoms").
The choice of BM25 with lemmas and heading weighting is measured in ``docs/retrieval.md``.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from actions.knowledge_base import KnowledgeBase
from actions.text_processing import lemmas

HEADING_WEIGHT = 3
K1 = 1.2
B = 0.75
TYPO_MIN_LENGTH = 5
TYPO_SCORE_CUTOFF = 85.0


@dataclass(frozen=True)
class Hit:
    section_id: str
    score: float


class SectionSearch:
    """BM25 index over the sections of one knowledge base."""

    def __init__(
        self,
        kb: KnowledgeBase,
        *,
        heading_weight: int = HEADING_WEIGHT,
        use_lemmas: bool = True,
        fix_typos: bool = True,
    ) -> None:
        self._use_lemmas = use_lemmas
        self._fix_typos = fix_typos
        self._docs: dict[str, Counter[str]] = {}
        for section in kb.sections.values():
            heading_text = " ".join(
                [section.heading, *self._extra_names(kb, section.id)]
                + ([kb.sections[section.parent].heading] if section.parent else [])
            )
            tokens = self._tokens(section.full_text) + self._tokens(heading_text) * heading_weight
            if not section.blocks:  # an empty parent is found by its children's headings
                for child in section.children:
                    tokens += self._tokens(kb.sections[child].heading)
            self._docs[section.id] = Counter(tokens)
        self._lengths = {sid: sum(doc.values()) for sid, doc in self._docs.items()}
        self._avg_length = sum(self._lengths.values()) / max(len(self._docs), 1)
        document_frequency: Counter[str] = Counter()
        for doc in self._docs.values():
            document_frequency.update(doc.keys())
        n = len(self._docs)
        self._idf = {term: math.log(1 + (n - df + 0.5) / (df + 0.5)) for term, df in document_frequency.items()}
        self._vocabulary = sorted(self._idf)

    @staticmethod
    def _extra_names(kb: KnowledgeBase, section_id: str) -> list[str]:
        names = [a.alias for a in kb.aliases if a.target_kind == "section" and a.target_id == section_id]
        names += [g.term for g in kb.glossary.values() if g.section == section_id]
        return names

    def _tokens(self, text: str) -> list[str]:
        if self._use_lemmas:
            return lemmas(text)
        from actions.text_processing import STOP_WORDS, words

        return [w for w in words(text) if w not in STOP_WORDS]

    def _query_terms(self, text: str) -> list[str]:
        terms = []
        for term in self._tokens(text):
            if term in self._idf or not self._fix_typos or len(term) < TYPO_MIN_LENGTH:
                terms.append(term)
                continue
            match = process.extractOne(term, self._vocabulary, scorer=fuzz.ratio, score_cutoff=TYPO_SCORE_CUTOFF)
            if match is not None:
                terms.append(match[0])
        return terms

    def search(self, text: str, *, limit: int = 3, within: Iterable[str] | None = None) -> list[Hit]:
        """Best sections for ``text``, highest score first; only sections with a positive score.

        ``within`` restricts the ranking to those section ids.
        """
        terms = self._query_terms(text)
        allowed = set(within) if within is not None else None
        hits = []
        for section_id, doc in self._docs.items():
            if allowed is not None and section_id not in allowed:
                continue
            length_norm = K1 * (1 - B + B * self._lengths[section_id] / self._avg_length)
            score = 0.0
            for term in terms:
                tf = doc.get(term, 0)
                if tf:
                    score += self._idf[term] * tf * (K1 + 1) / (tf + length_norm)
            if score > 0:
                hits.append(Hit(section_id, round(score, 4)))
        hits.sort(key=lambda hit: (-hit.score, hit.section_id))
        return hits[:limit]
