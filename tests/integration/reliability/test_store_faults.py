"""Tracker store faults, forgetting races and same-sender queueing, against the real Rasa server (SQLite profile)."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests

from serving.local_servers import MODEL, ROOT, SERVER_ENV, Servers, free_port, running_servers, stop
from serving.programs import RASA_CLI
from stores import retention
from stores.errors import RETRY_AFTER_SECONDS, STORE_UNAVAILABLE_REPLY
from stores.sqlite_tracker_store import SQLiteTrackerStore
from tests.integration.reliability.conftest import ActionProxy

pytestmark = pytest.mark.integration

STARTUP_TIMEOUT_S = 240.0


def new_sender() -> str:
    return f"store-{uuid.uuid4().hex[:12]}"


def texts(messages: list[dict[str, Any]]) -> list[str]:
    return [str(m["text"]) for m in messages if "text" in m]


def user_texts(db: str | Path, sender: str) -> list[str]:
    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "select data from events where sender_id = ? and type_name = 'user' order by id", (sender,)
        ).fetchall()
    return [json.loads(row[0])["text"] for row in rows]


def healthz(base_url: str) -> tuple[int, dict[str, Any]]:
    response = requests.get(base_url + "/healthz", timeout=10)
    return response.status_code, response.json()


def wait_for_health(base_url: str, status: int, timeout: float = 10.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        code, body = healthz(base_url)
        if code == status or time.monotonic() > deadline:
            assert code == status, body
            return body
        time.sleep(0.2)


def start_rasa_expecting_exit(workdir: Path, tracker_db: Path) -> tuple[int, str]:
    """Start ``rasa run`` with ``TRACKER_DB=tracker_db``; its exit status and log once it stops by itself."""
    log = workdir / "rasa-start.log"
    port = free_port()
    env = {
        **os.environ,
        **SERVER_ENV,
        "TRACKER_DB": str(tracker_db),
        "ACTION_SERVER_URL": f"http://127.0.0.1:{free_port()}/webhook",
    }
    command = [
        *RASA_CLI, "run", "--model", str(MODEL), "--endpoints", "endpoints.yml",
        "--credentials", "credentials.yml", "--interface", "127.0.0.1", "--port", str(port),
    ]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while process.poll() is None and time.monotonic() < deadline:
            with contextlib.suppress(requests.RequestException):  # it must never report healthy
                assert requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code != 200
            time.sleep(0.5)
        assert process.poll() is not None, "the server kept running with a tracker store it cannot write"
        return process.returncode, log.read_text(errors="replace")
    finally:
        stop(process)


# --- 17.4: a store that cannot be written stops the server at start ---------------------------------------------


def test_a_tracker_database_in_a_missing_folder_stops_the_server_at_start(tmp_path: Path) -> None:
    status, log = start_rasa_expecting_exit(tmp_path, tmp_path / "no-such-folder" / "tracker.db")
    assert status != 0
    assert "no-such-folder does not exist" in log
    assert "TRACKER_DB" in log


def test_a_read_only_tracker_database_stops_the_server_at_start(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    folder.mkdir()
    db = folder / "tracker.db"
    SQLiteTrackerStore(None, dialect="sqlite", db=str(db)).engine.dispose()  # an existing store ...
    subprocess.run(["chattr", "+i", str(db), str(folder)], check=True)  # ... nobody may write, root included
    try:
        status, log = start_rasa_expecting_exit(tmp_path, db)
    finally:
        subprocess.run(["chattr", "-i", str(db), str(folder)], check=True)
    assert status != 0
    assert f"cannot write to the tracker store {db}" in log


# --- 17.4 / 22.1 at run time: health red, the message refused, then the conversation goes on ----------------------


@pytest.fixture(scope="module")
def own_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    """Servers whose tracker database these tests take away (not the package's shared ones)."""
    with running_servers(Path(tmp_path_factory.mktemp("store-faults"))) as running:
        yield running


def test_a_tracker_database_taken_away_turns_health_red_and_refuses_messages_until_it_is_back(
    own_servers: Servers,
) -> None:
    servers, db = own_servers, Path(own_servers.env["TRACKER_DB"])
    sender = new_sender()
    first = servers.send(sender, "hello")
    assert "not medical advice" in texts(first)[0]
    assert servers.send(sender, "what are the symptoms of ALL?")
    assert healthz(servers.rasa_url) == (200, {"status": "ok"})

    aside = db.with_name("moved-away.db")
    db.rename(aside)  # an operator's mistake, a cleanup script, a volume that went away
    try:
        body = wait_for_health(servers.rasa_url, 503)
        assert body["status"] == "unavailable"
        assert body["reason"]
        assert str(db) not in body["reason"]
        response = requests.post(
            servers.rasa_url + "/webhooks/rest/webhook",
            json={"sender": sender, "message": "what is a lumbar puncture?"},
            timeout=60,
        )
        assert response.status_code == 503
        assert response.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
        assert response.json()["reply"] == STORE_UNAVAILABLE_REPLY
        assert response.json()["error"]
        assert not db.exists()  # no empty database made in its place
    finally:
        aside.rename(db)
    wait_for_health(servers.rasa_url, 200)
    reply = servers.send(sender, "what is a lumbar puncture?")
    assert not any("not medical advice" in text for text in texts(reply))  # the same conversation, no new disclaimer
    assert user_texts(db, sender) == ["hello", "what are the symptoms of ALL?", "what is a lumbar puncture?"]
    log = (servers.workdir / "rasa.log").read_text(errors="replace")
    assert "tracker_store_unavailable" in log
    assert "lumbar" not in log


# --- 17.7: forgetting while a message is handled ----------------------------------------------------------------


def test_forgetting_a_conversation_while_its_message_is_handled_does_not_bring_it_back(
    servers: Servers, proxy: ActionProxy
) -> None:
    sender = new_sender()
    servers.send(sender, "my daughter Zoe Quincey-Marchbanks has a rash, what are the symptoms of ALL?")
    replies: list[list[dict[str, Any]]] = []
    try:
        proxy.mode = "hang"  # the answer takes ACTION_TIMEOUT: long enough to forget meanwhile
        asking = threading.Thread(target=lambda: replies.append(servers.send(sender, "what is a lumbar puncture?")))
        asking.start()
        time.sleep(1.0)
        # What `make forget` runs (stores.retention), in this process so that it surely lands mid-message.
        assert retention.forget_sender(retention.open_store(servers.env["TRACKER_DB"]), sender) > 0
        assert asking.is_alive()  # the message is still being handled
        asking.join(60)
    finally:
        proxy.mode = "forward"
    assert replies, "the message in flight got no reply"
    assert user_texts(servers.env["TRACKER_DB"], sender) == []  # nothing of the forgotten conversation came back
    with sqlite3.connect(servers.env["TRACKER_DB"]) as connection:
        stored = connection.execute("select count(*) from events where data like '%Marchbanks%'").fetchone()[0]
    assert stored == 0
    again = servers.send(sender, "what is ALL?")
    assert "not medical advice" in texts(again)[0]  # it starts afresh
    assert user_texts(servers.env["TRACKER_DB"], sender) == ["what is ALL?"]


# --- 17.12: same-sender messages queued without the once-a-second poll --------------------------------------------


def burst(servers: Servers, sender: str, count: int) -> list[float]:
    """``count`` messages of one conversation sent at once; each one's round trip in seconds."""
    questions = ["what are the symptoms of ALL?", "what is a lumbar puncture?", "what is a bone marrow aspiration?"]

    def ask(n: int) -> float:
        started = time.monotonic()
        reply = servers.send(sender, questions[n % len(questions)])
        assert reply
        return time.monotonic() - started

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(ask, range(count)))


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def test_five_queued_messages_of_one_sender_are_answered_without_polling_delay(servers: Servers) -> None:
    sender = new_sender()
    servers.send(sender, "hello")
    single = burst(servers, new_sender(), 1)[0]
    times = burst(servers, sender, 5)
    print(f"\n5 queued messages: p95 {p95(times):.2f} s, max {max(times):.2f} s (one message alone {single:.2f} s)")
    assert len(user_texts(servers.env["TRACKER_DB"], sender)) == 6
    # Rasa's lock polls once a second: the 5th message waited about 4 s. Generous for a loaded machine.
    assert p95(times) < max(2.0, 5 * single + 0.5)


def test_twenty_queued_messages_of_one_sender_are_all_answered_in_turn(servers: Servers) -> None:
    sender = new_sender()
    servers.send(sender, "hello")
    times = burst(servers, sender, 20)
    print(f"\n20 queued messages: p95 {p95(times):.2f} s, max {max(times):.2f} s")
    assert len(user_texts(servers.env["TRACKER_DB"], sender)) == 21
    assert max(times) < 12.0  # Rasa's once-a-second poll: up to 19 s
