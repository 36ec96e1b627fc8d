"""PostgreSQL restarts and outages in the production profile: a 200 means the turn is stored, else an honest 503."""

from __future__ import annotations

import threading
import time
import uuid
from typing import Any

import pytest
import requests

from actions.knowledge_base import KnowledgeBase
from serving.cluster.cluster import Cluster
from stores.errors import RETRY_AFTER_SECONDS, STORE_UNAVAILABLE_REPLY
from tests.cluster.conftest import rasa_url, send, stored_events, texts

pytestmark = pytest.mark.cluster


def post(base_url: str, sender: str, message: str) -> requests.Response:
    return requests.post(base_url + "/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=90)


def health(base_url: str) -> int:
    return requests.get(base_url + "/healthz", timeout=10).status_code


def wait_for_health(base_url: str, status: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while health(base_url) != status:
        assert time.monotonic() < deadline, f"/healthz did not turn {status}"
        time.sleep(0.2)


def user_texts(cluster: Cluster, sender: str) -> list[str]:
    return [str(e["text"]) for kind, e in stored_events(cluster, sender) if kind == "user"]


def test_a_database_outage_refuses_messages_honestly_and_the_conversation_continues_after_it(
    cluster: Cluster, kb: KnowledgeBase
) -> None:
    one, two = rasa_url(cluster, 1), rasa_url(cluster, 2)
    sender = f"outage-{uuid.uuid4().hex[:10]}"
    assert "not medical advice" in texts(send(one, sender, "hello"))[0]
    asked = send(two, sender, "can you check which risk group fits a 4 year old?")
    assert "white blood cell count" in texts(asked)[-1]  # the risk-group form waits for the count
    assert health(one) == 200
    assert health(two) == 200

    cluster.stop_postgres()
    try:
        wait_for_health(one, 503)
        started = time.monotonic()
        refused = post(one, sender, "about 30,000")
        waited = time.monotonic() - started
        assert refused.status_code == 503
        assert refused.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
        assert refused.json()["reply"] == STORE_UNAVAILABLE_REPLY
        print(f"\nPostgreSQL down: 503 after {waited:.1f} s (retries first), /healthz 503")
    finally:
        cluster.start_postgres()
    wait_for_health(one, 200)
    wait_for_health(two, 200)

    answered = send(two, sender, "about 30,000")  # the same form, on the other server
    assert not any("not medical advice" in text for text in texts(answered))  # no second disclaimer
    standard = next(g for g in kb.risk_groups.groups if g.id == "standard")
    assert standard.definition in texts(answered)[0]  # the form kept the age it was told before the outage
    assert user_texts(cluster, sender) == ["hello", "can you check which risk group fits a 4 year old?", "about 30,000"]


def test_a_database_restart_during_a_conversation_costs_no_turn(cluster: Cluster) -> None:
    senders = [f"restart-{uuid.uuid4().hex[:8]}" for _ in range(4)]
    answered: dict[str, list[str]] = {sender: [] for sender in senders}
    failures: list[Any] = []
    stop = threading.Event()

    def talk(sender: str, server: int) -> None:
        n = 0
        while not stop.is_set():
            question = f"what are the symptoms of ALL? ({n})"
            try:
                response = post(rasa_url(cluster, server), sender, question)
            except requests.RequestException as error:
                failures.append((sender, question, type(error).__name__))
                continue
            if response.status_code == 200:
                answered[sender].append(question)
            else:
                failures.append((sender, question, response.status_code))
            n += 1

    threads = [threading.Thread(target=talk, args=(s, 1 + i % 2)) for i, s in enumerate(senders)]
    for thread in threads:
        thread.start()
    time.sleep(3)
    restarted = time.monotonic()
    cluster.stop_postgres()
    cluster.start_postgres()
    restart_s = time.monotonic() - restarted
    time.sleep(3)
    stop.set()
    for thread in threads:
        thread.join(120)
    print(f"\nPostgreSQL restarted in {restart_s:.1f} s; {sum(map(len, answered.values()))} turns answered")
    assert failures == []  # no turn refused or lost during a restart of a few seconds
    for sender in senders:
        assert user_texts(cluster, sender) == answered[sender]  # every 200 is a stored turn, in order
