"""Save the spaCy lemma pipeline into knowledge/nlp/ (see knowledge_builder/spacy_pipeline.py)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from actions.text_processing import PIPELINE_DIR
from knowledge_builder.spacy_pipeline import save_pipeline


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--target", type=Path, default=PIPELINE_DIR, help=f"where to save it (default {PIPELINE_DIR})")
    target = parser.parse_args().target
    print(f"saved {target} ({save_pipeline(target)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
