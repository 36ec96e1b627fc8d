"""Is a sign that was found happening now? (``knowledge/safety/situation.yml``)

:meth:`SituationRules.status` says, for one :class:`~actions.safety.concepts.SignMatch`, whether it
is ``current``, ``negated`` ("no fever", "the fever is gone", "37.1"), ``past`` ("a seizure two years
ago") or ``general`` (a general or "what if" question). Only current signs make a message urgent;
the others may earn a one-line conditional safety note.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, cast

import yaml

from actions.knowledge_base import KNOWLEDGE_DIR
from actions.safety.concepts import SafetyDataError, SignMatch
from actions.safety.temperature import readings
from actions.safety.terms import Term, Token, TokenList, occurrences, parse_terms

SITUATION_FILE = KNOWLEDGE_DIR / "safety" / "situation.yml"
Status = Literal["current", "negated", "past", "general"]
CHANGE_OF_STATE_REACH = 2  # words between "gone" and the sign's next part: "gone a dusky blue"
EARLIER_STATE_REACH = 2  # words between "was" and a resolution cue: "was (really) perfectly fine"
TERM_REACH = 0  # the sign right after its frame: "the word seizure", never "the words she says"
BACK_REFERENCE_REACH = 2  # sentences after a sign in which "that was in January" still refers to it
READING_SUBJECT_REACH = 3  # "she's 38.4", "his temp is 38.6": the person, then at most two words
PRONOUN_REACH = 2  # sentences back in which a "she" / "he" before a sign may find the grown-up it stands for
OTHERS_WINDOW = 6  # how far before a sign a mention of someone else ("our dog", "my friend's son") counts
# How far before a sign (from the end of its name), in its clause, a grown-up of the family counts: further
# than OTHERS_WINDOW, as the grown-up is often described first ("My dad, who's 70 and lives with us, has had
# a fever").
FAMILY_ADULT_WINDOW = 12
_TERM_LISTS = (
    "clause_breaks",
    "negation",
    "negated_things",
    "resolved_after",
    "resolved_cue",
    "resolved_if_past",
    "past_tense",
    "fever_medicine",
    "past",
    "current",
    "emergency_care",
    "hypothetical",
    "general_question",
    "others",
    "not_on_treatment",
    "family_adults",
    "she_adults",
    "he_adults",
    "still_treated_after",
    "figurative",
    "negation_ends",
    "ordinary_life",
    "pseudo_cues",
    "change_of_state",
    "earlier_state",
    "hypothetical_opener",
    "declared_general",
    "topic_talk",
    "contrast",
    "onset",
    "back_reference",
    "topic_shift",
    "unsure",
    "now_cues",
    "explanation_request",
    "patient_population",
    "term_frame",
    "past_day",
    "wait_or_act",
    "long_ago",
    "care_underway",
    "recurring",
    "leukemia_question",
    "treatment_context",
)
_CATEGORY_LISTS = ("always_current", "past_needs_resolution", "weak_resolution_excluded", "recurring_categories")
_KEYS = {*_TERM_LISTS, *_CATEGORY_LISTS, "negation_window", "resolved_window"}
# Words that say a message is about a particular person (so not a general question).
_PERSONAL = frozenset(
    "my our i i'm i've we we're me us he he's she she's his her him they they're their them son daughter child kid "
    "baby toddler boy girl grandson granddaughter teen teenager niece nephew".split()
)

# Words for the child (or pointing at a child): between a grown-up of the family and a sign, they make the
# sign the child's ("my husband says she is 38.9"). The words of _PERSONAL less the writer's own and a
# niece's or nephew's, with the possessives.
_THE_CHILD = (_PERSONAL - frozenset("my our i i'm i've we we're me us niece nephew".split())) | frozenset(
    "hers son's daughter's child's kid's".split()
)
# "she" / "he" and the words for a child that a "she" / "he" may stand for.
_SHE = frozenset("she she's she'd she'll".split())
_HE = frozenset("he he's he'd he'll".split())
_SHE_CHILD = frozenset("daughter daughter's girl girl's granddaughter granddaughter's niece".split())
_HE_CHILD = frozenset("son son's boy boy's grandson grandson's nephew".split())
# Words that point at a particular person ("she is 38.9"); "a child", "kids" may be anyone.
_PARTICULAR = frozenset("my our i i'm i've we we're me us he he's she she's his her him".split())
# Words that may stand for the writer in a question about feelings ("is it normal for parents to ...",
# "do you ever feel ..."): a self-harm sign near them is never a topic in general.
_ANYONE = frozenset(
    "you you're your yourself one someone somebody anyone anybody parent parents mum mums mom moms mother mothers "
    "dad dads father fathers carer carers caregiver caregivers people person family families adult adults".split()
)


# A temperature reading told as an earlier one: "was" / "were" just before it, or "ago" / "earlier"
# in its phrase ("it was 37.6 an hour ago").
_EARLIER_VERBS = frozenset({"was", "were"})
_EARLIER_WORDS = frozenset({"ago", "earlier"})
_EARLIER_VERB_REACH = 2


def _told_as_earlier(index: int, tokens: list[Token]) -> bool:
    phrase = tokens[index].phrase
    if any(t.text in _EARLIER_VERBS for t in tokens[max(0, index - _EARLIER_VERB_REACH) : index]):
        return True
    return any(t.phrase == phrase and t.text in _EARLIER_WORDS for t in tokens[index:])


def _is_number(text: str) -> bool:
    return text.replace(".", "", 1).replace(",", "", 1).isdigit()


class SituationRules:
    def __init__(self, path: Path = SITUATION_FILE) -> None:
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise SafetyDataError(f"{path.name}: cannot read: {exc}") from None
        if not isinstance(raw, Mapping):
            raise SafetyDataError(f"{path.name}: expected a mapping")
        unknown = set(raw) - _KEYS
        missing = set(_TERM_LISTS) - set(raw)
        if unknown or missing:
            raise SafetyDataError(f"{path.name}: unknown fields {sorted(unknown)}, missing fields {sorted(missing)}")
        try:
            self.terms: dict[str, tuple[Term, ...]] = {k: parse_terms(raw[k], f"{path.name}: {k}") for k in _TERM_LISTS}
        except ValueError as exc:
            raise SafetyDataError(str(exc)) from None
        self.negation_window = self._positive(raw, "negation_window", 5, path.name)
        self.resolved_window = self._positive(raw, "resolved_window", 5, path.name)
        self.always_current = self._categories(raw, "always_current", path.name)
        self.past_needs_resolution = self._categories(raw, "past_needs_resolution", path.name)
        self.weak_resolution_excluded = self._categories(raw, "weak_resolution_excluded", path.name)
        self.recurring_categories = self._categories(raw, "recurring_categories", path.name)

    @staticmethod
    def _categories(raw: Mapping[str, Any], key: str, name: str) -> frozenset[str]:
        value = raw.get(key) or []
        if not isinstance(value, list):
            raise SafetyDataError(f"{name}: {key} must be a list of category names")
        return frozenset(str(c) for c in value)

    @staticmethod
    def _positive(raw: Mapping[str, Any], key: str, default: int, name: str) -> int:
        value = raw.get(key, default)
        if not isinstance(value, int) or value < 1:
            raise SafetyDataError(f"{name}: {key} must be a positive integer")
        return value

    def _spans(self, kind: str, tokens: list[Token]) -> list[tuple[int, int]]:
        memo = getattr(tokens, "memo", None)
        if memo is not None and ("spans", kind) in memo:
            return cast(list[tuple[int, int]], memo[("spans", kind)])
        found = occurrences(self.terms[kind], tokens)
        if memo is not None:
            memo[("spans", kind)] = found
        return found

    def status(self, match: SignMatch, tokens: list[Token]) -> Status:
        """Whether the sign in ``match`` is happening now, and if not, why not.

        In order: negated (in the sign's own phrase, or a figure of speech right after it); about
        someone else named just before it (``general``); a general or "what if" question (a hypothetical
        cue earlier in the sign's clause, or opening its sentence); care already under way with an
        ordinary question after it (``past``); over (a past cue in its phrase, a ``long_ago`` or
        ``recurring`` cue in its sentence, or a resolution cue anywhere in the message, with no current
        cue in the sentence). Self-harm is never demoted by the last three: a crisis line costs little
        when it is not needed.
        """
        first = tokens[match.start]
        if self._negated(match, tokens) or self._figurative(match, tokens):
            return "negated"
        if match.category in self.always_current:
            return "general" if self._patients_in_general(match, tokens) else "current"
        if (
            self._declared_general(match, tokens)
            or self._alternative_readings(match, tokens)
            or self._topic_talk(match, tokens)
            or self._named_as_a_term(match, tokens)
        ):
            return "general"
        if match.category not in self.past_needs_resolution and self._about_others(match, tokens):
            return "general"
        sentence = [i for i, t in enumerate(tokens) if t.sentence == first.sentence]
        sentence_start = sentence[0]
        claimed = {i for s, e in (match.parts or ((match.start, match.end),)) for i in range(s, e)}
        resolution = [(s, e) for s, e in self._resolution_spans(tokens, match.start) if not claimed & set(range(s, e))]
        pseudo = self._pseudo_cue_positions(tokens)
        # A temperature said of someone ("she's 38.4, does that count as a fever?") was measured: a
        # question after it asks what to make of it, and is no "what if".
        measured = self._reading_of_someone(match, tokens)
        hypothetical = [
            (s, e)
            for s, e in self._spans("hypothetical", tokens)
            if s not in pseudo
            and tokens[s].sentence == first.sentence
            and (s == sentence_start or (tokens[s].clause == first.clause and (s < match.start + 1 or first.question)))
            and not (measured and s > match.start)
            and not (s >= match.end and self._told_of_someone(match, tokens, s))
        ] + [
            (s, e)
            for s, e in self._spans("hypothetical_opener", tokens)
            if s == sentence_start
            and tokens[s].clause == first.clause
            # "say" and "imagine" also open plain statements: a sentence saying something is
            # happening now ("won't stop", "right now") is not a "what if".
            and not any(tokens[c].sentence == first.sentence for c, _ in self._current_spans(tokens))
        ]
        # A topic shift after the sign ("anyway", "my question is") leaves the story: a "now" after it
        # belongs to the question ("... anyway, can she have peanuts now?"), not to the sign.
        shift = min((s for s, _ in self._spans("topic_shift", tokens) if s >= match.end), default=len(tokens))
        current = [
            (s, e)
            for s, e in self._current_spans(tokens)
            if tokens[s].sentence == first.sentence
            and s < shift
            and not any(hs <= s < he or s <= hs < e for hs, he in hypothetical)
            and not any(rs - 4 <= s < re_ + 4 for rs, re_ in resolution)  # "now he is fine", "all fine now"
        ]
        opener = any(s == sentence_start for s, _ in self._spans("general_question", tokens))
        if hypothetical:
            return "general"
        phrases = {tokens[s].phrase for s, _ in (match.parts or ((match.start, match.end),))}
        past_here = match.category not in self.past_needs_resolution and (
            any(tokens[s].phrase in phrases for s, _ in self._spans("past", tokens))
            or self._referred_to_the_past(match, tokens)
            or self._dated_at_the_start(match, tokens, sentence_start)
        )
        if self._care_underway(match, tokens):
            return "past"
        past_here = past_here or self._long_ago_or_recurring(match, tokens)
        if (past_here or resolution or self._told_over(match, tokens)) and not current:
            return "past"
        if current:
            return "current"
        if (first.question or opener) and not any(t.text in _PERSONAL for t in tokens):
            return "general"  # a question about nobody in particular: about the disease, not a child now
        return "current"

    def _dated_at_the_start(self, match: SignMatch, tokens: list[Token], sentence_start: int) -> bool:
        """The sign's sentence opens with a ``past`` cue ("Last year, during consolidation, my son had
        terrible jaw pain") and the sign's clause is told in the past tense."""
        if not any(s == sentence_start for s, _ in self._spans("past", tokens)):
            return False
        clause = tokens[match.start].clause
        return any(tokens[s].clause == clause and s < match.end for s, _ in self._spans("past_tense", tokens))

    def _told_of_someone(self, match: SignMatch, tokens: list[Token], asked_at: int) -> bool:
        """The sign is told of a particular person in a phrase of its own, with no "what if" before it in
        its sentence, and the question at ``asked_at`` comes in a later phrase: "her lips are blue, is that
        a sign of leukemia?" asks about what is happening; "imagine she is vomiting all night, how many
        hours do we wait?" is still a "what if"."""
        phrases = {tokens[i].phrase for i in range(match.start, match.end)}
        told = [t for t in tokens[: match.end] if t.phrase in phrases]
        sentence = tokens[match.start].sentence
        supposed = any(
            s < match.start and tokens[s].sentence == sentence
            for kind in ("hypothetical", "hypothetical_opener")
            for s, _ in self._spans(kind, tokens)
        )
        return not supposed and tokens[asked_at].phrase not in phrases and any(t.text in _PARTICULAR for t in told)

    def without_negated_phrases(self, tokens: list[Token]) -> list[Token]:
        """The message's words with each negated thing and the rest of its phrase (up to the negation
        window) left out: "he is drinking well, no vomiting" -> "he is drinking well"."""
        dropped: set[int] = set()
        for start, end in self._spans("negated_things", tokens):
            phrase = tokens[start].phrase
            stop = end + self.negation_window
            dropped.update(i for i in range(start, min(stop, len(tokens))) if tokens[i].phrase == phrase)
        return TokenList(t for i, t in enumerate(tokens) if i not in dropped)

    def reassures(self, tokens: list[Token]) -> bool:
        """The message says things are fine ("all fine now", "looks great", "laughing"); how things
        were before something happened ("she was totally fine, then ...") does not count, nor a fine
        state that a contrast follows in its sentence ("she's eating well, but ...")."""
        return bool(self._resolution_spans(tokens, len(tokens)))

    def _resolution_spans(self, tokens: list[Token], before: int) -> list[tuple[int, int]]:
        """The ``resolved_cue`` terms, less those that do not say that what comes at token ``before``
        is over:

        * told as an earlier state (an ``earlier_state`` verb at most :data:`EARLIER_STATE_REACH`
          words before the cue): "she was totally fine, then at dinner she was shivering" tells how
          things were before the sign;
        * followed by a ``contrast`` before token ``before``: "she's eating well but her lips are blue"
          says what is fine and then what is not (when ``before`` is the message's end, a contrast
          later in the cue's sentence); or by an ``onset`` before token ``before``: "they sent her home
          fine. Twenty minutes ago her face started to swell" tells something new beginning;
        * right after an ``unsure`` word: "I don't want to bother her if it's nothing", "hopefully
          she's fine" hope, and say nothing is over."""
        verbs = self._spans("earlier_state", tokens)
        contrasts = [s for s, _ in self._spans("contrast", tokens)]
        onsets = [s for s, _ in self._spans("onset", tokens)]
        end_of_message = before >= len(tokens)

        def contrasted(start: int, end: int) -> bool:
            if end_of_message:
                return any(c >= end and tokens[c].sentence == tokens[start].sentence for c in contrasts)
            return any(end <= c < before for c in [*contrasts, *onsets])

        unsure_ends = {e for _, e in self._spans("unsure", tokens)}
        return [
            (s, e)
            for s, e in self._spans("resolved_cue", tokens)
            if not (s < before and any(vs <= s and s - ve <= EARLIER_STATE_REACH for vs, ve in verbs))
            and not (s < before and contrasted(s, e))
            and s not in unsure_ends
        ]

    def _declared_general(self, match: SignMatch, tokens: list[Token]) -> bool:
        """The message calls itself a general question ("just curious", "general question") and the
        sign's sentence is about nobody in particular and says nothing is happening now: "just curious,
        can chemo turn pee red?" but not "just curious, she is 38.9 and shaking"."""
        if not self._spans("declared_general", tokens):
            return False
        sentence = tokens[match.start].sentence
        if any(t.text in _PARTICULAR for t in tokens if t.sentence == sentence):
            return False
        return not any(tokens[s].sentence == sentence for s, _ in self._current_spans(tokens))

    def _topic_talk(self, match: SignMatch, tokens: list[Token]) -> bool:
        """The sign is part of a topic talked, read or watched about: a ``topic_talk`` phrase comes
        earlier in its sentence ("obsessed with measles", "a book about a girl who faints", "a cartoon
        about a dragon who can't breathe fire") and nothing between them brings the talk back to
        someone here (a word such as "he", "my", "we") or to now (a ``now_cues`` term: "now",
        "tonight"): "obsessed with his tablet, he has a fever of 39" is no topic."""
        sentence = tokens[match.start].sentence
        now = {s for s, _ in self._spans("now_cues", tokens)}
        return any(
            tokens[s].sentence == sentence
            and e <= match.start
            and not any(tokens[i].text in _PARTICULAR or i in now for i in range(e, match.start))
            for s, e in self._spans("topic_talk", tokens)
        )

    def _patients_in_general(self, match: SignMatch, tokens: list[Token]) -> bool:
        """The sign is said of patients in general, as a topic: its sentence names a
        ``patient_population`` ("teenagers on treatment", "children on steroids"), asks or tells about
        it with a ``hypothetical`` term before the sign in its clause ("a higher risk of ...", "can
        steroids cause ...") or is a question, and names no one in particular — no "I", "my", "he",
        "you", "parents", "anyone": a parent who asks whether other parents "ever feel like ending it"
        may be speaking of themselves."""
        sentence = tokens[match.start].sentence
        population = [(s, e) for s, e in self._spans("patient_population", tokens) if tokens[s].sentence == sentence]
        named = {i for s, e in population for i in range(s, e)}  # "young people" is a population
        in_sentence = [i for i, t in enumerate(tokens) if t.sentence == sentence and i not in named]
        if not population or any(tokens[i].text in _PARTICULAR or tokens[i].text in _ANYONE for i in in_sentence):
            return False
        clause = tokens[match.start].clause
        return tokens[match.start].question or any(
            tokens[s].clause == clause and s < match.start for s, _ in self._spans("hypothetical", tokens)
        )

    def _named_as_a_term(self, match: SignMatch, tokens: list[Token]) -> bool:
        """The sign's words are a term whose meaning is asked or named, right after a ``term_frame``
        in its clause ("I'd like to understand what febrile neutropenia means", "the word seizure")."""
        clause = tokens[match.start].clause
        return any(
            tokens[s].clause == clause and 0 <= match.start - e <= TERM_REACH
            for s, e in self._spans("term_frame", tokens)
        )

    def _referred_to_the_past(self, match: SignMatch, tokens: list[Token]) -> bool:
        """A sentence soon after the sign's opens by referring back to it and places it in the past
        ("... went to intensive care. That was in January."; "This is four months before.")."""
        return tokens[match.start].sentence in self._sentences_referred_to_the_past(tokens)

    def _sentences_referred_to_the_past(self, tokens: list[Token]) -> set[int]:
        """The sentences that a later one (at most :data:`BACK_REFERENCE_REACH` after) places in the
        past by opening with a ``back_reference`` and holding a ``past`` term."""
        past_sentences = {tokens[p].sentence for p, _ in self._spans("past", tokens)}
        found: set[int] = set()
        for s, _ in self._spans("back_reference", tokens):
            opens = s == 0 or tokens[s - 1].sentence != tokens[s].sentence
            if opens and tokens[s].sentence in past_sentences:
                found.update(range(tokens[s].sentence - BACK_REFERENCE_REACH, tokens[s].sentence))
        return found

    @staticmethod
    def _reading_of_someone(match: SignMatch, tokens: list[Token]) -> bool:
        """The sign is a temperature reading with a word for a particular person at most
        :data:`READING_SUBJECT_REACH` words before it in its clause ("she's 38.4", "his temp is 38.6")."""
        if match.reading_celsius is None:
            return False
        clause = tokens[match.start].clause
        before = range(max(0, match.start - READING_SUBJECT_REACH), match.start)
        return any(tokens[i].clause == clause and tokens[i].text in _PARTICULAR for i in before)

    def _pseudo_cue_positions(self, tokens: list[Token]) -> set[int]:
        """Where a ``pseudo_cues`` phrase is: its negation or "if" is neither ("not sure", "as if")."""
        return {i for s, e in self._spans("pseudo_cues", tokens) for i in range(s, e)}

    def _alternative_readings(self, match: SignMatch, tokens: list[Token]) -> bool:
        """A fever reading offered as one of two values ("is it 38 or 38.5?") in a question about
        nobody in particular: the parent asks which threshold applies, not about a temperature taken."""
        if match.reading_celsius is None or not tokens[match.start].question:
            return False
        sentence = tokens[match.start].sentence
        numbers = {i for i, t in enumerate(tokens) if _is_number(t.text)}
        joined = any(
            tokens[i].text == "or" and i - 1 in numbers and i + 1 in numbers and match.start in {i - 1, i + 1}
            for i in range(1, len(tokens) - 1)
        )
        personal = any(t.text in _PERSONAL for t in tokens if t.sentence == sentence)
        return joined and not personal

    def asks_what_words_mean(self, tokens: list[Token]) -> bool:
        """The message asks what a word or term means ("I'd like to understand what 'neutropenic'
        means", "the word keeps coming up"): the classifier alone must be surer."""
        return bool(self._spans("explanation_request", tokens))

    def temperatures_say_no_fever(self, tokens: list[Token]) -> bool:
        """The message gives temperatures, none of them a fever, and names no fever medicine that could
        hide one ("37.8 twice an hour apart", "36.5, 36.6, 36.4"): the thermometer has answered."""
        said = readings(tokens)
        return bool(said) and not any(r.is_fever for r in said) and not self._spans("fever_medicine", tokens)

    def tells_of_ordinary_life(self, tokens: list[Token]) -> bool:
        """The message tells of everyday life, hopes or plans ("wants to be a vet when she grows up",
        "can't wait to go back to school", "he loves it"): it never demotes a sign, but the
        classifier alone must be surer before such a message is called urgent."""
        return bool(self._spans("ordinary_life", tokens))

    def asks_whether_signs_are_leukemia(self, tokens: list[Token]) -> bool:
        """The message asks whether what it tells is leukemia or one of its signs ("his belly feels full
        under the ribs, is that a symptom?") and tells of no treatment (``treatment_context``): a child
        not yet diagnosed, so the classifier alone must be surer. A sign found in the message still counts."""
        return bool(self._spans("leukemia_question", tokens)) and not self._spans("treatment_context", tokens)

    def tells_only_of_the_past(self, tokens: list[Token]) -> bool:
        """The message places what it tells in the past ("last winter", "at the start") and says
        nothing is happening now (no ``current`` term): the classifier alone must be surer."""
        return bool(self._spans("past", tokens)) and not self._current_spans(tokens)

    def ends_with_ordinary_question(self, tokens: list[Token]) -> bool:
        """The last sentence is a question, and not one about what to do now (a ``current`` term) nor
        whether to wait or manage at home (a ``wait_or_act`` term: "should I call in the morning?")."""
        if not tokens:
            return False
        last = tokens[-1].sentence
        in_last = [i for i, t in enumerate(tokens) if t.sentence == last]
        asks = tokens[-1].question or any(s == in_last[0] for s, _ in self._spans("general_question", tokens))
        urgent_ask = any(tokens[s].sentence == last for s, _ in self._current_spans(tokens)) or any(
            tokens[s].sentence == last for s, _ in self._spans("wait_or_act", tokens)
        )
        return asks and not urgent_ask and len({t.sentence for t in tokens}) > 1

    def _told_over(self, match: SignMatch, tokens: list[Token]) -> bool:
        """The sign's clause is told in the past tense, the message says, more weakly, that it is over
        (``resolved_if_past``: "the cream cleared it", "a transfusion fixed her") and ends by asking an
        ordinary question; never for the categories in ``weak_resolution_excluded``."""
        if match.category in self.weak_resolution_excluded or not self.ends_with_ordinary_question(tokens):
            return False
        clauses = {tokens[s].clause for s, _ in (match.parts or ((match.start, match.end),))}
        told_in_past = any(tokens[s].clause in clauses for s, _ in self._spans("past_tense", tokens))
        return told_in_past and bool(self._spans("resolved_if_past", tokens))

    def _care_underway(self, match: SignMatch, tokens: list[Token]) -> bool:
        """Care is already under way (a ``care_underway`` phrase: "they're seeing us in the ER", "the
        doctors are keeping him in") and the message ends by asking an ordinary question ("while we
        wait, what is ...?"); never for the categories in ``weak_resolution_excluded``."""
        return (
            match.category not in self.weak_resolution_excluded
            and bool(self._spans("care_underway", tokens))
            and self.ends_with_ordinary_question(tokens)
        )

    def _long_ago_or_recurring(self, match: SignMatch, tokens: list[Token]) -> bool:
        """The sign's sentence places it long ago or before treatment (``long_ago``: "years ago", "as a
        kid"; for every category), or tells it as something that comes and goes (``recurring``: "fevers
        on and off"; only for the categories in ``recurring_categories``)."""
        sentence = tokens[match.start].sentence
        if any(tokens[s].sentence == sentence for s, _ in self._spans("long_ago", tokens)):
            return True
        return match.category in self.recurring_categories and any(
            tokens[s].sentence == sentence for s, _ in self._spans("recurring", tokens)
        )

    def _current_spans(self, tokens: list[Token]) -> list[tuple[int, int]]:
        """Where the message says something is happening now: the ``current`` terms (less those a
        ``past_day`` follows, at most one word after: "sick all day (on) thursday"), and the
        ``emergency_care`` terms outside phrases told in the past ("rushed him to the ER on tuesday")
        and outside sentences a later one places in the past ("We called an ambulance. That was in
        May."). A ``current`` term inside a ``past`` or ``recurring`` phrase does not count ("it still
        haunts me", "keeps getting fevers")."""
        past_phrases = {tokens[s].phrase for s, _ in self._spans("past", tokens)}
        past_sentences = self._sentences_referred_to_the_past(tokens)
        # "we had the worst scare last month, ... and we rushed to the ER": care told in the past tense in
        # a sentence placed in the past was that night's.
        told_past = {tokens[s].phrase for s, _ in self._spans("past_tense", tokens)}
        dated = {tokens[s].sentence for s, _ in self._spans("past", tokens)}
        care_now = [
            (s, e)
            for s, e in self._spans("emergency_care", tokens)
            if tokens[s].phrase not in past_phrases
            and tokens[s].sentence not in past_sentences
            and not (tokens[s].phrase in told_past and tokens[s].sentence in dated)
        ]
        # "all day thursday", "all night on saturday": a stretch of time placed on a day gone by.
        days = {s for s, _ in self._spans("past_day", tokens)}
        # A `current` word inside a `past` or `recurring` phrase is the memory's or the pattern's ("it
        # still haunts me", "he keeps getting fevers"), not the sign's.
        in_past = {i for kind in ("past", "recurring") for s, e in self._spans(kind, tokens) for i in range(s, e)}
        current = [
            (s, e)
            for s, e in self._spans("current", tokens)
            if e not in days and e + 1 not in days and s not in in_past
        ]
        return [*current, *care_now]

    def _about_others(self, match: SignMatch, tokens: list[Token]) -> bool:
        """Someone else (a pet, a friend's child, a toy; a grown-up of the family with no word for the child
        between) is named shortly before the sign, in its clause; or someone is said earlier in its sentence
        not to be on treatment (``not_on_treatment``, not followed closely by a ``still_treated_after``
        word: "he isn't on chemo anymore" is the child)."""
        clause = tokens[match.start].clause
        if any(
            tokens[s].clause == clause and match.start - OTHERS_WINDOW <= s < match.start
            for s, _ in self._spans("others", tokens)
        ):
            return True
        if any(
            tokens[s].clause == clause
            and match.start - FAMILY_ADULT_WINDOW <= e <= match.start
            and not _names_the_child(tokens, e, match.start)
            for s, e in self._spans("family_adults", tokens)
        ):
            return True
        if self._pronoun_for_a_grown_up(match, tokens):
            return True
        sentence = tokens[match.start].sentence
        after = {s for s, _ in self._spans("still_treated_after", tokens)}
        return any(
            tokens[s].sentence == sentence and e <= match.start and not after & {e, e + 1}
            for s, e in self._spans("not_on_treatment", tokens)
        )

    def _pronoun_for_a_grown_up(self, match: SignMatch, tokens: list[Token]) -> bool:
        """The last "she" / "he" before the sign in its sentence stands for a grown-up of the family: going
        back from it (at most PRONOUN_REACH sentences), a ``she_adults`` / ``he_adults`` word with "my" or
        "our" just before it comes before any child of that gender ("My wife is pregnant and our son has
        ALL. She has flu now with a fever of 38.7"; "My mother, the grandmother of my son, she has fever").
        A word for a child before the sign in its sentence (unless it only relates someone to the child:
        "of my son"), a child of that gender named between, or a "her" / "him" between (someone else:
        "Grandma is watching her tonight. She has 39") leaves the sign the child's."""
        first = tokens[match.start]
        before = [i for i in range(match.start) if tokens[i].sentence == first.sentence]
        pronoun = next((i for i in reversed(before) if tokens[i].text in _SHE | _HE), None)
        if pronoun is None or any(
            tokens[i].text in _THE_CHILD - _SHE - _HE and not _relation_to_the_child(tokens, i)
            for i in before
            if i != pronoun
        ):
            return False
        female = tokens[pronoun].text in _SHE
        adults = {s for s, _ in self._spans("she_adults" if female else "he_adults", tokens)}
        children = _SHE_CHILD if female else _HE_CHILD
        other = "her" if female else "him"
        for i in range(pronoun - 1, -1, -1):
            if tokens[i].sentence < first.sentence - PRONOUN_REACH:
                return False
            if i in adults and any(t.text in ("my", "our") for t in tokens[max(0, i - 2) : i]):
                return True
            if tokens[i].text in children or tokens[i].text == other:
                return False
        return False

    def _figurative(self, match: SignMatch, tokens: list[Token]) -> bool:
        """A figure of speech right after the sign, in its phrase ("die of boredom")."""
        phrase = tokens[match.end - 1].phrase
        return any(
            match.end <= s <= match.end + 1 and tokens[s].phrase == phrase for s, _ in self._spans("figurative", tokens)
        )

    @staticmethod
    def _later_reading_is_normal(match: SignMatch, tokens: list[Token]) -> bool:
        """The last temperature given after the fever sign is below the fever threshold, unless that
        reading is told as an earlier one ("it's 38.2 and going up, it was 37.6 an hour ago")."""
        later = [r for r in readings(tokens) if r.index >= match.end and not _told_as_earlier(r.index, tokens)]
        return bool(later) and not later[-1].is_fever

    def _negated(self, match: SignMatch, tokens: list[Token]) -> bool:
        """A negation shortly before any part of the sign, in that part's phrase, not part of the sign
        and with no scope-ending word ("but", "which") between; a resolution after it ("... but it
        stopped"); or, for a fever, a normal temperature given in its sentence or after it."""
        parts = match.parts or ((match.start, match.end),)
        claimed = {i for s, e in parts for i in range(s, e)}
        # A negation inside a phrase that negates nothing of the sign ("like I'm not there", "not sure")
        # is not a negation of it.
        pseudo = self._pseudo_cue_positions(tokens)
        negations = [
            (s, e)
            for s, e in self._spans("negation", tokens)
            if not claimed & set(range(s, e)) and not pseudo & set(range(s, e))
        ]
        scope_ends = [s for s, _ in self._spans("negation_ends", tokens) if s not in claimed]
        for part_start, _ in parts:
            phrase = tokens[part_start].phrase
            for start, end in negations:
                if (
                    tokens[start].phrase == phrase
                    and part_start - self.negation_window <= start
                    and end <= part_start
                    and not any(end <= s < part_start for s in scope_ends)
                ):
                    return True
        first_part_end = parts[0][1]
        part_starts = {s for s, _ in parts}
        changes = {s for s, _ in self._spans("change_of_state", tokens)}
        for start, end in self._spans("resolved_after", tokens):
            if start in changes and any(0 <= p - end <= CHANGE_OF_STATE_REACH for p in part_starts):
                continue  # a change of state told by the sign itself: "her lips have gone (a dusky) blue"
            # After the sign, or inside it once its first part was said ("a nosebleed on sunday but
            # it stopped after ten minutes"), in the same sentence.
            if (
                tokens[start].sentence == tokens[match.start].sentence
                and start not in claimed
                and first_part_end <= start <= match.end + self.resolved_window
                and (start < match.end or tokens[start].phrase == tokens[match.end - 1].phrase)
            ):
                before = tokens[start - 1].text if start > 0 else ""
                if before not in {"not", "hasn't", "haven't", "isn't", "never", "won't", "didn't", "wasn't"}:
                    return True
        if (
            match.category == "fever"
            and self._later_reading_is_normal(match, tokens)
            and not self._spans("fever_medicine", tokens)
        ):
            return True  # "38.5 yesterday ... now it's 36.8": the temperature came down (not by a medicine)
        if match.category == "fever" and match.reading_celsius is None:
            sentence = tokens[match.start].sentence
            said = [r for r in readings(tokens) if tokens[r.index].sentence == sentence]
            if said and not any(r.is_fever for r in said):
                return True  # "37.1, so no fever" / "fever? 37.4"
        return False


def _relation_to_the_child(tokens: list[Token], index: int) -> bool:
    """Whether the word for the child at ``index`` only says how someone is related to the child ("the
    grandmother of my son", "uncle to our daughter"): "of" or "to" just before it, or before "my" / "our"."""
    before = [t.text for t in tokens[max(0, index - 2) : index]]
    return bool(before) and (
        before[-1] in ("of", "to") or (len(before) == 2 and before[0] in ("of", "to") and before[1] in ("my", "our"))
    )


def _names_the_child(tokens: list[Token], start: int, end: int) -> bool:
    """Whether a word for the child, other than one that says how someone is related to the child, is in
    ``tokens[start:end]``."""
    return any(tokens[i].text in _THE_CHILD and not _relation_to_the_child(tokens, i) for i in range(start, end))
