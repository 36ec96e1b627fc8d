"""Passage vectors: every passage's sentence vector, stored with the knowledge base, and similarity to a question.

Each passage (:mod:`actions.passages`) is encoded as its section's heading, ": ", and its text (the
heading says what "it" and "this" refer to in a passage such as "It is given ..."). Encoding the
whole summary takes seconds, so the vectors are stored in :data:`VECTORS_FILE` together with a
fingerprint of what they were made from (the weights' digest and every passage's id and encoded text).
:meth:`PassageVectors.load` uses the stored vectors when the fingerprint matches and otherwise encodes
the passages again and logs a warning naming the command that refreshes the file
(``make passage-vectors``; a unit test fails while the stored file is stale).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np

from actions.knowledge_base import KNOWLEDGE_DIR, KnowledgeBase
from actions.passages import Passage
from actions.sentence_vectors import WEIGHTS_SHA256, Array, SentenceEncoder

VECTORS_FILE = KNOWLEDGE_DIR / "nlp" / "passage_vectors.npz"
REFRESH_COMMAND = "make passage-vectors"

logger = logging.getLogger(__name__)


def encoded_text(kb: KnowledgeBase, passage: Passage) -> str:
    """What is encoded for ``passage``: its section's heading, ": ", and its text."""
    return f"{kb.section(passage.section_id).heading}: {passage.text}"


def fingerprint(kb: KnowledgeBase, passages: Iterable[Passage]) -> str:
    """A digest of the weights and of every passage's id and encoded text, in order."""
    digest = hashlib.sha256(WEIGHTS_SHA256.encode())
    for passage in passages:
        digest.update(f"\x00{passage.id}\x00{encoded_text(kb, passage)}".encode())
    return digest.hexdigest()


class PassageVectors:
    """The passages' unit vectors (rows in the order of ``ids``) and the encoder for questions."""

    def __init__(self, ids: list[str], matrix: Array, encoder: SentenceEncoder) -> None:
        if matrix.shape[0] != len(ids):
            raise ValueError(f"{len(ids)} passage ids but {matrix.shape[0]} vectors")
        self.ids = ids
        self.matrix = matrix
        self.encoder = encoder
        self._row = {pid: row for row, pid in enumerate(ids)}

    @classmethod
    def encode(cls, kb: KnowledgeBase, passages: Iterable[Passage], encoder: SentenceEncoder) -> PassageVectors:
        """Encode every passage now (seconds for the whole summary)."""
        passages = list(passages)
        matrix = encoder.encode_many([encoded_text(kb, p) for p in passages])
        return cls([p.id for p in passages], matrix, encoder)

    @classmethod
    def load(
        cls,
        kb: KnowledgeBase,
        passages: Iterable[Passage],
        encoder: SentenceEncoder,
        path: Path = VECTORS_FILE,
    ) -> PassageVectors:
        """The stored vectors when they were made from exactly these passages and weights; else encoded now
        (with a warning naming :data:`REFRESH_COMMAND`)."""
        passages = list(passages)
        wanted = fingerprint(kb, passages)
        stored = read_fingerprint(path)
        if stored == wanted:
            with np.load(path, allow_pickle=False) as data:
                return cls([str(i) for i in data["ids"]], data["vectors"].astype(np.float32), encoder)
        logger.warning(
            "passage vectors %s are %s; encoding %d passages now (run `%s` to store them)",
            path,
            "missing" if stored is None else "stale",
            len(passages),
            REFRESH_COMMAND,
        )
        return cls.encode(kb, passages, encoder)

    def save(self, path: Path, kb: KnowledgeBase, passages: Iterable[Passage]) -> None:
        """Store the vectors with the fingerprint of ``passages`` (the passages they were encoded from)."""
        np.savez_compressed(
            path,
            ids=np.array(self.ids),
            vectors=self.matrix.astype(np.float32),
            fingerprint=np.array(fingerprint(kb, passages)),
        )

    def similarities(self, text: str, ids: Iterable[str] | None = None) -> dict[str, float]:
        """Cosine similarity of ``text`` to each passage (of ``ids`` when given; unknown ids are left out)."""
        query = self.encoder.encode(text)
        if ids is None:
            return dict(zip(self.ids, (self.matrix @ query).tolist(), strict=True))
        rows = [(pid, self._row[pid]) for pid in ids if pid in self._row]
        if not rows:
            return {}
        values = self.matrix[[r for _, r in rows]] @ query
        return {pid: float(v) for (pid, _), v in zip(rows, values, strict=True)}

    def ranked(self, text: str, allowed: Mapping[str, Passage]) -> list[str]:
        """The ids of ``allowed`` passages, most similar to ``text`` first."""
        sims = self.similarities(text, allowed)
        return sorted(sims, key=lambda pid: (-sims[pid], pid))


def read_fingerprint(path: Path) -> str | None:
    """The fingerprint stored in ``path``; None if there is no readable vectors file."""
    try:
        with np.load(path, allow_pickle=False) as data:
            return str(data["fingerprint"])
    except (OSError, KeyError, ValueError):
        return None
