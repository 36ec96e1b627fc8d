"""Decide whether a question is outside the PDQ summary (adult leukemia, other cancers, doses, money).

Rules are data in ``knowledge/scope.yml``. A question is out of scope when it asks for a dose or a
change of medicine, is about money or paperwork, names another disease without naming ALL, or is
about adults without being about children. Case matters
only for the abbreviation "ALL" (so the English word "all" is not taken for the disease).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from actions.knowledge_base import KNOWLEDGE_DIR

SCOPE_FILE = KNOWLEDGE_DIR / "scope.yml"
_FIELDS = {
    "other_disease",
    "this_disease",
    "adult",
    "child",
    "in_scope_context",
    "non_medical",
    "the_summary",
    "personal_advice",
}


class ScopeGuard:
    def __init__(self, rules_file: Path = SCOPE_FILE) -> None:
        raw = yaml.safe_load(rules_file.read_text(encoding="utf-8"))
        if not isinstance(raw, dict) or set(raw) != _FIELDS:
            found = sorted(raw) if isinstance(raw, dict) else type(raw).__name__
            raise ValueError(f"{rules_file.name}: expected exactly the fields {sorted(_FIELDS)}, found {found}")
        self._other = re.compile(raw["other_disease"], re.IGNORECASE)
        self._this = re.compile(raw["this_disease"])  # case-sensitive: "ALL" vs "all"
        self._this_any_case = re.compile(raw["this_disease"].replace(r"\bALL\b|\bT-ALL\b|", ""), re.IGNORECASE)
        self._adult = re.compile(raw["adult"], re.IGNORECASE)
        self._context = re.compile(raw["in_scope_context"], re.IGNORECASE)
        self._non_medical = re.compile(raw["non_medical"], re.IGNORECASE)
        self._the_summary = re.compile(raw["the_summary"], re.IGNORECASE)
        self._personal_advice = re.compile(raw["personal_advice"], re.IGNORECASE)
        self._child = re.compile(raw["child"], re.IGNORECASE)

    def out_of_scope(self, text: str) -> str | None:
        """Why ``text`` is outside the summary, or None if it is in scope.

        Reasons: "personal advice" (doses, changing medicines: only the care team can answer),
        "non-medical" (insurance, benefits, logistics), "other disease", "adults".
        """
        if self._personal_advice.search(text):
            return "personal advice"
        # Another disease or an adult patient first: their insurance question is not one to answer from
        # this summary's disclaimer.
        names_this = bool(self._this.search(text) or self._this_any_case.search(text))
        if self._other.search(text) and not names_this and not self._context.search(text):
            return "other disease"
        # "I printed this page for my mum" asks about the summary, not about an adult patient.
        if self._adult.search(text) and not self._child.search(text) and not self.about_the_summary(text):
            return "adults"
        if self._non_medical.search(text) and not self.about_the_summary(text):
            return "non-medical"
        return None

    def about_the_summary(self, text: str) -> bool:
        """Whether ``text`` asks about this summary itself ("can I show this summary to our insurer?")."""
        return bool(self._the_summary.search(text))


@lru_cache(maxsize=1)
def default_guard() -> ScopeGuard:
    return ScopeGuard()


def out_of_scope_reason(text: str) -> str | None:
    return default_guard().out_of_scope(text)


def about_the_summary(text: str) -> bool:
    return default_guard().about_the_summary(text)
