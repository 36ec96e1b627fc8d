"""Follow-ups read against the conversation so far (no Rasa import).

The conversation state is a :class:`Context` (kept in Rasa slots by the actions): the current section
and the one before it, the blocks of it already shown, the current subject (the words naming the term,
drug, test, phase or population the last answer was about), the last list shown (what "the last one"
counts in), and the treatment section of the population the parent named (infant, adolescent, Down
syndrome, T-cell, Philadelphia chromosome-positive, relapsed, CNS; ages in numbers count).
:func:`resolve` turns a message that leans on it ("and for teenagers?", "does it hurt?", "the last
one", "what does that mean?", "no, I meant the other test", "ok, back to what we were talking about")
into a :class:`Resolution`: the section to answer from and the words to search it with — or the
sections to offer when the context cannot settle it. A topic named in the message always wins over
the carried one. Cues are data: ``knowledge/follow_ups.yml``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from actions import services
from actions.knowledge_base import KNOWLEDGE_DIR, KnowledgeBase
from actions.passages import ends_with_a_lead, headings_listed_after, part_closing_with_a_lead
from actions.question_focus import is_question, sentences, split_question
from actions.safety.terms import Term, Token, Tokenizer, parse_terms
from actions.term_matching import Target
from actions.text_normalisation import match_key
from actions.text_processing import STOP_WORDS, lemmas
from actions.topic_resolution import _named_in_text, descendants

FOLLOW_UPS_FILE = KNOWLEDGE_DIR / "follow_ups.yml"
NAMED_TOPIC_MIN_SCORE = 2.5
STRONG_TOPIC_MIN_SCORE = 7.0
# A follow-up's own words (cues left out) that score this in the current section ask something of their
# own: they are answered by the best passage even if it was shown already.
ASKS_SOMETHING_MIN_SCORE = 2.5
_CUE_KINDS = (
    "returns",
    "return_ends",
    "return_fillers",
    "corrections",
    "meaning",
    "not_meaning",
    "why",
    "more",
    "leaning",
    "about_child",
    "pro_forms",
    "pointing",
    "moves_on",
    "list_pointers",
)
_ORDINALS = ("first", "second", "third", "fourth", "middle", "last")
# "the third one in that list, who gets it?": a longer message picks an item by position when the
# ordinal stands in a comma-bounded phrase of at most this many words that has a pro-form ("one") or
# points at the list ("what was the second thing on that list?", "and the final test you listed").
ORDINAL_PHRASE_MAX_WORDS = 8
# "and the high one?" after the risk groups: a short follow-up names an item of the list shown by its label
# ("High risk: Children 10 years ...", or a short item) when they share at least this part of their
# content words (shared / all of both), and more than with any other item.
ITEM_NAMED_MIN_SHARE = 0.5
ITEM_LABEL_MAX_WORDS = 4
# A word is read as a misspelling of a heading's or an item's word this alike (rapidfuzz ratio).
SPELLED_AS_MIN_RATIO = 80.0
SPELLED_AS_MIN_LENGTH = 4
# "the one in the lower back", "the one with the platelets": another topic described by what it is or does.
_ONE_DESCRIBED_AFTER = re.compile(
    r"\bthe\s+ones?\s+(?:in|on|with|where|that|for|they|you|through|into|from|at)\b", re.IGNORECASE
)
# "the bone marrow one", "the count one": by a word of its name (up to three words after "the").
DESCRIBED_ONE_MAX_WORDS = 3
_AGE_FIELDS = ("infant_under_months", "adolescent_from_years", "adolescent_to_years")
# Sections a population always carries into: the generic treatment ones ("what treatment would he get?").
GENERIC_TREATMENT_SECTIONS = frozenset({"treatment-options", "types-of-treatment"})
CNS_SECTION = "treatment-cns-testicles"
_RISK_GROUP_SECTIONS = frozenset({"treatment-standard-risk", "treatment-high-risk", "treatment-very-high-risk"})
# A sentence telling the child's risk group has a subject and a verb ("he's high risk"); shorter ones,
# and ones opening with a conjunction ("and very high risk"), are ellipses that ask rather than tell.
RISK_GROUP_STATEMENT_MIN_WORDS = 3
_ELLIPSIS_OPENERS = frozenset({"and", "or", "n", "but", "also", "plus"})
# Ages in the message: "8 months old", "our baby is 8 months", "6 week old"; "15 year old", "15yo",
# "aged 15", "(14)", "she's 16". A bare "6 months" ("6 months after treatment") is not an age.
_AGE_MONTHS = re.compile(
    r"\b(\d{1,2})\s*-?\s*(?:months?|mos?|weeks?|wks?)\s*-?\s*old\b"
    r"|\b(?:is|was|at|aged?|only|just)\s+(\d{1,2})\s*(?:months?|mos?|weeks?|wks?)\b",
    re.IGNORECASE,
)
_AGE_WEEKS = re.compile(r"\d\s*(?:weeks?|wks?)\b", re.IGNORECASE)
_AGE_YEARS = re.compile(
    r"\b(\d{1,2})\s*-?\s*(?:years?|yrs?)\s*-?\s*old\b|\b(\d{1,2})\s*y/?o\b|\baged?\s+(\d{1,2})\b|\((\d{1,2})\)"
    r"|\b(?:is|turned|he's|she's|hes|shes|i'm|im|i am)\s+(\d{1,2})\b"
    r"(?!\s*(?:months?|mos?|weeks?|wks?|kg|%|lb|pounds?))",
    re.IGNORECASE,
)
# "..., not risk factors" / "not chemo, radiation": the part a correction rejects.
_REJECTED = re.compile(
    r"\b(?:not|isn't|wasn't|doesn't have|doesnt have|does not have|don't have|dont have)\s+(?:the\s+)?"
    r"[^,.;!?]*(?:[,.;!?]|$)",
    re.IGNORECASE,
)
_TREATMENT_WORDS = ("treat", "therap", "chemo", "drug", "med", "transplant")
# "is he at risk too?", "at higher risk for that": the chance of getting something, not a risk group (a
# bare "at high risk" may be either, and is left as it is).
_AT_RISK = re.compile(
    r"\bat\s+(?:an?\s+)?(?:(?:higher|more|increased|greater|bigger|lower|less|any|some|extra)\s+)?risk\b", re.IGNORECASE
)
_PLACE_PRO_FORMS = frozenset({"there"})  # "can chemo get there?": the place the last answer named
_BE = frozenset({"is", "are", "was", "were", "be", "isn't", "aren't", "'s", "s"})  # "are there", "there is"
_PRONOUNS = frozenset({"it", "its", "it's", "that", "this", "they", "them", "those", "these", "one", "ones"})
# "one" / "ones" after an article and a word that describes it names something ("the targeted ones", "the spinal
# one"); after one of these, after a verb or alone, it points back ("the last one", "that one", "find one").
_ARTICLES = frozenset({"the", "a", "an"})
_POINTING_BEFORE_ONE = frozenset(
    "the a that this these those which what other another each every any no first second third fourth fifth "
    "last next previous same 1st 2nd 3rd".split()
)
_NOT_POPULATIONS = frozenset({"immunotherapy"})  # "car t" is a treatment, not a group of children


_ONE = frozenset({"one", "ones"})
_ASKS_WHAT_FOR = re.compile(r"\b(?:for|used for)\s*\??\s*$", re.IGNORECASE)
# "how does blinatumomab work?", "what does dasatinib do?": how a named treatment works.
_HOW_IT_WORKS = re.compile(
    r"\bhow (?:does|do|would|will|can) .{1,40}?\b(?:work|works|act|acts)\b|\bwhat (?:does|do|will) .{1,40}?\bdo\b",
    re.IGNORECASE,
)
# Pronouns that point back at the topic talked about; not "this" / "these", which point at what the message
# itself names ("is the info on this site official?").
_POINTING_BACK_AT_A_TOPIC = frozenset({"it", "its", "it's", "that", "they", "them", "those"})


class FollowUpsError(ValueError):
    """``follow_ups.yml`` is malformed."""


@dataclass(frozen=True)
class Context:
    """The conversation so far. ``detoured``: the last reply did not come from ``section`` (an
    out-of-scope or chitchat reply in between), so "back to ..." means ``section``, not ``previous``."""

    section: str | None = None
    previous: str | None = None
    shown_blocks: tuple[int, ...] = ()
    population_section: str | None = None
    subject: str | None = None
    list_section: str | None = None
    list_items: tuple[str, ...] = ()
    detoured: bool = False


@dataclass(frozen=True)
class Resolution:
    """How to answer a follow-up: from ``section``, searching with ``query``; or offer ``offer``."""

    kind: str  # return | correction | population | ordinal | meaning | more | same_topic | part | new_topic
    section: str | None
    query: str
    offer: tuple[str, ...] = field(default_factory=tuple)
    # same_topic: lead with what was not shown yet (see _prefers_unshown)
    fresh: bool = False
    term: str | None = None  # for meaning: the id of the glossary term to explain (``offer``: term ids)


class FollowUpCues:
    def __init__(self, path: Path = FOLLOW_UPS_FILE) -> None:
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise FollowUpsError(f"{path.name}: cannot read: {exc}") from None
        expected = {
            *_CUE_KINDS,
            *(
                "ordinals",
                "short_words",
                "populations",
                "not_populations",
                "ages",
                "carried_into",
                "carry_min_score",
                "carry_min_ratio",
                "group_min_ratio",
                "treatment_asks",
                "keeps_section",
                "aspect_sections",
            ),
        }
        if not isinstance(raw, Mapping) or set(raw) != expected:
            raise FollowUpsError(f"{path.name}: expected exactly the fields {sorted(expected)}")
        try:
            self.cues: dict[str, tuple[Term, ...]] = {k: parse_terms(raw[k], f"{path.name}: {k}") for k in _CUE_KINDS}
            ordinals = raw["ordinals"]
            if not isinstance(ordinals, Mapping) or set(ordinals) != set(_ORDINALS):
                raise FollowUpsError(f"{path.name}: ordinals must be exactly {list(_ORDINALS)}")
            self.ordinals: dict[str, tuple[Term, ...]] = {
                k: parse_terms(v, f"{path.name}: ordinals.{k}") for k, v in ordinals.items()
            }
        except ValueError as exc:
            raise FollowUpsError(str(exc)) from None
        if not isinstance(raw["short_words"], int) or raw["short_words"] < 1:
            raise FollowUpsError(f"{path.name}: short_words must be a positive integer")
        self.short_words = int(raw["short_words"])
        populations = raw["populations"]
        if not isinstance(populations, Mapping) or not populations:
            raise FollowUpsError(f"{path.name}: populations must map treatment sections to phrases")
        try:
            self.populations = {str(k): parse_terms(v, f"{path.name}: populations.{k}") for k, v in populations.items()}
        except ValueError as exc:
            raise FollowUpsError(str(exc)) from None
        try:
            self.not_populations = parse_terms(raw["not_populations"], f"{path.name}: not_populations")
        except ValueError as exc:
            raise FollowUpsError(str(exc)) from None
        ages = raw["ages"]
        if not isinstance(ages, Mapping) or set(ages) != set(_AGE_FIELDS):
            raise FollowUpsError(f"{path.name}: ages must be exactly {list(_AGE_FIELDS)}")
        if not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in ages.values()):
            raise FollowUpsError(f"{path.name}: ages must be positive integers")
        self.infant_under_months = int(ages["infant_under_months"])
        self.adolescent_years = range(int(ages["adolescent_from_years"]), int(ages["adolescent_to_years"]) + 1)
        carried = raw["carried_into"]
        if not isinstance(carried, list) or not all(isinstance(c, str) for c in carried):
            raise FollowUpsError(f"{path.name}: carried_into must be a list of section ids")
        self.carried_into = frozenset(carried)
        score = raw["carry_min_score"]
        if isinstance(score, bool) or not isinstance(score, int | float) or score < 0:
            raise FollowUpsError(f"{path.name}: carry_min_score must be a non-negative number")
        self.carry_min_score = float(score)
        ratio = raw["carry_min_ratio"]
        if isinstance(ratio, bool) or not isinstance(ratio, int | float) or not 0 <= ratio <= 1:
            raise FollowUpsError(f"{path.name}: carry_min_ratio must be a number from 0 to 1")
        self.carry_min_ratio = float(ratio)
        group_ratio = raw["group_min_ratio"]
        if isinstance(group_ratio, bool) or not isinstance(group_ratio, int | float) or group_ratio <= 0:
            raise FollowUpsError(f"{path.name}: group_min_ratio must be a positive number")
        self.group_min_ratio = float(group_ratio)
        self.treatment_asks, self.kept_sections = _treatment_routing(raw, path.name)
        aspects = raw["aspect_sections"]
        if not isinstance(aspects, list) or not all(isinstance(a, str) for a in aspects):
            raise FollowUpsError(f"{path.name}: aspect_sections must be a list of section ids")
        self.aspect_sections = frozenset(aspects)
        self._tokenizer = Tokenizer({}, [], lambda _word: True)

    def tokens(self, text: str) -> list[Token]:
        return self._tokenizer.tokens(text)

    def has(self, kind: str, tokens: list[Token]) -> bool:
        return any(next(term.find(tokens), None) is not None for term in self.cues[kind])

    def spans(self, kind: str, tokens: list[Token]) -> list[tuple[int, int]]:
        """Where the cue phrases of ``kind`` are in ``tokens``: (start, end) word positions."""
        return [span for term in self.cues[kind] for span in term.find(tokens)]

    def strip(self, kind: str, tokens: list[Token]) -> str:
        """The message without the cue phrases of ``kind``."""
        dropped = {i for s, e in self.spans(kind, tokens) for i in range(s, e)}
        return " ".join(t.text for i, t in enumerate(tokens) if i not in dropped)

    def asks_treatment(self, text: str) -> bool:
        """Whether ``text`` asks about treatment: what is given or done ("more chemo", "is a transplant
        used", "how is it treated") — a ``treatment_asks`` phrase."""
        tokens = self.tokens(text)
        return any(next(term.find(tokens), None) is not None for term in self.treatment_asks)

    def names_population(self, section_id: str, text: str) -> bool:
        """Whether ``text`` names the population of ``section_id`` in words (PDQ text included: its "not
        given to infants" names infants, unlike a parent's "he doesn't have Down syndrome")."""
        tokens = self.tokens(text)
        return any(next(term.find(tokens), None) is not None for term in self.populations.get(section_id, ()))

    def keeps_section(self, kb: KnowledgeBase, section_id: str) -> bool:
        """Whether questions of ``section_id`` keep it even when they name a group and its treatment: it
        or a section above it is in ``keeps_section``."""
        current: str | None = section_id
        while current is not None:
            if current in self.kept_sections:
                return True
            current = kb.section(current).parent if current in kb.sections else None
        return False

    def ordinal(self, tokens: list[Token]) -> str | None:
        for name, terms in self.ordinals.items():
            if any(next(term.find(tokens), None) is not None for term in terms):
                return name
        return None

    def picked_position(self, tokens: list[Token]) -> str | None:
        """The ordinal of a message that picks an item of a list by its position: a short message with an
        ordinal ("the last one?"), or a longer one whose ordinal stands in a short phrase of its own with a
        pro-form ("the second one on that list, how does it work?"); not "the first time she had chemo,
        ..." (no pro-form in the phrase)."""
        if len(tokens) <= self.short_words:
            return self.ordinal(tokens)
        for name, terms in self.ordinals.items():
            for term in terms:
                for start, end in term.find(tokens):
                    if end < len(tokens) and tokens[end].text in _ONE:
                        return name  # "the second one", in a message of any length
                    where = (tokens[start].sentence, tokens[start].phrase)
                    phrase = [t for t in tokens if (t.sentence, t.phrase) == where]
                    if len(phrase) <= ORDINAL_PHRASE_MAX_WORDS and (
                        self.has("pro_forms", phrase) or self.has("list_pointers", phrase)
                    ):
                        return name
        return None

    def population_words(self, text: str) -> str | None:
        """The words naming a population in ``text`` ("spinal fluid", "trisomy 21"), if it names one; the
        ``not_populations`` phrases ("CAR T-cell therapy") name none."""
        found = self._population_tokens(text)
        for terms in self.populations.values():
            for term in terms:
                span = next(term.find(found), None)
                if span is not None:
                    return " ".join(t.text for t in found[span[0] : span[1]])
        return None

    def without_not_populations(self, text: str) -> str:
        """``text`` without its ``not_populations`` phrases ("can it make it hard to have babies?" names
        no infants); ``text`` itself when it has none."""
        tokens = self.tokens(text)
        dropped = {i for term in self.not_populations for s, e in term.find(tokens) for i in range(s, e)}
        return " ".join(t.text for i, t in enumerate(tokens) if i not in dropped) if dropped else text

    def _population_tokens(self, text: str) -> list[Token]:
        """The tokens of ``text`` that may name a population: without the part a correction rejects ("he
        doesn't have Down syndrome, it's T-cell") and without the ``not_populations`` phrases."""
        found = self.tokens(_REJECTED.sub(" ", text))
        dropped = {i for term in self.not_populations for s, e in term.find(found) for i in range(s, e)}
        return [t for i, t in enumerate(found) if i not in dropped]

    def population(self, text: str) -> str | None:
        """The treatment section of the population ``text`` names in words or by an age, if any."""
        found = self.tokens(_REJECTED.sub(" ", text))  # "he doesn't have Down syndrome, it's T-cell"
        dropped = {i for term in self.not_populations for s, e in term.find(found) for i in range(s, e)}
        tokens = [t for i, t in enumerate(found) if i not in dropped]
        for section_id, terms in self.populations.items():
            if any(next(term.find(tokens), None) is not None for term in terms):
                return section_id
        for match in _AGE_MONTHS.finditer(text):
            months = int(next(g for g in match.groups() if g))
            if _AGE_WEEKS.search(match.group(0)):
                months = months // 4
            if months < self.infant_under_months:
                return "treatment-infants"
        for match in _AGE_YEARS.finditer(text):
            if int(next(g for g in match.groups() if g)) in self.adolescent_years:
                return "treatment-adolescents-young-adults"
        return None


def _treatment_routing(raw: Mapping[str, object], name: str) -> tuple[tuple[Term, ...], frozenset[str]]:
    """The ``treatment_asks`` phrases and the ``keeps_section`` section ids of ``follow_ups.yml``."""
    try:
        asks = parse_terms(raw["treatment_asks"], f"{name}: treatment_asks")
    except ValueError as exc:
        raise FollowUpsError(str(exc)) from None
    kept = raw["keeps_section"]
    if not isinstance(kept, list) or not all(isinstance(k, str) for k in kept):
        raise FollowUpsError(f"{name}: keeps_section must be a list of section ids")
    return asks, frozenset(kept)


@lru_cache(maxsize=1)
def cues() -> FollowUpCues:
    return FollowUpCues()


@lru_cache(maxsize=512)  # read again for every earlier message of the session on every turn
def population_told(text: str) -> str | None:
    """The treatment section of the population ``text`` names in words or by an age (no risk group)."""
    return cues().population(text)


@lru_cache(maxsize=512)  # read again for every earlier message of the session on every turn
def risk_group_told(text: str) -> str | None:
    """The treatment section of the risk group a parent tells their child is in ("they've placed our son in
    the high risk group", "the oncologist said she is standard risk"): a risk group named in a sentence
    of at least :data:`RISK_GROUP_STATEMENT_MIN_WORDS` words that asks nothing. A question ("is high risk
    worse than standard risk?") or an ellipsis ("and very high risk", "what about high risk") tells no
    child's group."""
    for sentence in sentences(text):
        tokens = cues().tokens(sentence)
        if (
            is_question(sentence)
            or len(tokens) < RISK_GROUP_STATEMENT_MIN_WORDS
            or tokens[0].text in _ELLIPSIS_OPENERS
            or cues().has("moves_on", tokens)
        ):
            continue
        group = _risk_group_named(sentence)
        if group is not None:
            return group
    return None


def _risk_group_named(text: str) -> str | None:
    """The treatment section of the risk group ``text`` names ("high risk"), not counting a chance ("at
    higher risk of relapse")."""
    topic = services.knowledge_base().topics.get("ask_treatment_for_group")
    group = _named_in_text(topic.by_entity, without_chances(text)) if topic is not None else None
    return group if group in _RISK_GROUP_SECTIONS else None


def population_section(kb: KnowledgeBase, text: str) -> str | None:
    """The treatment section of a population the message names ("teenagers", "our 8 month old", "T-cell",
    "it came back"), then of a risk group it names ("very high risk"), if any."""
    if kb is not services.knowledge_base():
        return _population_in(kb, text)
    return _cached_population(text)


@lru_cache(maxsize=256)  # asked several times per message (resolve, carry, slots)
def _cached_population(text: str) -> str | None:
    return _population_in(services.knowledge_base(), text)


def _population_in(kb: KnowledgeBase, text: str) -> str | None:
    population = cues().population(text)
    topic = kb.topics.get("ask_treatment_for_group")
    plain = without_chances(cues().without_not_populations(text))
    group = _named_in_text(topic.by_entity, plain) if topic is not None else None
    group = group if group not in _NOT_POPULATIONS else None
    # The brain, spine and testicles also name where a treatment goes ("chemo into the spinal fluid"): a
    # risk group the message names is then the children it is about.
    if population == CNS_SECTION and group in _RISK_GROUP_SECTIONS:
        return group
    if population is not None and population in kb.sections:
        return population
    return group


def subject_of(text: str) -> str | None:
    """The words of the population the message names ("spinal fluid"), else of the term, drug, test or
    section it names ("CAR T-cell therapy"); None when it names none."""
    population = cues().population_words(text)
    if population is not None:  # "leukemia cells in her spinal fluid": the group, not "leukemia cells"
        return population
    for result in services.term_matcher().find_in_text(text):
        if result.best is not None:
            return result.best.name
    return None


def subject_after(text: str, section_id: str, context: Context) -> str | None:
    """The subject a reply from ``section_id`` to ``text`` leaves the conversation about (None: the
    message names none). A message that moves the conversation to ``section_id``, refers back with a
    pronoun and names only the new section's topic ("does it change the prognosis?" after leukemia
    cells in the spinal fluid) is still about the carried subject: the pronoun stands for it, the
    section is the new topic. Within the same section a subject named is the new one ("is total-body
    irradiation part of it?")."""
    subject = subject_of(text)
    carried = context.subject
    if subject is None or carried is None or section_id == context.section:
        return subject
    refers_back = any(t.text in _PRONOUNS for t in cues().tokens(text))
    return carried if refers_back and named_topic(subject) == section_id else subject


def _refers_back(tokens: Sequence[Token]) -> bool:
    """Whether the message has a pronoun pointing back at the conversation: "it", "that", "they", or "one" /
    "ones" unless an article and a describing word come before it ("the targeted ones")."""
    for i, token in enumerate(tokens):
        if token.text in ("one", "ones"):
            described = i >= 2 and tokens[i - 2].text in _ARTICLES and tokens[i - 1].text not in _POINTING_BEFORE_ONE
            if not described:  # "how would we find one?", "the last one"
                return True
        elif token.text in _PRONOUNS:
            return True
    return False


# Pronouns that, as a longer message's last word, point back at what was just talked about ("I'd like to
# understand what sorts of things fall under that"). Not "this", which points at what the message itself
# says ("Maybe it comes from our genes? Can they test this?").
_LAST_WORD_POINTING_BACK = frozenset({"that", "those"})


def _ends_pointing_back(tokens: Sequence[Token]) -> bool:
    """Whether the message's last word is a pronoun pointing back (:data:`_LAST_WORD_POINTING_BACK`)."""
    return bool(tokens) and tokens[-1].text in _LAST_WORD_POINTING_BACK


def without_chances(text: str) -> str:
    """``text`` without the phrases that speak of a chance ("is he at risk too?", "at higher risk for
    that"): they name no risk group."""
    return _AT_RISK.sub(" ", text)


def named_topic(text: str, *, min_score: float = NAMED_TOPIC_MIN_SCORE) -> str | None:
    """A section the message names on its own: a term, drug or test it names, or a clear search hit."""
    return _named_topic(text, min_score)


@lru_cache(maxsize=256)  # asked several times per message (resolve, corrections, returns)
def _named_topic(text: str, min_score: float) -> str | None:
    kb = services.knowledge_base()
    for result in services.term_matcher().find_in_text(text):
        if result.best is not None:
            return target_section(kb, result.best.target)
    hits = services.section_search().search(text, limit=1)
    if hits and hits[0].score >= min_score:
        return hits[0].section_id
    return None


def target_section(kb: KnowledgeBase, target: Target) -> str | None:
    """The section a named section, glossary term or drug (its first mention) is answered from."""
    if target.kind == "section":
        return target.id
    if target.kind == "term":
        return kb.glossary[target.id].section
    if target.kind == "drug":
        return kb.drugs[target.id].mentions[0].section if kb.drugs[target.id].mentions else None
    return None


def _names_a_treatment_of(text: str, section_id: str) -> bool:
    """Whether ``text`` names a treatment, drug or term answered in ``section_id`` or its parts."""
    kb = services.knowledge_base()
    family = descendants(kb, section_id)
    return any(
        result.best is not None and target_section(kb, result.best.target) in family
        for result in services.term_matcher().find_in_text(text)
    )


@lru_cache(maxsize=256)  # asked for the same message by the topic action and then by carried_population
def asks_how_the_treatment_works(section_id: str, text: str) -> bool:
    """Whether the question of ``text`` (after any story) asks what a treatment of ``section_id`` is or how
    it works, naming it and no group of children ("... Our son relapsed in the spring ... How does
    blinatumomab work?"): the treatment's own section answers, not the group's."""
    question = split_question(text).question
    tokens = cues().tokens(question)
    if population_section(services.knowledge_base(), question) is not None:
        return False
    if not (_asks_what_it_is(tokens) or _HOW_IT_WORKS.search(question)) or _ASKS_WHAT_FOR.search(question):
        return False  # "what are imatinib or dasatinib for?" asks which children get them: the group's section
    return _names_a_treatment_of(question, section_id)


def _searched(text: str) -> str | None:
    hits = services.section_search().search(text, limit=1)
    return hits[0].section_id if hits else None


def leans_on_context(text: str) -> bool:
    """Whether ``text`` needs the conversation to be understood (a follow-up), by its cues alone."""
    c = cues()
    tokens = c.tokens(text)
    if any(c.has(kind, tokens) for kind in ("returns", "corrections", "meaning")):
        return True
    if c.picked_position(tokens) is not None:
        return True
    return len(tokens) <= c.short_words and any(c.has(kind, tokens) for kind in ("why", "more", "leaning"))


def counts_in_a_list(text: str) -> bool:
    """Whether a short message picks an item by its position ("explain the second one")."""
    c = cues()
    tokens = c.tokens(text)
    return c.picked_position(tokens) is not None


# An item of a list is named inline by its first words, up to its verb or its label's colon
# ("Remission induction is the first phase ..." -> "remission induction"); lists of at least
# INLINE_LIST_MIN_ITEMS items whose names are at most INLINE_NAME_MAX_WORDS words long count.
_ITEM_NAME = re.compile(r"^(?P<name>[^:,.]+?)(?::| is | are )")
INLINE_LIST_MIN_ITEMS = 3
INLINE_NAME_MAX_WORDS = 4


def _spelled(text: str) -> str:
    """``text`` as the term matcher's key (:func:`actions.text_normalisation.match_key`), one space between
    words and one around them, so that a name is found only as whole words."""
    return f" {' '.join(match_key(text).split())} "


@lru_cache(maxsize=1)  # the knowledge base is fixed while the server runs
def _nameable_lists() -> tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]:
    """Every list of the knowledge base whose items all have a short name: (section, items, names)."""
    kb = services.knowledge_base()
    found = []
    for section in kb.sections.values():
        for block in section.blocks:
            if block.kind != "list" or len(block.items) < INLINE_LIST_MIN_ITEMS:
                continue
            names = [_ITEM_NAME.match(item) for item in block.items]
            if all(n is not None and len(n.group("name").split()) <= INLINE_NAME_MAX_WORDS for n in names):
                found.append((section.id, tuple(block.items), tuple(_spelled(n.group("name")) for n in names if n)))
    return tuple(found)


