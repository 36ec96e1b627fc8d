"""Run a server from an image the way a container runtime would: the image's own command, user, working
directory and environment, on the host's network (``buildah run --isolation chroot --network host``).

Used by the smoke test (``tests/images/``). ``env`` adds to or overrides the image's environment, e.g. the
ports, so several servers can share one host.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from container_images import buildah

STOP_TIMEOUT_SECONDS = 20.0


@dataclass(frozen=True)
class RunningContainer:
    """A working container of ``image`` and the ``buildah run`` process (a process group of its own) of it."""

    image: str
    name: str
    process: subprocess.Popen[bytes]


def image_command(image: str) -> list[str]:
    """The image's ENTRYPOINT followed by its CMD, as a runtime starts it."""
    config = buildah.image_config(image)
    if config is None:
        raise buildah.BuildahError(f"no image {image}")
    docker = config["Docker"]["config"]
    command = [*(docker.get("Entrypoint") or []), *(docker.get("Cmd") or [])]
    if not command:
        raise buildah.BuildahError(f"{image} has neither ENTRYPOINT nor CMD")
    return command


def _stop_group(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    for sent, wait in ((signal.SIGTERM, STOP_TIMEOUT_SECONDS), (signal.SIGKILL, STOP_TIMEOUT_SECONDS)):
        try:
            os.killpg(process.pid, sent)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


@contextmanager
def running_container(image: str, env: dict[str, str], log: Path) -> Iterator[RunningContainer]:
    """Start ``image``'s command in a new working container; on exit stop it (SIGTERM, then SIGKILL to its
    process group) and remove the working container. Output goes to ``log``."""
    name = f"allpdq-smoke-{uuid.uuid4().hex[:12]}"
    buildah.run(["from", "--pull-never", "--name", name, image])
    try:
        args = ["buildah", "run", "--isolation", buildah.ISOLATION, "--network", "host"]
        for key, value in env.items():
            args += ["-e", f"{key}={value}"]
        args += [name, "--", *image_command(image)]
        with log.open("ab") as out:
            process = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            yield RunningContainer(image, name, process)
        finally:
            _stop_group(process)
    finally:
        deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
        while True:
            try:
                buildah.run(["rm", name])
                break
            except buildah.BuildahError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(1)
