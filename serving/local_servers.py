"""Start the real action server and Rasa server on free loopback ports, unsupervised, for one run of the
tests, the evaluation (``make eval``), the benchmarks and the fault drills; they stop when the run ends."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

from serving.paths import MODEL, ROOT, VENV_BIN
from serving.programs import RASA_CLI, SERVER_ENV

__all__ = ["MODEL", "ROOT", "SERVER_ENV", "VENV_BIN", "Servers", "free_port", "running_servers", "stop"]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float = 180.0) -> None:
    """Return once ``url`` answers 200; raise ``RuntimeError`` with the end of ``log`` if ``process`` exits first
    or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} not up after {timeout:.0f} s:\n{log.read_text()[-3000:]}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then SIGKILL after 20 s; returns once the process is gone."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class Servers:
    """The two running servers of :func:`running_servers`: their URLs, environment and the Rasa process."""

    rasa_url: str
    actions_url: str
    workdir: Path
    env: dict[str, str]
    rasa_port: int
    rasa: subprocess.Popen[bytes] | None = None
    rasa_args: tuple[str, ...] = ()  # extra `rasa run` arguments, e.g. ("--cors", "https://site.example")

    def start_rasa(self) -> None:
        log = self.workdir / "rasa.log"
        command = [
            *RASA_CLI, "run", "--model", str(MODEL), "--endpoints", "endpoints.yml",
            "--credentials", "credentials.yml", "--interface", "127.0.0.1", "--port", str(self.rasa_port),
            *self.rasa_args,
        ]  # fmt: skip
        with log.open("ab") as out:
            self.rasa = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT)
        wait_until_up(self.rasa_url + "/", self.rasa, log)

    def stop_rasa(self) -> None:
        if self.rasa is not None:
            stop(self.rasa)

    def send(self, sender: str, message: str) -> list[dict[str, object]]:
        response = requests.post(
            self.rasa_url + "/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=60
        )
        response.raise_for_status()
        return list(response.json())


@contextmanager
def running_servers(
    workdir: Path, extra_env: dict[str, str] | None = None, rasa_args: tuple[str, ...] = ()
) -> Iterator[Servers]:
    """The action server and the Rasa server (REST + socket.io) with a fresh SQLite tracker store.

    ``extra_env`` is added to both servers' environment (e.g. ``TELEGRAM_*`` for the Telegram channel tests);
    ``rasa_args`` are extra ``rasa run`` arguments (e.g. ``("--cors", origin)``). ``Servers.stop_rasa()`` and
    ``Servers.start_rasa()`` restart the Rasa server on the same port (the conversations stay in SQLite).
    """
    if not MODEL.exists():
        raise RuntimeError(f"{MODEL} is missing: run `make train` first")
    actions_port, rasa_port = free_port(), free_port()
    env = {
        **os.environ,
        "ACTION_SERVER_URL": f"http://127.0.0.1:{actions_port}/webhook",
        "TRACKER_DB": str(workdir / "tracker.db"),
        "SANIC_HOST": "127.0.0.1",
        **SERVER_ENV,
        **(extra_env or {}),
    }
    actions_log = workdir / "actions.log"
    with actions_log.open("ab") as out:
        actions = subprocess.Popen(
            [str(VENV_BIN / "python"), "-m", "actions.server", "--actions", "actions", "--port", str(actions_port)],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    servers = Servers(
        f"http://127.0.0.1:{rasa_port}", f"http://127.0.0.1:{actions_port}", workdir, env, rasa_port, None, rasa_args
    )
    try:
        wait_until_up(servers.actions_url + "/health", actions, actions_log)
        servers.start_rasa()
        yield servers
    finally:
        servers.stop_rasa()
        stop(actions)
