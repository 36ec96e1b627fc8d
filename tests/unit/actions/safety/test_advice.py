"""Requests for advice about one child in the kinds added to knowledge/safety/advice.yml, and general
questions in the same words that stay ordinary. Every sentence here was written for these tests."""

from __future__ import annotations

import pytest

from actions.safety import assess, default_detector


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("decision", "is it worth asking for a second opinion on our boy's protocol, or will the team mind"),
        ("decision", "Is it a good idea to continue her chemo near my parents' home abroad?"),
        ("prognosis", "His leukemia is back for the third time. Is there any hope left for my son?"),
        ("prognosis", "Be honest, do you think he'll grow up and have a normal life?"),
        ("prognosis", "What are the chances she'll get heart trouble later from the daunorubicin?"),
        ("diagnosis", "does she have osteonecrosis? her ankle hurts on every walk"),
        ("diagnosis", "The new scan says his spleen is large. It means he has cancer again?"),
        ("diagnosis", "He gets tummy pain after every asparaginase, is it pancreatitis?"),
        ("diagnosis", "She trips over her own feet lately, is the chemo damaging her nerves?"),
        ("dose", "The clinic said one tablet of the pain medicine, can I give him one and a half tonight?"),
    ],
)
def test_a_request_about_one_child_gets_the_care_team_reply(kind: str, message: str) -> None:
    found = assess(message)
    assert found.advice == kind, found
    assert not found.is_urgent


@pytest.mark.parametrize(
    "message",
    [
        "What is osteonecrosis and why does it happen in children with ALL?",
        "Why are second opinions common for childhood leukemia?",
        "Is pancreatitis a side effect of asparaginase in children?",
    ],
)
def test_a_general_question_in_the_same_words_is_no_personal_advice(message: str) -> None:
    assert assess(message).advice is None, assess(message)


def _advice(message: str) -> str | None:
    """The advice kind the rules (advice.yml) find, the classifier left out; never with an urgent reply."""
    assert not assess(message).is_urgent, assess(message)
    detector = default_detector()
    return detector.advice.kind(detector.tokens(message))


@pytest.mark.parametrize(
    "message",
    [
        # A medicine given or taken wrongly, a dose missed or brought back up, or two instructions.
        "We gave her the evening methotrexate twice by mistake",
        "he missed the 6mp two nights running while we were away, what now?",
        "she spat out half her dex this morning so not sure if she got enough",
        "The pharmacy sticker says 3 ml and the clinic letter 3.5 ml, not sure which to go with",
        "he had ibuprofen at his friend's house, will one dose do any harm",
    ],
)
def test_a_dose_gone_wrong_is_dose_advice(message: str) -> None:
    assert _advice(message) == "dose"


@pytest.mark.parametrize(
    "message",
    [
        # Told, not asked: an instruction and what was done instead.
        "The label says one tablet on Mondays only, but we've been giving it every morning.",
        "Her chart says 4 ml, but I have been drawing up 5 ml for a week.",
    ],
)
def test_a_told_dosing_error_asks_by_itself(message: str) -> None:
    assert _advice(message) == "dose"


@pytest.mark.parametrize(
    "message",
    [
        # A plan, wish or permission to change treatment, told or asked.
        "We're thinking of pushing her next lumbar puncture back because of the holiday.",
        "I'm 15, can I refuse the rest of my chemo?",
        "wondering about asking to switch him to the other hospital's protocol",
        "my husband wants to skip the next steroid pulse, she hates how it makes her feel",
        "We'd like to delay his maintenance start by a month, is that something people do?",
    ],
)
def test_a_plan_or_wish_to_change_treatment_is_a_decision(message: str) -> None:
    assert _advice(message) == "decision"


def test_thinking_about_something_is_no_decision_to_stop() -> None:
    assert _advice("did the x-rays I had when pregnant cause it? I can't stop thinking about it") != "decision"


