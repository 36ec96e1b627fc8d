"""Words and lemmas shared by retrieval and term matching (the text is normalised by
:func:`actions.text_normalisation.normalize` first).

Lemmas come from a blank English spaCy pipeline with the lookup lemmatizer, saved under
``knowledge/nlp/`` (no model download at run time).
"""

from __future__ import annotations

import re
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

# re-exported for the modules that import it from here; its home is actions.text_normalisation
from actions.text_normalisation import normalize as normalize

PIPELINE_DIR = Path(__file__).resolve().parent.parent / "knowledge" / "nlp" / "en_lookup_lemmas"

_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")

# Function words plus words that occur in nearly every question about this one disease, and the "mean"
# of "what does X mean?" (the summary never says "mean"; as a lemma it met the Purpose section's "meant").
# "get" is one, so are its other forms: as the lemma "get" they met "get a second opinion" ("who gets it?").
STOP_WORDS = frozenset(
    """a about after again all also am an and any are as at be been before being both but by can
    could did do does doing during each few for from further had has have having he her here hers
    him his how i if in into is it its itself just me more most my no nor not now of off on once
    only or other our ours out over own same she should so some such than that the their them then
    there these they this those through to too under until up was we were what when where which
    us while who whom why will with would you your yours please tell know want need get give explain
    hi hello thanks thank ok okay kid kids son daughter s t mean means meaning gets getting got gotten""".split()
)


def words(text: str) -> list[str]:
    """Lower-case word tokens of ``text`` (hyphenated words kept whole)."""
    return _WORD.findall(normalize(text))


@lru_cache(maxsize=1)
def _pipeline() -> Any:
    # thinc imports TensorFlow when it can; the lemmatizer does not need it, and importing it costs
    # seconds and hundreds of MB in the action server. Hide it only if nothing has loaded it yet.
    hidden = "tensorflow" not in sys.modules
    if hidden:
        sys.modules["tensorflow"] = None  # type: ignore[assignment]
    try:
        import spacy

        return spacy.load(PIPELINE_DIR)
    finally:
        if hidden and sys.modules.get("tensorflow") is None:
            del sys.modules["tensorflow"]


@lru_cache(maxsize=1)
def lemma_table() -> Any:
    """spaCy's lookup table: inflected word -> lemma (``word in table`` and ``table.get(word)``)."""
    return _pipeline().get_pipe("lemmatizer").lookups.get_table("lemma_lookup")


# spaCy's English lookup table reads "phases" as the plural of "phasis"; in the summary (and in every
# parent's question) it is the plural of "phase", the word the treatment sections are named with.
_LEMMA_CORRECTIONS = {"phases": "phase"}
# Endings of words that are not regular plurals although they end in "s" ("less", "virus", "diagnosis").
_NOT_PLURAL_ENDINGS = ("ss", "us", "is", "'s")
_PLURAL_MIN_LENGTH = 5


@lru_cache(maxsize=8192)
def _lemma(word: str) -> str:
    """The lookup table's lemma of ``word``; a word the table does not know that looks like a regular
    plural ("lymphoblasts", "meds") loses its "s", so it meets its singular in the index."""
    corrected = _LEMMA_CORRECTIONS.get(word)
    if corrected is not None:
        return corrected
    table = lemma_table()
    if word in table:
        return str(table.get(word)).casefold()
    if len(word) >= _PLURAL_MIN_LENGTH and word.endswith("s") and not word.endswith(_NOT_PLURAL_ENDINGS):
        return word[:-1]
    return word


def lemmas(text: str, *, keep_stop_words: bool = False) -> list[str]:
    """Lemmatised content words of ``text`` (stop words removed unless asked to keep them)."""
    result = []
    for word in words(text):
        if not keep_stop_words and word in STOP_WORDS:
            continue
        if "-" in word:
            result.append(word)
            result.extend(_lemma(part) for part in word.split("-") if part and part not in STOP_WORDS)
        else:
            result.append(_lemma(word))
    return result
