"""Scaling benchmark: REST throughput and latency with 1, 2 and 3 Rasa servers behind nginx (make cluster-bench).

For each server count the production profile is started from scratch (serving/cluster/: PostgreSQL,
Redis lock store, 2 action servers, nginx) on its own ports and folder, warmed up, then loaded through
nginx with 10, 20 and 50 concurrent simulated users (bench/load.py: each user holds its own conversation).
Results: docs/benchmarks-cluster.md and docs/benchmarks/cluster.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import sys
import time
from pathlib import Path
from typing import Any

from bench.load import rest_load
from bench.stats import proc_status, run_record
from serving.cluster.cluster import Cluster
from serving.cluster.config import ClusterConfig
from serving.paths import ROOT

QUESTIONS = ROOT / "eval" / "own_questions.jsonl"
OUT_JSON = ROOT / "docs" / "benchmarks" / "cluster.json"
OUT_MD = ROOT / "docs" / "benchmarks-cluster.md"
SINGLE_PROCESS = ROOT / "docs" / "benchmarks" / "speed.json"


# Issue 22's speed target for the production profile: 2 Rasa servers, 20 users, through nginx.
TARGET_SERVERS, TARGET_USERS, TARGET_MSG_PER_S, TARGET_P95_MS = 2, 20, 32.0, 1500.0
# A one-minute load average above this at the start means something else was using the 2 cores.
BUSY_LOAD_AVERAGE = 1.0


def log(message: str) -> None:
    print(f"[cluster-bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def rss_mib(cluster: Cluster, prefix: str) -> float:
    total = 0
    for name, pid in cluster.pids.items():
        if name.startswith(prefix):
            try:
                total += proc_status(pid).get("VmRSS", 0)
                for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
                    total += proc_status(child).get("VmRSS", 0)
            except OSError:
                pass
    return round(total / 1024, 1)


def measure(servers: int, questions: list[str], levels: list[tuple[int, int]]) -> dict[str, Any]:
    directory = ROOT / "var" / f"bench-cluster-{servers}"
    shutil.rmtree(directory, ignore_errors=True)
    config = ClusterConfig(
        directory=directory, public_port=19099, base_port=19000, rasa_servers=servers, action_servers=2,
        rate_per_second=100000, burst=100000, connections_per_client=10000,
    )  # fmt: skip
    cluster = Cluster(config)
    started = time.monotonic()
    try:
        cluster.up()
        result: dict[str, Any] = {"rasa_servers": servers, "start_s": round(time.monotonic() - started, 1)}
        asyncio.run(rest_load(config.public_url, questions, users=5, messages=60))  # warm-up, not reported
        result["levels"] = []
        for users, messages in levels:
            log(f"{servers} server(s): {users} users, {messages} messages")
            result["levels"].append(asyncio.run(rest_load(config.public_url, questions, users, messages)))
        result["rss_mib"] = {"rasa_servers": rss_mib(cluster, "rasa-"), "action_servers": rss_mib(cluster, "actions-")}
        return result
    finally:
        cluster.down(purge=True)


def _load(average: list[float]) -> str:
    return " / ".join(f"{value:.2f}" for value in average)


def _load_reading(load_average_start: list[float]) -> str:
    # The run's own cluster raises the load once it starts, so only the load before it says whether other work
    # shared the cores.
    if load_average_start[0] > BUSY_LOAD_AVERAGE:
        return "other work shared the 2 cores and slowed every row."
    return "nothing else ran on the machine when the run began (the later load is the run's own)."


def markdown(results: dict[str, Any]) -> str:
    lines = [
        "# Scaling benchmark: Rasa servers behind nginx",
        "",
        f"Run {results['date']} on this machine ({results['machine']['nproc']} cores, "
        f"{results['machine']['memory_gib']} GiB), commit `{results['git_commit']}`, by `make cluster-bench` "
        "(`bench/cluster.py`; raw numbers: `docs/benchmarks/cluster.json`). Each row starts the production "
        "profile from scratch (`serving/cluster/`: PostgreSQL tracker store, Redis lock store, nginx, 2 action "
        "servers) and loads it **through nginx** over REST; every simulated user holds its own conversation. The "
        "load generator, nginx, PostgreSQL, Redis and the action servers share the same 2 cores.",
        *(
            [
                "",
                f"Load average (1/5/15 min) at the start {_load(results['load_average_start'])}, at the end "
                f"{_load(results['load_average_end'])}: {_load_reading(results['load_average_start'])}",
            ]
            if "load_average_start" in results
            else []
        ),
        "",
        "| Rasa servers | users | messages | errors | p50 ms | p95 ms | p99 ms | messages/s | RSS Rasa servers MiB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in results["runs"]:
        for level in run["levels"]:
            lines.append(
                f"| {run['rasa_servers']} | {level['users']} | {level['messages']} | {level['errors']} | "
                f"{level['p50_ms']} | {level['p95_ms']} | {level['p99_ms']} | {level['msg_per_s']} | "
                f"{run['rss_mib']['rasa_servers']} |"
            )
    single = results.get("single_process_sqlite")
    if single:
        lines += [
            "",
            "For comparison, one Rasa server without nginx on the SQLite tracker store (`docs/benchmarks.md`, "
            f"`make bench`): 10 users {single['10']['msg_per_s']} messages/s, p95 {single['10']['p95_ms']} ms; "
            f"50 users {single['50']['msg_per_s']} messages/s, p95 {single['50']['p95_ms']} ms.",
        ]
    lines += ["", "## Reading the numbers", "", *results["findings"], ""]
    return "\n".join(lines)


def target_finding(results: dict[str, Any]) -> list[str]:
    """One line saying whether the target row was measured and met; no line when the run did not measure it."""
    level = next(
        (
            lv
            for run in results["runs"]
            if run["rasa_servers"] == TARGET_SERVERS
            for lv in run["levels"]
            if lv["users"] == TARGET_USERS
        ),
        None,
    )
    if level is None:
        return []
    met = level["errors"] == 0 and level["msg_per_s"] >= TARGET_MSG_PER_S and level["p95_ms"] <= TARGET_P95_MS
    return [
        f"- **Target ({TARGET_SERVERS} Rasa servers, {TARGET_USERS} users: ≥ {TARGET_MSG_PER_S:g} messages/s, "
        f"p95 ≤ {TARGET_P95_MS / 1000:g} s, no errors): {'met' if met else 'NOT met'}**: {level['msg_per_s']} "
        f"messages/s, p95 {level['p95_ms']} ms, {level['errors']} errors."
    ]


def findings(results: dict[str, Any]) -> list[str]:
    by_servers = {run["rasa_servers"]: run for run in results["runs"]}

    def rate(servers: int, users: int) -> float:
        return float(next(lv["msg_per_s"] for lv in by_servers[servers]["levels"] if lv["users"] == users))

    one, best = rate(1, 10), max(rate(n, 10) for n in by_servers)
    best_n = max(by_servers, key=lambda n: rate(n, 10))
    errors = sum(lv["errors"] for run in results["runs"] for lv in run["levels"])
    single = results.get("single_process_sqlite", {}).get("10")
    tracker_note = (
        [
            f"- **One server, PostgreSQL vs SQLite:** {one} vs {single['msg_per_s']} messages/s at 10 users "
            f"({'slower' if one < single['msg_per_s'] else 'faster'} in the cluster). The cluster's servers use "
            "Rasa's own SQL tracker store on PostgreSQL, which rebuilds the conversation from the database at "
            "every message (any server may have changed it) and goes through nginx; `make run` uses "
            "`stores/sqlite_tracker_store.py`, which keeps recent conversations of its single server in memory."
        ]
        if single
        else []
    )
    per_server_mib = round(by_servers[1]["rss_mib"]["rasa_servers"]) if 1 in by_servers else None
    return [
        *target_finding(results),
        *tracker_note,
        f"- **Throughput at 10 users:** 1 server {one} messages/s; best {best} messages/s with {best_n} servers "
        f"(x{best / one:.2f}). A Rasa server spends most of a message on the CPU (NLU, policies, the action call; "
        "`docs/benchmarks.md`), and this machine has 2 cores for everything, so servers beyond the core count "
        "cannot add throughput: they only add memory (each server loads its own copy of the model"
        + (f", about {per_server_mib} MiB)." if per_server_mib else ")."),
        f"- **Errors:** {errors} across all runs.",
        "- **On more cores:** expect throughput to grow roughly with the number of Rasa servers up to about one "
        "server per core (plus a core for the action servers, PostgreSQL, Redis and nginx together), because any "
        "server can take any message (shared PostgreSQL tracker store and Redis lock store) and nginx balances "
        "REST with `least_conn`. Then PostgreSQL writes and the per-conversation lock become the limits; the lock "
        "only serialises messages of the same conversation, so many families scale, one family does not.",
        "- Latency under load is queueing: with more users than servers x cores, p95 grows with the queue; "
        "sizing rule: servers ≈ peak messages/s ÷ the single-server rate above.",
    ]


def main() -> int:
    # Ctrl-C or a kill still stops the cluster of the run in progress (measure()'s finally).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--servers", default="1,2,3", help="server counts to measure (default 1,2,3)")
    parser.add_argument("--quick", action="store_true", help="fewer messages (a smoke run)")
    args = parser.parse_args()
    counts = [int(n) for n in args.servers.split(",")]
    levels = [(10, 60), (TARGET_USERS, 80), (50, 100)] if args.quick else [(10, 400), (TARGET_USERS, 500), (50, 600)]
    questions = [json.loads(line)["question"] for line in QUESTIONS.read_text().splitlines() if line.strip()]
    results: dict[str, Any] = run_record(ROOT, quick=args.quick, runs=[], load_average_start=os.getloadavg())
    started = time.monotonic()
    for servers in counts:
        log(f"starting the cluster with {servers} Rasa server(s)")
        results["runs"].append(measure(servers, questions, levels))
    if SINGLE_PROCESS.exists():
        speed = json.loads(SINGLE_PROCESS.read_text())
        results["single_process_sqlite"] = {
            str(lv["users"]): lv for lv in speed["rest_load"] if lv["users"] in (10, 50)
        }
    results["findings"] = findings(results) if 1 in counts else target_finding(results)
    results["wall_s"] = round(time.monotonic() - started, 1)
    results["load_average_end"] = os.getloadavg()
    OUT_JSON.parent.mkdir(parents=True, exist_ok=True)
    OUT_JSON.write_text(json.dumps(results, indent=2) + "\n")
    OUT_MD.write_text(markdown(results))
    log(f"done in {results['wall_s']:.0f} s: {OUT_MD.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
