#!/usr/bin/env python3
# ruff: noqa: E501  (long verbatim source strings are kept on one line where the formatter puts them)
"""Draft the knowledge-base YAML files from the flattened NCI PDQ page.

Usage:  python3 scripts/build_knowledge.py [--check]

The source (knowledge/source/child-all-treatment-pdq-patient.txt) is a flattened copy of the web
page: paragraph breaks are lost and link text is surrounded by stray spaces ("bone marrow .").
This script

1. normalises the text (collapses whitespace, removes the spaces that the flattening put before
   punctuation / after an opening parenthesis) -- it never changes a word;
2. walks the page from the first summary heading to the end of the "Contact Us" paragraph,
   consuming it block by block according to the hand-written SPEC below (where paragraphs end,
   which runs are lists, figure captions, bold-label entries), and fails loudly if the spec and
   the source disagree anywhere (so every character of the summary body lands in exactly one
   block, except the page-navigation noise listed in NOISE);
3. writes knowledge/sections.yml, glossary.yml, drugs.yml, risk_groups.yml and aliases.yml.
   Every text string written is a verbatim span of the normalised source and is re-checked.

With --check nothing is written; the script only verifies that the committed YAML equals what
it would generate.
"""

from __future__ import annotations

import json
import re
import sys
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
KB = REPO / "knowledge"
SOURCE = KB / "source" / "child-all-treatment-pdq-patient.txt"

PAGE_URL = "https://www.cancer.gov/types/leukemia/patient/child-all-treatment-pdq"
UPDATED = "2025-02-12"
TITLE = "Childhood Acute Lymphoblastic Leukemia (PDQ®)–Patient Version"

BODY_START = "What is childhood acute lymphoblastic leukemia? Go to Health Professional Version"
BODY_END = "Questions can also be submitted to Cancer.gov through the website’s E-mail Us."


# --------------------------------------------------------------------------------------------
# text normalisation
# --------------------------------------------------------------------------------------------


def normalise(text: str) -> str:
    """Undo the flattening artifacts without touching any word."""
    s = re.sub(r"\s+", " ", text)
    s = re.sub(r" +([.,;:)?])", r"\1", s)  # "marrow ." -> "marrow."  "nodes )" -> "nodes)"
    s = re.sub(r"\( +", "(", s)  # "( TP53" -> "(TP53"
    s = s.replace("chromosome –positive", "chromosome–positive")  # link text + "–positive"
    return s


def squash(text: str) -> str:
    """Delete all whitespace (the comparison used by the tests)."""
    return "".join(text.split())


# --------------------------------------------------------------------------------------------
# block specs
# --------------------------------------------------------------------------------------------


@dataclass
class P:
    """Paragraph running from the cursor up to and including `end` (first occurrence)."""

    end: str


@dataclass
class L:
    """List: `lead` (or None) followed by the items, all typed out in full and verified."""

    lead: str | None
    items: list[str]


@dataclass
class LB:
    """Bold-label entry "<label> : <text>"; the text runs up to and including `end`."""

    label: str
    end: str


@dataclass
class F:
    """Figure caption after the word "Enlarge"; runs up to and including `end`."""

    end: str


@dataclass
class Skip:
    """Verbatim source text deliberately not represented as a block (see comment)."""

    text: str
    comment: str


Block = P | L | LB | F | Skip


@dataclass
class Sec:
    id: str
    heading: str
    parent: str | None
    blocks: list[Block] = field(default_factory=list)


TOP = None

