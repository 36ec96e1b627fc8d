"""Kinds of real-language messages the safety check must read by what is happening (the detector end to
end, plus the situation rules they rest on). Every sentence was written for these tests, none taken from
an evaluation set.

* emergencies described in lay words, with no keyword: the work of breathing seen (flaring nostrils,
  gulping air, a few words a breath), a child who does not stir or whose lifted arm flops, a gum that
  has oozed for hours, crying without tears, a nappy dry for hours, screaming nothing soothes, one
  swollen red calf, a line's cap off or blood up its tube, an arm swelling after a flush, and an
  allergic reaction (a swelling tongue, eyes swelling shut, hives with a hoarse voice);
* a long story that ends by asking whether it can wait ("should I ring in the morning?") asks what to
  do now, not an ordinary question; "back up" ("he brings it back up") is no sign that it is over;
* not happening now: a memory that "still haunts" the parent, an exposure long ago or before
  diagnosis, care already under way with an ordinary question while waiting, fevers or nosebleeds that
  come and go asked about as leukemia, "is X linked to seizures?", the parent's own breathlessness
  "from the stress", reading matter asked for ("a booklet on seizures"), a "now" that opens the
  question ("now I'm just wondering"), wet nappies and a child chatting normally, chemo nicknamed
  "poison juice"; while "oh no" and "without stopping to" negate nothing;
* personal advice asked indirectly: a choice put to the bot, a break from treatment, a lab value in
  texting style, "I need to know if ...", "does it sound like leukemia?", "what is wrong with him?";
* the tokenizer never reads a word with a prefix as a typo of the word behind it ("unusually"), and
  corrects a typo to a real word before a form made from a stem.
"""

from __future__ import annotations

import pytest

from actions.safety import assess, default_detector


@pytest.mark.parametrize(
    ("category", "message"),
    [
        ("breathing", "her nostrils keep flaring in and out and she looks worn out, it's 2am"),
        ("breathing", "my boy is sat on the sofa gulping for air between every couple of words"),
        ("breathing", "she can only get out one word then has to stop to breathe"),
        ("unresponsive", "I've been calling his name for ages and he doesn't stir at all"),
        ("unresponsive", "when I pick up her hand it just flops back onto the bed, she's so sleepy"),
        ("unresponsive", "she's just staring blankly at the wall and seems miles away from us"),
        ("unresponsive", "picked him up off the sofa and he's a dead weight, head on my shoulder, pale"),
        ("unresponsive", "she hardly responds when I talk to her and her eyes won't stay open"),
        ("unresponsive", "his eyes are open but it's like nobody's there behind them"),
        ("bleeding", "her gums have been seeping since lunchtime, we've gone through a whole box of tissues"),
        ("dehydration", "she's sobbing but there are no tears coming out and her lips are cracked"),
        ("dehydration", "his nappy has stayed dry since breakfast and he won't drink"),
        ("severe_pain", "he's howling and nothing soothes him, he keeps grabbing his side"),
        ("severe_pain", "one calf is puffy and hot to touch and she limps on it"),
        ("central_line", "the clamp popped off her picc in the bath and the end is open"),
        ("central_line", "there's blood running up the tubing of his wiggly and it won't go back"),
        (
            "central_line",
            "We flushed his port this evening as usual. An hour later his neck on that side looks puffy.",
        ),
        ("allergic_reaction", "she says her throat feels tight and her tongue is getting thick"),
        ("allergic_reaction", "his lips are puffing up and his eyes are swelling shut"),
        ("allergic_reaction", "big hives came up on her arms and her voice has gone croaky"),
        ("bleeding", "her mouth keeps filling with blood where the wobbly tooth came out"),
        ("poisoning", "the toddler ate half a strip of his sister's chemo tablets while I was in the shower"),
        ("seizure", "my girl is having a seezure on the kitchen floor"),
        ("seizure", "i think its a seasure, his whole body is going stiff"),
    ],
)
def test_an_emergency_in_lay_words_is_urgent(category: str, message: str) -> None:
    assert assess(message).urgent == category


