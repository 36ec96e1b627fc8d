"""Words and phrases for the safety layer: tokenising a message and matching YAML terms against it.

A message becomes a list of :class:`Token` (lower-case words and numbers, each knowing its sentence
and clause), after texting shorthand is expanded and misspellings of the safety vocabulary are
corrected. A :class:`Term` is a phrase of words from the YAML files; a word ending in ``*`` matches
any word that starts with it. Matching is exact on tokens, so "no" never matches inside "know".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process

from actions.text_processing import normalize

# Words, numbers with an optional decimal part, and the punctuation that ends sentences or clauses.
_TOKEN = re.compile(r"\d+(?:[.,]\d+)?|[a-z]+(?:'[a-z]+)*|[.!?;\n]|,|°|%|/")
_SENTENCE_END = frozenset(".!?;\n")
TYPO_MIN_LENGTH = 5
TYPO_SCORE_CUTOFF = 84.0
REMEMBERED_MESSAGES = 256  # per tokenizer: a turn's message, its variants and the session's earlier messages
# "dose" typed for "does" ("what dose that mean", "if he has one of those dose that mean he has it?"): read
# as "does" when it follows a question word or a conjunction (or opens a sentence) and a subject follows
# it. After a determiner ("the dose", "his dose") or before "of" it stays a dose; a pronoun for the child
# after it ("what dose he need") is left a dose too, since it may ask for one.
_DOES_BEFORE = frozenset(
    "what how why when where who which if whether so and or but that this those these it also then".split()
)
_DOES_SUBJECTS = frozenset(
    "that this it the a an my our your someone anyone anybody everyone treatment treatmnt chemo chemotherapy "
    "leukemia leukaemia all cancer radiation immunotherapy transplant".split()
)
_INFLECTIONS = ("", "s", "es", "ed", "d", "ing", "ure", "ures", "ion", "y", "ly")


@dataclass(frozen=True)
class Token:
    text: str
    sentence: int
    clause: int  # ends at a sentence end or a clause-break word ("but", "although")
    phrase: int = 0  # also ends at a comma
    question: bool = False  # the token's sentence ends with "?"


class TokenList(list[Token]):
    """Tokens of one message, with the positions of each word (so a phrase is looked for only where
    its first word occurs)."""

    def __init__(self, tokens: Iterable[Token]) -> None:
        super().__init__(tokens)
        self.positions: dict[str, list[int]] = {}
        self.memo: dict[object, object] = {}  # results computed once per message (see SituationRules)
        self._prefixes: frozenset[str] | None = None
        for index, token in enumerate(self):
            self.positions.setdefault(token.text, []).append(index)

    def prefixes(self) -> frozenset[str]:
        """Every beginning of every word of the message ("fev", "feve", "fever"): a term can occur only if
        its :attr:`Term.first_key` is one of them."""
        if self._prefixes is None:
            self._prefixes = frozenset(word[:end] for word in self.positions for end in range(1, len(word) + 1))
        return self._prefixes


@dataclass(frozen=True)
class Term:
    """A phrase from the YAML files, e.g. ``won't stop`` or ``vomit*``."""

    words: tuple[str, ...]
    # The first word, or its stem when it ends in ``*``: the beginning of the token a match starts at.
    first_key: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "first_key", self.words[0].rstrip("*") if self.words else "")

    @classmethod
    def parse(cls, raw: str) -> Term:
        """The term's words, split as a message's are ("6-mp" -> 6, mp; "cd19" -> cd, 19; "10/10"),
        a trailing ``*`` kept on the last piece of its word."""
        words: list[str] = []
        for chunk in normalize(str(raw)).split():
            star = chunk.endswith("*")
            pieces = [p for p in _TOKEN.findall(chunk.rstrip("*")) if p not in _SENTENCE_END and p != ","]
            if not pieces:
                continue
            if star:
                pieces[-1] += "*"
            words.extend(pieces)
        if not words:
            raise ValueError(f"empty term {raw!r}")
        return cls(tuple(words))

    def matches_at(self, tokens: list[Token], start: int) -> int | None:
        """The end index (exclusive) if the term matches at ``start``, else None."""
        if start + len(self.words) > len(tokens):
            return None
        for offset, word in enumerate(self.words):
            token = tokens[start + offset].text
            if word.endswith("*"):
                if not token.startswith(word[:-1]):
                    return None
            elif token != word:
                return None
        return start + len(self.words)

    def find(self, tokens: list[Token]) -> Iterator[tuple[int, int]]:
        """Every (start, end) where the term occurs."""
        index = getattr(tokens, "positions", None)
        first = self.words[0]
        starts: Iterable[int]
        if first.endswith("*"):
            stem = first[:-1]
            if index is None:
                starts = [i for i, token in enumerate(tokens) if token.text.startswith(stem)]
            else:
                starts = sorted(i for word, found in index.items() if word.startswith(stem) for i in found)
        elif index is None:
            starts = [i for i, token in enumerate(tokens) if token.text == first]
        else:
            starts = index.get(first, ())
        for start in starts:
            end = self.matches_at(tokens, start)
            if end is not None:
                yield start, end

    def vocabulary(self) -> Iterator[str]:
        """Word forms a misspelling of this term's words may be corrected to."""
        for word in self.words:
            if word.endswith("*"):
                stem = word[:-1]
                if len(stem) >= 4:
                    yield from (stem + ending for ending in _INFLECTIONS)
            else:
                yield word


