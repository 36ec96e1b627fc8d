"""supervisord for the assistant's processes: its configuration file, and control over its socket.

A :class:`Program` is one process that supervisord keeps running. When it exits without being asked to,
supervisord logs it at warning level (``WARN exited: rasa-1 (terminated by SIGKILL; not expected)``) and
starts it again: at once when it had been up for ``start_seconds``; when it dies sooner (a crash at start),
after a delay that grows by one second per try (1 s, 2 s, 3 s, ...), and after ``start_retries`` such tries it
gives up (``gave up: ... entered FATAL state``). Each program writes its output to its own log file.

One supervisord serves one folder (``run_dir``): its configuration ``supervisord.conf`` (mode 0600), its
socket ``supervisor.sock`` (mode 0700, for this user only), its pid file and its log ``supervisord.log``,
which a fresh start truncates so :meth:`Supervisor.statuses` can count restarts from it.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import signal
import subprocess
import time
import xmlrpc.client
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from supervisor.xmlrpc import SupervisorTransport

from serving.paths import VENV_BIN

# What supervisord's configuration parser can carry in an environment value without quoting surprises.
_SAFE_VALUE = re.compile(r"^[A-Za-z0-9_./:@+,=-]*$")


class SupervisorError(RuntimeError):
    """supervisord could not be started or reached, or refused a command; the message says which."""


@dataclass(frozen=True)
class Program:
    """One supervised process.

    ``env`` is added to supervisord's own environment (which every program inherits); its values must be
    plain (letters, digits, ``_./:@+,=-``), so a secret never needs quoting. ``log`` is the file for the
    program's stdout and stderr, or ``None`` for supervisord's stdout (the terminal of ``make run``).
    """

    name: str
    command: Sequence[str]
    log: Path | None
    env: Mapping[str, str] = field(default_factory=dict)
    user: str | None = None
    autostart: bool = True
    start_seconds: int = 5
    start_retries: int = 10
    priority: int = 100
    stop_signal: str = "TERM"
    stop_wait_seconds: int = 30
    stop_as_group: bool = True


@dataclass(frozen=True)
class ProcessStatus:
    """What :meth:`Supervisor.statuses` reports for one program."""

    name: str
    state: str  # supervisord's: RUNNING, STARTING, BACKOFF, STOPPED, EXITED, FATAL, ...
    pid: int
    uptime_s: float  # 0 when not running
    restarts: int  # starts after the first one since supervisord started


def _escape(text: str) -> str:
    return text.replace("%", "%%")  # supervisord expands %(name)s in every value


def render_config(programs: Sequence[Program], run_dir: Path) -> str:
    """The text of ``supervisord.conf`` for ``programs``, with everything kept in ``run_dir``."""
    sections = [
        "; Written by serving/supervision.py; rewritten on every start.",
        "[unix_http_server]",
        f"file={_escape(str(run_dir / 'supervisor.sock'))}",
        "chmod=0700",
        "",
        "[supervisord]",
        f"logfile={_escape(str(run_dir / 'supervisord.log'))}",
        "logfile_maxbytes=0",
        f"pidfile={_escape(str(run_dir / 'supervisord.pid'))}",
        f"childlogdir={_escape(str(run_dir))}",
        "loglevel=info",
        *(["user=root"] if os.geteuid() == 0 else []),  # says that root is meant (else a CRIT line at start)
        "",
        "[supervisorctl]",
        f"serverurl=unix://{_escape(str(run_dir / 'supervisor.sock'))}",
        "",
        "[rpcinterface:supervisor]",
        "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface",
        "",
    ]
    for program in programs:
        for key, value in program.env.items():
            if not _SAFE_VALUE.match(value) or not key.isidentifier():
                raise SupervisorError(f"{program.name}: the environment value of {key} has characters to quote")
        env = ",".join(f'{key}="{_escape(value)}"' for key, value in program.env.items())
        log = str(program.log) if program.log is not None else "/dev/stdout"
        sections += [
            f"[program:{program.name}]",
            f"command={_escape(shlex.join(program.command))}",
            "directory=" + _escape(str(VENV_BIN.parents[1])),
            *([f"environment={env}"] if env else []),
            *([f"user={program.user}"] if program.user else []),
            f"autostart={str(program.autostart).lower()}",
            "autorestart=true",
            f"startsecs={program.start_seconds}",
            f"startretries={program.start_retries}",
            f"priority={program.priority}",
            f"stopsignal={program.stop_signal}",
            f"stopwaitsecs={program.stop_wait_seconds}",
            f"stopasgroup={str(program.stop_as_group).lower()}",
            f"killasgroup={str(program.stop_as_group).lower()}",
            "redirect_stderr=true",
            f"stdout_logfile={_escape(log)}",
            # A log file grows until rotated by size (3 × 20 MB at most); the terminal is not rotated.
            f"stdout_logfile_maxbytes={'20MB' if program.log is not None else 0}",
            f"stdout_logfile_backups={2 if program.log is not None else 0}",
            "",
        ]
    return "\n".join(sections)


class Supervisor:
    """The supervisord of one folder: write its configuration, start it, ask it, stop it."""

    def __init__(self, run_dir: Path) -> None:
        self.run_dir = run_dir
        self.config_file = run_dir / "supervisord.conf"
        self.socket = run_dir / "supervisor.sock"
        self.log = run_dir / "supervisord.log"
        self.pid_file = run_dir / "supervisord.pid"

    def write_config(self, programs: Sequence[Program]) -> None:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.config_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(render_config(programs, self.run_dir))

    def foreground_command(self) -> list[str]:
        """supervisord in the foreground (``make run``): its log also goes to stdout; SIGINT stops everything."""
        return [str(VENV_BIN / "supervisord"), "--nodaemon", "--configuration", str(self.config_file)]

    def start_daemon(self, env: Mapping[str, str], timeout: float = 30.0) -> None:
        """Start supervisord in the background with ``env`` (every program inherits it); return once it answers."""
        self.log.unlink(missing_ok=True)
        result = subprocess.run(
            [str(VENV_BIN / "supervisord"), "--configuration", str(self.config_file)],
            env=dict(env),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise SupervisorError(f"supervisord did not start:\n{result.stdout}{result.stderr}")
        self.wait_until_answering(timeout)

    def wait_until_answering(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.running():
                return
            time.sleep(0.2)
        raise SupervisorError(f"supervisord did not answer on {self.socket} within {timeout:.0f} s (log: {self.log})")

    def _rpc(self) -> Any:
        transport = SupervisorTransport(None, None, f"unix://{self.socket}")
        return xmlrpc.client.ServerProxy("http://127.0.0.1", transport=transport).supervisor

    def _call(self, method: str, *args: object) -> Any:
        try:
            return getattr(self._rpc(), method)(*args)
        except xmlrpc.client.Fault as fault:
            raise SupervisorError(f"supervisord refused {method}{args}: {fault.faultString}") from None
        except OSError as error:
            raise SupervisorError(f"supervisord is not answering on {self.socket}: {error}") from None

    def running(self) -> bool:
        """Whether this folder's supervisord answers."""
        if not self.socket.exists():
            return False
        try:
            return cast(dict[str, Any], self._rpc().getState()).get("statename") == "RUNNING"
        except (OSError, xmlrpc.client.Error):
            return False

    def start(self, name: str, wait: bool = False) -> None:
        """Start a stopped program (nothing happens to one already running or starting)."""
        state = self.status(name).state
        if state not in ("RUNNING", "STARTING", "BACKOFF"):
            self._call("startProcess", name, wait)

    def stop(self, name: str) -> None:
        if self.status(name).state in ("RUNNING", "STARTING", "BACKOFF"):
            self._call("stopProcess", name, True)

    def kill(self, name: str, sig: int = signal.SIGKILL) -> int:
        """Send ``sig`` to the program's process as a crash would (supervisord then restarts it); its pid."""
        pid = self.status(name).pid
        if pid <= 0:
            raise SupervisorError(f"{name} is not running")
        os.kill(pid, sig)
        return pid

    def status(self, name: str) -> ProcessStatus:
        for status in self.statuses():
            if status.name == name:
                return status
        raise SupervisorError(f"no program {name!r} in {self.config_file}")

    def statuses(self) -> list[ProcessStatus]:
        """Every program with its state, pid, uptime and the number of restarts."""
        infos = cast(list[dict[str, Any]], self._call("getAllProcessInfo"))
        spawns = self.spawn_counts()
        return [
            ProcessStatus(
                name=info["name"],
                state=info["statename"],
                pid=int(info["pid"]),
                uptime_s=float(info["now"] - info["start"]) if info["statename"] == "RUNNING" else 0.0,
                restarts=max(0, spawns.get(info["name"], 0) - 1),
            )
            for info in infos
        ]

    def spawn_counts(self) -> dict[str, int]:
        """How often supervisord has started each program since it started (from its log)."""
        counts: dict[str, int] = {}
        with contextlib.suppress(FileNotFoundError), self.log.open(errors="replace") as log:
            for line in log:
                match = re.search(r" spawned: '([^']+)' with pid ", line)
                if match:
                    counts[match.group(1)] = counts.get(match.group(1), 0) + 1
        return counts

    def shutdown(self, timeout: float = 120.0) -> bool:
        """Stop every program, then supervisord; whether it was running. Waits until it has exited."""
        pid = self._daemon_pid()
        if not self.running():
            return False
        with contextlib.suppress(SupervisorError):
            self._call("shutdown")
        deadline = time.monotonic() + timeout
        while pid is not None and _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        if pid is not None and _alive(pid):
            raise SupervisorError(f"supervisord (pid {pid}) did not stop within {timeout:.0f} s (log: {self.log})")
        return True

    def _daemon_pid(self) -> int | None:
        try:
            return int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie is not alive
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except (OSError, IndexError):
        return True
