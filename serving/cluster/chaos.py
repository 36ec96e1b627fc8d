"""``make cluster-chaos``: fault drills against a real cluster while families talk to it, each drill's result.

The full form (``--full``) starts a cluster of its own (``var/cluster-chaos``, free ports), checks the first
40 requests after ``up``, runs 20 families through nginx for the whole run and, one after the other: a
second ``cluster-up``, a PostgreSQL restart, a 15 s PostgreSQL outage, a Redis restart, kill -9 of a Rasa
server and of an action server, 20 conversations × 3 simultaneous messages across the two Rasa servers, 10
simultaneous socket.io clients from one address; then ``cluster-down`` twice. The short form (what
``tests/cluster/test_chaos.py`` runs in ``make test``) runs on a given cluster with 5 families, a 5 s outage
and no Rasa kill (``tests/cluster/test_failover.py`` has that).

Measured over the whole run (issue 22's targets): turns answered 200 but not stored (each conversation's
acknowledged turns against its user events in PostgreSQL), replies slower than 10 s, 5xx and "can't look that
up" outside the fault windows, and how long each killed server took to serve again.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import psycopg2
import socketio

from actions import reply_contract as contract
from serving.cluster.cluster import HEALTH_PATH, Cluster, http_ok, port_open
from serving.cluster.config import ClusterConfig, free_base_port
from serving.cluster.load import Load, Turn, ask
from serving.paths import ROOT

REPLY_TARGET_S = 10.0
RESTART_TARGET_S = 20.0
BURST_TARGET_S = 5.0
KILL_GRACE_S = 5.0  # requests in flight on a killed server fail within this
RESTART_TIMEOUT_S = 300.0


@dataclass
class Drill:
    """One drill's outcome: whether it met its target, and the figures measured."""

    name: str
    passed: bool
    figures: dict[str, Any] = field(default_factory=dict)

    def line(self) -> str:
        figures = ", ".join(f"{key}={value}" for key, value in self.figures.items())
        return f"{'PASS' if self.passed else 'FAIL'}  {self.name}: {figures}"


@dataclass
class Window:
    """A fault's time span: failures of the kind it causes are expected of the turns in flight during it."""

    name: str
    start: float
    end: float
    allows_5xx: bool
    allows_cant_look_up: bool

    def covers(self, turn: Turn) -> bool:
        """Whether ``turn`` was in flight at some moment of the window: sent before it ended and answered
        (or given up) after it began. A message sent a moment before the fault and still being handled
        when it struck (PostgreSQL stopped under it, its server killed) is the fault's, not one outside it."""
        return turn.sent_at <= self.end and turn.sent_at + turn.seconds >= self.start