SPEC: list[Sec] = [
    Sec(
        "what-is-all",
        "What is childhood acute lymphoblastic leukemia?",
        TOP,
        [
            P("occurs most often in children aged 1 to 4 years."),
            F("Yellow marrow is made mostly of fat."),
            P("A blood stem cell may become a myeloid stem cell or a lymphoid stem cell."),
            L(
                "A myeloid stem cell becomes one of three types of blood cells:",
                [
                    "red blood cells, which carry oxygen throughout the body",
                    "granulocytes, which are a type of white blood cell that helps the body fight infection",
                    "platelets, which help the blood clot",
                ],
            ),
            L(
                "A lymphoid stem cell becomes a lymphoblast cell and then one of three types of lymphocytes "
                "(white blood cells):",
                [
                    "B lymphocytes, which make antibodies to help fight infection",
                    "T lymphocytes, which help B lymphocytes make the antibodies that help fight infection",
                    "natural killer cells, which attack cancer cells and viruses",
                ],
            ),
            F("to become a red blood cell, platelet, or white blood cell."),
            P("Leukemia cells are not able to fight infection very well."),
            P("ALL usually worsens quickly if it is not treated."),
        ],
    ),
    Sec(
        "causes-risk-factors",
        "Causes and risk factors for childhood acute lymphoblastic leukemia",
        TOP,
        [
            P("The exact cause of these cell changes is often unknown."),
            P("Learn more about how cancer develops at What Is Cancer?"),
            P("And it will develop in some children who don't have a known risk factor."),
            P("Risk factors may be genetic or due to other causes."),
            L(
                "Possible genetic risk factors for ALL include:",
                [
                    "Down syndrome",
                    "neurofibromatosis type 1",
                    "Bloom syndrome",
                    "Fanconi anemia",
                    "ataxia-telangiectasia",
                    "Li-Fraumeni syndrome (TP53 gene)",
                    "constitutional mismatch repair deficiency (mutations in certain genes that stop DNA from "
                    "repairing itself, which leads to the growth of cancers at an early age)",
                    "having certain changes in chromosomes or genes",
                ],
            ),
            L(
                "Other possible risk factors for ALL include:",
                [
                    "being exposed to x-rays before birth",
                    "being exposed to radiation",
                    "past treatment with chemotherapy",
                ],
            ),
            P("Talk with your child's doctor if you think your child may be at risk."),
        ],
    ),
    Sec(
        "genetic-counseling",
        "Genetic counseling for children with acute lymphoblastic leukemia",
        TOP,
        [
            P("Genetic testing may help explain why a child develops cancer."),
            L(
                "Genetic counselors and other specially trained health professionals can discuss your child's "
                "diagnosis and the family's medical history to help you understand:",
                [
                    "the options for testing for the TP53 gene or other genes",
                    "the risk of other cancers for your child",
                    "the risk of ALL and other cancers for your child's siblings",
                    "the risks and benefits of learning genetic information",
                ],
            ),
            P("whether other members of your family should receive genetic testing."),
            P("Learn more about Genetic Testing for Inherited Cancer Risk."),
        ],
    ),
    Sec(
        "symptoms",
        "Symptoms of childhood acute lymphoblastic leukemia",
        TOP,
        [
            P("by having too many white blood cells that don't work well."),
            L(
                "It's important to check with your child's doctor if your child has:",
                [
                    "fever",
                    "easy bruising or bleeding",
                    "petechiae, which are flat, pinpoint, dark-red spots under the skin caused by bleeding",
                    "weakness or feeling tired",
                    "pale skin or looks pale",
                    "bone or joint pain",
                    "shortness of breath or trouble breathing",
                    "painless lumps (swollen lymph nodes) in the neck, underarm, stomach, or groin",
                    "pain or feeling of fullness below the ribs",
                    "loss of appetite",
                    "weight loss",
                    "abdominal pain",
                    "frequent infections or infections that do not go away",
                ],
            ),
            P("The only way to know is to see your child's doctor."),
        ],
    ),
    Sec(
        "tests-to-diagnose",
        "Tests to diagnose childhood acute lymphoblastic leukemia",
        TOP,
        [
            P("how often your child has been having them."),
            P("the results of these tests will help you and your child's doctor plan treatment."),
            P("The tests used to diagnose childhood acute lymphoblastic leukemia may include:"),
        ],
    ),
    Sec(
        "complete-blood-count",
        "Complete blood count (CBC)",
        "tests-to-diagnose",
        [
            L(
                "A CBC checks a sample of blood for:",
                [
                    "the number of red blood cells and platelets",
                    "the number and type of white blood cells",
                    "the amount of hemoglobin (the protein that carries oxygen) in the red blood cells",
                    "the portion of the sample made up of red blood cells",
                ],
            ),
            F("The CBC is used to test for, diagnose, and monitor many different conditions."),
        ],
    ),
    Sec(
        "blood-chemistry",
        "Blood chemistry studies",
        "tests-to-diagnose",
        [
            P("An unusual amount of a substance can be a sign of disease."),
        ],
    ),
    Sec(
        "bone-marrow-aspiration-biopsy",
        "Bone marrow aspiration and biopsy",
        "tests-to-diagnose",
        [
            P("to look for signs of cancer."),
            F("are removed for examination under a microscope."),
            P("Tests done on blood or the bone marrow tissue that is removed include:"),
            LB("Genetic tests", "or find out how well treatment is working."),
            LB("Immunophenotyping", "if they are B lymphocytes or T lymphocytes."),
        ],
    ),
    Sec(
        "lumbar-puncture",
        "Lumbar puncture (spinal tap)",
        "tests-to-diagnose",
        [
            P("The CSF is checked for signs that leukemia cells have spread to the brain and spinal cord."),
            F("The fluid may be sent to a laboratory for testing."),
            P("to treat any leukemia cells that may have spread to the brain and spinal cord."),
        ],
    ),
    Sec(
        "chest-x-ray",
        "Chest x-ray",
        "tests-to-diagnose",
        [
            P("to see if leukemia cells have formed a lump in the middle of the chest."),
        ],
    ),
    Sec(
        "second-opinion",
        "Getting a second opinion",
        TOP,
        [
            P("to share with the second doctor."),
            P("or provide more information about your child's tumor."),
            P("To learn more about choosing a doctor and getting a second opinion, see Finding Cancer Care."),
            P("for help finding a doctor or hospital that can provide a second opinion."),
            P("see Questions to Ask Your Doctor About Cancer."),
        ],
    ),
    Sec(
        "risk-groups",
        "Risk groups for childhood acute lymphoblastic leukemia",
        TOP,
        [
            P("In childhood ALL, risk groups are used to plan treatment."),
            L(
                "The three risk groups in childhood ALL include:",
                [
                    "Standard risk: Children aged 1 to younger than 10 years who have a white blood cell count less "
                    "than 50,000 per microliter of blood at the time of diagnosis.",
                    "High risk: Children 10 years and older and/or children who have a white blood cell count of "
                    "50,000 per microliter of blood or more at the time of diagnosis.",
                    "Very high risk: Children younger than age 1, children with certain changes in the genes, "
                    "children who have a slow improvement from initial treatment, and children who have signs of "
                    "leukemia after the first 4 weeks of treatment.",
                ],
            ),
            L(
                "Other factors that affect the risk group include:",
                [
                    "whether the leukemia cells began from B lymphocytes or T lymphocytes",
                    "whether there are certain changes in the chromosomes or genes of the lymphocytes",
                    "whether the leukemia cell count drops quickly and how low it drops after initial treatment",
                    "whether leukemia cells are found in the cerebrospinal fluid or the testes at the time of diagnosis",
                    "having Down syndrome",
                    "receiving steroids before cancer treatment",
                ],
            ),
            P("than children with standard-risk ALL."),
        ],
    ),
    Sec("types-of-treatment", "Types of treatment for childhood acute lymphoblastic leukemia", TOP, []),
    Sec(
        "who-treats",
        "Who treats children with acute lymphoblastic leukemia?",
        "types-of-treatment",
        [
            P("who specialize in certain areas of medicine."),
            L(
                "Other specialists may include:",
                [
                    "pediatrician",
                    "hematologist",
                    "medical oncologist",
                    "pediatric surgeon",
                    "radiation oncologist",
                    "pediatric intensivist",
                    "neurologist",
                    "neuroradiologist",
                    "pediatric nurse specialist",
                    "social worker",
                    "rehabilitation specialist",
                    "psychologist",
                    "child-life specialist",
                    "fertility specialist",
                ],
            ),
        ],
    ),
    Sec(
        "treatment-phases",
        "Treatment phases of childhood acute lymphoblastic leukemia",
        "types-of-treatment",
        [
            L(
                "The treatment of childhood ALL is done in three phases:",
                [
                    "Remission induction is the first phase of treatment. The goal is to kill the leukemia cells in "
                    "the blood and bone marrow. This puts the leukemia into remission.",
                    "Consolidation/intensification is the second phase of treatment. It begins once the leukemia is "
                    "in remission. The goal of consolidation/intensification therapy is to kill any leukemia cells "
                    "that remain in the body and may cause a relapse.",
                    "Maintenance is the third phase of treatment. The goal is to kill any remaining leukemia cells "
                    "that may regrow and cause a relapse. Often the cancer treatments are given in lower doses than "
                    "those used during the remission induction and consolidation/intensification phases. This is "
                    "also called the continuation therapy phase. Taking medicine as ordered by the doctor during "
                    "maintenance therapy decreases the chance the cancer will come back.",
                ],
            ),
            L(
                "Treatment options depend on:",
                [
                    "whether the leukemia cells began from B lymphocytes or T lymphocytes",
                    "if your child has standard-risk, high-risk, or very high-risk ALL",
                    "your child's age at the time of diagnosis",
                    "whether there are certain changes in the chromosomes of lymphocytes, such as the Philadelphia "
                    "chromosome",
                    "whether your child was treated with dexamethasone or prednisone before the start of remission "
                    "induction therapy",
                    "how quickly and how low the leukemia cell count drops during treatment",
                    "if leukemia was found in the central nervous system",
                ],
            ),
            P("Types of treatment your child might have include:"),
        ],
    ),
    Sec(
        "chemotherapy",
        "Chemotherapy",
        "types-of-treatment",
        [
            P("Chemotherapy may be given alone or with other types of treatment."),
            P("mainly affects cancer cells in this area."),
            P("than children with standard-risk ALL."),
            P("to the brain and spinal cord."),
            L(
                "Chemotherapy drugs used alone or in combination to treat ALL in children include:",
                [
                    "asparaginase",
                    "cyclophosphamide",
                    "cytarabine",
                    "daunorubicin",
                    "dexamethasone (steroid)",
                    "doxorubicin",
                    "etoposide",
                    "mercaptopurine",
                    "methotrexate",
                    "nelarabine",
                    "prednisone (steroid)",
                    "thioguanine",
                    "vincristine",
                ],
            ),
            P("Other drugs not listed here may also be used."),
            P("Learn more about Chemotherapy to Treat Cancer."),
        ],
    ),
    Sec(
        "radiation-therapy",
        "Radiation therapy",
        "types-of-treatment",
        [
            P("to kill cancer cells or keep them from growing."),
            P("toward the area of the body with cancer."),
            P("It may also be used to prepare the bone marrow for a stem cell transplant."),
            P("Learn more about External Beam Radiation Therapy for Cancer and Radiation Therapy Side Effects."),
        ],
    ),
    Sec(
        "stem-cell-transplant",
        "Stem cell transplant",
        "types-of-treatment",
        [
            P("These treatments destroy healthy cells, including blood-forming cells."),
            P("the stored stem cells are thawed and given to the patient through an infusion."),
            P("The donor stem cells may also find and kill any cancer cells left in the body."),
            P("as part of treatment for ALL that relapses (comes back after treatment)."),
            F("through a catheter placed into a blood vessel in the chest."),
        ],
    ),
    Sec(
        "immunotherapy",
        "Immunotherapy",
        "types-of-treatment",
        [
            P("to boost, direct, or restore the body's natural defenses against cancer."),
            P(
                "Examples of immunotherapy used to treat childhood ALL include blinatumomab, rituximab, and CAR "
                "T-cell therapy."
            ),
            LB("Blinatumomab", "called a bispecific T-cell engager (BiTE)."),
            LB("CAR T-cell therapy", "that has relapsed (come back) a second time."),
            F("The CAR T cells are able to bind to an antigen on the cancer cells and kill them."),
            Skip(
                "Rituximab.",
                'The source has a bold label "Rituximab ." with no text after it (a label without '
                "an entry); it is deliberately not represented as a block, so no text is invented. "
                'Rituximab is still named in the "Examples of immunotherapy ..." paragraph above.',
            ),
            P("Learn more about Immunotherapy to Treat Cancer."),
        ],
    ),
    Sec(
        "targeted-therapy",
        "Targeted therapy",
        "types-of-treatment",
        [
            P("in which the specific target of the drug is present."),
            L(
                "Targeted therapy used or studied to treat childhood ALL includes:",
                [
                    "bortezomib",
                    "dasatinib",
                    "imatinib mesylate",
                    "inotuzumab ozogamicin",
                    "nivolumab",
                    "ruxolitinib",
                ],
            ),
            P("Learn more about Targeted Therapy to Treat Cancer."),
        ],
    ),
    Sec(
        "clinical-trials",
        "Clinical trials",
        "types-of-treatment",
        [
            P("a treatment trial tests new treatments or new ways of using existing treatments."),
            P("especially for those who have side effects from cancer and its treatment."),
            P("your child's age, and where the trials are being done."),
            P("Learn more at Clinical Trials Information for Patients and Caregivers."),
        ],
    ),
    Sec(
        "treatment-options",
        "Treatment options for childhood acute lymphoblastic leukemia",
        TOP,
        [
            P("whether the tumor is newly diagnosed or has come back."),
            P("before treatment begins about what to expect."),
            P("For help every step of the way, see our booklet, Children with Cancer: A Guide for Parents."),
        ],
    ),
    Sec(
        "treatment-standard-risk",
        "Treatment of standard-risk childhood acute lymphoblastic leukemia",
        "treatment-options",
        [
            P("to prevent the spread of leukemia cells to the brain and spinal cord."),
            P("further treatment is usually the same treatment given to children with high-risk ALL."),
            P("increases the chance the cancer will come back."),
        ],
    ),
    Sec(
        "treatment-high-risk",
        "Treatment of high-risk childhood acute lymphoblastic leukemia",
        "treatment-options",
        [
            P("than children in the standard-risk group."),
            P("Sometimes radiation therapy to the brain is also given."),
            P("increases the chance the cancer will come back."),
        ],
    ),
    Sec(
        "treatment-very-high-risk",
        "Treatment of very high-risk childhood acute lymphoblastic leukemia",
        "treatment-options",
        [
            P("will help the child live longer."),
            P("Sometimes radiation therapy to the brain is also given."),
            P("increases the chance the cancer will come back."),
        ],
    ),
    Sec(
        "treatment-cns-testicles",
        "Treatment of childhood acute lymphoblastic leukemia in the brain and spinal cord or testicles",
        "treatment-options",
        [
            P("Therefore, leukemia cells are able to hide in the CNS."),
            P("Sometimes external radiation therapy to the brain is also given."),
            F("after a small area on the lower back is numbed."),
            P("and sometimes during maintenance therapy."),
            P("treatment includes high doses of systemic chemotherapy and sometimes radiation therapy."),
            P("increases the chance the cancer will come back."),
        ],
    ),
    Sec(
        "treatment-t-cell",
        "Treatment of T-cell childhood acute lymphoblastic leukemia",
        "treatment-options",
        [
            P("than children in the newly diagnosed standard-risk group."),
            P("Sometimes radiation therapy to the brain is also given."),
            P("increases the chance the cancer will come back."),
        ],
    ),
    Sec(
        "treatment-infants",
        "Treatment of infants with acute lymphoblastic leukemia",
        "treatment-options",
        [
            P("They have a higher risk of relapse than older children."),
            P("will help your child live longer."),
            P("to prevent or treat the spread of leukemia cells to the brain and spinal cord."),
            P("increases the chance the cancer will come back."),
        ],
    ),
    Sec(
        "treatment-adolescents-young-adults",
        "Treatment of adolescents and young adults with acute lymphoblastic leukemia",
        "treatment-options",
        [
            P(
                "Adolescents and young adults are usually considered to have high-risk acute lymphoblastic "
                "leukemia (ALL)."
            ),
            P("than children in the standard-risk group."),
            P("Sometimes radiation therapy to the brain is also given."),
            P("increases the chance the cancer will come back."),
        ],
    ),
    Sec(
        "treatment-down-syndrome",
        "Treatment of children with Down syndrome and acute lymphoblastic leukemia",
        "treatment-options",
        [
            P("are treated based on their risk group."),
            P("to lower the risk of side effects from treatment."),
            P("Sometimes radiation therapy to the brain is also given."),
            P("increases the chance the cancer will come back."),
        ],
    ),
    Sec(
        "treatment-philadelphia-positive",
        "Treatment of childhood Philadelphia chromosome–positive acute lymphoblastic leukemia",
        "treatment-options",
        [
            P("It occurs more often in adolescence and with increasing age."),
            P("with or without a stem cell transplant using stem cells from a donor."),
            P("to prevent or treat the spread of leukemia cells to the brain and spinal cord."),
            P("increases the chance the cancer will come back."),
        ],
    ),
    Sec(
        "treatment-relapsed-refractory",
        "Treatment of relapsed or refractory childhood acute lymphoblastic leukemia",
        "treatment-options",
        [
            P("testicles, or other parts of the body."),
            L(
                "Treatment of relapsed childhood acute lymphoblastic leukemia (ALL) that comes back in the bone "
                "marrow may include:",
                [
                    "combination chemotherapy with or without immunotherapy (blinatumomab) and/or targeted therapy",
                    "stem cell transplant, using stem cells from a donor",
                ],
            ),
            L(
                "Other treatments for refractory or relapsed childhood ALL may include:",
                [
                    "targeted therapy (inotuzumab, imatinib, or dasatinib)",
                    "chimeric antigen receptor (CAR) T-cell therapy",
                ],
            ),
            L(
                "Treatment of relapsed childhood ALL that comes back outside the bone marrow may include:",
                [
                    "systemic chemotherapy and intrathecal chemotherapy with radiation therapy to the brain and/or "
                    "spinal cord for cancer that comes back in the brain and spinal cord only",
                    "stem cell transplant for cancer that has relapsed in the brain and/or spinal cord, especially "
                    "if relapse occurs soon after initial diagnosis",
                    "combination chemotherapy and radiation therapy for cancer that comes back in the testicles only",
                ],
            ),
        ],
    ),
    Sec(
        "prognostic-factors",
        "Prognostic factors for childhood acute lymphoblastic leukemia",
        TOP,
        [
            P("The likely outcome or course of a disease is called prognosis."),
            L(
                "Your child's prognosis depends on:",
                [
                    "how quickly and how low the leukemia cell count drops after the first month of treatment",
                    "your child's age at the time of diagnosis, sex, race, and ethnic background",
                    "the number of white blood cells in the blood at the time of diagnosis",
                    "whether the leukemia cells began from B lymphocytes or T lymphocytes",
                    "whether there are certain changes in the chromosomes or genes of the leukemia cells",
                    "whether your child has Down syndrome",
                    "whether leukemia cells are found in the cerebrospinal fluid at diagnosis",
                    "your child's weight at the time of diagnosis and during treatment",
                ],
            ),
            L(
                "For leukemia that comes back after treatment, your child's prognosis depends partly on:",
                [
                    "how long it is between the time of diagnosis and when the leukemia comes back",
                    "whether the leukemia comes back in the bone marrow or in other parts of the body",
                    "your child's age at relapse",
                    "your child's risk group at initial diagnosis",
                    "your child's initial response to treatment for the relapsed leukemia",
                    "whether the leukemia cells began from B lymphocytes or T lymphocytes",
                    "whether there are certain changes in the chromosomes or genes in the leukemia cells",
                ],
            ),
            P("is in the best position to talk with you about your child's prognosis."),
        ],
    ),
    Sec(
        "side-effects-late-effects",
        "Side effects and late effects of treatment",
        TOP,
        [
            P("which side effects to look for and ways to manage them."),
            P("To learn more about side effects that begin during treatment for cancer, visit Side Effects."),
            P("are called late effects."),
            L(
                "Late effects of cancer treatment may include:",
                [
                    "Physical problems, including problems with the heart, blood vessels, liver, or bones, and fertility.",
                    "Changes in mood, feelings, thinking, learning, or memory. Children younger than 4 years who have "
                    "received radiation therapy to the brain have a higher risk of these effects.",
                    "Second cancers (new types of cancer) or other conditions, such as brain tumors, thyroid cancer, "
                    "acute myeloid leukemia, and myelodysplastic syndrome.",
                ],
            ),
            P("the possible late effects caused by some treatments."),
            P("Learn more about Late Effects of Treatment for Childhood Cancer."),
        ],
    ),
    Sec(
        "follow-up-care",
        "Follow-up care",
        TOP,
        [
            P("may be based on the results of these tests."),
            P("if the cancer has recurred (come back)."),
            P("unless there is concern that the leukemia might have come back."),
        ],
    ),
    Sec(
        "coping",
        "Coping with your child's cancer",
        TOP,
        [
            P("in your family and community for support."),
            P("the booklet Children with Cancer: A Guide for Parents."),
        ],
    ),
    Sec(
        "related-resources",
        "Related resources",
        TOP,
        [
            L(
                "For more childhood cancer information and other general cancer resources, visit:",
                [
                    "Stem Cell Transplants in Cancer Treatment",
                    "CAR T Cells: Engineering Patients' Immune Cells to Treat Their Cancers",
                    "About Cancer",
                    "Childhood Cancers",
                    "CureSearch for Children's Cancer",
                    "Adolescents and Young Adults with Cancer",
                    "Cancer in Children and Adolescents",
                    "For Survivors, Caregivers, and Advocates",
                ],
            ),
        ],
    ),
    Sec("about-this-summary", "About This PDQ Summary", TOP, []),
    Sec(
        "about-pdq",
        "About PDQ",
        "about-this-summary",
        [
            P("supportive care, and complementary and alternative medicine."),
            P("most versions are also available in Spanish."),
            P("NIH is the federal government’s center of biomedical research."),
            P("They are not policy statements of the NCI or the NIH."),
        ],
    ),
    Sec(
        "purpose",
        "Purpose of This Summary",
        "about-this-summary",
        [
            P("recommendations for making decisions about health care."),
        ],
    ),
    Sec(
        "reviewers-updates",
        "Reviewers and Updates",
        "about-this-summary",
        [
            P("is the date of the most recent change."),
            P("by the PDQ Pediatric Treatment Editorial Board."),
        ],
    ),
    Sec(
        "clinical-trial-information",
        "Clinical Trial Information",
        "about-this-summary",
        [
            P("new and better ways to help cancer patients."),
            P('the new treatment may become "standard."'),
            P("Some clinical trials are open only to patients who have not started treatment."),
            P("at 1-800-4-CANCER (1-800-422-6237)."),
        ],
    ),
    Sec(
        "permission-to-use",
        "Permission to Use This Summary",
        "about-this-summary",
        [
            P("it is updated regularly."),
            P("[include excerpt from the summary].”"),
            P("The best way to cite this PDQ summary is:"),
            P("[PMID: 26389385]"),
            P("It cannot be given by the National Cancer Institute."),
            P("Visuals Online is a collection of more than 3,000 scientific images."),
        ],
    ),
    Sec(
        "disclaimer",
        "Disclaimer",
        "about-this-summary",
        [
            P("on the Managing Cancer Care page."),
        ],
    ),
    Sec(
        "contact-us",
        "Contact Us",
        "about-this-summary",
        [
            P("Contact Us for Help page."),
            P("through the website’s E-mail Us."),
        ],
    ),
]

