"""The benchmarks' statistics: nearest-rank percentiles, latency summaries, memory trends, the run record, a
process's CPU time."""

from __future__ import annotations

import math
import os
import subprocess
import threading
import time
from pathlib import Path

import pytest

from bench.stats import cpu_seconds, latency_summary, memory_trend, percentile, run_record


def test_percentile_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50
    assert percentile(values, 95) == 95
    assert percentile(values, 99) == 99
    assert math.isnan(percentile([], 50))


def test_latency_summary_counts_errors() -> None:
    summary = latency_summary([10.0, 20.0, 30.0], errors=1, wall_s=2.0)
    assert summary["messages"] == 4
    assert summary["error_rate"] == 0.25
    assert summary["msg_per_s"] == 1.5


def soak_samples(rss_by_minute: list[float]) -> list[dict]:
    return [{"t_s": 60.0 * n, "rasa_server": {"vmrss_mib": rss}} for n, rss in enumerate(rss_by_minute)]


def test_a_cache_filling_up_then_levelling_off_is_flat() -> None:
    trend = memory_trend(soak_samples([500, 600, 650, 690, 700, 700.5, 701, 700.8, 701.2]), "rasa_server")
    assert trend["flat"] is True
    assert trend["before_load_mib"] == 500
    assert trend["half_time_mib"] == 700
    assert trend["end_mib"] == 701.2
    assert trend["second_half_rise_mib"] == 1.2
    assert 0 < trend["second_half_slope_mib_per_min"] < 0.5


def test_a_steady_rise_is_not_flat() -> None:
    trend = memory_trend(soak_samples([500 + n for n in range(9)]), "rasa_server")
    assert trend["flat"] is False
    assert trend["second_half_slope_mib_per_min"] == 1.0


def test_memory_trend_needs_samples_under_load() -> None:
    with pytest.raises(ValueError, match="at least four samples"):
        memory_trend(soak_samples([500, 510, 520]), "rasa_server")


def test_run_record_names_the_commit_measured_and_keeps_the_fields(tmp_path: Path) -> None:
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q", str(tmp_path)], check=True)
    subprocess.run([*git, "-C", str(tmp_path), "commit", "-q", "--allow-empty", "-m", "x"], check=True)
    head = subprocess.run(
        ["git", "-C", str(tmp_path), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()

    record = run_record(tmp_path, quick=True, runs=[])

    assert head.startswith(record["git_commit"])
    assert len(record["git_commit"]) >= 7
    assert record["quick"] is True
    assert record["runs"] == []
    assert record["machine"]["nproc"] >= 1
    assert record["date"][:2] == "20"


def test_run_record_outside_a_checkout_has_no_commit(tmp_path: Path) -> None:
    assert run_record(tmp_path)["git_commit"] == ""


def _spin(seconds: float) -> None:
    end = time.thread_time() + seconds
    while time.thread_time() < end:
        pass


def test_cpu_seconds_counts_the_work_of_every_thread_of_a_process() -> None:
    before = cpu_seconds(os.getpid())
    worker = threading.Thread(target=_spin, args=(0.3,))
    worker.start()
    _spin(0.3)
    worker.join()
    used = cpu_seconds(os.getpid()) - before
    assert 0.55 <= used <= 1.5  # both threads' 0.3 s, counted in clock ticks of 10 ms
    assert cpu_seconds() >= used  # "self" is this process
