"""The knowledge builder (knowledge_builder/): identity with the committed files, and the update pipeline
run on edited copies of the PDQ page in a temporary knowledge directory."""

from __future__ import annotations

import shutil
from html import escape as html_escape
from pathlib import Path

import pytest

from knowledge_builder.__main__ import main
from knowledge_builder.build import build
from knowledge_builder.curated import load_curated
from knowledge_builder.errors import KnowledgeBuildError
from knowledge_builder.source_text import html_to_text, normalise

REPO = Path(__file__).resolve().parents[3]
KNOWLEDGE = REPO / "knowledge"
SOURCE_NAME = "source/child-all-treatment-pdq-patient.txt"
GENERATED = ("sections.yml", "glossary.yml", "drugs.yml", "risk_groups.yml", "aliases.yml")
CODE = [REPO / "actions"]


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    """A copy of the knowledge directory's YAML, curated inputs and page text."""
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE / "curated", target / "curated")
    shutil.copytree(KNOWLEDGE / "source", target / "source")
    for path in KNOWLEDGE.glob("*.yml"):
        shutil.copy(path, target / path.name)
    return target


def edit_page(kb: Path, old: str, new: str) -> Path:
    """An edited copy of the page text (outside the knowledge directory, as a download would be)."""
    page = (kb / SOURCE_NAME).read_text(encoding="utf-8")
    assert page.count(old) == 1, old
    edited = kb.parent / "new-page.txt"
    edited.write_text(page.replace(old, new), encoding="utf-8")
    return edited


def test_the_committed_files_are_what_the_builder_generates_byte_for_byte() -> None:
    result = build(KNOWLEDGE, code_dirs=CODE)
    for name in GENERATED:
        assert result.outputs[name] == (KNOWLEDGE / name).read_text(encoding="utf-8"), name
    assert result.changes.empty
    assert main(["--check"]) == 0


