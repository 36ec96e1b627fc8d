"""``DaskGraphRunner.run`` without dask: the graph's nodes called in a fixed dependency order.

Rasa runs the NLU pipeline and the policies as a graph, three times per message. For every run it
rebuilds the minimal schema and a dask task graph and lets dask's scheduler order and execute it in this
thread; that bookkeeping cost more than some of the components it ran (docs/benchmarks.md). Here the
order of each target set is worked out once and the same ``GraphNode`` objects are called with the same
arguments: each node gets the ``(name, output)`` pairs of the nodes it needs, inputs are passed as
``(name, value)`` pairs, a ``RuntimeError`` becomes Rasa's ``GraphRunError`` and the result is
``{target: output}``. ``tests/integration/test_model_loading.py`` compares the trained model's answers
with and without it.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner

from rasa_patches.versions import written_for

_original_run = DaskGraphRunner.run

Plan = tuple[tuple[str, Any, tuple[str, ...]], ...]


def _plan(runner: DaskGraphRunner, targets: tuple[str, ...]) -> Plan:
    """The nodes the targets depend on, each after the nodes it needs."""
    schema = runner._graph_schema.minimal_graph_schema(list(targets))
    ordered: list[str] = []
    seen: set[str] = set()

    def visit(name: str) -> None:
        if name in seen or name not in schema.nodes:  # an input placeholder, or already placed
            return
        seen.add(name)
        for needed in schema.nodes[name].needs.values():
            visit(needed)
        ordered.append(name)

    for target in targets:
        visit(target)
    return tuple((name, runner._instantiated_nodes[name], tuple(schema.nodes[name].needs.values())) for name in ordered)


def run(
    self: DaskGraphRunner, inputs: dict[str, Any] | None = None, targets: list[str] | None = None
) -> dict[str, Any]:
    """Rasa's ``DaskGraphRunner.run``: same nodes, same arguments, same result and errors."""
    run_targets = tuple(targets if targets else self._graph_schema.target_names)
    plans: dict[tuple[str, ...], Plan] = self.__dict__.setdefault("_speedups_plans", {})
    plan = plans.get(run_targets)
    if plan is None:
        plan = plans[run_targets] = _plan(self, run_targets)
    results: dict[str, Any] = {}
    for input_name, input_value in (inputs or {}).items():
        if isinstance(input_value, str) and (input_value in results or any(n == input_value for n, _, _ in plan)):
            raise GraphRunError(
                f"Input value '{input_value}' clashes with a node name. Make sure "
                f"that none of the input names passed to the `run` method are the "
                f"same as node names in the graph schema."
            )
        results[input_name] = (input_name, input_value)
    try:
        for name, node, needs in plan:
            results[name] = node(*(results.get(needed, needed) for needed in needs))
    except RuntimeError as e:
        raise GraphRunError("Error running runner.") from e
    return dict(results[target] for target in run_targets)


def install() -> bool:
    """Replace ``DaskGraphRunner.run`` on Rasa 3.6 (idempotent); whether it is replaced."""
    if not written_for("rasa", "3.6.", "speedup graph_runner"):
        return False
    DaskGraphRunner.run = run
    return True


def active() -> bool:
    """Whether ``DaskGraphRunner.run`` is this module's."""
    return DaskGraphRunner.run is run


def original() -> Any:
    """Rasa's own method (for the tests that compare both)."""
    return _original_run