@pytest.mark.parametrize(
    "message",
    [
        # The child's own results: other tests, or a value said to be off.
        "His echo shows an ejection fraction of 55, is that ok with more doxorubicin coming?",
        "Her audiogram after cisplatin shows a dip, is that bad?",
        "his potassium is borderline on the printout, should I worry?",
        "our son's MRI report mentions something in his hip, I'm scared",
        "her glucose was flagged on the printout, is that the steroids",
    ],
)
def test_other_results_of_the_child_are_results_advice(message: str) -> None:
    assert _advice(message) == "results"


@pytest.mark.parametrize(
    "message",
    [
        # A future milestone, or the general figures against this one child.
        "I just need to know if he'll get to go to high school like his brother",
        "will she be around for her sister's wedding next year?",
        "Everybody quotes how well children do, but what about her specifically?",
        "They say 9 in 10 kids with ALL are cured. What are his real odds after a relapse?",
        "I'd like to know whether he will graduate with his friends",
    ],
)
def test_the_childs_own_future_is_prognosis_advice(message: str) -> None:
    assert _advice(message) == "prognosis"


@pytest.mark.parametrize(
    "message",
    [
        # A relapse feared, a sibling's signs, or a sign told about a child off treatment.
        "her legs have ached at night for a fortnight and I'm frightened it's coming back",
        "Her little brother has bruises and is pale now. Could he have it too?",
        "There's a lump in his neck that wasn't there last week. He finished treatment in June.",
        "She keeps getting bruises on her shins again. Three years off treatment.",
        "he's been sweating at night and losing weight, in remission since last winter",
    ],
)
def test_a_childs_signs_feared_as_a_relapse_are_diagnosis_advice(message: str) -> None:
    assert _advice(message) == "diagnosis"


@pytest.mark.parametrize(
    "message",
    [
        # A general question in the same words stays an ordinary question.
        "sorry, I meant if it comes back in the brain after treatment, how is that treated?",
        "In general, can a high white count alone put a child in the high-risk group? Our nephew's was high.",
        "How often does ALL come back after treatment ends?",
    ],
)
def test_general_questions_about_relapse_and_risk_are_not_advice(message: str) -> None:
    assert assess(message).advice is None, assess(message)


def test_general_words_in_the_context_do_not_make_a_request_about_the_child_general() -> None:
    message = "The booklet says most children with ALL are cured. What are her chances after a slow response?"
    assert _advice(message) == "prognosis"


@pytest.mark.parametrize(
    "message",
    [
        "our son is in consolidation now. how do they check that the chemo is working?",
        "my daughter has a hickman line. how do they clean it?",
    ],
)
def test_they_after_an_explanatory_opener_are_the_doctors_not_the_family(message: str) -> None:
    rules = default_detector().advice
    assert rules.general_request(default_detector().tokens(message))


def test_they_naming_the_family_still_makes_the_request_personal() -> None:
    rules = default_detector().advice
    assert not rules.general_request(default_detector().tokens("they are both pale. are they sick too?"))


@pytest.mark.parametrize(
    "message",
    [
        # A count, a sign or a word about the child told in the story, then an ordinary question.
        "Her neutrophils were really low after the first block, the nurse said. "
        "Which phase of treatment comes after induction?",
        "his blast count at diagnosis was very high apparently. anyway, what exactly is a bone marrow aspiration",
        "The doctor kept saying she might not grow up like other kids if we waited. "
        "How do doctors work out the risk group?",
        "My boy had bruises everywhere last spring and now we know why. What are the usual signs of this leukaemia?",
    ],
)
def test_what_is_told_before_an_ordinary_question_is_context(message: str) -> None:
    assert assess(message).advice is None, assess(message)


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        # The told result, prognosis or sign is what the request asks about.
        ("results", "His platelets came back at 12 this morning. What does that number mean for him?"),
        ("prognosis", "They moved her to the high-risk group last week. Will she survive this?"),
        ("diagnosis", "He is two years off treatment and has lumps in his neck again. Could it be a relapse?"),
        # A plan to change the treatment told before "would that be ok?" is the decision asked about.
        ("decision", "I'm thinking of reducing her steroid doses myself because of the mood swings. Would that be ok?"),
    ],
)
def test_what_the_request_asks_about_the_told_story_stays_personal(kind: str, message: str) -> None:
    found = assess(message)
    assert found.advice == kind, found


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        # The classifier reads "give him" as a dose; no medicine is named, so the reply must not talk of doses.
        ("can his brother give him bone marrow", "decision"),
        # A medicine named: a dose question stays one.
        ("we gave him his 6mp twice by mistake yesterday, what do we do", "dose"),
    ],
)
def test_a_dose_needs_a_medicine(message: str, kind: str) -> None:
    found = assess(message)
    assert found.advice == kind, found


