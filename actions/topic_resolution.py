"""Decide which section answers a recognised intent, and spot a second question in one message.

``knowledge/topics.yml`` gives each intent a default section and, optionally, an entity whose
value picks a subsection (``test: spinal tap`` -> ``lumbar-puncture``). When the entity is missing
or unknown, retrieval restricted to the default section and its descendants may pick a more
specific subsection if it clearly wins.

The classifier and section search are two signals: :func:`overrule_weak_intent` lets search pick
the section when the classifier is unsure and search is clearly sure, and :func:`search_decision`
decides what to do when only search is left (answer, or ask which of the best sections was meant).
Search ranks a message by its question sentence (:meth:`SectionSearch.search_question`), so a
story before the question does not choose the section.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from actions.knowledge_base import KnowledgeBase
from actions.passages import PassageSearch
from actions.retrieval import SectionSearch
from actions.term_matching import TermMatcher
from actions.text_normalisation import match_key
from actions.text_processing import lemmas

ENTITY_VALUE_CUTOFF = 85.0
SUBSECTION_MIN_SCORE = 2.0
SUBSECTION_MIN_LEAD = 1.25
SECOND_QUESTION_MIN_SCORE = 4.0
# Measured on the development question sets (docs/retrieval.md, "Routing"): below this confidence the
# classifier's section is wrong about as often as search's, so clear search evidence may overrule it.
WEAK_INTENT_CONFIDENCE = 0.6
OVERRULE_MIN_SCORE = 7.0
OVERRULE_MIN_LEAD = 1.5
# Search alone answers when its best section scores this much and leads the runner-up by this ratio;
# otherwise it offers its best sections (at least this score) as buttons.
SEARCH_ANSWER_MIN_SCORE = 8.0
SEARCH_ANSWER_MIN_LEAD = 1.15
# ... or when one section alone matches the question (a lower score, but no rival worth offering): a
# single button would only make the parent tap for the answer search already has.
SEARCH_ALONE_MIN_SCORE = 4.0
SEARCH_ALONE_MIN_LEAD = 3.0
SEARCH_OFFER_MIN_SCORE = 2.0
SEARCH_OFFER_MAX = 3
ALL_SECTIONS = 10_000
_QUESTION_SPLIT = re.compile(
    r"(?<=[?])\s+|\s+(?:and also|also|and then|plus)\s+(?=(?:what|how|is|are|can|do|does|when|why|who|will)\b)",
    re.I,
)


@dataclass(frozen=True)
class Entity:
    type: str
    value: str


def descendants(kb: KnowledgeBase, section_id: str) -> list[str]:
    found = [section_id]
    for child in kb.section(section_id).children:
        found += descendants(kb, child)
    return found


def section_from_value(kb: KnowledgeBase, matcher: TermMatcher, value: str) -> str | None:
    """A section named by an entity value: its id, its heading, or an alias/term that points to one."""
    if value in kb.sections:
        return value
    by_heading = kb.section_by_heading(value)
    if by_heading is not None:
        return by_heading.id
    headings = {match_key(s.heading): s.id for s in kb.sections.values()}
    found = process.extractOne(match_key(value), list(headings), scorer=fuzz.ratio, score_cutoff=ENTITY_VALUE_CUTOFF)
    if found is not None:
        return headings[found[0]]
    result = matcher.match(value)
    if result.best is not None:
        target = result.best.target
        if target.kind == "section":
            return target.id
        if target.kind == "term":
            return kb.glossary[target.id].section
    return None


def _named_in_text(by_entity: Mapping[str, str], text: str) -> str | None:
    """The section of the ``by_entity`` key that the message names first, as whole (lemmatised) words:
    "how is high risk treatment different from standard risk" asks about high risk. Keys found at the
    same word (a longer key listed first: "very high risk" before "high risk") go by file order."""
    words = f" {' '.join(lemmas(text, keep_stop_words=True))} "
    plain = f" {match_key(text)} "
    found: list[tuple[int, int, str]] = []
    for order, (key, section) in enumerate(by_entity.items()):
        at = _word_position(plain, f" {match_key(key)} ")
        if at is None:
            at = _word_position(words, f" {' '.join(lemmas(key, keep_stop_words=True))} ")
        if at is not None:
            found.append((at, order, section))
    return min(found)[2] if found else None


def _word_position(text: str, phrase: str) -> int | None:
    """How many words of ``text`` come before ``phrase`` (both space-padded), or None if it is absent."""
    at = text.find(phrase)
    return None if at < 0 else text[:at].count(" ")


def _by_entity(
    by_entity: Mapping[str, str], values: Iterable[str], kb: KnowledgeBase, matcher: TermMatcher
) -> str | None:
    keys = {match_key(k): v for k, v in by_entity.items()}
    lemma_keys = {" ".join(lemmas(k, keep_stop_words=True)): v for k, v in by_entity.items()}
    for value in values:
        key = match_key(value)
        if key in keys:
            return keys[key]
        lemma_key = " ".join(lemmas(value, keep_stop_words=True))
        if lemma_key in lemma_keys:
            return lemma_keys[lemma_key]
        found = process.extractOne(key, list(keys), scorer=fuzz.ratio, score_cutoff=ENTITY_VALUE_CUTOFF)
        if found is not None:
            return keys[found[0]]
        section = section_from_value(kb, matcher, value)
        if section is not None and section in by_entity.values():
            return section
    return None


def resolve_section(
    kb: KnowledgeBase,
    search: SectionSearch,
    matcher: TermMatcher,
    intent: str,
    entities: Sequence[Entity],
    text: str,
) -> str | None:
    """The section that answers ``intent`` for this message, or None if the intent is not a topic."""
    if intent == "show_section":
        for entity in entities:
            if entity.type == "section":
                found = section_from_value(kb, matcher, entity.value)
                if found:
                    return found
        hits = search.search_question(text, limit=1)
        return hits[0].section_id if hits else None
    topic = kb.topics.get(intent)
    if topic is None:
        return None
    # The refining topic's names first ("what kind of treatment do babies get?" is the infants' section),
    # then the topic's own phrases, then its own names.
    refining = kb.topics.get(topic.refine_with or "")
    for candidate, phrases in ((refining, None), (None, topic.by_text), (topic, None)):
        if phrases:
            named = _named_in_text(phrases, text)
            if named:
                return named
        if candidate is not None and candidate.entity:
            chosen = _named_in_text(candidate.by_entity, text)
            if chosen is None:
                values = [e.value for e in entities if e.type == candidate.entity]
                chosen = _by_entity(candidate.by_entity, values, kb, matcher)
            if chosen:
                return chosen
    family = [s for s in descendants(kb, topic.family or topic.section) if kb.section(s).blocks]
    if len(family) > 1:
        hits = search.search_question(text, limit=2, within=family)
        if hits and hits[0].section_id != topic.section and hits[0].score >= SUBSECTION_MIN_SCORE:
            runner_up = hits[1].score if len(hits) > 1 else 0.0
            if hits[0].score >= SUBSECTION_MIN_LEAD * runner_up:
                return hits[0].section_id
    return topic.section


def overrule_weak_intent(search: SectionSearch, text: str, section_id: str, confidence: float) -> str:
    """The section to answer with when the classifier chose ``section_id`` with ``confidence``.

    A confident classifier keeps its section. Below :data:`WEAK_INTENT_CONFIDENCE`, search's best
    section wins when it scores at least :data:`OVERRULE_MIN_SCORE` and :data:`OVERRULE_MIN_LEAD` times
    what search gives ``section_id`` itself.
    """
    if confidence >= WEAK_INTENT_CONFIDENCE:
        return section_id
    hits = search.search_question(text, limit=ALL_SECTIONS)  # one ranking gives both scores
    if not hits or hits[0].section_id == section_id or hits[0].score < OVERRULE_MIN_SCORE:
        return section_id
    own_score = next((hit.score for hit in hits if hit.section_id == section_id), 0.0)
    return hits[0].section_id if hits[0].score >= OVERRULE_MIN_LEAD * own_score else section_id


def overrule_by_agreement(
    search: PassageSearch, kb: KnowledgeBase, text: str, section_id: str, *, named_group: str | None = None
) -> str:
    """The section to answer with when the NLU's topic chose ``section_id``, whatever its confidence.

    When the two retrievers agree on another section (:meth:`PassageSearch.agreement`: BM25's best
    passage, the most similar passage by meaning and the best of both are all there) and none of
    the fused ranking's first passages is in ``section_id``, its subsections or its parent, the agreed
    section wins: two independent readings of the words point elsewhere and nothing supports the
    classifier's choice. Measured on the development sets (section right, gained / lost): parent
    questions +11 / -1, G +4 / -1, I +6 / 0, held-out passages +3 / 0, real parent questions 0 / 0.

    ``named_group`` is the treatment section of a group of children the message names: agreement on it is
    no evidence (the group's name draws both retrievers to its section whatever is asked about it, "did
    his Down syndrome cause it?"), so it never overrules; where a group's question goes is decided by
    the population routing.
    """
    parent = kb.section(section_id).parent
    related = {section_id, *descendants(kb, section_id), *([parent] if parent else [])}
    # Agreement needs BM25's best passage in the agreed section: when it is in ``related`` (most questions),
    # nothing can overrule, and the question is not encoded (the costly step, about 10 ms).
    by_words = search.search(text, limit=1)
    if not by_words or by_words[0].passage.section_id in related | {named_group}:
        return section_id
    agreement = search.agreement(text)
    if agreement is None or agreement.section_id == named_group:
        return section_id
    if agreement.section_id in related or agreement.support & related:
        return section_id
    return agreement.section_id


@dataclass(frozen=True)
class SearchDecision:
    """What search alone makes of a message: a section to answer with, or sections to offer (maybe none)."""

    answer: str | None
    offer: tuple[str, ...]


def search_decision(search: SectionSearch, text: str) -> SearchDecision:
    """Answer with search's best section when it is clearly best (:data:`SEARCH_ANSWER_MIN_SCORE`,
    :data:`SEARCH_ANSWER_MIN_LEAD` over the runner-up) or the only one that matches
    (:data:`SEARCH_ALONE_MIN_SCORE`, :data:`SEARCH_ALONE_MIN_LEAD`); otherwise offer up to
    :data:`SEARCH_OFFER_MAX` sections scoring at least :data:`SEARCH_OFFER_MIN_SCORE`."""
    hits = search.search_question(text, limit=SEARCH_OFFER_MAX)
    if hits:
        runner_up = hits[1].score if len(hits) > 1 else 0.0
        clearly_best = hits[0].score >= SEARCH_ANSWER_MIN_SCORE and hits[0].score >= SEARCH_ANSWER_MIN_LEAD * runner_up
        alone = hits[0].score >= SEARCH_ALONE_MIN_SCORE and hits[0].score >= SEARCH_ALONE_MIN_LEAD * runner_up
        if clearly_best or alone:
            return SearchDecision(answer=hits[0].section_id, offer=())
    return SearchDecision(answer=None, offer=tuple(h.section_id for h in hits if h.score >= SEARCH_OFFER_MIN_SCORE))


def second_question_section(search: SectionSearch, text: str, answered: str) -> str | None:
    """When a message asks two questions, the section for the one not answered (if retrieval is sure)."""
    parts = [p for p in _QUESTION_SPLIT.split(text) if p and len(p.split()) >= 3]
    if len(parts) < 2:
        return None
    candidates = []
    for part in parts:
        hits = search.search(part, limit=3)
        if any(hit.section_id == answered for hit in hits):
            continue  # this is (probably) the question that was answered
        if hits and hits[0].score >= SECOND_QUESTION_MIN_SCORE:
            candidates.append(hits[0].section_id)
    return candidates[0] if len(candidates) < len(parts) and candidates else None
