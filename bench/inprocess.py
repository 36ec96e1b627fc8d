"""Where a message's time goes inside Rasa: the trained model loaded in-process with ``rasa.core.agent``.

The agent uses the same ``endpoints.yml`` as the server (the real action server over HTTP, a SQLite
tracker store in a temp dir). Four steps of ``MessageProcessor`` are wrapped with timers:

- **NLU**: ``MessageProcessor.parse_message`` (tokenizer, featurizers, DIET, red-flag component, fallback);
- **policies**: ``MessageProcessor.predict_next_with_tracker_if_should`` (the policy graph, RulePolicy);
- **action call**: ``RemoteAction.run`` (HTTP POST to the action server, the action itself, the reply);
- **tracker store**: fetching and saving the conversation (SQLite).

``handle_message`` minus those four is the rest of Rasa's processing (events, responses, slots).
The REST round trip measured from outside minus ``handle_message`` is HTTP + Sanic + the channel.
The JSON bodies Rasa posts to the action server are recorded for :mod:`bench.action_server`.
"""

from __future__ import annotations

import asyncio
import cProfile
import functools
import io
import os
import pstats
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.stats import percentile
from serving.local_servers import MODEL, ROOT, SERVER_ENV

STEPS = ("nlu", "policies", "action_call", "tracker_store")


@contextmanager
def instrumented(timings: dict[str, float], bodies: list[dict[str, Any]]) -> Iterator[None]:
    """Wrap the processor steps with timers that add to ``timings`` (seconds); record action bodies."""
    from rasa.core.actions.action import RemoteAction
    from rasa.core.processor import MessageProcessor

    patches: list[tuple[Any, str, Any]] = []

    def wrap_async(owner: Any, name: str, step: str) -> None:
        original = getattr(owner, name)

        @functools.wraps(original)
        async def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return await original(*args, **kwargs)
            finally:
                timings[step] += time.perf_counter() - started

        patches.append((owner, name, original))
        setattr(owner, name, timed)

    def wrap_sync(owner: Any, name: str, step: str) -> None:
        original = getattr(owner, name)

        @functools.wraps(original)
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                timings[step] += time.perf_counter() - started

        patches.append((owner, name, original))
        setattr(owner, name, timed)

    wrap_async(MessageProcessor, "parse_message", "nlu")
    wrap_sync(MessageProcessor, "predict_next_with_tracker_if_should", "policies")
    wrap_async(RemoteAction, "run", "action_call")
    wrap_async(MessageProcessor, "fetch_tracker_and_update_session", "tracker_store")
    wrap_async(MessageProcessor, "save_tracker", "tracker_store")
    original_format = RemoteAction._action_call_format

    def recording_format(self: Any, tracker: Any, domain: Any) -> dict[str, Any]:
        body: dict[str, Any] = original_format(self, tracker, domain)
        if len(bodies) < 400:
            bodies.append(body)
        return body

    patches.append((RemoteAction, "_action_call_format", original_format))
    RemoteAction._action_call_format = recording_format
    try:
        yield
    finally:
        for owner, name, original in reversed(patches):
            setattr(owner, name, original)


async def _load_agent(actions_url: str, workdir: Path, model: Path = MODEL) -> Any:
    """The agent as ``rasa run`` builds it here: same endpoints, ``SERVER_ENV`` and ``rasa_patches``."""
    os.environ["ACTION_SERVER_URL"] = actions_url + "/webhook"
    os.environ["TRACKER_DB"] = str(workdir / "inprocess-tracker.db")
    os.environ.update(SERVER_ENV)
    os.chdir(ROOT)
    import logging

    from rasa.utils.tensorflow.environment import setup_tf_environment

    import rasa_patches

    setup_tf_environment()  # as rasa's command line does at start (TensorFlow threads)
    rasa_patches.install()  # as `python -m rasa_patches run` does in the server

    from rasa.core.agent import load_agent
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.WARNING)  # as `rasa run` at its default level: no debug output
    configure_structlog(logging.WARNING)
    from rasa.core.utils import AvailableEndpoints

    endpoints = AvailableEndpoints.read_endpoints(str(ROOT / "endpoints.yml"))
    return await load_agent(model_path=str(model), endpoints=endpoints)


