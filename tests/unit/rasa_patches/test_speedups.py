"""The hot-path replacements give the same answers and errors as Rasa's own functions."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.engine.exceptions import GraphComponentException, GraphRunError
from rasa.engine.graph import ExecutionContext, GraphComponent, GraphSchema, SchemaNode
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.shared.core import events
from rasa.shared.core.events import ActionExecuted, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.utils.common import all_subclasses

from rasa_patches import action_response, event_types, graph_runner

ROOT = Path(__file__).resolve().parents[3]


def test_every_event_type_resolves_to_the_class_rasa_finds() -> None:
    names = {cls.type_name for cls in all_subclasses(Event)}
    assert len(names) > 20
    for name in sorted(names):
        assert event_types.resolve_by_type(name) is event_types.original()(name)
        assert event_types.resolve_by_type(name) is event_types.original()(name)  # second time: remembered


def test_unknown_type_names_behave_as_in_rasa() -> None:
    with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
        event_types.resolve_by_type("no_such_event")
    assert event_types.resolve_by_type("no_such_event", SlotSet) is SlotSet
    assert event_types.resolve_by_type("topic") is None
    with pytest.raises(ValueError):  # a default given once is not remembered for the name
        event_types.resolve_by_type("no_such_event")


def test_events_round_trip_with_the_replacement_installed() -> None:
    event_types.install()
    assert Event.resolve_by_type is event_types.resolve_by_type
    stored = [
        SessionStarted(timestamp=1.0),
        ActionExecuted("action_listen", timestamp=2.0),
        UserUttered("what is ALL?", {"name": "ask_what_is_all", "confidence": 0.9}, timestamp=3.0),
        SlotSet("section", "general-information", timestamp=4.0),
    ]
    assert events.deserialise_events([e.as_dict() for e in stored]) == stored


VALID_RESPONSE = {
    "events": [{"event": "slot", "name": "section", "value": "symptoms", "timestamp": None}],
    "responses": [{"text": "Signs of ALL include fever.", "custom": {"answer_type": "answer"}}],
}
INVALID_RESPONSES = [
    {"events": {"event": "slot"}},  # not a list
    {"events": [{"name": "section"}]},  # an event without its type
    {"events": [], "responses": ["plain text"]},  # a response that is not an object
    {"events": [{"event": "no_such_event"}]},
]


def test_a_valid_action_response_is_accepted() -> None:
    action = RemoteAction("action_answer_topic", None)
    assert action_response.validate_action_result(action, VALID_RESPONSE) is True
    assert action_response.original()(action, VALID_RESPONSE) is True


@pytest.mark.parametrize("response", INVALID_RESPONSES)
def test_an_invalid_action_response_raises_the_same_error_as_rasa(response: dict) -> None:
    action = RemoteAction("action_answer_topic", None)
    with pytest.raises(ValidationError) as ours:
        action_response.validate_action_result(action, response)
    with pytest.raises(ValidationError) as rasas:
        action_response.original()(action, response)
    assert ours.value.message == rasas.value.message
    assert "Failed to validate Action server response" in ours.value.message
    assert list(ours.value.path) == list(rasas.value.path)


# Responses as our actions send them (several event types), and near misses that only the oneOf branch of
# their own type, or the oneOf itself, rejects.
TYPICAL_RESPONSES = [
    {
        "events": [
            {"event": "slot", "name": "last_section", "value": "symptoms", "timestamp": None},
            {"event": "slot", "name": "shown_blocks", "value": [0, 2], "timestamp": None},
            {"event": "active_loop", "name": None, "timestamp": None},
            {"event": "followup", "name": "action_listen", "timestamp": None},
            {"event": "reset_slots", "timestamp": 2.5},
        ],
        "responses": [{"text": "Fever is one sign.", "buttons": [{"title": "More", "payload": "/more"}]}],
    },
    {"events": [], "responses": []},
    {},
]
NEAR_MISSES = [
    {"events": [{"event": "slot", "name": "last_section"}]},  # its branch requires a value
    {"events": [{"event": "entities", "entities": [{"entity": "drug"}]}]},  # an entity without value
    {"events": [{"event": "slot", "name": 3, "value": 1}]},  # a name that is not a string
    {"events": [{"event": ["slot"], "name": "x", "value": 1}]},  # a type that is not a string
    {"events": [{"event": "slot", "name": "x", "value": 1, "timestamp": "now"}]},  # common part fails
    {"events": ["slot"]},
    {"events": [{"event": "action", "name": "x"}], "responses": [1]},
]


@pytest.mark.parametrize("response", TYPICAL_RESPONSES)
def test_typical_responses_are_recognised_without_the_full_validator(response: dict) -> None:
    assert action_response.surely_valid(response) is True
    assert action_response.validate_action_result(RemoteAction("action_answer_topic", None), response) is True
    assert action_response.original()(RemoteAction("action_answer_topic", None), response) is True


@pytest.mark.parametrize("response", NEAR_MISSES)
def test_near_misses_get_rasas_error(response: dict) -> None:
    assert action_response.surely_valid(response) is False
    action = RemoteAction("action_answer_topic", None)
    with pytest.raises(ValidationError) as ours:
        action_response.validate_action_result(action, response)
    with pytest.raises(ValidationError) as rasas:
        action_response.original()(action, response)
    assert ours.value.message == rasas.value.message


def test_action_server_calls_reuse_one_connection() -> None:
    import asyncio

    from aiohttp import web
    from rasa.utils.endpoints import EndpointConfig

    from rasa_patches import endpoint_sessions

    async def scenario() -> tuple[int, int, bool]:
        peers: set[tuple[str, int]] = set()

        async def webhook(request: web.Request) -> web.Response:
            peers.add(request.transport.get_extra_info("peername"))
            return web.json_response({"events": [], "responses": []})

        app = web.Application()
        app.router.add_post("/webhook", webhook)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        endpoint = EndpointConfig(url=f"http://127.0.0.1:{port}/webhook")
        try:
            for _ in range(3):  # Rasa's own session: a new connection per call
                async with (
                    endpoint_sessions.original()(endpoint) as session,
                    session.post(endpoint.url, json={}) as reply,
                ):
                    await reply.json()
            counted_original = len(peers)
            peers.clear()
            endpoint_sessions.install()
            replies = [await endpoint.request(json={"next_action": "x"}) for _ in range(5)]
            shared = endpoint.session()
            async with shared as borrowed:
                still_open = not borrowed.closed
            await borrowed.close()
            assert replies == [{"events": [], "responses": []}] * 5
            return counted_original, len(peers), still_open
        finally:
            await runner.cleanup()

    counted_original, counted_shared, still_open = asyncio.run(scenario())
    assert counted_original == 3
    assert counted_shared == 1
    assert still_open


class Arithmetic(GraphComponent):
    """A graph component for the runner tests: records the order it was called in."""

    calls: ClassVar[list[str]] = []

    def __init__(self, name: str) -> None:
        self.name = name

    @classmethod
    def create(cls, config: dict, model_storage: Any, resource: Any, execution_context: ExecutionContext) -> Arithmetic:
        return cls(execution_context.node_name or "")

    def add(self, **numbers: Any) -> int:
        Arithmetic.calls.append(self.name)
        if any(n == "boom" for n in numbers.values()):
            raise RuntimeError("boom")
        return sum(n for n in numbers.values() if isinstance(n, int))


def diamond_runner(tmp_path: Path) -> DaskGraphRunner:
    def node(**needs: str) -> SchemaNode:
        return SchemaNode(needs=needs, uses=Arithmetic, constructor_name="create", fn="add", config={})

    schema = GraphSchema(
        {
            "left": node(x="__number__"),
            "right": node(x="__number__", y="left"),
            "sum": node(a="left", b="right", c="__number__"),
            "unused": node(x="__other__"),
        }
    )
    return DaskGraphRunner.create(schema, LocalModelStorage(tmp_path), ExecutionContext(schema, "test"))


@pytest.mark.parametrize(
    "inputs, targets",
    [
        ({"__number__": 2}, ["sum"]),
        ({"__number__": 5}, ["left", "right"]),
        ({"__number__": 1, "__other__": 10}, ["sum", "unused"]),
        ({"__number__": 1}, None),  # the schema's targets: none here
        ({"__number__": 3}, ["right", "__number__"]),  # an input as a target
    ],
)
def test_the_graph_runner_returns_what_dask_returns(tmp_path: Path, inputs: dict, targets: list[str] | None) -> None:
    runner = diamond_runner(tmp_path)
    Arithmetic.calls = []
    theirs = graph_runner.original()(runner, inputs, targets)
    dask_calls, Arithmetic.calls = sorted(Arithmetic.calls), []
    ours = graph_runner.run(runner, inputs, targets)
    assert ours == theirs
    assert sorted(Arithmetic.calls) == dask_calls  # the same nodes, each once
    if "right" in Arithmetic.calls:
        assert Arithmetic.calls.index("left") < Arithmetic.calls.index("right")


def test_the_graph_runner_raises_what_dask_raises(tmp_path: Path) -> None:
    runner = diamond_runner(tmp_path)
    for run in (graph_runner.original(), graph_runner.run):
        with pytest.raises(GraphComponentException, match="node left"):
            run(runner, {"__number__": "boom"}, ["sum"])
        with pytest.raises(GraphRunError, match="clashes with a node name"):
            run(runner, {"__number__": "left"}, ["sum"])
