"""The fault drills. Each takes the running :class:`chaos.servers.ChaosServers`, does one thing an operator or
an attacker could do, and returns ``(passed, what happened)``; each leaves the servers as it found them.

Drills for other parts of issue 17 are written against their contracts: a tracker store that cannot be
written stops the server at start or turns ``/healthz`` red and answers REST with ``503`` + ``Retry-After``
(``stores.errors``); a socket.io session id belongs to the connection that opened it.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import shutil
import signal
import sqlite3
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import requests
import socketio

from actions import reply_contract as contract
from chaos.clients import (
    QUESTION,
    cites_symptoms,
    has_disclaimer,
    last_payload,
    rest_turn,
    socketio_turn,
    telegram_turn,
)
from chaos.servers import ACTION_TIMEOUT, ChaosServers
from serving.local_servers import Servers, free_port

Outcome = tuple[bool, str]
Drill = Callable[[ChaosServers], Outcome]

# The fallback must come within the action timeout; the margin is for a loaded 2-core machine.
FALLBACK_WITHIN = ACTION_TIMEOUT + 3.0
START_REFUSED_WITHIN = 240.0  # a Rasa cold start on a loaded machine takes up to about a minute


def new_id(prefix: str) -> str:
    return f"chaos-{prefix}-{uuid.uuid4().hex[:10]}"


def is_fallback(messages: list[dict[str, Any]]) -> bool:
    return last_payload(messages).get(contract.ANSWER_TYPE) == contract.FALLBACK


def _outage_then_recovery(
    servers: ChaosServers, fault: str, begin: Callable[[], None], end: Callable[[], None]
) -> Outcome:
    base = servers.rasa.rasa_url
    existing, new = new_id("old"), new_id("new")
    session: dict[str, str] = {}  # a new socket.io conversation, continued after the outage
    chat = random.randint(10**8, 10**9)
    rest_turn(base, existing, "hello")
    notes: list[str] = []
    begin()
    try:
        took_old, reply_old = rest_turn(base, existing, QUESTION)
        took_new, reply_new = rest_turn(base, new, QUESTION)
        took_sio, reply_sio = asyncio.run(socketio_turn(base, session, QUESTION))
        _, telegram_texts = telegram_turn(base, servers.telegram, chat, QUESTION)
    finally:
        end()
    ok = (
        is_fallback(reply_old)
        and is_fallback(reply_new)
        and reply_sio[-1].get(contract.ANSWER_TYPE) == contract.FALLBACK
    )
    ok = ok and bool(telegram_texts) and "can't look that up" in telegram_texts[-1]
    slow = max(took_old, took_new, took_sio)
    notes.append(f"fallback during the outage after {took_old:.1f} / {took_new:.1f} / {took_sio:.1f} s")
    notes.append("(REST existing / REST new / socket.io)")
    ok = ok and slow < FALLBACK_WITHIN
    _, after_old = rest_turn(base, existing, QUESTION)
    _, after_new = rest_turn(base, new, QUESTION)
    _, after_sio = asyncio.run(socketio_turn(base, session, QUESTION))
    _, after_start = telegram_turn(base, servers.telegram, chat, "/start")
    _, after_question = telegram_turn(base, servers.telegram, chat, QUESTION)
    checks = {
        "REST existing": cites_symptoms(after_old),
        "REST new": cites_symptoms(after_new),
        "socket.io": cites_symptoms(after_sio),
        "Telegram /start": bool(after_start) and not any("can't look that up" in text for text in after_start),
        "Telegram question": bool(after_question) and "Symptoms of childhood" in after_question[-1],
    }
    got = {"REST existing": after_old, "REST new": after_new, "socket.io": after_sio}
    failed = [
        f"{name} (got {last_payload(got[name]).get(contract.ANSWER_TYPE) if name in got else 'a fallback'})"
        for name, passed in checks.items()
        if not passed
    ]
    notes.append(f"NOT answered normally after it: {', '.join(failed)}" if failed else "answered normally after it")
    return ok and not failed, f"{fault}: " + " ".join(notes)


def action_server_kill9(servers: ChaosServers) -> Outcome:
    """kill -9 the action server, talk on every channel, start it again: the conversations continue."""
    actions = servers.actions
    return _outage_then_recovery(servers, "kill -9", actions.kill, actions.start)


def action_server_sigstop(servers: ChaosServers) -> Outcome:
    """SIGSTOP the action server (hung: accepts, never answers), then SIGCONT."""
    actions = servers.actions
    return _outage_then_recovery(
        servers, "SIGSTOP", lambda: actions.signal(signal.SIGSTOP), lambda: actions.signal(signal.SIGCONT)
    )


def rasa_restart_mid_message(servers: ChaosServers) -> Outcome:
    """Stop the Rasa server while it handles a message, start it again: the conversation continues."""
    base, sender = servers.rasa.rasa_url, new_id("restart")
    rest_turn(base, sender, "hello")
    servers.actions.signal(signal.SIGSTOP)  # holds the message inside the Rasa server
    in_flight: dict[str, Any] = {}

    def ask() -> None:
        try:
            in_flight["reply"] = rest_turn(base, sender, QUESTION)[1]
        except requests.RequestException as error:
            in_flight["error"] = type(error).__name__

    asker = threading.Thread(target=ask)
    asker.start()
    time.sleep(1.0)
    try:
        servers.rasa.stop_rasa()
    finally:
        servers.actions.signal(signal.SIGCONT)
    asker.join(timeout=120)
    during = in_flight.get("error") or ("fallback" if is_fallback(in_flight.get("reply", [])) else "a reply")
    servers.rasa.start_rasa()
    _, after = rest_turn(base, sender, QUESTION)
    ok = cites_symptoms(after) and not has_disclaimer(after)
    kept = "the conversation kept (no second disclaimer)" if not has_disclaimer(after) else "the conversation LOST"
    return (
        ok,
        f"in-flight message got {during}; after the restart: "
        f"{'answered' if cites_symptoms(after) else 'NOT answered'}, {kept}",
    )


@contextlib.contextmanager
def immutable(*paths: Path) -> Iterator[bool]:
    """``chattr +i`` on ``paths`` (read-only even for root) for the block; yields whether that worked."""
    existing = [str(p) for p in paths if p.exists()]
    chattr = shutil.which("chattr")
    done = chattr is not None and subprocess.run([chattr, "+i", *existing], capture_output=True).returncode == 0
    try:
        yield done
    finally:
        if chattr is not None:
            subprocess.run([chattr, "-i", *existing], capture_output=True)


def _start_refused(servers: ChaosServers, name: str, tracker_db: Path) -> Outcome:
    workdir = servers.workdir / name
    workdir.mkdir(exist_ok=True)
    port = free_port()
    env = servers.server_env(TRACKER_DB=str(tracker_db))
    other = Servers(f"http://127.0.0.1:{port}", servers.rasa.actions_url, workdir, env, port)
    started = time.monotonic()
    try:
        other.start_rasa()
        health = _health(other.rasa_url)
    except RuntimeError as refused:
        took = time.monotonic() - started
        lines = str(refused).strip().splitlines()
        said = next((line for line in reversed(lines) if "TrackerStoreUnavailable" in line), lines[-1] if lines else "")
        said = said[:200]
        refused_at_start = "exited with" in str(refused)
        return refused_at_start, f"start refused after {took:.0f} s: {said!r}"
    finally:
        other.stop_rasa()
    return False, f"the server started and serves (/healthz: {health}); the store was not checked at start"


def _health(base: str) -> str:
    try:
        return str(requests.get(base + "/healthz", timeout=10).status_code)
    except requests.RequestException as error:
        return type(error).__name__


def tracker_db_missing_folder(servers: ChaosServers) -> Outcome:
    """TRACKER_DB in a folder that does not exist: the server refuses to start, saying why."""
    return _start_refused(servers, "missing-folder", servers.workdir / "no-such-folder" / "tracker.db")


def tracker_db_read_only_at_start(servers: ChaosServers) -> Outcome:
    """A tracker database that cannot be written: the server refuses to start, saying why."""
    folder = servers.workdir / "read-only"
    folder.mkdir(exist_ok=True)
    database = folder / "tracker.db"
    with sqlite3.connect(servers.rasa.env["TRACKER_DB"]) as source, sqlite3.connect(database) as copy:
        source.backup(copy)
    with immutable(database, folder) as done:
        if not done:
            return False, "could not make the database read-only here (chattr +i needs root on ext4/xfs)"
        return _start_refused(servers, "read-only-start", database)


def tracker_db_read_only_at_run_time(servers: ChaosServers) -> Outcome:
    """The database turns read-only under a running server: health red, an honest 503, no amnesia; then back."""
    base, sender = servers.rasa.rasa_url, new_id("ro")
    rest_turn(base, sender, "hello")
    database = Path(servers.rasa.env["TRACKER_DB"])
    # Not the -shm file: SQLite maps it into memory, and a write to a mapped immutable file is a SIGBUS that
    # kills the server, which is no model of a read-only disk (writes then fail with an error).
    files = [database, Path(f"{database}-wal"), database.parent]
    with immutable(*files) as done:
        if not done:
            return False, "could not make the database read-only here (chattr +i needs root on ext4/xfs)"
        answer = requests.post(
            base + "/webhooks/rest/webhook", json={"sender": sender, "message": QUESTION}, timeout=90
        )
        health = _health(base)
    honest = answer.status_code == 503 and "Retry-After" in answer.headers and health != "200"
    deadline = time.monotonic() + 60
    while _health(base) != "200" and time.monotonic() < deadline:
        time.sleep(1)
    _, after = rest_turn(base, sender, QUESTION)
    kept = cites_symptoms(after) and not has_disclaimer(after)
    return honest and kept, (
        f"while read-only: REST {answer.status_code} (Retry-After: {answer.headers.get('Retry-After')}), "
        f"/healthz {health}; afterwards: "
        f"{'answered, conversation kept' if kept else 'NOT answered or conversation lost'}"
    )


async def _takeover(base: str) -> Outcome:
    owner = socketio.AsyncClient(reconnection=False)
    thief = socketio.AsyncClient(reconnection=False)
    owner_events: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    owner_sessions: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    thief_confirmed: list[Any] = []
    thief_received: list[dict[str, Any]] = []
    owner.on("session_confirm", owner_sessions.put_nowait)
    owner.on("bot_uttered", owner_events.put_nowait)
    thief.on("session_confirm", thief_confirmed.append)
    thief.on("bot_uttered", thief_received.append)
    owner_question, thief_question = uuid.uuid4().hex, uuid.uuid4().hex
    await owner.connect(base, transports=["polling"])
    await thief.connect(base, transports=["polling"])
    try:
        await owner.emit("session_request", {})
        owner_id = (await asyncio.wait_for(owner_sessions.get(), 20))["session_id"]
        # The thief knows the id (not the token): as such, with a made-up token, and with the id in the message.
        await thief.emit("session_request", {"session_id": owner_id})
        await thief.emit("session_request", {"session_id": owner_id, "token": "0" * 64})
        await asyncio.sleep(2)
        await owner.emit("user_uttered", {"message": QUESTION, "message_id": owner_question})
        reply = [await asyncio.wait_for(owner_events.get(), 60)]
        while not contract.completes_reply(reply[-1]):
            reply.append(await asyncio.wait_for(owner_events.get(), 60))
        await thief.emit("user_uttered", {"message": "hello", "message_id": thief_question, "session_id": owner_id})
        await asyncio.sleep(3)
        odd_ids_refused = await _odd_ids_refused(base)
    finally:
        await owner.disconnect()
        await thief.disconnect()
    owner_seen: list[dict[str, Any]] = [*reply]
    while not owner_events.empty():
        owner_seen.append(owner_events.get_nowait())
    confirmed_to_thief = any(isinstance(c, dict) and c.get("session_id") == owner_id for c in thief_confirmed)
    read = sum(1 for event in thief_received if event.get("reply_to") == owner_question)
    wrote = any(event.get("reply_to") == thief_question for event in owner_seen)
    took_over = confirmed_to_thief or bool(read) or wrote
    return (not took_over) and odd_ids_refused, (
        f"another connection {'TOOK OVER' if took_over else 'could not take over'} a session id "
        f"(confirmed to it: {confirmed_to_thief}, the owner's replies it received: {read}, its message in the "
        f"owner's conversation: {wrote}); an int and a 10,000-character id "
        f"{'were refused' if odd_ids_refused else 'WERE ACCEPTED'}"
    )


async def _odd_ids_refused(base: str) -> bool:
    refused = True
    for odd in (12345, "x" * 10_000):
        client = socketio.AsyncClient(reconnection=False)
        confirmed: asyncio.Queue[Any] = asyncio.Queue()
        client.on("session_confirm", confirmed.put_nowait)
        await client.connect(base, transports=["polling"])
        try:
            await client.emit("session_request", {"session_id": odd})
            with contextlib.suppress(asyncio.TimeoutError):
                given = await asyncio.wait_for(confirmed.get(), 5)  # a new conversation's id is fine
                refused = refused and isinstance(given, dict) and given.get("session_id") not in (odd, str(odd))
        finally:
            await client.disconnect()
    return refused


def socketio_session_takeover(servers: ChaosServers) -> Outcome:
    """A second socket.io connection asks for another conversation's session id: it gets neither its replies
    nor a way to post into it; ids that are not short strings are refused."""
    return asyncio.run(_takeover(servers.rasa.rasa_url))
