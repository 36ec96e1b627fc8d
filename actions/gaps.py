"""What the PDQ summary does not answer (``knowledge/gaps.yml``), so the bot can say so honestly.

:meth:`GapCatalogue.find` returns the :class:`Gap` a question is about, or None. A gap knows the one
sentence saying what the summary does not cover, who can answer instead, an optional link, the
sections whose passages may offer "What the summary does say" and the words that find that passage.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from actions.knowledge_base import KNOWLEDGE_DIR
from actions.safety.concepts import SafetyDataError, Sign, SignCatalogue, check_keys, parse_sign
from actions.safety.detector import known_word_test
from actions.safety.terms import Tokenizer

GAPS_FILE = KNOWLEDGE_DIR / "gaps.yml"
_FILE_KEYS = {"window", "gaps"}
_GAP_KEYS = {"signs", "unless", "says", "who", "link", "nearest", "offer"}


class GapsError(ValueError):
    """``gaps.yml`` is malformed; the message names the entry."""


@dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True)
class Gap:
    id: str
    signs: tuple[Sign, ...]
    says: str
    who: str
    link: Link | None
    nearest: tuple[str, ...]
    offer: str = ""  # search words for the passage to offer (what the summary does say on it)
    unless: tuple[Sign, ...] = ()  # a question with one of these signs asks something the summary answers


class GapCatalogue:
    def __init__(self, path: Path = GAPS_FILE, section_ids: frozenset[str] | None = None) -> None:
        name = path.name
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
            spec = check_keys(raw, _FILE_KEYS, name)
            window = spec.get("window", 8)
            gaps = spec.get("gaps")
            if not isinstance(gaps, Mapping) or not gaps:
                raise GapsError(f"{name}: 'gaps' must map gap ids to their entries")
            self.gaps = tuple(self._gap(str(k), v, window, name, section_ids) for k, v in gaps.items())
        except (OSError, yaml.YAMLError, SafetyDataError) as exc:
            raise GapsError(f"{name}: {exc}") from None
        vocabulary = [
            w
            for gap in self.gaps
            for sign in (*gap.signs, *gap.unless)
            for group in sign.groups
            for t in group
            for w in t.vocabulary()
        ]
        self._tokenizer = Tokenizer({}, vocabulary, known_word_test())

    @staticmethod
    def _gap(gap_id: str, raw: object, window: int, name: str, section_ids: frozenset[str] | None) -> Gap:
        where = f"{name}: gaps.{gap_id}"
        entry = check_keys(raw, _GAP_KEYS, where)
        for key in ("says", "who"):
            if not isinstance(entry.get(key), str) or not str(entry[key]).strip():
                raise GapsError(f"{where}: '{key}' is required")
        signs = entry.get("signs")
        if not isinstance(signs, list) or not signs:
            raise GapsError(f"{where}: 'signs' must be a non-empty list")
        link = None
        if entry.get("link") is not None:
            raw_link = check_keys(entry["link"], {"title", "url"}, f"{where}.link")
            if not str(raw_link.get("url", "")).startswith("https://") or not raw_link.get("title"):
                raise GapsError(f"{where}: link needs a title and an https:// url")
            link = Link(str(raw_link["title"]), str(raw_link["url"]))
        nearest = tuple(str(s) for s in entry.get("nearest") or ())
        unknown = [s for s in nearest if section_ids is not None and s not in section_ids]
        if unknown:
            raise GapsError(f"{where}: nearest names sections that do not exist: {unknown}")
        offer = entry.get("offer", "")
        if not isinstance(offer, str) or (offer and not nearest):
            raise GapsError(f"{where}: 'offer' is text, and needs 'nearest'")
        unless = entry.get("unless", [])
        if not isinstance(unless, list):
            raise GapsError(f"{where}: 'unless' must be a list of signs")
        return Gap(
            gap_id,
            tuple(
                parse_sign(s, window, f"{where}.signs[{i}]", default_across_sentences=True) for i, s in enumerate(signs)
            ),
            str(entry["says"]).strip(),
            str(entry["who"]).strip(),
            link,
            nearest,
            offer.strip(),
            tuple(
                parse_sign(s, window, f"{where}.unless[{i}]", default_across_sentences=True)
                for i, s in enumerate(unless)
            ),
        )

    def find(self, question: str) -> Gap | None:
        """The first gap (in file order) that ``question`` is about (one of its signs and none of its
        ``unless`` signs), or None."""
        tokens = self._tokenizer.tokens(question)
        for gap in self.gaps:
            if any(SignCatalogue.find_sign(gap.id, sign, tokens) for sign in gap.signs) and not any(
                SignCatalogue.find_sign(gap.id, sign, tokens) for sign in gap.unless
            ):
                return gap
        return None