# Page-navigation noise inside the summary body that is not represented in sections.yml.
# (The "In This Section <child headings>" runs are removed per parent section.)
NOISE_GO_TO_HP = "Go to Health Professional Version"


# --------------------------------------------------------------------------------------------
# walking the source
# --------------------------------------------------------------------------------------------


class SpecError(Exception):
    pass


def heading_url(heading: str) -> str:
    enc = urllib.parse.quote(heading, safe="")
    enc = enc.replace("-", "%2D")  # ',' -> %2C and '&' -> %26 are already done by quote()
    return f"{PAGE_URL}#:~:text={enc}"


def body_text(raw: str) -> str:
    s = normalise(raw)
    start = s.index(BODY_START)
    end = s.index(BODY_END) + len(BODY_END)
    return s[start:end]


def walk(body: str) -> tuple[list[dict[str, Any]], list[tuple[str, str, str]]]:
    """Consume the body according to SPEC. Returns (sections, skipped)."""
    pos = 0
    out: list[dict[str, Any]] = []
    skipped: list[tuple[str, str, str]] = []  # (section id, text, comment)
    children: dict[str, list[str]] = {}
    for sec in SPEC:
        if sec.parent:
            children.setdefault(sec.parent, []).append(sec.heading)

    def expect(s: str, where: str) -> None:
        nonlocal pos
        if not body.startswith(s, pos):
            raise SpecError(f"{where}: expected {s[:80]!r} at {body[pos : pos + 120]!r}")
        pos += len(s)
        if pos < len(body):
            if body[pos] != " ":
                raise SpecError(f"{where}: no space after {s[-40:]!r}: {body[pos - 20 : pos + 40]!r}")
            pos += 1

    def upto(end: str, where: str) -> str:
        nonlocal pos
        i = body.find(end, pos)
        if i < 0:
            raise SpecError(f"{where}: end marker {end!r} not found after {body[pos : pos + 80]!r}")
        j = i + len(end)
        text = body[pos:j]
        pos = j
        if pos < len(body):
            if body[pos] != " ":
                raise SpecError(f"{where}: end marker {end!r} not followed by a space")
            pos += 1
        return text

    for sec in SPEC:
        where = sec.id
        expect(sec.heading, where)
        if sec.id == "what-is-all":
            expect(NOISE_GO_TO_HP, where)
        if sec.id in children and body.startswith("In This Section", pos):
            expect("In This Section " + " ".join(children[sec.id]), where)
        blocks: list[dict[str, Any]] = []
        for b in sec.blocks:
            if isinstance(b, P):
                blocks.append({"paragraph": upto(b.end, where)})
            elif isinstance(b, L):
                if b.lead is not None:
                    expect(b.lead, where)
                for item in b.items:
                    expect(item, where)
                blocks.append({"list": {"lead": b.lead, "items": list(b.items)}})
            elif isinstance(b, LB):
                expect(b.label + ":", where)
                blocks.append({"labelled": {"label": b.label, "text": upto(b.end, where)}})
            elif isinstance(b, F):
                expect("Enlarge", where)
                blocks.append({"figure": upto(b.end, where)})
            elif isinstance(b, Skip):
                expect(b.text, where)
                skipped.append((sec.id, b.text, b.comment))
                blocks.append({"_skip": b})
        out.append(
            {
                "id": sec.id,
                "heading": sec.heading,
                "parent": sec.parent,
                "updated": UPDATED,
                "url": heading_url(sec.heading),
                "blocks": blocks,
            }
        )
    if pos != len(body):
        raise SpecError(f"unconsumed text at end: {body[pos : pos + 200]!r}")
    return out, skipped


