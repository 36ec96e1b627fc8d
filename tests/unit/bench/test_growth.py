"""The synthetic knowledge base the growth benchmark loads: N copies with consistent links."""

from __future__ import annotations

from actions.knowledge_base import default_knowledge_base
from bench.growth import synthetic


def test_synthetic_knowledge_base_grows_with_consistent_links() -> None:
    kb = default_knowledge_base()
    big = synthetic(kb, 3)
    assert len(big.sections) == 3 * len(kb.sections)
    for section in big.sections.values():
        assert section.parent is None or section.parent in big.sections
        assert all(child in big.sections for child in section.children)
    assert all(entry.section in big.sections for entry in big.glossary.values())