def _wait_until(condition: Callable[[], bool], timeout: float) -> float | None:
    """Seconds until ``condition`` held, or None when it did not within ``timeout``."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if condition():
            return round(time.monotonic() - started, 1)
        time.sleep(0.25)
    return None


def first_requests(cluster: Cluster, count: int = 40) -> Drill:
    url = cluster.config.public_url
    statuses = [ask(url, f"first-{n}-{uuid.uuid4().hex[:6]}", "hello").status for n in range(count)]
    failures = sum(1 for s in statuses if s >= 500 or s == 0)
    figures = {"5xx_or_refused": failures, "statuses": dict(Counter(statuses))}
    return Drill(f"first {count} requests after up", failures == 0, figures)


def up_twice(cluster: Cluster) -> Drill:
    config = cluster.config
    pids = cluster.pids
    env = {**os.environ, "CLUSTER_DIR": str(config.directory), "CLUSTER_PORT": str(config.public_port),
           "CLUSTER_BASE_PORT": str(config.base_port)}  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-m", "serving.cluster", "up"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    serving = ask(config.public_url, f"after-up-{uuid.uuid4().hex[:6]}", "hello").acknowledged
    same = cluster.pids == pids
    passed = result.returncode == 0 and "already running" in result.stdout and same and serving
    return Drill("cluster-up on a running cluster", passed, {"exit": result.returncode, "pids_unchanged": same,
                                                              "serving": serving})  # fmt: skip


def restart_service(cluster: Cluster, name: str, outage_s: float, windows: list[Window]) -> Drill:
    """Stop ``name`` (postgres or redis) through supervisord, keep it down ``outage_s``, start it again."""
    start = time.monotonic()
    cluster.supervisor.stop(name)
    time.sleep(outage_s)
    cluster.supervisor.start(name)
    port = cluster.config.postgres_port if name == "postgres" else cluster.config.redis_port
    back = _wait_until(lambda: port_open(port), 60)
    windows.append(Window(f"{name} down {outage_s:.0f} s", start, time.monotonic() + 2, True, True))
    label = f"{name} restart" if outage_s < 1 else f"{name} outage {outage_s:.0f} s"
    return Drill(label, back is not None, {"back_after_s": back})


def kill_server(cluster: Cluster, name: str, windows: list[Window]) -> Drill:
    """kill -9 one Rasa or action server; supervisord must have it serving again (target 20 s)."""
    before = cluster.restarts(name)
    killed_at = time.monotonic()
    cluster.stop_process(name, sig=9)
    index = int(name.rsplit("-", 1)[1])
    if name.startswith("rasa-"):
        url = f"http://127.0.0.1:{cluster.config.rasa_port(index)}{HEALTH_PATH}"
    else:
        url = f"http://127.0.0.1:{cluster.config.action_port(index)}/health"
    back = _wait_until(lambda: cluster.restarts(name) > before and http_ok(url), RESTART_TIMEOUT_S)
    is_rasa = name.startswith("rasa-")
    end = killed_at + (KILL_GRACE_S if is_rasa else (back or RESTART_TIMEOUT_S))
    windows.append(Window(f"kill -9 {name}", killed_at, end, is_rasa, not is_rasa))
    passed = back is not None and back <= RESTART_TARGET_S
    return Drill(f"kill -9 {name}", passed, {"serving_again_after_s": back, "target_s": RESTART_TARGET_S})


def same_conversation_burst(
    cluster: Cluster, conversations: int = 20, messages: int = 3, target_s: float = BURST_TARGET_S
) -> Drill:
    """``conversations`` × ``messages`` sent at once, each conversation's messages to alternating servers:
    every one answered within ``target_s`` and stored."""
    config = cluster.config
    senders = [f"burst-{n}-{uuid.uuid4().hex[:6]}" for n in range(conversations)]
    results: list[Turn] = []
    lock = threading.Lock()

    def send(sender: str, index: int) -> None:
        server = 1 + index % config.rasa_servers
        turn = ask(f"http://127.0.0.1:{config.rasa_port(server)}", sender, "what is induction?")
        with lock:
            results.append(turn)

    threads = [threading.Thread(target=send, args=(s, i)) for s in senders for i in range(messages)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    answered = sum(1 for t in results if t.acknowledged)
    slowest = max((t.seconds for t in results), default=0.0)
    stored = stored_user_messages(cluster, senders)
    complete = sum(1 for s in senders if stored.get(s, 0) == messages)
    passed = answered == conversations * messages and slowest <= target_s and complete == conversations
    return Drill(
        f"{conversations} conversations × {messages} messages at once across servers",
        passed,
        {"answered": f"{answered}/{conversations * messages}", "slowest_s": round(slowest, 1),
         "conversations_fully_stored": f"{complete}/{conversations}", "target_s": target_s},
    )  # fmt: skip


async def _socketio_client(base_url: str, question: str) -> bool:
    async with aiohttp.ClientSession() as http:  # closed here (the client leaves its own session open)
        client = socketio.AsyncClient(reconnection=False, http_session=http)
        return await _socketio_conversation(base_url, question, client)


async def _socketio_conversation(base_url: str, question: str, client: socketio.AsyncClient) -> bool:
    answers: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    confirmed: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    client.on("bot_uttered", answers.put)
    client.on("session_confirm", confirmed.put)
    try:
        # The widget's protocol (channels/socketio.py): a new session, then a question with its message id.
        await client.connect(f"{base_url}?route={uuid.uuid4().hex}", transports=["polling"], wait_timeout=20)
        await client.emit("session_request", {})
        await asyncio.wait_for(confirmed.get(), REPLY_TARGET_S * 3)
        await client.emit("user_uttered", {"message": question, "message_id": uuid.uuid4().hex})
        while True:
            reply = await asyncio.wait_for(answers.get(), REPLY_TARGET_S * 3)
            if reply.get(contract.ANSWER_TYPE) == contract.ANSWER:
                return True
    except (asyncio.TimeoutError, socketio.exceptions.SocketIOError):
        return False
    finally:
        await client.disconnect()
        # socketio's disconnect() aborts engine.io's polling loops without waiting for them, and a loop still
        # running once the caller's session is closed opens a session of its own and leaves it open.
        if client.eio.read_loop_task is not None:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(client.eio.wait(), REPLY_TARGET_S)


def socketio_clients(cluster: Cluster, clients: int = 10) -> Drill:
    async def all_at_once() -> list[bool]:
        url = cluster.config.public_url
        return list(await asyncio.gather(*(_socketio_client(url, "what is induction?") for _ in range(clients))))

    answered = sum(asyncio.run(all_at_once()))
    return Drill(f"{clients} socket.io clients from one address at once", answered == clients,
                 {"answered": f"{answered}/{clients}"})  # fmt: skip


def stored_user_messages(cluster: Cluster, senders: list[str]) -> dict[str, int]:
    """How many user messages PostgreSQL holds for each sender."""
    connection = psycopg2.connect(cluster.postgres_url())
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "select sender_id, count(*) from events where type_name = 'user' and sender_id = any(%s) "
                "group by sender_id",
                (senders,),
            )
            return {sender: int(count) for sender, count in cursor.fetchall()}
    finally:
        connection.close()


def load_figures(cluster: Cluster, load: Load, turns: list[Turn], windows: list[Window]) -> list[Drill]:
    """The whole run's figures against the targets."""
    acknowledged = Counter(t.sender for t in turns if t.acknowledged)
    stored = stored_user_messages(cluster, load.senders)
    not_stored = sum(max(0, count - stored.get(sender, 0)) for sender, count in acknowledged.items())
    slow = [t for t in turns if t.status != 0 and t.seconds > REPLY_TARGET_S] + [t for t in turns if t.status == 0]

    def outside(turn: Turn, kind: str) -> bool:
        return not any(w.covers(turn) and getattr(w, kind) for w in windows)

    server_errors = [t for t in turns if (t.status >= 500 or t.status == 0) and outside(t, "allows_5xx")]
    cant = [t for t in turns if t.cant_look_up and outside(t, "allows_cant_look_up")]
    cant_questions = dict(Counter(t.message for t in cant))
    started = min((t.sent_at for t in turns), default=0.0)
    # When they began, and which fault came last before that (where to look in the logs).
    first_cant = min((t.sent_at for t in cant), default=None)
    after = [w.name for w in windows if first_cant is not None and w.start <= first_cant]
    timeline = {w.name: round(w.start - started, 1) for w in windows}
    return [
        Drill("turns answered 200 but not stored", not_stored == 0,
              {"not_stored": not_stored, "acknowledged": sum(acknowledged.values()), "tries": len(turns)}),
        Drill(f"replies within {REPLY_TARGET_S:.0f} s", not slow, {"slower_or_none": len(slow)}),
        Drill("5xx outside the fault windows", not server_errors, {"count": len(server_errors)}),
        Drill("\"can't look that up\" outside the fault windows", not cant,
              {"count": len(cant), "conversations": len({t.sender for t in cant}),
               "first_at_s": None if first_cant is None else round(first_cant - started, 1),
               "after": after[-1] if after else "-", "questions": json.dumps(cant_questions),
               "faults_at_s": json.dumps(timeline)}),
    ]  # fmt: skip