# --------------------------------------------------------------------------------------------
# glossary, drugs, risk groups, aliases
# --------------------------------------------------------------------------------------------

# (id, term, section, sentence). The sentence is a verbatim span of one block of that section
# (a sentence, a list lead/item, a figure caption span, or a labelled entry; for labelled entries
# the span may include the "<label>: " prefix).
GLOSSARY: list[tuple[str, str, str, str]] = [
    (
        "acute-lymphoblastic-leukemia",
        "childhood acute lymphoblastic leukemia",
        "what-is-all",
        "Childhood acute lymphoblastic leukemia (also called ALL or acute lymphocytic leukemia) is a cancer of "
        "the blood and bone marrow.",
    ),
    (
        "bone-marrow",
        "bone marrow",
        "what-is-all",
        "Bone marrow is found in the center of most bones and has many blood vessels.",
    ),
    (
        "red-marrow",
        "red marrow",
        "what-is-all",
        "Red marrow contains blood stem cells that can become red blood cells, white blood cells, or platelets.",
    ),
    ("yellow-marrow", "yellow marrow", "what-is-all", "Yellow marrow is made mostly of fat."),
    (
        "blood-stem-cell",
        "blood stem cell",
        "what-is-all",
        "The bone marrow and thymus make blood stem cells (immature cells) that become mature blood cells over time.",
    ),
    (
        "myeloid-stem-cell",
        "myeloid stem cell",
        "what-is-all",
        "A myeloid stem cell becomes one of three types of blood cells:",
    ),
    (
        "red-blood-cells",
        "red blood cells",
        "what-is-all",
        "red blood cells, which carry oxygen throughout the body",
    ),
    (
        "granulocytes",
        "granulocytes",
        "what-is-all",
        "granulocytes, which are a type of white blood cell that helps the body fight infection",
    ),
    ("platelets", "platelets", "what-is-all", "platelets, which help the blood clot"),
    (
        "lymphoid-stem-cell",
        "lymphoid stem cell",
        "what-is-all",
        "A lymphoid stem cell becomes a lymphoblast cell and then one of three types of lymphocytes (white "
        "blood cells):",
    ),
    (
        "lymphoblast",
        "lymphoblast",
        "what-is-all",
        "A lymphoid stem cell becomes a lymphoblast cell and then one of three types of lymphocytes (white "
        "blood cells):",
    ),
    (
        "lymphocytes",
        "lymphocytes",
        "what-is-all",
        "A lymphoid stem cell becomes a lymphoblast cell and then one of three types of lymphocytes (white "
        "blood cells):",
    ),
    (
        "b-lymphocytes",
        "B lymphocytes",
        "what-is-all",
        "B lymphocytes, which make antibodies to help fight infection",
    ),
    (
        "t-lymphocytes",
        "T lymphocytes",
        "what-is-all",
        "T lymphocytes, which help B lymphocytes make the antibodies that help fight infection",
    ),
    (
        "natural-killer-cells",
        "natural killer cells",
        "what-is-all",
        "natural killer cells, which attack cancer cells and viruses",
    ),
    (
        "leukemia-cells",
        "leukemia cells",
        "what-is-all",
        "ALL occurs because too many stem cells become lymphoblasts that do not mature into B lymphocytes or "
        "T lymphocytes. These cells are also called leukemia cells.",
    ),
    (
        "risk-factor",
        "risk factor",
        "causes-risk-factors",
        "A risk factor is anything that increases the chance of getting a disease.",
    ),
    (
        "petechiae",
        "petechiae",
        "symptoms",
        "petechiae, which are flat, pinpoint, dark-red spots under the skin caused by bleeding",
    ),
    (
        "complete-blood-count",
        "complete blood count (CBC)",
        "complete-blood-count",
        "Complete blood count (CBC). Blood is collected by inserting a needle into a vein and allowing the "
        "blood to flow into a tube. The blood sample is sent to the laboratory and the red blood cells, white "
        "blood cells, and platelets are counted. The CBC is used to test for, diagnose, and monitor many "
        "different conditions.",
    ),
    (
        "hemoglobin",
        "hemoglobin",
        "complete-blood-count",
        "the amount of hemoglobin (the protein that carries oxygen) in the red blood cells",
    ),
    (
        "blood-chemistry-study",
        "blood chemistry study",
        "blood-chemistry",
        "Blood chemistry study uses a blood sample to measure the amounts of certain substances released into "
        "the blood by organs and tissues in the body.",
    ),
    (
        "bone-marrow-aspiration-biopsy",
        "bone marrow aspiration and biopsy",
        "bone-marrow-aspiration-biopsy",
        "Bone marrow aspiration and biopsy. After a small area of skin is numbed, a bone marrow needle is "
        "inserted into the child’s hip bone. Samples of blood, bone, and bone marrow are removed for "
        "examination under a microscope.",
    ),
    (
        "genetic-tests",
        "genetic tests",
        "bone-marrow-aspiration-biopsy",
        "Many leukemia cells have abnormalities in their genes which can be found by different types of "
        "genetic tests. An example of a genetic test that is commonly used is cytogenetic analysis, in which "
        "the chromosomes in a sample of blood or bone marrow are counted and checked for any changes, such as "
        "broken, missing, rearranged, or extra chromosomes. Genetic testing of blood and bone marrow samples "
        "is used to help diagnose cancer, plan treatment, or find out how well treatment is working.",
    ),
    (
        "cytogenetic-analysis",
        "cytogenetic analysis",
        "bone-marrow-aspiration-biopsy",
        "An example of a genetic test that is commonly used is cytogenetic analysis, in which the chromosomes "
        "in a sample of blood or bone marrow are counted and checked for any changes, such as broken, missing, "
        "rearranged, or extra chromosomes.",
    ),
    (
        "immunophenotyping",
        "immunophenotyping",
        "bone-marrow-aspiration-biopsy",
        "Immunophenotyping: A laboratory test that uses antibodies to identify cancer cells based on the types "
        "of antigens or markers on the surface of the cells.",
    ),
    (
        "lumbar-puncture",
        "lumbar puncture",
        "lumbar-puncture",
        "Lumbar puncture. A patient lies in a curled position on a table. After a small area on the lower back "
        "is numbed, a spinal needle (a long, thin needle) is inserted into the lower part of the spinal column "
        "to remove cerebrospinal fluid (CSF, shown in blue).",
    ),
    (
        "cerebrospinal-fluid",
        "cerebrospinal fluid (CSF)",
        "lumbar-puncture",
        "A procedure used to collect a sample of cerebrospinal fluid (CSF) from the spinal column (also called "
        "spine) to check for leukemia cells.",
    ),
    (
        "chest-x-ray",
        "chest x-ray",
        "chest-x-ray",
        "The chest x-ray is done to see if leukemia cells have formed a lump in the middle of the chest.",
    ),
    (
        "x-ray",
        "x-ray",
        "chest-x-ray",
        "An x-ray is a type of high-energy radiation that can go through the body and onto film, making a "
        "picture of areas inside the body.",
    ),
    (
        "pediatric-oncologist",
        "pediatric oncologist",
        "who-treats",
        "A pediatric oncologist, a doctor who specializes in treating children with cancer, oversees treatment of ALL.",
    ),
    (
        "remission-induction",
        "remission induction",
        "treatment-phases",
        "Remission induction is the first phase of treatment. The goal is to kill the leukemia cells in the "
        "blood and bone marrow. This puts the leukemia into remission.",
    ),
    (
        "remission",
        "remission",
        "treatment-phases",
        "Remission induction is the first phase of treatment. The goal is to kill the leukemia cells in the "
        "blood and bone marrow. This puts the leukemia into remission.",
    ),
    (
        "consolidation-intensification",
        "consolidation/intensification",
        "treatment-phases",
        "Consolidation/intensification is the second phase of treatment. It begins once the leukemia is in "
        "remission. The goal of consolidation/intensification therapy is to kill any leukemia cells that "
        "remain in the body and may cause a relapse.",
    ),
    (
        "maintenance",
        "maintenance",
        "treatment-phases",
        "Maintenance is the third phase of treatment. The goal is to kill any remaining leukemia cells that may "
        "regrow and cause a relapse. Often the cancer treatments are given in lower doses than those used "
        "during the remission induction and consolidation/intensification phases. This is also called the "
        "continuation therapy phase. Taking medicine as ordered by the doctor during maintenance therapy "
        "decreases the chance the cancer will come back.",
    ),
    (
        "chemotherapy",
        "chemotherapy",
        "chemotherapy",
        "Chemotherapy (also called chemo) uses drugs to stop the growth of cancer cells.",
    ),
    (
        "intrathecal-chemotherapy",
        "intrathecal chemotherapy",
        "chemotherapy",
        "Chemotherapy that is placed directly into the cerebrospinal fluid (intrathecal chemotherapy) mainly "
        "affects cancer cells in this area.",
    ),
    (
        "radiation-therapy",
        "radiation therapy",
        "radiation-therapy",
        "Radiation therapy uses high-energy x-rays or other types of radiation to kill cancer cells or keep "
        "them from growing.",
    ),
    (
        "external-beam-radiation-therapy",
        "external beam radiation therapy",
        "radiation-therapy",
        "Childhood ALL is treated with external beam radiation therapy. This type of therapy uses a machine "
        "outside the body to send radiation toward the area of the body with cancer.",
    ),
    (
        "total-body-irradiation",
        "total-body irradiation",
        "stem-cell-transplant",
        "Total-body irradiation is usually given with chemotherapy, but it is sometimes not given to infants "
        "and very young children.",
    ),
    (
        "stem-cell-transplant",
        "stem cell transplant",
        "stem-cell-transplant",
        "Stem cell transplant is a treatment to replace the blood-forming cells.",
    ),
    (
        "relapse",
        "relapse",
        "treatment-relapsed-refractory",
        "Relapsed childhood ALL is cancer that has come back after it has been treated.",
    ),
    (
        "immunotherapy",
        "immunotherapy",
        "immunotherapy",
        "Immunotherapy is a treatment that uses the patient's immune system to fight cancer.",
    ),
    (
        "t-cells",
        "T cells",
        "immunotherapy",
        "Blinatumomab works by bringing healthy T cells (immune cells that help kill cancer cells) and leukemia "
        "cells close together so the T cells can more effectively kill the leukemia.",
    ),
    (
        "b-cells",
        "B cells",
        "immunotherapy",
        "It does this by binding to a protein called CD3 on healthy T cells and a protein called CD19 on B "
        "cells (the immune cells that are cancerous in acute lymphoblastic leukemia).",
    ),
    (
        "bispecific-t-cell-engager",
        "bispecific T-cell engager (BiTE)",
        "immunotherapy",
        "Blinatumomab works by bringing healthy T cells (immune cells that help kill cancer cells) and leukemia "
        "cells close together so the T cells can more effectively kill the leukemia. It does this by binding "
        "to a protein called CD3 on healthy T cells and a protein called CD19 on B cells (the immune cells that "
        "are cancerous in acute lymphoblastic leukemia). Blinatumomab is a type of targeted therapy drug "
        "called a bispecific T-cell engager (BiTE).",
    ),
    (
        "car-t-cell-therapy",
        "CAR T-cell therapy",
        "immunotherapy",
        "This treatment changes the patient's T-cells (a type of immune system cell) so they will attack "
        "certain proteins on the surface of cancer cells. T cells are taken from the patient and special "
        "receptors are added to their surface in the laboratory. The changed cells are called chimeric antigen "
        "receptor (CAR) T cells. The CAR T cells are grown in the laboratory and given to the patient by "
        "infusion. The CAR T cells multiply in the patient's blood and attack cancer cells. CAR T-cell therapy "
        "is being studied in the treatment of childhood ALL that has relapsed (come back) a second time.",
    ),
    (
        "car-t-cells",
        "chimeric antigen receptor (CAR) T cells",
        "immunotherapy",
        "The changed cells are called chimeric antigen receptor (CAR) T cells.",
    ),
    (
        "targeted-therapy",
        "targeted therapy",
        "targeted-therapy",
        "Targeted therapy uses drugs or other substances to block the action of specific enzymes, proteins, or "
        "other molecules involved in the growth and spread of cancer cells.",
    ),
    (
        "clinical-trial",
        "clinical trial",
        "clinical-trial-information",
        "A clinical trial is a study to answer a scientific question, such as whether one treatment is better "
        "than another.",
    ),
    (
        "cns-directed-therapy",
        "CNS-directed therapy",
        "treatment-cns-testicles",
        "Chemotherapy to kill leukemia cells or prevent them from spreading to the brain and spinal cord "
        "(central nervous system; CNS) is called CNS-directed therapy.",
    ),
    (
        "central-nervous-system",
        "central nervous system",
        "treatment-cns-testicles",
        "Chemotherapy to kill leukemia cells or prevent them from spreading to the brain and spinal cord "
        "(central nervous system; CNS) is called CNS-directed therapy.",
    ),
    (
        "blood-brain-barrier",
        "blood-brain barrier",
        "treatment-cns-testicles",
        "Standard doses of chemotherapy may not cross the blood-brain barrier to get into the fluid that "
        "surrounds the brain and spinal cord.",
    ),
    (
        "ommaya-reservoir",
        "Ommaya reservoir",
        "treatment-cns-testicles",
        "One way, shown in the top part of the figure, is to inject the drugs into an Ommaya reservoir (a "
        "dome-shaped container that is placed under the scalp during surgery; it holds the drugs as they flow "
        "through a small tube into the brain).",
    ),
    (
        "philadelphia-positive-all",
        "Philadelphia chromosome–positive acute lymphoblastic leukemia",
        "treatment-philadelphia-positive",
        "Philadelphia chromosome–positive acute lymphoblastic leukemia (ALL) is uncommon in young children.",
    ),
    (
        "refractory",
        "refractory",
        "treatment-relapsed-refractory",
        "Refractory childhood acute lymphoblastic leukemia (ALL) is cancer that does not respond to initial treatment.",
    ),
    (
        "refractory-all",
        "refractory childhood acute lymphoblastic leukemia",
        "treatment-relapsed-refractory",
        "Refractory childhood acute lymphoblastic leukemia (ALL) is cancer that does not respond to initial treatment.",
    ),
    (
        "relapsed-all",
        "relapsed childhood ALL",
        "treatment-relapsed-refractory",
        "Relapsed childhood ALL is cancer that has come back after it has been treated.",
    ),
    (
        "prognosis",
        "prognosis",
        "prognostic-factors",
        "The likely outcome or course of a disease is called prognosis.",
    ),
    (
        "late-effects",
        "late effects",
        "side-effects-late-effects",
        "Problems from cancer treatment that begin 6 months or later after treatment and continue for months "
        "or years are called late effects.",
    ),
    (
        "second-cancers",
        "second cancers",
        "side-effects-late-effects",
        "Second cancers (new types of cancer) or other conditions, such as brain tumors, thyroid cancer, acute "
        "myeloid leukemia, and myelodysplastic syndrome.",
    ),
    (
        "pdq",
        "Physician Data Query (PDQ)",
        "about-pdq",
        "Physician Data Query (PDQ) is the National Cancer Institute's (NCI's) comprehensive cancer information "
        "database.",
    ),
]

