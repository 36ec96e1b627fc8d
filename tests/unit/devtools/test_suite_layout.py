"""devtools.suite_layout: a test's folder and its markers must name the same kind."""

from __future__ import annotations

import pytest

from devtools.suite_layout import misplaced


@pytest.mark.parametrize(
    ("path", "markers"),
    [
        ("tests/unit/actions/test_scope.py", []),
        ("tests/unit/actions/safety/test_detector.py", ["parametrize"]),
        ("tests/integration/test_rest.py", ["integration"]),
        ("tests/integration/test_install.py", ["install"]),
        ("tests/integration/rasa_patches/test_eager_tensor.py", ["slow"]),
        ("tests/browser/test_widget.py", ["integration"]),
        ("tests/cluster/test_failover.py", ["cluster"]),
        ("tests/images/test_images.py", ["images"]),
    ],
)
def test_a_test_in_the_folder_of_its_kind_is_in_place(path: str, markers: list[str]) -> None:
    assert misplaced(path, markers) is None


def test_a_slow_test_in_the_unit_folder_is_sent_to_integration() -> None:
    assert misplaced("tests/unit/rasa_patches/test_speedups.py", ["slow", "parametrize"]) == (
        "tests/unit/rasa_patches/test_speedups.py: marked slow but in tests/unit/ (the fast gate); "
        "move it to tests/integration/ (or the folder of its kind)"
    )


def test_an_unmarked_test_in_a_slow_folder_would_run_in_the_fast_gate() -> None:
    assert misplaced("tests/integration/test_rest.py", []) == (
        "tests/integration/test_rest.py: in tests/integration/ but not marked install or integration or slow"
    )
    assert misplaced("tests/cluster/test_edge.py", ["integration"]) == (
        "tests/cluster/test_edge.py: in tests/cluster/ but not marked cluster"
    )


def test_a_test_outside_the_kinds_folders_is_refused() -> None:
    assert misplaced("tests/test_actions.py", []) == (
        "tests/test_actions.py: a test outside a kind's folder; "
        "move it to tests/unit/<package>/ or a slow kind's folder"
    )
    assert misplaced("tests/channels/test_socketio.py", ["integration"]) == (
        "tests/channels/test_socketio.py: tests/channels/ is not a kind of test (unit, integration, browser, cluster, "
        "images)"
    )
