"""Where the cluster's processes listen, how nginx limits clients, and the cluster folder.

Every setting is read here, from the environment, by :meth:`ClusterConfig.from_environment`.
"""

from __future__ import annotations

import os
import random
import socket
from dataclasses import dataclass, field
from pathlib import Path

from serving.paths import ROOT


class ClusterError(RuntimeError):
    """Something the operator has to fix; the message says what."""


@dataclass
class ClusterConfig:
    """Ports are ``base_port`` + a fixed offset; only nginx (``public_port``) is meant for clients.

    Rate limits (nginx): ``session_rate_per_second`` / ``session_burst`` per socket.io session (engine.io
    ``sid``), and a generous per-address ceiling ``rate_per_second`` / ``burst`` for everything, sized so a
    hospital's kiosks and phones behind one public address are served at once. ``connections_per_client``
    is the per-address ceiling of open connections.
    """

    directory: Path = ROOT / "var" / "cluster"
    public_port: int = 8080
    base_port: int = 18000
    rasa_servers: int = 2
    action_servers: int = 2
    rate_per_second: int = 100
    burst: int = 200
    session_rate_per_second: int = 10
    session_burst: int = 40
    connections_per_client: int = 400
    max_body: str = "64k"
    error_log_lines_per_second: int = 20  # nginx's error log: more lines in one second are counted, not written
    # A crashed server's lock on a conversation expires after this (live holders renew every third of it).
    # Short enough that the conversation's next message is answered within the 10 s reply target: at 20 s,
    # the messages queued behind a killed server's tickets waited 21-22 s in the full chaos drill.
    lock_lifetime_s: int = 6
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

    @property
    def log_sink_port(self) -> int:
        """Loopback UDP: nginx's error log, received by serving/cluster/log_sink.py."""
        return self.base_port + 4

    def rasa_port(self, index: int) -> int:
        return self.base_port + 10 + index

    def action_port(self, index: int) -> int:
        return self.base_port + 50 + index

    @property
    def public_url(self) -> str:
        return f"http://127.0.0.1:{self.public_port}"

    @property
    def run_dir(self) -> Path:
        """supervisord's files, the rendered configurations and nginx's temporary folders."""
        return self.directory / "run"

    @property
    def log_dir(self) -> Path:
        return self.directory / "logs"

    def rasa_names(self) -> list[str]:
        return [f"rasa-{i}" for i in range(1, self.rasa_servers + 1)]

    def action_names(self) -> list[str]:
        return [f"actions-{i}" for i in range(1, self.action_servers + 1)]

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
            ("session_rate_per_second", "CLUSTER_SESSION_RATE"),
            ("session_burst", "CLUSTER_SESSION_BURST"),
        ):
            if env.get(name):
                try:
                    setattr(config, attribute, int(env[name]))
                except ValueError:
                    raise ClusterError(f"{name}={env[name]!r} is not a whole number") from None
        if not 1 <= config.rasa_servers <= 9 or not 1 <= config.action_servers <= 9:
            raise ClusterError("use 1 to 9 Rasa servers and 1 to 9 action servers")
        return config


def free_base_port(size: int = 100) -> int:
    """A base port with ``size`` free loopback ports after it (a cluster uses base .. base + 99)."""

    def free(port: int) -> bool:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                return False
        return True

    rng = random.Random()
    for _ in range(200):
        base = rng.randrange(20000, 60000, 100)
        if all(free(base + offset) for offset in range(size)):
            return base
    raise ClusterError("no free block of loopback ports")
