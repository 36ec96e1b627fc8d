"""Kinds of message whose sign is not happening now, and the same words when it is (situation.py and
knowledge/safety/situation.yml). Every sentence here was written for these tests."""

from __future__ import annotations

import pytest

from actions.safety import assess


@pytest.mark.parametrize(
    ("category", "message"),
    [
        # A negation word that belongs to its own phrase ("not sure", "like he's not there") negates no sign.
        ("unresponsive", "He looks past me as if I'm not there and his words make no sense at all"),
        ("breathing", "Not sure if I'm overreacting but her lips have gone blue"),
        # A change of state told with "gone" is no "it has gone": the sign is happening.
        ("breathing", "his mouth has gone a dusky blue colour"),
        ("unresponsive", "she is staring as though she can't see us and won't wake properly"),
        # How things were before ("was fine at breakfast, then ...") is no resolution of what came after.
        (
            "fever",
            "She was totally fine at the playground, then at bedtime she got shivery and the thermometer said 38.3.",
        ),
        (
            "bleeding",
            "He seemed perfectly fine at school, then his gums started bleeding and his shirt is soaked with blood.",
        ),
        # "turned out to be" naming the illness confirms an exposure.
        ("infection_exposure", "The rash on the girl next to him at nursery turned out to be chickenpox"),
    ],
)
def test_a_current_sign_is_urgent(category: str, message: str) -> None:
    assert assess(message).urgent == category, assess(message)


@pytest.mark.parametrize(
    "message",
    [
        # A resolution after the sign still makes it over.
        "His gums bled for ages during induction but the nurse says he's all better now. What do platelets do?",
        "She had a high temperature on Saturday; the hospital sent us home on Monday. How do we log temps?",
        # An exposure that is over: the child never got ill.
        "His cousin had chickenpox a month ago, they played together and he never got sick. When is he immune?",
        # "Turned out to be" something harmless.
        "The blood on his pillow turned out to be from a scratched mosquito bite. Should we trim his nails?",
        # A "what if" opened by say / suppose.
        "Suppose she gets a stiff neck and a bad headache one day, what would the team want us to do?",
        "Say he has a fit at school, who should the teacher phone first?",
        # The parent declares a general question.
        "Just curious, can a child on chemo have a seizure from the medicine?",
        "General question: what does it mean when a kid's urine looks dark brown?",
        # A topic learned about, not met.
        "My son is obsessed with chickenpox since his class did a project on germs. Will he need the vaccine later?",
    ],
)
def test_a_sign_not_happening_now_is_not_urgent(message: str) -> None:
    assert not assess(message).is_urgent, assess(message)


@pytest.mark.parametrize(
    ("category", "message"),
    [
        # The cues above never hide what is happening now.
        ("fever", "Just curious if this is normal, she is 38.9 and shaking under the duvet"),
        ("fever", "Suppose I'm overreacting, but he has 39.1 and is on chemo"),
        ("seizure", "Say what you like, he's been fitting for two minutes and it won't stop"),
        ("fever", "He looked great this morning, now he's burning up, 38.8"),
        ("fever", "My son is obsessed with his tablet, he has a fever of 39 right now"),
        ("fever", "Is it 38.5 or 38.7, the thermometer keeps changing, she's on induction"),
        ("breathing", "General question but also right now: his lips are blue and he's struggling to breathe"),
        ("infection_exposure", "the rash on her brother turned out to be measles and they share a room"),
    ],
)
def test_a_cue_word_never_hides_an_emergency_happening_now(category: str, message: str) -> None:
    assert assess(message).urgent == category, assess(message)


def test_a_named_threshold_is_not_a_temperature_taken() -> None:
    assert not assess("Reading of 37.3 after his nap. Nowhere near the 100.4 mark. Can he go to the party?").is_urgent
    assert assess("It read 38.6 this evening, above the 38 mark. What should we do?").urgent == "fever"


def test_two_temperatures_offered_as_options_are_a_question_about_the_threshold() -> None:
    assert not assess("At what reading should I ring the ward? Is it 100.4 or 101?").is_urgent
    # The same options said of one child are a temperature taken.
    assert assess("Her forehead gave 38.2 or 38.4, the thermometer keeps changing. Do we call?").urgent == "fever"


def test_praise_for_routine_care_is_not_urgent() -> None:
    assert not assess("Just wanted to say the clinic nurse was amazing, she accessed his port and he laughed").is_urgent


