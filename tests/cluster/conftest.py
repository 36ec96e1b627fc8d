"""The production profile for real: PostgreSQL, Redis, nginx, two Rasa servers and two action servers.

Started once for the package by :mod:`serving.cluster` in a temporary folder on free ports (Debian packages
installed on first use), stopped at the end. Tests talk to nginx (``cluster.config.public_url``) or to one
Rasa server directly (``rasa_url(cluster, i)``) and read conversations from PostgreSQL. The statuses of the
first 40 requests sent through nginx once ``up`` returned are kept (``first_statuses``).
"""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg2
import pytest
import requests
from playwright.sync_api import Browser

from serving.cluster.cluster import Cluster
from serving.cluster.config import ClusterConfig, free_base_port
from serving.cluster.load import ask
from serving.paths import ROOT
from tests.browser.conftest import context, launched_chromium, page  # noqa: F401  (chromium for test_browser.py)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Chromium for ``test_browser.py`` only: closed after that module, so the other modules' ``asyncio.run``
    does not meet Playwright's running event loop."""
    with launched_chromium() as launched:
        yield launched


@pytest.fixture(scope="package")
def started_cluster() -> Iterator[tuple[Cluster, list[int]]]:
    base = free_base_port()
    # Not pytest's tmp_path: PostgreSQL runs as the `postgres` user, which cannot enter root's 0700 temp folders.
    directory = ROOT / "test-artifacts" / f"cluster-{base}"
    shutil.rmtree(directory, ignore_errors=True)
    config = ClusterConfig(
        directory=directory,
        public_port=base + 99,
        base_port=base,
        rasa_servers=2,
        action_servers=2,
        # The load tests send from one address: the per-client limit is tested on its own (test_edge.py).
        rate_per_second=1000,
        burst=1000,
        lock_lifetime_s=6,  # as in production (ClusterConfig): the crashed-ticket tests wait it out
    )
    running = Cluster(config)
    try:
        running.up()
        first = [ask(config.public_url, f"first-{n}-{uuid.uuid4().hex[:6]}", "hello").status for n in range(40)]
        yield running, first
    finally:
        running.down(purge=True)


@pytest.fixture(scope="package")
def cluster(started_cluster: tuple[Cluster, list[int]]) -> Cluster:
    return started_cluster[0]


@pytest.fixture(scope="package")
def first_statuses(started_cluster: tuple[Cluster, list[int]]) -> list[int]:
    """HTTP statuses of the first 40 REST messages through nginx after ``up`` returned."""
    return started_cluster[1]


def rasa_url(cluster: Cluster, index: int) -> str:
    return f"http://127.0.0.1:{cluster.config.rasa_port(index)}"


def send(base_url: str, sender: str, message: str, timeout: float = 60) -> list[dict[str, Any]]:
    response = requests.post(
        base_url + "/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=timeout
    )
    response.raise_for_status()
    return list(response.json())


def texts(messages: list[dict[str, Any]]) -> list[str]:
    return [str(m["text"]) for m in messages if "text" in m]


def stored_events(cluster: Cluster, sender: str) -> list[tuple[str, dict[str, Any]]]:
    """The conversation as PostgreSQL holds it: (event type, event) in order."""
    connection = psycopg2.connect(cluster.postgres_url())
    try:
        with connection.cursor() as cursor:
            cursor.execute("select type_name, data from events where sender_id = %s order by id", (sender,))
            return [(type_name, json.loads(data)) for type_name, data in cursor.fetchall()]
    finally:
        connection.close()
