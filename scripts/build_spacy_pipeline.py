"""Save a blank English spaCy pipeline with the lookup lemmatizer into knowledge/nlp/.

No model download is possible at run time, so the lemma table from spacy-lookups-data is
baked into a pipeline directory that ships with the project. Run once after changing spaCy.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import spacy

TARGET = Path(__file__).resolve().parent.parent / "knowledge" / "nlp" / "en_lookup_lemmas"


def main() -> int:
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    if TARGET.exists():
        shutil.rmtree(TARGET)
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(TARGET)
    print(f"saved {TARGET} ({sum(p.stat().st_size for p in TARGET.rglob('*') if p.is_file())} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
