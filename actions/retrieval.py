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
from actions.question_focus import split_question
from actions.text_processing import lemmas

HEADING_WEIGHT = 3
K1 = 1.2
B = 0.75
TYPO_MIN_LENGTH = 5
TYPO_SCORE_CUTOFF = 85.0
# How much the context sentences of a message count next to its question sentence (measured in
# docs/retrieval.md): enough to carry a population or a test the question only points to ("it").
CONTEXT_WEIGHT = 0.3


@dataclass(frozen=True)
class Hit:
    section_id: str
    score: float


class Bm25Index:
    """Okapi BM25 over documents given as bags of index terms, with query-side typo correction.

    ``docs`` maps a document id to its term counts. :meth:`query_terms` maps the words of a question
    to index terms (lemmas; a word the index does not know is replaced by the closest index word when
    rapidfuzz finds one at or above ``TYPO_SCORE_CUTOFF``).
    """

    def __init__(
        self, docs: dict[str, Counter[str]], *, use_lemmas: bool = True, fix_typos: bool = True, b: float = B
    ) -> None:
        self._b = b
        self._use_lemmas = use_lemmas
        self._fix_typos = fix_typos
        self._docs = docs
        self._lengths = {doc_id: sum(doc.values()) for doc_id, doc in docs.items()}
        self._avg_length = sum(self._lengths.values()) / max(len(docs), 1)
        document_frequency: Counter[str] = Counter()
        for doc in docs.values():
            document_frequency.update(doc.keys())
        n = len(docs)
        self._idf = {term: math.log(1 + (n - df + 0.5) / (df + 0.5)) for term, df in document_frequency.items()}
        self._vocabulary = sorted(self._idf)

    def tokens(self, text: str) -> list[str]:
        if self._use_lemmas:
            return lemmas(text)
        from actions.text_processing import STOP_WORDS, words

        return [w for w in words(text) if w not in STOP_WORDS]

    def query_terms(self, text: str) -> list[str]:
        terms = []
        for term in self.tokens(text):
            if term in self._idf or not self._fix_typos or len(term) < TYPO_MIN_LENGTH:
                terms.append(term)
                continue
            match = process.extractOne(term, self._vocabulary, scorer=fuzz.ratio, score_cutoff=TYPO_SCORE_CUTOFF)
            if match is not None:
                terms.append(match[0])
        return terms

    def idf(self, term: str) -> float:
        return self._idf.get(term, 0.0)

    def scores(self, terms: list[str], within: Iterable[str] | None = None) -> dict[str, float]:
        """Every document with a positive score for ``terms`` (restricted to ``within`` when given)."""
        allowed = set(within) if within is not None else None
        result = {}
        for doc_id, doc in self._docs.items():
            if allowed is not None and doc_id not in allowed:
                continue
            length_norm = K1 * (1 - self._b + self._b * self._lengths[doc_id] / self._avg_length)
            score = 0.0
            for term in terms:
                tf = doc.get(term, 0)
                if tf:
                    score += self._idf[term] * tf * (K1 + 1) / (tf + length_norm)
            if score > 0:
                result[doc_id] = round(score, 4)
        return result


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
        tokens = Bm25Index({}, use_lemmas=use_lemmas).tokens
        docs: dict[str, Counter[str]] = {}
        for section in kb.sections.values():
            heading_text = " ".join(
                [section.heading, *self.extra_names(kb, section.id)]
                + ([kb.sections[section.parent].heading] if section.parent else [])
            )
            counted = tokens(section.full_text) + tokens(heading_text) * heading_weight
            if not section.blocks:  # an empty parent is found by its children's headings
                for child in section.children:
                    counted += tokens(kb.sections[child].heading)
            docs[section.id] = Counter(counted)
        self._index = Bm25Index(docs, use_lemmas=use_lemmas, fix_typos=fix_typos)

    @staticmethod
    def extra_names(kb: KnowledgeBase, section_id: str) -> list[str]:
        names = [a.alias for a in kb.aliases if a.target_kind == "section" and a.target_id == section_id]
        names += [g.term for g in kb.glossary.values() if g.section == section_id]
        return names

    def search(self, text: str, *, limit: int = 3, within: Iterable[str] | None = None) -> list[Hit]:
        """Best sections for ``text``, highest score first; only sections with a positive score.

        ``within`` restricts the ranking to those section ids.
        """
        scores = self._index.scores(self._index.query_terms(text), within)
        hits = [Hit(section_id, score) for section_id, score in scores.items()]
        hits.sort(key=lambda hit: (-hit.score, hit.section_id))
        return hits[:limit]

    def search_question(self, text: str, *, limit: int = 3, within: Iterable[str] | None = None) -> list[Hit]:
        """Like :meth:`search`, but a message that tells a story before its question is ranked by its
        question sentence, its context counting ``CONTEXT_WEIGHT`` as much (see
        :func:`actions.question_focus.split_question`). A one-sentence message ranks as in :meth:`search`.
        """
        split = split_question(text)
        if not split.context:
            return self.search(text, limit=limit, within=within)
        scores = self._index.scores(self._index.query_terms(split.question), within)
        for section_id, score in self._index.scores(self._index.query_terms(split.context), within).items():
            scores[section_id] = round(scores.get(section_id, 0.0) + CONTEXT_WEIGHT * score, 4)
        hits = [Hit(section_id, score) for section_id, score in scores.items()]
        hits.sort(key=lambda hit: (-hit.score, hit.section_id))
        return hits[:limit]