def test_self_harm_is_urgent_even_in_a_declared_general_question() -> None:
    assert assess("just curious, my teen says she wants to kill herself, is that the steroids?").urgent == "self_harm"


@pytest.mark.parametrize(
    ("category", "message"),
    [
        # What is fine, then a contrast, then what is not: the fine state resolves nothing after it.
        ("breathing", "She's eating well but her lips are going blue"),
        ("fever", "Thankfully his counts are up, however he feels hot and the thermometer says 38.7"),
        ("seizure", "He's doing great at school, yet his arm is jerking and his eyes rolled back"),
        ("bleeding", "All good with the port, but his nose has been bleeding for 40 minutes"),
        ("dehydration", "She's sleeping well, though she can't keep anything down"),
    ],
)
def test_a_fine_state_before_a_contrast_does_not_resolve_the_sign(category: str, message: str) -> None:
    assert assess(message).urgent == category, assess(message)


def test_a_fine_state_after_the_sign_still_resolves_it() -> None:
    assert not assess("He had a fever on Saturday, but he's fine now. What is an ANC?").is_urgent


@pytest.mark.parametrize(
    "message",
    [
        # Over: the child never fell ill, it passed, was fine soon after, has been well since, is nothing.
        "Her cousin had measles at the party in the spring, but she never developed it. Does she need a booster?",
        "He got really drowsy on the ward after his lumbar puncture, the nurse said it was normal and it passed. "
        "What is a lumbar puncture for?",
        "She went blotchy and wheezy after the platelets and was fine within twenty minutes. Can it happen again?",
        "He had a seizure on the ward and has been well ever since. What is CNS disease?",
        "There's a small red mark by his port, it's just a scratch from the cat. How do we keep the dressing dry?",
    ],
)
def test_a_sign_said_to_be_over_in_other_words_is_not_urgent(message: str) -> None:
    assert not assess(message).is_urgent, assess(message)


@pytest.mark.parametrize(
    ("category", "message"),
    [
        # Hope is not a resolution.
        ("fever", "he's 38.6 and shivery, hopefully it's nothing but should I call?"),
        ("breathing", "her lips look blue, I'd hate to bother the ward if it's nothing"),
        ("seizure", "his arm is twitching and his eyes rolled back, maybe it's nothing"),
        ("dehydration", "she throws everything up, I hope she's fine"),
        ("unresponsive", "he's floppy and hard to wake, praying he's fine"),
    ],
)
def test_a_hope_that_all_is_well_resolves_nothing(category: str, message: str) -> None:
    assert assess(message).urgent == category, assess(message)


@pytest.mark.parametrize(
    "message",
    [
        # A later sentence refers back to the story and places it in the past.
        "He had a seizure at the swimming pool. That was two years ago. Should he avoid swimming now?",
        "She struggled to breathe and we called an ambulance. This was in the summer. What is a chest x-ray for?",
        "His gums bled for hours and he needed platelets. It was last winter. What are platelets made of?",
        "She went floppy and limp in the car. That happened during induction. What is consolidation?",
        "He was vomiting everything and got dehydrated. All of that was months before his relapse. What is relapse?",
    ],
)
def test_a_sentence_that_places_the_story_in_the_past_makes_it_past(message: str) -> None:
    assert not assess(message).is_urgent, assess(message)


@pytest.mark.parametrize(
    "message",
    [
        # A "now" after a change of subject belongs to the new question.
        "during induction she went all wheezy after the platelets and recovered, anyway can she go swimming now",
        "back in the spring his nose bled for an hour and wouldn't stop, he's fine, my question is what should "
        "he eat now",
        "last year she had a seizure from a high fever, on another note can she start dance classes today",
        "he was so dehydrated in the first month he needed a drip, anyway is he ok to go to school now",
        "last winter his port site was red and swollen, unrelated but can he swim in the sea now",
    ],
)
def test_a_now_after_a_change_of_subject_does_not_bring_the_story_back(message: str) -> None:
    assert not assess(message).is_urgent, assess(message)


@pytest.mark.parametrize(
    "message",
    [
        # A sign inside a story, book, film or game is a character's.
        "My son loves a cartoon about a bear who has a fever and stays in bed. Is it ok to watch TV all day?",
        "She read a story about a knight who can't breathe underwater. Can she have swimming lessons?",
        "He's into a film where a robot is bleeding oil everywhere. Is screen time ok in maintenance?",
        "There's a game where the hero keeps fainting. Are video games fine during treatment?",
        "We watched a documentary about a boy who had a seizure on a plane. Is flying safe for her?",
    ],
)
def test_a_sign_in_a_story_is_not_the_childs(message: str) -> None:
    assert not assess(message).is_urgent, assess(message)


