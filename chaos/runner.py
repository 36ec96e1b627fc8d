"""Run the drills against freshly started servers and print one line per drill (``make chaos``).

The full run has every drill and a fuzz of 300 inputs per door; ``--short`` (what the test suite runs) has
the action-server drills and a fuzz of 40 inputs per door. The exit status is 0 only when every drill passed.
"""

from __future__ import annotations

import argparse
import logging
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from chaos import drills
from chaos.fuzz import fuzz_everything
from chaos.servers import ChaosServers, chaos_servers

logger = logging.getLogger(__name__)

FULL_FUZZ = 300
SHORT_FUZZ = 40


@dataclass(frozen=True)
class Result:
    name: str
    passed: bool
    detail: str
    seconds: float

    def line(self) -> str:
        return f"{'PASS' if self.passed else 'FAIL'}  {self.name:<34} {self.seconds:6.1f} s  {self.detail}"


def fuzz_drill(count: int) -> drills.Drill:
    def fuzz(servers: ChaosServers) -> drills.Outcome:
        surfaces = fuzz_everything(servers.rasa.rasa_url, count)
        errors = [error for surface in surfaces for error in surface.server_errors]
        detail = "; ".join(map(str, surfaces)) + (f"; first: {errors[0]}" if errors else "")
        return not errors, detail

    return fuzz


def drill_list(short: bool) -> list[tuple[str, drills.Drill]]:
    own: list[tuple[str, drills.Drill]] = [
        ("action server kill -9", drills.action_server_kill9),
        ("action server SIGSTOP", drills.action_server_sigstop),
    ]
    if short:
        return [*own, ("bad-input fuzz", fuzz_drill(SHORT_FUZZ))]
    return [
        *own,
        ("Rasa server restart mid-message", drills.rasa_restart_mid_message),
        ("tracker DB folder missing at start", drills.tracker_db_missing_folder),
        ("tracker DB read-only at start", drills.tracker_db_read_only_at_start),
        ("tracker DB read-only at run time", drills.tracker_db_read_only_at_run_time),
        ("socket.io session id takeover", drills.socketio_session_takeover),
        ("bad-input fuzz", fuzz_drill(FULL_FUZZ)),
    ]


def run(short: bool = False, workdir: Path | None = None, report: Callable[[str], None] = print) -> list[Result]:
    """Start the servers, run the drills one after the other, report each line as it is known."""
    with tempfile.TemporaryDirectory(prefix="chaos-") as scratch:
        folder = workdir or Path(scratch)
        report(f"chaos: starting the servers in {folder} ...")
        results: list[Result] = []
        with chaos_servers(folder) as servers:
            for name, drill in drill_list(short):
                started = time.monotonic()
                try:
                    passed, detail = drill(servers)
                except Exception as error:  # a drill that crashes is a failed drill, and the others still run
                    logger.debug("drill %s crashed", name, exc_info=True)
                    passed, detail = False, f"crashed: {type(error).__name__}: {str(error)[:200]}"
                results.append(Result(name, passed, detail, time.monotonic() - started))
                report(results[-1].line())
        failed = sum(not result.passed for result in results)
        report(f"chaos: {len(results) - failed} of {len(results)} drills passed (logs: {folder})")
        return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", action="store_true", help="the action-server drills and a short fuzz")
    parser.add_argument("--workdir", type=Path, help="keep the servers' logs and tracker store here")
    args = parser.parse_args(argv)
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
    results = run(short=args.short, workdir=args.workdir)
    return 0 if results and all(result.passed for result in results) else 1
