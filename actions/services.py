"""The process-wide knowledge base, section and passage search indexes (with the passage vectors), gap
catalogue and term matcher: each built once, on first use or by :func:`warm_up`."""

from __future__ import annotations

from functools import lru_cache

from actions.gaps import GapCatalogue
from actions.knowledge_base import KnowledgeBase, default_knowledge_base
from actions.passage_vectors import PassageVectors
from actions.passages import PassageSearch
from actions.question_types import QuestionTypes
from actions.retrieval import SectionSearch
from actions.sentence_vectors import SentenceEncoder
from actions.term_matching import TermMatcher


def knowledge_base() -> KnowledgeBase:
    return default_knowledge_base()


@lru_cache(maxsize=1)
def section_search() -> SectionSearch:
    return SectionSearch(knowledge_base())


@lru_cache(maxsize=1)
def sentence_encoder() -> SentenceEncoder:
    return SentenceEncoder.load()


@lru_cache(maxsize=1)
def passage_search() -> PassageSearch:
    kb = knowledge_base()
    search = PassageSearch(kb)
    # The vectors are keyed by the index's own passages, so the index is built first and only once.
    search.vectors = PassageVectors.load(kb, search.passages.values(), sentence_encoder())
    return search


@lru_cache(maxsize=1)
def question_types() -> QuestionTypes:
    from actions.safety.concepts import default_catalogue

    return QuestionTypes(shorthand=default_catalogue().shorthand)


@lru_cache(maxsize=1)
def gaps() -> GapCatalogue:
    return GapCatalogue(section_ids=frozenset(knowledge_base().sections))


@lru_cache(maxsize=1)
def term_matcher() -> TermMatcher:
    return TermMatcher(knowledge_base())


def warm_up() -> None:
    """Build everything now (`python -m actions.server` calls this before it opens its port)."""
    section_search().search("warm up")
    passage_search().search("warm up")
    passage_search().agreement("warm up")
    question_types().asked("warm up")
    gaps().find("warm up")
    term_matcher().match("warm up")
    # The scope guard, follow-up cues and urgent replies (sign catalogue) are cached in their own modules.
    # Imported here, not at the top, because actions.conversation imports this module.
    from actions import conversation, human_contact_actions, safety_replies, scope

    scope.out_of_scope_reason("warm up")
    conversation.cues()
    conversation.sections_using_words()
    safety_replies.urgent_reply(None)
    human_contact_actions.contact_guide()  # a malformed knowledge/human_contact.yml stops the start, named
