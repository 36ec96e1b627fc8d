"""Emergency signs as data (``knowledge/safety/concepts.yml``): which categories a message describes.

:class:`SignCatalogue` loads the file, rejecting any field it does not know, and
:meth:`SignCatalogue.find` returns every :class:`SignMatch` in a tokenised message — where a sign
of a category was described, whether or not it is happening now (that is
:mod:`actions.safety.situation`'s question).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise, product
from pathlib import Path
from typing import Any

import yaml

from actions.knowledge_base import KNOWLEDGE_DIR
from actions.safety.oxygen import saturations
from actions.safety.temperature import readings
from actions.safety.terms import Term, Token, TokenList, parse_terms

CONCEPTS_FILE = KNOWLEDGE_DIR / "safety" / "concepts.yml"
_FILE_KEYS = {"window", "shorthand", "not_signs", "categories"}
_CATEGORY_KEYS = {"lead", "note", "signs", "crisis_line", "contact"}
_SIGN_KEYS = {"any", "all", "window", "reading", "same_phrase", "across_sentences", "ordered"}
_READINGS = {"fever", "low_oxygen"}


class SafetyDataError(ValueError):
    """A safety YAML file is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class Sign:
    groups: tuple[tuple[Term, ...], ...]
    window: int
    reading: str | None = None
    same_phrase: bool = False  # every group in one phrase (no comma or clause break between them)
    across_sentences: bool = False  # the groups may lie in different sentences
    ordered: bool = False  # the groups come in the order written ("thinking of ... stopping")
    # Per group, the words or stems its phrases start with (Term.first_key): see find_sign.
    group_keys: tuple[frozenset[str], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "group_keys", tuple(frozenset(t.first_key for t in g) for g in self.groups))


@dataclass(frozen=True)
class Category:
    name: str
    lead: str
    note: str
    signs: tuple[Sign, ...]
    crisis_line: bool = False
    contact: tuple[str, str] | None = None  # (label, tel) to offer first for this category


@dataclass(frozen=True)
class SignMatch:
    """A sign of ``category`` found at tokens ``start``..``end`` (exclusive)."""

    category: str
    start: int
    end: int
    text: str
    reading_celsius: float | None = None
    parts: tuple[tuple[int, int], ...] = ()  # where each group of the sign matched


def check_keys(raw: Any, allowed: set[str], where: str) -> Mapping[str, Any]:
    if not isinstance(raw, Mapping):
        raise SafetyDataError(f"{where}: expected a mapping, got {raw!r}")
    unknown = set(raw) - allowed
    if unknown:
        raise SafetyDataError(f"{where}: unknown field(s) {sorted(unknown)}; allowed: {sorted(allowed)}")
    return raw


def _contact(raw: Any, where: str) -> tuple[str, str] | None:
    if raw is None:
        return None
    spec = check_keys(raw, {"label", "tel"}, f"{where}.contact")
    label, tel = str(spec.get("label") or ""), str(spec.get("tel") or "")
    if not label or not tel.lstrip("+").isdigit():
        raise SafetyDataError(f"{where}.contact: needs a label and a tel of digits")
    return label, tel


