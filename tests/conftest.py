"""Shared fixtures: the real knowledge base and the services built on it."""

from __future__ import annotations

import pytest

from actions import services
from actions.knowledge_base import KnowledgeBase
from actions.retrieval import SectionSearch
from actions.term_matching import TermMatcher


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return services.knowledge_base()


@pytest.fixture(scope="session")
def search() -> SectionSearch:
    return services.section_search()


@pytest.fixture(scope="session")
def matcher() -> TermMatcher:
    return services.term_matcher()
