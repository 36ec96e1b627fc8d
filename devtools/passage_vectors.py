"""Store the passages' sentence vectors: ``python -m devtools.passage_vectors [--check]`` (``make passage-vectors``).

Encodes every passage of the knowledge base (:mod:`actions.passage_vectors`) and writes
``knowledge/nlp/passage_vectors.npz``. Run it after the knowledge base changes (``make knowledge``);
the action server encodes stale passages itself at start, with a warning. ``--check`` writes nothing
and exits 1 when the stored file is missing or stale.
"""

from __future__ import annotations

import argparse
import sys

from actions.knowledge_base import default_knowledge_base
from actions.passage_vectors import VECTORS_FILE, PassageVectors, fingerprint, read_fingerprint
from actions.passages import PassageSearch
from actions.sentence_vectors import SentenceEncoder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the stored vectors are missing or stale")
    args = parser.parse_args(argv)
    kb = default_knowledge_base()
    passages = list(PassageSearch(kb).passages.values())
    current = read_fingerprint(VECTORS_FILE) == fingerprint(kb, passages)
    if args.check:
        print(f"{VECTORS_FILE}: {'current' if current else 'missing or stale'}")
        return 0 if current else 1
    vectors = PassageVectors.encode(kb, passages, SentenceEncoder.load())
    vectors.save(VECTORS_FILE, kb, passages)
    print(f"{VECTORS_FILE}: {len(passages)} passages encoded")
    return 0


if __name__ == "__main__":
    sys.exit(main())