def parse_sign(raw: Any, default_window: int, where: str, default_across_sentences: bool = False) -> Sign:
    """One sign of a YAML list; ``default_across_sentences`` applies where the sign does not say (safety signs:
    one sentence; the gap questions of actions/gaps.py read a question with its context, so theirs may span)."""
    spec = check_keys(raw, _SIGN_KEYS, where)
    window = spec.get("window", default_window)
    if not isinstance(window, int) or window < 1:
        raise SafetyDataError(f"{where}: window must be a positive integer, got {window!r}")
    same_phrase = spec.get("same_phrase", False)
    if not isinstance(same_phrase, bool):
        raise SafetyDataError(f"{where}: same_phrase must be true or false, got {same_phrase!r}")
    across = spec.get("across_sentences", default_across_sentences)
    ordered = spec.get("ordered", False)
    for key, value in (("across_sentences", across), ("ordered", ordered)):
        if not isinstance(value, bool):
            raise SafetyDataError(f"{where}: {key} must be true or false, got {value!r}")
    given = [key for key in ("any", "all", "reading") if key in spec]
    if len(given) != 1:
        raise SafetyDataError(f"{where}: a sign has exactly one of any/all/reading, got {given}")
    try:
        if "reading" in spec:
            if spec["reading"] not in _READINGS:
                raise SafetyDataError(f"{where}: reading must be one of {sorted(_READINGS)}")
            return Sign((), window, str(spec["reading"]))
        if (same_phrase or "across_sentences" in spec or ordered) and "any" in spec:
            raise SafetyDataError(f"{where}: same_phrase, across_sentences and ordered are for signs of 'all' groups")
        if "any" in spec:
            return Sign((parse_terms(spec["any"], where),), window)
        groups = spec["all"]
        if not isinstance(groups, list) or len(groups) < 2:
            raise SafetyDataError(f"{where}: 'all' needs at least two groups of phrases")
        parsed = tuple(parse_terms(g, f"{where} group {i + 1}") for i, g in enumerate(groups))
        return Sign(parsed, window, same_phrase=same_phrase, across_sentences=across, ordered=ordered)
    except ValueError as exc:
        raise SafetyDataError(str(exc)) from None


