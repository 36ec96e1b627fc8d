"""Verification of the knowledge-base data (knowledge/*.yml) against the NCI PDQ source text.

These tests read the YAML files and the source text directly (PyYAML, and the project's one verbatim rule,
actions/verbatim.py). The rule they enforce: every text string in the knowledge base appears verbatim in
the source, compared after deleting ALL whitespace from both sides.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import urllib.parse
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from actions.verbatim import squash

REPO = Path(__file__).resolve().parents[3]
KB = REPO / "knowledge"
SOURCE = KB / "source" / "child-all-treatment-pdq-patient.txt"

PAGE_URL = "https://www.cancer.gov/types/leukemia/patient/child-all-treatment-pdq"
SOURCE_SHA256 = "f4b7c7227650e24ceb4ef7e38d3af34197458cf61930b69ae3a2491989a6c8e8"
UPDATED = datetime.date(2025, 2, 12)

# Every heading of the summary, in page order: the "On This Page" run, the three "In This Section"
# runs and the sub-headings of "About This PDQ Summary".
HEADINGS = [
    "What is childhood acute lymphoblastic leukemia?",
    "Causes and risk factors for childhood acute lymphoblastic leukemia",
    "Genetic counseling for children with acute lymphoblastic leukemia",
    "Symptoms of childhood acute lymphoblastic leukemia",
    "Tests to diagnose childhood acute lymphoblastic leukemia",
    "Complete blood count (CBC)",
    "Blood chemistry studies",
    "Bone marrow aspiration and biopsy",
    "Lumbar puncture (spinal tap)",
    "Chest x-ray",
    "Getting a second opinion",
    "Risk groups for childhood acute lymphoblastic leukemia",
    "Types of treatment for childhood acute lymphoblastic leukemia",
    "Who treats children with acute lymphoblastic leukemia?",
    "Treatment phases of childhood acute lymphoblastic leukemia",
    "Chemotherapy",
    "Radiation therapy",
    "Stem cell transplant",
    "Immunotherapy",
    "Targeted therapy",
    "Clinical trials",
    "Treatment options for childhood acute lymphoblastic leukemia",
    "Treatment of standard-risk childhood acute lymphoblastic leukemia",
    "Treatment of high-risk childhood acute lymphoblastic leukemia",
    "Treatment of very high-risk childhood acute lymphoblastic leukemia",
    "Treatment of childhood acute lymphoblastic leukemia in the brain and spinal cord or testicles",
    "Treatment of T-cell childhood acute lymphoblastic leukemia",
    "Treatment of infants with acute lymphoblastic leukemia",
    "Treatment of adolescents and young adults with acute lymphoblastic leukemia",
    "Treatment of children with Down syndrome and acute lymphoblastic leukemia",
    "Treatment of childhood Philadelphia chromosome–positive acute lymphoblastic leukemia",
    "Treatment of relapsed or refractory childhood acute lymphoblastic leukemia",
    "Prognostic factors for childhood acute lymphoblastic leukemia",
    "Side effects and late effects of treatment",
    "Follow-up care",
    "Coping with your child's cancer",
    "Related resources",
    "About This PDQ Summary",
    "About PDQ",
    "Purpose of This Summary",
    "Reviewers and Updates",
    "Clinical Trial Information",
    "Permission to Use This Summary",
    "Disclaimer",
    "Contact Us",
]

# Sections whose heading is followed on the page by an "In This Section <child headings>" run.
IN_THIS_SECTION = {"tests-to-diagnose", "types-of-treatment", "treatment-options"}

# Source text that is deliberately not represented in sections.yml (with the section it sits in).
# "Rituximab ." is a bold label with no entry text after it.
KNOWN_OMISSIONS = [("immunotherapy", "Rituximab.")]

# Where the summary body starts / ends in the source.
BODY_START = "What is childhood acute lymphoblastic leukemia? Go to Health Professional Version"
BODY_END = "Questions can also be submitted to Cancer.gov through the website’s E-mail Us ."

# Measured: headings + block texts cover 96.96 % of the body's non-whitespace characters (33,815 of
# 34,875; the rest is the "In This Section" runs, the word "Enlarge" before figure captions, "Go to
# Health Professional Version", the ":" after bold labels and the empty "Rituximab." label). Dropping
# even the smallest section (~190 characters, 0.55 %) takes the ratio below this threshold; the exact
# in-order rebuild test below is the stricter check.
MIN_COVERAGE = 0.965

BLOCK_KINDS = {"paragraph", "list", "labelled", "figure"}
GLOSSARY_REQUIRED = {
    "petechiae",
    "lymphoblast",
    "leukemia-cells",
    "remission",
    "relapse",
    "refractory",
    "intrathecal-chemotherapy",
    "remission-induction",
    "consolidation-intensification",
    "maintenance",
    "immunophenotyping",
    "cytogenetic-analysis",
    "genetic-tests",
    "car-t-cells",
    "car-t-cell-therapy",
    "bispecific-t-cell-engager",
    "blood-brain-barrier",
    "ommaya-reservoir",
    "total-body-irradiation",
    "cns-directed-therapy",
    "risk-factor",
    "prognosis",
    "late-effects",
    "second-cancers",
    "lumbar-puncture",
    "cerebrospinal-fluid",
    "bone-marrow",
    "red-marrow",
    "yellow-marrow",
    "blood-stem-cell",
    "myeloid-stem-cell",
    "lymphoid-stem-cell",
    "red-blood-cells",
    "granulocytes",
    "platelets",
    "b-lymphocytes",
    "t-lymphocytes",
    "natural-killer-cells",
    "hemoglobin",
    "pediatric-oncologist",
    "stem-cell-transplant",
    "external-beam-radiation-therapy",
    "chemotherapy",
    "immunotherapy",
    "targeted-therapy",
    "clinical-trial",
    "philadelphia-positive-all",
    "refractory-all",
    "relapsed-all",
    "t-cells",
}
DRUGS_REQUIRED = {
    "chemotherapy": {
        "asparaginase",
        "cyclophosphamide",
        "cytarabine",
        "daunorubicin",
        "dexamethasone",
        "doxorubicin",
        "etoposide",
        "mercaptopurine",
        "methotrexate",
        "nelarabine",
        "prednisone",
        "thioguanine",
        "vincristine",
    },
    "immunotherapy": {"blinatumomab", "rituximab"},
    "targeted therapy": {"bortezomib", "dasatinib", "imatinib", "inotuzumab", "nivolumab", "ruxolitinib"},
}
ALIAS_KINDS = {"abbreviation", "synonym", "misspelling", "brand"}
ALIASES_REQUIRED = {
    # alias: target
    "6-MP": "drug:mercaptopurine",
    "6MP": "drug:mercaptopurine",
    "MTX": "drug:methotrexate",
    "ara-C": "drug:cytarabine",
    "VCR": "drug:vincristine",
    "dex": "drug:dexamethasone",
    "PEG-asparaginase": "drug:asparaginase",
    "pegaspargase": "drug:asparaginase",
    "Oncaspar": "drug:asparaginase",
    "Erwinia asparaginase": "drug:asparaginase",
    "Rylaze": "drug:asparaginase",
    "Gleevec": "drug:imatinib",
    "Sprycel": "drug:dasatinib",
    "Blincyto": "drug:blinatumomab",
    "Besponsa": "drug:inotuzumab",
    "Rituxan": "drug:rituximab",
    "6-TG": "drug:thioguanine",
    "Cytoxan": "drug:cyclophosphamide",
    "Adriamycin": "drug:doxorubicin",
    "VP-16": "drug:etoposide",
    "daunomycin": "drug:daunorubicin",
    "Oncovin": "drug:vincristine",
    "Vincasar": "drug:vincristine",
    "methotrexat": "drug:methotrexate",
    "methotrexete": "drug:methotrexate",
    "vincristin": "drug:vincristine",
    "dexamethazone": "drug:dexamethasone",
    "daunorubicine": "drug:daunorubicin",
    "doxorubicine": "drug:doxorubicin",
    "blinatumumab": "drug:blinatumomab",
    "imatinab": "drug:imatinib",
    "spinal tap": "term:lumbar-puncture",
    "LP": "term:lumbar-puncture",
    "lumbar punture": "term:lumbar-puncture",
    "CBC": "term:complete-blood-count",
    "CSF": "term:cerebrospinal-fluid",
    "BiTE": "term:bispecific-t-cell-engager",
    "CAR-T": "term:car-t-cell-therapy",
    "TBI": "term:total-body-irradiation",
    "chemo": "term:chemotherapy",
    "petichiae": "term:petechiae",
    "remision": "term:remission",
    "relaps": "term:relapse",
    "ALL": "term:acute-lymphoblastic-leukemia",
}
ALIASES_REQUIRED_ANY_TARGET = {
    "bone marrow test",
    "BMA",
    "BMT",
    "bone marrow transplant",
    "SCT",
    "full blood count",
    "blood count",
    "spinal fluid",
    "chest xray",
    "x ray",
    "CAR T",
    "car t cell",
    "IT chemo",
    "intrathecal chemo",
    "radiotherapy",
    "radiation",
    "XRT",
    "CNS",
    "leukaemia",
    "lukemia",
    "luekemia",
    "leukimia",
    "leukemea",
    "acute lymphocytic leukemia",
    "acute lymphoblastic leukaemia",
    "Ph+",
    "Ph-positive",
    "philly chromosome",
    "T-ALL",
    "AYA",
    "teenager",
    "infant",
    "baby",
    "Down's syndrome",
    "trisomy 21",
    "petechia",
    "red dots",
    "ommaya",
    "vincristin",
}
# Never alias a different drug to one of ours.
FORBIDDEN_ALIASES = {
    "prednisolone",
    "methylprednisolone",
    "hydrocortisone",
    "idarubicin",
    "epirubicin",
    "vinblastine",
    "nilotinib",
    "ponatinib",
    "MRD",
}


# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------


@cache
def source_raw() -> str:
    return SOURCE.read_text(encoding="utf-8")


@cache
def source_squashed() -> str:
    return squash(source_raw())


@cache
def load(name: str) -> Any:
    with (KB / name).open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def sections() -> list[dict[str, Any]]:
    return load("sections.yml")["sections"]


def section_by_id() -> dict[str, dict[str, Any]]:
    return {s["id"]: s for s in sections()}


def block_strings(block: dict[str, Any]) -> list[str]:
    """Every text string stored in a block."""
    (kind,) = block.keys()
    val = block[kind]
    if kind in ("paragraph", "figure"):
        return [val]
    if kind == "labelled":
        return [val["label"], val["text"]]
    if kind == "list":
        return ([val["lead"]] if val["lead"] is not None else []) + list(val["items"])
    raise AssertionError(f"unknown block kind {kind!r}")


def quotable_units(block: dict[str, Any]) -> list[str]:
    """Texts that glossary sentences and drug mentions may quote (a substring of one of these)."""
    (kind,) = block.keys()
    val = block[kind]
    if kind == "labelled":
        return [val["text"], f"{val['label']}: {val['text']}"]
    return block_strings(block)


def in_section(section_id: str, text: str) -> bool:
    sec = section_by_id()[section_id]
    return any(text in unit for b in sec["blocks"] for unit in quotable_units(b))


def body_squashed() -> str:
    src = source_squashed()
    start = src.index(squash(BODY_START))
    end = src.index(squash(BODY_END)) + len(squash(BODY_END))
    return src[start:end]


def reconstruction() -> str:
    """The summary body as rebuilt from sections.yml, plus the known page-navigation noise."""
    secs = sections()
    children: dict[str, list[str]] = {}
    for s in secs:
        if s["parent"]:
            children.setdefault(s["parent"], []).append(s["heading"])
    parts: list[str] = []
    for s in secs:
        parts.append(s["heading"])
        if s["id"] == "what-is-all":
            parts.append("Go to Health Professional Version")
        if s["id"] in IN_THIS_SECTION:
            parts.append("In This Section " + " ".join(children[s["id"]]))
        for b in s["blocks"]:
            (kind,) = b.keys()
            val = b[kind]
            if kind == "paragraph":
                parts.append(val)
            elif kind == "figure":
                parts.append("Enlarge " + val)
            elif kind == "labelled":
                parts.append(f"{val['label']}: {val['text']}")
            elif kind == "list":
                parts.extend(block_strings(b))
    return squash(" ".join(parts))


# ---------------------------------------------------------------------------------------------
# source
# ---------------------------------------------------------------------------------------------


def test_source_is_the_unmodified_copy() -> None:
    assert hashlib.sha256(SOURCE.read_bytes()).hexdigest() == SOURCE_SHA256
    assert (KB / "source" / "PROVENANCE.md").is_file()


def test_sections_source_metadata() -> None:
    src = load("sections.yml")["source"]
    assert src["title"] == "Childhood Acute Lymphoblastic Leukemia (PDQ®)–Patient Version"
    assert src["publisher"] == "National Cancer Institute"
    assert src["author"] == "PDQ® Pediatric Treatment Editorial Board"
    assert src["url"] == PAGE_URL
    assert str(src["updated"]) == str(UPDATED)
    assert (KB / src["file"]).resolve() == SOURCE.resolve()
    assert squash(src["title"]) in source_squashed()
    assert squash("Updated: February 12, 2025") in source_squashed()


# ---------------------------------------------------------------------------------------------
# sections.yml
# ---------------------------------------------------------------------------------------------


def test_every_section_text_is_verbatim_in_source() -> None:
    src = source_squashed()
    missing = []
    for s in sections():
        for b in s["blocks"]:
            for text in block_strings(b):
                assert isinstance(text, str) and text.strip(), (s["id"], b)
                if squash(text) not in src:
                    missing.append((s["id"], text))
            if "labelled" in b:
                lab = b["labelled"]
                if squash(f"{lab['label']}:{lab['text']}") not in src:
                    missing.append((s["id"], f"{lab['label']}: {lab['text']}"))
    assert not missing, missing


def test_block_shapes() -> None:
    for s in sections():
        assert isinstance(s["blocks"], list), s["id"]
        for b in s["blocks"]:
            assert isinstance(b, dict) and len(b) == 1 and set(b) <= BLOCK_KINDS, (s["id"], b)
            if "list" in b:
                lst = b["list"]
                assert set(lst) == {"lead", "items"}, (s["id"], lst)
                assert lst["lead"] is None or lst["lead"].endswith(":"), (s["id"], lst["lead"])
                assert lst["items"] and all(isinstance(i, str) and i for i in lst["items"]), s["id"]
            if "labelled" in b:
                assert set(b["labelled"]) == {"label", "text"}, (s["id"], b)
                assert not b["labelled"]["text"].startswith(":"), (s["id"], b)
            if "figure" in b:
                assert not b["figure"].startswith("Enlarge"), (s["id"], b)


def test_no_flattening_artifacts_left() -> None:
    for s in sections():
        for b in s["blocks"]:
            for text in block_strings(b):
                assert not re.search(r"\s[.,;:)?]|\(\s|\s{2,}|^\s|\s$", text), (s["id"], text)


def test_headings_match_the_summary() -> None:
    got = [s["heading"] for s in sections()]
    assert got == HEADINGS
    norm = " ".join(source_raw().split())
    for h in HEADINGS:
        assert h in norm, h


def test_section_ids_parents_urls_dates() -> None:
    secs = sections()
    ids = [s["id"] for s in secs]
    assert len(ids) == len(set(ids)), "duplicate section ids"
    seen: set[str] = set()
    for s in secs:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s["id"]), s["id"]
        assert s["parent"] is None or s["parent"] in seen, (s["id"], s["parent"])  # parent exists, earlier
        seen.add(s["id"])
        assert str(s["updated"]) == str(UPDATED), s["id"]
        url = s["url"]
        assert url.startswith(PAGE_URL + "#:~:text="), url
        fragment = url[len(PAGE_URL + "#:~:text=") :]
        assert urllib.parse.unquote(fragment) == s["heading"], url
        assert not re.search(r"[ ,&\-]", fragment), url  # text-fragment syntax characters are encoded


def test_required_section_structure() -> None:
    by_id = section_by_id()
    expected_parents = {
        "what-is-all": None,
        "causes-risk-factors": None,
        "genetic-counseling": None,
        "symptoms": None,
        "tests-to-diagnose": None,
        "complete-blood-count": "tests-to-diagnose",
        "blood-chemistry": "tests-to-diagnose",
        "bone-marrow-aspiration-biopsy": "tests-to-diagnose",
        "lumbar-puncture": "tests-to-diagnose",
        "chest-x-ray": "tests-to-diagnose",
        "second-opinion": None,
        "risk-groups": None,
        "types-of-treatment": None,
        "who-treats": "types-of-treatment",
        "treatment-phases": "types-of-treatment",
        "chemotherapy": "types-of-treatment",
        "radiation-therapy": "types-of-treatment",
        "stem-cell-transplant": "types-of-treatment",
        "immunotherapy": "types-of-treatment",
        "targeted-therapy": "types-of-treatment",
        "clinical-trials": "types-of-treatment",
        "treatment-options": None,
        "treatment-standard-risk": "treatment-options",
        "treatment-high-risk": "treatment-options",
        "treatment-very-high-risk": "treatment-options",
        "treatment-cns-testicles": "treatment-options",
        "treatment-t-cell": "treatment-options",
        "treatment-infants": "treatment-options",
        "treatment-adolescents-young-adults": "treatment-options",
        "treatment-down-syndrome": "treatment-options",
        "treatment-philadelphia-positive": "treatment-options",
        "treatment-relapsed-refractory": "treatment-options",
        "prognostic-factors": None,
        "side-effects-late-effects": None,
        "follow-up-care": None,
        "coping": None,
        "related-resources": None,
        "about-this-summary": None,
        "about-pdq": "about-this-summary",
        "purpose": "about-this-summary",
        "reviewers-updates": "about-this-summary",
        "clinical-trial-information": "about-this-summary",
        "permission-to-use": "about-this-summary",
        "disclaimer": "about-this-summary",
        "contact-us": "about-this-summary",
    }
    assert {k: by_id[k]["parent"] for k in by_id} == expected_parents
    assert by_id["types-of-treatment"]["blocks"] == []
    assert by_id["about-this-summary"]["blocks"] == []

    def lists(sid: str) -> list[dict[str, Any]]:
        return [b["list"] for b in by_id[sid]["blocks"] if "list" in b]

    def labels(sid: str) -> list[str]:
        return [b["labelled"]["label"] for b in by_id[sid]["blocks"] if "labelled" in b]

    assert [len(x["items"]) for x in lists("what-is-all")] == [3, 3]
    assert [len(x["items"]) for x in lists("causes-risk-factors")] == [8, 3]
    assert [len(x["items"]) for x in lists("genetic-counseling")] == [4]
    assert [len(x["items"]) for x in lists("symptoms")] == [13]
    assert [len(x["items"]) for x in lists("complete-blood-count")] == [4]
    assert [len(x["items"]) for x in lists("risk-groups")] == [3, 6]
    assert [len(x["items"]) for x in lists("who-treats")] == [14]
    assert [len(x["items"]) for x in lists("treatment-phases")] == [3, 7]
    assert [len(x["items"]) for x in lists("chemotherapy")] == [13]
    assert [len(x["items"]) for x in lists("targeted-therapy")] == [6]
    assert [len(x["items"]) for x in lists("treatment-relapsed-refractory")] == [2, 2, 3]
    assert [len(x["items"]) for x in lists("prognostic-factors")] == [8, 7]
    assert [len(x["items"]) for x in lists("side-effects-late-effects")] == [3]
    assert [len(x["items"]) for x in lists("related-resources")] == [8]
    assert labels("bone-marrow-aspiration-biopsy") == ["Genetic tests", "Immunophenotyping"]
    assert labels("immunotherapy") == ["Blinatumomab", "CAR T-cell therapy"]
    assert lists("treatment-phases")[1]["lead"] == "Treatment options depend on:"
    assert "dexamethasone (steroid)" in lists("chemotherapy")[0]["items"]


def test_known_omissions_really_are_empty_labels() -> None:
    body = " ".join(source_raw().split())
    for sid, text in KNOWN_OMISSIONS:
        assert section_by_id()[sid]
        # "Rituximab ." is followed directly by the next paragraph, i.e. the label has no text.
        assert body.count("Rituximab .") == 1
        assert squash(text) in body_squashed()
        assert not any(squash(text) == squash(t) for b in section_by_id()[sid]["blocks"] for t in block_strings(b))


def test_sections_cover_the_summary_body() -> None:
    body = body_squashed()
    covered = squash(
        " ".join(
            [s["heading"] for s in sections()] + [t for s in sections() for b in s["blocks"] for t in block_strings(b)]
        )
    )
    ratio = len(covered) / len(body)
    assert ratio >= MIN_COVERAGE, f"sections.yml covers only {ratio:.1%} of the summary body"


def test_sections_rebuild_the_summary_body_exactly_in_order() -> None:
    body = body_squashed()
    for _sid, text in KNOWN_OMISSIONS:
        assert body.count(squash(text)) == 1, text
        body = body.replace(squash(text), "", 1)
    rebuilt = reconstruction()
    if rebuilt != body:
        pairs = enumerate(zip(rebuilt, body, strict=False))
        i = next((k for k, (a, b) in pairs if a != b), min(len(rebuilt), len(body)))
        lo, hi = max(0, i - 60), i + 60
        pytest.fail(
            "sections.yml does not reproduce the summary body in order; first difference at "
            f"{i}:\n  yaml:   ...{rebuilt[lo:hi]}\n  source: ...{body[lo:hi]}"
        )


# ---------------------------------------------------------------------------------------------
# glossary.yml
# ---------------------------------------------------------------------------------------------


def test_glossary() -> None:
    gl = load("glossary.yml")
    ids = [g["id"] for g in gl]
    assert len(ids) == len(set(ids)), "duplicate glossary ids"
    assert set(ids) >= GLOSSARY_REQUIRED, GLOSSARY_REQUIRED - set(ids)
    by_id = section_by_id()
    for g in gl:
        assert set(g) == {"id", "term", "section", "sentence"}, g
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", g["id"]), g["id"]
        assert g["section"] in by_id, g
        assert in_section(g["section"], g["sentence"]), g
        assert g["term"].lower() in g["sentence"].lower(), g
        assert squash(g["sentence"]) in source_squashed(), g


# ---------------------------------------------------------------------------------------------
# drugs.yml
# ---------------------------------------------------------------------------------------------


def test_drugs() -> None:
    drugs = load("drugs.yml")
    ids = [d["id"] for d in drugs]
    assert len(ids) == len(set(ids)), "duplicate drug ids"
    for cat, names in DRUGS_REQUIRED.items():
        assert {d["id"] for d in drugs if d["category"] == cat} == names, cat
    by_id = section_by_id()
    for d in drugs:
        assert d["category"] in DRUGS_REQUIRED, d["id"]
        assert d["id"] in d["name"].lower(), d
        assert squash(d["name"]) in source_squashed(), d
        assert d["mentions"], d["id"]
        for m in d["mentions"]:
            assert m["section"] in by_id, m
            assert d["id"] in m["text"].lower(), (d["id"], m)
            assert in_section(m["section"], m["text"]), (d["id"], m)


def test_drug_mentions_are_complete() -> None:
    """Every block that names a drug is referenced by at least one of the drug's mentions."""
    for d in load("drugs.yml"):
        pat = re.compile(rf"\b{re.escape(d['id'])}", re.IGNORECASE)
        for s in sections():
            for b in s["blocks"]:
                for unit in quotable_units(b)[:1] if "labelled" in b else quotable_units(b):
                    if pat.search(unit):
                        assert any(m["section"] == s["id"] and m["text"] in unit for m in d["mentions"]), (
                            d["id"],
                            s["id"],
                            unit,
                        )


