"""The cluster's processes under supervisord: status, restarts, configuration files, idempotent commands."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid

import psycopg2
import pytest
import redis
import requests

from serving.cluster import postgres
from serving.cluster.cluster import Cluster
from serving.paths import ROOT
from tests.cluster.conftest import send

pytestmark = pytest.mark.cluster

PROCESSES = {"postgres", "redis", "nginx", "rasa-1", "rasa-2", "actions-1", "actions-2"}


def cli(cluster: Cluster, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m serving.cluster ...`` for this cluster's folder and ports, as ``make cluster-*`` runs it."""
    config = cluster.config
    env = {
        **os.environ,
        "CLUSTER_DIR": str(config.directory),
        "CLUSTER_PORT": str(config.public_port),
        "CLUSTER_BASE_PORT": str(config.base_port),
    }
    return subprocess.run(
        [sys.executable, "-m", "serving.cluster", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )


def test_the_first_40_requests_after_up_are_all_answered(first_statuses: list[int]) -> None:
    assert first_statuses == [200] * 40


def test_status_shows_each_process_with_uptime_and_restarts(cluster: Cluster) -> None:
    result = cli(cluster, "status")
    assert result.returncode == 0, result.stderr
    rows = {line.split()[0]: line.split() for line in result.stdout.splitlines()[1:]}
    assert set(rows) >= PROCESSES
    for name in PROCESSES:
        _, state, pid, uptime, restarts = rows[name]
        assert state == "RUNNING", rows[name]
        assert int(pid) > 0, rows[name]
        assert uptime.count(":") == 2
        assert restarts.isdigit()


def test_a_crashed_action_server_is_restarted_and_logged(cluster: Cluster) -> None:
    before = cluster.restarts("actions-1")
    old_pid = cluster.supervisor.status("actions-1").pid
    assert cluster.stop_process("actions-1", sig=9)
    deadline = time.monotonic() + 120
    port = cluster.config.action_port(1)
    while time.monotonic() < deadline:
        status = cluster.supervisor.status("actions-1")
        try:
            healthy = requests.get(f"http://127.0.0.1:{port}/health", timeout=2).ok
        except requests.RequestException:
            healthy = False
        if status.state == "RUNNING" and status.pid != old_pid and healthy:
            break
        time.sleep(0.5)
    else:
        raise AssertionError("actions-1 was not restarted within 120 s")
    assert cluster.restarts("actions-1") == before + 1
    assert "WARN exited: actions-1 (terminated by SIGKILL; not expected)" in cluster.supervisor.log.read_text()
    assert send(cluster.config.public_url, f"after-actions-crash-{uuid.uuid4().hex[:6]}", "what is induction?")


def test_postgres_runs_from_its_configuration_file_durably(cluster: Cluster) -> None:
    connection = psycopg2.connect(cluster.postgres_url())
    try:
        with connection.cursor() as cursor:
            settings = {}
            for name in ("config_file", "fsync", "synchronous_commit", "full_page_writes", "port"):
                cursor.execute(f"show {name}")
                settings[name] = cursor.fetchone()[0]
    finally:
        connection.close()
    assert settings["config_file"] == str(postgres.config_file(cluster.config))
    assert settings["fsync"] == settings["synchronous_commit"] == settings["full_page_writes"] == "on"
    assert settings["port"] == str(cluster.config.postgres_port)
    text = postgres.config_file(cluster.config).read_text()
    assert f"port = {cluster.config.postgres_port}" in text
    assert "synchronous_commit = on" in text


def test_redis_runs_from_its_configuration_file(cluster: Cluster) -> None:
    client = redis.Redis(host="127.0.0.1", port=cluster.config.redis_port, password=cluster.secrets()["REDIS_PASSWORD"])
    assert client.info("server")["config_file"] == str(cluster.config.directory / "conf" / "redis.conf")


def test_cluster_up_on_a_running_cluster_says_so_and_leaves_it_running(cluster: Cluster) -> None:
    pids = cluster.pids
    result = cli(cluster, "up")
    assert result.returncode == 0, result.stderr
    assert "already running" in result.stdout
    assert cluster.pids == pids
    assert send(cluster.config.public_url, f"after-up-{uuid.uuid4().hex[:6]}", "hello")


def test_cluster_down_on_a_stopped_cluster_is_harmless(tmp_path_factory: pytest.TempPathFactory) -> None:
    from serving.cluster.config import ClusterConfig

    stopped = Cluster(ClusterConfig(directory=tmp_path_factory.mktemp("never-started")))
    for _ in range(2):
        assert stopped.down() == []
