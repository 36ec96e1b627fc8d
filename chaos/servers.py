"""The real servers a chaos drill works on: an action server it can kill, stop and restart on the same port,
the Rasa server (``serving.local_servers.Servers``), and the Telegram Bot API stand-in."""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from chaos.telegram_standin import TelegramStandIn, telegram_standin
from serving.local_servers import MODEL, ROOT, SERVER_ENV, VENV_BIN, Servers, free_port, stop, wait_until_up

# The default of `make run`: the fallback must come within it (+ margin), on any channel. Shorter values made the
# first answer after an action-server restart time out on a loaded 2-core machine (it first works off the calls
# Rasa gave up on, and loads spaCy), which is the machine's speed, not a failed recovery.
ACTION_TIMEOUT = 10.0
TELEGRAM_TOKEN = "123456789:AAH-chaos_stand-in_token"
TELEGRAM_SECRET = "chaos-webhook-secret_42"
TELEGRAM_BOT = "pdq_all_test_bot"  # the stand-in's getMe username


@dataclass
class ActionServer:
    """``python -m rasa_sdk`` on a fixed loopback port, restartable there after a kill."""

    port: int
    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        command = [str(VENV_BIN / "python"), "-m", "rasa_sdk", "--actions", "actions", "--port", str(self.port)]
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT)
        wait_until_up(self.url + "/health", self.process, self.log)

    def signal(self, number: signal.Signals) -> None:
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, number)

    def kill(self) -> None:
        """``kill -9``, and reap it."""
        if self.process is not None:
            self.signal(signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None:
            self.signal(signal.SIGCONT)  # a stopped process cannot act on SIGTERM
            stop(self.process)


@dataclass
class ChaosServers:
    rasa: Servers
    actions: ActionServer
    telegram: TelegramStandIn
    workdir: Path

    def server_env(self, **overrides: str) -> dict[str, str]:
        return {**self.rasa.env, **overrides}


def base_env(workdir: Path, actions_port: int, telegram_url: str) -> dict[str, str]:
    return {
        **os.environ,
        **SERVER_ENV,
        "ACTION_SERVER_URL": f"http://127.0.0.1:{actions_port}/webhook",
        "ACTION_TIMEOUT": str(ACTION_TIMEOUT),
        "TRACKER_DB": str(workdir / "tracker.db"),
        "SANIC_HOST": "127.0.0.1",
        "TELEGRAM_TOKEN": TELEGRAM_TOKEN,
        "TELEGRAM_VERIFY": TELEGRAM_BOT,
        "TELEGRAM_WEBHOOK_URL": "https://bot.example.org/webhooks/telegram/webhook",
        "TELEGRAM_WEBHOOK_SECRET": TELEGRAM_SECRET,
        "TELEGRAM_API_URL": telegram_url,
    }


@contextmanager
def chaos_servers(workdir: Path) -> Iterator[ChaosServers]:
    """Start everything in ``workdir`` (logs, tracker store); stop all of it at the end, whatever happened."""
    if not MODEL.exists():
        raise RuntimeError(f"{MODEL} is missing: run `make train` first")
    with ExitStack() as stack:
        telegram = stack.enter_context(telegram_standin(TELEGRAM_TOKEN))
        actions_port, rasa_port = free_port(), free_port()
        env = base_env(workdir, actions_port, telegram.url)
        actions = ActionServer(actions_port, env, workdir / "actions.log")
        stack.callback(actions.stop)
        actions.start()
        rasa = Servers(f"http://127.0.0.1:{rasa_port}", actions.url, workdir, env, rasa_port)
        stack.callback(rasa.stop_rasa)
        rasa.start_rasa()
        yield ChaosServers(rasa, actions, telegram, workdir)
