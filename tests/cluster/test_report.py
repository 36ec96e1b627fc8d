"""``make report`` on the production profile's store: the seeded conversations of tests/unit/reporting/ written by
Rasa's SQLTrackerStore into a real PostgreSQL (the cluster's own setup, serving/cluster/postgres.py, started
alone: the report needs no Rasa server), and the same tables as on SQLite, counted by hand there."""

from __future__ import annotations

import csv
import os
import secrets
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain

from serving.cluster import postgres
from serving.cluster.config import ClusterConfig, free_base_port
from serving.paths import ROOT
from tests.unit.reporting.seeded_store import seed
from tests.unit.reporting.test_report import ACTIVITY, ANSWER_TYPES, FEEDBACK, SECTIONS, UNANSWERED, URGENT

pytestmark = pytest.mark.cluster


@pytest.fixture(scope="module")
def seeded_postgresql() -> Iterator[tuple[str, str]]:
    """(URL, password) of a fresh PostgreSQL holding the seeded conversations."""
    base = free_base_port()
    # Not pytest's tmp_path: PostgreSQL runs as the `postgres` user, which cannot enter root's 0700 temp folders.
    config = ClusterConfig(directory=ROOT / "test-artifacts" / f"report-postgres-{base}", base_port=base)
    shutil.rmtree(config.directory, ignore_errors=True)
    config.log_dir.mkdir(parents=True)
    password = secrets.token_hex(16)
    postgres.initialise(config, password)
    postgres.write_config(config)
    program = postgres.program(config)
    command = ["runuser", "-u", program.user, "--", *program.command] if program.user else list(program.command)
    with (config.log_dir / "postgres.log").open("wb") as log:
        server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        postgres.create_database(config, password)
        store = SQLTrackerStore(
            Domain.empty(), dialect="postgresql", host="127.0.0.1", port=config.postgres_port,
            db=postgres.DATABASE, username=postgres.USER, password=password,
        )  # fmt: skip
        seed(store)
        store.engine.dispose()
        yield postgres.url(config, password), password
    finally:
        os.killpg(server.pid, signal.SIGINT)  # PostgreSQL's fast shutdown (runuser does not pass SIGINT on)
        server.wait(60)
        shutil.rmtree(config.directory, ignore_errors=True)


def read_csv(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as file:
        return list(csv.reader(file))[1:]


def as_text(rows: list[tuple[object, ...]]) -> list[list[str]]:
    return [[str(value) for value in row] for row in rows]


def test_the_report_of_the_seeded_postgresql_store_matches_the_counts(
    seeded_postgresql: tuple[str, str], tmp_path: Path
) -> None:
    url, password = seeded_postgresql
    result = subprocess.run(
        [sys.executable, "-m", "reporting", "--url", url, "--from", "2026-11-02", "--to", "2026-11-04",
         "--out", str(tmp_path)],
        capture_output=True, text=True, check=False, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("report: 5 conversations, 16 messages from 2026-11-02 to 2026-11-04 in postgresql")
    assert f"report: wrote {tmp_path / 'report.html'}" in result.stdout
    assert password not in result.stdout
    assert read_csv(tmp_path / "activity.csv") == as_text(ACTIVITY)
    assert read_csv(tmp_path / "answer_types.csv") == as_text(ANSWER_TYPES)
    assert read_csv(tmp_path / "urgent.csv") == as_text(URGENT)
    assert read_csv(tmp_path / "sections.csv") == as_text(SECTIONS)
    assert read_csv(tmp_path / "feedback.csv") == as_text(FEEDBACK)
    assert read_csv(tmp_path / "unanswered.csv") == as_text(UNANSWERED)
    summary = dict(read_csv(tmp_path / "summary.csv"))
    assert summary["stored events skipped (unreadable)"] == "3"
    assert summary["questions left out (fewer than 3 conversations)"] == "5"
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert password not in page
    assert "can my child go to school" not in page


def test_a_wrong_password_is_a_clear_error(seeded_postgresql: tuple[str, str], tmp_path: Path) -> None:
    url, password = seeded_postgresql
    wrong = url.replace(password, "wrong-password")
    result = subprocess.run(
        [sys.executable, "-m", "reporting", "--url", wrong, "--out", str(tmp_path)],
        capture_output=True, text=True, check=False, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.startswith("report: cannot open postgresql://allpdq:***@127.0.0.1:")
    assert "Traceback" not in result.stderr
    assert "wrong-password" not in result.stderr
    assert not (tmp_path / "report.html").exists()
