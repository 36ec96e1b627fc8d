"""Question types (``knowledge/question_types.yml``): the kind of sentence that answers a question's shape.

"Why is it done?" is answered by a sentence giving a purpose ("to see if ...", "the goal is ..."),
"how common is it?" by one saying common/rare/most, "what does it depend on?" by "depends on ..." and so
on. :meth:`QuestionTypes.asked` returns the types a question asks; :meth:`QuestionTypes.boost` the
score a passage earns as evidence for them (the largest boost among the types it is evidence for, 0.0
when none). Matching is regular expressions over the raw text, so it costs microseconds a message.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from actions.knowledge_base import KNOWLEDGE_DIR

QUESTION_TYPES_FILE = KNOWLEDGE_DIR / "question_types.yml"
PASSAGE_KINDS = frozenset({"sentence", "list", "item", "labelled", "figure"})
_TYPE_KEYS = {"asks", "evidence", "kinds", "boost"}


class QuestionTypesError(ValueError):
    """``question_types.yml`` is malformed; the message names the entry."""


@dataclass(frozen=True)
class QuestionType:
    name: str
    asks: tuple[re.Pattern[str], ...]
    evidence: tuple[re.Pattern[str], ...]
    kinds: frozenset[str]
    boost: float
    # Whether a passage text is evidence, remembered: the passages are few and fixed.
    _evidence_of: dict[str, bool] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def is_asked_by(self, question: str) -> bool:
        return any(p.search(question) for p in self.asks)

    def is_evidenced_by(self, kind: str, text: str) -> bool:
        if kind in self.kinds:
            return True
        found = self._evidence_of.get(text)
        if found is None:
            found = self._evidence_of[text] = any(p.search(text) for p in self.evidence)
        return found


# A word as texting shorthand is looked up ("wat r the risk groups" -> "what are the risk groups").
_WORD = re.compile(r"[\w/']+")


class QuestionTypes:
    """The question types of ``path``. ``shorthand`` maps texting shorthand to the words it stands for
    (the ``shorthand`` of knowledge/safety/concepts.yml, its one home): a question is read with it
    spelled out."""

    def __init__(self, path: Path = QUESTION_TYPES_FILE, shorthand: Mapping[str, str] | None = None) -> None:
        self._shorthand = {k.casefold(): v for k, v in (shorthand or {}).items()}
        name = path.name
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise QuestionTypesError(f"{name}: cannot read: {exc}") from None
        if not isinstance(raw, Mapping) or set(raw) != {"types"} or not isinstance(raw["types"], Mapping):
            raise QuestionTypesError(f"{name}: expected exactly the field 'types' (names to entries)")
        self.types = tuple(self._type(str(k), v, name) for k, v in raw["types"].items())
        if not self.types:
            raise QuestionTypesError(f"{name}: no types")

    @staticmethod
    def _type(type_name: str, raw: object, name: str) -> QuestionType:
        where = f"{name}: types.{type_name}"
        if not isinstance(raw, Mapping) or not set(raw) <= _TYPE_KEYS or not {"asks", "evidence", "boost"} <= set(raw):
            raise QuestionTypesError(f"{where}: expected the fields asks, evidence, boost and optionally kinds")
        patterns = {key: QuestionTypes._patterns(raw[key], f"{where}.{key}") for key in ("asks", "evidence")}
        if not patterns["asks"]:
            raise QuestionTypesError(f"{where}.asks: at least one pattern")
        kinds = raw.get("kinds", [])
        if not isinstance(kinds, list) or not set(kinds) <= PASSAGE_KINDS:
            raise QuestionTypesError(f"{where}.kinds: a list of {sorted(PASSAGE_KINDS)}")
        if not patterns["evidence"] and not kinds:
            raise QuestionTypesError(f"{where}: needs evidence patterns or kinds")
        boost = raw["boost"]
        if isinstance(boost, bool) or not isinstance(boost, int | float) or boost <= 0:
            raise QuestionTypesError(f"{where}.boost: a positive number")
        return QuestionType(type_name, patterns["asks"], patterns["evidence"], frozenset(kinds), float(boost))

    @staticmethod
    def _patterns(value: object, where: str) -> tuple[re.Pattern[str], ...]:
        if not isinstance(value, list) or not all(isinstance(p, str) and p for p in value):
            raise QuestionTypesError(f"{where}: a list of regular expressions")
        try:
            return tuple(re.compile(p, re.IGNORECASE) for p in value)
        except re.error as exc:
            raise QuestionTypesError(f"{where}: {exc}") from None

    def asked(self, question: str) -> tuple[QuestionType, ...]:
        """The types ``question`` asks, in file order."""
        if self._shorthand:
            question = _WORD.sub(lambda m: self._shorthand.get(m.group(0).casefold(), m.group(0)), question)
        return tuple(t for t in self.types if t.is_asked_by(question))

    @staticmethod
    def boost(asked: Iterable[QuestionType], kind: str, text: str) -> float:
        """The score a passage (its kind and text) earns as evidence for the ``asked`` types."""
        return max((t.boost for t in asked if t.is_evidenced_by(kind, text)), default=0.0)
