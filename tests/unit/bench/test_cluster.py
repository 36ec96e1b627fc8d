"""The cluster benchmark's report: the issue's target row is judged, and the load sentence says what was measured."""

from __future__ import annotations

from typing import Any

import pytest

from bench.cluster import markdown, target_finding


def _level(users: int, msg_per_s: float, p95_ms: float, errors: int = 0) -> dict[str, Any]:
    return {"users": users, "messages": 100, "errors": errors, "p50_ms": 1.0, "p95_ms": p95_ms, "p99_ms": 1.0,
            "msg_per_s": msg_per_s}  # fmt: skip


def _results(levels: list[dict[str, Any]], servers: int = 2, load_start: float = 0.1) -> dict[str, Any]:
    return {
        "date": "2026-12-04", "machine": {"nproc": 2, "memory_gib": 23.5}, "git_commit": "abc1234",
        "load_average_start": [load_start, 0.5, 0.5], "load_average_end": [3.0, 2.0, 1.0],
        "runs": [{"rasa_servers": servers, "levels": levels, "rss_mib": {"rasa_servers": 800.0}}],
        "findings": [],
    }  # fmt: skip


@pytest.mark.parametrize(
    ("msg_per_s", "p95_ms", "errors", "verdict"),
    [(35.2, 1200.0, 0, "met"), (31.9, 1200.0, 0, "NOT met"), (35.2, 1501.0, 0, "NOT met"), (35.2, 900.0, 2, "NOT met")],
)
def test_the_target_row_is_judged(msg_per_s: float, p95_ms: float, errors: int, verdict: str) -> None:
    (line,) = target_finding(_results([_level(10, 40.0, 500.0), _level(20, msg_per_s, p95_ms, errors)]))
    assert f"): {verdict}**: {msg_per_s} messages/s, p95 {p95_ms} ms, {errors} errors." in line


def test_no_target_line_when_the_target_row_was_not_measured() -> None:
    assert target_finding(_results([_level(10, 40.0, 500.0), _level(50, 40.0, 3000.0)])) == []
    assert target_finding(_results([_level(20, 40.0, 500.0)], servers=3)) == []


@pytest.mark.parametrize(("load_start", "reading"), [(0.06, "nothing else ran"), (8.4, "other work shared")])
def test_the_load_sentence_depends_on_the_load_before_the_run(load_start: float, reading: str) -> None:
    assert reading in markdown(_results([_level(20, 35.0, 900.0)], load_start=load_start))