def list_named_inline(
    kb: KnowledgeBase, section_id: str, shown_blocks: Sequence[int]
) -> tuple[str, tuple[str, ...]] | None:
    """The list of another section whose every item a block shown names, in order, in one sentence
    ("during the remission induction, consolidation/intensification, and maintenance phases" names the
    three phases): ordinals then count in it ("what happens in the second one?"). Its section and items,
    or None."""
    section = kb.section(section_id)
    shown = [_spelled(t) for i in shown_blocks if i < len(section.blocks) for t in section.blocks[i].texts()]
    for list_section, items, names in _nameable_lists():
        if list_section == section_id:
            continue
        for text in shown:
            places = [text.find(name) for name in names]
            if all(p >= 0 for p in places) and places == sorted(places):
                return list_section, items
    return None


def shown_list(kb: KnowledgeBase, section_id: str, shown_blocks: Sequence[int]) -> tuple[str, ...]:
    """The items a reply from ``section_id`` showing ``shown_blocks`` put in front of the parent, in
    order: its last list shown (else a closing lead, "Types of treatment your child might have include:", lists
    the headings that follow it); else the labels of the section's labelled entries ("Blinatumomab",
    "CAR T-cell therapy"); else the section's only list; else, for a section with no text of its own, the
    headings a closing lead of one of its parts lists, or else its parts' headings; else the headings of
    the parts of a section that only lists its parts."""
    section = kb.section(section_id)
    # A list of the section's own comes before the headings a closing lead lists: after the phases and
    # "Types of treatment your child might have include:", "the 2nd phase" is in the phases.
    for index in sorted(shown_blocks, reverse=True):
        if index < len(section.blocks) and section.blocks[index].kind == "list":
            return tuple(section.blocks[index].items)
    if len(section.blocks) - 1 in shown_blocks and ends_with_a_lead(section):
        return headings_listed_after(kb, section)
    part = part_closing_with_a_lead(kb, section)
    if part is not None:
        return headings_listed_after(kb, part)
    labels = tuple(b.label for b in section.blocks if b.kind == "labelled" and b.label)
    if labels:
        return labels
    lists = [b for b in section.blocks if b.kind == "list"]
    if len(lists) == 1:  # the section's one list, even if the reply led with a sentence about it
        return tuple(lists[0].items)
    if section.children and (not section.blocks or any(b.text.rstrip().endswith(":") for b in section.blocks)):
        return tuple(kb.section(c).heading for c in section.children)  # "The tests ... may include:"
    return ()


