"""The base image both Containerfiles start from (build argument ``BASE_IMAGE``).

The public default (``debian:bookworm-slim`` from Docker Hub) is used when it can be pulled. Where no
registry can be reached, the same Debian release is made from Debian's packages instead:
``debootstrap --variant=minbase bookworm`` into a ``buildah from scratch`` container, committed and tagged
``LOCAL_BASE``; later builds reuse that tag.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from pathlib import Path

from container_images import buildah

PUBLIC_BASE = "docker.io/library/debian:bookworm-slim"
LOCAL_BASE = "localhost/allpdq/debian:bookworm-minbase"
DEBIAN_MIRROR = "http://deb.debian.org/debian"
PULL_TIMEOUT_SECONDS = 120.0
DEBOOTSTRAP_TIMEOUT_SECONDS = 600.0

logger = logging.getLogger(__name__)


def ensure_base(log: Path) -> str:
    """The name of a usable base image: the public default if present or pullable, else the local
    debootstrap base (made now when missing). Progress goes to ``log``."""
    for name in (PUBLIC_BASE, LOCAL_BASE):
        if buildah.image_config(name) is not None:
            return name
    try:
        buildah.run(["pull", "--quiet", PUBLIC_BASE], timeout=PULL_TIMEOUT_SECONDS)
        return PUBLIC_BASE
    except buildah.BuildahError as error:
        logger.info("base image: cannot pull %s (%s); making it with debootstrap", PUBLIC_BASE, str(error)[:200])
    make_debootstrap_base(log)
    return LOCAL_BASE


def make_debootstrap_base(log: Path) -> None:
    """Debian bookworm (minbase) from ``DEBIAN_MIRROR`` as the image ``LOCAL_BASE``, without package lists or
    downloaded .deb files (apt-get update in the Containerfiles fetches fresh lists)."""
    debootstrap = shutil.which("debootstrap")
    if debootstrap is None:
        raise buildah.BuildahError("debootstrap is not installed: bash scripts/apt_install.sh buildah debootstrap")
    container = buildah.run(["from", "scratch"]).strip()
    try:
        root = Path(buildah.run(["mount", container]).strip())
        with log.open("ab") as out:
            subprocess.run(
                [debootstrap, "--variant=minbase", "bookworm", str(root), DEBIAN_MIRROR],
                stdout=out, stderr=subprocess.STDOUT, timeout=DEBOOTSTRAP_TIMEOUT_SECONDS, check=True,
            )  # fmt: skip
        for leftover in (root / "var/cache/apt/archives", root / "var/lib/apt/lists"):
            for path in leftover.glob("*"):
                if path.is_file():
                    path.unlink()
        buildah.run(["umount", container])
        buildah.run(["config", "--cmd", "/bin/bash", container])
        buildah.run(["commit", "--rm", container, LOCAL_BASE], timeout=300)
    except (subprocess.SubprocessError, OSError) as error:
        buildah.run(["rm", container])
        raise buildah.BuildahError(f"debootstrap of the base image failed (log: {log}): {error}") from error
    except buildah.BuildahError:
        buildah.run(["rm", container])
        raise
