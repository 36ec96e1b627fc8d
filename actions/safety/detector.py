"""The safety check run on every message: an emergency now, a request for personal advice, or neither.

Two independent signals are combined:

* **Signs** (:mod:`actions.safety.concepts`): what the parent describes, matched against the signs
  of each emergency category, each judged current or not by :mod:`actions.safety.situation`.
  A current sign makes the message urgent, whatever the classifier says.
* **A trained classifier** (:mod:`actions.safety.classifier`): catches descriptions that no sign
  covers. It makes a message urgent only when it is confident, and more confident still when the
  signs found were all negated, over, or part of a general question.

Signs that were found but are not current give a ``note``: the category for a one-line conditional
safety note under an ordinary answer. :func:`default_detector` builds the project's detector once
(on first use, never at import).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from actions.safety.advice import AdviceRules
from actions.safety.classifier import Prediction, SafetyClassifier
from actions.safety.concepts import SignCatalogue, SignMatch, default_catalogue
from actions.safety.situation import SituationRules
from actions.safety.terms import Token, Tokenizer
from actions.scope import default_guard
from actions.text_processing import words

URGENT_THRESHOLD = 0.6
URGENT_THRESHOLD_AFTER_DEMOTED_SIGN = 0.92
URGENT_THRESHOLD_ORDINARY_QUESTION = 0.9
ADVICE_THRESHOLD = 0.5
# A message about one child that asks nothing is personal advice only when the classifier is this sure.
ADVICE_THRESHOLD_UNASKED = 0.7
# A request about one child that opens by asking why ("why is she taking ...?").
ADVICE_THRESHOLD_REASON = 0.8
# A described situation has at least this many content words; a shorter message is a fragment or a
# follow-up ("and very high?", "he's 15 and very private"), and only a sign can make it urgent.
MIN_CONTENT_WORDS_FOR_CLASSIFIER = 4
# Most time-critical first: when a message describes two emergencies, the reply leads with this one.
PRIORITY = (
    "breathing", "allergic_reaction", "seizure", "unresponsive", "self_harm", "poisoning", "bleeding", "severe_pain",
    "central_line", "fever", "dehydration", "infection_exposure",
)  # fmt: skip
_DOSE = re.compile(r"\b(mg|milligrams?|ml|mls|dose|doses|dosage|dosing|tablets?|pills?)\b", re.I)


@dataclass(frozen=True)
class Assessment:
    """What the safety check found in one message."""

    urgent: str | None = None  # emergency category, when urgent
    advice: str | None = None  # personal-advice kind (dose, decision, results, prognosis, diagnosis)
    note: str | None = None  # category of a sign mentioned but not happening now
    evidence: str = ""

    @property
    def is_urgent(self) -> bool:
        return self.urgent is not None


class SafetyDetector:
    def __init__(
        self, catalogue: SignCatalogue, situation: SituationRules, advice: AdviceRules, classifier: SafetyClassifier
    ) -> None:
        self.catalogue = catalogue
        self.situation = situation
        self.advice = advice
        self.classifier = classifier
        vocabulary = [
            *catalogue.vocabulary(),
            *advice.vocabulary(),
            *(w for terms in situation.terms.values() for t in terms for w in t.vocabulary()),
        ]
        self._tokenizer = Tokenizer(
            catalogue.shorthand, vocabulary, known_word_test(), situation.terms["clause_breaks"]
        )

    def tokens(self, message: str) -> list[Token]:
        return self._tokenizer.tokens(message)

    def signs(self, message: str) -> list[tuple[SignMatch, str]]:
        """Every sign found, with its status (current, negated, past, general)."""
        tokens = self._tokenizer.tokens(message)
        return [(m, self.situation.status(m, tokens)) for m in self.catalogue.find(tokens)]

    def assess(self, message: str) -> Assessment:
        if not message or not message.strip():
            return Assessment()
        tokens = self._tokenizer.tokens(message)
        found = [(m, self.situation.status(m, tokens)) for m in self.catalogue.find(tokens)]
        current = _most_specific([m for m, status in found if status == "current"])
        if current:
            best = min(current, key=lambda m: PRIORITY.index(m.category) if m.category in PRIORITY else len(PRIORITY))
            return Assessment(urgent=best.category, evidence=f"sign: {best.text}")
        demoted = [m for m, _ in found]
        kept = self.situation.without_negated_phrases(tokens)
        prediction = self.classifier.predict(" ".join(t.text for t in kept))
        if (
            any(status == "negated" for _, status in found)
            or not self.catalogue.mentions_a_sign_word(kept)
            or self.situation.reassures(tokens)
            or _content_words(kept) < MIN_CONTENT_WORDS_FOR_CLASSIFIER
        ):
            # The parent said it is not happening, or that all is well, or described nothing an
            # emergency is made of, or wrote a fragment too short to describe anything ("and very
            # high?"): the classifier's guess alone does not make it urgent.
            urgent_probability = 0.0
        else:
            urgent_probability = prediction.probability("urgent")
        asked_kind = self.advice.kind(tokens)
        if urgent_probability >= self._urgent_threshold(tokens, bool(demoted)):
            category = self.classifier.kind("urgent", message) or "fever"
            # A fever the thermometer denies ("37.8 twice") is no fever, whatever the wording.
            if not (category == "fever" and self.situation.temperatures_say_no_fever(tokens)):
                return Assessment(urgent=category, evidence=f"classifier: {urgent_probability:.2f}")
        note = demoted[0].category if demoted else None
        kind = asked_kind or self._advice_kind(message, tokens, prediction)
        if kind is not None:
            return Assessment(advice=kind, note=note, evidence="advice")
        return Assessment(note=note)

    def _advice_kind(self, message: str, tokens: list[Token], prediction: Prediction) -> str | None:
        """The kind of personal advice the message's request asks for by the classifier, when the
        rules (AdviceRules.kind) found none; or None.

        The message must be about one child (never "can you survive leukemia?") and its request (the
        sentences that ask; those before are context) must not be general (AdviceRules.general_request).
        A message that asks nothing needs the classifier at ADVICE_THRESHOLD_UNASKED instead of
        ADVICE_THRESHOLD."""
        if not self.advice.about_someone(tokens) or self.advice.general_request(tokens):
            return None
        if not self.advice.asks(tokens):
            # A statement can ask by itself: "her bilirubin came back flagged", "we gave the Sunday
            # tablets twice". Only when the classifier is sure; otherwise telling is context.
            if prediction.probability("personal_advice") >= ADVICE_THRESHOLD_UNASKED:
                return self._classified_kind(message, tokens)
            return None
        if default_guard().out_of_scope(message) == "personal advice":
            return "dose" if _DOSE.search(message) else "decision"
        # A request that asks why ("why is my daughter taking dasatinib?") is answered from the summary
        # unless a rule or a sure classifier says otherwise.
        threshold = ADVICE_THRESHOLD_REASON if self.advice.asks_for_a_reason(tokens) else ADVICE_THRESHOLD
        if prediction.probability("personal_advice") >= threshold:
            return self._classified_kind(message, tokens)
        return None

    def _classified_kind(self, message: str, tokens: list[Token]) -> str | None:
        """The advice kind the classifier gives ``message`` ("decision" when it gives none), or None when
        the request lacks what that kind needs (AdviceRules.fits_classified_kind: "will the chemo make her
        throw up?" asks nothing of her prognosis). A dose needs a medicine: "can his brother give him bone
        marrow?" is a decision, not a question of how much to give."""
        kind = self.classifier.kind("personal_advice", message) or "decision"
        if kind == "dose" and not self.advice.names_a_medicine(tokens):
            return "decision"
        return kind if self.advice.fits_classified_kind(kind, tokens) else None

    def _urgent_threshold(self, tokens: list[Token], sign_demoted: bool) -> float:
        """How sure the classifier must be when no current sign was found.

        The classifier reads the message without its negated phrases ("no vomiting", "nobody has
        measles"); a sign the parent negated is never overruled. Surer when the signs found were over
        or hypothetical; when the message reassures ("all fine now", "looks great") or tells of
        everyday life, hopes and plans ("wants to be a vet when she grows up"); when it tells only of
        the past ("last winter he ..." and no "now", "still", "since this morning"); when it asks what a
        word means ("what 'neutropenic' means"); or when it ends by
        asking an ordinary question ("... how do other families handle sleepovers?") rather than what
        to do now or whether it can wait ("should I call in the morning?"), or asks whether what it tells
        is leukemia, of a child on no treatment ("... is that a sign of leukemia?").
        """
        if (
            sign_demoted
            or self.situation.reassures(tokens)
            or self.situation.tells_of_ordinary_life(tokens)
            or self.situation.tells_only_of_the_past(tokens)
            or self.situation.asks_what_words_mean(tokens)
        ):
            return URGENT_THRESHOLD_AFTER_DEMOTED_SIGN
        if self.situation.ends_with_ordinary_question(tokens) or self.situation.asks_whether_signs_are_leukemia(tokens):
            return URGENT_THRESHOLD_ORDINARY_QUESTION
        return URGENT_THRESHOLD


def _most_specific(matches: list[SignMatch]) -> list[SignMatch]:
    """The matches not lying inside a longer match of another category: in "I'd rather not wake up"
    the self-harm phrase wins over "not wake" (hard to wake)."""
    return [
        m
        for m in matches
        if not any(
            o.category != m.category and o.start <= m.start and m.end <= o.end and o.end - o.start > m.end - m.start
            for o in matches
        )
    ]


def _content_words(tokens: list[Token]) -> int:
    from actions.text_processing import STOP_WORDS

    return sum(1 for t in tokens if t.text.isalpha() and t.text not in STOP_WORDS)


@lru_cache(maxsize=1)
def known_word_test() -> Callable[[str], bool]:
    """A test for correctly spelled English words, which must never be "corrected" into a safety word:
    the lemma table's inflected forms and lemmas, and the words of the PDQ summary."""
    from actions.services import knowledge_base
    from actions.text_processing import lemma_table

    table = lemma_table()
    known = {str(v) for v in table.values()}
    for section in knowledge_base().sections.values():
        known.update(words(section.full_text))
    return lambda word: word in known or word in table


def build_detector(classifier: SafetyClassifier) -> SafetyDetector:
    """A detector with the project's rules (knowledge/safety/*.yml) and ``classifier``."""
    return SafetyDetector(default_catalogue(), SituationRules(), AdviceRules(), classifier)


_installed: list[SafetyDetector] = []  # the process's detector, once built or installed


def install_default_detector(detector: SafetyDetector) -> None:
    """Make ``detector`` the process's detector: the NLU component installs the one it loaded with the
    model, so the channels' safety net (:func:`assess`) uses it instead of fitting another."""
    _installed[:] = [detector]


def default_detector() -> SafetyDetector:
    """The process's detector: the installed one, else the project's, its classifier fitted on this
    first call (a few seconds)."""
    if not _installed:
        _installed.append(build_detector(SafetyClassifier.from_project()))
    return _installed[0]


def assess(message: str) -> Assessment:
    """The safety check of ``message`` with the project's rules and classifier."""
    return default_detector().assess(message)
