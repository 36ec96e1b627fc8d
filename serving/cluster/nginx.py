"""nginx for the cluster: ``CLUSTER_DIR/run/nginx.conf`` rendered from ``deploy/nginx.conf.template``."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable
from pathlib import Path

from serving.cluster.config import ClusterConfig, ClusterError
from serving.paths import ROOT, VENV_BIN
from serving.supervision import Program

TEMPLATE = ROOT / "deploy" / "nginx.conf.template"
WEB_ROOT = ROOT / "web"
# A server is taken out after this many failed requests within FAIL_TIMEOUT, for FAIL_TIMEOUT.
MAX_FAILS = 3
FAIL_TIMEOUT = "5s"


def config_file(config: ClusterConfig) -> Path:
    return config.run_dir / "nginx.conf"


def _servers(ports: Iterable[int]) -> str:
    return "\n".join(
        f"        server 127.0.0.1:{port} max_fails={MAX_FAILS} fail_timeout={FAIL_TIMEOUT};" for port in ports
    )


def render(config: ClusterConfig) -> str:
    """The configuration text; every ``@NAME@`` of the template filled, or :class:`ClusterError`."""
    values = {
        "RUN_DIR": str(config.run_dir),
        "LOG_DIR": str(config.log_dir),
        "LISTEN": f"127.0.0.1:{config.public_port}",
        "LOG_SINK": f"127.0.0.1:{config.log_sink_port}",
        "ACTIONS_LISTEN": f"127.0.0.1:{config.actions_balancer_port}",
        "RATE_PER_SECOND": str(config.rate_per_second),
        "BURST": str(config.burst),
        "SESSION_RATE_PER_SECOND": str(config.session_rate_per_second),
        "SESSION_BURST": str(config.session_burst),
        "CONN_PER_CLIENT": str(config.connections_per_client),
        "MAX_BODY": config.max_body,
        "RASA_SERVERS": _servers(config.rasa_port(i) for i in range(1, config.rasa_servers + 1)),
        "ACTION_SERVERS": _servers(config.action_port(i) for i in range(1, config.action_servers + 1)),
        "WEB_LOCATIONS": web_locations(WEB_ROOT),
    }
    text = TEMPLATE.read_text()
    for key, value in values.items():
        text = text.replace(f"@{key}@", value)
    leftover = re.search(r"@[A-Z_]+@", text)
    if leftover:
        raise ClusterError(f"{TEMPLATE} has a placeholder nothing fills: {leftover.group()}")
    return text


def write_config(config: ClusterConfig) -> Path:
    """Render, write and check the configuration (``nginx -t``)."""
    path = config_file(config)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(config))
    result = subprocess.run(
        ["nginx", "-t", "-q", "-p", str(config.run_dir), "-c", str(path)], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise ClusterError(f"nginx refuses {path}:\n{result.stdout}{result.stderr}")
    return path


def reload(config: ClusterConfig) -> None:
    """Apply a re-rendered configuration without dropping connections."""
    path = write_config(config)
    command = ["nginx", "-s", "reload", "-p", str(config.run_dir), "-c", str(path)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise ClusterError(f"nginx reload failed:\n{result.stdout}{result.stderr}")


def program(config: ClusterConfig) -> Program:
    return Program(
        name="nginx",
        command=["nginx", "-p", str(config.run_dir), "-c", str(config_file(config)), "-g", "daemon off;"],
        log=config.log_dir / "nginx-stderr.log",  # only what nginx says before it has read its configuration
        start_seconds=2,
        priority=250,
        stop_signal="QUIT",  # graceful: finish the requests in flight
        stop_wait_seconds=30,
        stop_as_group=False,
    )


def log_sink_program(config: ClusterConfig) -> Program:
    """The receiver of nginx's error log (:mod:`serving.cluster.log_sink`), started before nginx."""
    command = [
        str(VENV_BIN / "python"), "-m", "serving.cluster.log_sink", str(config.log_sink_port),
        str(config.log_dir / "nginx-error.log"), "--per-second", str(config.error_log_lines_per_second),
    ]  # fmt: skip
    return Program(name="nginx-log", command=command, log=config.log_dir / "nginx-log.log", start_seconds=1,
                   priority=240, stop_wait_seconds=5)  # fmt: skip


def web_locations(web_root: Path) -> str:
    """nginx ``location`` blocks serving ``web/`` with the headers of :mod:`channels.web_pages`."""
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
