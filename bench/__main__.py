"""Run every benchmark and write docs/benchmarks.md plus the raw JSON in docs/benchmarks/ (``make bench``).

Usage: python -m bench [--quick] [--skip-train] [--out docs]
``--quick`` runs a few messages per level (a smoke run, minutes); ``--skip-train`` does not time
``rasa train`` (the training row then says so). Everything runs on loopback ports; every loop has a fixed
number of messages and every request a timeout.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import accuracy, growth, load, report
from bench.questions import QUESTION_FILES, question_mix, read_questions
from bench.stats import run_record
from bench.training import recorded_training, time_training
from serving.local_servers import MODEL, Servers
from serving.paths import ROOT

FULL_LEVELS: dict[str, int] = {"sequential": 200, "1": 200, "10": 400, "50": 500}
QUICK_LEVELS: dict[str, int] = {"sequential": 20, "1": 20, "10": 40, "50": 50}
SOAK_S = 240.0  # 4 minutes keeps `make bench` from a fresh setup under 20 minutes; `make soak` runs 30
RAW_FILES = ("speed", "accuracy", "growth", "profile")
PACED_THINK_S = 1.0  # seconds between a reply and the next question (± 50 %) in the paced level


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def sequential_rest(rasa_url: str, questions: list[str], messages: int) -> dict[str, Any]:
    """One message at a time with a blocking client (``requests``, a new connection per message)."""
    import requests

    from bench.stats import latency_summary

    url = rasa_url + "/webhooks/rest/webhook"
    sender = f"bench-seq-{time.time_ns()}"
    requests.post(url, json={"sender": sender, "message": "/greet"}, timeout=30).raise_for_status()
    latencies: list[float] = []
    errors = 0
    started = time.perf_counter()
    for n in range(messages):
        if n % 10 == 0:
            sender = f"bench-seq-{time.time_ns()}"
        t0 = time.perf_counter()
        try:
            response = requests.post(url, json={"sender": sender, "message": questions[n % len(questions)]}, timeout=30)
            response.raise_for_status()
            latencies.append((time.perf_counter() - t0) * 1000)
        except requests.RequestException:
            errors += 1
    return {"users": "sequential", **latency_summary(latencies, errors, time.perf_counter() - started)}


def rewrite_report(out: Path) -> int:
    """``benchmarks.md`` again from the raw JSON (after a change to ``bench/report.py``); nothing is measured."""
    raw = {name: json.loads((out / "benchmarks" / f"{name}.json").read_text()) for name in RAW_FILES}
    results = {**raw["speed"], "accuracy": {k: v for k, v in raw["accuracy"].items() if k != "date"}}
    results["kb_growth"] = raw["growth"]["kb_growth"]
    results["conversation_growth"] = raw["growth"]["conversation_growth"]
    profiles = {k: v for k, v in raw["profile"].items() if k != "date"}
    (out / "benchmarks.md").write_text(report.markdown(results, profiles), encoding="utf-8")
    log(f"rewrote {out / 'benchmarks.md'} from {out / 'benchmarks'}/*.json")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="few messages per level (smoke run)")
    parser.add_argument("--skip-train", action="store_true", help="do not time rasa train")
    parser.add_argument(
        "--retrain", action="store_true", help="time `rasa train --force` even if make train recorded its time"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument(
        "--soak-seconds", type=float, default=None, help="soak duration (default 240, or 20 with --quick)"
    )
    parser.add_argument(
        "--report-only", action="store_true", help="rewrite benchmarks.md from the last run's JSON, measure nothing"
    )
    args = parser.parse_args()
    if args.report_only:
        return rewrite_report(args.out)
    run_started = time.monotonic()
    levels = QUICK_LEVELS if args.quick else FULL_LEVELS
    question_sets = {name: read_questions(path) for name, path in QUESTION_FILES.items()}
    mix = question_mix(question_sets)
    results: dict[str, Any] = run_record(ROOT, quick=args.quick)

    from actions.knowledge_base import default_knowledge_base

    kb = default_knowledge_base()
    log("growth: synthetic knowledge base x1, x10, x100")
    results["kb_growth"] = growth.measure(kb, [q["question"] for q in question_sets["own"]])
    log("accuracy: plain BM25 and the stock knowledge-base action")
    baselines = accuracy.baselines(kb, question_sets)

    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        workdir = Path(tmp)
        recorded = None if args.retrain else recorded_training()
        if args.skip_train:
            results["training"] = {"seconds": None, "ok": None, "note": "skipped (--skip-train)"}
        elif recorded is not None:
            log(f"training: {recorded['seconds']} s, recorded by {recorded['source']} (--retrain to time it again)")
            results["training"] = recorded
        else:
            log("training: rasa train --force into a temp dir (takes minutes)")
            results["training"] = time_training(workdir)
        results["model_mib"] = round(MODEL.stat().st_size / 1024 / 1024, 1)

        from bench.servers import bench_servers

        log("starting the action server and the Rasa server (cold start)")
        with bench_servers(workdir) as servers:
            results["cold_start"] = servers.cold_start
            log("accuracy: this bot over REST (evaluation/)")
            as_servers = Servers(servers.rasa_url, servers.actions_url, workdir, dict(os.environ), 0)
            bot: dict[str, Any] = {}
            for name, questions in question_sets.items():
                chosen = questions if not args.quick else questions[:30]
                bot[name] = accuracy.score([(r, r["got"]) for r in accuracy.evaluate(as_servers, chosen)])
            results["accuracy"] = {"this_bot": bot, **baselines}

            loads = []
            for users, messages in levels.items():
                log(f"REST load: {users} users, {messages} messages")
                if users == "sequential":
                    loads.append(sequential_rest(servers.rasa_url, mix, messages))
                else:
                    loads.append(asyncio.run(load.rest_load(servers.rasa_url, mix, int(users), messages)))
                log(f"  -> {loads[-1]}")
            results["rest_load"] = loads
            paced_users, paced_messages = (10, 200) if not args.quick else (10, 20)
            log(f"REST load: {paced_users} users, {PACED_THINK_S} s between a reply and the next question")
            results["rest_paced"] = asyncio.run(
                load.rest_load(servers.rasa_url, mix, paced_users, paced_messages, think_s=PACED_THINK_S)
            )
            log(f"  -> {results['rest_paced']}")
            log("socket.io load: 10 users")
            results["socketio_load"] = asyncio.run(
                load.socketio_load(servers.rasa_url, mix, 10, 300 if not args.quick else 30)
            )
            log(f"  -> {results['socketio_load']}")
            soak_seconds = args.soak_seconds if args.soak_seconds is not None else (20.0 if args.quick else SOAK_S)
            log(f"soak: 20 users for {soak_seconds:.0f} s (REST), memory sampled every 30 s")
            results["soak"] = asyncio.run(
                load.rest_soak(servers.rasa_url, mix, 20, soak_seconds, servers.peak_memory, 30.0)
            )
            log(f"  -> errors {results['soak']['errors']}, p95 {results['soak']['p95_ms']} ms")
            log("conversation growth: 100 messages in one conversation")
            results["conversation_growth"] = asyncio.run(
                load.conversation_growth(servers.rasa_url, mix, 100 if not args.quick else 20)
            )
            with sqlite3.connect(workdir / "tracker.db") as db:  # the server's tracker store (no HTTP API)
                (events,) = db.execute(
                    "SELECT COUNT(*) FROM events WHERE sender_id = ?", (results["conversation_growth"]["sender"],)
                ).fetchone()
            results["conversation_growth"]["tracker_events"] = events
            results["peak_memory_after_load"] = servers.peak_memory()

            log("breakdown: the model in-process (NLU / policies / action call / tracker store) + cProfile")
            from bench import action_server, inprocess

            breakdown = inprocess.run(servers.actions_url, workdir, mix, 200 if not args.quick else 30)
            bodies = breakdown.pop("_bodies")
            results["breakdown"] = breakdown
            log("action server: recorded /webhook bodies replayed directly + cProfile")
            results["action_server"] = action_server.run(servers.actions_url, bodies)
            results["peak_memory_final"] = servers.peak_memory()

        log("Rasa 3.6 as shipped (no speedups, default TensorFlow threads, Rasa's SQL store), for comparison")
        with bench_servers(workdir, stock_rasa=True) as stock:
            stock_levels = {"1": 100, "10": 200} if not args.quick else {"1": 10, "10": 20}
            results["stock_rasa"] = {
                "cold_start": stock.cold_start,
                "rest_load": [
                    asyncio.run(load.rest_load(stock.rasa_url, mix, int(users), messages))
                    for users, messages in stock_levels.items()
                ],
            }
            log(f"  -> {results['stock_rasa']}")
    results["bench_wall_s"] = round(time.monotonic() - run_started, 1)
    results["machine"]["loadavg_end"] = list(os.getloadavg())

    out_json = args.out / "benchmarks"
    out_json.mkdir(parents=True, exist_ok=True)
    profiles = {
        "rasa_in_process": results["breakdown"].pop("profile"),
        "action_server_in_process": results["action_server"]["in_process"].pop("profile"),
    }
    files = {
        "speed.json": {k: results[k] for k in results if k not in ("accuracy", "kb_growth", "conversation_growth")},
        "accuracy.json": {"date": results["date"], **results["accuracy"]},
        "growth.json": {
            "date": results["date"],
            "kb_growth": results["kb_growth"],
            "conversation_growth": results["conversation_growth"],
        },
        "profile.json": {"date": results["date"], **profiles},
    }
    for name, data in files.items():
        (out_json / name).write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")
    (args.out / "benchmarks.md").write_text(report.markdown(results, profiles), encoding="utf-8")
    log(f"done in {results['bench_wall_s']} s -> {args.out / 'benchmarks.md'}, {out_json}/*.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
