"""PostgreSQL for the cluster: its data folder, its configuration file in the cluster folder, the database.

It runs from ``CLUSTER_DIR/conf/postgresql.conf`` (``postgres --config-file=...``), so started by hand it comes
up exactly as supervisord starts it: on 127.0.0.1 and the cluster's port only, no Unix socket, scram-sha-256
passwords, and durable: ``fsync``, ``synchronous_commit`` and ``full_page_writes`` on (a commit that Rasa was
told succeeded survives a crash of PostgreSQL or of the machine).
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import time
from pathlib import Path

from serving.cluster.config import ClusterConfig, ClusterError
from serving.supervision import Program

USER = "allpdq"
DATABASE = "rasa"


def tool(name: str) -> str:
    """The newest installed PostgreSQL's ``name`` (``initdb``, ``postgres``, ...)."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(Path(p).parts[-3]))
    if not found:
        raise ClusterError(f"PostgreSQL's {name} is missing: run `bash scripts/apt_install.sh postgresql`")
    return found[-1]


def _as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: as root, run its tools as the Debian package's ``postgres`` user."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _give_to_postgres(path: Path) -> None:
    if os.geteuid() == 0:
        shutil.chown(path, "postgres", "postgres")


def data_dir(config: ClusterConfig) -> Path:
    return config.directory / "postgres"


def config_file(config: ClusterConfig) -> Path:
    return config.directory / "conf" / "postgresql.conf"


def initialise(config: ClusterConfig, password: str) -> None:
    """Create the data folder with the ``allpdq`` superuser (first start only)."""
    data = data_dir(config)
    if (data / "PG_VERSION").exists():
        return
    data.mkdir(parents=True, exist_ok=True)
    data.chmod(0o700)
    _give_to_postgres(data)
    password_file = config.directory / "postgres-password.tmp"
    password_file.write_text(password + "\n")
    password_file.chmod(0o600)
    _give_to_postgres(password_file)
    try:
        command = [
            tool("initdb"), "-D", str(data), "-U", USER, f"--pwfile={password_file}",
            "--auth=scram-sha-256", "--encoding=UTF8", "--no-locale",
        ]  # fmt: skip
        result = subprocess.run(_as_postgres(command), capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise ClusterError(f"initdb failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    finally:
        password_file.unlink(missing_ok=True)


def write_config(config: ClusterConfig) -> Path:
    """``CLUSTER_DIR/conf/postgresql.conf``, rewritten on every start (edit ClusterConfig, not the file)."""
    data = data_dir(config)
    path = config_file(config)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "# Written by serving/cluster/postgres.py on every `make cluster-up`; see docs/deployment.md.\n"
        f"data_directory = '{data}'\n"
        f"hba_file = '{data / 'pg_hba.conf'}'\n"
        f"ident_file = '{data / 'pg_ident.conf'}'\n"
        "listen_addresses = '127.0.0.1'\n"
        f"port = {config.postgres_port}\n"
        "unix_socket_directories = ''\n"
        "password_encryption = scram-sha-256\n"
        "max_connections = 200\n"
        "shared_buffers = 128MB\n"
        "# Durability: a turn Rasa stored is on disk before the commit returns, and survives a crash.\n"
        "fsync = on\n"
        "synchronous_commit = on\n"
        "full_page_writes = on\n"
        "# Logs go to stderr, which supervisord writes to CLUSTER_DIR/logs/postgres.log.\n"
        "logging_collector = off\n"
        "log_min_messages = warning\n"
    )
    path.chmod(0o644)
    return path


def program(config: ClusterConfig) -> Program:
    return Program(
        name="postgres",
        command=[tool("postgres"), f"--config-file={config_file(config)}"],
        log=config.log_dir / "postgres.log",
        user="postgres" if os.geteuid() == 0 else None,
        start_seconds=2,
        priority=100,
        stop_signal="INT",  # "fast" shutdown: ends sessions, writes a checkpoint
        stop_wait_seconds=60,
        stop_as_group=False,  # the postmaster stops its own children
    )


def create_database(config: ClusterConfig, password: str, timeout: float = 60.0) -> None:
    """Create the ``rasa`` database unless it exists, once PostgreSQL accepts connections (it refuses them
    while it starts up or recovers, after its port is already open)."""
    import psycopg2

    deadline = time.monotonic() + timeout
    while True:
        try:
            connection = psycopg2.connect(
                host="127.0.0.1", port=config.postgres_port, user=USER, password=password, dbname="postgres"
            )
            break
        except psycopg2.OperationalError as error:
            if time.monotonic() > deadline:
                raise ClusterError(f"PostgreSQL did not accept connections within {timeout:.0f} s: {error}") from None
            time.sleep(0.5)
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("select 1 from pg_database where datname = %s", (DATABASE,))
            if cursor.fetchone() is None:
                cursor.execute(f"create database {DATABASE}")
    finally:
        connection.close()


def url(config: ClusterConfig, password: str) -> str:
    return f"postgresql://{USER}:{password}@127.0.0.1:{config.postgres_port}/{DATABASE}"
