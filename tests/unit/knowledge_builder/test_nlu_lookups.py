"""The NLU synonyms and lookup tables generated from knowledge/ are committed up to date."""

from __future__ import annotations

import yaml

from actions.knowledge_base import KnowledgeBase
from knowledge_builder.nlu_lookups import TARGET, render


def test_generated_file_matches_the_knowledge_base(kb: KnowledgeBase) -> None:
    assert TARGET.read_text(encoding="utf-8") == render(kb), "run: .venv/bin/python -m scripts.generate_nlu_lookups"


def test_aliases_become_synonyms_of_the_canonical_name(kb: KnowledgeBase) -> None:
    entries = yaml.safe_load(render(kb))["nlu"]
    synonyms = {e["synonym"]: e["examples"].split("\n") for e in entries if "synonym" in e}
    assert "- 6-MP" in synonyms["mercaptopurine"]
    assert "- MTX" in synonyms["methotrexate"]
    drugs = next(e for e in entries if e.get("lookup") == "drug")["examples"]
    assert all(f"- {d.name}" in drugs for d in kb.drugs.values())