@pytest.mark.parametrize(
    ("category", "message"),
    [
        (
            "unresponsive",
            "He napped after lunch and now when I sit him up he's like a sack of potatoes. "
            "Should we lower his steroid dose tomorrow?",
        ),
        (
            "breathing",
            "The team wants our answer about the trial by Monday. Tonight though his nostrils are flaring "
            "and he's gulping air. Which arm would you pick?",
        ),
    ],
)
def test_an_emergency_now_wins_over_the_advice_asked_for(category: str, message: str) -> None:
    found = assess(message)
    assert found.urgent == category
    assert found.advice is None


@pytest.mark.parametrize(
    "message",
    [
        "Just wanted to share that she had her finger prick today and didn't even flinch!",
        "He cried buckets when his hair came out, but no tears today, he's proud of his cap.",
        "Her face is puffy from the steroids, which the nurse said would happen.",
        "She'll only say a few words to the nurses, she's so shy, is that common?",
        "Grandma didn't come round this week because she had a cold.",
    ],
)
def test_the_same_words_in_ordinary_news_are_not_urgent(message: str) -> None:
    assert not assess(message).is_urgent


@pytest.mark.parametrize(
    "message",
    [
        "He has been dozy all day. Can this wait until his clinic on Thursday?",
        "She's been off her food since yesterday and very quiet. Should I ring them in the morning?",
        "We've given him some water and he's lying down. Is he just worn out?",
    ],
)
def test_asking_whether_it_can_wait_is_no_ordinary_question(message: str) -> None:
    detector = default_detector()
    assert not detector.situation.ends_with_ordinary_question(detector.tokens(message))


def test_a_question_about_something_else_is_still_an_ordinary_question() -> None:
    detector = default_detector()
    message = "He has been dozy all day after the trip. How do other families plan sleepovers?"
    assert detector.situation.ends_with_ordinary_question(detector.tokens(message))


@pytest.mark.parametrize(
    ("reassures", "message"),
    [
        (False, "every sip of juice he brings straight back up"),
        (False, "there's blood coming back up her line"),
        (True, "good news, his counts came back up this week"),
    ],
)
def test_back_up_says_it_is_over_only_of_counts(reassures: bool, message: str) -> None:
    detector = default_detector()
    assert detector.situation.reassures(detector.tokens(message)) is reassures


@pytest.mark.parametrize(
    "message",
    [
        "The seizure he had in intensive care still haunts me although it was last spring. How do I move on?",
        "She caught chickenpox years ago, long before she was diagnosed. Do they test for immunity?",
        "My sister had measles as a child. Is it something that runs in families?",
        "We phoned the oncology ward about his temperature and they're seeing us in the ER now. "
        "While we wait, what does a blood culture look for?",
        "He keeps getting fevers on and off and he's lost weight. Could it be leukemia?",
        "My granddaughter has had lots of nosebleeds this winter. Does she have leukemia?",
        "Is leukemia ever linked to seizures in young children?",
        "Most evenings I feel I can't breathe from the stress. Are there support groups nearby?",
        "She had a fit as a toddler, long before the leukaemia. Is there a booklet on seizures and chemo?",
        "he vomited blood a fortnight back from a nosebleed he swallowed, all healed, and now i'm just wondering "
        "which toothbrush is softest",
        "his nappies are not dry at all, five wet ones since breakfast, and he's feeding well. how much formula "
        "should a baby on chemo take",
        "no fits, no fainting, she's awake and chatting normally, just very moody on dex. is the moodiness usual",
        "my son calls his chemo bag the poison juice and laughs about it. is dark humour ok for kids?",
        "oh no, no fever at all today, he just has the sniffles. can he go to nursery?",
    ],
)
def test_memories_long_ago_care_under_way_and_patterns_are_not_urgent(message: str) -> None:
    assert not assess(message).is_urgent