def _listed_item(kb: KnowledgeBase, text: str, tokens: list[Token], context: Context) -> Resolution | None:
    """An item of the list last shown that the message picks by its position ("the last one") or, short
    and leaning on the conversation, names by its label ("and the high one?"): answered from the item's
    section (:func:`_item_target`), searched with the item and the message."""
    c = cues()
    ordinal = c.picked_position(tokens)
    item = _pick(context.list_items, ordinal) if ordinal is not None else None
    if item is None and len(tokens) <= c.short_words and leans_on_context(text):
        item = _item_named(text, context)
    if item is None and context.list_items:
        # "What about high risk — what would have put him there instead?": the words after "what about"
        named = _named_after("moves_on", tokens)
        item = _item_named(" ".join(named), context) if named else None
    if item is None:
        return None
    list_section = context.list_section or context.section
    if list_section is None:
        return None
    target = _item_target(kb, item, text, list_section)
    # In another section (a group's treatment) the item's label names it ("Standard risk"); its
    # description (ages, blood counts) would match sentences there that are about other things.
    about = item if target == list_section else item.split(":", 1)[0]
    return Resolution("ordinal", target, f"{about} {text}")


def _item_named(text: str, context: Context) -> str | None:
    """The item of the list last shown that ``text`` names by its label ("and the high one?", "what about
    very high?" after the risk groups; "High risk" of "High risk: Children 10 years and older ..."), or
    by the whole item when it is short: the item whose label shares the largest part of the content
    words of both (at least :data:`ITEM_NAMED_MIN_SHARE`), when no other item shares as much."""
    c = cues()
    said = {w for w in lemmas(c.strip("pro_forms", c.tokens(text))) if len(w) > 1}  # "the high one"
    if not said or not context.list_items:
        return None
    shares: list[tuple[float, str]] = []
    for item in context.list_items:
        label = {w for w in lemmas(item.split(":", 1)[0] if ":" in item else item) if len(w) > 1}
        if label and len(label) <= ITEM_LABEL_MAX_WORDS:
            spelled = spelled_as(said, label)  # "the bone marow one"
            shares.append((len(spelled & label) / len(spelled | label), item))
    shares.sort(key=lambda share: share[0], reverse=True)
    if not shares or shares[0][0] < ITEM_NAMED_MIN_SHARE or (len(shares) > 1 and shares[1][0] == shares[0][0]):
        return None
    return shares[0][1]


