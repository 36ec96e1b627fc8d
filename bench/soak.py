"""A long soak of the real servers: errors, latency per minute and whether memory stays flat (``make soak``).

Usage: python -m bench.soak [--minutes 30] [--users 20] [--out docs] [--report-only]
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

import rasa_patches
from bench import load, report
from bench.questions import QUESTION_FILES, question_mix, read_questions
from bench.servers import bench_servers
from bench.stats import FLAT_TOLERANCE_MIB, memory_trend, run_record
from serving.paths import ROOT


def log(message: str) -> None:
    print(f"[soak {time.strftime('%H:%M:%S')}] {message}", flush=True)


SERVERS = {"rasa_server": "Rasa server", "action_server": "action server"}

# Measured before rasa_patches/eager_tensor.py (then runtime_fixes/) existed; kept because it explains that module.
LEAK_HISTORY = [
    "## The leak an earlier soak found",
    "",
    "The first 30-minute soak (commit `b0bc8e6`, 60,592 messages) left the action server flat but the Rasa "
    "server rising by 17.7 MiB over the second half (1.19 MiB/min, about 0.6 KiB per message), with the "
    "count of Python objects constant. Narrowed down in one process after 3,000 warm-up messages:",
    "",
    "- NLU alone (`agent.parse_message`, no tracker store, actions or HTTP): the same 0.6 MiB per 1,000;",
    "- tokenizer and featurizers alone: flat (426.5 MiB over 10,000 messages); up to DIET: +9.3 MiB;",
    "- DIET's prediction step alone, same input every time: +11.7 MiB over 12,000 calls (+7.5 MiB with jemalloc);",
    "- `tf.constant` in a loop: tracemalloc keeps 16 bytes per tensor, allocated in `EagerTensor`'s creation.",
    "",
    "TensorFlow 2.12 on Python 3.11 leaks a 16-byte attribute-values array with every `EagerTensor` "
    "(tensorflow/tensorflow#62551; Rasa 3.6 pins TensorFlow 2.12 and this machine has only Python 3.11). "
    "`rasa_patches/eager_tensor.py` makes the type allocate without it; "
    "`tests/integration/rasa_patches/test_eager_tensor.py` "
    "shows 16 bytes per tensor kept without the fix and none with it, and the trained model's answers "
    "are unchanged (`tests/integration/test_model_loading.py`). "
    "`RASA_RUNTIME_FIXES=0 python -m bench.soak` measures the servers without it.",
]


def markdown(result: dict[str, Any]) -> str:
    soak = result["soak"]
    lines = [
        "# Soak: the real servers under constant load (`make soak`)",
        "",
        f"Run {result['date']} at commit `{result['git_commit']}` on {result['machine']['nproc']} cores "
        f"({result['machine']['cpu']}); `python -m bench.soak --minutes {result['minutes']:g} "
        f"--users {soak['users']}` rewrites this page. Runtime fixes (`rasa_patches`, `RASA_RUNTIME_FIXES`): "
        f"{'on' if result.get('runtime_fixes', True) else '**off** (`RASA_RUNTIME_FIXES=0`)'}.",
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
    lines += ["", *LEAK_HISTORY, "", *report.soak_section(soak, long_soak_link=False)[1:]]
    return "\n".join(lines).rstrip() + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument("--report-only", action="store_true", help="rewrite soak.md from soak.json, measure nothing")
    args = parser.parse_args()
    if args.report_only:
        raw = json.loads((args.out / "benchmarks" / "soak.json").read_text(encoding="utf-8"))
        (args.out / "soak.md").write_text(markdown(raw), encoding="utf-8")
        log(f"rewrote {args.out / 'soak.md'} from {args.out / 'benchmarks' / 'soak.json'}")
        return 0
    if args.minutes < 2 or args.users < 1:
        parser.error("--minutes must be at least 2 and --users at least 1")
    mix = question_mix({name: read_questions(path) for name, path in QUESTION_FILES.items()})
    # the servers inherit this environment, so they run with the fixes exactly when this says so
    result: dict[str, Any] = run_record(ROOT, minutes=args.minutes, runtime_fixes=rasa_patches.runtime_fixes_enabled())
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