def test_check_fails_when_a_generated_file_was_edited_by_hand(kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    glossary = kb / "glossary.yml"
    glossary.write_text(glossary.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    assert main(["--check", "--knowledge-dir", str(kb)]) == 1
    assert "glossary.yml differs from the generated version" in capsys.readouterr().err


def test_a_changed_sentence_is_reported_with_the_entries_that_cite_its_section(kb: Path) -> None:
    page = edit_page(
        kb,
        "This is the most common type of cancer in children.",
        "This is the most common kind of cancer in children.",
    )
    result = build(kb, page, CODE)
    [section] = result.changes.sections
    assert section.section == "what-is-all"
    assert section.changed == [
        ("This is the most common type of cancer in children.", "This is the most common kind of cancer in children.")
    ]
    assert not result.changes.added_sections and not result.changes.removed_sections
    [citing] = [line for line in result.attention if line.startswith("'what-is-all' changed")]
    assert "topics.yml: intent 'ask_what_is_all'" in citing
    assert "glossary.yml: term 'bone-marrow'" in citing


def test_a_changed_sentence_that_a_glossary_entry_quotes_fails_the_build_naming_the_entry(kb: Path) -> None:
    page = edit_page(kb, "Red marrow contains blood stem cells", "Red marrow holds blood stem cells")
    with pytest.raises(KnowledgeBuildError) as failed:
        build(kb, page, CODE)
    message = str(failed.value)
    assert "glossary.yml: term 'red-marrow': sentence" in message
    assert "the page changed: what-is-all: changed: 'Red marrow contains blood stem cells" in message


def test_a_removed_subsection_fails_naming_what_pointed_at_it(kb: Path) -> None:
    page = (kb / SOURCE_NAME).read_text(encoding="utf-8")
    page = page.replace(" Chest x-ray If your child", " If your child", 1)  # the "In This Section" list
    start = page.index("Chest x-ray An x-ray of the organs")
    page = page[:start] + page[page.index("Getting a second opinion", start) :]
    edited = kb.parent / "new-page.txt"
    edited.write_text(page, encoding="utf-8")
    code = kb.parent / "code"
    code.mkdir()
    (code / "replies.py").write_text('"""A reply."""\n\nSECTION = "chest-x-ray"\n', encoding="utf-8")
    with pytest.raises(KnowledgeBuildError) as failed:
        build(kb, edited, [code])
    message = str(failed.value)
    assert "section 'chest-x-ray' ('Chest x-ray') is no longer on the page" in message
    assert "code/replies.py:3" in message
    assert "topics.yml: intent 'ask_diagnosis_tests' by_entity 'chest x-ray'" in message
    assert "aliases.yml: alias 'CXR' -> term:chest-x-ray" in message
    assert "glossary.yml: term 'chest-x-ray'" in message
    assert main(["--knowledge-dir", str(kb), "--source", str(edited)]) == 1
    assert (kb / SOURCE_NAME).read_text(encoding="utf-8") != page  # nothing written


NEW_HEADING = "Flow cytometry"
NEW_TEXT = "Flow cytometry is a laboratory test that counts cells in a sample of blood."


def page_with_new_subsection(kb: Path) -> Path:
    page = (kb / SOURCE_NAME).read_text(encoding="utf-8")
    page = page.replace("Blood chemistry studies Bone marrow", f"Blood chemistry studies {NEW_HEADING} Bone marrow", 1)
    at = page.index("Bone marrow aspiration and biopsy", page.index("An unusual amount of a substance"))
    page = f"{page[:at]}{NEW_HEADING} {NEW_TEXT} {page[at:]}"
    edited = kb.parent / "new-page.txt"
    edited.write_text(page, encoding="utf-8")
    return edited


def test_a_new_subsection_fails_until_the_spec_says_where_it_goes(kb: Path) -> None:
    edited = page_with_new_subsection(kb)
    with pytest.raises(KnowledgeBuildError) as failed:
        build(kb, edited, CODE)
    assert f"new section {NEW_HEADING!r} (under tests-to-diagnose): curated/spec.yml must say where it goes" in str(
        failed.value
    )

    spec = kb / "curated" / "spec.yml"
    entry = (
        f'  - id: flow-cytometry\n    heading: "{NEW_HEADING}"\n    parent: tests-to-diagnose\n'
        f'    blocks:\n      - paragraph: {{ends_with: "{NEW_TEXT}"}}\n'
    )
    text = spec.read_text(encoding="utf-8")
    spec.write_text(
        text.replace("  - id: bone-marrow-aspiration-biopsy\n", entry + "  - id: bone-marrow-aspiration-biopsy\n")
    )
    result = build(kb, edited, CODE)
    assert result.changes.added_sections == ["flow-cytometry"]
    assert main(["--knowledge-dir", str(kb), "--source", str(edited), "--code-dir", str(REPO / "actions")]) == 0
    assert f'heading: "{NEW_HEADING}"' in (kb / "sections.yml").read_text(encoding="utf-8")
    assert (kb / SOURCE_NAME).read_text(encoding="utf-8") == edited.read_text(encoding="utf-8")


def test_the_page_saved_as_html_builds_the_same_files(kb: Path) -> None:
    page = (kb / SOURCE_NAME).read_text(encoding="utf-8")
    html = kb.parent / "page.html"
    html.write_text(
        "<!DOCTYPE html><html><head><title>x</title><script>var a = 1;</script></head><body><p>"
        + html_escape(page, quote=False).replace("bone marrow .", '<a href="/bm">bone marrow</a>.')
        + "</p></body></html>",
        encoding="utf-8",
    )
    result = build(kb, html, CODE)
    for name in GENERATED:
        assert result.outputs[name] == (KNOWLEDGE / name).read_text(encoding="utf-8"), name


def test_html_to_text_keeps_the_visible_text_with_a_space_at_every_tag() -> None:
    html = '<html><head><style>p{}</style></head><body><h2>Chest x-ray</h2><p>An <a href="#">x-ray</a>.</p></body>'
    assert normalise(html_to_text(html)) == "Chest x-ray An x-ray."


def test_an_unknown_field_in_a_curated_file_is_rejected_naming_file_and_entry(kb: Path) -> None:
    aliases = kb / "curated" / "aliases.yml"
    text = aliases.read_text(encoding="utf-8")
    aliases.write_text(text.replace('alias: "BiTE", target', 'alias: "BiTE", case_senstive: true, target'))
    with pytest.raises(KnowledgeBuildError, match=r"aliases.yml: alias 'BiTE': unknown field\(s\) case_senstive"):
        load_curated(kb / "curated")


def test_a_spec_end_that_is_not_on_the_page_fails_with_the_section_named(kb: Path) -> None:
    spec = kb / "curated" / "spec.yml"
    text = spec.read_text(encoding="utf-8")
    spec.write_text(text.replace("An unusual amount of a substance can be a sign of disease.", "No such sentence."))
    with pytest.raises(KnowledgeBuildError) as failed:
        build(kb, None, CODE)
    assert failed.value.section == "blood-chemistry"
    assert "section 'blood-chemistry': end 'No such sentence.' not found" in str(failed.value)