@pytest.mark.parametrize(
    ("category", "message"),
    [
        # The story words never hide the child's emergency.
        ("seizure", "We were watching a cartoon about dinosaurs and she started jerking all over"),
        ("breathing", "reading a book about space and now he can't breathe properly"),
    ],
)
def test_a_story_frame_never_hides_the_childs_emergency(category: str, message: str) -> None:
    assert assess(message).urgent == category, assess(message)


@pytest.mark.parametrize(
    "message",
    [
        "The vet says Max had a seizure and is on tablets now. Is it ok for my son on chemo to walk him?",
        "the vet thinks Snowy's fits are epilepsy, she's on medicine now, can my daughter still feed her?",
    ],
)
def test_an_animals_illness_is_not_the_childs(message: str) -> None:
    assert not assess(message).is_urgent, assess(message)


@pytest.mark.parametrize(
    "message",
    [
        # A sign word as a term whose meaning is asked.
        "I'd like to understand what febrile neutropenia means, it's in every letter",
        "I looked up the term dehydration in her folder",
        "she learnt to spell unconscious today",
        "I keep seeing the term unresponsive in the sedation consent form",
        "he asked me to pronounce convulsions for his homework",
    ],
)
def test_a_sign_word_asked_about_as_a_term_is_not_urgent(message: str) -> None:
    assert not assess(message).is_urgent, assess(message)


@pytest.mark.parametrize(
    "message",
    [
        # Self-harm as a topic: said of patients in general, naming no one.
        "The leaflet says teenagers on steroids have a higher risk of suicidal thoughts. Is that true?",
        "Can dexamethasone cause suicidal thoughts in teens?",
        "Why are young people after cancer more likely to self-harm?",
        "Research shows adolescents in treatment have higher rates of suicidal thinking. What helps?",
        "Do children on chemo ever get suicidal?",
    ],
)
def test_self_harm_said_of_patients_in_general_is_a_topic(message: str) -> None:
    assert not assess(message).is_urgent, assess(message)


@pytest.mark.parametrize(
    "message",
    [
        # Anyone who may be the writer, or a particular child, keeps the crisis line.
        "Do parents of kids with cancer ever feel suicidal?",
        "Can steroids make teenagers suicidal? My son said he wants to die.",
        "Is it normal for you to have suicidal thoughts when your child has leukemia?",
        "Can teens on chemo feel suicidal like my daughter does?",
        "Do mums of children on treatment sometimes want to end it all?",
    ],
)
def test_self_harm_near_anyone_who_may_be_the_writer_stays_urgent(message: str) -> None:
    assert assess(message).urgent == "self_harm", assess(message)


@pytest.mark.parametrize(
    "message",
    [
        # A "she" / "he" standing for a grown-up of the family named in an earlier sentence.
        "My husband has been doing the night shifts with our daughter. Tonight he is 38.9 with a sore throat. "
        "Should he stay at his brother's until it passes?",
        "Our son is in maintenance and my mother lives with us. This week she has had a temperature of 38.4. "
        "Does she need to move out for a while?",
    ],
)
def test_a_pronoun_for_a_grown_up_of_the_family_is_not_the_childs_sign(message: str) -> None:
    assert not assess(message).is_urgent, assess(message)


@pytest.mark.parametrize(
    "message",
    [
        # The "she" is the child: someone else of her gender is named between, or the grown-up is the writer.
        "Grandma is looking after her tonight. She has a temperature of 39.2 and is shivering.",
        "I'm her grandma and she has 39.1 and chills, she is on chemo",
        # A child of that gender named after the grown-up.
        "My mum came over this morning. My daughter is on chemo and now she is 38.8 and shaking.",
    ],
)
def test_a_pronoun_that_may_be_the_child_keeps_the_sign_the_childs(message: str) -> None:
    assert assess(message).urgent == "fever", assess(message)