# (id, name as printed in the summary, category, short name that every mention must contain)
DRUGS: list[tuple[str, str, str]] = [
    ("asparaginase", "asparaginase", "chemotherapy"),
    ("cyclophosphamide", "cyclophosphamide", "chemotherapy"),
    ("cytarabine", "cytarabine", "chemotherapy"),
    ("daunorubicin", "daunorubicin", "chemotherapy"),
    ("dexamethasone", "dexamethasone", "chemotherapy"),
    ("doxorubicin", "doxorubicin", "chemotherapy"),
    ("etoposide", "etoposide", "chemotherapy"),
    ("mercaptopurine", "mercaptopurine", "chemotherapy"),
    ("methotrexate", "methotrexate", "chemotherapy"),
    ("nelarabine", "nelarabine", "chemotherapy"),
    ("prednisone", "prednisone", "chemotherapy"),
    ("thioguanine", "thioguanine", "chemotherapy"),
    ("vincristine", "vincristine", "chemotherapy"),
    ("blinatumomab", "blinatumomab", "immunotherapy"),
    ("rituximab", "rituximab", "immunotherapy"),
    ("bortezomib", "bortezomib", "targeted therapy"),
    ("dasatinib", "dasatinib", "targeted therapy"),
    ("imatinib", "imatinib mesylate", "targeted therapy"),
    ("inotuzumab", "inotuzumab ozogamicin", "targeted therapy"),
    ("nivolumab", "nivolumab", "targeted therapy"),
    ("ruxolitinib", "ruxolitinib", "targeted therapy"),
]

