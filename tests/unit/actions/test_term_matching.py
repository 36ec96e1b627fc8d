"""Fuzzy matching of terms and drug names: misspellings, abbreviations, near-twins, look-alikes."""

from __future__ import annotations

import pytest

from actions.term_matching import Target, TermMatcher


@pytest.mark.parametrize(
    ("query", "target"),
    [
        ("methotrexat", Target("drug", "methotrexate")),
        ("Methotrexate", Target("drug", "methotrexate")),
        ("6-MP", Target("drug", "mercaptopurine")),
        ("6mp", Target("drug", "mercaptopurine")),
        ("MTX", Target("drug", "methotrexate")),
        ("vincristin", Target("drug", "vincristine")),
        ("dexamethazone", Target("drug", "dexamethasone")),
        ("Gleevec", Target("drug", "imatinib")),
        ("blinatumumab", Target("drug", "blinatumomab")),
        ("petichiae", Target("term", "petechiae")),
        ("ommaya", Target("term", "ommaya-reservoir")),
        ("LP", Target("term", "lumbar-puncture")),
        ("spinal tap", Target("term", "lumbar-puncture")),
        ("BMT", Target("term", "stem-cell-transplant")),
    ],
)
def test_names_resolve(matcher: TermMatcher, query: str, target: Target) -> None:
    result = matcher.match(query)
    assert result.best is not None and result.best.target == target


def test_near_twins_ask_instead_of_guessing(matcher: TermMatcher) -> None:
    result = matcher.match("dauxorubicin")
    assert result.ambiguous
    assert {c.target.id for c in result.alternatives} == {"daunorubicin", "doxorubicin"}


@pytest.mark.parametrize("query", ["daunorubicin", "doxorubicin", "daunorubicn", "doxorubicn"])
def test_clear_spellings_of_twins_do_not_ask(matcher: TermMatcher, query: str) -> None:
    result = matcher.match(query)
    assert result.best is not None and query[:3] in result.best.target.id


@pytest.mark.parametrize("query", ["MRD", "CNX", "ALX", "mp", "lpp", "a"])
def test_short_abbreviations_are_never_fuzzy(matcher: TermMatcher, query: str) -> None:
    assert matcher.match(query).best is None


@pytest.mark.parametrize("query", ["prednisolone", "idarubicin", "nilotinib", "lymphoma", "pizza", ""])
def test_other_drugs_and_words_do_not_match(matcher: TermMatcher, query: str) -> None:
    result = matcher.match(query)
    assert result.best is None and not result.ambiguous


def test_find_in_text_skips_ordinary_words(matcher: TermMatcher) -> None:
    found = matcher.find_in_text("what are all the side effects of methotrexat and 6-MP?")
    assert [r.best.target.id for r in found if r.best] == ["methotrexate", "mercaptopurine"]


@pytest.mark.parametrize(
    ("query", "target"),
    [
        ("ALL", Target("term", "acute-lymphoblastic-leukemia")),
        ("BiTE", Target("term", "bispecific-t-cell-engager")),
        ("Tabloid", Target("drug", "thioguanine")),
    ],
)
def test_case_sensitive_aliases_match_as_capitalised(matcher: TermMatcher, query: str, target: Target) -> None:
    result = matcher.match(query)
    assert result.best is not None and result.best.target == target


@pytest.mark.parametrize("query", ["all", "bite", "Bite", "tabloid", "tabloids"])
def test_case_sensitive_aliases_do_not_match_the_ordinary_word(matcher: TermMatcher, query: str) -> None:
    result = matcher.match(query)
    assert result.best is None and not result.ambiguous


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("my son got a bug bite on his arm, is that bad", []),
        ("the nurse said that tabloid story is wrong", []),
        ("is BiTE therapy used", [Target("term", "bispecific-t-cell-engager")]),
        ("they mentioned Tabloid and 6-MP", [Target("drug", "thioguanine"), Target("drug", "mercaptopurine")]),
    ],
)
def test_case_sensitive_aliases_in_running_text(matcher: TermMatcher, text: str, found: list[Target]) -> None:
    assert [r.best.target for r in matcher.find_in_text(text) if r.best is not None] == found


def test_a_remembered_match_is_the_one_worked_out_afresh(matcher: TermMatcher) -> None:
    """match remembers each query's result; a remembered result is the same as computing it again."""
    queries = ["vincristin", "ALL", "all", "mtx", "spinal tapp", "methotrexat and", "the maintenance phase", "zzz"]
    first = [matcher.match(q) for q in queries]
    assert [matcher.match(q) for q in queries] == first
    assert all(again is before for again, before in zip((matcher.match(q) for q in queries), first, strict=True))
    assert [matcher._match(q) for q in queries] == first
    assert matcher.find_in_text("is vincristin or mtx given in the maintenance phase?") == matcher.find_in_text(
        "is vincristin or mtx given in the maintenance phase?"
    )
