"""``make run`` and ``make shell``: one Rasa server and one action server, each supervised on its own.

    python -m serving.local [--shell] [-- RASA_RUN_ARGUMENT ...]

supervisord (:mod:`serving.supervision`) runs in the foreground and keeps both servers running: when one
crashes it is logged (``WARN exited: actions ...``, in the terminal and in the instance's ``supervisord.log``)
and started again, while the other keeps serving (the Rasa server answers with the friendly fallback while
the action server is down). Ctrl-C stops both. ``--shell`` supervises the action server only and runs
``rasa shell`` in the terminal.

Settings, all read here from the environment: ``RASA_PORT`` (5005), ``ACTIONS_PORT`` (5055), ``RASA_HOST``
(127.0.0.1), ``ACTION_SERVER_URL`` (default: this instance's action server, ``http://127.0.0.1:ACTIONS_PORT/webhook``),
``TRACKER_DB`` (``var/tracker.db``), ``TELEGRAM_TOKEN`` (only for the start banner). Each instance keeps its
files in ``var/run/RASA_PORT/``: ``supervisord.conf``, ``supervisord.log`` (starts, exits, restarts) and
``action-server.log``; the Rasa server's output goes to the terminal.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import requests

from serving import programs
from serving.paths import MODEL, ROOT, VENV_BIN
from serving.supervision import Supervisor, SupervisorError

HEALTH_PATH = "/healthz"  # the Rasa server's health route: 200 when it can serve and store (stores/)
START_TIMEOUT_S = 600.0  # a cold start on a loaded 2-core machine takes a few minutes at worst


@dataclass(frozen=True)
class LocalSettings:
    """Where one ``make run`` instance listens and keeps its files."""

    rasa_port: int
    actions_port: int
    host: str
    action_server_url: str
    tracker_db: str
    telegram_token_set: bool

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def run_dir(self) -> Path:
        return ROOT / "var" / "run" / str(self.rasa_port)

    @classmethod
    def from_environment(cls) -> LocalSettings:
        env = os.environ

        def port(name: str, default: int) -> int:
            value = env.get(name) or str(default)
            if not value.isdigit() or not 0 < int(value) < 65536:
                raise SystemExit(f"run: {name}={value!r} is not a port number (1-65535)")
            return int(value)

        actions_port = port("ACTIONS_PORT", 5055)
        return cls(
            rasa_port=port("RASA_PORT", 5005),
            actions_port=actions_port,
            host=env.get("RASA_HOST") or "127.0.0.1",
            action_server_url=env.get("ACTION_SERVER_URL") or f"http://127.0.0.1:{actions_port}/webhook",
            tracker_db=env.get("TRACKER_DB") or "var/tracker.db",
            telegram_token_set=bool(env.get("TELEGRAM_TOKEN", "").strip()),
        )


def _port_busy(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.3)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _ok(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


def _wait_ready(name: str, url: str, supervisor: Supervisor, daemon: subprocess.Popen[bytes]) -> None:
    """Wait until ``url`` answers 200; fail when supervisord exits or gives the program up."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if daemon.poll() is not None:
            raise SupervisorError(f"supervisord exited ({daemon.returncode}); see {supervisor.log}")
        if _ok(url):
            return
        with contextlib.suppress(SupervisorError):
            if supervisor.status(name).state == "FATAL":
                raise SupervisorError(f"the {name} server keeps crashing at start; see {supervisor.run_dir}")
        time.sleep(0.5)
    raise SupervisorError(f"the {name} server did not answer {url} within {START_TIMEOUT_S:.0f} s")


def telegram_state(settings: LocalSettings) -> str:
    """What the running Rasa server does with Telegram: its webhook blueprint answers only when active."""
    if _ok(settings.rasa_url + "/webhooks/telegram/"):
        return "on: webhook /webhooks/telegram/webhook"
    if settings.telegram_token_set:
        return "off: TELEGRAM_TOKEN is set but the channel is inactive (the Rasa log above says why)"
    return "off (set TELEGRAM_TOKEN to enable; see README)"


