"""The cluster's command line (``make cluster-up``, ``cluster-down``, ``cluster-status``, ``cluster-chaos``).

    python -m serving.cluster up [--rasa N] [--actions M]   # idempotent: on a running cluster, says so
    python -m serving.cluster down [--purge]                # harmless when already down
    python -m serving.cluster status                        # each process: state, pid, uptime, restarts
    python -m serving.cluster chaos [--full]                # fault drills under load (a cluster of its own)

Everything listens on 127.0.0.1; only nginx (``CLUSTER_PORT``, default 8080) is meant to be reached by
clients. PostgreSQL, Redis and nginx are Debian packages, installed on first use by
``scripts/apt_install.sh``; their data, configuration files, logs and the generated passwords live in the
cluster folder (``CLUSTER_DIR``, default ``var/cluster``). See docs/deployment.md.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time

from serving.cluster.cluster import Cluster
from serving.cluster.config import ClusterConfig, ClusterError
from serving.supervision import SupervisorError


def _uptime(seconds: float) -> str:
    minutes, second = divmod(int(seconds), 60)
    hours, minute = divmod(minutes, 60)
    return f"{hours}:{minute:02d}:{second:02d}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    up = commands.add_parser("up", help="start PostgreSQL, Redis, action servers, nginx and the Rasa servers")
    up.add_argument("--rasa", type=int, help="number of Rasa servers (default RASA_SERVERS or 2)")
    up.add_argument("--actions", type=int, help="number of action servers (default ACTION_SERVERS or 2)")
    down = commands.add_parser("down", help="stop everything (data is kept)")
    down.add_argument("--purge", action="store_true", help="also delete the cluster folder (all conversations)")
    commands.add_parser("status", help="each process: state, uptime, restarts")
    chaos = commands.add_parser("chaos", help="fault drills against a cluster of its own, under load")
    chaos.add_argument("--full", action="store_true", help="the long form (20 users, 2 minutes, 15 s outage)")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # a killed `up` still stops what it started

    try:
        config = ClusterConfig.from_environment()
        if args.command == "up":
            config.rasa_servers = args.rasa or config.rasa_servers
            config.action_servers = args.actions or config.action_servers
            if not 1 <= config.rasa_servers <= 9 or not 1 <= config.action_servers <= 9:
                raise ClusterError("use 1 to 9 Rasa servers and 1 to 9 action servers")
        if args.command == "chaos":
            from serving.cluster import chaos as drills

            return drills.main(full=args.full)
        cluster = Cluster(config)
        if args.command == "up":
            started = time.monotonic()
            was_running = cluster.supervisor.running()
            try:
                cluster.up()
            except BaseException:
                if not was_running:  # a running cluster is never stopped by `up`
                    print("cluster: start failed; stopping what was started ...", file=sys.stderr)
                    cluster.down()
                raise
            if was_running:
                print(f"cluster: already running in {config.directory} (left running; `make cluster-status`)")
                return 0
            print(
                f"cluster: up in {time.monotonic() - started:.0f} s — {config.rasa_servers} Rasa servers, "
                f"{config.action_servers} action servers, PostgreSQL, Redis, nginx (all supervised)\n"
                f"  Widget demo: {config.public_url}/chat/\n  Kiosk:       {config.public_url}/kiosk/\n"
                f"  REST:        {config.public_url}/webhooks/rest/webhook\n"
                f"  Logs:        {cluster.log_dir} (restarts: {cluster.supervisor.log})\n"
                "  Status:      make cluster-status\n  Stop:        make cluster-down"
            )
        elif args.command == "down":
            stopped = cluster.down(purge=args.purge)
            print("cluster: stopped " + (", ".join(stopped) if stopped else "nothing (it was not running)"))
        else:
            statuses = cluster.status()
            if not statuses:
                print(f"cluster: not running ({config.directory})")
                return 0
            print(f"  {'process':<11} {'state':<9} {'pid':>7} {'uptime':>9} {'restarts':>8}")
            for status in statuses:
                pid = str(status.pid) if status.pid else "-"
                uptime = _uptime(status.uptime_s)
                print(f"  {status.name:<11} {status.state:<9} {pid:>7} {uptime:>9} {status.restarts:>8}")
    except (ClusterError, SupervisorError) as error:
        print(f"cluster: {error}", file=sys.stderr)
        return 1
    return 0
