"""Detect urgent red flags in a message (fever during treatment, trouble breathing, ...).

The rules are data in ``knowledge/red_flags.yml``; see its header for how they combine. This
module has no Rasa import: the NLU component ``nlu_components.urgent_help`` and the tests use it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from actions.text_processing import normalize

RED_FLAGS_FILE = Path(__file__).resolve().parent.parent / "knowledge" / "red_flags.yml"


@dataclass(frozen=True)
class RedFlag:
    category: str
    matched: str


@dataclass(frozen=True)
class _Category:
    name: str
    always: tuple[re.Pattern[str], ...]
    personal: tuple[re.Pattern[str], ...]


class RedFlagDetector:
    """Compiled red-flag rules; :meth:`detect` returns the first red flag found, or None."""

    def __init__(self, rules_file: Path = RED_FLAGS_FILE) -> None:
        raw = yaml.safe_load(rules_file.read_text(encoding="utf-8"))

        def compile_all(patterns: list[str] | None) -> tuple[re.Pattern[str], ...]:
            return tuple(re.compile(p, re.IGNORECASE) for p in patterns or ())

        self._personal_cue = re.compile(raw["personal_cue"], re.IGNORECASE)
        self._treatment_cue = re.compile(raw["treatment_cue"], re.IGNORECASE)
        self._educational = re.compile(raw["educational"], re.IGNORECASE)
        self._acute_cue = re.compile(raw["acute_cue"], re.IGNORECASE)
        self._negation = re.compile(raw["negation"], re.IGNORECASE)
        self._categories = tuple(
            _Category(name, compile_all(spec.get("always")), compile_all(spec.get("personal")))
            for name, spec in raw["categories"].items()
        )

    @property
    def categories(self) -> tuple[str, ...]:
        return tuple(category.name for category in self._categories)

    def _first_unnegated(self, patterns: tuple[re.Pattern[str], ...], text: str) -> str | None:
        for pattern in patterns:
            for match in pattern.finditer(text):
                if not self._negation.search(text[max(0, match.start() - 40) : match.start()]):
                    return match.group(0)
        return None

    def detect(self, message: str) -> RedFlag | None:
        text = normalize(message)
        if not text:
            return None
        in_treatment = bool(self._treatment_cue.search(text))
        about_someone = in_treatment or bool(self._personal_cue.search(text))
        general_question = bool(self._educational.search(text)) and not (in_treatment or self._acute_cue.search(text))
        personal = about_someone and not general_question
        for category in self._categories:
            matched = self._first_unnegated(category.always, text)
            if matched is None and personal:
                matched = self._first_unnegated(category.personal, text)
            if matched is not None:
                return RedFlag(category.name, matched)
        return None


@lru_cache(maxsize=1)
def default_detector() -> RedFlagDetector:
    return RedFlagDetector()


def detect_red_flag(message: str) -> RedFlag | None:
    """The urgent red flag in ``message``, if any (using the project's rules)."""
    return default_detector().detect(message)