def spelled_as(said: set[str], words: set[str]) -> set[str]:
    """``said`` with each word that is a misspelling of one of ``words`` (rapidfuzz ratio at least
    :data:`SPELLED_AS_MIN_RATIO`, both at least :data:`SPELLED_AS_MIN_LENGTH` letters) replaced by it."""
    spelled = set()
    for word in said:
        if word not in words and len(word) >= SPELLED_AS_MIN_LENGTH:
            match = process.extractOne(
                word,
                [w for w in words if len(w) >= SPELLED_AS_MIN_LENGTH],
                scorer=fuzz.ratio,
                score_cutoff=SPELLED_AS_MIN_RATIO,
            )
            word = match[0] if match is not None else word
        spelled.add(word)
    return spelled


def _described_one(kb: KnowledgeBase, text: str, tokens: list[Token], context: Context) -> Resolution | None:
    """Another topic of the current one's family that the message describes as "the ... one" ("what about
    the bone marrow one?", "the one in the lower back?", "I meant the count one, with the platelets"):
    the part of the current section or a sibling whose heading has the words naming it (the only one that
    has the most of them); for "the one" and what it is or does, else the one whose passages answer those
    words best (:func:`_sibling_described`). None when that is the current topic."""
    if context.section is None:
        return None
    after = _ONE_DESCRIBED_AFTER.search(text)
    naming = _words_naming_one(tokens)
    if after is None and not naming:
        return None
    parent = kb.section(context.section).parent
    family = [*kb.section(context.section).children, *(kb.section(parent).children if parent else ())]
    candidates = [s for s in dict.fromkeys(family) if s != context.section]
    if not candidates:
        return None
    c = cues()
    words = " ".join(naming) if naming else text[after.end() if after else 0 :]
    said = {w for w in lemmas(words) if len(w) > 2}
    by_heading = _sibling_by_heading(kb, said, [context.section, *candidates])
    if by_heading == context.section:
        return None  # "the chemo one" in the chemotherapy section describes what is being talked about
    # Described by what it does ("the one in the lower back"): the best passage, unless it is the current topic's.
    found = by_heading or (_sibling_described(kb, words, [context.section, *candidates]) if not naming else None)
    if found is None or found == context.section:
        return None
    return Resolution("correction" if c.has("corrections", tokens) else "new_topic", found, text)


def _words_naming_one(tokens: Sequence[Token]) -> list[str]:
    """The words between "the" and "one" / "ones" that name something ("the bone marrow one": bone, marrow),
    at most :data:`DESCRIBED_ONE_MAX_WORDS`; none for pointing or linking words ("the first one", "for that
    one")."""
    for i, token in enumerate(tokens):
        if token.text not in _ONE:
            continue
        for j in range(i - 1, max(i - DESCRIBED_ONE_MAX_WORDS - 1, 0) - 1, -1):
            word = tokens[j].text
            if word == "the":
                if j < i - 1:
                    return [t.text for t in tokens[j + 1 : i]]
                break
            if word in _POINTING_BEFORE_ONE or word in STOP_WORDS or not word.isalpha():
                break
    return []


def _sibling_by_heading(kb: KnowledgeBase, said: set[str], candidates: Sequence[str]) -> str | None:
    """The one of ``candidates`` whose heading shares the most words with ``said`` (misspellings allowed),
    when no other shares as many; words every candidate's heading has count for none."""
    headings = {s: {w for w in lemmas(kb.section(s).heading) if len(w) > 2} for s in candidates}
    common = set.intersection(*headings.values()) if len(headings) > 1 else set()
    counts = sorted(
        ((len(spelled_as(said, words - common) & (words - common)), s) for s, words in headings.items()),
        reverse=True,
    )
    if not counts or counts[0][0] == 0 or (len(counts) > 1 and counts[1][0] == counts[0][0]):
        return None
    return counts[0][1]