# (alias, target, kind[, case_sensitive])
ALIASES: list[tuple[Any, ...]] = [
    # --- drugs: abbreviations, brand names of the same drug, other names, misspellings -------------
    ("6-MP", "drug:mercaptopurine", "abbreviation"),
    ("6MP", "drug:mercaptopurine", "abbreviation"),
    ("6 MP", "drug:mercaptopurine", "abbreviation"),
    ("Purinethol", "drug:mercaptopurine", "brand"),
    ("Purixan", "drug:mercaptopurine", "brand"),
    ("mercaptopurin", "drug:mercaptopurine", "misspelling"),
    ("mercaptopurene", "drug:mercaptopurine", "misspelling"),
    ("MTX", "drug:methotrexate", "abbreviation"),
    ("methotrexat", "drug:methotrexate", "misspelling"),
    ("methotrexete", "drug:methotrexate", "misspelling"),
    ("methotrexte", "drug:methotrexate", "misspelling"),
    ("metotrexate", "drug:methotrexate", "misspelling"),
    ("methatrexate", "drug:methotrexate", "misspelling"),
    ("ara-C", "drug:cytarabine", "abbreviation"),
    ("araC", "drug:cytarabine", "abbreviation"),
    ("cytosine arabinoside", "drug:cytarabine", "synonym"),
    ("cytarabin", "drug:cytarabine", "misspelling"),
    ("cytarabene", "drug:cytarabine", "misspelling"),
    ("cyterabine", "drug:cytarabine", "misspelling"),
    ("cytarbine", "drug:cytarabine", "misspelling"),
    ("VCR", "drug:vincristine", "abbreviation"),
    ("Oncovin", "drug:vincristine", "brand"),
    ("Vincasar", "drug:vincristine", "brand"),
    ("vincristine sulfate", "drug:vincristine", "synonym"),
    ("vincristin", "drug:vincristine", "misspelling"),
    ("vincristen", "drug:vincristine", "misspelling"),
    ("vincristene", "drug:vincristine", "misspelling"),
    ("dex", "drug:dexamethasone", "abbreviation"),
    ("Decadron", "drug:dexamethasone", "brand"),
    ("dexamethazone", "drug:dexamethasone", "misspelling"),
    ("dexametasone", "drug:dexamethasone", "misspelling"),
    ("dexamethasome", "drug:dexamethasone", "misspelling"),
    ("predisone", "drug:prednisone", "misspelling"),
    ("prednizone", "drug:prednisone", "misspelling"),
    ("prednison", "drug:prednisone", "misspelling"),
    ("PEG-asparaginase", "drug:asparaginase", "synonym"),
    ("PEG asparaginase", "drug:asparaginase", "synonym"),
    ("pegaspargase", "drug:asparaginase", "synonym"),
    ("Oncaspar", "drug:asparaginase", "brand"),
    ("Erwinia asparaginase", "drug:asparaginase", "synonym"),
    ("asparaginase Erwinia chrysanthemi", "drug:asparaginase", "synonym"),
    ("Rylaze", "drug:asparaginase", "brand"),
    ("Erwinaze", "drug:asparaginase", "brand"),
    ("L-asparaginase", "drug:asparaginase", "synonym"),
    ("asparginase", "drug:asparaginase", "misspelling"),
    ("aspariginase", "drug:asparaginase", "misspelling"),
    ("asparagenase", "drug:asparaginase", "misspelling"),
    ("6-TG", "drug:thioguanine", "abbreviation"),
    ("6TG", "drug:thioguanine", "abbreviation"),
    ("Tabloid", "drug:thioguanine", "brand", True),
    ("tioguanine", "drug:thioguanine", "synonym"),
    ("thioguanin", "drug:thioguanine", "misspelling"),
    ("Cytoxan", "drug:cyclophosphamide", "brand"),
    ("cyclophosphamid", "drug:cyclophosphamide", "misspelling"),
    ("cyclophosphomide", "drug:cyclophosphamide", "misspelling"),
    ("cyclophosamide", "drug:cyclophosphamide", "misspelling"),
    ("Adriamycin", "drug:doxorubicin", "brand"),
    ("doxorubicine", "drug:doxorubicin", "misspelling"),
    ("doxorubicin hydrochloride", "drug:doxorubicin", "synonym"),
    ("daunomycin", "drug:daunorubicin", "synonym"),
    ("Cerubidine", "drug:daunorubicin", "brand"),
    ("daunorubicine", "drug:daunorubicin", "misspelling"),
    ("daunorubicin hydrochloride", "drug:daunorubicin", "synonym"),
    ("VP-16", "drug:etoposide", "abbreviation"),
    ("VP16", "drug:etoposide", "abbreviation"),
    ("Toposar", "drug:etoposide", "brand"),
    ("etopside", "drug:etoposide", "misspelling"),
    ("Arranon", "drug:nelarabine", "brand"),
    ("nelarabin", "drug:nelarabine", "misspelling"),
    ("Blincyto", "drug:blinatumomab", "brand"),
    ("blina", "drug:blinatumomab", "abbreviation"),
    ("blinatumumab", "drug:blinatumomab", "misspelling"),
    ("Rituxan", "drug:rituximab", "brand"),
    ("rituxamab", "drug:rituximab", "misspelling"),
    ("Velcade", "drug:bortezomib", "brand"),
    ("Sprycel", "drug:dasatinib", "brand"),
    ("dasatanib", "drug:dasatinib", "misspelling"),
    ("Gleevec", "drug:imatinib", "brand"),
    ("Glivec", "drug:imatinib", "brand"),
    ("imatinib", "drug:imatinib", "synonym"),
    ("imatinab", "drug:imatinib", "misspelling"),
    ("imatanib", "drug:imatinib", "misspelling"),
    ("Besponsa", "drug:inotuzumab", "brand"),
    ("inotuzumab", "drug:inotuzumab", "synonym"),
    ("inotuzamab", "drug:inotuzumab", "misspelling"),
    ("Opdivo", "drug:nivolumab", "brand"),
    ("Jakafi", "drug:ruxolitinib", "brand"),
    # --- the disease ------------------------------------------------------------------------------
    ("ALL", "term:acute-lymphoblastic-leukemia", "abbreviation", True),
    ("acute lymphoblastic leukemia", "term:acute-lymphoblastic-leukemia", "synonym"),
    ("acute lymphocytic leukemia", "term:acute-lymphoblastic-leukemia", "synonym"),
    ("acute lymphoblastic leukaemia", "term:acute-lymphoblastic-leukemia", "synonym"),
    ("acute lymphocytic leukaemia", "term:acute-lymphoblastic-leukemia", "synonym"),
    ("acute lymphoblastic lukemia", "term:acute-lymphoblastic-leukemia", "misspelling"),
    ("leukaemia", "section:what-is-all", "synonym"),
    ("lukemia", "section:what-is-all", "misspelling"),
    ("luekemia", "section:what-is-all", "misspelling"),
    ("leukimia", "section:what-is-all", "misspelling"),
    ("leukemea", "section:what-is-all", "misspelling"),
    ("leukeamia", "section:what-is-all", "misspelling"),
    ("leukemai", "section:what-is-all", "misspelling"),
    ("Ph+", "term:philadelphia-positive-all", "abbreviation"),
    ("Ph+ ALL", "term:philadelphia-positive-all", "abbreviation"),
    ("Ph-positive", "term:philadelphia-positive-all", "abbreviation"),
    ("Ph positive", "term:philadelphia-positive-all", "abbreviation"),
    ("Philadelphia chromosome positive", "term:philadelphia-positive-all", "synonym"),
    ("Philadelphia positive", "term:philadelphia-positive-all", "synonym"),
    ("philly chromosome", "section:treatment-philadelphia-positive", "synonym"),
    ("Philadelphia chromosome", "section:treatment-philadelphia-positive", "synonym"),
    ("T-ALL", "section:treatment-t-cell", "abbreviation"),
    ("T-cell ALL", "section:treatment-t-cell", "synonym"),
    ("T cell ALL", "section:treatment-t-cell", "synonym"),
    ("relapsed ALL", "term:relapsed-all", "synonym"),
    ("relapsed leukemia", "term:relapsed-all", "synonym"),
    ("refractory ALL", "term:refractory-all", "synonym"),
    # --- patient groups ----------------------------------------------------------------------------
    ("AYA", "section:treatment-adolescents-young-adults", "abbreviation"),
    ("teenager", "section:treatment-adolescents-young-adults", "synonym"),
    ("teen", "section:treatment-adolescents-young-adults", "synonym"),
    ("adolescent", "section:treatment-adolescents-young-adults", "synonym"),
    ("young adult", "section:treatment-adolescents-young-adults", "synonym"),
    ("infant", "section:treatment-infants", "synonym"),
    ("baby", "section:treatment-infants", "synonym"),
    ("Down's syndrome", "section:treatment-down-syndrome", "synonym"),
    ("Downs syndrome", "section:treatment-down-syndrome", "misspelling"),
    ("Down syndrome", "section:treatment-down-syndrome", "synonym"),
    ("trisomy 21", "section:treatment-down-syndrome", "synonym"),
    # --- tests and procedures ----------------------------------------------------------------------
    ("spinal tap", "term:lumbar-puncture", "synonym"),
    ("LP", "term:lumbar-puncture", "abbreviation"),
    ("lumbar punture", "term:lumbar-puncture", "misspelling"),
    ("lumber puncture", "term:lumbar-puncture", "misspelling"),
    ("lumbar puncutre", "term:lumbar-puncture", "misspelling"),
    ("bone marrow test", "term:bone-marrow-aspiration-biopsy", "synonym"),
    ("bone marrow biopsy", "term:bone-marrow-aspiration-biopsy", "synonym"),
    ("bone marrow aspiration", "term:bone-marrow-aspiration-biopsy", "synonym"),
    ("bone marrow aspirate", "term:bone-marrow-aspiration-biopsy", "synonym"),
    ("BMA", "term:bone-marrow-aspiration-biopsy", "abbreviation"),
    ("CBC", "term:complete-blood-count", "abbreviation"),
    ("full blood count", "term:complete-blood-count", "synonym"),
    ("FBC", "term:complete-blood-count", "abbreviation"),
    ("blood count", "term:complete-blood-count", "synonym"),
    ("CSF", "term:cerebrospinal-fluid", "abbreviation"),
    ("spinal fluid", "term:cerebrospinal-fluid", "synonym"),
    ("cerebrospinal fluid", "term:cerebrospinal-fluid", "synonym"),
    ("chest xray", "term:chest-x-ray", "misspelling"),
    ("chest x ray", "term:chest-x-ray", "misspelling"),
    ("CXR", "term:chest-x-ray", "abbreviation"),
    ("x ray", "term:x-ray", "misspelling"),
    ("xray", "term:x-ray", "misspelling"),
    ("haemoglobin", "term:hemoglobin", "synonym"),
    ("Hb", "term:hemoglobin", "abbreviation"),
    ("blood chemistry", "term:blood-chemistry-study", "synonym"),
    ("cytogenetics", "term:cytogenetic-analysis", "synonym"),
    ("immunophenotype", "term:immunophenotyping", "synonym"),
    ("genetic testing", "term:genetic-tests", "synonym"),
    # --- treatments --------------------------------------------------------------------------------
    ("BMT", "term:stem-cell-transplant", "abbreviation"),
    ("bone marrow transplant", "term:stem-cell-transplant", "synonym"),
    ("SCT", "term:stem-cell-transplant", "abbreviation"),
    ("HSCT", "term:stem-cell-transplant", "abbreviation"),
    ("stem cell transplantation", "term:stem-cell-transplant", "synonym"),
    ("CAR-T", "term:car-t-cell-therapy", "abbreviation"),
    ("CAR T", "term:car-t-cell-therapy", "abbreviation"),
    ("CAR-T cell therapy", "term:car-t-cell-therapy", "synonym"),
    ("CAR T cell therapy", "term:car-t-cell-therapy", "synonym"),
    ("car t cell", "term:car-t-cells", "synonym"),
    ("CAR T cells", "term:car-t-cells", "synonym"),
    ("CAR-T cells", "term:car-t-cells", "synonym"),
    ("IT chemo", "term:intrathecal-chemotherapy", "abbreviation"),
    ("IT chemotherapy", "term:intrathecal-chemotherapy", "abbreviation"),
    ("intrathecal chemo", "term:intrathecal-chemotherapy", "abbreviation"),
    ("intrathecal", "term:intrathecal-chemotherapy", "synonym"),
    ("chemo", "term:chemotherapy", "abbreviation"),
    ("radiotherapy", "term:radiation-therapy", "synonym"),
    ("radiation", "term:radiation-therapy", "synonym"),
    ("XRT", "term:radiation-therapy", "abbreviation"),
    ("external radiation therapy", "term:external-beam-radiation-therapy", "synonym"),
    ("TBI", "term:total-body-irradiation", "abbreviation"),
    ("total body irradiation", "term:total-body-irradiation", "synonym"),
    ("CNS", "term:central-nervous-system", "abbreviation"),
    ("CNS directed therapy", "term:cns-directed-therapy", "synonym"),
    ("blood brain barrier", "term:blood-brain-barrier", "synonym"),
    ("BiTE", "term:bispecific-t-cell-engager", "abbreviation", True),
    ("bispecific T cell engager", "term:bispecific-t-cell-engager", "synonym"),
    ("ommaya", "term:ommaya-reservoir", "synonym"),
    ("omaya reservoir", "term:ommaya-reservoir", "misspelling"),
    ("ommaya reservior", "term:ommaya-reservoir", "misspelling"),
    ("omaya", "term:ommaya-reservoir", "misspelling"),
    ("ommya reservoir", "term:ommaya-reservoir", "misspelling"),
    ("immune therapy", "term:immunotherapy", "synonym"),
    ("immunotherapie", "term:immunotherapy", "misspelling"),
    ("induction", "term:remission-induction", "synonym"),
    ("induction therapy", "term:remission-induction", "synonym"),
    ("consolidation", "term:consolidation-intensification", "synonym"),
    ("intensification", "term:consolidation-intensification", "synonym"),
    ("maintenance therapy", "term:maintenance", "synonym"),
    ("maintenance phase", "term:maintenance", "synonym"),
    ("continuation therapy", "term:maintenance", "synonym"),
    ("clinical study", "term:clinical-trial", "synonym"),
    ("paediatric oncologist", "term:pediatric-oncologist", "synonym"),
    # --- other terms -------------------------------------------------------------------------------
    ("petechia", "term:petechiae", "synonym"),
    ("petichiae", "term:petechiae", "misspelling"),
    ("petechie", "term:petechiae", "misspelling"),
    ("petechae", "term:petechiae", "misspelling"),
    ("petichia", "term:petechiae", "misspelling"),
    ("red dots", "term:petechiae", "synonym"),
    ("relaps", "term:relapse", "misspelling"),
    ("relapce", "term:relapse", "misspelling"),
    ("relaspe", "term:relapse", "misspelling"),
    ("remision", "term:remission", "misspelling"),
    ("remmission", "term:remission", "misspelling"),
    ("late side effects", "term:late-effects", "synonym"),
    ("outlook", "term:prognosis", "synonym"),
    ("prognoses", "term:prognosis", "synonym"),
    ("lymphoblasts", "term:lymphoblast", "synonym"),
    ("leukemic cells", "term:leukemia-cells", "synonym"),
    ("leukaemia cells", "term:leukemia-cells", "synonym"),
    ("thrombocytes", "term:platelets", "synonym"),
    ("erythrocytes", "term:red-blood-cells", "synonym"),
    ("RBC", "term:red-blood-cells", "abbreviation"),
    ("NK cells", "term:natural-killer-cells", "abbreviation"),
    ("T-cells", "term:t-cells", "synonym"),
    ("B-cells", "term:b-cells", "synonym"),
    ("T-lymphocytes", "term:t-lymphocytes", "synonym"),
    ("B-lymphocytes", "term:b-lymphocytes", "synonym"),
    ("PDQ", "term:pdq", "abbreviation"),
    ("genetic counselling", "section:genetic-counseling", "synonym"),
]


