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
# The package sources of Debian's own bookworm images: the release, its updates and its security updates
# (debootstrap writes only the first), so that apt-get in the Containerfiles installs patched packages.
APT_SOURCES = """Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
"""
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
    """Debian bookworm (minbase) from ``DEBIAN_MIRROR`` as the image ``LOCAL_BASE``, with the release's update
    and security sources, upgraded, without package lists or downloaded .deb files (apt-get update in the
    Containerfiles fetches fresh lists)."""
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
        (root / "etc/apt/sources.list").unlink(missing_ok=True)
        (root / "etc/apt/sources.list.d/debian.sources").write_text(APT_SOURCES)
        buildah.run(["umount", container])
        # The security updates published since the release's last point release, then no lists or .debs.
        upgrade = (
            "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get upgrade -y -qq"
            " && apt-get clean && rm -rf /var/lib/apt/lists/*"
        )
        buildah.run(["run", "--isolation", buildah.ISOLATION, container, "--", "sh", "-c", upgrade], timeout=600)
        buildah.run(["config", "--cmd", "/bin/bash", container])
        buildah.run(["commit", "--rm", container, LOCAL_BASE], timeout=300)
    except (subprocess.SubprocessError, OSError) as error:
        buildah.run(["rm", container])
        raise buildah.BuildahError(f"debootstrap of the base image failed (log: {log}): {error}") from error
    except buildah.BuildahError:
        buildah.run(["rm", container])
        raise
