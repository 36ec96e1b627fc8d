"""The loader: the real KB loads and links up; malformed files are rejected with file + entry named."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from actions.knowledge_base import KNOWLEDGE_DIR, KnowledgeBase, KnowledgeBaseError, load_knowledge_base
from actions.verbatim import VerbatimSource


def test_real_knowledge_base_links_up(kb: KnowledgeBase) -> None:
    assert kb.section("symptoms").heading == "Symptoms of childhood acute lymphoblastic leukemia"
    assert kb.section("lumbar-puncture").parent == "tests-to-diagnose"
    assert "lumbar-puncture" in kb.section("tests-to-diagnose").children
    assert kb.section_by_heading("chest X-RAY") is kb.section("chest-x-ray")
    assert all(topic.section in kb.sections for topic in kb.topics.values())
    assert kb.source.updated.isoformat() == "2025-02-12"


def test_every_block_text_is_in_the_source(kb: KnowledgeBase) -> None:
    source = VerbatimSource((KNOWLEDGE_DIR / kb.source.file).read_text(encoding="utf-8"))
    for section in kb.sections.values():
        for text in section.texts():
            assert source.contains(text), (section.id, text[:60])


def test_aliases_documented_as_case_sensitive_are_loaded_as_such(kb: KnowledgeBase) -> None:
    # aliases.yml: "ALL" is also the word "all", "BiTE" the word "bite", "Tabloid" an ordinary word
    assert {alias.alias for alias in kb.aliases if alias.case_sensitive} == {"ALL", "BiTE", "Tabloid"}


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, target, ignore=shutil.ignore_patterns("nlp"))
    return target


def _edit(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_copy_loads(kb_copy: Path) -> None:
    assert len(load_knowledge_base(kb_copy).sections) == 45


@pytest.mark.parametrize(
    ("file", "change", "expected"),
    [
        (
            "sections.yml",
            lambda d: d["sections"][3].pop("heading"),
            r"sections\.yml: section 'symptoms': missing required field 'heading'",
        ),
        (
            "sections.yml",
            lambda d: d["sections"][4].update(id="symptoms"),
            r"sections\.yml: section 'symptoms': duplicate id",
        ),
        (
            "sections.yml",
            lambda d: d["sections"][5].update(parent="nowhere"),
            r"parent 'nowhere' does not exist",
        ),
        (
            "sections.yml",
            lambda d: d["sections"][3]["blocks"].append({"poem": "x"}),
            r"section 'symptoms': unknown block kind 'poem'",
        ),
        (
            "sections.yml",
            lambda d: d["sections"][3].update(updated="last week"),
            r"section 'symptoms': 'updated' is not a YYYY-MM-DD date",
        ),
        (
            "glossary.yml",
            lambda d: d[0].update(sentence="Leukemia is caused by cold weather."),
            r"glossary\.yml: term '[^']+': sentence is not in section",
        ),
        (
            "drugs.yml",
            lambda d: d[0].update(category="vitamin"),
            r"drugs\.yml: drug '[^']+': category must be one of",
        ),
        (
            "aliases.yml",
            lambda d: d[0].update(target="drug:unobtainium"),
            r"aliases\.yml: alias '6-MP': target 'drug:unobtainium' does not exist",
        ),
        (
            "aliases.yml",
            lambda d: d.append({"alias": "6-mp", "target": "drug:methotrexate", "kind": "synonym"}),
            r"alias '6-mp': maps to both",
        ),
        (
            "aliases.yml",
            lambda d: d[0].update(case_senstive=True),
            r"aliases\.yml: alias '6-MP': unknown field\(s\) case_senstive",
        ),
        (
            "aliases.yml",
            lambda d: d[0].update(case_sensitive="yes"),
            r"aliases\.yml: alias '6-MP': case_sensitive must be true or false",
        ),
        (
            "risk_groups.yml",
            lambda d: d["groups"][0].update(definition="Standard risk: everyone."),
            r"risk_groups\.yml: group 'standard': definition is not in section",
        ),
        (
            "topics.yml",
            lambda d: d["topics"].update(ask_symptoms="no-such-section"),
            r"topics\.yml: intent 'ask_symptoms': section 'no-such-section' does not exist",
        ),
        (
            "topics.yml",
            lambda d: d["topics"]["ask_resources"].update(overruled_by_search="no"),
            r"topics\.yml: intent 'ask_resources': overruled_by_search must be true or false",
        ),
        (
            "topics.yml",
            lambda d: d["topics"]["ask_resources"].update(overuled_by_search=False),
            r"topics\.yml: intent 'ask_resources': expected a section id or a mapping of",
        ),
    ],
)
def test_malformed_files_are_rejected_with_file_and_entry(kb_copy: Path, file: str, change, expected: str) -> None:  # type: ignore[no-untyped-def]
    _edit(kb_copy / file, change)
    with pytest.raises(KnowledgeBaseError, match=expected):
        load_knowledge_base(kb_copy)


def test_invalid_yaml_and_missing_file_are_reported(kb_copy: Path) -> None:
    (kb_copy / "drugs.yml").write_text("- id: [unclosed\n", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match=r"drugs\.yml: \(file\): is not valid YAML"):
        load_knowledge_base(kb_copy)
    (kb_copy / "drugs.yml").unlink()
    with pytest.raises(KnowledgeBaseError, match=r"drugs\.yml: \(file\): file is missing"):
        load_knowledge_base(kb_copy)
