"""The production profile on this machine: PostgreSQL, Redis, several Rasa servers, action servers, nginx.

    python scripts/cluster.py up [--rasa N] [--actions M]    # make cluster-up   (RASA_SERVERS=N)
    python scripts/cluster.py down [--purge]                 # make cluster-down
    python scripts/cluster.py status                         # make cluster-status

Everything listens on 127.0.0.1; only nginx (``CLUSTER_PORT``, default 8080) is meant to be reached by
clients. PostgreSQL, Redis and nginx are Debian packages, installed on first use by
``scripts/apt_install.sh``; their data, configuration, logs and the generated passwords live in the cluster
folder (``CLUSTER_DIR``, default ``var/cluster``). ``down`` stops every process and keeps the data
(conversations survive a restart); ``down --purge`` deletes it too. See docs/deployment.md.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from scripts.local_servers import MODEL, SERVER_ENV, VENV_BIN  # noqa: E402

ENDPOINTS = ROOT / "deploy" / "endpoints.production.yml"
NGINX_TEMPLATE = ROOT / "deploy" / "nginx.conf.template"
DEBIAN_PACKAGES = ("postgresql", "redis-server", "nginx-light")
POSTGRES_USER = "allpdq"
POSTGRES_DB = "rasa"


class ClusterError(RuntimeError):
    """Something the operator has to fix; the message says what."""


@dataclass
class ClusterConfig:
    """Where everything listens and how nginx limits clients. Ports are ``base_port`` + a fixed offset."""

    directory: Path = ROOT / "var" / "cluster"
    public_port: int = 8080
    base_port: int = 18000
    rasa_servers: int = 2
    action_servers: int = 2
    rate_per_second: int = 20  # per client address, with the burst below on top
    burst: int = 40
    connections_per_client: int = 100
    max_body: str = "64k"
    lock_lifetime_s: int = 20  # a crashed server's lock on a conversation expires after this
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def postgres_port(self) -> int:
        return self.base_port + 1

    @property
    def redis_port(self) -> int:
        return self.base_port + 2

    @property
    def actions_balancer_port(self) -> int:
        return self.base_port + 3

    def rasa_port(self, index: int) -> int:
        return self.base_port + 10 + index

    def action_port(self, index: int) -> int:
        return self.base_port + 50 + index

    @property
    def public_url(self) -> str:
        return f"http://127.0.0.1:{self.public_port}"

    @classmethod
    def from_environment(cls) -> ClusterConfig:
        env = os.environ
        config = cls()
        if env.get("CLUSTER_DIR"):
            config.directory = Path(env["CLUSTER_DIR"]).resolve()
        for attribute, name in (
            ("public_port", "CLUSTER_PORT"),
            ("base_port", "CLUSTER_BASE_PORT"),
            ("rasa_servers", "RASA_SERVERS"),
            ("action_servers", "ACTION_SERVERS"),
            ("rate_per_second", "CLUSTER_RATE"),
            ("burst", "CLUSTER_BURST"),
        ):
            if env.get(name):
                try:
                    setattr(config, attribute, int(env[name]))
                except ValueError:
                    raise ClusterError(f"{name}={env[name]!r} is not a whole number") from None
        return config


# --- small helpers ---------------------------------------------------------------------------------------


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.3)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    try:  # a zombie is not alive
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except (OSError, IndexError):
        return True


def _wait(what: str, ready: object, timeout: float, log: Path | None = None, pid: int | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(ready) and ready():
            return
        if pid is not None and not _alive(pid):
            break
        time.sleep(0.3)
    tail = log.read_text(errors="replace")[-2000:] if log is not None and log.exists() else ""
    raise ClusterError(f"{what} did not start (log: {log}):\n{tail}")


def _http_ok(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


def _run(command: list[str], **kwargs: object) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)  # type: ignore[call-overload]
    if result.returncode != 0:
        raise ClusterError(f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}{result.stderr}")


def _as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: as root, run its tools as the Debian package's ``postgres`` user."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _postgres_tool(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(Path(p).parts[-3]))
    if not found:
        raise ClusterError(f"PostgreSQL's {name} is missing: run `bash scripts/apt_install.sh postgresql`")
    return found[-1]


def _give_to_postgres(path: Path) -> None:
    if os.geteuid() == 0:
        shutil.chown(path, "postgres", "postgres")


# --- the cluster -----------------------------------------------------------------------------------------


class Cluster:
    """Start, inspect and stop the processes of one cluster folder. State is kept in ``state.json``."""

    def __init__(self, config: ClusterConfig) -> None:
        self.config = config
        self.dir = config.directory
        self.run_dir = self.dir / "run"
        self.log_dir = self.dir / "logs"
        self.state_file = self.dir / "state.json"
        self.pids: dict[str, int] = {}
        if self.state_file.exists():
            state = json.loads(self.state_file.read_text())
            self.pids = {name: int(pid) for name, pid in state.get("pids", {}).items()}

    # state

    def _save(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        state = {"config": {**asdict(self.config), "directory": str(self.config.directory)}, "pids": self.pids}
        self.state_file.write_text(json.dumps(state, indent=2))

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
        """The environment every Rasa server runs with: the production endpoints' ``${VAR}`` values."""
        config, passwords = self.config, self.secrets()
        return {
            **os.environ,
            "ACTION_SERVER_URL": f"http://127.0.0.1:{config.actions_balancer_port}/webhook",
            "POSTGRES_HOST": "127.0.0.1",
            "POSTGRES_PORT": str(config.postgres_port),
            "POSTGRES_DB": POSTGRES_DB,
            "POSTGRES_USER": POSTGRES_USER,
            "POSTGRES_PASSWORD": passwords["POSTGRES_PASSWORD"],
            "REDIS_HOST": "127.0.0.1",
            "REDIS_PORT": str(config.redis_port),
            "REDIS_PASSWORD": passwords["REDIS_PASSWORD"],
            "TICKET_LOCK_LIFETIME": str(config.lock_lifetime_s),
            **SERVER_ENV,
            "PYTHONWARNINGS": "ignore::DeprecationWarning",
            **config.extra_env,
        }

    def postgres_url(self) -> str:
        password = self.secrets()["POSTGRES_PASSWORD"]
        return f"postgresql://{POSTGRES_USER}:{password}@127.0.0.1:{self.config.postgres_port}/{POSTGRES_DB}"

    # lifecycle

    def up(self) -> None:
        if not MODEL.exists():
            raise ClusterError(f"{MODEL} is missing: run `make train` first")
        self._check_ports_free()
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.run_dir.mkdir(parents=True, exist_ok=True)
        _run(["bash", str(ROOT / "scripts" / "apt_install.sh"), *DEBIAN_PACKAGES])
        self.start_postgres()
        self.start_redis()
        for index in range(1, self.config.action_servers + 1):
            self.start_action_server(index)
        self.start_nginx()
        self._prepare_tracker_tables()
        for index in range(1, self.config.rasa_servers + 1):
            self.start_rasa(index, wait=False)
        for index in range(1, self.config.rasa_servers + 1):
            self.wait_rasa(index)
        healthy = lambda: _http_ok(self.config.public_url + "/healthz")  # noqa: E731
        _wait("nginx → Rasa", healthy, 30, self.log_dir / "nginx-error.log")

    def down(self, purge: bool = False) -> list[str]:
        """Stop everything this folder started (also after a crash); the names of what was stopped."""
        stopped = []
        for name in sorted(n for n in self.pids if n.startswith("rasa-")):
            if self.stop_process(name):
                stopped.append(name)
        for name in sorted(n for n in self.pids if n.startswith("actions-")):
            if self.stop_process(name):
                stopped.append(name)
        for name, stop in (("nginx", self.stop_nginx), ("redis", self.stop_redis), ("postgres", self.stop_postgres)):
            if stop():
                stopped.append(name)
        self.pids = {}
        if self.dir.exists():
            self._save()
        if purge and self.dir.exists():
            shutil.rmtree(self.dir)
        return stopped

    def status(self) -> dict[str, bool]:
        config = self.config
        running = {
            "postgres": _port_open(config.postgres_port),
            "redis": _port_open(config.redis_port),
            "nginx": _port_open(config.public_port) and _pid_from(self.run_dir / "nginx.pid") is not None,
        }
        for name, pid in sorted(self.pids.items()):
            running[name] = _alive(pid)
        return running

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
        busy = [f"{name} port {port}" for name, port in ports.items() if _port_open(port)]
        if busy:
            raise ClusterError(
                "already in use: " + ", ".join(busy) + ". Is the cluster already up (`make cluster-status`)? "
                "Stop it with `make cluster-down`, or choose other ports with CLUSTER_PORT / CLUSTER_BASE_PORT."
            )

    # PostgreSQL

    def start_postgres(self) -> None:
        data = self.dir / "postgres"
        log = self.dir / "postgres.log"
        if not (data / "PG_VERSION").exists():
            data.mkdir(parents=True, exist_ok=True)
            data.chmod(0o700)
            _give_to_postgres(data)
            password_file = self.dir / "postgres-password.tmp"
            password_file.write_text(self.secrets()["POSTGRES_PASSWORD"] + "\n")
            password_file.chmod(0o600)
            _give_to_postgres(password_file)
            try:
                _run(_as_postgres([
                    _postgres_tool("initdb"), "-D", str(data), "-U", POSTGRES_USER, f"--pwfile={password_file}",
                    "--auth=scram-sha-256", "--encoding=UTF8", "--no-locale",
                ]))  # fmt: skip
            finally:
                password_file.unlink(missing_ok=True)
        log.touch()
        _give_to_postgres(log)
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.config.postgres_port} -c unix_socket_directories='' "
            "-c max_connections=200 -c shared_buffers=128MB"
        )
        pg_ctl = _postgres_tool("pg_ctl")
        _run(_as_postgres([pg_ctl, "-D", str(data), "-l", str(log), "-o", options, "-w", "-t", "60", "start"]))
        self._create_database()

    def _create_database(self) -> None:
        import psycopg2

        password = self.secrets()["POSTGRES_PASSWORD"]
        connection = psycopg2.connect(
            host="127.0.0.1", port=self.config.postgres_port, user=POSTGRES_USER, password=password, dbname="postgres"
        )
        try:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute("select 1 from pg_database where datname = %s", (POSTGRES_DB,))
                if cursor.fetchone() is None:
                    cursor.execute(f"create database {POSTGRES_DB}")
        finally:
            connection.close()

    def _prepare_tracker_tables(self) -> None:
        # Rasa creates its tables when a server starts; several servers starting at once would race.
        code = (
            "import os\nfrom rasa.core.tracker_store import SQLTrackerStore\n"
            "from rasa.shared.core.domain import Domain\n"
            "SQLTrackerStore(Domain.empty(), dialect='postgresql', host=os.environ['POSTGRES_HOST'],"
            " port=int(os.environ['POSTGRES_PORT']), db=os.environ['POSTGRES_DB'],"
            " username=os.environ['POSTGRES_USER'], password=os.environ['POSTGRES_PASSWORD'])\n"
        )
        _run([str(VENV_BIN / "python"), "-c", code], env=self.rasa_env(), cwd=ROOT)

    def stop_postgres(self) -> bool:
        data = self.dir / "postgres"
        if not (data / "postmaster.pid").exists():
            return False
        _run(_as_postgres([_postgres_tool("pg_ctl"), "-D", str(data), "-m", "fast", "-w", "-t", "60", "stop"]))
        return True

    # Redis

    def start_redis(self) -> None:
        conf = self.run_dir / "redis.conf"
        fd = os.open(conf, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(
                "# Lock store only: nothing needs to survive a restart, so no snapshots and no append-only file.\n"
                f"bind 127.0.0.1\nport {self.config.redis_port}\nprotected-mode yes\n"
                f"requirepass {self.secrets()['REDIS_PASSWORD']}\n"
                'save ""\nappendonly no\ndaemonize yes\n'
                f"pidfile {self.run_dir / 'redis.pid'}\nlogfile {self.log_dir / 'redis.log'}\ndir {self.run_dir}\n"
            )
        _run(["redis-server", str(conf)])
        _wait("Redis", lambda: _port_open(self.config.redis_port), 20, self.log_dir / "redis.log")

    def stop_redis(self) -> bool:
        pid = _pid_from(self.run_dir / "redis.pid")
        if pid is None:
            return False
        return _terminate(pid, group=False)

    # action servers and Rasa servers

    def _spawn(self, name: str, command: list[str], env: dict[str, str]) -> int:
        log = self.log_dir / f"{name}.log"
        with log.open("ab") as out:
            process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.pids[name] = process.pid
        self._save()
        return process.pid

    def start_action_server(self, index: int) -> None:
        name, port = f"actions-{index}", self.config.action_port(index)
        env = {**os.environ, "SANIC_HOST": "127.0.0.1", "PYTHONWARNINGS": "ignore::DeprecationWarning"}
        command = [str(VENV_BIN / "python"), "-m", "rasa_sdk", "--actions", "actions", "--port", str(port)]
        pid = self._spawn(name, command, env)
        _wait(name, lambda: _http_ok(f"http://127.0.0.1:{port}/health"), 120, self.log_dir / f"{name}.log", pid)

    def start_rasa(self, index: int, wait: bool = True) -> None:
        """Start Rasa server ``index`` (1-based) on its port, with the production endpoints."""
        command = [
            str(VENV_BIN / "rasa"), "run", "--model", str(MODEL), "--endpoints", str(ENDPOINTS),
            "--credentials", "credentials.yml", "--interface", "127.0.0.1", "--port", str(self.config.rasa_port(index)),
        ]  # fmt: skip
        self._spawn(f"rasa-{index}", command, self.rasa_env())
        if wait:
            self.wait_rasa(index)

    def wait_rasa(self, index: int) -> None:
        name = f"rasa-{index}"
        url = f"http://127.0.0.1:{self.config.rasa_port(index)}/"
        _wait(name, lambda: _http_ok(url), 240, self.log_dir / f"{name}.log", self.pids[name])

    def stop_process(self, name: str, sig: int = signal.SIGTERM) -> bool:
        """Stop one started process (and its children); SIGKILL for a crash. Whether it was running."""
        pid = self.pids.get(name)
        if pid is None or not _alive(pid):
            return False
        return _terminate(pid, group=True, sig=sig)

    # nginx

    def nginx_conf(self) -> str:
        config = self.config
        rasa = "\n".join(
            f"        server 127.0.0.1:{config.rasa_port(i)} max_fails=1 fail_timeout=10s;"
            for i in range(1, config.rasa_servers + 1)
        )
        actions = "\n".join(
            f"        server 127.0.0.1:{config.action_port(i)} max_fails=1 fail_timeout=10s;"
            for i in range(1, config.action_servers + 1)
        )
        values = {
            "RUN_DIR": str(self.run_dir),
            "LOG_DIR": str(self.log_dir),
            "LISTEN": f"127.0.0.1:{config.public_port}",
            "ACTIONS_LISTEN": f"127.0.0.1:{config.actions_balancer_port}",
            "RATE_PER_SECOND": str(config.rate_per_second),
            "BURST": str(config.burst),
            "CONN_PER_CLIENT": str(config.connections_per_client),
            "MAX_BODY": config.max_body,
            "RASA_SERVERS": rasa,
            "ACTION_SERVERS": actions,
            "WEB_LOCATIONS": web_locations(ROOT / "web"),
        }
        text = NGINX_TEMPLATE.read_text()
        for key, value in values.items():
            text = text.replace(f"@{key}@", value)
        leftover = re.search(r"@[A-Z_]+@", text)
        if leftover:
            raise ClusterError(f"{NGINX_TEMPLATE} has a placeholder nothing fills: {leftover.group()}")
        return text

    def start_nginx(self) -> None:
        conf = self.run_dir / "nginx.conf"
        conf.write_text(self.nginx_conf())
        _run(["nginx", "-t", "-q", "-p", str(self.run_dir), "-c", str(conf)])
        _run(["nginx", "-p", str(self.run_dir), "-c", str(conf)])
        _wait("nginx", lambda: _port_open(self.config.public_port), 20, self.log_dir / "nginx-error.log")

    def reload_nginx(self) -> None:
        """Apply the current config (e.g. new limits) without dropping connections."""
        conf = self.run_dir / "nginx.conf"
        conf.write_text(self.nginx_conf())
        _run(["nginx", "-t", "-q", "-p", str(self.run_dir), "-c", str(conf)])
        _run(["nginx", "-s", "reload", "-p", str(self.run_dir), "-c", str(conf)])
        time.sleep(1.0)  # the master starts new workers and retires the old ones asynchronously

    def stop_nginx(self) -> bool:
        pid = _pid_from(self.run_dir / "nginx.pid")
        if pid is None:
            return False
        return _terminate(pid, group=False, sig=signal.SIGQUIT)


def _pid_from(path: Path) -> int | None:
    try:
        pid = int(path.read_text().strip())
    except (OSError, ValueError):
        return None
    return pid if _alive(pid) else None


def _terminate(pid: int, group: bool, sig: int = signal.SIGTERM, timeout: float = 30.0) -> bool:
    def send(signal_number: int) -> None:
        try:
            if group:
                os.killpg(pid, signal_number)
            else:
                os.kill(pid, signal_number)
        except ProcessLookupError:
            pass

    send(sig)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.2)
    if _alive(pid):
        send(signal.SIGKILL)
        while _alive(pid):
            time.sleep(0.1)
    with contextlib.suppress(ChildProcessError):  # reap our own child (tests start and stop servers)
        os.waitpid(pid, os.WNOHANG)
    return True


