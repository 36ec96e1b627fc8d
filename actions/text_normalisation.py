"""How text is normalised, in one place: three forms for three uses. Pure functions, no I/O.

- :func:`clean`: what a person typed, made safe to store and to hand to Rasa. Unicode NFC; NUL, control,
  format (zero-width, bidi), surrogate, private-use and unassigned characters removed; tab, newline, carriage
  return and every space separator read as a space; runs of whitespace as one space; trimmed. Letters, case,
  digits and punctuation are kept, because the NLU model reads them. The channels' input guard applies it to
  every message (:func:`channels.input_guard.check_message`).
- :func:`normalize`: the form the assistant's matchers compare (words and lemmas, lay terms, safety terms,
  risk-group numbers). Unicode NFKC (full-width letters, ligatures and other compatibility forms become
  their plain letters); typographic quotes, en and em dashes as ASCII ``'`` ``"`` ``-``; control and format
  characters removed except tab and newline; casefolded; runs of whitespace as one space; trimmed.
- :func:`match_key`: a name as the term matcher compares it: :func:`normalize`, then each character other than a
  letter or digit as a space, lower-cased and trimmed (rapidfuzz's ``default_process``): ``6-MP`` → ``6 mp``.

Other modules name their comparison forms differently on purpose: ``evaluation.outcome.normalise`` is the
scorer's letters-and-digits-only key for finding a passage in a reply, and ``knowledge_builder.source_text``
normalises the PDQ page's text for the knowledge build.
"""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz.utils import default_process

# Applied after NFKC, which has already made U+2011 (non-breaking hyphen) U+2010 (hyphen): its entry never
# applies and U+2010 is kept. Left so because both sides of every comparison are normalised alike.
_TYPOGRAPHY = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "‑": "-"})
_WHITESPACE = re.compile(r"\s+")
_ASCII_CONTROLS = str.maketrans({chr(c): None for c in (*range(32), 127) if chr(c) not in "\n\t"})
_REMOVED_BY_CLEAN = ("Cc", "Cf", "Cs", "Co", "Cn")  # controls, format (zero-width, bidi), surrogates, ...


def clean(text: str) -> str:
    """``text`` as typed, made safe to store: see the module docstring."""
    text = unicodedata.normalize("NFC", text)
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if char in "\t\n\r" or category == "Zs":
            kept.append(" ")
        elif category in _REMOVED_BY_CLEAN:
            continue
        else:
            kept.append(char)
    return _WHITESPACE.sub(" ", "".join(kept)).strip()


def normalize(text: str) -> str:
    """Casefold, unify typographic quotes/dashes, strip zero-width/control characters, squash spaces."""
    # ASCII (most messages) the quick way, with the same result: NFKC and the typography table leave it
    # as it is, and its only "C" characters are the controls of _ASCII_CONTROLS.
    text = text.translate(_ASCII_CONTROLS) if text.isascii() else _unified_characters(text)
    return " ".join(text.casefold().split())


def _unified_characters(text: str) -> str:
    """NFKC, typographic quotes and dashes as ASCII, control and format characters removed (but tab and
    newline)."""
    text = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHY)
    return "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch in "\n\t ")


def match_key(text: str) -> str:
    """:func:`normalize`, with punctuation as spaces (``6-MP`` -> ``6 mp``): the term matcher's key."""
    return str(default_process(normalize(text)))
