"""``RemoteAction._validate_action_result`` with the JSON-schema validator built once.

Rasa 3.6 calls ``jsonschema.validate(result, schema)`` after every action call; that checks the constant
schema against the JSON-schema meta-schema and builds a new validator each time, which cost more than
the validation itself (docs/benchmarks.md, Profile). The replacement validates with the same validator
class and raises the same error (``jsonschema.exceptions.best_match``) with Rasa's message appended.
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


def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    """True when ``result`` matches Rasa's action-server response schema, else the ``ValidationError``."""
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
