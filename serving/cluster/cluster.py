"""``Cluster``: start (idempotently), inspect and stop the production profile of one cluster folder.

One supervisord (:mod:`serving.supervision`) runs every process: PostgreSQL, Redis, the action servers,
nginx and the Rasa servers. A process that crashes is logged (``CLUSTER_DIR/run/supervisord.log``) and
started again; :meth:`Cluster.status` shows each with its uptime and restart count.
"""

from __future__ import annotations

import functools
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import replace

import requests

from serving import programs
from serving.cluster import nginx, postgres, redis
from serving.cluster.config import ClusterConfig, ClusterError
from serving.paths import MODEL, ROOT, VENV_BIN
from serving.supervision import ProcessStatus, Program, Supervisor, SupervisorError

DEBIAN_PACKAGES = ("postgresql", "redis-server", "nginx-light")
HEALTH_PATH = "/healthz"  # a Rasa server's health route: 200 when it can serve and store
# Longer than nginx's upstream keepalive_timeout (30 s): nginx, not the server, closes idle connections.
SERVER_KEEP_ALIVE_S = "75"
RASA_START_TIMEOUT_S = 300.0


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.3)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def http_ok(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


class Cluster:
    """The processes of one cluster folder (``config.directory``)."""

    def __init__(self, config: ClusterConfig) -> None:
        self.config = config
        self.dir = config.directory
        self.run_dir = config.run_dir
        self.log_dir = config.log_dir
        self.supervisor = Supervisor(config.run_dir)

    # secrets and the servers' environment

    def secrets(self) -> dict[str, str]:
        """The generated passwords (``secrets.env``, readable by its owner only), created on first use."""
        path = self.dir / "secrets.env"
        if not path.exists():
            self.dir.mkdir(parents=True, exist_ok=True)
            content = f"POSTGRES_PASSWORD={secrets.token_urlsafe(24)}\nREDIS_PASSWORD={secrets.token_urlsafe(24)}\n"
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as out:
                out.write(content)
        return dict(line.split("=", 1) for line in path.read_text().split())

    def rasa_env(self) -> dict[str, str]:
        """What every Rasa server adds to the environment: the production endpoints' ``${VAR}`` values."""
        config, passwords = self.config, self.secrets()
        return {
            "ACTION_SERVER_URL": f"http://127.0.0.1:{config.actions_balancer_port}/webhook",
            "POSTGRES_HOST": "127.0.0.1",
            "POSTGRES_PORT": str(config.postgres_port),
            "POSTGRES_DB": postgres.DATABASE,
            "POSTGRES_USER": postgres.USER,
            "POSTGRES_PASSWORD": passwords["POSTGRES_PASSWORD"],
            "REDIS_HOST": "127.0.0.1",
            "REDIS_PORT": str(config.redis_port),
            "REDIS_PASSWORD": passwords["REDIS_PASSWORD"],
            "TICKET_LOCK_LIFETIME": str(config.lock_lifetime_s),
            "SANIC_KEEP_ALIVE_TIMEOUT": SERVER_KEEP_ALIVE_S,
            **config.extra_env,
        }

    def postgres_url(self) -> str:
        return postgres.url(self.config, self.secrets()["POSTGRES_PASSWORD"])

    def programs(self) -> list[Program]:
        """Every process of the cluster. The Rasa servers are started by :meth:`up` once the tables exist."""
        config = self.config
        keep_alive = {"SANIC_KEEP_ALIVE_TIMEOUT": SERVER_KEEP_ALIVE_S}
        action_servers = [
            programs.action_server(name, config.action_port(i), config.log_dir / f"{name}.log", keep_alive)
            for i, name in enumerate(config.action_names(), start=1)
        ]
        rasa_servers = [
            programs.rasa_server(
                name, config.rasa_port(i), str(ROOT / "deploy" / "endpoints.production.yml"),
                config.log_dir / f"{name}.log", env=self.rasa_env(),
            )
            for i, name in enumerate(config.rasa_names(), start=1)
        ]  # fmt: skip
        rasa_servers = [replace(program, autostart=False) for program in rasa_servers]
        return [
            postgres.program(config), redis.program(config), *action_servers,
            nginx.log_sink_program(config), nginx.program(config), *rasa_servers,
        ]  # fmt: skip

    # lifecycle

    def up(self) -> bool:
        """Start the cluster and wait until nginx serves; False (and nothing stopped) when it was already up."""
        if self.supervisor.running():
            for status in self.supervisor.statuses():
                if status.state not in ("RUNNING", "STARTING", "BACKOFF"):
                    self.supervisor.start(status.name)
            self._wait_serving()
            return False
        if not MODEL.exists():
            raise ClusterError(f"{MODEL} is missing: run `make train` first")
        self._check_ports_free()
        self._install_packages()
        for folder in (self.dir, self.run_dir, self.log_dir):
            folder.mkdir(parents=True, exist_ok=True)
        passwords = self.secrets()
        postgres.initialise(self.config, passwords["POSTGRES_PASSWORD"])
        postgres.write_config(self.config)
        (self.log_dir / "postgres.log").touch()
        redis.write_config(self.config, passwords["REDIS_PASSWORD"])
        nginx.write_config(self.config)
        self.supervisor.write_config(self.programs())
        self.supervisor.start_daemon({**os.environ, "PATH": f"{VENV_BIN}:{os.environ.get('PATH', '')}"})
        _wait("PostgreSQL", lambda: port_open(self.config.postgres_port), 60, self.log_dir / "postgres.log")
        postgres.create_database(self.config, passwords["POSTGRES_PASSWORD"])
        self._prepare_tracker_tables()
        for name in self.config.rasa_names():
            self.supervisor.start(name)
        self._wait_serving()
        return True

    def _wait_serving(self) -> None:
        for index in range(1, self.config.rasa_servers + 1):
            self.wait_rasa(index)
        for index in range(1, self.config.action_servers + 1):
            url = f"http://127.0.0.1:{self.config.action_port(index)}/health"
            _wait(f"action server {index}", functools.partial(http_ok, url), 120, self.log_dir / f"actions-{index}.log")
        healthy = lambda: http_ok(self.config.public_url + HEALTH_PATH)  # noqa: E731
        _wait("nginx → Rasa", healthy, 30, self.log_dir / "nginx-error.log")

    def down(self, purge: bool = False) -> list[str]:
        """Stop every process, then supervisord; the names of what was running. Harmless when already down."""
        stopped = []
        if self.supervisor.running():
            stopped = [s.name for s in self.supervisor.statuses() if s.state in ("RUNNING", "STARTING", "BACKOFF")]
            self.supervisor.shutdown()
        if purge and self.dir.exists():
            shutil.rmtree(self.dir)
        return stopped

    def status(self) -> list[ProcessStatus]:
        """Each process with its state, uptime and restarts; empty when the cluster is not running."""
        return self.supervisor.statuses() if self.supervisor.running() else []

    @property
    def pids(self) -> dict[str, int]:
        return {status.name: status.pid for status in self.status() if status.pid > 0}

    def _check_ports_free(self) -> None:
        config = self.config
        ports = {
            "nginx (CLUSTER_PORT)": config.public_port,
            "PostgreSQL": config.postgres_port,
            "Redis": config.redis_port,
            "action-server balancer": config.actions_balancer_port,
            **{f"Rasa server {i}": config.rasa_port(i) for i in range(1, config.rasa_servers + 1)},
            **{f"action server {i}": config.action_port(i) for i in range(1, config.action_servers + 1)},
        }
        busy = [f"{name} port {port}" for name, port in ports.items() if port_open(port)]
        if busy:
            raise ClusterError(
                "already in use: " + ", ".join(busy) + ". Another program (or a cluster of another folder) uses "
                "them: stop it, or choose other ports with CLUSTER_PORT / CLUSTER_BASE_PORT."
            )

    def _install_packages(self) -> None:
        result = subprocess.run(
            ["bash", str(ROOT / "scripts" / "apt_install.sh"), *DEBIAN_PACKAGES],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise ClusterError(f"installing {' '.join(DEBIAN_PACKAGES)} failed:\n{result.stdout}{result.stderr}")

    def _prepare_tracker_tables(self) -> None:
        # Rasa creates its tables when a server starts; several servers starting at once would race.
        code = (
            "import os\nfrom rasa.core.tracker_store import SQLTrackerStore\n"
            "from rasa.shared.core.domain import Domain\n"
            "SQLTrackerStore(Domain.empty(), dialect='postgresql', host=os.environ['POSTGRES_HOST'],"
            " port=int(os.environ['POSTGRES_PORT']), db=os.environ['POSTGRES_DB'],"
            " username=os.environ['POSTGRES_USER'], password=os.environ['POSTGRES_PASSWORD'])\n"
        )
        result = subprocess.run(
            [str(VENV_BIN / "python"), "-c", code],
            env={**os.environ, **self.rasa_env()},
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise ClusterError(f"creating the tracker tables failed:\n{result.stderr[-2000:]}")

    # one process

    def start_rasa(self, index: int, wait: bool = True) -> None:
        """Start Rasa server ``index`` (1-based) unless it is running or being restarted; wait until it serves."""
        self.supervisor.start(f"rasa-{index}")
        if wait:
            self.wait_rasa(index)

    def wait_rasa(self, index: int) -> None:
        url = f"http://127.0.0.1:{self.config.rasa_port(index)}{HEALTH_PATH}"
        _wait(f"rasa-{index}", lambda: http_ok(url), RASA_START_TIMEOUT_S, self.log_dir / f"rasa-{index}.log")

    def stop_process(self, name: str, sig: int = signal.SIGTERM) -> bool:
        """Send ``sig`` to one process. SIGKILL is a crash: supervisord logs it and starts the process again.
        Any other signal stops the process for good (until :meth:`start_rasa` or ``up``). Whether it ran."""
        try:
            if sig == signal.SIGKILL:
                self.supervisor.kill(name, sig)
            else:
                self.supervisor.stop(name)
        except SupervisorError:
            return False
        return True

    def stop_postgres(self) -> None:
        """Stop PostgreSQL (a fault drill: the Rasa servers must refuse turns honestly meanwhile)."""
        self.supervisor.stop("postgres")

    def start_postgres(self) -> None:
        """Start PostgreSQL again and wait until it accepts connections."""
        self.supervisor.start("postgres")
        _wait("postgres", lambda: port_open(self.config.postgres_port), 60, self.log_dir / "postgres.log")

    def restarts(self, name: str) -> int:
        return self.supervisor.status(name).restarts

    def reload_nginx(self) -> None:
        """Apply the current config (e.g. new limits) without dropping connections."""
        nginx.reload(self.config)
        time.sleep(1.0)  # the master starts new workers and retires the old ones asynchronously


def _wait(what: str, ready: Callable[[], bool], timeout: float, log: os.PathLike[str] | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready():
            return
        time.sleep(0.3)
    tail = ""
    if log is not None and os.path.exists(log):
        with open(log, errors="replace") as file:
            tail = file.read()[-2000:]
    raise ClusterError(f"{what} did not become ready within {timeout:.0f} s (log: {log}):\n{tail}")
