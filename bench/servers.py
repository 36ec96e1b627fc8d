"""Start the real action server and Rasa server (as ``serving/local_servers.py`` does) and time their cold start.

Cold start = from ``Popen`` of the process to its first answer: for the action server the first
successful ``/webhook`` call of a real action, for the Rasa server the first REST reply to a message.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from bench.stats import cpu_seconds, proc_status
from serving.local_servers import MODEL, ROOT, SERVER_ENV, VENV_BIN, free_port, stop
from serving.programs import RASA_CLI

START_TIMEOUT_S = 240.0


@dataclass
class BenchServers:
    rasa_url: str
    actions_url: str
    rasa: subprocess.Popen[bytes]
    actions: subprocess.Popen[bytes]
    workdir: Path
    cold_start: dict[str, float] = field(default_factory=dict)

    def peak_memory(self) -> dict[str, Any]:
        """RSS high-water mark (VmHWM) and current RSS of both servers, in MiB."""
        result: dict[str, Any] = {}
        for name, process in (("rasa_server", self.rasa), ("action_server", self.actions)):
            status = proc_status(process.pid)
            result[name] = {
                "vmhwm_mib": round(status["VmHWM"] / 1024, 1),
                "vmrss_mib": round(status["VmRSS"] / 1024, 1),
            }
        return result


def _poll(deadline: float, process: subprocess.Popen[bytes], log: Path, attempt: Any) -> None:
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if attempt():
                return
        except requests.RequestException:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"server not answering after {START_TIMEOUT_S:.0f} s:\n{log.read_text()[-3000:]}")


def action_probe_body(sender: str = "bench-cold-start") -> dict[str, Any]:
    """A minimal real request for ``action_answer_topic`` (what Rasa sends, trimmed to what the action reads)."""
    return {
        "next_action": "action_answer_topic",
        "sender_id": sender,
        "version": "3.6.21",
        "tracker": {
            "sender_id": sender,
            "slots": {},
            "latest_message": {
                "text": "what are the symptoms of ALL?",
                "intent": {"name": "ask_symptoms", "confidence": 1.0},
                "entities": [],
            },
            "latest_event_time": time.time(),
            "followup_action": None,
            "paused": False,
            "events": [],
            "latest_input_channel": "rest",
            "active_loop": {},
            "latest_action": {"action_name": "action_listen"},
            "latest_action_name": "action_listen",
        },
        "domain": {},
    }


def stock_rasa_endpoints(workdir: Path) -> Path:
    """``endpoints.yml`` with Rasa's own ``SQL`` tracker store instead of ``stores.sqlite_tracker_store``."""
    text = (ROOT / "endpoints.yml").read_text(encoding="utf-8")
    stock = re.sub(r"(?m)^(\s*type:\s*)stores\.sqlite_tracker_store\.SQLiteTrackerStore.*$", r"\1SQL", text)
    if stock == text:
        raise RuntimeError("endpoints.yml: the tracker store line was not found")
    path = workdir / "endpoints.stock.yml"
    path.write_text(stock, encoding="utf-8")
    return path


@contextmanager
def bench_servers(workdir: Path, stock_rasa: bool = False, model: Path = MODEL) -> Iterator[BenchServers]:
    """Both servers on free loopback ports with a fresh SQLite tracker store; cold start times recorded.

    ``stock_rasa``: Rasa 3.6 as shipped, for comparison: no speedups or runtime fixes of ``rasa_patches``
    (``RASA_SPEEDUPS=0``, ``RASA_RUNTIME_FIXES=0``), TensorFlow's default threads and Rasa's own ``SQL``
    tracker store on the same SQLite file layout. ``model``: another trained model than the project's
    (design comparisons).
    """
    if not model.exists():
        raise RuntimeError(f"{model} is missing: run `make train` first")
    actions_port, rasa_port = free_port(), free_port()
    env = {
        **os.environ,
        "ACTION_SERVER_URL": f"http://127.0.0.1:{actions_port}/webhook",
        "TRACKER_DB": str(workdir / ("tracker-stock.db" if stock_rasa else "tracker.db")),
        "SANIC_HOST": "127.0.0.1",
        **SERVER_ENV,
    }
    endpoints = ROOT / "endpoints.yml"
    if stock_rasa:
        env = {k: v for k, v in env.items() if not k.startswith("TF_") or k == "TF_CPP_MIN_LOG_LEVEL"}
        env["RASA_SPEEDUPS"] = env["RASA_RUNTIME_FIXES"] = "0"
        endpoints = stock_rasa_endpoints(workdir)
    actions_log, rasa_log = workdir / "actions.log", workdir / "rasa.log"
    actions_url, rasa_url = f"http://127.0.0.1:{actions_port}", f"http://127.0.0.1:{rasa_port}"
    cold: dict[str, float] = {}
    started = time.monotonic()
    with actions_log.open("ab") as out:
        actions = subprocess.Popen(
            [str(VENV_BIN / "python"), "-m", "rasa_sdk", "--actions", "actions", "--port", str(actions_port)],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    rasa: subprocess.Popen[bytes] | None = None
    try:
        _poll(
            started + START_TIMEOUT_S,
            actions,
            actions_log,
            lambda: requests.post(actions_url + "/webhook", json=action_probe_body(), timeout=5).status_code == 200,
        )
        cold["action_server_s"] = round(time.monotonic() - started, 2)
        command = [
            *RASA_CLI, "run", "--model", str(model), "--endpoints", str(endpoints),
            "--credentials", "credentials.yml", "--interface", "127.0.0.1", "--port", str(rasa_port),
        ]  # fmt: skip
        started = time.monotonic()
        with rasa_log.open("ab") as out:
            rasa = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        _poll(started + START_TIMEOUT_S, rasa, rasa_log, lambda: requests.get(rasa_url + "/", timeout=2).ok)
        cold["rasa_server_listening_s"] = round(time.monotonic() - started, 2)
        reply = requests.post(
            rasa_url + "/webhooks/rest/webhook", json={"sender": "bench-cold", "message": "hello"}, timeout=60
        )
        reply.raise_for_status()
        cold["rasa_server_first_answer_s"] = round(time.monotonic() - started, 2)
        cold["rasa_server_cpu_s"] = round(cpu_seconds(rasa.pid), 2)  # its CPU to that answer: less load-dependent
        yield BenchServers(rasa_url, actions_url, rasa, actions, workdir, cold)
    finally:
        if rasa is not None:
            stop(rasa)
        stop(actions)
