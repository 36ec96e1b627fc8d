"""Read the PDQ page (its flattened text, or its HTML as saved from a browser) and normalise it.

The flattened text has lost its paragraph breaks and puts stray spaces around link texts ("bone marrow .").
:func:`normalise` undoes those artifacts without changing a word; :func:`page_text` turns saved HTML into
the same flattened text (the visible text, every tag boundary a space) with the standard library's
``html.parser``.
"""

from __future__ import annotations

import datetime as dt
import re
import urllib.parse
from html.parser import HTMLParser
from pathlib import Path

from knowledge_builder.errors import KnowledgeBuildError

_UPDATED = re.compile(r"Updated: ([A-Z][a-z]+ \d{1,2}, \d{4})")


def normalise(text: str) -> str:
    """Collapse whitespace and remove the spaces the flattening put before punctuation / after "("."""
    s = re.sub(r"\s+", " ", text)
    s = re.sub(r" +([.,;:)?])", r"\1", s)  # "marrow ." -> "marrow."  "nodes )" -> "nodes)"
    s = re.sub(r"\( +", "(", s)  # "( TP53" -> "(TP53"
    return s.replace("chromosome –positive", "chromosome–positive")  # link text + "–positive"


class _VisibleText(HTMLParser):
    """Collects the text a browser shows: no scripts, styles or head; every tag boundary becomes a space."""

    _HIDDEN = frozenset({"script", "style", "head", "noscript", "template", "svg"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._HIDDEN:
            self._hidden_depth += 1
        self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN and self._hidden_depth:
            self._hidden_depth -= 1
        self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._hidden_depth:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """The visible text of an HTML page, flattened to one line the way the committed source was."""
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.parts).split())


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:500].lower()
    return head.startswith(("<!doctype html", "<html")) or "<body" in head


def page_text(path: Path) -> str:
    """The flattened page text in ``path`` (a .txt as committed, or the page's HTML)."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KnowledgeBuildError(f"source {path}: file not found") from None
    return html_to_text(raw) if looks_like_html(raw) else raw


def body(normalised: str, start: str, end: str) -> str:
    """The summary body: from ``start`` to the end of ``end`` (both from knowledge/curated/source.yml)."""
    first = normalised.find(start)
    if first < 0:
        raise KnowledgeBuildError(f"curated/source.yml: body_start {start!r} is not in the source")
    last = normalised.find(end, first)
    if last < 0:
        raise KnowledgeBuildError(f"curated/source.yml: body_end {end!r} is not in the source after body_start")
    return normalised[first : last + len(end)]


def updated(normalised: str) -> dt.date:
    """The page's "Updated: February 12, 2025" date."""
    found = _UPDATED.search(normalised)
    if found is None:
        raise KnowledgeBuildError("source: no 'Updated: <Month> <day>, <year>' line")
    return dt.datetime.strptime(found.group(1), "%B %d, %Y").date()


def heading_url(page_url: str, heading: str) -> str:
    """The page URL with a text fragment that scrolls to ``heading``."""
    encoded = urllib.parse.quote(heading, safe="").replace("-", "%2D")  # "-" is text-fragment syntax
    return f"{page_url}#:~:text={encoded}"