@pytest.mark.parametrize(
    ("category", "message"),
    [
        ("allergic_reaction", "oh no her tongue is swelling up after the peg injection"),
        ("breathing", "he can't say a whole sentence without stopping to gulp air"),
        ("infection_exposure", "my nephew, diagnosed years ago, sat next to a boy with chickenpox today"),
        ("fever", "she's had fevers on and off this month and tonight she's 39.1"),
        ("bleeding", "her gums are pouring blood and now i'm just wondering if i should ring someone"),
        ("breathing", "she was chatting normally at tea but now her lips are turning blue"),
        ("fever", "We called the clinic on Monday and they gave antibiotics. Today he's 39.2 again. What is ANC?"),
        ("severe_pain", "her belly pain keeps getting worse and she's screaming, it comes and goes"),
        ("bleeding", "his nose keeps getting bloodier, it's been pouring for 20 minutes"),
    ],
)
def test_the_same_cues_do_not_hide_an_emergency(category: str, message: str) -> None:
    assert assess(message).urgent == category


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("decision", "is that okay if we take a break from treatment over the summer to see grandma abroad?"),
        ("decision", "just tell me what to pick, the trial or the standard arm, my head is spinning"),
        ("decision", "do we go with the local clinic or the big centre for his maintenance"),
        ("results", "anc 0.3 this morning can she still go to her cousin's wedding"),
        ("results", "her lumbar puncture results came back saying CNS3. What does that mean for her?"),
        ("prognosis", "I just need to know if my little girl is going to survive this. Be honest."),
        ("diagnosis", "He's pale and bruising easily and sleeps all afternoon. Does that sound like leukemia?"),
        ("diagnosis", "my daughter gets leg pains at night and she looks grey, what is wrong with her?"),
        ("diagnosis", "I think he have the leukemia like his uncle, you agree?"),
        ("diagnosis", "daughters bloods looked odd at clinic. relapse?"),
        ("prognosis", "will i make it to my 18th lol. 16 and just relapsed"),
        ("prognosis", "am i gonna die from this. im 14 and they said very high risk"),
        ("results", "They found 2% blasts on day 15. Could you tell me what that number means for my son?"),
    ],
)
def test_an_indirect_request_about_one_child_is_personal_advice(kind: str, message: str) -> None:
    found = assess(message)
    assert not found.is_urgent
    assert found.advice == kind


@pytest.mark.parametrize(
    "message",
    [
        "is it ok to park at the hospital overnight when we come in for his chemo?",
        "can I talk to a live person at the clinic on weekends?",
    ],
)
def test_a_practical_question_is_no_advice(message: str) -> None:
    assert assess(message).advice is None


def test_a_typo_is_corrected_to_a_real_word_before_a_form_made_from_a_stem() -> None:
    words = [t.text for t in default_detector().tokens("she is having a seezure")]
    assert words[-1] in {"seizure", "seezure"}  # a seizure word either way, never "seepure" (from "seep*")


def test_a_word_behind_a_prefix_is_not_corrected_to_the_word() -> None:
    words = [t.text for t in default_detector().tokens("he has been unusually quiet")]
    assert "unusually" in words
    assert "usually" not in words


# Taking "all the pills" is what the care team asks of every family; only an ending or all-at-once cue on one's
# own pills, a whole bottle, or pills saved up is a sign of self-harm.
@pytest.mark.parametrize(
    "message",
    [
        "how much does it matter that she takes every pill on the chart?",
        "does he honestly need to take all of his tablets during maintenance?",
        "my daughter took all of her medicine tonight without any fuss",
        "he swallows all his capsules at once with a glass of milk",
        "why do they insist she takes all the medicines they prescribe?",
    ],
)
def test_taking_all_the_medicines_prescribed_is_no_self_harm(message: str) -> None:
    assert assess(message).urgent is None


@pytest.mark.parametrize(
    "message",
    [
        "some nights I think about swallowing all my pills so I don't wake up",
        "I could take every pill in the house at once and it would all stop",
        "i found out he's been saving up his tablets in a shoebox",
        "she swallowed the whole packet of her nan's pills",
    ],
)
def test_pills_taken_to_end_it_or_saved_up_are_self_harm(message: str) -> None:
    assert assess(message).urgent == "self_harm"


def test_someone_elses_medicine_is_poisoning_only_when_it_is_theirs_that_was_taken() -> None:
    assert assess("my toddler took my blood pressure tablets off the bedside table").urgent == "poisoning"
    assert assess("my son took all of his medicine before school").urgent is None  # the "my" of "my son"
