"""``python -m actions.server``: everything the first answer needs is built before the port opens."""

from __future__ import annotations

from typing import Any

import pytest

from actions import conversation, scope, server, services
from actions.safety import concepts

BUILT_ON_FIRST_USE = [
    services.section_search,
    services.passage_search,
    services.gaps,
    services.term_matcher,
    scope.default_guard,
    conversation.cues,
    concepts.default_catalogue,
]


def test_indexes_are_built_before_the_server_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    for cached in BUILT_ON_FIRST_USE:
        cached.cache_clear()
    seen: dict[str, Any] = {}

    def serve(args: Any) -> None:  # stands in for rasa_sdk opening its port
        seen["args"] = args
        seen["built"] = [cached.cache_info().currsize for cached in BUILT_ON_FIRST_USE]

    monkeypatch.setattr(server, "main_from_args", serve)
    server.main(["--actions", "actions", "--port", "5999"])

    assert seen["built"] == [1] * len(BUILT_ON_FIRST_USE)
    assert (seen["args"].actions, seen["args"].port) == ("actions", 5999)


def test_rasa_sdk_options_are_checked_before_any_work() -> None:
    with pytest.raises(SystemExit):
        server.main(["--port", "not-a-port"])