@pytest.mark.parametrize(
    "message",
    [
        # whether a sign the child has is one leukemia brings
        "my boy has little purple pinpricks on his tummy that stay. is that something that shows up with leukemia?",
        "her shins ache every evening, can leukemia cause that sort of ache?",
        # how the care team works, and what parents may expect of it
        "we don't understand the plan for our daughter and nobody explains. do parents get a say in the treatment?",
        "the consultant altered his protocol after the marrow test. is that a usual thing?",
        # what the care team does and why
        "why did they do a spinal tap on my son when the leukemia is in his blood?",
        # what children of this group can get
        "our girl is in the high group now. apart from chemo, might she need radiation to the head one day?",
        # a general question after the story, whatever kind of words it opens with
        "my son is 16 and just finished chemo. what sorts of problems can show up years after treatment?",
    ],
)
def test_questions_the_summary_answers_in_a_parents_words_are_no_personal_advice(message: str) -> None:
    found = assess(message)
    assert found.advice is None, found
    assert not found.is_urgent


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("results", "why is his neutrophil count still so low after three weeks?"),
        ("prognosis", "the doctors changed her treatment, does that mean she won't survive?"),
        ("diagnosis", "his leg hurts again, does that mean the leukemia is back?"),
    ],
)
def test_the_same_topics_about_the_childs_own_results_future_or_signs_stay_personal(kind: str, message: str) -> None:
    assert assess(message).advice == kind


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        # Details of one child told without naming them: an age, a weight, a lab value.
        ("results", "Plt 35 today. Too low?"),
        ("results", "neuts 0.3, hgb 8.9. fine for week 3?"),
        ("prognosis", "T-cell, relapsed once, 7yo. Realistic odds?"),
        ("dose", "Dex twice daily, 22kg, 5yo. How much is right?"),
    ],
)
def test_details_of_one_child_told_tersely_make_the_message_about_that_child(kind: str, message: str) -> None:
    found = assess(message)
    assert found.advice == kind, found


@pytest.mark.parametrize(
    "message",
    [
        # The details belong to a child imagined ("a 9 year old"), so the question is general.
        "which risk group would a 9 year old with wbc 60000 be in",
        "what is the usual treatment for an 8 month old baby with ALL",
    ],
)
def test_details_of_a_child_imagined_keep_a_question_general(message: str) -> None:
    assert assess(message).advice is None, assess(message)


def test_asking_what_a_told_result_means_is_results_advice() -> None:
    found = assess("her hemoglobin dropped from 11 to 7 over the weekend. what does that mean?")
    assert found.advice == "results", found


def test_asking_what_a_told_word_means_is_an_ordinary_question() -> None:
    found = assess("The nurse used the word 'consolidation' for our boy's next month. What does that mean?")
    assert found.advice is None, found


def test_her_odds_are_hers_even_after_words_about_getting_leukemia() -> None:
    found = assess(
        "We know the odds of getting leukemia are tiny, and she got it anyway. What are her odds of beating it?"
    )
    assert found.advice == "prognosis", found


@pytest.mark.parametrize(
    "message",
    [
        # A count word and the child's pronoun in the wrong order tell no result of hers.
        "we had a scan before we knew. does that count as radiation? i had one when pregnant with her",
        "do these results decide what the team does next with her",
        # Two papers that disagree about something other than a medicine or an amount.
        "the letter says pre-B and the ward sheet said something different, which one is right for my son?",
    ],
)
def test_words_near_the_child_that_tell_no_result_or_dose_are_no_advice(message: str) -> None:
    assert assess(message).advice is None, assess(message)


def test_two_instructions_about_an_amount_are_still_dose_advice() -> None:
    found = assess("the bottle label says 4 and the discharge sheet says 3, which one do I follow for my son")
    assert found.advice == "dose", found


