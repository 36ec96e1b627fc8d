"""A Rasa server crashes during a load run: nginx routes around it, no acknowledged message is lost, and the
supervisor starts the crashed server again (logged), which then takes messages again."""

from __future__ import annotations

import signal
import threading
import time
import uuid
from dataclasses import dataclass, field

import pytest
import requests

from serving.cluster.cluster import Cluster
from tests.cluster.conftest import send, stored_events

pytestmark = pytest.mark.cluster

QUESTIONS = [
    "what are the symptoms of ALL?",
    "how is childhood ALL diagnosed?",
    "what is a lumbar puncture?",
    "what are the risk groups?",
    "what is induction?",
    "what are late effects?",
    "what is a clinical trial?",
    "what is a bone marrow aspiration?",
]


@dataclass
class Family:
    sender: str
    acknowledged: list[str] = field(default_factory=list)
    failed_attempts: list[float] = field(default_factory=list)  # when a try got no answer (then retried)


MESSAGES = 30


def converse(url: str, family: Family, stop_at: float) -> None:
    for n in range(MESSAGES):
        time.sleep(0.2)  # a family reads the answer before asking again
        question = QUESTIONS[n % len(QUESTIONS)]
        while time.monotonic() < stop_at:
            try:
                response = requests.post(url, json={"sender": family.sender, "message": question}, timeout=60)
                if response.status_code == 200 and response.json():
                    family.acknowledged.append(question)
                    break
            except requests.RequestException:
                pass
            family.failed_attempts.append(time.monotonic())
            time.sleep(0.5)  # like the widget: try again in a moment


def test_killing_a_rasa_server_during_load_loses_no_acknowledged_message(cluster: Cluster) -> None:
    url = cluster.config.public_url + "/webhooks/rest/webhook"
    families = [Family(f"load-{i}-{uuid.uuid4().hex[:8]}") for i in range(10)]
    stop_at = time.monotonic() + 150
    threads = [threading.Thread(target=converse, args=(url, f, stop_at)) for f in families]
    for thread in threads:
        thread.start()
    time.sleep(3)
    killed_at = time.monotonic()
    assert cluster.stop_process("rasa-1", sig=signal.SIGKILL)  # a crash, not a clean shutdown
    time.sleep(1)
    log = cluster.log_dir / "nginx-access.log"
    settled = len(log.read_text())
    for thread in threads:
        thread.join(180)

    # Every family got an answer to every message (after at most a retry around the crash) ...
    assert all(f.acknowledged == [QUESTIONS[n % len(QUESTIONS)] for n in range(MESSAGES)] for f in families)
    failures = [t for f in families for t in f.failed_attempts]
    assert len(failures) <= len(families)  # at most the messages in flight on the crashed server
    assert all(t - killed_at < 5 for t in failures)  # and none once nginx had marked it down
    # ... and every acknowledged message is in the shared tracker store, in the order it was sent.
    for family in families:
        stored = [e["text"] for kind, e in stored_events(cluster, family.sender) if kind == "user"]
        position = 0
        for text in family.acknowledged:
            position = stored.index(text, position) + 1
    # A second after the crash every message was answered (by server 2, until server 1 was back).
    later = [line for line in log.read_text()[settled:].splitlines() if "/rest/" in line]
    assert len(later) > 50
    assert all('" 200 ' in line for line in later)


def test_the_crashed_server_is_restarted_logged_and_takes_messages_again(cluster: Cluster) -> None:
    # Restarted by the supervisor after the crash test's kill -9; nobody starts it by hand.
    cluster.wait_rasa(1)
    assert cluster.restarts("rasa-1") >= 1
    assert "WARN exited: rasa-1 (terminated by SIGKILL; not expected)" in cluster.supervisor.log.read_text()
    log = cluster.log_dir / "nginx-access.log"
    offset = len(log.read_text())
    both = {f"127.0.0.1:{cluster.config.rasa_port(i)}" for i in (1, 2)}
    answered_by: set[str] = set()
    # nginx leaves a server out for 5 s after its refusals (docs/deployment.md), so a server that is back
    # within that window takes REST traffic at most 5 s after its /healthz is green: keep asking up to 10 s.
    deadline = time.monotonic() + 10
    n = 0
    while answered_by != both and time.monotonic() < deadline:
        assert send(cluster.config.public_url, f"back-{n}-{uuid.uuid4().hex[:8]}", "hello")
        n += 1
        lines = log.read_text()[offset:].splitlines()
        answered_by = {line.rsplit("upstream=", 1)[1] for line in lines if "/rest/" in line}
    assert answered_by == both