def banner(settings: LocalSettings, rasa_args: list[str]) -> str:
    base = f"http://{settings.host}:{settings.rasa_port}"
    cors = rasa_args[rasa_args.index("--cors") + 1 :] if "--cors" in rasa_args else []
    cors = cors[: next((i for i, a in enumerate(cors) if a.startswith("--")), len(cors))]
    api = "on, token required (RASA_API_TOKEN)" if "--enable-api" in rasa_args else "off (set RASA_API_TOKEN to enable)"
    return f"""run: the Rasa server is ready on {base}
  Widget demo: {base}/chat/
  Kiosk:       {base}/kiosk/   (idle reset: /kiosk/?idle=SECONDS, default 120)
  REST:        curl -s -X POST {base}/webhooks/rest/webhook \\
                 -H 'Content-Type: application/json' -d '{{"sender":"me","message":"what are the symptoms of ALL?"}}'
  socket.io:   {base}/socket.io  (events user_uttered / bot_uttered)
  Telegram:    {telegram_state(settings)}
  CORS:        {" ".join(cors) or "same origin only (set CORS_ORIGINS to allow other sites)"}
  HTTP API:    {api}
  Logs:        {settings.run_dir}/ (action-server.log; supervisord.log: crashes and restarts)
  Both servers are supervised: a crashed one is restarted. Ctrl-C stops both."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shell", action="store_true", help="chat in the terminal (rasa shell)")
    parser.add_argument("rasa_args", nargs="*", help="extra `rasa run` arguments (after --)")
    args = parser.parse_args(argv)
    settings = LocalSettings.from_environment()
    if not MODEL.exists():
        print(f"run: {MODEL} is missing: run `make train` first", file=sys.stderr)
        return 1
    ports = [settings.actions_port] if args.shell else [settings.actions_port, settings.rasa_port]
    for port in ports:
        if _port_busy(port):
            print(f"run: port {port} is already in use. Stop what is using it, or set RASA_PORT / ACTIONS_PORT.",
                  file=sys.stderr)  # fmt: skip
            return 1

    supervisor = Supervisor(settings.run_dir)
    if supervisor.running():
        print(f"run: an instance on port {settings.rasa_port} is already running ({settings.run_dir})", file=sys.stderr)
        return 1
    actions = programs.action_server("actions", settings.actions_port, settings.run_dir / "action-server.log")
    rasa = programs.rasa_server(
        "rasa", settings.rasa_port, "endpoints.yml", None, interface=settings.host, extra_args=args.rasa_args
    )
    supervisor.write_config([actions] if args.shell else [actions, rasa])
    supervisor.log.unlink(missing_ok=True)
    env = {
        **os.environ,
        "ACTION_SERVER_URL": settings.action_server_url,
        "TRACKER_DB": settings.tracker_db,
        "PATH": f"{VENV_BIN}:{os.environ.get('PATH', '')}",
    }
    (ROOT / "var").mkdir(exist_ok=True)
    quiet = subprocess.DEVNULL if args.shell else None  # the shell's terminal is for the conversation
    daemon = subprocess.Popen(supervisor.foreground_command(), cwd=ROOT, env=env, stdout=quiet, stderr=quiet)

    def forward(signum: int, _: FrameType | None) -> None:
        with contextlib.suppress(ProcessLookupError):
            daemon.send_signal(signum)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    try:
        supervisor.wait_until_answering(60)
        _wait_ready("actions", f"http://127.0.0.1:{settings.actions_port}/health", supervisor, daemon)
        print(f"run: action server ready on 127.0.0.1:{settings.actions_port} "
              f"(log: {settings.run_dir / 'action-server.log'})", flush=True)  # fmt: skip
        if args.shell:
            shell = [*programs.RASA_CLI, "shell", "--model", str(MODEL), "--endpoints", "endpoints.yml", "--quiet"]
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C belongs to the shell; its exit stops the rest
            return subprocess.run(shell, cwd=ROOT, env=env, check=False).returncode
        _wait_ready("rasa", settings.rasa_url + HEALTH_PATH, supervisor, daemon)
        print(banner(settings, args.rasa_args), flush=True)
        return daemon.wait()
    except SupervisorError as error:
        print(f"run: {error}", file=sys.stderr)
        return 1
    finally:
        if daemon.poll() is None:
            daemon.send_signal(signal.SIGTERM)
        try:
            daemon.wait(timeout=90)
        except subprocess.TimeoutExpired:
            daemon.kill()
            daemon.wait()


if __name__ == "__main__":
    sys.exit(main())
