"""Stored passage vectors (actions/passage_vectors.py): the file in knowledge/nlp/ is current, its vectors are
the encoder's, and a stale file is replaced by encoding at load, with a warning."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from actions.knowledge_base import KnowledgeBase
from actions.passage_vectors import (
    REFRESH_COMMAND,
    VECTORS_FILE,
    PassageVectors,
    encoded_text,
    fingerprint,
    read_fingerprint,
)
from actions.passages import Passage, PassageSearch
from actions.services import sentence_encoder


@pytest.fixture(scope="module")
def passages(kb: KnowledgeBase) -> list[Passage]:
    return list(PassageSearch(kb).passages.values())


def test_the_stored_vectors_are_current(kb: KnowledgeBase, passages: list[Passage]) -> None:
    # Fails after the knowledge base changes until `make passage-vectors` stores them again.
    assert read_fingerprint(VECTORS_FILE) == fingerprint(kb, passages), f"run `{REFRESH_COMMAND}`"


def test_the_stored_vectors_are_the_encoders(kb: KnowledgeBase, passages: list[Passage]) -> None:
    stored = PassageVectors.load(kb, passages, sentence_encoder())
    sample = passages[::40]
    for passage in sample:
        fresh = sentence_encoder().encode(encoded_text(kb, passage))
        row = stored.ids.index(passage.id)
        assert np.allclose(stored.matrix[row], fresh, atol=1e-5), passage.id


def test_a_passage_is_encoded_with_its_heading(kb: KnowledgeBase, passages: list[Passage]) -> None:
    passage = next(p for p in passages if p.section_id == "lumbar-puncture")
    assert encoded_text(kb, passage) == f"Lumbar puncture (spinal tap): {passage.text}"


def test_a_stale_file_is_encoded_again_with_a_warning(
    kb: KnowledgeBase, passages: list[Passage], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    few = passages[:3]
    path = tmp_path / "vectors.npz"
    PassageVectors.encode(kb, few[:2], sentence_encoder()).save(path, kb, few[:2])  # made from two passages
    with caplog.at_level(logging.WARNING):
        loaded = PassageVectors.load(kb, few, sentence_encoder(), path)
    assert loaded.ids == [p.id for p in few]
    assert "stale" in caplog.text and REFRESH_COMMAND in caplog.text


def test_a_missing_file_is_encoded_with_a_warning(
    kb: KnowledgeBase, passages: list[Passage], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        loaded = PassageVectors.load(kb, passages[:2], sentence_encoder(), tmp_path / "none.npz")
    assert len(loaded.ids) == 2
    assert "missing" in caplog.text


def test_similarities_cover_only_the_known_ids_asked(kb: KnowledgeBase, passages: list[Passage]) -> None:
    vectors = PassageVectors.encode(kb, passages[:3], sentence_encoder())
    sims = vectors.similarities("how is it treated", [passages[0].id, "no-such-passage"])
    assert list(sims) == [passages[0].id]
    assert -1.0 <= sims[passages[0].id] <= 1.0
    assert vectors.similarities("how is it treated", ["no-such-passage"]) == {}
