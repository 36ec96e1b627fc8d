"""The process-wide knowledge base, search index and term matcher, built once on first use."""

from __future__ import annotations

from functools import lru_cache

from actions.gaps import GapCatalogue
from actions.knowledge_base import KnowledgeBase, default_knowledge_base
from actions.passages import PassageSearch
from actions.retrieval import SectionSearch
from actions.term_matching import TermMatcher


def knowledge_base() -> KnowledgeBase:
    return default_knowledge_base()


@lru_cache(maxsize=1)
def section_search() -> SectionSearch:
    return SectionSearch(knowledge_base())


@lru_cache(maxsize=1)
def passage_search() -> PassageSearch:
    return PassageSearch(knowledge_base())


@lru_cache(maxsize=1)
def gaps() -> GapCatalogue:
    return GapCatalogue(section_ids=frozenset(knowledge_base().sections))


@lru_cache(maxsize=1)
def term_matcher() -> TermMatcher:
    return TermMatcher(knowledge_base())


def warm_up() -> None:
    """Build everything now (the action server calls this at import so the first answer is fast)."""
    section_search().search("warm up")
    passage_search().search("warm up")
    gaps().find("warm up")
    term_matcher().match("warm up")
