"""The saved lemma pipeline: what retrieval loads from knowledge/nlp/ can be rebuilt from the installed wheels."""

from __future__ import annotations

from pathlib import Path

import spacy

from actions.text_processing import PIPELINE_DIR
from knowledge_builder.spacy_pipeline import save_pipeline


def test_the_rebuilt_pipeline_lemmatises_like_the_shipped_one(tmp_path: Path) -> None:
    target = tmp_path / "nlp" / "en_lookup_lemmas"
    assert save_pipeline(target) > 0
    rebuilt = spacy.load(target).get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
    shipped = spacy.load(PIPELINE_DIR).get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
    for word in ("children", "treated", "bruises", "given", "phases"):
        assert rebuilt.get(word) == shipped.get(word), word
    assert rebuilt.get("children") == "child"


def test_saving_again_replaces_what_was_there(tmp_path: Path) -> None:
    target = tmp_path / "pipeline"
    target.mkdir()
    (target / "stale.txt").write_text("old", encoding="utf-8")
    save_pipeline(target)
    assert not (target / "stale.txt").exists()
    assert (target / "config.cfg").is_file()