class SignCatalogue:
    """The categories of emergency and their signs, loaded from ``concepts.yml``."""

    def __init__(self, path: Path = CONCEPTS_FILE) -> None:
        name = path.name
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise SafetyDataError(f"{name}: cannot read: {exc}") from None
        spec = check_keys(raw, _FILE_KEYS, name)
        window = spec.get("window", 10)
        shorthand = spec.get("shorthand") or {}
        if not isinstance(shorthand, Mapping) or not all(isinstance(v, str) for v in shorthand.values()):
            raise SafetyDataError(f"{name}: shorthand must map words to their spelled-out form")
        self.shorthand: Mapping[str, str] = {str(k): str(v) for k, v in shorthand.items()}
        try:
            self.not_signs: tuple[Term, ...] = (
                parse_terms(spec["not_signs"], f"{name}: not_signs") if "not_signs" in spec else ()
            )
        except ValueError as exc:
            raise SafetyDataError(str(exc)) from None
        categories = []
        for category_name, raw_category in (spec.get("categories") or {}).items():
            where = f"{name}: categories.{category_name}"
            category = check_keys(raw_category, _CATEGORY_KEYS, where)
            lead, note = category.get("lead"), category.get("note")
            if not isinstance(lead, str) or not lead.strip():
                raise SafetyDataError(f"{where}: 'lead' (the one action the urgent reply starts with) is required")
            if not isinstance(note, str) or not note.strip():
                raise SafetyDataError(f"{where}: 'note' (the conditional safety note) is required")
            signs = category.get("signs")
            if not isinstance(signs, list) or not signs:
                raise SafetyDataError(f"{where}: 'signs' must be a non-empty list")
            categories.append(
                Category(
                    str(category_name),
                    lead.strip(),
                    note.strip(),
                    tuple(parse_sign(s, window, f"{where}.signs[{i}]") for i, s in enumerate(signs)),
                    bool(category.get("crisis_line", False)),
                    _contact(category.get("contact"), where),
                )
            )
        if not categories:
            raise SafetyDataError(f"{name}: no categories")
        self.categories: Mapping[str, Category] = {c.name: c for c in categories}
        self._sign_words = self.sign_words()
        self._sign_stems = tuple(sorted(w for w in self._sign_words if len(w) >= 5))

    def vocabulary(self) -> Iterator[str]:
        for category in self.categories.values():
            for sign in category.signs:
                for group in sign.groups:
                    for term in group:
                        yield from term.vocabulary()

    def sign_words(self) -> frozenset[str]:
        """Every content word (4+ letters, not a stop word) of every sign's phrases; a ``*`` word as its stem."""
        from actions.text_processing import STOP_WORDS

        found: set[str] = set()
        for category in self.categories.values():
            for sign in category.signs:
                for group in sign.groups:
                    for term in group:
                        found.update(w.rstrip("*") for w in term.words if len(w.rstrip("*")) >= 4)
        return frozenset(w for w in found if w not in STOP_WORDS)

    def mentions_a_sign_word(self, tokens: list[Token]) -> bool:
        """Whether any word of the message is (or starts with) a word of some sign."""
        words, stems = self._sign_words, self._sign_stems
        return any(t.text in words or t.text.startswith(stems) for t in tokens)

    def find(self, tokens: list[Token]) -> list[SignMatch]:
        """Every sign found in ``tokens``, in category order, then by position."""
        excluded = frozenset(i for term in self.not_signs for s, e in term.find(tokens) for i in range(s, e))
        fever_readings = [r for r in readings(tokens) if r.is_fever]
        low_saturations = [s for s in saturations(tokens) if s.is_low]
        matches: list[SignMatch] = []
        for category in self.categories.values():
            for sign in category.signs:
                if sign.reading == "fever":
                    matches += [
                        SignMatch(
                            category.name,
                            r.index,
                            r.index + 1,
                            tokens[r.index].text,
                            r.celsius,
                            ((r.index, r.index + 1),),
                        )
                        for r in fever_readings
                    ]
                    continue
                if sign.reading == "low_oxygen":
                    matches += [
                        SignMatch(
                            category.name, s.index, s.index + 1, tokens[s.index].text, parts=((s.index, s.index + 1),)
                        )
                        for s in low_saturations
                    ]
                    continue
                matches += self.find_sign(category.name, sign, tokens, excluded)
        return matches

    @staticmethod
    def find_sign(
        category: str, sign: Sign, tokens: list[Token], excluded: frozenset[int] = frozenset()
    ) -> list[SignMatch]:
        """Where ``sign`` is found in ``tokens`` (the tightest match), never using a word at an
        ``excluded`` position."""
        if isinstance(tokens, TokenList):
            # A group none of whose phrases can start at any word of the message finds nothing, and then
            # neither does the sign: most signs are ruled out here without looking for their phrases.
            prefixes = tokens.prefixes()
            if any(keys.isdisjoint(prefixes) for keys in sign.group_keys):
                return []
        spans_per_group = [
            [span for term in group for span in term.find(tokens) if not excluded.intersection(range(*span))]
            for group in sign.groups
        ]
        if not all(spans_per_group):
            return []
        if len(spans_per_group) == 1:
            return [
                SignMatch(category, s, e, " ".join(t.text for t in tokens[s:e]), parts=((s, e),))
                for s, e in spans_per_group[0]
            ]
        best: tuple[tuple[int, int], ...] | None = None
        for combination in product(*spans_per_group):
            start = min(s for s, _ in combination)
            end = max(e for _, e in combination)
            if end - start > sign.window + sum(e - s for s, e in combination) - 1:
                continue
            in_order = sorted(combination)
            if any(a[1] > b[0] for a, b in pairwise(in_order)):
                continue  # two groups may not claim the same words
            if sign.ordered and list(combination) != in_order:
                continue  # "can't stop thinking about it" is no "thinking about stopping"
            if sign.same_phrase and len({tokens[s].phrase for s, _ in combination}) > 1:
                continue
            if not sign.across_sentences and len({tokens[s].sentence for s, _ in combination}) > 1:
                continue  # "... fast asleep. Just can't switch off": two sentences, two things
            if best is None or end - start < max(e for _, e in best) - min(s for s, _ in best):
                best = combination  # the tightest combination: the words most likely about one thing
        found = []
        if best is not None:
            start, end = min(s for s, _ in best), max(e for _, e in best)
            text = " ".join(t.text for t in tokens[start:end])
            found.append(SignMatch(category, start, end, text, parts=tuple(best)))
        return found


@lru_cache(maxsize=1)
def default_catalogue() -> SignCatalogue:
    """The project's catalogue (``knowledge/safety/concepts.yml``), read once per process: the detector, the
    urgent replies and the question types (its ``shorthand``) share it."""
    return SignCatalogue()