def block_texts(block: dict[str, Any]) -> list[str]:
    """All text strings of a block that glossary sentences / drug mentions may quote."""
    if "paragraph" in block:
        return [block["paragraph"]]
    if "figure" in block:
        return [block["figure"]]
    if "labelled" in block:
        lab = block["labelled"]
        return [lab["text"], f"{lab['label']}: {lab['text']}"]
    if "list" in block:
        lst = block["list"]
        return ([lst["lead"]] if lst["lead"] else []) + list(lst["items"])
    return []


SENT_SPLIT = re.compile(r"(?<=[.?!])\s+(?=[A-Z(“\"])")


def sentences(text: str) -> list[str]:
    return SENT_SPLIT.split(text)


def drug_mentions(sections: list[dict[str, Any]], short: str) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    pat = re.compile(rf"\b{re.escape(short)}", re.IGNORECASE)
    for sec in sections:
        for block in sec["blocks"]:
            if "list" in block:
                units = block_texts(block)
            elif "labelled" in block:
                units = sentences(block["labelled"]["text"])
            else:
                units = [s for t in block_texts(block) for s in sentences(t)]
            for u in units:
                if pat.search(u):
                    out.append({"section": sec["id"], "text": u})
    return out


# --------------------------------------------------------------------------------------------
# YAML emission (hand-rolled so that comments can be kept; every scalar is JSON-quoted)
# --------------------------------------------------------------------------------------------


def q(s: str | None) -> str:
    if s is None:
        return "null"
    return json.dumps(s, ensure_ascii=False)


