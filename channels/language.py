"""The parent's language: what a message in another language than English gets (``knowledge/languages.yml``).

:func:`language_reply` is the one decision every channel uses (through :func:`channels.input_guard.check_message`;
a new channel that does not use the guard calls it itself): ``None`` when the message goes on to the assistant
as English, else the :class:`LanguageReply` to send instead, in this order:

1. an emergency phrase of a language row (``urgent.signs``) in a message that the detector does not take for
   English (however short: "convulsiones"): that language's urgent reply (``answer_type`` ``urgent``,
   ``urgent_category``, ``contacts``);
2. a message detected as another language (lingua-language-detector, restricted to ``detection.languages``,
   high-accuracy mode): the fixed reply of that language's row, with a button that sends the question on as
   English (:func:`english_request`), or the ``fallback`` (English) reply for a language without a row (no
   button: the English answer to a question the English model cannot read would be a wrong one);
   ``answer_type`` ``out_of_scope``, ``language`` (the row's name) and the row's ``contacts``;
3. anything else, and anything too short to tell (fewer than ``detection.min_words`` words in Latin
   script): ``None``.

Nothing is machine-translated: the replies are the file's, written by people. The channels still run the
English safety check (:mod:`channels.safety_net`) on the message before sending a language reply, so an
emergency described partly in English gets the English urgent reply first.

The "Show the English answer" button carries the question itself: ``/answer_in_english{"question": "..."}``
(the question as the guard cleaned and redacted it), so nothing is kept on the server and it works on every
channel after a restart. :func:`english_request` reads it back; a typed one is no different from typing the
question, except that the language check is skipped.

The detector and the table are built on first use (:func:`warm_up` at channel start, so no family waits for
the models to load: about 3 s and 150 MB); importing this module does no work.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from actions import reply_contract as contract
from actions.knowledge_base import KNOWLEDGE_DIR

if TYPE_CHECKING:
    from lingua import LanguageDetector

LANGUAGES_FILE = KNOWLEDGE_DIR / "languages.yml"
URGENT_CATEGORIES_FILE = KNOWLEDGE_DIR / "safety" / "concepts.yml"
ENGLISH = "english"
ENGLISH_REQUEST_INTENT = "answer_in_english"
ENGLISH_REQUEST_KEY = "question"

_FILE_KEYS = {"detection", "fallback", "languages"}
_DETECTION_KEYS = {"languages", "min_words", "max_english_confidence"}
_FALLBACK_KEYS = {"reply"}
_ROW_KEYS = {"reply", "show_english", "contacts", "urgent", "question_words"}
_URGENT_KEYS = {"reply", "contacts", "signs"}
_SIGN_KEYS = {"terms", "reply", "contacts"}
_CONTACT_KEYS = {"label", "tel"}
_WORD = re.compile(r"[^\W_]+")
_LETTERS = re.compile(r"[^\W\d_]+")
_ENGLISH_REQUEST = re.compile(r"/" + ENGLISH_REQUEST_INTENT + r"(\{.*\})", re.DOTALL)


class LanguagesError(ValueError):
    """``languages.yml`` is malformed; the message names the field."""


@dataclass(frozen=True)
class LanguageReply:
    """A fixed reply: its text, quick-reply buttons and the payload that ends it."""

    text: str
    payload: dict[str, Any]
    buttons: tuple[dict[str, str], ...] = ()


@dataclass(frozen=True)
class UrgentSign:
    category: str
    terms: tuple[tuple[str, ...], ...]  # each term as its normalised words; a word ending in * is a prefix
    reply: str
    contacts: tuple[dict[str, str], ...]


@dataclass(frozen=True)
class LanguageRow:
    name: str
    reply: str
    show_english: str | None = None  # None: no "Show the English answer" button (the fallback)
    contacts: tuple[dict[str, str], ...] = ()
    urgent: tuple[UrgentSign, ...] = ()
    # (phrase as normalised words, its English words), longest phrase first
    question_words: tuple[tuple[tuple[str, ...], str], ...] = ()


@dataclass(frozen=True)
class LanguageTable:
    detect: tuple[str, ...]
    min_words: int
    max_english_confidence: float
    fallback: LanguageRow
    rows: Mapping[str, LanguageRow] = field(default_factory=dict)


def normalise(text: str) -> tuple[str, ...]:
    """Lower-case words with accents removed: "Convulsiones, ¡está MORADO!" -> ("convulsiones", "esta", "morado")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return tuple(_WORD.findall(plain))


