"""`make run` for real, on free ports: both servers supervised separately, the ports honoured, a true banner.

One `make run` for the module (as the README documents it: ``RASA_PORT=... ACTIONS_PORT=... make run``), in
its own process group like a terminal's foreground job; the tests crash its servers with kill -9 and stop
it with SIGINT, as Ctrl-C does.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from serving.local_servers import ROOT, free_port
from serving.supervision import Supervisor

pytestmark = pytest.mark.integration

START_TIMEOUT_S = 400.0  # a cold start while other servers load the same 2 cores
RESTART_TIMEOUT_S = 300.0
FALLBACK = "can't look that up"


@dataclass
class MakeRun:
    process: subprocess.Popen[bytes]
    output: Path
    rasa_port: int
    actions_port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def run_dir(self) -> Path:
        return ROOT / "var" / "run" / str(self.rasa_port)

    @property
    def supervisor(self) -> Supervisor:
        return Supervisor(self.run_dir)

    def text(self) -> str:
        return self.output.read_text(errors="replace")

    def ask(self, message: str, sender: str | None = None) -> str:
        response = requests.post(
            self.url + "/webhooks/rest/webhook",
            json={"sender": sender or f"run-{uuid.uuid4().hex[:8]}", "message": message},
            timeout=60,
        )
        assert response.status_code == 200
        return " ".join(str(m.get("text", "")) for m in response.json())


def _wait(what: str, condition: object, timeout: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if callable(condition) and condition():
            return time.monotonic() - started
        time.sleep(0.5)
    raise AssertionError(f"{what} not within {timeout:.0f} s")


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


def _stop(run: MakeRun) -> None:
    if run.process.poll() is None:
        os.killpg(run.process.pid, signal.SIGINT)
        try:
            run.process.wait(90)
        except subprocess.TimeoutExpired:
            os.killpg(run.process.pid, signal.SIGKILL)
            run.process.wait(30)


@pytest.fixture(scope="module")
def make_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MakeRun]:
    workdir = tmp_path_factory.mktemp("make-run")
    rasa_port, actions_port = free_port(), free_port()
    env = {
        **os.environ,
        "RASA_PORT": str(rasa_port),
        "ACTIONS_PORT": str(actions_port),
        "TRACKER_DB": str(workdir / "tracker.db"),
        # A token without TELEGRAM_WEBHOOK_SECRET: the channel stays inactive (channels/telegram.py).
        "TELEGRAM_TOKEN": "123456:ABCdefGHIjklMNOpqrSTUvwxYZ0123456789",
    }
    env.pop("ACTION_SERVER_URL", None)
    env.pop("TELEGRAM_WEBHOOK_SECRET", None)
    output = workdir / "make-run.out"
    with output.open("wb") as out:
        process = subprocess.Popen(
            ["make", "-s", "run"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    run = MakeRun(process, output, rasa_port, actions_port)
    try:
        _wait("the start banner", lambda: "run: the Rasa server is ready" in run.text() or process.poll() is not None,
              START_TIMEOUT_S)  # fmt: skip
        assert process.poll() is None, run.text()[-3000:]
        yield run
    finally:
        _stop(run)
        shutil.rmtree(run.run_dir, ignore_errors=True)


def test_ports_from_the_environment_are_used_by_both_servers(make_run: MakeRun) -> None:
    # The Rasa server reaches the action server on ACTIONS_PORT: a real answer, not the fallback.
    reply = make_run.ask("what is a lumbar puncture?")
    assert FALLBACK not in reply
    assert "lumbar puncture" in reply.lower()
    assert _answers(f"http://127.0.0.1:{make_run.actions_port}/health")


def test_the_banner_tells_the_truth_about_telegram(make_run: MakeRun) -> None:
    banner = make_run.text().split("run: the Rasa server is ready", 1)[1]
    telegram = next(line for line in banner.splitlines() if line.strip().startswith("Telegram:"))
    assert "off" in telegram
    assert " on" not in telegram.replace("Telegram:", "")


def test_each_instance_has_its_own_action_server_log(make_run: MakeRun) -> None:
    log = make_run.run_dir / "action-server.log"
    assert log.exists()
    assert str(make_run.actions_port) in log.read_text(errors="replace")


def test_a_crashed_action_server_is_restarted_while_rasa_answers_with_the_fallback(make_run: MakeRun) -> None:
    supervisor = make_run.supervisor
    rasa_pid = supervisor.status("rasa").pid
    restarts = supervisor.status("actions").restarts
    supervisor.kill("actions")
    # Meanwhile the Rasa server keeps serving, with the friendly fallback (or a real answer if the action
    # server is already back).
    started = time.monotonic()
    reply = make_run.ask("what are the symptoms of ALL?")
    assert time.monotonic() - started < 30
    assert reply
    back = _wait(
        "the action server restarted",
        lambda: supervisor.status("actions").restarts > restarts and _answers(
            f"http://127.0.0.1:{make_run.actions_port}/health"),
        120,
    )  # fmt: skip
    print(f"action server serving again {back:.1f} s after kill -9")
    assert supervisor.status("rasa").pid == rasa_pid  # the other server was not touched
    assert "lumbar puncture" in make_run.ask("what is a lumbar puncture?").lower()  # a new conversation: answered
    assert "WARN exited: actions (terminated by SIGKILL; not expected)" in supervisor.log.read_text()
    assert "WARN exited: actions (terminated by SIGKILL; not expected)" in make_run.text()  # in the terminal too


def test_a_crashed_rasa_server_is_restarted(make_run: MakeRun) -> None:
    supervisor = make_run.supervisor
    actions_pid = supervisor.status("actions").pid
    old = supervisor.kill("rasa")
    back = _wait(
        "the Rasa server restarted",
        lambda: supervisor.status("rasa").pid not in (0, old) and _answers(make_run.url + "/healthz"),
        RESTART_TIMEOUT_S,
    )
    print(f"Rasa server serving again {back:.1f} s after kill -9")
    assert supervisor.status("actions").pid == actions_pid
    assert "lumbar puncture" in make_run.ask("what is a lumbar puncture?").lower()
    assert "WARN exited: rasa (terminated by SIGKILL; not expected)" in supervisor.log.read_text()


def test_ctrl_c_stops_both_servers(make_run: MakeRun) -> None:
    os.killpg(make_run.process.pid, signal.SIGINT)
    make_run.process.wait(90)
    assert not _answers(make_run.url + "/healthz")
    assert not _answers(f"http://127.0.0.1:{make_run.actions_port}/health")
    leftovers = subprocess.run(
        ["pgrep", "-f", f"--port {make_run.actions_port}|--port {make_run.rasa_port}"], capture_output=True, text=True
    )
    assert leftovers.stdout.strip() == ""