def web_locations(web_root: Path) -> str:
    """nginx ``location`` blocks serving ``web/`` with the headers of :mod:`channels.web_pages`."""
    sys.path.insert(0, str(ROOT))
    from channels.web_pages import MOUNTS, headers_for

    def header_lines(headers: dict[str, str], indent: str) -> Iterable[str]:
        for name, value in headers.items():
            if name not in ("Content-Type", "ETag"):
                yield f'{indent}add_header {name} "{value}" always;'

    blocks = []
    for prefix, mount in MOUNTS.items():
        asset = headers_for(Path("asset.js"), mount, "")
        lines = [f"        location /{prefix}/ {{", f"            alias {web_root / mount.folder}/;"]
        lines += ["            charset utf-8;", "            charset_types text/css application/javascript text/plain;"]
        lines += ["            etag on;"]
        lines += list(header_lines(asset, "            "))
        if mount.index is not None:
            page = headers_for(Path(mount.index), mount, "")
            lines += [f"            index {mount.index};", "            location ~ \\.html$ {"]
            lines += list(header_lines(page, "                "))
            lines += ["            }"]
            blocks.append(f"        location = /{prefix} {{ return 301 /{prefix}/; }}")
        lines += ["        }"]
        blocks.append("\n".join(lines))
    return "\n".join(blocks)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    up = commands.add_parser("up", help="start PostgreSQL, Redis, action servers, nginx and the Rasa servers")
    up.add_argument("--rasa", type=int, help="number of Rasa servers (default RASA_SERVERS or 2)")
    up.add_argument("--actions", type=int, help="number of action servers (default ACTION_SERVERS or 2)")
    down = commands.add_parser("down", help="stop everything (data is kept)")
    down.add_argument("--purge", action="store_true", help="also delete the cluster folder (all conversations)")
    commands.add_parser("status", help="what is running")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # a killed `up` still stops what it started

    try:
        config = ClusterConfig.from_environment()
        if args.command == "up":
            config.rasa_servers = args.rasa or config.rasa_servers
            config.action_servers = args.actions or config.action_servers
            if not 1 <= config.rasa_servers <= 9 or not 1 <= config.action_servers <= 9:
                raise ClusterError("use 1 to 9 Rasa servers and 1 to 9 action servers")
        cluster = Cluster(config)
        if args.command == "up":
            started = time.monotonic()
            try:
                cluster.up()
            except BaseException:
                print("cluster: start failed; stopping what was started ...", file=sys.stderr)
                cluster.down()
                raise
            print(
                f"cluster: up in {time.monotonic() - started:.0f} s — {config.rasa_servers} Rasa servers, "
                f"{config.action_servers} action servers, PostgreSQL, Redis, nginx\n"
                f"  Widget demo: {config.public_url}/chat/\n  Kiosk:       {config.public_url}/kiosk/\n"
                f"  REST:        {config.public_url}/webhooks/rest/webhook\n"
                f"  Logs:        {cluster.log_dir}\n  Stop:        make cluster-down"
            )
        elif args.command == "down":
            stopped = cluster.down(purge=args.purge)
            print("cluster: stopped " + (", ".join(stopped) if stopped else "nothing (it was not running)"))
        else:
            for name, running in cluster.status().items():
                print(f"  {name:<10} {'running' if running else 'stopped'}")
    except ClusterError as error:
        print(f"cluster: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
