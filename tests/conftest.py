"""Shared fixtures (the real knowledge base and the services built on it) and the check that every test sits
in the folder of its kind."""

from __future__ import annotations

import pytest

from actions import services
from actions.knowledge_base import KnowledgeBase
from actions.retrieval import SectionSearch
from actions.safety import detector
from actions.safety.classifier import SafetyClassifier
from actions.term_matching import TermMatcher
from devtools.suite_layout import misplaced


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return services.knowledge_base()


@pytest.fixture(scope="session")
def search() -> SectionSearch:
    return services.section_search()


@pytest.fixture(scope="session")
def matcher() -> TermMatcher:
    return services.term_matcher()


@pytest.fixture
def fitted_safety_classifier(monkeypatch: pytest.MonkeyPatch) -> SafetyClassifier:
    """The project's safety classifier, fitted once per test process (the process's detector's), which
    ``SafetyClassifier.from_project`` then returns instead of fitting again: a fit takes seconds of CPU."""
    fitted = detector.default_detector().classifier
    monkeypatch.setattr(SafetyClassifier, "from_project", classmethod(lambda _cls: fitted))
    return fitted


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Stop the run when a test's folder and markers name different kinds (devtools.suite_layout)."""
    root = config.rootpath
    problems = sorted(
        {
            problem
            for item in items
            if item.path.is_relative_to(root)
            and (problem := misplaced(item.path.relative_to(root).as_posix(), (m.name for m in item.iter_markers())))
        }
    )
    if problems:
        raise pytest.UsageError("tests out of place (see devtools/suite_layout.py):\n" + "\n".join(problems))
