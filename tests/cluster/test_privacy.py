"""The retention commands on the production profile's PostgreSQL tracker store."""

from __future__ import annotations

import subprocess
import sys
import uuid

import psycopg2
import pytest

from serving.cluster.cluster import Cluster
from serving.paths import ROOT
from tests.cluster.conftest import send, stored_events

pytestmark = pytest.mark.cluster


def test_forget_old_and_forget_one_on_postgresql(cluster: Cluster) -> None:
    old, recent, kept = (f"privacy-{name}-{uuid.uuid4().hex[:8]}" for name in ("old", "recent", "kept"))
    for sender in (old, recent, kept):
        send(cluster.config.public_url, sender, "what is ALL?")
    connection = psycopg2.connect(cluster.postgres_url())
    with connection, connection.cursor() as cursor:
        cursor.execute("update events set timestamp = timestamp - 40 * 86400 where sender_id = %s", (old,))
    connection.close()
    privacy = [sys.executable, "-m", "scripts.privacy", "--url", cluster.postgres_url()]

    result = subprocess.run(
        [*privacy, "forget-old", "--days", "30"], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert "deleted 1 conversations" in result.stdout
    assert cluster.secrets()["POSTGRES_PASSWORD"] not in result.stdout  # the URL is printed without it
    assert stored_events(cluster, old) == []
    assert stored_events(cluster, recent)
    assert stored_events(cluster, kept)

    subprocess.run([*privacy, "forget", "--sender", recent], capture_output=True, text=True, check=True, cwd=ROOT)
    assert stored_events(cluster, recent) == []
    assert stored_events(cluster, kept)
    reply = send(cluster.config.public_url, recent, "what is ALL?")
    assert "not medical advice" in reply[0]["text"]  # a new conversation: the disclaimer again


def test_a_wrong_store_url_is_a_clear_error(cluster: Cluster) -> None:
    url = cluster.postgres_url().replace(cluster.secrets()["POSTGRES_PASSWORD"], "wrong-password")
    result = subprocess.run(
        [sys.executable, "-m", "scripts.privacy", "--url", url, "forget", "--sender", "x"],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.startswith("privacy: cannot open")
    assert "Traceback" not in result.stderr
    assert "wrong-password" not in result.stderr
