"""The safety YAML files: every field is honoured or rejected with a message naming the entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from actions.safety.advice import AdviceRules
from actions.safety.concepts import SafetyDataError, SignCatalogue
from actions.safety.situation import SituationRules
from actions.safety.temperature import readings
from actions.safety.terms import Tokenizer

CATEGORY = """
categories:
  fever:
    lead: "Call now."
    note: "If ..., call."
    signs:
      - any: [fever]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "file.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_project_files_load() -> None:
    catalogue = SignCatalogue()
    assert {"fever", "breathing", "bleeding", "seizure", "unresponsive", "severe_pain", "dehydration",
            "central_line", "infection_exposure", "self_harm"} <= set(catalogue.categories)  # fmt: skip
    assert catalogue.categories["self_harm"].crisis_line
    SituationRules()
    assert set(AdviceRules().kinds) == {"dose", "decision", "results", "prognosis", "diagnosis"}


def test_an_unknown_field_is_rejected_by_name(tmp_path: Path) -> None:
    with pytest.raises(SafetyDataError, match=r"categories\.fever: unknown field\(s\) \['sings'\]"):
        SignCatalogue(write(tmp_path, CATEGORY.replace("    signs:", "    sings:")))


def test_a_bare_no_in_yaml_is_rejected_instead_of_read_as_false(tmp_path: Path) -> None:
    with pytest.raises(SafetyDataError, match='quote words such as "no"'):
        SignCatalogue(write(tmp_path, CATEGORY.replace("any: [fever]", "any: [fever, no]")))


def test_a_category_without_its_lead_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(SafetyDataError, match="'lead'"):
        SignCatalogue(write(tmp_path, CATEGORY.replace('    lead: "Call now."\n', "")))


def test_an_all_sign_needs_two_groups(tmp_path: Path) -> None:
    with pytest.raises(SafetyDataError, match="at least two groups"):
        SignCatalogue(write(tmp_path, CATEGORY.replace("any: [fever]", "all: [[fever]]")))


@pytest.mark.parametrize(
    ("text", "celsius"),
    [
        ("temp 38.6", [38.6]),
        ("she is 101.3 f", [38.5]),
        ("thermometer says 39", [39.0]),
        ("37.1 so no fever", [37.1]),
        ("she is 38 weeks old", []),
        ("he weighs 39 kg", []),
        ("temp 102.3 day 10 of consolidation", [39.06]),
    ],
)
def test_temperatures_in_celsius_and_fahrenheit(text: str, celsius: list[float]) -> None:
    tokens = Tokenizer({"temp": "temperature"}, [], lambda _w: True).tokens(text)
    assert [r.celsius for r in readings(tokens)] == celsius
