"""Parents' words for what the summary says in its own words (knowledge/lay_terms.yml, actions/lay_terms.py).
Questions are written for these tests; expected passages are PDQ text (knowledge/source/)."""

from __future__ import annotations

import pytest

from actions.answering import choose_passages
from actions.lay_terms import LayTerms
from actions.services import passage_search

TESTS_GO_ON = "Some of the tests will continue to be done from time to time after treatment has ended."


@pytest.mark.parametrize(
    "question",
    [
        "once chemo is over does he keep having tests?",
        "when she is off treatment will they still check her blood?",
        "after the last chemo do the tests stop?",
        "my son completed treatment in June, does he still need scans and blood tests?",
    ],
)
def test_the_end_of_treatment_in_parents_words_finds_what_happens_after_treatment_has_ended(question: str) -> None:
    assert "after treatment has ended" in {pdq for _, pdq in LayTerms().found(question)}
    choice = choose_passages(question, "follow-up-care", intent_confidence=0.95)
    assert choice is not None
    assert choice.lead.text == TESTS_GO_ON


def test_how_a_test_is_done_is_not_read_as_the_end_of_treatment() -> None:
    assert "after treatment has ended" not in {pdq for _, pdq in LayTerms().found("how is the marrow test done?")}


BY_MOUTH_OR_VEIN = (
    "Chemotherapy that is taken by mouth or injected into a vein enters the bloodstream and reaches cancer cells "
    "throughout the body."
)


@pytest.mark.parametrize(
    ("question", "section_id", "passage"),
    [
        # how chemotherapy goes in, in parents' words: pills, a drip, the port
        ("does she swallow the chemo or does it go in through a drip?", "chemotherapy", BY_MOUTH_OR_VEIN),
        ("is the chemotherapy given as tablets or through his port?", "chemotherapy", BY_MOUTH_OR_VEIN),
        ("is it all IV or some pills too?", "chemotherapy", BY_MOUTH_OR_VEIN),
        # a new cancer later in life
        (
            "could all this treatment give her another cancer when she's older?",
            "side-effects-late-effects",
            "Second cancers (new types of cancer) or other conditions",
        ),
        # missing or refusing doses
        (
            "is it a big deal if we missed a dose of the pills?",
            "treatment-standard-risk",
            "Not taking the medicines as directed increases the chance the cancer will come back.",
        ),
    ],
)
def test_parents_words_for_how_medicine_is_taken_and_for_later_cancers_find_the_summarys(
    question: str, section_id: str, passage: str
) -> None:
    choice = choose_passages(question, section_id, intent_confidence=0.9)
    assert choice is not None
    assert passage in choice.lead.text


@pytest.mark.parametrize(
    "question",
    [
        "if he gets heart problems later, can doctors do anything about them?",
        "can those long-term problems be helped?",
        "can late effects be managed?",
    ],
)
def test_whether_anything_can_be_done_about_late_effects_finds_that_some_may_be_treated(question: str) -> None:
    choice = choose_passages(question, "side-effects-late-effects", intent_confidence=0.9)
    assert choice is not None
    shown = [choice.lead.text, choice.second.text if choice.second else ""]
    assert "Some late effects may be treated or controlled." in shown


def test_a_lay_phrase_inside_a_longer_one_counts_only_as_part_of_it() -> None:
    found = LayTerms().found("can you go over the stages of treatment for ALL?")
    assert [phrase for phrase, _ in found] == ["stages of treatment"]
    # alone, "stages" still stands for the risk groups
    assert [pdq for _, pdq in LayTerms().found("what stage is it?")] == ["risk groups standard high very high risk"]


def test_the_stages_of_treatment_are_answered_with_the_three_phases() -> None:
    choice = choose_passages("what are the stages of treatment for ALL?", "treatment-phases", intent_confidence=0.95)
    assert choice is not None
    assert choice.lead.text.startswith("The treatment of childhood ALL is done in three phases:")


def test_the_new_doctor_and_what_to_bring_find_the_second_opinion() -> None:
    # "the new doctor" is the summary's "second doctor"; what to bring is its "medical test results and reports"
    choice = choose_passages("what is the new doctor going to look at?", "second-opinion", intent_confidence=0.95)
    assert choice is not None
    assert choice.lead.text.startswith("The second doctor will review")
    hits = passage_search().search("what should we bring along with us?", limit=1)
    assert hits and hits[0].passage.section_id == "second-opinion"