# ---------------------------------------------------------------------------------------------
# risk_groups.yml
# ---------------------------------------------------------------------------------------------


def test_risk_groups() -> None:
    rg = load("risk_groups.yml")
    assert rg["section"] == "risk-groups"
    lists = [b["list"] for b in section_by_id()["risk-groups"]["blocks"] if "list" in b]
    group_items, other = lists[0]["items"], lists[1]
    groups = {g["id"]: g for g in rg["groups"]}
    assert list(groups) == ["standard", "high", "very-high"]
    assert [g["definition"] for g in rg["groups"]] == group_items
    for g in rg["groups"]:
        assert g["definition"].startswith(g["name"] + ":"), g
        assert g["criteria"]["combine"] in ("all", "any"), g
        for key, value in g["criteria"].items():
            if key.startswith("wbc"):
                assert f"{value:,}" in g["definition"], (g["id"], key)
            elif key.startswith("age"):
                assert re.search(rf"\b{value}\b", g["definition"]), (g["id"], key)
        for frag in g.get("other_criteria", []):
            assert frag in g["definition"], (g["id"], frag)

    std, high, vhigh = groups["standard"], groups["high"], groups["very-high"]
    assert std["criteria"] == {
        "combine": "all",
        "age_years_min": 1,
        "age_years_below": 10,
        "wbc_per_microliter_below": 50000,
    }
    assert "aged 1 to younger than 10 years" in std["definition"]
    assert "less than 50,000 per microliter" in std["definition"]
    assert high["criteria"] == {"combine": "any", "age_years_min": 10, "wbc_per_microliter_min": 50000}
    assert "10 years and older and/or" in high["definition"]
    assert "50,000 per microliter of blood or more" in high["definition"]
    assert vhigh["criteria"] == {"combine": "any", "age_years_below": 1}
    assert "younger than age 1" in vhigh["definition"]
    assert "after the first 4 weeks of treatment" in vhigh["definition"]

    assert rg["other_factors_lead"] == other["lead"] == "Other factors that affect the risk group include:"
    assert rg["other_factors"] == other["items"]