def term_words(term: str) -> tuple[str, ...]:
    """A phrase of the file as normalised words; a word written with a final ``*`` keeps it (a prefix)."""
    words: list[str] = []
    for word in term.split():
        star = word.endswith("*")
        words += [*normalise(word[:-1] if star else word)]
        if star and words:
            words[-1] += "*"
    return tuple(words)


def _mapping(raw: Any, allowed: set[str], required: set[str], where: str) -> Mapping[str, Any]:
    if not isinstance(raw, Mapping):
        raise LanguagesError(f"{where}: expected a mapping with {sorted(allowed)}, got {raw!r}")
    unknown, missing = set(raw) - allowed, required - set(raw)
    if unknown or missing:
        raise LanguagesError(
            f"{where}: unknown field(s) {sorted(unknown)}, missing field(s) {sorted(missing)}; "
            f"the fields are {sorted(allowed)}"
        )
    return raw


def _text(raw: Mapping[str, Any], key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise LanguagesError(f"{where}.{key}: must be a non-empty string")
    return value.strip()


def _contacts(raw: Any, where: str) -> tuple[dict[str, str], ...]:
    if not isinstance(raw, list) or not raw:
        raise LanguagesError(f"{where}: must be a non-empty list of {{label, tel}}")
    result = []
    for index, item in enumerate(raw):
        spec = _mapping(item, _CONTACT_KEYS, _CONTACT_KEYS, f"{where}[{index}]")
        tel = _text(spec, "tel", f"{where}[{index}]")
        if not tel.lstrip("+").isdigit():
            raise LanguagesError(f"{where}[{index}].tel: digits only (and a leading +), got {tel!r}")
        result.append({"label": _text(spec, "label", f"{where}[{index}]"), "tel": tel})
    return tuple(result)


def _urgent(raw: Any, categories: frozenset[str], where: str) -> tuple[UrgentSign, ...]:
    spec = _mapping(raw, _URGENT_KEYS, _URGENT_KEYS, where)
    reply = _text(spec, "reply", where)
    contacts = _contacts(spec["contacts"], f"{where}.contacts")
    signs = spec["signs"]
    if not isinstance(signs, Mapping) or not signs:
        raise LanguagesError(f"{where}.signs: must map urgent categories to their phrases")
    result = []
    for category, entry in signs.items():
        here = f"{where}.signs.{category}"
        if category not in categories:
            known = sorted(categories)
            raise LanguagesError(f"{here}: not an urgent category of {URGENT_CATEGORIES_FILE.name}: {known}")
        sign = _mapping(entry, _SIGN_KEYS, {"terms"}, here)
        terms = sign["terms"]
        if not isinstance(terms, list) or not terms or not all(isinstance(t, str) and normalise(t) for t in terms):
            raise LanguagesError(f"{here}.terms: must be a non-empty list of phrases")
        result.append(
            UrgentSign(
                category=str(category),
                terms=tuple(term_words(t) for t in terms),
                reply=_text(sign, "reply", here) if "reply" in sign else reply,
                contacts=_contacts(sign["contacts"], f"{here}.contacts") if "contacts" in sign else contacts,
            )
        )
    return tuple(result)


def _question_words(raw: Any, where: str) -> tuple[tuple[tuple[str, ...], str], ...]:
    if not isinstance(raw, Mapping) or not raw:
        raise LanguagesError(f"{where}: must map English words to lists of phrases of this language")
    pairs = []
    for english, phrases in raw.items():
        if not isinstance(english, str) or not english.strip():
            raise LanguagesError(f"{where}: {english!r} is not English words")
        listed = isinstance(phrases, list) and phrases and all(isinstance(p, str) and normalise(p) for p in phrases)
        if not listed:
            raise LanguagesError(f"{where}.{english}: must be a non-empty list of phrases")
        pairs += [(term_words(phrase), english.strip()) for phrase in phrases]
    return tuple(sorted(pairs, key=lambda pair: -len(pair[0])))


def _urgent_categories() -> frozenset[str]:
    raw = yaml.safe_load(URGENT_CATEGORIES_FILE.read_text(encoding="utf-8"))
    return frozenset(raw["categories"])


def load_table(path: Path = LANGUAGES_FILE, known_languages: frozenset[str] | None = None) -> LanguageTable:
    """The table in ``path``; :class:`LanguagesError` naming the field when anything in it is wrong.
    ``known_languages``: the detector's language names (lingua's, lower case; read from lingua by default)."""
    name = path.name
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise LanguagesError(f"{name}: {exc}") from None
    if known_languages is None:
        from lingua import Language

        known_languages = frozenset(language.name.lower() for language in Language.all())
    categories = _urgent_categories()
    spec = _mapping(raw, _FILE_KEYS, _FILE_KEYS, name)
    detection = _mapping(spec["detection"], _DETECTION_KEYS, _DETECTION_KEYS, f"{name}: detection")
    detect = detection["languages"]
    if not isinstance(detect, list) or ENGLISH not in detect or not set(detect) <= known_languages:
        raise LanguagesError(
            f"{name}: detection.languages must list english and other languages the detector knows; "
            f"unknown: {sorted(set(detect) - known_languages) if isinstance(detect, list) else detect!r}"
        )
    min_words, max_english = detection["min_words"], detection["max_english_confidence"]
    if not isinstance(min_words, int) or isinstance(min_words, bool) or min_words < 1:
        raise LanguagesError(f"{name}: detection.min_words must be a whole number of at least 1")
    if not isinstance(max_english, int | float) or isinstance(max_english, bool) or not 0 <= max_english < 1:
        raise LanguagesError(f"{name}: detection.max_english_confidence must be a number from 0 to below 1")
    fallback = _mapping(spec["fallback"], _FALLBACK_KEYS, _FALLBACK_KEYS, f"{name}: fallback")
    rows_raw = spec["languages"]
    if not isinstance(rows_raw, Mapping):
        raise LanguagesError(f"{name}: languages must map language names to their rows")
    rows = {}
    for language, entry in rows_raw.items():
        where = f"{name}: languages.{language}"
        if language not in detect or language == ENGLISH:
            raise LanguagesError(f"{where}: must be one of detection.languages other than english")
        row = _mapping(entry, _ROW_KEYS, {"reply", "show_english"}, where)
        rows[str(language)] = LanguageRow(
            name=str(language),
            reply=_text(row, "reply", where),
            show_english=_text(row, "show_english", where),
            contacts=_contacts(row["contacts"], f"{where}.contacts") if "contacts" in row else (),
            urgent=_urgent(row["urgent"], categories, f"{where}.urgent") if "urgent" in row else (),
            question_words=_question_words(row["question_words"], f"{where}.question_words")
            if "question_words" in row
            else (),
        )
    return LanguageTable(
        detect=tuple(str(d) for d in detect),
        min_words=min_words,
        max_english_confidence=float(max_english),
        fallback=LanguageRow("fallback", _text(fallback, "reply", f"{name}: fallback")),
        rows=rows,
    )


@lru_cache(maxsize=1)
def table() -> LanguageTable:
    """The project's table (``knowledge/languages.yml``), loaded once."""
    return load_table()


@lru_cache(maxsize=1)
def detector() -> LanguageDetector:
    """lingua's detector for the table's languages, high-accuracy mode (short messages need it)."""
    from lingua import Language, LanguageDetectorBuilder

    names = set(table().detect)
    languages = [language for language in Language.all() if language.name.lower() in names]
    return LanguageDetectorBuilder.from_languages(*languages).build()


def warm_up() -> None:
    """Load the table and the detector's models now (channel start), not on a family's first message."""
    detector().compute_language_confidence_values("warm up, por favor")


def _matches_at(words: Sequence[str], start: int, term: Sequence[str]) -> bool:
    return start + len(term) <= len(words) and all(
        words[start + i].startswith(part[:-1]) if part.endswith("*") else words[start + i] == part
        for i, part in enumerate(term)
    )


def _contains(words: Sequence[str], term: Sequence[str]) -> bool:
    return any(_matches_at(words, start, term) for start in range(len(words) - len(term) + 1))


def english_wording(question: str, rows: Mapping[str, LanguageRow] | None = None) -> str:
    """The question of a "Show the English answer" request as the English model should read it: every
    ``question_words`` phrase of a row (longest first, left to right; compared like the urgent signs) replaced
    by its English words, everything else kept as written ("¿Cuáles son los síntomas?" -> "¿what are los
    symptoms?"). A question with no such phrase comes back unchanged (English already, or a language
    without a word list)."""
    pairs = [pair for row in (table().rows if rows is None else rows).values() for pair in row.question_words]
    tokens = [(match.start(), match.end(), "".join(normalise(match.group()))) for match in _WORD.finditer(question)]
    words = [word for _, _, word in tokens]
    pieces: list[str] = []
    done = 0  # the end of the text already copied
    index = 0
    while index < len(words):
        found = next(((term, english) for term, english in pairs if _matches_at(words, index, term)), None)
        if found is None:
            index += 1
            continue
        term, english = found
        pieces += [question[done : tokens[index][0]], english]
        done = tokens[index + len(term) - 1][1]
        index += len(term)
    return "".join([*pieces, question[done:]])


def urgent_sign(text: str, rows: Mapping[str, LanguageRow]) -> tuple[LanguageRow, UrgentSign] | None:
    """The first row and sign whose phrase the message contains."""
    words = normalise(text)
    for row in rows.values():
        for sign in row.urgent:
            if any(_contains(words, term) for term in sign.terms):
                return row, sign
    return None


def english_confidence(text: str) -> float:
    """The detector's confidence (0-1) that ``text`` is English."""
    for value in detector().compute_language_confidence_values(text):
        if value.language.name.lower() == ENGLISH:
            return float(value.value)
    return 0.0


def looks_english(text: str) -> bool:
    """Whether the detector takes ``text`` for English, however short (the emergency phrases of the other
    languages are looked for only in a message that does not: "convulsion" and "suicide" are English too)."""
    return english_confidence(text) > table().max_english_confidence


# English function words that are not words of the other languages the detector knows ("was", "will",
# "die", "in" are German or Spanish words too): a message with three of them is English, however many of
# its other words are misspelt the way another language spells them ("indukzion", "infektions").
ENGLISH_FUNCTION_WORDS = frozenset(
    "the is are of that just what how my it with this does and can his her should have has from about".split()
)
_ENGLISH_FUNCTION_WORDS_NEEDED = 3


def detect_language(text: str) -> str | None:
    """The language the message is in when it is clearly not English (a name of ``detection.languages``, or
    ``"unknown"`` for a script none of them uses), else None (English, or too short to tell)."""
    settings = table()
    letters = [char for char in text if char.isalpha()]
    if not letters:
        return None
    latin = sum(1 for char in letters if unicodedata.name(char, "").startswith("LATIN"))
    if latin * 2 >= len(letters) and len(_LETTERS.findall(text)) < settings.min_words:
        return None
    words = {word.lower() for word in _LETTERS.findall(text)}
    if len(words & ENGLISH_FUNCTION_WORDS) >= _ENGLISH_FUNCTION_WORDS_NEEDED:
        return None
    values = detector().compute_language_confidence_values(text)
    confidence = {value.language.name.lower(): value.value for value in values}
    if confidence.get(ENGLISH, 0.0) > settings.max_english_confidence:
        return None
    best = values[0] if values and values[0].value > 0 else None
    return best.language.name.lower() if best is not None else "unknown"


def english_button(title: str, question: str) -> dict[str, str]:
    """The "Show the English answer" button: its payload carries the question."""
    body = json.dumps({ENGLISH_REQUEST_KEY: question}, ensure_ascii=False)
    return {"title": title, "payload": f"/{ENGLISH_REQUEST_INTENT}{body}"}


def english_request(text: str) -> str | None:
    """The question of a "Show the English answer" payload (``/answer_in_english{"question": "..."}``), else None."""
    match = _ENGLISH_REQUEST.fullmatch(text)
    if match is None:
        return None
    try:
        body = json.loads(match.group(1))
    except ValueError:
        return None
    if not isinstance(body, dict) or list(body) != [ENGLISH_REQUEST_KEY]:
        return None
    question = body[ENGLISH_REQUEST_KEY]
    return question if isinstance(question, str) else None


def language_reply(text: str, question: str | None = None) -> LanguageReply | None:
    """What to send instead of an answer (see the module docstring); ``text`` is the cleaned message and
    ``question`` what the English button should carry (default: ``text``)."""
    settings = table()
    found = urgent_sign(text, settings.rows)  # phrase matching first: the detector runs only when one is found
    if found is not None and not looks_english(text):
        row, sign = found
        payload = {
            contract.ANSWER_TYPE: contract.URGENT,
            contract.URGENT_CATEGORY: sign.category,
            contract.CITATIONS: [],
            contract.CONTACTS: [dict(c) for c in sign.contacts],
            contract.LANGUAGE: row.name,
        }
        return LanguageReply(sign.reply, payload)
    language = detect_language(text)
    if language is None:
        return None
    row = settings.rows.get(language, settings.fallback)
    payload = contract.payload(contract.OUT_OF_SCOPE)
    if row.contacts:
        payload[contract.CONTACTS] = [dict(c) for c in row.contacts]
    payload[contract.LANGUAGE] = row.name if row is not settings.fallback else ENGLISH
    if row.show_english is None:
        return LanguageReply(row.reply, payload)
    return LanguageReply(row.reply, payload, (english_button(row.show_english, question or text),))
