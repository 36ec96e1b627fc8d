"""Answer one question with the passage that answers it (no Rasa import).

:func:`answer_in_section` leads with the best passage of the section the NLU chose (and its
subsections); when the intent was weak, a clearly better passage elsewhere in the summary wins
(passage retrieval overrules a weak intent). :func:`gap_reply` says honestly when the summary does not
answer the question and offers the nearest passage.
"""

from __future__ import annotations

from dataclasses import dataclass

from actions import answers, services
from actions.answers import Reply
from actions.gaps import Gap
from actions.passages import Passage, PassageHit, PassageSearch
from actions.topic_resolution import descendants

PASSAGE_MIN_SCORE = 2.5
OVERRULE_MIN_SCORE = 6.0
OVERRULE_RATIO = 2.0
WEAK_INTENT_CONFIDENCE = 0.5
OPENING_MIN_RATIO = 0.9
GAP_OFFER_MIN_SCORE = 1.0


@dataclass(frozen=True)
class Choice:
    lead: Passage
    second: Passage | None
    moved: bool  # the passage came from outside the intent's section


def choose_passages(
    text: str, section_id: str, *, intent_confidence: float, already_shown: tuple[int, ...] = ()
) -> Choice | None:
    """The passage(s) that answer ``text`` in ``section_id``'s family, or elsewhere if clearly better
    and the intent was weak. None when the section has no passages (an empty parent section).

    In the family, passages are ranked by :meth:`PassageSearch.rank` (BM25, coverage of the
    question's distinctive words, question type). The best one leads unless the section's opening
    answers as well (covers as much of the question, earns as much type boost and scores at least
    :data:`OPENING_MIN_RATIO` of the best): then the opening leads and the best follows. Blocks in
    ``already_shown`` (of ``section_id``) are passed over while others match. A question asking for
    an enumeration gets the section's best list after a lead that is not one."""
    kb = services.knowledge_base()
    search = services.passage_search()
    # The section the NLU chose answers; only a section that is just a list of its parts hands the
    # question to its subsections.
    family = (
        [section_id]
        if kb.section(section_id).blocks
        else [s for s in descendants(kb, section_id) if kb.section(s).blocks]
    )
    asked = services.question_types().asked(text)
    inside = search.rank(text, family, asked)
    inside = [h for h in inside if h.relevance > 0]
    if already_shown:  # a follow-up on the same section: what was not shown yet comes first
        fresh = [
            h for h in inside if not (h.passage.section_id == section_id and h.passage.block_index in already_shown)
        ]
        inside = fresh or inside
    if intent_confidence < WEAK_INTENT_CONFIDENCE:
        everywhere = search.search(text, limit=1)
        best_bm25 = max((h.relevance for h in inside), default=0.0)
        if (
            everywhere
            and everywhere[0].passage.section_id not in family
            and everywhere[0].score >= OVERRULE_MIN_SCORE
            and everywhere[0].score >= OVERRULE_RATIO * best_bm25
        ):
            return Choice(everywhere[0].passage, None, moved=True)
    best = inside[0] if inside and max(h.relevance for h in inside) >= PASSAGE_MIN_SCORE else None
    home = best.passage.section_id if best is not None else section_id
    opening = search.opening(home) if kb.section(home).blocks else None
    if opening is not None and home == section_id and opening.block_index in already_shown:
        opening = None
    if best is None:
        return Choice(opening, None, moved=False) if opening is not None else None
    lead, second = best.passage, _second(inside)
    opening_hit = next((h for h in inside if opening is not None and h.passage == opening), None)
    if (
        opening_hit is not None
        and opening_hit is not best
        and opening_hit.passage.block_index != best.passage.block_index
        and opening_hit.coverage >= best.coverage
        and opening_hit.boost >= best.boost
        and opening_hit.score >= OPENING_MIN_RATIO * best.score
    ):
        lead, second = opening_hit.passage, best.passage  # the opening answers as well: it leads
    if _ENUMERATION_ASKED in {t.name for t in asked} and lead.kind != "list":
        listed = _best_list(search, home, inside, already_shown)
        if listed is not None and listed.block_index != lead.block_index:
            second = listed
    return Choice(lead, second, moved=False)


_ENUMERATION_ASKED = "enumeration"  # the question type (knowledge/question_types.yml) answered by a list


def _best_list(
    search: PassageSearch, section_id: str, hits: list[PassageHit], shown: tuple[int, ...]
) -> Passage | None:
    """The list of ``section_id`` that best matches the question (the first list when none matches)."""
    for hit in hits:
        if hit.passage.kind == "list" and hit.passage.section_id == section_id:
            return hit.passage
    lists = [p for p in search.by_section.get(section_id, []) if p.kind == "list" and p.block_index not in shown]
    return lists[0] if lists else None


def _second(hits: list[PassageHit]) -> Passage | None:
    if len(hits) < 2:
        return None
    lead, other = hits[0], hits[1]
    if other.passage.section_id != lead.passage.section_id or other.passage.block_index == lead.passage.block_index:
        return None
    return other.passage if other.score >= answers.SECOND_PASSAGE_MIN_RATIO * lead.score else None


def answer_in_section(
    text: str, section_id: str, *, intent_confidence: float = 1.0, already_shown: tuple[int, ...] = ()
) -> Reply:
    """The reply for ``text`` answered from ``section_id`` (see :func:`choose_passages`)."""
    kb = services.knowledge_base()
    choice = choose_passages(text, section_id, intent_confidence=intent_confidence, already_shown=already_shown)
    if choice is None:
        return answers.section_answer(kb, kb.section(section_id))
    return answers.passage_answer(kb, choice.lead, choice.second)


def find_gap(text: str) -> Gap | None:
    return services.gaps().find(text)


def gap_reply(text: str, gap: Gap) -> Reply:
    """The honest "the summary doesn't say" reply, offering the nearest passage when there is one."""
    kb = services.knowledge_base()
    offered = None
    if gap.nearest:
        hits = services.passage_search().search(text, limit=1, sections=gap.nearest)
        if hits and hits[0].score >= GAP_OFFER_MIN_SCORE:
            offered = hits[0].passage
        else:
            offered = services.passage_search().opening(gap.nearest[0])
    return answers.gap_answer(kb, gap, offered)
