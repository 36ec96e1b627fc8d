"""Redis for the cluster (the lock store): its configuration file in the cluster folder."""

from __future__ import annotations

import os

from serving.cluster.config import ClusterConfig
from serving.supervision import Program


def write_config(config: ClusterConfig, password: str) -> None:
    """``CLUSTER_DIR/conf/redis.conf`` (mode 0600: it holds the password), rewritten on every start."""
    path = config.directory / "conf" / "redis.conf"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(
            "# Written by serving/cluster/redis.py on every `make cluster-up`; see docs/deployment.md.\n"
            "# Lock store only: nothing needs to survive a restart, so no snapshots and no append-only file.\n"
            f"bind 127.0.0.1\nport {config.redis_port}\nprotected-mode yes\nrequirepass {password}\n"
            'save ""\nappendonly no\ndaemonize no\n'
            f"dir {config.run_dir}\n"
            "# The log goes to stdout, which supervisord writes to CLUSTER_DIR/logs/redis.log.\n"
            'logfile ""\n'
        )


def program(config: ClusterConfig) -> Program:
    return Program(
        name="redis",
        command=["redis-server", str(config.directory / "conf" / "redis.conf")],
        log=config.log_dir / "redis.log",
        start_seconds=2,
        priority=100,
        stop_wait_seconds=20,
        stop_as_group=False,
    )