def run_drills(cluster: Cluster, full: bool, report: Callable[[Drill], None]) -> list[Drill]:
    """Every drill of the chosen form on a running ``cluster`` under load; each result as it comes."""
    drills: list[Drill] = []

    def record(drill: Drill) -> None:
        drills.append(drill)
        report(drill)

    windows: list[Window] = []
    load = Load(cluster.config.public_url, users=20 if full else 5).start()
    try:
        time.sleep(10 if full else 5)
        record(up_twice(cluster))
        record(restart_service(cluster, "postgres", 0, windows))
        time.sleep(5)
        record(restart_service(cluster, "postgres", 15 if full else 5, windows))
        time.sleep(5)
        record(restart_service(cluster, "redis", 0, windows))
        time.sleep(5)
        if full:
            record(kill_server(cluster, "rasa-1", windows))
            time.sleep(5)
        record(kill_server(cluster, "actions-1", windows))
        time.sleep(5)
        # The 5 s burst target is a speed target, measured by the full drill; the short form (`make test`,
        # a shared 2-core machine with its own load running) holds the burst to the 10 s reply target.
        record(same_conversation_burst(cluster, target_s=BURST_TARGET_S if full else REPLY_TARGET_S))
        record(socketio_clients(cluster))
        time.sleep(10 if full else 5)
    finally:
        turns = load.stop()
    for drill in load_figures(cluster, load, turns, windows):
        record(drill)
    return drills


def main(full: bool = False) -> int:
    """``make cluster-chaos``: a cluster of its own, every drill, its results; 0 when all passed."""
    base = free_base_port()
    directory = ROOT / "var" / "cluster-chaos"
    shutil.rmtree(directory, ignore_errors=True)
    # The production profile's limits: the families and the drills all come from this one address.
    config = ClusterConfig(directory=directory, public_port=base + 99, base_port=base)
    cluster = Cluster(config)
    drills: list[Drill] = []
    print(f"chaos: starting a cluster in {directory} (ports {base}-{base + 99}) ...", flush=True)
    started = time.monotonic()
    try:
        cluster.up()
        print(f"chaos: cluster up in {time.monotonic() - started:.0f} s", flush=True)
        drills.append(first_requests(cluster))
        print(drills[-1].line(), flush=True)
        drills += run_drills(cluster, full=full, report=lambda d: print(d.line(), flush=True))
    finally:
        first = cluster.down()
        second = cluster.down()
        down = Drill("cluster-down twice", bool(first) and second == [], {"first": len(first), "second": len(second)})
        print(down.line(), flush=True)
        drills.append(down)
        print(f"chaos: logs kept in {cluster.log_dir} and {cluster.supervisor.log} (deleted by the next run)")
    failed = [d for d in drills if not d.passed]
    print(f"chaos: {len(drills) - len(failed)} of {len(drills)} drills passed")
    return 1 if failed else 0