def _pick(items: Sequence[str], ordinal: str) -> str | None:
    if not items:
        return None
    if ordinal == "middle":
        return items[len(items) // 2] if len(items) % 2 == 1 else None
    position = {"first": 0, "second": 1, "third": 2, "fourth": 3, "last": -1}[ordinal]
    if position >= len(items):
        return None
    return items[position]


def _item_target(kb: KnowledgeBase, item: str, text: str, list_section: str) -> str:
    """The section an item of a list answers from: the section it names by heading; the treatment
    section of the group it names when the question is about treatment ("how is the last one treated?",
    "will he get more chemo in that one?" over the risk groups); else the list's own section ("what
    about high risk — what would have put him there instead?")."""
    named = kb.section_by_heading(item)
    if named is not None:
        return named.id
    label = item.split(":", 1)[0]
    tokens = cues().tokens(text)
    if any(t.text.startswith(_TREATMENT_WORDS) for t in tokens) or (
        cues().has("about_child", tokens) and cues().asks_treatment(text)
    ):
        group = population_section(kb, label)
        if group is not None and group in kb.sections and group != list_section:
            return group
    return list_section


def _place_pointed_at(kb: KnowledgeBase, tokens: list[Token], context: Context) -> bool:
    """Whether a follow-up points with "there" at the brain and spinal cord ("why can't ordinary chemo get
    there?" after "chemotherapy ... placed directly into the cerebrospinal fluid"): the blocks last shown
    name that place (the populations of :data:`CNS_SECTION`) and no other group, and the conversation is
    not in its section already. The other groups are no places ("why are the doses lower there" about a
    phase that "may cause a relapse")."""
    if context.section in (None, CNS_SECTION) or not any(_points_at_a_place(tokens, i) for i in range(len(tokens))):
        return False
    section = kb.section(str(context.section))
    shown = [section.blocks[i] for i in context.shown_blocks if i < len(section.blocks)]
    text = " ".join(t for b in shown for t in b.texts())
    return {p for p in cues().populations if cues().names_population(p, text)} - {context.section} == {CNS_SECTION}


def _points_at_a_place(tokens: list[Token], i: int) -> bool:
    """Whether ``tokens[i]`` is a place pro-form: "get there", not the "there" of "are there", "there is"."""
    if tokens[i].text not in _PLACE_PRO_FORMS:
        return False
    before = tokens[i - 1].text if i > 0 else ""
    after = tokens[i + 1].text if i + 1 < len(tokens) else ""
    return before not in _BE and after not in _BE


def _glossary_in_view(kb: KnowledgeBase, context: Context) -> list[str]:
    """The ids of the glossary terms in the blocks last shown (what “what does that mean?” may ask about)."""
    if context.section is None:
        return []
    section = kb.section(context.section)
    shown = [section.blocks[i] for i in context.shown_blocks if i < len(section.blocks)] or list(section.blocks)
    text = " ".join(t for b in shown for t in b.texts()).casefold()
    return [g.id for g in kb.glossary.values() if g.term.casefold() in text]


def with_subject(text: str, context: Context, *, heading: bool = True) -> str:
    """The search words of a follow-up: the message with the current subject (or, with ``heading``, the
    section's heading) in place of its pro-forms ("the genetic ones" -> "the genetic risk factor"), or
    added to it."""
    kb = services.knowledge_base()
    about = context.subject or (kb.section(context.section).heading if context.section and heading else "")
    c = cues()
    tokens = c.tokens(text)
    if about and c.has("pro_forms", tokens):
        return f"{c.strip('pro_forms', tokens)} {about}"
    return f"{text} {about}".strip()


def _family(kb: KnowledgeBase, section_id: str) -> set[str]:
    """A section with its ancestors and descendants (one topic, several headings)."""
    family = set(descendants(kb, section_id))
    parent = kb.section(section_id).parent
    while parent:
        family.add(parent)
        parent = kb.section(parent).parent
    return family


def _return(kb: KnowledgeBase, tokens: list[Token], context: Context) -> Resolution | None:
    """ "back to what we were talking about": the topic before the detour. What the return names ("back
    to the transplant itself — does he ...", :func:`_return_named`) chooses where to: the topic it names
    by its heading ("the phases" -> the treatment phases); else the earlier topic when its passages use
    those words ("back to the tests" after a follow-up care answer); else a topic it clearly names. A return
    that names nothing ("back to what I was asking") goes back to the earlier topic whatever the question
    after it names."""
    c = cues()
    rest = c.strip("returns", tokens)
    target = context.section if context.detoured else (context.previous or context.section)
    named_words = _return_named(tokens)
    if named_words:
        said = " ".join(named_words)
        named = named_topic(said)
        if (
            named is not None
            and _heading_has(kb, named, named_words)
            and not (target is not None and _heading_has(kb, target, named_words))
        ) or target is None:
            target = named
        elif not _words_in_section(kb, target, said):
            # Another topic by a strong hit only: "back to the people list" is the parent's own words
            # for the care team, not the coping section a weak hit finds.
            target = named_topic(said, min_score=STRONG_TOPIC_MIN_SCORE) or target
    if target is None:
        return None
    if target == context.section:  # back to the current topic: its subject is still the one in the slot
        return Resolution("return", target, with_subject(rest, context))
    return Resolution("return", target, f"{rest} {kb.section(target).heading}".strip())


# What a return names is at most this many words ("back to the stem cell transplant").
RETURN_NAME_MAX_WORDS = 4


def _return_named(tokens: list[Token]) -> list[str]:
    """The words that name where a return goes (:func:`_named_after` the ``returns`` cue)."""
    return _named_after("returns", tokens)


def _named_after(kind: str, tokens: list[Token]) -> list[str]:
    """The words that name what the first cue of ``kind`` points at ("back to the transplant itself — does
    he ...", "what about high risk — what would ..."): after the cue, in its phrase, up to a ``return_ends``
    word (the question after it: "does", "will", "she", "please"), at most RETURN_NAME_MAX_WORDS, without
    ``return_fillers`` ("the", "thing"). Empty when it names nothing."""
    c = cues()
    spans = c.spans(kind, tokens)
    if not spans:
        return []
    end = min(spans)[1]
    ends = {s for s, _ in c.spans("return_ends", tokens)}
    fillers = {i for s, e in c.spans("return_fillers", tokens) for i in range(s, e)}
    named: list[str] = []
    for i in range(end, min(len(tokens), end + RETURN_NAME_MAX_WORDS)):
        if i in ends or tokens[i].phrase != tokens[end - 1].phrase:
            break
        if i not in fillers:
            named.append(tokens[i].text)
    return named


def _heading_has(kb: KnowledgeBase, section_id: str, words: Sequence[str]) -> bool:
    """Whether a word of ``words`` (or its stem: "phase" for "phases") is a word of the section's heading."""
    heading = {w.lower().rstrip("s") for w in re.findall(r"[A-Za-z]+", kb.section(section_id).heading)}
    return any(w.rstrip("s") in heading for w in words if len(w) > 2)


def _words_in_section(kb: KnowledgeBase, section_id: str, text: str) -> bool:
    """Whether a passage of the section (or of the sections under it) shares a word with ``text``."""
    hits = services.passage_search().rank(text, sorted(descendants(kb, section_id)))
    return bool(hits) and hits[0].relevance > 0


def _correction(kb: KnowledgeBase, text: str, context: Context) -> Resolution | None:
    """ "no, I meant the CBC": the topic named once the rejected part ("not risk factors") and the cue
    words are left out; siblings of the current section to choose from when nothing is named."""
    c = cues()
    kept = _REJECTED.sub(" ", text)
    kept_tokens = c.tokens(kept)
    rest = c.strip("corrections", kept_tokens)
    parent = kb.section(context.section).parent if context.section is not None else None
    siblings = [s for s in (kb.section(parent).children if parent else ()) if s != context.section]
    described = _described_one(kb, text, kept_tokens, context)
    named = (
        population_section(kb, rest)
        or (described.section if described is not None else None)
        or (_corrected_to(kb, rest, context, siblings) if rest else None)
    )
    if named is not None:
        return Resolution("correction", named, rest)
    if context.section is not None:
        return Resolution("correction", None, rest, offer=tuple(siblings[:4]))
    return None


def _corrected_to(kb: KnowledgeBase, rest: str, context: Context, siblings: Sequence[str]) -> str | None:
    """The topic a correction's own words (``rest``) mean: one they clearly name; else one of the current
    topic's family that a search finds ("the other way they do it, through the back" within the
    brain and spinal cord section); else a sibling they describe (:func:`_sibling_described`); else
    any search hit."""
    strong = named_topic(rest, min_score=STRONG_TOPIC_MIN_SCORE)
    if strong is not None:
        return strong
    weak = named_topic(rest)
    if weak is not None and context.section is not None and weak in _family(kb, context.section):
        return weak
    return _sibling_described(kb, rest, siblings) or weak


def _sibling_described(kb: KnowledgeBase, rest: str, siblings: Sequence[str]) -> str | None:
    """The sibling of the current section that a correction describes without naming it ("no, I meant the
    one where they go into the hip" after the spinal tap: another test): the sibling (or a part of it)
    with the best passage for the words, when it scores at least :data:`NAMED_TOPIC_MIN_SCORE`."""
    sections = [d for s in siblings for d in descendants(kb, s)]
    hits = services.passage_search().search(rest, limit=1, sections=sections) if sections else []
    if not hits or hits[0].score < NAMED_TOPIC_MIN_SCORE:
        return None
    found = hits[0].passage.section_id
    return next((s for s in siblings if found in descendants(kb, s)), found)


def _item_or_group(
    kb: KnowledgeBase, text: str, tokens: list[Token], context: Context, named: str | None
) -> Resolution | None:
    """A follow-up resolved by the list shown or by a group of children: an item of the list
    (:func:`_listed_item`); the brain and spinal cord pointed at with "there" (:func:`_place_pointed_at`);
    a group the current section answers for (:func:`_answered_here`); a group it names, unless the
    message names another topic (``named``) and asks nothing for another group; the group a drug is
    given to (:func:`_groups_given`). None otherwise."""
    population = population_section(kb, text)
    listed = _listed_item(kb, text, tokens, context)
    if listed is not None:
        return listed
    described = _described_one(kb, text, tokens, context) if population is None else None
    if described is not None:
        return described
    if population is None and _place_pointed_at(kb, tokens, context):
        # the brain and spinal cord are where the treatment or test the message names goes
        return Resolution("population", CNS_SECTION, _about_population(text, CNS_SECTION))
    if population is not None and _answered_here(kb, population, text, tokens, context):
        # "and if it ever comes back?" about the prognosis: the current section says it for that group
        return Resolution("same_topic", context.section, with_subject(text, context))
    if population is not None and (
        named is None
        or named == population
        or named in _family(kb, population)
        or _same_question_for_another_group(kb, tokens, context)
    ):
        return Resolution("population", population, _about_population(text, population))
    return _groups_given(kb, text, context)


def resolve(text: str, context: Context, *, new_topics: bool = False) -> Resolution | None:
    """How to answer ``text`` given the conversation, or None when it stands on its own.

    With ``new_topics`` (the NLU had no confident topic), a topic the message names is returned as a
    ``new_topic`` resolution; otherwise such a message is left to the topic the NLU recognised."""
    kb = services.knowledge_base()
    c = cues()
    tokens = c.tokens(text)
    if c.has("returns", tokens) and (context.previous or context.section):
        return _return(kb, tokens, context)
    if c.has("corrections", tokens):
        return _correction(kb, text, context)
    if context.section is None:
        return None
    named = named_topic(text)
    grouped = _item_or_group(kb, text, tokens, context, named)
    if grouped is not None:
        return grouped
    meaning = _meaning(kb, text, tokens, context)
    if meaning is not None:
        return meaning
    if c.has("more", tokens) and len(tokens) <= c.short_words:
        more = more_about(text, context)
        if more.section == context.section or new_topics:
            return more
        return None  # "tell me more about chemotherapy": a topic of its own, left to the NLU's intent
    if (
        named == context.section
        and any(t.text in _POINTING_BACK_AT_A_TOPIC for t in tokens)
        and population_section(kb, text) in (None, context.section)
    ):
        # "can they help us explain the results to the grandparents?" after genetic counseling: what it
        # points back at is the topic its own words find, whatever the classifier makes of them.
        return Resolution("same_topic", context.section, with_subject(text, context))
    pronoun = (len(tokens) <= c.short_words and _refers_back(tokens)) or _ends_pointing_back(tokens)
    strong = named_topic(text, min_score=STRONG_TOPIC_MIN_SCORE) if named is not None else None
    carried = _told_populations_treatment(kb, text, tokens, context, strong) or _longer_follow_up(
        kb, text, tokens, context, named, new_topics=new_topics
    )
    if carried is not None:
        return carried
    if named is not None and named not in descendants(kb, context.section) and (strong or not pronoun):
        # "why is it needed?" names nothing new, whatever a weak search hit says.
        return _named_elsewhere(text, named, context, new_topics=new_topics, strong=strong is not None)
    part = _named_part(kb, text, context, strong)
    if part is not None:
        return part
    if leans_on_context(text) or _ends_pointing_back(tokens):
        if context.population_section and any(t.text.startswith(_TREATMENT_WORDS) for t in tokens):
            # "how is it treated?" after "our baby is 8 months old": the population's treatment
            return Resolution(
                "population", context.population_section, _about_population(text, context.population_section)
            )
        fresh = _prefers_unshown(text, context)
        return Resolution("same_topic", context.section, with_subject(text, context), fresh=fresh)
    if new_topics and named is None and len(tokens) <= c.short_words and _words_found_here(kb, text, context):
        # The NLU had no topic, the message names none and is short ("given how?", "what would we need to
        # bring?"): it goes on with the current topic when the section's own passages use its words.
        fresh = _prefers_unshown(text, context)
        return Resolution("same_topic", context.section, with_subject(text, context), fresh=fresh)
    return None


# A follow-up that points back stays on the current topic when its best passage there scores at least
# this share of the best passage in the section a search hit names.
STAY_MIN_SHARE = 0.8


# Pronouns that point at a thing just talked about; "they" in "how do they check the brain?" are the doctors.
_THING_PRONOUNS = _PRONOUNS - {"they", "them", "one", "ones"}


def _points_at_a_thing(tokens: Sequence[Token]) -> bool:
    """Whether the message has a pronoun pointing at a thing ("is it done before ...?", "is that common?")."""
    return any(t.text in _THING_PRONOUNS for t in tokens)


def _answers_as_well_here(kb: KnowledgeBase, text: str, named: str, context: Context) -> bool:
    """Whether the current topic's best passage for ``text`` scores at least :data:`STAY_MIN_SHARE` of
    the best passage of the ``named`` section (and its subsections)."""
    if context.section is None or named in descendants(kb, context.section):
        return False
    search = services.passage_search()
    here = search.search(text, limit=1, sections=sorted(descendants(kb, context.section)))
    there = search.search(text, limit=1, sections=sorted(descendants(kb, named)))
    if not here:
        return False
    return not there or here[0].score >= STAY_MIN_SHARE * there[0].score


def _told_populations_treatment(
    kb: KnowledgeBase, text: str, tokens: list[Token], context: Context, strong: str | None
) -> Resolution | None:
    """The treatment of the population told earlier, when the message asks for it
    (:func:`_asks_the_told_populations_treatment`); the treatment of a risk group the message names
    instead ("so what does high risk treatment look like?" after "my son is 16")."""
    if not _asks_the_told_populations_treatment(kb, tokens, context, strong):
        return None
    population = context.population_section or ""
    group = _risk_group_named(text)
    if group is not None and group != population:
        return Resolution("new_topic", group, text)
    return Resolution("population", population, _about_population(text, population))


def _longer_follow_up(
    kb: KnowledgeBase, text: str, tokens: list[Token], context: Context, named: str | None, *, new_topics: bool
) -> Resolution | None:
    """A follow-up longer than the short cues: "Tell me more, is that type common at his age?" opens a
    question of its own, read in the conversation like any other message; "and is it done before or after
    they know it's leukemia?" after the spinal tap points at a thing and stays on the current topic when
    its passages answer as well as those of the section a name in it points to ("leukemia")."""
    if _opens_with_more(tokens):
        c = cues()
        rest = c.strip("more", tokens)
        if rest:
            read = resolve(rest, context, new_topics=new_topics)
            rest_tokens = c.tokens(rest)
            if read is None and (_refers_back(rest_tokens) or c.has("pro_forms", rest_tokens)):
                return more_about(text, context)  # "can you tell me more about what kinds there are?"
            return read
    if named is not None and _points_at_a_thing(tokens) and _answers_as_well_here(kb, text, named, context):
        fresh = _prefers_unshown(text, context)
        return Resolution("same_topic", context.section, with_subject(text, context), fresh=fresh)
    return None


# "Tell me more", "can you tell me more": a request for more that opens the message.
MORE_OPENS_WITHIN = 2


def _opens_with_more(tokens: list[Token]) -> bool:
    """Whether a ``more`` cue starts within the first :data:`MORE_OPENS_WITHIN` words of the message."""
    return any(start <= MORE_OPENS_WITHIN for start, _ in cues().spans("more", tokens))


def _words_found_here(kb: KnowledgeBase, text: str, context: Context) -> bool:
    """Whether a passage of the current section (or of the sections under it) shares a word with ``text``."""
    return context.section is not None and _words_in_section(kb, context.section, text)


def _answered_here(kb: KnowledgeBase, population: str, text: str, tokens: list[Token], context: Context) -> bool:
    """Whether a follow-up naming ``population`` asks about it within the current topic: "and if it ever
    comes back?" about the prognosis ("For leukemia that comes back after treatment, your child's
    prognosis depends partly on: ..."), "how is it treated if it's only in the testicles?" about a
    relapse ("... for cancer that comes back in the testicles only"). The message does not move on
    (``moves_on``: "what about teenagers?" asks the same question for another group), the current
    section is another group's treatment section or one whose questions are about the illness or the
    family (``keeps_section``) — a treatment's own section ("why the testicles?" about radiation therapy)
    hands the group's question to the group — and its best passage for the message names the population
    itself and scores at least ``carry_min_score``."""
    c = cues()
    section = context.section
    if section is None or section == population:
        return False
    if section not in c.populations and not c.keeps_section(kb, section):
        return False
    if population in _family(kb, section) or c.has("moves_on", tokens):
        return False
    hits = services.passage_search().search(text, limit=1, sections=descendants(kb, section))
    return bool(hits) and hits[0].score >= c.carry_min_score and c.names_population(population, hits[0].passage.text)


# Question types (knowledge/question_types.yml) that ask which children get a treatment, or when.
_WHO_OR_WHEN = frozenset({"population", "time"})


def _groups_given(kb: KnowledgeBase, text: str, context: Context) -> Resolution | None:
    """ "when is it used?" about blinatumomab, "which kind of ALL uses imatinib?": a follow-up asking which
    children get a drug, or when (the ``population`` and ``time`` question types), about a drug it names
    or, leaning on the conversation, the drug of the current subject, is answered from the first group
    treatment section (a ``populations`` section, in the summary's order) that names the drug, searched
    with the message and the drug's name — unless the conversation is in such a section already."""
    if not {t.name for t in services.question_types().asked(text)} & _WHO_OR_WHEN:
        return None
    matcher = services.term_matcher()
    drugs = [
        r.best.target.id for r in matcher.find_in_text(text) if r.best is not None and r.best.target.kind == "drug"
    ]
    if not drugs and context.subject and leans_on_context(text):
        subject = matcher.match(context.subject).best
        drugs = [subject.target.id] if subject is not None and subject.target.kind == "drug" else []
    if not drugs or drugs[0] not in kb.drugs:
        return None
    drug = kb.drugs[drugs[0]]
    groups = [m.section for m in drug.mentions if m.section in cues().populations]
    if not groups or context.section in groups:
        return None
    return Resolution("part", groups[0], f"{text} {drug.name}")


def _meaning(kb: KnowledgeBase, text: str, tokens: list[Token], context: Context) -> Resolution | None:
    """A question of what a word means (a ``meaning`` cue, not a ``not_meaning`` one, about no topic of its
    own): the glossary word of the last answer the message names, or its only one; else the term or drug
    the message names ("She also mentioned immunophenotyping. What is that?"); else the last answer's
    words to choose from. None when the message asks no such thing."""
    c = cues()
    if not c.has("meaning", tokens) or c.has("not_meaning", tokens) or _explains_something_else(kb, text, context):
        return None
    terms = _glossary_in_view(kb, context)
    mentioned = [t for t in terms if kb.glossary[t].term.casefold() in text.casefold()]
    if mentioned or len(terms) == 1:
        return Resolution("meaning", context.section, text, term=(mentioned or terms)[0])
    named_term = _named_term(text)
    if named_term is not None:
        return Resolution("meaning", context.section, text, term=named_term)
    if context.section is not None and _rare_word_used_here(kb, tokens, context.section):
        # "What means CD19?" after blinatumomab: no glossary entry, but the sentence that uses the word
        # ("... a protein called CD19 on B cells ...") is in the current section.
        return Resolution("same_topic", context.section, text)
    if terms:
        return Resolution("meaning", None, text, offer=tuple(terms[:4]))
    return None


# A word that at most this many sections of the summary use is particular to them ("CD19", "Ommaya").
RARE_WORD_MAX_SECTIONS = 2


def _rare_word_used_here(kb: KnowledgeBase, tokens: list[Token], section_id: str) -> bool:
    """Whether the message has a word (not a number, at least two letters) that the current section (or one
    under it) uses and that at most :data:`RARE_WORD_MAX_SECTIONS` sections of the summary use."""
    used_in = sections_using_words()
    here = set(descendants(kb, section_id))
    return any(
        len(t.text) >= 2
        and not t.text.isdigit()
        and t.text in used_in
        and used_in[t.text] & here
        and len(used_in[t.text]) <= RARE_WORD_MAX_SECTIONS
        for t in tokens
    )


@lru_cache(maxsize=1)
def sections_using_words() -> dict[str, frozenset[str]]:
    """Each word of the summary's sections, as the follow-up cues split words, with the ids of the sections
    whose text uses it."""
    found: dict[str, set[str]] = {}
    for section in services.knowledge_base().sections.values():
        for chunk in section.texts():
            for token in cues().tokens(chunk):  # split as messages are ("CD19" -> "cd", "19")
                found.setdefault(token.text, set()).add(section.id)
    return {word: frozenset(ids) for word, ids in found.items()}


def _named_term(text: str) -> str | None:
    """The name of the first glossary term or drug the term matcher finds in ``text``, if any."""
    for result in services.term_matcher().find_in_text(text):
        if result.best is not None and result.best.target.kind in ("term", "drug"):
            return result.best.name
    return None


def _explains_something_else(kb: KnowledgeBase, text: str, context: Context) -> bool:
    """Whether a message with a ``meaning`` cue asks about a topic of its own rather than what a word of
    the last answer means: it clearly names (a term, drug, test or section name, or a strong search
    hit) a topic outside the current one and no glossary term of the last answer ("could a genetic test
    explain it for our son?" after the causes asks about genetic testing)."""
    if context.section is None:
        return False
    named = named_topic(text, min_score=STRONG_TOPIC_MIN_SCORE)
    if named is None or named in _family(kb, context.section):
        return False
    in_view = _glossary_in_view(kb, context)
    return not any(kb.glossary[t].term.casefold() in text.casefold() for t in in_view)


def _asks_the_told_populations_treatment(
    kb: KnowledgeBase, tokens: list[Token], context: Context, strong: str | None
) -> bool:
    """ "how will they treat this?" after "our baby is 7 months old": a short message that
    asks about treatment (``treatment_asks``) without clearly naming a treatment topic of its own
    (``strong``: radiation, a drug, a phase) nor asking what something is (:func:`_asks_what_it_is`)
    asks how the child of the population told is treated."""
    c = cues()
    if not context.population_section or len(tokens) > c.short_words or _asks_what_it_is(tokens):
        return False  # "what are steroids?" asks what they are, not how the group is treated
    if strong is not None and strong not in GENERIC_TREATMENT_SECTIONS | _family(kb, context.population_section):
        return False
    return any(next(term.find(tokens), None) is not None for term in c.treatment_asks)


def _same_question_for_another_group(kb: KnowledgeBase, tokens: list[Token], context: Context) -> bool:
    """ "what about newborns with leukemia?" after a treatment answer: the message moves
    on (``moves_on``) from a treatment section, so the group it names takes the place of the one just
    answered for, whatever else its words name ("leukemia" names the overview section)."""
    treatment = GENERIC_TREATMENT_SECTIONS | set(descendants(kb, "treatment-options"))
    return context.section in treatment and cues().has("moves_on", tokens)


def names_used_here(text: str, context: Context) -> tuple[str, ...]:
    """The summary's names for what a follow-up names, when it still asks about the current topic
    although those names belong to other topics (empty otherwise): it points back at what was just said
    (a ``pointing`` word: "does that include a bone marrow aspiration?" after the check-ups, "is
    chemotherapy given before, or afterwards?" after the transplant) or asks why (a ``why`` cue: "why not
    regular chemo?" after the brain and spinal cord section), it does not move on (``moves_on``:
    "what about chemotherapy?"), and every term, drug, test or section name it uses is in the words of a
    passage of the current section (follow-up care's "Bone marrow aspiration and biopsy are done during
    initial phases of treatment"). A name the current section never uses is a new topic.

    The names are the glossary's and the drug list's ("chemotherapy" for "chemo"), else the words as
    typed: searched with them, the passage that uses the name ranks first."""
    if context.section is None:
        return ()
    c = cues()
    tokens = c.tokens(text)
    if len(tokens) > c.short_words or c.has("moves_on", tokens):
        return ()
    if not (c.has("pointing", tokens) or c.has("why", tokens)):
        return ()
    found = [r for r in services.term_matcher().find_in_text(text) if r.best is not None]
    if not found:
        return ()
    kb = services.knowledge_base()
    names = []
    for result in found:
        target = result.best.target if result.best is not None else None
        if target is not None and target.kind == "term":
            names.append(kb.glossary[target.id].term)
        elif target is not None and target.kind == "drug":
            names.append(kb.drugs[target.id].name)
        else:
            names.append(result.query)
    # Every word of a name (the summary's or as typed) in one passage: the causes' "Risk factors may be
    # genetic" uses no "genetic test"; the chest x-ray's "a type of high-energy radiation" uses "radiation".
    passages = [set(lemmas(p.text)) for p in services.passage_search().by_section.get(context.section, [])]
    for name, result in zip(names, found, strict=True):
        if not any(set(lemmas(name)) <= words or set(lemmas(result.query)) <= words for words in passages):
            return ()
    return tuple(names)


def _named_elsewhere(text: str, named: str, context: Context, *, new_topics: bool, strong: bool) -> Resolution | None:
    """A follow-up naming a topic outside the current one: still the current topic when it points back
    and the current section uses its names (:func:`names_used_here`: "does that include a bone marrow
    aspiration?" about the check-ups), searched with the summary's names; the treatment of the population
    told earlier when only a weak search hit names the other topic and the message asks how the child is
    treated ("what treatment is the plan for her?": "plan" is no question about second opinions); else
    the new topic wins
    over the carried one (with the population carried), or None (left to the NLU's intent) without
    ``new_topics``."""
    names = names_used_here(text, context)
    if names and context.section is not None:
        # The names say what it asks about; the section's heading would only favour the opening.
        query = with_subject(f"{text} {' '.join(names)}", context, heading=False)
        return Resolution("same_topic", context.section, query)
    population = context.population_section
    c = cues()
    if not strong and population and c.asks_treatment(text) and c.has("about_child", c.tokens(text)):
        return Resolution("population", population, _about_population(text, population))
    return Resolution("new_topic", carried_population(named, text, context), text) if new_topics else None


def _named_part(kb: KnowledgeBase, text: str, context: Context, strong: str | None) -> Resolution | None:
    """ "what about the spinal tap?" after the list of tests: a follow-up that clearly names (``strong``)
    a part of the current topic is answered from that part's section, searched with its own words."""
    if context.section is None or strong is None or strong == context.section:
        return None
    if strong not in descendants(kb, context.section) or not leans_on_context(text):
        return None
    return Resolution("part", strong, text)


def _prefers_unshown(text: str, context: Context) -> bool:
    """Whether a same-topic follow-up should lead with what was not shown yet: it asks nothing of its own
    ("why?", "and?"), or its own words (cue words left out) find a passage not shown yet ("what about
    total body irradiation?"). Otherwise the answer is in what was shown ("would a transplant help
    them?" about a sentence of the paragraph just shown) and the best passage answers, shown or not."""
    if context.section is None:
        raise ValueError("a same-topic follow-up needs a current section")
    c = cues()
    tokens = c.tokens(text)
    kinds = ("why", "leaning", "more", "pro_forms")
    dropped = {i for kind in kinds for s, e in c.spans(kind, tokens) for i in range(s, e)}
    words = " ".join(t.text for i, t in enumerate(tokens) if i not in dropped)
    if not words:
        return True
    if c.has("why", tokens):  # the reason for something just said: in the passage about it, shown or not
        return False
    hits = services.passage_search().search(words, limit=8, sections=[context.section])
    unshown = [h for h in hits if h.passage.block_index not in context.shown_blocks]
    return bool(unshown) and unshown[0].score >= ASKS_SOMETHING_MIN_SCORE


def _about_population(text: str, section_id: str) -> str:
    """The search words of a question moved to a population's section: the question with the section's
    heading ("how is it treated?" -> the sentence on how that group is treated, not the section's opening)."""
    return f"{text} {services.knowledge_base().section(section_id).heading}"


def asks_for_more(text: str) -> bool:
    """Whether ``text`` asks to go on with the current topic ("tell me more", "what else?"): the ``more``
    cues of ``follow_ups.yml``."""
    return cues().has("more", cues().tokens(text))


def more_about(text: str, context: Context) -> Resolution:
    """ "Tell me more (about ...)": more of the current section, searched with what the request names
    in the subject's terms ("the genetic ones"); a topic outside the current one that it names is
    answered from its own section ("tell me more about chemotherapy")."""
    kb = services.knowledge_base()
    c = cues()
    rest = c.strip("more", c.tokens(text))
    named = named_topic(rest) if rest else None
    rest_tokens = c.tokens(rest)
    if (
        named is not None
        and context.section is not None
        and (any(t.text in _PRONOUNS for t in rest_tokens) or c.has("pro_forms", rest_tokens))
    ):
        # "tell me more about who gets it", "... about what kinds there are": the pronoun or the bare
        # "kinds" is the current topic; only a clear name moves on
        named = named_topic(rest, min_score=STRONG_TOPIC_MIN_SCORE)
    if named is not None and (context.section is None or named not in _family(kb, context.section)):
        return Resolution("new_topic", named, rest)
    names_something = bool(rest) and bool(services.passage_search().search(rest, limit=1))  # not "please"
    return Resolution("more", context.section, with_subject(rest, context) if names_something else "")


def carried_population(section_id: str, text: str, context: Context) -> str:
    """The section to answer a question of ``section_id`` from. A treatment question (of the generic or
    the group treatment sections) that names a population is answered from that population's section,
    unless ``section_id`` says it of the group itself (:func:`speaks_for_the_group`);
    so is a question of any other section that names a population and asks about its treatment
    (:func:`_asks_treatment_of`: "do babies get the same drugs?" is not a Chemotherapy question).
    Otherwise the section of the population named earlier, when the question is one it answers: a
    generic treatment question always ("what treatment would he get?"); a question of a
    ``carried_into`` section ("will she need a transplant?", "what about side effects?") when it is about
    the child or leans on the conversation, and the population's section has a passage on it."""
    kb = services.knowledge_base()
    named = population_section(kb, text)
    if named is not None:
        # A population the message names itself answers its treatment question ("my 17 year old ...").
        treatment = GENERIC_TREATMENT_SECTIONS | set(descendants(kb, "treatment-options"))
        if (
            named not in treatment
            or named == section_id
            or speaks_for_the_group(section_id, named, text)
            or asks_how_the_treatment_works(section_id, text)
        ):
            return section_id
        if (
            section_id in treatment
            or _asks_treatment_of(named, section_id, text)
            or _answered_by_group(named, section_id, text)
        ):
            return named
        return section_id
    population = context.population_section
    if not population or population == section_id or population not in kb.sections:
        return section_id
    if section_id in GENERIC_TREATMENT_SECTIONS:
        return population
    c = cues()
    if section_id not in c.carried_into:
        return section_id
    tokens = c.tokens(text)
    about_child = c.has("about_child", tokens)
    # "what is a TKI?" right after the relapsed section asks what the treatment is, not how it is used there
    in_population = context.section == population and not _asks_what_it_is(tokens)
    if not (about_child or in_population or leans_on_context(text)):
        return section_id
    search = services.passage_search()
    hits = search.search(text, limit=1, sections=[population])
    if not hits or hits[0].score < c.carry_min_score:
        return section_id
    # The population's passage must answer nearly as well as the section asked about ("will she need a
    # transplant?" is not answered by a sentence that only shares the word "cell" with it).
    home = search.search(text, limit=1, sections=descendants(kb, section_id))
    return population if not home or hits[0].score >= c.carry_min_ratio * home[0].score else section_id


_DEFINITION_OPENERS = (("what", "is"), ("what", "are"), ("what's",), ("whats",), ("define",), ("explain",))
DEFINITION_MAX_WORDS = 6


def _asks_what_it_is(tokens: list[Token]) -> bool:
    """Whether a message asks what something is ("what is a TKI?", "explain immunotherapy"): a short
    question opening with "what is", "what's", "define" ... that says nothing about the child and does
    not go on with "the" ("what is the plan?")."""
    words = tuple(t.text for t in tokens)
    if len(words) > DEFINITION_MAX_WORDS or cues().has("about_child", tokens):
        return False
    for opener in _DEFINITION_OPENERS:
        if words[: len(opener)] == opener:
            # "what is the plan?", "what are their chances?" ask about this case, not what a thing is
            return words[len(opener) : len(opener) + 1] not in (("the",), ("their",), ("our",), ("your",), ("my",))
    return False


def _asks_treatment_of(population: str, section_id: str, text: str) -> bool:
    """Whether a message naming ``population``, classified as a question of ``section_id``, asks how that
    population is treated: ``section_id`` is not one whose questions are the family's own or about the
    illness (``keeps_section``: symptoms, causes, coping, second opinions, trials ...), its question
    sentence asks about treatment (``treatment_asks``; a story's other sentences only set the scene) and
    the population's section has a passage on the question nearly as good as ``section_id``'s
    (``carry_min_score``, ``carry_min_ratio``) — unless that best passage of ``section_id`` names the group
    itself. A question that only mentions the group ("what are the symptoms in babies?", "how do we cope
    with our teen's treatment?") keeps its section."""
    c = cues()
    split = split_question(text)
    if not c.asks_treatment(split.question):
        return False
    # A story whose words chose a kept section ("kids with Down syndrome are more likely to get ALL"), then
    # a question on treatment ("will her treatment be the same as other kids'?"), asks about the group's
    # treatment.
    if c.keeps_section(services.knowledge_base(), section_id) and not split.context:
        return False
    return _group_passage_wins(population, section_id, text, c.carry_min_ratio)


def asks_the_groups_treatment(population: str, text: str) -> bool:
    """Whether a message naming ``population`` asks how that group is treated: its question sentence asks
    about treatment (``treatment_asks``), and a topic it names outside the group's own sections ("is CAR T
    used the first time, or only if it comes back?") does not answer it better than the group's section
    (whose best passage must score ``carry_min_ratio`` times the named section's)."""
    c = cues()
    if not c.asks_treatment(split_question(text).question):
        return False
    kb = services.knowledge_base()
    named = named_topic(text, min_score=STRONG_TOPIC_MIN_SCORE)
    if named is None or named in GENERIC_TREATMENT_SECTIONS or named in _family(kb, population):
        return True
    return _group_passage_wins(population, named, text, c.carry_min_ratio)


def _answered_by_group(population: str, section_id: str, text: str) -> bool:
    """Whether a message naming ``population``, classified as a question of ``section_id``, is about the
    group itself whatever it asks (how common the group is, its risk group, where its leukemia goes): the
    group's section has a passage on the question that scores at least ``group_min_ratio`` times the best
    of ``section_id`` — a section that is not ``keeps_section`` and whose best passage does not name the
    group itself."""
    c = cues()
    if c.keeps_section(services.knowledge_base(), section_id):
        return False
    return _group_passage_wins(population, section_id, text, c.group_min_ratio)


@lru_cache(maxsize=256)  # asked for the same message by the topic action and then by carried_population
def speaks_for_the_group(section_id: str, population: str, text: str) -> bool:
    """Whether ``section_id`` (with its subsections, not any group's own) answers ``text`` for ``population``
    itself: its best passage for the question scores at least ``carry_min_score`` and the group's own best,
    and names the group ("Total-body irradiation ... is sometimes not given to infants" answers "do babies
    get the whole body radiation before a transplant?")."""
    c = cues()
    kb = services.knowledge_base()
    groups = {s for group in (population, *c.populations) for s in _family(kb, group)}
    sections = [s for s in descendants(kb, section_id) if s not in groups]
    if not sections:
        return False
    search = services.passage_search()
    home = search.search(text, limit=1, sections=sections)
    if not home or home[0].score < c.carry_min_score or not c.names_population(population, home[0].passage.text):
        return False
    group = search.search(text, limit=1, sections=descendants(kb, population))
    return not group or home[0].score >= group[0].score


def _group_passage_wins(population: str, section_id: str, text: str, ratio: float) -> bool:
    """Whether the best passage of ``population``'s section for ``text`` scores at least
    ``carry_min_score`` and ``ratio`` times the best of ``section_id`` (and its subsections), unless that
    best passage of ``section_id`` names the group itself ("... not given to infants")."""
    c = cues()
    kb = services.knowledge_base()
    search = services.passage_search()
    hits = search.search(text, limit=1, sections=[population])
    if not hits or hits[0].score < c.carry_min_score:
        return False
    home = search.search(text, limit=1, sections=descendants(kb, section_id))
    if home and c.names_population(population, home[0].passage.text):
        return False  # the section asked about answers for this group itself
    return not home or hits[0].score >= ratio * home[0].score
