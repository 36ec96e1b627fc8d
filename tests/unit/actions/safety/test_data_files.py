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


def _advice_file(tmp_path: Path, dose_sign: str) -> Path:
    """The project's advice.yml with its first dose sign replaced by ``dose_sign``."""
    from actions.safety.advice import ADVICE_FILE

    text = ADVICE_FILE.read_text(encoding="utf-8")
    start = text.index("      - any: [what dose")
    end = text.index("\n", start)
    return write(tmp_path, text[:start] + f"      - {dose_sign}" + text[end:])


def test_an_advice_sign_marked_as_a_request_is_honoured_and_checked(tmp_path: Path) -> None:
    rules = AdviceRules(_advice_file(tmp_path, "{any: [what dose], request: true}"))
    assert rules.kinds["dose"].requests[0] is True
    assert rules.kinds["dose"].requests[1] is False
    with pytest.raises(SafetyDataError, match="request must be true or false"):
        AdviceRules(_advice_file(tmp_path, "{any: [what dose], request: perhaps}"))


def test_an_ordered_sign_is_honoured_and_checked(tmp_path: Path) -> None:
    ordered = AdviceRules(_advice_file(tmp_path, "{all: [[thinking of], [stopping]], ordered: true}"))
    assert ordered.kinds["dose"].signs[0].ordered
    with pytest.raises(SafetyDataError, match="ordered must be true or false"):
        AdviceRules(_advice_file(tmp_path, "{all: [[thinking of], [stopping]], ordered: 1}"))
    with pytest.raises(SafetyDataError, match="ordered"):
        AdviceRules(_advice_file(tmp_path, "{any: [thinking of], ordered: true}"))


@pytest.mark.parametrize("field", ["specific", "medicine"])
def test_each_word_list_of_advice_yml_is_required(tmp_path: Path, field: str) -> None:
    from actions.safety.advice import ADVICE_FILE

    text = ADVICE_FILE.read_text(encoding="utf-8")
    start = text.index(f"{field}: [")
    end = text.index("\n", start)
    with pytest.raises(SafetyDataError, match=field):
        AdviceRules(write(tmp_path, text[:start] + text[end:]))


def test_an_advice_kind_marked_in_request_is_honoured_and_checked(tmp_path: Path) -> None:
    from actions.safety.advice import ADVICE_FILE

    text = ADVICE_FILE.read_text(encoding="utf-8")
    rules = AdviceRules(write(tmp_path, text))
    assert rules.kinds["results"].in_request and rules.kinds["diagnosis"].in_request
    assert not rules.kinds["dose"].in_request and not rules.kinds["decision"].in_request
    marked = "  results:\n    in_request: true\n"
    assert marked in text
    with pytest.raises(SafetyDataError, match="in_request must be true or false"):
        AdviceRules(write(tmp_path, text.replace(marked, "  results:\n    in_request: sometimes\n")))
