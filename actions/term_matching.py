"""Match a term, drug or test name (as typed by a person) to a knowledge-base entry.

Candidates are glossary terms, drug names and ids, section headings that name a procedure, and
every alias in ``knowledge/aliases.yml``. Both sides are compared by their
:func:`~actions.text_normalisation.match_key`. Short abbreviations (``ALL``, ``CNS``, ``LP``, ``6-MP``)
match only exactly: fuzzy matching them would turn ordinary words into medical terms. Aliases marked ``case_sensitive``
(``ALL``, ``BiTE``, ``Tabloid``) match only as capitalised there: "a bug bite" is not blinatumomab.
Longer names match with ``fuzz.ratio`` at or above ``SCORE_CUTOFF``; when the two best *different* targets are within
``AMBIGUITY_MARGIN`` points the result is ambiguous, so the bot asks instead of guessing
(daunorubicin / doxorubicin). Names of *other* drugs and diseases listed in
``knowledge/distinct_names.yml`` block a match when they are at least as close (prednisolone is
not prednisone).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import yaml
from rapidfuzz import fuzz, process

from actions.knowledge_base import KNOWLEDGE_DIR, KnowledgeBase
from actions.text_normalisation import match_key
from actions.text_processing import STOP_WORDS

SCORE_CUTOFF = 84.0
AMBIGUITY_MARGIN = 6.0
EXACT_ONLY_MAX_LENGTH = 4
MAX_WINDOW_WORDS = 4
REMEMBERED_QUERIES = 8192  # per matcher; a result is a few hundred bytes
DISTINCT_NAMES_FILE = KNOWLEDGE_DIR / "distinct_names.yml"
_NOT_A_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class Target:
    kind: str  # "drug" | "term" | "section"
    id: str

    @property
    def reference(self) -> str:
        """``kind:id``: what a button carries, so the next turn needs no name matching."""
        return f"{self.kind}:{self.id}"

    @classmethod
    def from_reference(cls, value: str, kb: KnowledgeBase) -> Target | None:
        """The target a button's ``kind:id`` names, or None when ``value`` is not one that exists."""
        kind, _, target_id = value.partition(":")
        known = {"drug": kb.drugs, "term": kb.glossary, "section": kb.sections}.get(kind)
        return cls(kind, target_id) if known is not None and target_id in known else None


@dataclass(frozen=True)
class Candidate:
    target: Target
    name: str
    score: float


@dataclass(frozen=True)
class MatchResult:
    """``best`` is set when one target clearly wins; ``alternatives`` when the top two are too close."""

    query: str
    best: Candidate | None
    alternatives: tuple[Candidate, ...] = ()

    @property
    def ambiguous(self) -> bool:
        return self.best is None and len(self.alternatives) > 1


def words_as_typed(text: str) -> list[str]:
    """The words of ``text`` split as :func:`~actions.text_normalisation.match_key` splits them, capitalisation
    kept (``BiTE``)."""
    return _NOT_A_WORD.sub(" ", unicodedata.normalize("NFKC", text)).split()


class TermMatcher:
    """Fuzzy matcher over one knowledge base's names."""

    def __init__(self, kb: KnowledgeBase) -> None:
        names: dict[str, Target] = {}
        exact_only: set[str] = set()
        # "ALL", "BiTE", "Tabloid": matched only exactly as written (never lower-cased, never fuzzily)
        case_sensitive: dict[str, Target] = {}

        def add(name: str, target: Target, *, abbreviation: bool = False) -> None:
            key = match_key(name)
            if not key:
                return
            names.setdefault(key, target)
            if abbreviation or len(key.replace(" ", "")) <= EXACT_ONLY_MAX_LENGTH:
                exact_only.add(key)

        for drug in kb.drugs.values():
            add(drug.name, Target("drug", drug.id))
            add(drug.id, Target("drug", drug.id))
        for term in kb.glossary.values():
            add(term.term, Target("term", term.id))
        for alias in kb.aliases:
            if alias.case_sensitive:
                case_sensitive[" ".join(words_as_typed(alias.alias))] = Target(alias.target_kind, alias.target_id)
                continue
            add(
                alias.alias,
                Target(alias.target_kind, alias.target_id),
                abbreviation=alias.kind == "abbreviation",
            )
        self._names = names
        self._case_sensitive = case_sensitive
        self._exact_only = exact_only
        self._fuzzy_choices = [name for name in names if name not in exact_only]
        distinct = yaml.safe_load(DISTINCT_NAMES_FILE.read_text(encoding="utf-8"))["names"]
        self._distinct = [match_key(name) for name in distinct]
        # The names are fixed once built, so a query's result is too: find_in_text asks for every word window
        # of a message, and the same message is read several times per turn (and again on later turns).
        self._remembered = lru_cache(maxsize=REMEMBERED_QUERIES)(self._match)

    def match(self, query: str) -> MatchResult:
        """Best target for a name such as an extracted entity value."""
        return self._remembered(query)

    def _match(self, query: str) -> MatchResult:
        key = match_key(query)
        if not key:
            return MatchResult(query, None)
        as_typed = self._case_sensitive.get(" ".join(words_as_typed(query)))
        if as_typed is not None:
            return MatchResult(query, Candidate(as_typed, key, 100.0))
        if key in self._names:
            return MatchResult(query, Candidate(self._names[key], key, 100.0))
        if len(key.replace(" ", "")) <= EXACT_ONLY_MAX_LENGTH:
            return MatchResult(query, None)
        found = process.extract(key, self._fuzzy_choices, scorer=fuzz.ratio, score_cutoff=SCORE_CUTOFF, limit=10)
        best_per_target: dict[Target, Candidate] = {}
        for name, score, _ in found:
            target = self._names[name]
            if target not in best_per_target:
                best_per_target[target] = Candidate(target, name, float(score))
        ranked = sorted(best_per_target.values(), key=lambda c: -c.score)
        if not ranked:
            return MatchResult(query, None)
        blocker = process.extractOne(key, self._distinct, scorer=fuzz.ratio, score_cutoff=ranked[0].score)
        if blocker is not None:
            return MatchResult(query, None)
        if len(ranked) > 1 and ranked[0].score - ranked[1].score < AMBIGUITY_MARGIN:
            return MatchResult(query, None, tuple(ranked[:2]))
        return MatchResult(query, ranked[0])

    def find_in_text(self, text: str) -> list[MatchResult]:
        """Names mentioned anywhere in ``text``: longest non-overlapping word windows first."""
        tokens = match_key(text).split()
        typed = words_as_typed(text)
        if [match_key(word) for word in typed] != tokens:
            typed = tokens  # unusual characters split differently: no capitalisation to respect
        taken = [False] * len(tokens)
        results: list[tuple[int, MatchResult]] = []
        for size in range(min(MAX_WINDOW_WORDS, len(tokens)), 0, -1):
            for start in range(len(tokens) - size + 1):
                if any(taken[start : start + size]):
                    continue
                # "all" in "all the symptoms" is not the disease; "is methotrexat" is just "methotrexat"
                if tokens[start] in STOP_WORDS or tokens[start + size - 1] in STOP_WORDS:
                    continue
                result = self.match(" ".join(typed[start : start + size]))
                if result.best is not None or result.ambiguous:
                    results.append((start, result))
                    taken[start : start + size] = [True] * size
        return [result for _, result in sorted(results, key=lambda pair: pair[0])]
