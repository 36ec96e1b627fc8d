"""Answer one question with the passage that answers it (no Rasa import).

:func:`answer_in_section` leads with the best passage of the section the NLU chose (and its
subsections); when the intent was weak, a clearly better passage elsewhere in the summary wins
(passage retrieval overrules a weak intent). :func:`gap_reply` says honestly when the summary does not
answer the question and offers the nearest passage.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from functools import lru_cache

from actions import answers, services
from actions.answers import Reply
from actions.conversation import asks_for_more, cues
from actions.gaps import Gap
from actions.knowledge_base import Section
from actions.passages import Passage, PassageHit, PassageSearch, part_closing_with_a_lead
from actions.question_focus import split_question, story_then_question
from actions.topic_resolution import SEARCH_OFFER_MIN_SCORE, descendants

PASSAGE_MIN_SCORE = 2.5
OVERRULE_MIN_SCORE = 6.0
OVERRULE_RATIO = 2.0
# Below WEAK_INTENT_CONFIDENCE, a passage elsewhere that scores OVERRULE_MIN_SCORE and OVERRULE_RATIO
# times the best of the chosen section (both for the question sentence) answers instead; below
# MODERATE_INTENT_CONFIDENCE it must score OVERRULE_MODERATE_MIN_SCORE (the surer the classifier, the
# stronger the passage elsewhere). Measured on the development sets: the neighbouring sections the
# classifier chose at 0.5-0.8 were corrected by passages scoring 11-45; the right ones it chose there
# were overruled wrongly by passages scoring 7-9.5.
WEAK_INTENT_CONFIDENCE = 0.5
MODERATE_INTENT_CONFIDENCE = 0.8
OVERRULE_MODERATE_MIN_SCORE = 10.0
OPENING_MIN_RATIO = 0.9
# A follow-up on the section shown last is answered by a passage not shown yet when one scores at least
# FRESH_PASSAGE_MIN_RATIO of the best (measured: 0.5 lost two follow-ups that ask about what they just read).
FRESH_PASSAGE_MIN_RATIO = 0.8
ITEM_LEAD_RATIO = 1.01
GAP_OFFER_MIN_SCORE = 1.0
# A runner-up scoring at least WEAK_SECOND_MIN_RATIO of the lead but under answers.SECOND_PASSAGE_MIN_RATIO is
# shown only while the body stays within WEAK_SECOND_MAX_CHARS (development sets: passage recall +20 of 1,900,
# median replies 357-435 characters; 450 gained +5, 600 +14).
WEAK_SECOND_MIN_RATIO = 0.5
WEAK_SECOND_MAX_CHARS = 750
# A question sentence whose best section scores this much asks something of its own (the section
# search's offer threshold, actions/topic_resolution.py): a gap named only in the story before it is not
# what it asks.
QUESTION_ALONE_MIN_SCORE = SEARCH_OFFER_MIN_SCORE


@dataclass(frozen=True)
class Choice:
    lead: Passage
    second: Passage | None
    moved: bool  # the passage came from outside the intent's section
    second_if_short: bool = False  # the runner-up is shown only if the reply stays short


def choose_passages(
    text: str,
    section_id: str,
    *,
    intent_confidence: float,
    already_shown: tuple[int, ...] = (),
    continue_reading: bool = False,
) -> Choice | None:
    """The passage(s) that answer ``text`` in ``section_id``'s family, or elsewhere if clearly better
    and the intent was weak. None when the section has no passages (an empty parent section).

    In the family, passages are ranked by :meth:`PassageSearch.rank` (BM25, coverage of the
    question's distinctive words, question type), and a passage restricted to a group of children the
    question does not name comes after the others (:func:`_unnamed_groups_last`). The best one leads
    unless the section's opening answers as well (covers as much of the question, earns as much type
    boost and scores at least :data:`OPENING_MIN_RATIO` of the best): then the opening leads and the
    best follows. Blocks in ``already_shown`` (of ``section_id``) are passed over while others match.
    A question asking for an enumeration gets the section's best list after a lead that is not one.

    A request to go on reading (``continue_reading``, or a message such as "tell me more") with
    ``already_shown`` gets the first blocks of ``section_id`` not shown yet, in reading order."""
    kb = services.knowledge_base()
    search = services.passage_search()
    # The section the NLU chose answers; only a section that is just a list of its parts hands the
    # question to its subsections.
    family = (
        [section_id]
        if kb.section(section_id).blocks
        else [s for s in descendants(kb, section_id) if kb.section(s).blocks]
    )
    types = services.question_types()
    if already_shown and (continue_reading or asks_for_more(text)):
        following = _reading_on(search, section_id, already_shown)
        if following is not None:
            return following
    # A story told before the question sets the scene; the question sentence chooses the passage.
    focus = story_then_question(text)
    asked = types.asked(focus.question)
    inside = search.rank(focus.question, family, asked, context=focus.context)
    inside = _unnamed_groups_last(text, [h for h in inside if h.relevance > 0])
    if already_shown:  # a follow-up on the same section: what was not shown yet comes first ...
        fresh = [
            h for h in inside if not (h.passage.section_id == section_id and h.passage.block_index in already_shown)
        ]
        # ... unless only a passage already shown answers it (the parent asks about what they read)
        if fresh and fresh[0].score >= FRESH_PASSAGE_MIN_RATIO * inside[0].score:
            inside = fresh
    if intent_confidence < MODERATE_INTENT_CONFIDENCE:
        # The question sentence, not the story told before it, says where the answer is.
        everywhere = search.search(focus.question, limit=1)
        best_bm25 = max((h.relevance for h in search.rank(focus.question, family, asked)), default=0.0)
        min_score = OVERRULE_MIN_SCORE if intent_confidence < WEAK_INTENT_CONFIDENCE else OVERRULE_MODERATE_MIN_SCORE
        if (
            everywhere
            and everywhere[0].passage.section_id not in family
            and everywhere[0].score >= min_score
            and everywhere[0].score >= OVERRULE_RATIO * best_bm25
        ):
            return Choice(everywhere[0].passage, None, moved=True)
    # A short question of common words scores little BM25 anywhere; its best passage still answers when it
    # is of the kind the question asks for (type evidence) and uses every distinctive word of the question.
    best = (
        inside[0]
        if inside
        and (
            max(h.relevance for h in inside) >= PASSAGE_MIN_SCORE or (inside[0].boost > 0 and inside[0].coverage >= 1.0)
        )
        else None
    )
    home = best.passage.section_id if best is not None else section_id
    opening = search.opening(home) if kb.section(home).blocks else None
    if opening is not None and home == section_id and opening.block_index in already_shown:
        opening = None
    if best is None:
        if opening is None and already_shown:  # nothing new matches: go on reading where the reply stopped
            return _reading_on(search, section_id, already_shown)
        return Choice(opening, None, moved=False) if opening is not None else None
    best = _item_or_list(best, inside, enumeration=_ENUMERATION_ASKED in {t.name for t in asked})
    lead, (second, second_if_short) = best.passage, _second(search, inside)
    opening_hit = next((h for h in inside if opening is not None and h.passage == opening), None)
    if (
        opening_hit is not None
        and opening_hit is not best
        and opening_hit.passage.block_index != best.passage.block_index
        and opening_hit.coverage >= best.coverage
        and opening_hit.boost >= best.boost
        and opening_hit.score >= OPENING_MIN_RATIO * best.score
    ):
        # the opening answers as well: it leads
        lead, second, second_if_short = opening_hit.passage, best.passage, False
    if _ENUMERATION_ASKED in {t.name for t in asked} and lead.kind != "list":
        listed = _best_list(search, home, inside, already_shown)
        if listed is not None and listed.block_index != lead.block_index:
            second, second_if_short = listed, False
    return Choice(lead, second, moved=False, second_if_short=second_if_short)


# A passage that opens with a clause restricting it ("For leukemia that comes back after treatment,
# your child's prognosis depends partly on:", "If the leukemia cells spread to the testicles, ...") answers
# for the children that clause names only.
_RESTRICTING_CLAUSE = re.compile(r"^(?:For|In|If|When|Among|Once|After)\b[^,\n]{3,100},")


def groups_named(text: str) -> frozenset[str]:
    """The groups of children (the treatment sections of the ``populations`` of ``follow_ups.yml``) that
    ``text`` names in words, or by an age."""
    named = {section_id for section_id in cues().populations if cues().names_population(section_id, text)}
    by_age = cues().population(text)
    return frozenset(named | {by_age} if by_age else named)


@lru_cache(maxsize=4096)  # passages are fixed: each clause is read once
def restricted_to(passage: Passage) -> frozenset[str]:
    """The groups of children that ``passage``'s opening clause restricts it to (not the group its own
    section is about: in the relapse section, "relapsed" restricts nothing); empty when it opens with
    no such clause."""
    clause = _RESTRICTING_CLAUSE.match(passage.text)
    if clause is None:
        return frozenset()
    return groups_named(clause.group(0)) - {passage.section_id}


def _unnamed_groups_last(text: str, hits: list[PassageHit]) -> list[PassageHit]:
    """``hits`` with the passages restricted to groups of children none of which ``text`` names moved
    after the others, each part in its order ("what affects the prognosis?" is answered by the general
    list, not by the one for leukemia that has come back)."""
    asked = groups_named(text)

    def elsewhere(hit: PassageHit) -> bool:
        groups = restricted_to(hit.passage)
        return bool(groups) and not groups & asked

    return sorted(hits, key=elsewhere)


def _item_or_list(best: PassageHit, hits: list[PassageHit], *, enumeration: bool) -> PassageHit:
    """An item the question singles out (it covers as much of the question as its whole list and ranks
    :data:`ITEM_LEAD_RATIO` above the next item) is shown alone under its lead; a question asking for
    an enumeration gets the whole list instead of one item."""
    if best.passage.kind == "list" and not enumeration:
        items = [h for h in hits if h.passage.kind == "item" and h.passage.id.startswith(f"{best.passage.id}/")]
        # Only an item the question singles out: it covers as much as the whole list and ranks clearly
        # above the other items.
        if (
            items
            and items[0].coverage >= best.coverage
            and (len(items) == 1 or items[0].score >= ITEM_LEAD_RATIO * items[1].score)
        ):
            return items[0]
        return best
    if best.passage.kind == "item" and enumeration:
        whole = best.passage.id.rsplit("/", 1)[0]
        return next((h for h in hits if h.passage.id == whole), best)
    return best


def _reading_on(search: PassageSearch, section_id: str, shown: tuple[int, ...]) -> Choice | None:
    """The first two blocks of ``section_id`` not in ``shown`` (their first passage), in reading order."""
    unshown: dict[int, Passage] = {}
    for passage in search.by_section.get(section_id, []):
        if passage.block_index not in shown and passage.answers_alone and passage.kind != "figure":
            unshown.setdefault(passage.block_index, passage)
    following = list(unshown.values())
    if not following:
        return None
    return Choice(following[0], following[1] if len(following) > 1 else None, moved=False)


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


def _second(search: PassageSearch, hits: list[PassageHit]) -> tuple[Passage | None, bool]:
    """The runner-up, if it is another block of the same section and scores at least
    :data:`WEAK_SECOND_MIN_RATIO` of the lead (an item counts as its whole list: only the
    question's own pick stands alone); and whether it is to be shown only if the reply stays short (it
    scores under :data:`answers.SECOND_PASSAGE_MIN_RATIO` of the lead)."""
    if len(hits) < 2:
        return None, False
    lead, other = hits[0], hits[1]
    if other.passage.section_id != lead.passage.section_id or other.passage.block_index == lead.passage.block_index:
        return None, False
    if other.score < WEAK_SECOND_MIN_RATIO * lead.score:
        return None, False
    only_if_short = other.score < answers.SECOND_PASSAGE_MIN_RATIO * lead.score
    if other.passage.kind == "item":
        return search.passages[other.passage.id.rsplit("/", 1)[0]], only_if_short
    return other.passage, only_if_short


def answer_in_section(
    text: str,
    section_id: str,
    *,
    intent_confidence: float = 1.0,
    already_shown: tuple[int, ...] = (),
    continue_reading: bool = False,
) -> Reply:
    """The reply for ``text`` answered from ``section_id`` (see :func:`choose_passages`); with no
    passage to choose, the section itself (without the blocks in ``already_shown``). A reply from
    ``section_id`` counts ``already_shown`` among its ``shown_blocks``."""
    kb = services.knowledge_base()
    choice = choose_passages(
        text,
        section_id,
        intent_confidence=intent_confidence,
        already_shown=already_shown,
        continue_reading=continue_reading,
    )
    asked = kb.section(section_id)
    listing = None if already_shown or continue_reading else _listing_of(asked)
    if listing is not None:
        # "what types of treatment are there?": the list of types that closes its "Treatment phases" part
        reply = answers.passage_answer(kb, listing, cited_as=asked)
    elif choice is None:
        reply = answers.section_answer(kb, asked, skip=already_shown)
    else:
        limit = WEAK_SECOND_MAX_CHARS if choice.second_if_short else answers.ANSWER_MAX_CHARS
        reply = answers.passage_answer(kb, choice.lead, choice.second, second_max_chars=limit)
    if already_shown and reply.citations and reply.citations[0]["section"] == kb.section(section_id).heading:
        # Still on the same section: what was shown before stays shown, so the next "more" goes on.
        reply = dataclasses.replace(reply, shown_blocks=tuple(sorted({*already_shown, *reply.shown_blocks})))
    return reply


def _listing_of(section: Section) -> Passage | None:
    """For a section with no text of its own, the list that one of its parts closes with, whose items are
    the parts after it ("Types of treatment your child might have include:" + the types, at the end of
    "Treatment phases"): what the section itself says it holds. None for any other section."""
    part = part_closing_with_a_lead(services.knowledge_base(), section)
    if part is None:
        return None
    passages = services.passage_search().by_section.get(part.id, [])
    last = len(part.blocks) - 1
    return next((p for p in passages if p.block_index == last and p.kind == "list"), None)


def find_gap(text: str) -> Gap | None:
    """The gap (``knowledge/gaps.yml``) the question of ``text`` is about, or None. In a message that tells
    a story before its question, the signs are looked for in the question sentence: the story's words
    ("she lost her hair in the spring", "two years of treatment") only set the scene for a question the
    summary may answer. The whole message counts when the question sentence says nothing the summary
    could be searched for on its own ("what can we do?")."""
    split = split_question(text)
    if not split.context:
        return services.gaps().find(text)
    in_question = services.gaps().find(split.question)
    if in_question is not None:
        return in_question
    hits = services.section_search().search(split.question, limit=1)
    if hits and hits[0].score >= QUESTION_ALONE_MIN_SCORE:
        return None
    return services.gaps().find(text)


def gap_reply(text: str, gap: Gap) -> Reply:
    """The honest "the summary doesn't say" reply, offering the nearest passage when there is one."""
    kb = services.knowledge_base()
    offered = None
    if gap.nearest:
        search = services.passage_search()
        # The nearest section the question itself is about ("does the bone marrow test hurt?"), then
        # its passage that best matches the question with the gap's offer words.
        named = search.search(text, limit=1, sections=gap.nearest)
        sections = [named[0].passage.section_id] if named else list(gap.nearest)
        query = f"{text} {gap.offer}".strip()
        hits = [h for h in search.rank(query, sections) if h.relevance > 0]
        if hits and max(h.relevance for h in hits) >= GAP_OFFER_MIN_SCORE:
            offered = hits[0].passage
        else:
            offered = search.opening(sections[0])
    return answers.gap_answer(kb, gap, offered)
