"""The Rasa server and the action server as supervised programs (``make run`` and the cluster alike)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from serving.paths import MODEL, VENV_BIN
from serving.supervision import Program

# How a Rasa server runs here: quiet TensorFlow, and one TensorFlow thread (Rasa reads these two at start).
# DIET's inference on one message is too small to gain from a thread pool, which on 2 cores competes with
# the action server; measured at 10 users, two interleaved pairs: 25.6 vs 24.2 and 28.0 vs 27.2 msg/s.
SERVER_ENV = {
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "TF_INTRA_OP_PARALLELISM_THREADS": "1",
    "TF_INTER_OP_PARALLELISM_THREADS": "1",
    "PYTHONWARNINGS": "ignore::DeprecationWarning",
}

# Rasa's command line with our patches installed first (rasa_patches/__main__.py): `rasa` for every Rasa
# command that serves or loads a model here.
RASA_CLI = (str(VENV_BIN / "python"), "-m", "rasa_patches")

# A Rasa server loads its model for 20-60 s before it listens; one that exits sooner crashed while starting.
RASA_START_SECONDS = 10
ACTIONS_START_SECONDS = 3


def rasa_server(
    name: str,
    port: int,
    endpoints: str,
    log: Path | None,
    interface: str = "127.0.0.1",
    extra_args: Sequence[str] = (),
    env: Mapping[str, str] | None = None,
) -> Program:
    """``rasa run`` (patched: :data:`RASA_CLI`) with the trained model, ``credentials.yml`` and ``endpoints``
    on ``interface:port``."""
    command = [
        *RASA_CLI, "run", "--model", str(MODEL), "--endpoints", endpoints,
        "--credentials", "credentials.yml", "--interface", interface, "--port", str(port), *extra_args,
    ]  # fmt: skip
    return Program(
        name=name,
        command=command,
        log=log,
        env={**SERVER_ENV, **(env or {})},
        start_seconds=RASA_START_SECONDS,
        priority=300,
        stop_wait_seconds=30,
    )


def action_server(name: str, port: int, log: Path, env: Mapping[str, str] | None = None) -> Program:
    """The action server (``python -m actions.server``: rasa_sdk once the indexes are built) on loopback only:
    nothing but the Rasa servers reach it."""
    command = [
        str(VENV_BIN / "python"),
        "-m",
        "actions.server",
        "--actions",
        "actions",
        "--port",
        str(port),
        "--cors",
        "",
    ]
    return Program(
        name=name,
        command=command,
        log=log,
        env={"SANIC_HOST": "127.0.0.1", "PYTHONWARNINGS": "ignore::DeprecationWarning", **(env or {})},
        start_seconds=ACTIONS_START_SECONDS,
        priority=200,
        stop_wait_seconds=15,
    )
