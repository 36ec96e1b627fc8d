"""``RemoteAction._validate_action_result`` with the JSON-schema validator built once.

Rasa 3.6 calls ``jsonschema.validate(result, schema)`` after every action call; that checks the constant
schema against the JSON-schema meta-schema and builds a new validator each time, which cost more than
the validation itself (docs/benchmarks.md, Profile). The replacement validates with the same validator
class and raises the same error (``jsonschema.exceptions.best_match``) with Rasa's message appended.

A valid response is recognised without the schema's ``oneOf`` over the 23 event types, which tried every
type on every event and built an error object for each that did not fit (about 1 ms of CPU per action
call): each event is checked against the common event schema and the one branch its ``"event"`` names.
The branches name distinct types and every event must have one, so an event that passes its own branch
fails all the others and the ``oneOf`` holds. Anything that does not pass this way goes through the full
validator, which decides and gives Rasa's error.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jsonschema import exceptions, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

from rasa_patches.versions import written_for

_original = RemoteAction._validate_action_result


@cache
def _validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


@cache
def _shortcut() -> tuple[Any, Any, dict[str, Any]] | None:
    """Validators for the response without its events' schema, for an event without the ``oneOf``, and per
    event type for its ``oneOf`` branch; None when the schema is not one these can stand for (each branch
    naming one distinct type with ``const``)."""
    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    items = schema["properties"]["events"]["items"]
    branches: dict[str, Any] = {}
    for branch in items.get("oneOf", ()):
        event_type = branch.get("properties", {}).get("event", {}).get("const")
        if not isinstance(event_type, str) or event_type in branches:
            return None
        branches[event_type] = validator_class(branch)
    if not branches or "event" not in items.get("required", ()):
        return None
    response = {**schema, "properties": {**schema["properties"], "events": {**schema["properties"]["events"]}}}
    del response["properties"]["events"]["items"]
    event = {key: value for key, value in items.items() if key != "oneOf"}
    return validator_class(response), validator_class(event), branches


def surely_valid(result: Any) -> bool:
    """Whether ``result`` passes the schema by :func:`_shortcut`'s checks (False: not shown, not disproved)."""
    shortcut = _shortcut()
    if shortcut is None:
        return False
    response, event, branches = shortcut
    if not response.is_valid(result):
        return False
    for item in result.get("events") or ():
        event_type = item.get("event") if isinstance(item, dict) else None
        branch = branches.get(event_type) if isinstance(event_type, str) else None
        if branch is None or not event.is_valid(item) or not branch.is_valid(item):
            return False
    return True


def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    """True when ``result`` matches Rasa's action-server response schema, else the ``ValidationError``."""
    if surely_valid(result):
        return True
    error = exceptions.best_match(_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, "
        "make sure your response from the Action endpoint is valid. "
        "For more information about the format visit "
        f"{DOCS_BASE_URL}/custom-actions"
    )
    raise error


def install() -> bool:
    """Replace ``RemoteAction._validate_action_result`` on Rasa 3.6 (idempotent); whether it is replaced."""
    if not written_for("rasa", "3.6.", "speedup action_response"):
        return False
    if not active():
        RemoteAction._validate_action_result = validate_action_result
    return True


def active() -> bool:
    """Whether ``RemoteAction._validate_action_result`` is this module's."""
    return RemoteAction._validate_action_result is validate_action_result


def original() -> Any:
    """Rasa's own method (for the tests that compare both)."""
    return _original
