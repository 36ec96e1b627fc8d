"""Follow-ups read against the conversation so far (no Rasa import).

The conversation state is a :class:`Context` (kept in Rasa slots by the actions): the current section
and the one before it, the blocks of it already shown, and the treatment section of the population the
parent named (infant, adolescent, Down syndrome, T-cell, Philadelphia chromosome-positive, relapsed).
:func:`resolve` turns a message that leans on it ("and for teenagers?", "does it hurt?", "the last
one", "what does that mean?", "no, I meant the other test", "ok, back to what we were talking about")
into a :class:`Resolution`: the section to answer from and the words to search it with — or the
sections to offer when the context cannot settle it. A topic named in the message always wins over
the carried one. Cues are data: ``knowledge/follow_ups.yml``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from actions import services
from actions.knowledge_base import KNOWLEDGE_DIR, KnowledgeBase
from actions.safety.terms import Term, Token, Tokenizer, parse_terms
from actions.topic_resolution import _named_in_text, descendants

FOLLOW_UPS_FILE = KNOWLEDGE_DIR / "follow_ups.yml"
NAMED_TOPIC_MIN_SCORE = 2.5
STRONG_TOPIC_MIN_SCORE = 7.0
_CUE_KINDS = ("returns", "corrections", "meaning", "why", "leaning")
_ORDINALS = ("first", "second", "third", "fourth", "last")
# Sections a population carries into: the generic treatment ones ("what treatment would he get?").
GENERIC_TREATMENT_SECTIONS = frozenset({"treatment-options", "types-of-treatment"})
_TREATMENT_WORDS = ("treat", "therap", "chemo", "drug", "medicine")
_PRONOUNS = frozenset({"it", "its", "it's", "that", "this", "they", "them", "those", "these"})
_NOT_POPULATIONS = frozenset({"immunotherapy"})  # "car t" is a treatment, not a group of children


class FollowUpsError(ValueError):
    """``follow_ups.yml`` is malformed."""


@dataclass(frozen=True)
class Context:
    section: str | None = None
    previous: str | None = None
    shown_blocks: tuple[int, ...] = ()
    population_section: str | None = None


@dataclass(frozen=True)
class Resolution:
    """How to answer a follow-up: from ``section``, searching with ``query``; or offer ``offer``."""

    kind: str  # return | correction | population | ordinal | meaning | same_topic
    section: str | None
    query: str
    offer: tuple[str, ...] = field(default_factory=tuple)
    term: str | None = None  # for meaning: the glossary term to explain


class FollowUpCues:
    def __init__(self, path: Path = FOLLOW_UPS_FILE) -> None:
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise FollowUpsError(f"{path.name}: cannot read: {exc}") from None
        expected = {*_CUE_KINDS, "ordinals", "short_words"}
        if not isinstance(raw, Mapping) or set(raw) != expected:
            raise FollowUpsError(f"{path.name}: expected exactly the fields {sorted(expected)}")
        try:
            self.cues: dict[str, tuple[Term, ...]] = {k: parse_terms(raw[k], f"{path.name}: {k}") for k in _CUE_KINDS}
            ordinals = raw["ordinals"]
            if not isinstance(ordinals, Mapping) or set(ordinals) != set(_ORDINALS):
                raise FollowUpsError(f"{path.name}: ordinals must be exactly {list(_ORDINALS)}")
            self.ordinals = {k: parse_terms(v, f"{path.name}: ordinals.{k}") for k, v in ordinals.items()}
        except ValueError as exc:
            raise FollowUpsError(str(exc)) from None
        if not isinstance(raw["short_words"], int) or raw["short_words"] < 1:
            raise FollowUpsError(f"{path.name}: short_words must be a positive integer")
        self.short_words = int(raw["short_words"])
        self._tokenizer = Tokenizer({}, [], lambda _word: True)

    def tokens(self, text: str) -> list[Token]:
        return self._tokenizer.tokens(text)

    def has(self, kind: str, tokens: list[Token]) -> bool:
        return any(next(term.find(tokens), None) is not None for term in self.cues[kind])

    def strip(self, kind: str, tokens: list[Token]) -> str:
        """The message without the cue phrases of ``kind``."""
        dropped = {i for term in self.cues[kind] for s, e in term.find(tokens) for i in range(s, e)}
        return " ".join(t.text for i, t in enumerate(tokens) if i not in dropped)

    def ordinal(self, tokens: list[Token]) -> str | None:
        for name, terms in self.ordinals.items():
            if any(next(term.find(tokens), None) is not None for term in terms):
                return name
        return None


@lru_cache(maxsize=1)
def cues() -> FollowUpCues:
    return FollowUpCues()


def population_section(kb: KnowledgeBase, text: str) -> str | None:
    """The treatment section of a population the message names ("teenagers" -> adolescents), if any."""
    topic = kb.topics.get("ask_treatment_for_group")
    if topic is None:
        return None
    found = _named_in_text(topic.by_entity, text)
    if found is None:
        found = _named_in_text(_POPULATION_WORDS, text)
    return found if found not in _NOT_POPULATIONS else None


# Everyday names of the populations that the topic map (written for the NLU's entity values) lacks.
_POPULATION_WORDS = {
    "teenagers": "treatment-adolescents-young-adults",
    "teenager": "treatment-adolescents-young-adults",
    "teens": "treatment-adolescents-young-adults",
    "teen": "treatment-adolescents-young-adults",
    "older kids": "treatment-adolescents-young-adults",
    "young adults": "treatment-adolescents-young-adults",
    "babies": "treatment-infants",
    "baby": "treatment-infants",
    "infants": "treatment-infants",
    "infant": "treatment-infants",
    "newborns": "treatment-infants",
    "months old": "treatment-infants",
    "month old": "treatment-infants",
    "month-old": "treatment-infants",
    "months": "treatment-infants",
    "downs": "treatment-down-syndrome",
    "t-cell": "treatment-t-cell",
    "t cell": "treatment-t-cell",
}


def named_topic(text: str, *, min_score: float = NAMED_TOPIC_MIN_SCORE) -> str | None:
    """A section the message names on its own: a term, drug or test it names, or a clear search hit."""
    kb = services.knowledge_base()
    for result in services.term_matcher().find_in_text(text):
        if result.best is None:
            continue
        target = result.best.target
        if target.kind == "section":
            return target.id
        if target.kind == "term":
            return kb.glossary[target.id].section
        if target.kind == "drug":
            return kb.drugs[target.id].mentions[0].section if kb.drugs[target.id].mentions else None
    hits = services.section_search().search(text, limit=1)
    if hits and hits[0].score >= min_score:
        return hits[0].section_id
    return None


def _searched(text: str) -> str | None:
    hits = services.section_search().search(text, limit=1)
    return hits[0].section_id if hits else None


def leans_on_context(text: str) -> bool:
    """Whether ``text`` needs the conversation to be understood (a follow-up), by its cues alone."""
    c = cues()
    tokens = c.tokens(text)
    if any(c.has(kind, tokens) for kind in ("returns", "corrections", "meaning")):
        return True
    if c.ordinal(tokens) is not None and len(tokens) <= c.short_words:
        return True
    return len(tokens) <= c.short_words and (c.has("why", tokens) or c.has("leaning", tokens))


def _last_list(kb: KnowledgeBase, context: Context) -> list[str]:
    """The items of the last list shown (or the parts of a section that only lists its parts)."""
    if context.section is None:
        return []
    section = kb.section(context.section)
    for index in sorted(context.shown_blocks, reverse=True):
        if index < len(section.blocks) and section.blocks[index].kind == "list":
            return list(section.blocks[index].items)
    if section.children:  # "The tests ... may include:" and then its subsections
        return [kb.section(c).heading for c in section.children]
    return []


def _pick(items: Sequence[str], ordinal: str) -> str | None:
    position = {"first": 0, "second": 1, "third": 2, "fourth": 3, "last": -1}[ordinal]
    if not items or (position >= 0 and position >= len(items)):
        return None
    return items[position]


def _glossary_in_view(kb: KnowledgeBase, context: Context) -> list[str]:
    if context.section is None:
        return []
    section = kb.section(context.section)
    shown = [section.blocks[i] for i in context.shown_blocks if i < len(section.blocks)] or list(section.blocks)
    text = " ".join(t for b in shown for t in b.texts()).casefold()
    return [g.term for g in kb.glossary.values() if g.term.casefold() in text]


def resolve(text: str, context: Context, *, new_topics: bool = False) -> Resolution | None:
    """How to answer ``text`` given the conversation, or None when it stands on its own.

    With ``new_topics`` (the NLU had no confident topic), a topic the message names is returned as a
    ``new_topic`` resolution; otherwise such a message is left to the topic the NLU recognised."""
    kb = services.knowledge_base()
    c = cues()
    tokens = c.tokens(text)
    if c.has("returns", tokens) and context.previous:
        return Resolution("return", context.previous, kb.section(context.previous).heading)
    population = population_section(kb, text)
    if c.has("corrections", tokens):
        rest = c.strip("corrections", tokens)
        named = population or named_topic(rest)
        if named is not None:
            return Resolution("correction", named, rest)
        if context.section is not None:
            parent = kb.section(context.section).parent
            siblings = [s for s in (kb.section(parent).children if parent else ()) if s != context.section]
            return Resolution("correction", None, rest, offer=tuple(siblings[:4]))
        return None
    if context.section is None:
        return None
    named = named_topic(text)
    if population is not None and (named is None or named == population):
        return Resolution("population", population, text)
    ordinal = c.ordinal(tokens)
    if ordinal is not None and len(tokens) <= c.short_words:
        item = _pick(_last_list(kb, context), ordinal)
        if item is not None:
            target = kb.section_by_heading(item)
            if target is not None:
                return Resolution("ordinal", target.id, f"{item} {text}")
            return Resolution("ordinal", _searched(f"{item} {text}") or context.section, f"{item} {text}")
        heading = kb.section(context.section).heading  # no list to count in: the current topic
        return Resolution("same_topic", context.section, f"{text} {heading}")
    if c.has("meaning", tokens):
        terms = _glossary_in_view(kb, context)
        mentioned = [t for t in terms if t.casefold() in text.casefold()]
        if mentioned or len(terms) == 1:
            return Resolution("meaning", context.section, text, term=(mentioned or terms)[0])
        if terms:
            return Resolution("meaning", None, text, offer=tuple(terms[:4]))
    pronoun = len(tokens) <= c.short_words and any(t.text in _PRONOUNS for t in tokens)
    strong = named_topic(text, min_score=STRONG_TOPIC_MIN_SCORE) if named is not None else None
    if named is not None and named not in descendants(kb, context.section) and (strong or not pronoun):
        # A new topic named in the message wins over the carried one (with the population carried);
        # "why is it needed?" names nothing new, whatever a weak search hit says.
        return Resolution("new_topic", carried_population(named, text, context), text) if new_topics else None
    if leans_on_context(text):
        if context.population_section and any(t.text.startswith(_TREATMENT_WORDS) for t in tokens):
            # "how is it treated?" after "our baby is 8 months old": the population's treatment
            return Resolution("population", context.population_section, text)
        heading = kb.section(context.section).heading
        return Resolution("same_topic", context.section, f"{text} {heading}")
    return None


def carried_population(section_id: str, text: str, context: Context) -> str:
    """A generic treatment section becomes the population's section when the parent named a population
    earlier and names no other one now ("my son has Down syndrome" ... "what treatment would he get?")."""
    if (
        context.population_section
        and section_id in GENERIC_TREATMENT_SECTIONS
        and population_section(services.knowledge_base(), text) is None
    ):
        return context.population_section
    return section_id