@pytest.mark.parametrize(
    "message",
    [
        # Emergency care told in the past tense in a sentence dated in the past was that night's.
        "Two months ago we had the worst night, she spiked 39.6 at bedtime and we drove to the ER, where "
        "she got antibiotics and recovered. What should we keep in a bag so we're quicker another time?",
        # A holiday dates the sign.
        "On Christmas Day he had a temperature of 38.9 and ended up admitted for antibiotics. He is home and "
        "well now. Do fevers often come back after an infection like that?",
        # A past cue opening the sentence dates a sign told in the past tense.
        "Last summer, during the transplant, he had terrible belly pain for days. Does that kind of pain usually "
        "come back?",
        # A box on a form about a sign's history.
        "The school form has a box for seizure history. She's had none. Leave it blank?",
    ],
)
def test_a_sign_dated_in_the_past_in_other_words_is_not_urgent(message: str) -> None:
    assert not assess(message).is_urgent, assess(message)


@pytest.mark.parametrize(
    ("category", "message"),
    [
        ("fever", "Last month she had a fever, and tonight she is 39.3 with chills again"),
        ("fever", "We rushed him to the ER last week for a fever. Now he is 39 again and shivering"),
        ("severe_pain", "Last year she had jaw pain from vincristine, but now she has terrible belly pain, screaming"),
    ],
)
def test_a_sign_happening_now_after_a_past_one_stays_urgent(category: str, message: str) -> None:
    assert assess(message).urgent == category, assess(message)


@pytest.mark.parametrize(
    "message",
    [
        "Since the relapse I can't sleep. Tonight I held the pills in my hand and thought how easy it would be to "
        "just stop. I didn't, but I am frightened of what I might do.",
        "I don't trust myself tonight. Everyone is asleep and I feel like I'm drowning.",
        "After she fell asleep I went out to the closed garage and sat in the car with the engine running for "
        "a long time.",
    ],
)
def test_a_parents_thoughts_of_ending_it_told_without_the_word_are_urgent(message: str) -> None:
    assert assess(message).urgent == "self_harm", assess(message)


@pytest.mark.parametrize(
    "message",
    [
        # A grown-up described by how they are related to the child: the child's word is not the subject.
        "My aunt, the great-aunt of my daughter, has a fever of 38.6 and wants to visit on Sunday. Should she wait?",
        # Described first, at length, before the sign.
        "My father, who is 68 and stays with us most weeks, has had a fever since Sunday. Can he still cook?",
        "Daddy has a fever of 39 and a cough. Can he still read to her at bedtime?",
        # A sibling said not to be the one on treatment.
        "my son (not the one with leukemia) has a fever of 39 since lunch, should he sleep in another room?",
        "Her healthy little brother has a 38.9 fever after his jabs, is that a normal reaction?",
        "My 10-year-old, who is completely healthy otherwise, has a fever and a sore throat today. His sister "
        "is on chemo. Should they use separate towels?",
    ],
)
def test_a_sign_of_someone_else_in_the_family_in_other_words_is_not_urgent(message: str) -> None:
    assert not assess(message).is_urgent, assess(message)


@pytest.mark.parametrize(
    "message",
    [
        "what's the threshold for a fever on chemo, 38.0 or 38.3? everyone says something different",
        "her ANC is falling and they warned us a fever is coming, so what is the plan when it happens?",
        "In March he was exposed to chickenpox at school and got the injection. He never get sick. Can he have "
        "the vaccine later?",
    ],
)
def test_a_threshold_a_future_sign_or_an_exposure_that_came_to_nothing_is_not_urgent(message: str) -> None:
    assert not assess(message).is_urgent, assess(message)


@pytest.mark.parametrize(
    ("category", "message"),
    [
        # What was believed then is not a resolution of what is happening now.
        (
            "breathing",
            "Yesterday we thought it was just a cold. Tonight he is breathing very fast and his lips look blue.",
        ),
        # "never ... like this" and "nothing helps" say how bad it is; they negate nothing.
        ("severe_pain", "she's curled up holding her tummy and screaming, nothing helps, she has never hurt like this"),
    ],
)
def test_a_sign_told_with_a_belief_or_an_intensifier_stays_urgent(category: str, message: str) -> None:
    assert assess(message).urgent == category, assess(message)


@pytest.mark.parametrize(
    "message",
    [
        "He had nosebleeds that would not stop for a week, and then the doctors told us it was leukemia. How common "
        "is it in boys?",
        "She had a fever for ten days and it turned out to be leukemia. Why does it cause fevers?",
    ],
)
def test_a_sign_in_the_story_of_how_the_leukemia_was_found_is_not_urgent(message: str) -> None:
    assert not assess(message).is_urgent, assess(message)
