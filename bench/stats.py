"""Small statistics helpers shared by the benchmarks."""

from __future__ import annotations

import datetime as dt
import math
import os
import platform
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (``pct`` in 0..100) of ``values``; NaN when empty."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def latency_summary(latencies_ms: Sequence[float], errors: int, wall_s: float) -> dict[str, Any]:
    """p50/p95/p99/mean/max in ms, messages per second (successful messages / wall time) and error rate."""
    total = len(latencies_ms) + errors
    return {
        "messages": total,
        "ok": len(latencies_ms),
        "errors": errors,
        "error_rate": round(errors / total, 4) if total else 0.0,
        "p50_ms": round(percentile(latencies_ms, 50), 1),
        "p95_ms": round(percentile(latencies_ms, 95), 1),
        "p99_ms": round(percentile(latencies_ms, 99), 1),
        "mean_ms": round(sum(latencies_ms) / len(latencies_ms), 1) if latencies_ms else math.nan,
        "max_ms": round(max(latencies_ms), 1) if latencies_ms else math.nan,
        "wall_s": round(wall_s, 2),
        "msg_per_s": round(len(latencies_ms) / wall_s, 1) if wall_s > 0 else math.nan,
    }


def proc_status(pid: int | str = "self") -> dict[str, int]:
    """VmRSS / VmHWM (kB) of a process from /proc/<pid>/status."""
    values: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0])
    return values


def cpu_seconds(pid: int | str = "self") -> float:
    """CPU time (user + system, all threads) a process has used so far, from /proc/<pid>/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    utime, stime = int(fields[11]), int(fields[12])  # fields 14 and 15 of proc(5), in clock ticks
    return (utime + stime) / os.sysconf("SC_CLK_TCK")


def machine() -> dict[str, Any]:
    """nproc, memory, CPU model, load average and Python version of this machine."""
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem_kb = int(line.split()[1])
    return {
        "nproc": os.cpu_count(),
        "memory_gib": round(mem_kb / 1024 / 1024, 1),
        "cpu": cpu,
        "python": platform.python_version(),
        "kernel": platform.release(),
        "loadavg": list(os.getloadavg()),
    }


FLAT_TOLERANCE_MIB = 2.0  # allocator and page-granularity noise in VmRSS between two samples


def memory_trend(samples: Sequence[dict[str, Any]], server: str) -> dict[str, Any]:
    """How a server's resident memory moved during a soak: warm-up rise, then the second half of the run.

    ``samples`` are ``{"t_s": ..., server: {"vmrss_mib": ...}}``, the first taken before any load. The run
    under load is split in two halves by time; memory is **flat** when it rose by at most
    :data:`FLAT_TOLERANCE_MIB` over the second half (a cache filling up shows in the first half, a leak in
    both). The slope is a least-squares fit over the second half, in MiB per minute.
    """
    under_load = [s for s in samples if s["t_s"] > 0]
    if len(under_load) < 4:
        raise ValueError("memory_trend needs at least four samples under load")
    end = under_load[-1]["t_s"]
    second = [s for s in under_load if s["t_s"] >= end / 2]
    rss = [s[server]["vmrss_mib"] for s in second]
    minutes = [s["t_s"] / 60 for s in second]
    mean_t, mean_m = sum(minutes) / len(minutes), sum(rss) / len(rss)
    spread = sum((t - mean_t) ** 2 for t in minutes)
    slope = sum((t - mean_t) * (m - mean_m) for t, m in zip(minutes, rss, strict=True)) / spread if spread else 0.0
    rise = rss[-1] - rss[0]
    return {
        "before_load_mib": samples[0][server]["vmrss_mib"],
        "first_under_load_mib": under_load[0][server]["vmrss_mib"],
        "half_time_mib": rss[0],
        "end_mib": rss[-1],
        "peak_mib": max(s[server]["vmrss_mib"] for s in samples),
        "second_half_rise_mib": round(rise, 1),
        "second_half_slope_mib_per_min": round(slope, 3),
        "flat": rise <= FLAT_TOLERANCE_MIB,
    }


def run_record(repo: Path, **fields: Any) -> dict[str, Any]:
    """The header every benchmark result starts with: date, machine, short commit of ``repo``, then ``fields``.

    The commit is empty when ``repo`` is not a git checkout.
    """
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=repo, capture_output=True, text=True, check=False
    ).stdout.strip()
    return {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": machine(),
        "git_commit": commit,
        **fields,
    }