def occurrences(terms: Iterable[Term], tokens: list[Token]) -> list[tuple[int, int]]:
    """Every (start, end) of each of ``terms`` in ``tokens``: the spans of the first term, then of the second,
    ...; the same as chaining their :meth:`Term.find`. In a :class:`TokenList` a term that cannot start at
    any of its words is passed over without a search."""
    if isinstance(tokens, TokenList):
        prefixes = tokens.prefixes()
        return [span for term in terms if term.first_key in prefixes for span in term.find(tokens)]
    return [span for term in terms for span in term.find(tokens)]


def parse_terms(raw: object, where: str) -> tuple[Term, ...]:
    """A YAML list of strings as terms; ValueError naming ``where`` for anything else."""
    if not isinstance(raw, list) or not raw:
        raise ValueError(f"{where}: expected a non-empty list of phrases, got {raw!r}")
    for item in raw:
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            # YAML reads a bare no/yes/on/off as a boolean: the phrase must be quoted.
            raise ValueError(f'{where}: {item!r} is not a phrase (quote words such as "no" in YAML)')
    return tuple(Term.parse(str(item)) for item in raw)


def _a_typo_of(word: str, candidate: str) -> bool:
    """Whether ``word`` may be a misspelling of the vocabulary word ``candidate``: both start with the same
    letter, and ``word`` is not ``candidate`` behind a prefix of two letters or more ("unusually" is
    not "usually", "reassuring" not "assuring"): a typo does not add a syllable at the start."""
    prefixed = len(word) - len(candidate) >= 2 and word.endswith(candidate)
    return word[0] == candidate[0] and not prefixed


def _does_for_dose(words: list[str]) -> list[str]:
    """``words`` with each "dose" typed for "does" read as "does" (see ``_DOES_BEFORE``)."""
    result = list(words)
    for i, word in enumerate(words):
        if word != "dose" or i + 1 >= len(words) or words[i + 1] not in _DOES_SUBJECTS:
            continue
        if i + 2 < len(words) and words[i + 2] == "of":
            continue
        if i == 0 or words[i - 1] in _DOES_BEFORE or words[i - 1] in _SENTENCE_END or words[i - 1] == ",":
            result[i] = "does"
    return result


class Tokenizer:
    """Turns a message into tokens; knows the safety vocabulary for correcting misspellings."""

    def __init__(
        self,
        shorthand: Mapping[str, str],
        vocabulary: Iterable[str],
        is_known_word: Callable[[str], bool],
        clause_breaks: Iterable[Term] = (),
    ) -> None:
        self._shorthand = {normalize(k): tuple(normalize(v).split()) for k, v in shorthand.items()}
        self._vocabulary = sorted({w for w in vocabulary if len(w) >= TYPO_MIN_LENGTH and "'" not in w})
        self._vocabulary_set = frozenset(self._vocabulary)
        self._is_known_word = is_known_word
        self._clause_breaks = tuple(clause_breaks)
        self._corrections: dict[str, str] = {}
        # The same message is tokenised many times per turn (each follow-up cue, population and safety test
        # asks for it): its tokens are remembered, and every call gets a TokenList of its own (fresh memo).
        self._remembered = lru_cache(maxsize=REMEMBERED_MESSAGES)(self._tokens)

    def _correct(self, word: str) -> str:
        if (
            len(word) < TYPO_MIN_LENGTH
            or not word.isalpha()
            or word in self._vocabulary_set
            or self._is_known_word(word)
        ):
            return word
        if word not in self._corrections:
            found = process.extract(word, self._vocabulary, scorer=fuzz.ratio, score_cutoff=TYPO_SCORE_CUTOFF, limit=8)
            # Of the closest forms, a real word before a form made from a stem ("seezure": "seizure", not
            # "seepure" from "seep*"), then the first in alphabetical order.
            best = [form for form, score, _ in found if score == found[0][1]] if found else []
            best.sort(key=lambda form: not self._is_known_word(form))
            self._corrections[word] = best[0] if best and _a_typo_of(word, best[0]) else word
        return self._corrections[word]

    def tokens(self, message: str) -> TokenList:
        """Tokens of ``message`` with sentence and clause numbers; punctuation itself is dropped. A new
        list at every call (tokens of a message seen lately are not worked out again)."""
        return TokenList(self._remembered(message))

    def _tokens(self, message: str) -> tuple[Token, ...]:
        text = normalize(message).replace("w/", "with ")
        # "38.5c", "101f": split a unit letter from its number so both are tokens.
        text = re.sub(r"(\d)(c|f)\b", r"\1 \2", text)
        raw_words: list[str] = []
        for raw in _TOKEN.findall(text):
            raw_words.extend(self._shorthand.get(raw, (raw,)))
        raw_words = _does_for_dose(raw_words)
        tokens: list[Token] = []
        questions: set[int] = set()
        sentence = phrase = 0
        for raw in raw_words:
            if raw == "?":
                questions.add(sentence)
            if raw in _SENTENCE_END:
                sentence += 1
                phrase += 1
                continue
            if raw == ",":
                phrase += 1
                continue
            tokens.append(Token(self._correct(raw), sentence, sentence, phrase))
        tokens = [Token(t.text, t.sentence, t.clause, t.phrase, t.sentence in questions) for t in tokens]
        return tuple(self._split_clauses(tokens))

    def _split_clauses(self, tokens: list[Token]) -> TokenList:
        """A clause-break word ("but", "although") starts a new clause."""
        tokens = TokenList(tokens)
        breaks = {start for term in self._clause_breaks for start, _ in term.find(tokens)}
        result = []
        shift = 0
        for index, token in enumerate(tokens):
            if index in breaks:
                shift += 1
            result.append(
                Token(
                    token.text, token.sentence, token.clause * 1000 + shift, token.phrase * 1000 + shift, token.question
                )
            )
        return TokenList(result)
