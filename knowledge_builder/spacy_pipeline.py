"""Save the blank English spaCy pipeline with the lookup lemmatizer that retrieval reads its lemmas from.

No model download is possible at run time, so the lemma table that spaCy takes from the
spacy-lookups-data wheel is baked into a pipeline directory that ships with the project
(:data:`actions.text_processing.PIPELINE_DIR`). Rebuild it after changing spaCy or spacy-lookups-data:
``python scripts/build_spacy_pipeline.py``. Importing this module does no work.
"""

from __future__ import annotations

import shutil
from pathlib import Path


def save_pipeline(target: Path) -> int:
    """Write the pipeline to ``target`` (replacing what is there) and return its size in bytes."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    if target.exists():
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(target)
    return sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
