"""The one "is this text verbatim from the PDQ source" rule, shared by the builder, the loader and the tests.

The flattened page text has lost its paragraph breaks and puts stray spaces around link texts, so two texts
are compared after deleting ALL whitespace from both: ``text`` is verbatim in ``container`` when its
squashed form is a substring of the container's squashed form. No other difference (case, punctuation,
typographic quotes) is forgiven. Pure functions, no imports beyond the standard library: the action server
uses this module too.
"""

from __future__ import annotations

from collections.abc import Iterable


def squash(text: str) -> str:
    """``text`` with every whitespace character deleted."""
    return "".join(text.split())


def is_verbatim(text: str, container: str) -> bool:
    """Whether ``text`` appears in ``container`` word for word, ignoring only whitespace."""
    return squash(text) in squash(container)


class VerbatimSource:
    """One source text, squashed once, asked about many texts (the builder checks hundreds)."""

    def __init__(self, source: str) -> None:
        self._squashed = squash(source)

    def contains(self, text: str) -> bool:
        """Whether ``text`` is verbatim in the source, ignoring only whitespace."""
        return squash(text) in self._squashed


def is_verbatim_in_any(text: str, containers: Iterable[str]) -> bool:
    """Whether ``text`` appears verbatim (ignoring whitespace) inside one of ``containers``."""
    squashed = squash(text)
    return any(squashed in squash(container) for container in containers)
