"""Scope guard: adult leukemia and other cancers are out of scope; childhood ALL questions are not."""

from __future__ import annotations

import pytest

from actions.scope import SCOPE_FILE, ScopeGuard, out_of_scope_reason


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("What are the symptoms of adult acute lymphoblastic leukemia?", "adults"),
        ("my husband was diagnosed with leukemia, what treatment will he get", "adults"),
        ("my wife has leukemia, is chemo the main treatment", "adults"),
        ("is cml curable", "other disease"),
        ("what is the difference between AML and CML", "other disease"),
        ("hodgkin lymphoma in teens treatment", "other disease"),
        ("my father has hairy cell leukemia", "other disease"),
        ("how many mg of 6-MP should my son take", "personal advice"),
        ("can i skip a dose of methotrexate tonight", "personal advice"),
        ("should we stop her chemo for the holidays", "personal advice"),
        ("does insurance cover car-t", "non-medical"),
        # an adult patient first, whatever else is asked
        ("my mom has leukemia, does insurance cover it", "adults"),
    ],
)
def test_out_of_scope(text: str, reason: str) -> None:
    assert out_of_scope_reason(text) == reason


@pytest.mark.parametrize(
    "text",
    [
        "what are all the symptoms of leukemia",
        "how is ALL treated in adolescents and young adults",
        "difference between myelogenous and lymphocytic leukemia",
        "can treatment cause second cancers like AML or brain tumors later",
        "my 5 year old has ALL, is AML the same thing?",
        "what is a lumbar puncture",
        # a spouse named, not as the patient
        "my husband wants a second opinion from another oncologist, what should we bring?",
        "my wife and I keep arguing about whether to join a clinical trial",
        "how much chemo do high risk kids get compared to standard risk",
        "what doses are used during maintenance compared to induction",
        # a teenager writing about themselves, who names a parent
        "im 15 and was just diagnosed with ALL, my dad keeps crying",
        "what dose that word on the report mean",
        # a parent named beside a question about the summary itself
        "I printed this page for my mum ages ago. How often is the summary reviewed and changed?",
    ],
)
def test_in_scope(text: str) -> None:
    assert out_of_scope_reason(text) is None


def test_a_question_about_using_this_summary_for_insurance_is_in_scope() -> None:
    assert out_of_scope_reason("can I use this summary for my insurance appeal?") is None


def test_a_scope_file_with_an_unknown_field_is_rejected(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "scope.yml"
    text = (SCOPE_FILE.read_text(encoding="utf-8")) + "\nextra: x\n"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="expected exactly the fields"):
        ScopeGuard(path)
