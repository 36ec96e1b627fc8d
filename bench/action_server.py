"""The action server alone: real ``/webhook`` request bodies (recorded from Rasa) replayed directly.

``http``: each body POSTed to the running action server over loopback (sequential), so the
latency is the action server's HTTP handling + the action. ``in_process``: the same bodies run
through ``rasa_sdk``'s ``ActionExecutor`` in this process, with cProfile, to see what dominates.
"""

from __future__ import annotations

import asyncio
import cProfile
import time
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import aiohttp

from bench.inprocess import profile_table
from bench.stats import percentile


def _summary(values: Sequence[float]) -> dict[str, Any]:
    return {
        "n": len(values),
        "p50_ms": round(percentile(values, 50), 2),
        "p95_ms": round(percentile(values, 95), 2),
        "mean_ms": round(sum(values) / len(values), 2) if values else None,
    }


async def _http(actions_url: str, bodies: Sequence[dict[str, Any]]) -> dict[str, Any]:
    latencies: list[float] = []
    by_action: dict[str, list[float]] = defaultdict(list)
    errors = 0
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session:
        for body in bodies:
            started = time.perf_counter()
            async with session.post(actions_url + "/webhook", json=body) as response:
                await response.read()
                ok = response.status == 200
            elapsed = (time.perf_counter() - started) * 1000
            if ok:
                latencies.append(elapsed)
                by_action[body["next_action"]].append(elapsed)
            else:
                errors += 1
    return {
        "all": _summary(latencies),
        "errors": errors,
        "by_action": {name: _summary(v) for name, v in sorted(by_action.items())},
        "mean_body_kb": round(sum(len(str(b)) for b in bodies) / max(len(bodies), 1) / 1024, 1),
    }


async def _in_process(bodies: Sequence[dict[str, Any]]) -> dict[str, Any]:
    from rasa_sdk.executor import ActionExecutor

    from actions import services

    services.warm_up()
    executor = ActionExecutor()
    executor.register_package("actions")
    latencies: list[float] = []
    for body in bodies:  # warm and timed without the profiler
        started = time.perf_counter()
        await executor.run(body)
        latencies.append((time.perf_counter() - started) * 1000)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(3):
        for body in bodies:
            await executor.run(body)
    profiler.disable()
    return {"latency": _summary(latencies), "profile": profile_table(profiler)}


def run(actions_url: str, bodies: Sequence[dict[str, Any]]) -> dict[str, Any]:
    return {"http": asyncio.run(_http(actions_url, bodies)), "in_process": asyncio.run(_in_process(bodies))}