HEADER = (
    "# GENERATED by scripts/build_knowledge.py from knowledge/source/child-all-treatment-pdq-patient.txt\n"
    "# (NCI PDQ, public domain; see knowledge/source/PROVENANCE.md). Every text string is a verbatim span\n"
    "# of the source (compared after deleting all whitespace); tests/knowledge/ verifies this.\n"
)


def emit_sections(sections: list[dict[str, Any]]) -> str:
    lines = [HEADER.rstrip("\n")]
    lines += [
        "source:",
        f"  title: {q(TITLE)}",
        "  publisher: National Cancer Institute",
        "  author: PDQ® Pediatric Treatment Editorial Board",
        f"  url: {PAGE_URL}",
        f"  updated: {UPDATED}",
        "  file: source/child-all-treatment-pdq-patient.txt",
        "sections:",
    ]
    for sec in sections:
        lines.append(f"  - id: {sec['id']}")
        lines.append(f"    heading: {q(sec['heading'])}")
        lines.append(f"    parent: {sec['parent'] if sec['parent'] else 'null'}")
        lines.append(f"    updated: {sec['updated']}")
        lines.append(f"    url: {q(sec['url'])}")
        real = [b for b in sec["blocks"] if "_skip" not in b]
        if not real:
            lines.append("    blocks: []  # no text of its own before its first sub-section")
            continue
        lines.append("    blocks:")
        for b in sec["blocks"]:
            if "_skip" in b:
                sk: Skip = b["_skip"]
                lines.append(f"      # NOTE: source text {sk.text!r} omitted on purpose.")
                words = sk.comment.split()
                cur = "      #"
                for w in words:
                    if len(cur) + 1 + len(w) > 100:
                        lines.append(cur)
                        cur = "      #"
                    cur += " " + w
                lines.append(cur)
            elif "paragraph" in b:
                lines.append(f"      - paragraph: {q(b['paragraph'])}")
            elif "figure" in b:
                lines.append(f"      - figure: {q(b['figure'])}")
            elif "labelled" in b:
                lines.append("      - labelled:")
                lines.append(f"          label: {q(b['labelled']['label'])}")
                lines.append(f"          text: {q(b['labelled']['text'])}")
            elif "list" in b:
                lines.append("      - list:")
                lines.append(f"          lead: {q(b['list']['lead'])}")
                lines.append("          items:")
                for it in b["list"]["items"]:
                    lines.append(f"            - {q(it)}")
    return "\n".join(lines) + "\n"


def emit_glossary() -> str:
    lines = [
        HEADER.rstrip("\n"),
        "# Terms the summary explains. `sentence` is the verbatim sentence / list item / figure-caption",
        "# span / labelled entry of `section` that explains `term` (a labelled entry may be quoted as",
        '# "<label>: <text>", e.g. Immunophenotyping). Where one sentence alone does not say what the',
        "# term refers to, the span is the two or three consecutive sentences that do (e.g. leukemia cells).",
        "# Terms the summary only mentions without explaining (e.g. anemia, infusion, MRD) are left out.",
    ]
    for gid, term, sec, sent in GLOSSARY:
        lines += [f"- id: {gid}", f"  term: {q(term)}", f"  section: {sec}", f"  sentence: {q(sent)}"]
    return "\n".join(lines) + "\n"


def emit_drugs(sections: list[dict[str, Any]]) -> str:
    lines = [
        HEADER.rstrip("\n"),
        "# Every drug the summary names. `mentions` lists every sentence / list item in sections.yml that",
        "# names the drug (generated by scanning all blocks for the short name = the id).",
        "# CAR T-cell therapy is a therapy, not a drug: see glossary.yml (car-t-cell-therapy).",
    ]
    for did, name, cat in DRUGS:
        lines += [f"- id: {did}", f"  name: {q(name)}", f"  category: {cat}", "  mentions:"]
        for m in drug_mentions(sections, did):
            lines += [f"    - section: {m['section']}", f"      text: {q(m['text'])}"]
    return "\n".join(lines) + "\n"


def emit_risk_groups(sections: list[dict[str, Any]]) -> str:
    sec = next(s for s in sections if s["id"] == "risk-groups")
    lists = [b["list"] for b in sec["blocks"] if "list" in b]
    groups = lists[0]["items"]
    other = lists[1]
    lines = [
        HEADER.rstrip("\n"),
        "# Risk groups exactly as the summary defines them (section risk-groups). `definition` is the",
        "# verbatim list item; `criteria` restates ONLY the numbers printed in that definition:",
        '#   *_min   = inclusive lower bound ("10 years and older", "50,000 ... or more")',
        '#   *_below = exclusive upper bound ("younger than 10 years", "less than 50,000")',
        "#   combine: all -> every criterion must hold; any -> one is enough.",
        '# "High risk: Children 10 years and older and/or children who have a white blood cell count of',
        '# 50,000 ... or more" -> `and/or` means either condition is sufficient -> combine: any.',
        '# "Very high risk: Children younger than age 1, children with ..., children who ..., and children',
        '# who ..." lists alternative groups of children -> combine: any. Only the age is numeric; the other',
        "# very-high-risk criteria (certain gene changes, slow improvement from initial treatment, signs of",
        "# leukemia after the first 4 weeks of treatment) are not numeric and are kept verbatim in",
        "# `other_criteria`. The summary gives no rule for combining these with the other factors below.",
        "section: risk-groups",
        f"groups_lead: {q(lists[0]['lead'])}",
        "groups:",
        "  - id: standard",
        "    name: Standard risk",
        f"    definition: {q(groups[0])}",
        "    criteria: {combine: all, age_years_min: 1, age_years_below: 10, wbc_per_microliter_below: 50000}",
        "  - id: high",
        "    name: High risk",
        f"    definition: {q(groups[1])}",
        "    criteria: {combine: any, age_years_min: 10, wbc_per_microliter_min: 50000}",
        "  - id: very-high",
        "    name: Very high risk",
        f"    definition: {q(groups[2])}",
        "    criteria: {combine: any, age_years_below: 1}",
        "    other_criteria:  # verbatim fragments of the definition; not numeric",
        '      - "children with certain changes in the genes"',
        '      - "children who have a slow improvement from initial treatment"',
        '      - "children who have signs of leukemia after the first 4 weeks of treatment"',
        f"other_factors_lead: {q(other['lead'])}",
        "other_factors:",
    ]
    lines += [f"  - {q(i)}" for i in other["items"]]
    return "\n".join(lines) + "\n"


def emit_aliases() -> str:
    lines = [
        "# Aliases, abbreviations, brand names and common misspellings -> knowledge-base targets.",
        "#   target: drug:<drugs.yml id> | term:<glossary.yml id> | section:<sections.yml id>",
        "#   kind:   abbreviation | synonym | misspelling | brand",
        "#   case_sensitive: true (optional) -> only match with this exact capitalisation",
        '#                   ("ALL" is also the English word "all", "BiTE" the word "bite",',
        '#                   "Tabloid" an ordinary word).',
        "# Brand names are listed only when they are the same drug (not a related drug: e.g. prednisolone",
        "# is NOT an alias of prednisone). Words that only point to where a topic is discussed (e.g.",
        '# "leukaemia", "baby") target a section rather than claiming to be a glossary term.',
        '# Not included: MRD (the summary does not name it); "steroid(s)" (ambiguous: dexamethasone or',
        "# prednisone).",
    ]
    for a in ALIASES:
        alias, target, kind = a[0], a[1], a[2]
        lines += [f"- alias: {q(alias)}", f"  target: {target}", f"  kind: {kind}"]
        if len(a) > 3 and a[3]:
            lines.append("  case_sensitive: true")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# self-checks
# --------------------------------------------------------------------------------------------


def check(sections: list[dict[str, Any]], source_squashed: str) -> None:
    sec_by_id = {s["id"]: s for s in sections}

    def in_section(sid: str, text: str) -> bool:
        return any(text in t for b in sec_by_id[sid]["blocks"] for t in block_texts(b))

    for s in sections:
        for b in s["blocks"]:
            for t in block_texts(b):
                assert squash(t) in source_squashed, (s["id"], t)
    gids = set()
    for gid, term, sid, sent in GLOSSARY:
        assert gid not in gids, gid
        gids.add(gid)
        assert in_section(sid, sent), (gid, sent)
        assert term.lower() in sent.lower(), (gid, term)
    for did, _name, _cat in DRUGS:
        assert drug_mentions(sections, did), did
    targets = {f"term:{g}" for g in gids} | {f"drug:{d[0]}" for d in DRUGS} | {f"section:{s}" for s in sec_by_id}
    seen: dict[str, str] = {}
    for a in ALIASES:
        assert a[1] in targets, a
        assert a[2] in {"abbreviation", "synonym", "misspelling", "brand"}, a
        key = a[0].lower()
        assert seen.get(key, a[1]) == a[1], a
        seen[key] = a[1]


def main() -> int:
    raw = SOURCE.read_text(encoding="utf-8")
    body = body_text(raw)
    sections, _skipped = walk(body)
    check(sections, squash(raw))
    outputs = {
        KB / "sections.yml": emit_sections(sections),
        KB / "glossary.yml": emit_glossary(),
        KB / "drugs.yml": emit_drugs(sections),
        KB / "risk_groups.yml": emit_risk_groups(sections),
        KB / "aliases.yml": emit_aliases(),
    }
    for path, text in outputs.items():
        yaml.safe_load(text)  # must parse
        if "--check" in sys.argv:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                print(f"{path.relative_to(REPO)} differs from the generated version")
                return 1
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