def profile_table(profiler: cProfile.Profile, limit: int = 20) -> dict[str, Any]:
    """Top functions by own time and by cumulative time, as rows, plus the pstats text."""
    stats = pstats.Stats(profiler)
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    total = sum(v[2] for v in raw.values())

    def name(key: tuple[str, int, str]) -> str:
        file, line, func = key
        short = file.split("site-packages/")[-1].replace(str(ROOT) + "/", "")
        return f"{short}:{line}({func})"

    by_own = sorted(raw.items(), key=lambda kv: -kv[1][2])[:limit]
    by_cum = sorted(raw.items(), key=lambda kv: -kv[1][3])[:limit]
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(40)
    return {
        "total_own_s": round(total, 3),
        "by_own_time": [
            {"function": name(k), "calls": v[1], "own_s": round(v[2], 4), "own_share": round(v[2] / total, 3)}
            for k, v in by_own
        ],
        "by_cumulative_time": [
            {"function": name(k), "calls": v[1], "cum_s": round(v[3], 4), "cum_share": round(v[3] / total, 3)}
            for k, v in by_cum
        ],
        "pstats_text": text.getvalue(),
    }


async def _run(
    actions_url: str, workdir: Path, questions: Sequence[str], messages: int, model: Path = MODEL
) -> dict[str, Any]:
    load_started = time.perf_counter()
    agent = await _load_agent(actions_url, workdir, model)
    load_s = time.perf_counter() - load_started
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

    async def handle(sender: str, text: str) -> None:
        await agent.handle_message(UserMessage(text, CollectingOutputChannel(), sender))

    await handle("warm-up", "/greet")
    await handle("warm-up", questions[0])

    # NLU alone: the model's parse of each question
    nlu_ms: list[float] = []
    for question in questions[:messages]:
        started = time.perf_counter()
        await agent.parse_message(question)
        nlu_ms.append((time.perf_counter() - started) * 1000)

    # the whole message, step by step
    per_message: list[dict[str, float]] = []
    bodies: list[dict[str, Any]] = []
    sender = ""
    for n in range(messages):
        if n % 10 == 0:  # ten questions per conversation
            sender = f"bench-inproc-{uuid.uuid4().hex[:8]}"
            await handle(sender, "/greet")
        timings: dict[str, float] = defaultdict(float)
        with instrumented(timings, bodies):
            started = time.perf_counter()
            await handle(sender, questions[n % len(questions)])
            timings["total"] = time.perf_counter() - started
        per_message.append({k: v * 1000 for k, v in timings.items()})

    # cProfile of the same path (Rasa side, in-process; the action server is another process), with the
    # same ten-question conversations as above and in the load levels
    profiler = cProfile.Profile()
    profiler.enable()
    for n in range(min(messages, 150)):
        if n % 10 == 0:
            sender = f"bench-prof-{uuid.uuid4().hex[:8]}"
            await handle(sender, "/greet")
        await handle(sender, questions[(n * 3) % len(questions)])
    profiler.disable()

    def mean(step: str) -> float:
        return round(sum(m.get(step, 0.0) for m in per_message) / len(per_message), 2)

    totals = [m["total"] for m in per_message]
    breakdown = {step: mean(step) for step in (*STEPS, "total")}
    breakdown["other_rasa"] = round(breakdown["total"] - sum(breakdown[s] for s in STEPS), 2)
    return {
        "agent_load_s": round(load_s, 2),
        "messages": messages,
        "nlu_parse_only": {
            "p50_ms": round(percentile(nlu_ms, 50), 2),
            "p95_ms": round(percentile(nlu_ms, 95), 2),
            "mean_ms": round(sum(nlu_ms) / len(nlu_ms), 2),
        },
        "handle_message_mean_ms": breakdown,
        "handle_message_p50_ms": round(percentile(totals, 50), 2),
        "handle_message_p95_ms": round(percentile(totals, 95), 2),
        "profile": profile_table(profiler),
        "_bodies": bodies,
    }


def run(
    actions_url: str, workdir: Path, questions: Sequence[str], messages: int = 200, model: Path = MODEL
) -> dict[str, Any]:
    """Load the agent (``model``) in this process and measure; returns the results (with the recorded bodies)."""
    cwd = Path.cwd()
    try:
        return asyncio.run(_run(actions_url, workdir, questions, messages, model))
    finally:
        os.chdir(cwd)