def test_an_ok_that_opens_another_question_does_not_ask_about_the_told_result() -> None:
    found = assess("his counts were low last week. ok, so what happens in the consolidation phase?")
    assert found.advice is None, found


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        # A dose of one child's medicine missed, told without naming the child.
        ("dose", "Forgot tonight's mercaptopurine. Give it at breakfast instead?"),
        # Whether the child may skip or move a dose: a decision, asked of "she" / "he".
        ("decision", "Can she skip the evening dose on the night of the school play?"),
        ("decision", "can her lumbar puncture be moved to next week? it's her birthday on thursday"),
        # A grandparent asking about the grandchild's future.
        ("prognosis", "Is my granddaughter going to survive? Nobody tells me anything"),
        # "could this be ALL?" after a sign.
        ("diagnosis", "Her glands have been up for a month and she's pale. Could it be ALL?"),
        # Signs told, then only the illness asked about.
        ("diagnosis", "Pale, tired, purple spots on his legs. Leukemia?"),
        ("diagnosis", "Aching legs at night and sweats for three weeks. Is it cancer?"),
    ],
)
def test_short_requests_about_one_childs_medicine_future_and_signs(kind: str, message: str) -> None:
    found = assess(message)
    assert found.advice == kind, found


@pytest.mark.parametrize(
    "message",
    [
        "Does it matter much if a couple of pills get missed in maintenance?",
        "ok, thanks. Relapse?",
        "What are the signs? Leukemia?",
    ],
)
def test_general_or_follow_up_words_about_doses_and_the_illness_are_no_advice(message: str) -> None:
    assert assess(message).advice is None, assess(message)


@pytest.mark.parametrize(
    "message",
    [
        "will radiation make my son tired at school",
        "is the dexamethasone going to make her moody",
        "will the transplant make her lose weight",
    ],
)
def test_a_question_about_what_treatment_will_do_to_the_child_is_no_prognosis(message: str) -> None:
    # The classifier reads these as prognosis; a prognosis needs an outcome (chances, cure, relapse, ...).
    assert assess(message).advice is None, assess(message)


@pytest.mark.parametrize(
    ("message", "kind"),
    [("what are the odds he survives this?", "prognosis"), ("will my son be cured?", "prognosis")],
)
def test_a_question_about_the_childs_outcome_stays_prognosis(message: str, kind: str) -> None:
    assert assess(message).advice == kind, assess(message)


def test_a_live_vaccine_is_no_question_of_living() -> None:
    assert assess("is it ok for him to be near the live polio vaccine?").advice != "prognosis"


def test_from_the_genes_is_no_question_whether_a_sign_comes_from_the_treatment() -> None:
    assert assess("is that from the genes of his father?").advice is None


@pytest.mark.parametrize(
    "message",
    [
        "Who is the right person to ask about my son's outlook?",
        "Does her age at diagnosis affect her chances?",
        "does the time it took to come back make a difference to his odds?",
    ],
)
def test_asking_what_the_outcome_depends_on_or_whom_to_ask_is_no_prognosis_advice(message: str) -> None:
    assert assess(message).advice is None, assess(message)


def test_the_childs_chances_asked_outright_stay_prognosis_advice() -> None:
    assert assess("Honestly, what are her chances of beating this?").advice == "prognosis"


def test_asking_whether_the_family_caused_it_is_no_diagnosis_advice() -> None:
    # The classifier reads it as a diagnosis; a diagnosis needs a sign, a result or "is it leukemia".
    assert assess("could something we did at home have given her leukemia?").advice is None


def test_signs_told_then_is_it_leukemia_stay_diagnosis_advice() -> None:
    assert assess("she keeps getting bruises on her arms and she is so pale. is it leukemia?").advice == "diagnosis"


@pytest.mark.parametrize(
    "message",
    [
        "OK. If it come back, which targeted medicines can they use then?",
        "if she relapses, what treatments do they give?",
    ],
)
def test_asking_which_treatment_is_used_if_it_comes_back_is_no_prognosis_advice(message: str) -> None:
    assert assess(message).advice is None, assess(message)
