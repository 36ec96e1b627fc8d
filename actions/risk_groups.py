"""Match an age and white blood cell count to the PDQ's general risk-group definitions.

Pure logic over ``knowledge/risk_groups.yml``. The result is the *general definition* whose
numeric criteria fit; it is never presented as a particular child's risk group (the care team
decides that using more factors, which the reply lists).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from actions.knowledge_base import RiskGroup, RiskGroups
from actions.text_normalisation import normalize

MAX_AGE_YEARS = 25.0
MAX_WBC_PER_MICROLITER = 2_000_000.0
THOUSANDS_BELOW = 1000.0  # "wbc 52" is read as 52 x 10^3 per microliter, the usual lab unit

_NUMBER_WORDS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "a": 1,
    "an": 1,
}
_NUMBER = re.compile(r"(-?\d+(?:[.,]\d+)*)")


def _first_number(text: str) -> float | None:
    match = _NUMBER.search(text)
    if match:
        raw = match.group(1)
        # "50,000" is fifty thousand; "2,5" is two and a half.
        if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", raw):
            raw = raw.replace(",", "")
        return float(raw.replace(",", "."))
    for word in re.findall(r"[a-z]+", text):
        if word in _NUMBER_WORDS and word not in ("a", "an"):
            return float(_NUMBER_WORDS[word])
    return None


def parse_age_years(text: str) -> float | None:
    """Age in years from "4", "4 years", "18 months", "two and a half", "6 weeks"; None if unclear."""
    text = normalize(text)
    value = _first_number(text)
    if value is None:
        return None
    if "half" in text:
        value += 0.5
    if re.search(r"\bmonths?\b|\bmos?\b|\bmths?\b", text):
        value /= 12
    elif re.search(r"\bweeks?\b|\bwks?\b", text):
        value /= 52
    elif re.search(r"\bdays?\b", text):
        value /= 365
    return value if 0 <= value <= MAX_AGE_YEARS else None


def parse_wbc_per_microliter(text: str) -> float | None:
    """White blood cell count per microliter from "30,000", "30k", "30 thousand", "52"; None if unclear."""
    text = normalize(text)
    value = _first_number(text)
    if value is None:
        return None
    if re.search(r"\d\s*k\b|thousand", text) or value < THOUSANDS_BELOW:
        value *= 1000
    return value if 0 < value <= MAX_WBC_PER_MICROLITER else None


_AGE_WITH_UNIT = re.compile(r"\b\d{1,2}(?:\.\d)?\s*(?:-|\s)?(?:years?|yrs?|yo|y/o|months?|mos?|mths?|weeks?)\b")
_AGE_AFTER_WORD = re.compile(r"\b(?:age|aged|is|turned|just turned)\s+\d{1,2}\b(?!\s*(?:,\d{3}|\d|k\b|thousand))")
_WBC_IN_SENTENCE = re.compile(
    r"\b(?:wbc|white (?:blood )?(?:cell )?count|white cells?|white count)\b\D{0,25}?(\d[\d,.]*\s*(?:k\b|thousand)?)"
    r"|(\d{1,3}(?:,\d{3})+|\d{4,7})\s*(?:white|wbc)"
)


def numbers_in_question(text: str) -> tuple[float | None, float | None]:
    """Age (years) and white blood cell count (per microliter) stated in a whole question, if any.

    Stricter than the form parsers: a bare number is not taken for either.
    """
    normalized = normalize(text)
    age = wbc = None
    age_match = _AGE_WITH_UNIT.search(normalized) or _AGE_AFTER_WORD.search(normalized)
    if age_match:
        age = parse_age_years(age_match.group(0))
    wbc_match = _WBC_IN_SENTENCE.search(normalized)
    if wbc_match:
        wbc = parse_wbc_per_microliter(wbc_match.group(1) or wbc_match.group(2))
    return age, wbc


def _fits(criteria: Mapping[str, Any], age: float, wbc: float) -> bool:
    checks = []
    if "age_years_min" in criteria:
        checks.append(age >= criteria["age_years_min"])
    if "age_years_below" in criteria:
        checks.append(age < criteria["age_years_below"])
    if "wbc_per_microliter_min" in criteria:
        checks.append(wbc >= criteria["wbc_per_microliter_min"])
    if "wbc_per_microliter_below" in criteria:
        checks.append(wbc < criteria["wbc_per_microliter_below"])
    if not checks:
        return False
    return all(checks) if criteria.get("combine", "all") == "all" else any(checks)


def matching_definition(groups: RiskGroups, age_years: float, wbc_per_microliter: float) -> RiskGroup | None:
    """The most severe group whose numeric criteria fit (groups are listed least to most severe)."""
    fitting = [g for g in groups.groups if _fits(g.criteria, age_years, wbc_per_microliter)]
    return fitting[-1] if fitting else None
