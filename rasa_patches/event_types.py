"""``Event.resolve_by_type`` with the type name → event class answer remembered.

Rasa 3.6 looks the class up by walking every subclass of ``Event`` (recursively, with
``inspect.isabstract`` on each) for every event it deserialises; a conversation's stored events are all
deserialised at every message, so the walk dominated the tracker store's time (docs/benchmarks.md).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rasa.shared.core.events import Event

from rasa_patches.versions import written_for

_original: Callable[[str, type[Event] | None], type[Event] | None] = Event.resolve_by_type  # Rasa's own
_classes: dict[str, type[Event]] = {}


def resolve_by_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    """Same answer as Rasa's ``Event.resolve_by_type``; only found classes are remembered.

    Misses (unknown names, ``default``) go to the original every time, so an event class imported later
    is still found, and a ``ValueError`` for an unknown name is raised as before.
    """
    found = _classes.get(type_name)
    if found is not None:
        return found
    resolved = _original(type_name, default)
    if resolved is not None and getattr(resolved, "type_name", None) == type_name and resolved is not default:
        _classes[type_name] = resolved
    return resolved


def install() -> bool:
    """Replace ``Event.resolve_by_type`` on Rasa 3.6 (idempotent); whether it is replaced."""
    if not written_for("rasa", "3.6.", "speedup event_types"):
        return False
    if not active():
        Event.resolve_by_type = staticmethod(resolve_by_type)
    return True


def active() -> bool:
    """Whether ``Event.resolve_by_type`` is this module's."""
    return Event.resolve_by_type is resolve_by_type


def original() -> Any:
    """Rasa's own function (for the tests that compare both)."""
    return _original
