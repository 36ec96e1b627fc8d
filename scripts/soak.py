"""A long soak of the real servers: errors, latency per minute and whether memory stays flat (``make soak``).

Usage: python scripts/soak.py [--minutes 30] [--users 20] [--out docs]
Starts the action server and the Rasa server as ``make bench`` does (fresh SQLite tracker store, loopback),
lets ``--users`` conversations send questions without pause for ``--minutes``, samples both servers'
resident memory every 30 s and writes docs/soak.md and docs/benchmarks/soak.json. ``make bench`` runs a
shorter soak of the same kind; this one is long enough to tell a cache filling up from a leak
(:func:`bench.stats.memory_trend`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import load, report  # noqa: E402
from bench.servers import bench_servers  # noqa: E402
from bench.stats import FLAT_TOLERANCE_MIB, memory_trend, run_record  # noqa: E402
from scripts.bench import QUESTION_FILES, log, question_mix, read_questions  # noqa: E402

SERVERS = {"rasa_server": "Rasa server", "action_server": "action server"}


def markdown(result: dict[str, Any]) -> str:
    soak = result["soak"]
    lines = [
        "# Soak: the real servers under constant load (`make soak`)",
        "",
        f"Run {result['date']} at commit `{result['git_commit']}` on {result['machine']['nproc']} cores "
        f"({result['machine']['cpu']}); `python scripts/soak.py --minutes {result['minutes']:g} "
        f"--users {soak['users']}` rewrites this page.",
        "",
        "## Memory",
        "",
        f"Flat means: at most {FLAT_TOLERANCE_MIB} MiB more over the second half of the run (a cache filling "
        "up shows in the first half, a leak in both halves).",
        "",
        "| server | before load | first sample under load | half-time | end | rise over the second half | "
        "slope over the second half | flat |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, label in SERVERS.items():
        t = result["memory"][name]
        lines.append(
            f"| {label} | {t['before_load_mib']} MiB | {t['first_under_load_mib']} MiB | {t['half_time_mib']} MiB "
            f"| {t['end_mib']} MiB | {t['second_half_rise_mib']:+} MiB | "
            f"{t['second_half_slope_mib_per_min']:+} MiB/min | {'yes' if t['flat'] else '**no**'} |"
        )
    lines += ["", *report.soak_section(soak)[1:]]
    return "\n".join(lines).rstrip() + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    if args.minutes < 2 or args.users < 1:
        parser.error("--minutes must be at least 2 and --users at least 1")
    mix = question_mix({name: read_questions(path) for name, path in QUESTION_FILES.items()})
    result: dict[str, Any] = run_record(ROOT, minutes=args.minutes)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="soak-") as tmp, bench_servers(Path(tmp)) as servers:
        log(f"soak: {args.users} users for {args.minutes:g} min (REST), memory sampled every 30 s")
        soak = asyncio.run(load.rest_soak(servers.rasa_url, mix, args.users, args.minutes * 60, servers.peak_memory))
    result["soak"] = soak
    result["memory"] = {name: memory_trend(soak["memory_samples"], name) for name in SERVERS}
    result["wall_s"] = round(time.monotonic() - started, 1)
    (args.out / "benchmarks").mkdir(parents=True, exist_ok=True)
    (args.out / "benchmarks" / "soak.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    (args.out / "soak.md").write_text(markdown(result), encoding="utf-8")
    log(
        f"done: {soak['messages']} messages, {soak['errors']} errors; Rasa server memory "
        f"{result['memory']['rasa_server']['second_half_rise_mib']:+} MiB over the second half "
        f"-> {args.out / 'soak.md'}"
    )
    return 0 if soak["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
