"""Parents' words for the summary's words (``knowledge/lay_terms.yml``), added to searches.

:meth:`LayTerms.expand` returns the question followed by the PDQ words of every lay phrase it
contains ("needle in the back" adds "lumbar puncture spinal tap cerebrospinal fluid"), so passage
and section search can find text that uses other words. Replies still show only PDQ text.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from actions.knowledge_base import KNOWLEDGE_DIR
from actions.text_normalisation import normalize

LAY_TERMS_FILE = KNOWLEDGE_DIR / "lay_terms.yml"


class LayTermsError(ValueError):
    """``lay_terms.yml`` is malformed; the message names the entry."""


class LayTerms:
    def __init__(self, path: Path = LAY_TERMS_FILE) -> None:
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise LayTermsError(f"{path.name}: cannot read: {exc}") from None
        if not isinstance(raw, dict) or set(raw) != {"terms"} or not isinstance(raw["terms"], list):
            raise LayTermsError(f"{path.name}: expected exactly one field, 'terms', a list")
        self._entries: list[tuple[re.Pattern[str], str]] = []
        for number, entry in enumerate(raw["terms"], start=1):
            if not isinstance(entry, dict) or set(entry) != {"pdq", "lay"}:
                raise LayTermsError(f"{path.name}: terms[{number}]: expected exactly the fields 'pdq' and 'lay'")
            lay = entry["lay"]
            if not isinstance(entry["pdq"], str) or not isinstance(lay, list) or not lay:
                raise LayTermsError(f"{path.name}: terms[{number}]: 'pdq' is text and 'lay' a non-empty list")
            phrases = sorted({normalize(str(p)) for p in lay if not isinstance(p, bool)}, key=len, reverse=True)
            if len(phrases) != len(lay):
                raise LayTermsError(f"{path.name}: terms[{number}]: every lay phrase must be quoted text, once")
            pattern = re.compile(r"(?<![\w+])(?:" + "|".join(re.escape(p) for p in phrases) + r")(?![\w+])")
            self._entries.append((pattern, entry["pdq"]))

    def expand(self, question: str) -> str:
        """``question`` plus the PDQ words of the lay phrases it contains."""
        added = [pdq for _, pdq in self.found(question)]
        return f"{question} {' '.join(added)}" if added else question

    def found(self, question: str) -> list[tuple[str, str]]:
        """Each lay phrase ``question`` contains (the first, longest, match of an entry) with its PDQ words.
        A phrase found inside a longer phrase of another entry counts only as part of that one: "stages of
        treatment" stands for the phases, not also "stages" for the risk groups."""
        text = normalize(question)
        matches = []
        for pattern, pdq in self._entries:
            match = pattern.search(text)
            if match is not None:
                matches.append((match.start(), match.end(), match.group(0), pdq))
        return [
            (phrase, pdq)
            for start, end, phrase, pdq in matches
            if not any(s <= start and end <= e and e - s > end - start for s, e, _, _ in matches)
        ]