# ---------------------------------------------------------------------------------------------
# aliases.yml
# ---------------------------------------------------------------------------------------------


def alias_targets() -> set[str]:
    return (
        {f"drug:{d['id']}" for d in load("drugs.yml")}
        | {f"term:{g['id']}" for g in load("glossary.yml")}
        | {f"section:{s['id']}" for s in sections()}
    )


def test_aliases() -> None:
    aliases = load("aliases.yml")
    targets = alias_targets()
    seen: dict[str, str] = {}
    for a in aliases:
        assert set(a) <= {"alias", "target", "kind", "case_sensitive"} and {"alias", "target", "kind"} <= set(a), a
        assert isinstance(a["alias"], str) and a["alias"].strip() == a["alias"] and a["alias"], a
        assert a["target"] in targets, a
        assert a["kind"] in ALIAS_KINDS, a
        key = a["alias"].lower()
        assert key not in seen, f"alias {a['alias']!r} listed twice ({seen.get(key)} / {a['target']})"
        seen[key] = a["target"]
        assert key not in {f.lower() for f in FORBIDDEN_ALIASES}, a
    by_alias = {a["alias"]: a["target"] for a in aliases}
    for alias, target in ALIASES_REQUIRED.items():
        assert by_alias.get(alias) == target, (alias, by_alias.get(alias), target)
    missing = ALIASES_REQUIRED_ANY_TARGET - set(by_alias)
    assert not missing, missing