@pytest.mark.parametrize(
    ("question", "section", "passage"),
    [
        (
            "if she is already in remission why do they keep giving more rounds of chemo?",
            "treatment-phases",
            "The treatment of childhood ALL is done in three phases:",
        ),
        (
            "does it get all over the body when he swallows the chemo?",
            "chemotherapy",
            "Chemotherapy that is taken by mouth or injected into a vein enters the bloodstream",
        ),
        (
            "my husband and the other kids are struggling too, is there help for them as well?",
            "coping",
            "When your child has cancer, every member of the family needs support.",
        ),
        (
            "i never look after myself anymore, is that normal?",
            "coping",
            "Taking care of yourself during this difficult time is important.",
        ),
        (
            "for the full blood count, how do they draw blood from a little kid?",
            "complete-blood-count",
            "Blood is collected by inserting a needle into a vein",
        ),
        (
            "the walk-in clinic had him on prednisone for a week before diagnosis. will that change anything?",
            "treatment-phases",
            "Treatment options depend on:",
        ),
        (
            "do kids who weigh more have a different chance of how well they do?",
            "prognostic-factors",
            "Your child's prognosis depends on:",  # the list that names the child's weight
        ),
        (
            "in plain words, what has gone wrong in his marrow?",
            "what-is-all",
            "ALL occurs because too many stem cells become lymphoblasts",
        ),
        (
            "we see the specialist tomorrow, what will the doctor ask us about?",
            "tests-to-diagnose",
            "They will also ask about your child's personal and family medical history",
        ),
        (
            "could all of this just be a virus or some other illness instead?",
            "symptoms",
            "These symptoms may be caused by problems other than ALL.",
        ),
        (
            "do parents get a say or do the doctors choose the treatment?",
            "treatment-options",
            "You and your child's care team will work together to decide treatment.",
        ),
        (
            "might all this chemo give her a different kind of cancer when she's grown up?",
            "side-effects-late-effects",
            "Late effects of cancer treatment may include:",
        ),
        (
            "is this page meant for families like us or is it written for doctors?",
            "about-pdq",
            "The patient versions are written in easy-to-understand, nontechnical language.",
        ),
        (
            "what happens if this leukemia is left untreated for a while?",
            "what-is-all",
            "ALL usually worsens quickly if it is not",
        ),
    ],
)
def test_a_parents_words_find_the_passage_over_the_whole_summary(question: str, section: str, passage: str) -> None:
    best = passage_search().search(question, limit=1)[0].passage
    assert (best.section_id, best.text[: len(passage)]) == (section, passage)


def test_a_tube_is_the_catheter_the_donor_cells_go_in_through() -> None:
    choice = choose_passages(
        "on the day the donor cells are given, where does the tube go in?",
        "stem-cell-transplant",
        intent_confidence=0.95,
    )
    assert choice is not None
    assert choice.lead.text.startswith("(Step 3): The patient receives stem cells through a catheter")


def test_is_it_common_finds_the_sentence_saying_it_is_uncommon() -> None:
    choice = choose_passages("how common is ALL in tiny babies?", "treatment-infants", intent_confidence=0.95)
    assert choice is not None
    assert choice.lead.text == "Acute lymphoblastic leukemia (ALL) diagnosed in infancy is uncommon."


@pytest.mark.parametrize(
    ("question", "section_id", "passage"),
    [
        ("can i copy the text from this into our family blog", "permission-to-use", "can be used freely as text"),
        (
            "Years from now, could everything she's going through cause trouble with her heart?",
            "side-effects-late-effects",
            "Physical problems, including problems with the heart",
        ),
    ],
)
def test_copying_the_text_and_years_from_now_in_parents_words_find_the_summarys(
    question: str, section_id: str, passage: str
) -> None:
    assert passage_search().search(question, limit=1)[0].passage.section_id == section_id
    choice = choose_passages(question, section_id, intent_confidence=0.9)
    assert choice is not None
    shown = [choice.lead.text] + ([choice.second.text] if choice.second else [])
    assert any(passage in text for text in shown)


def test_the_testicles_in_parents_words_find_how_their_spread_is_treated() -> None:
    question = "How is it treated when the leukemia has spread down to a boy's private parts?"
    assert "testicles" in {pdq for _, pdq in LayTerms().found(question)}
    choice = choose_passages(question, "treatment-cns-testicles", intent_confidence=0.9)
    assert choice is not None
    assert choice.lead.text.startswith("If the leukemia cells spread to the testicles, treatment includes")
