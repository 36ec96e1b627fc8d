"""Build the two images unless images of the same inputs exist (``make images``).

Each image is tagged ``<repository>:inputs-<digest>`` (the digest of its Containerfile, ``.dockerignore``,
the build context, the base image and the build arguments that change the content: ``context``) and
``<repository>:latest``. When the ``inputs-`` tag already exists, nothing is built. The revision label is
the commit the image was first built from: a commit that changes nothing the image holds reuses it.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import tomllib

from container_images import buildah
from container_images.base import ensure_base
from container_images.context import context_digest

ROOT = Path(__file__).resolve().parents[1]
IMAGES_DIR = ROOT / "deploy" / "images"
SOURCE_URL = "https://github.com/allpdq/all-pdq-assistant"
EXTRA_CA_SECRET = "extra_ca"
BUILD_TIMEOUT_SECONDS = 1800.0


@dataclass(frozen=True)
class ImageSpec:
    """One image: its repository name and its Containerfile, and what it needs in the context first."""

    repository: str
    containerfile: Path
    needs: tuple[str, ...] = ()


IMAGES = (
    ImageSpec("localhost/allpdq/actions", IMAGES_DIR / "actions.Containerfile"),
    ImageSpec("localhost/allpdq/rasa", IMAGES_DIR / "rasa.Containerfile", needs=("models/all-pdq.tar.gz",)),
)


@dataclass(frozen=True)
class Built:
    """The outcome for one image: its ``inputs-`` tag, whether it was built now, its size, seconds taken."""

    image: str
    built: bool
    size: str
    seconds: float


def host_ca_bundle() -> Path | None:
    """The CAs this machine trusts (``SSL_CERT_FILE``, else Debian's bundle), if that file exists: by default
    they are the build's extra CA, so a build behind a TLS-inspecting proxy trusts what the host trusts."""
    bundle = Path(os.environ.get("SSL_CERT_FILE") or "/etc/ssl/certs/ca-certificates.crt")
    return bundle if bundle.is_file() else None


def project_version(root: Path = ROOT) -> str:
    """The project's version from pyproject.toml (the ``org.opencontainers.image.version`` label)."""
    with (root / "pyproject.toml").open("rb") as file:
        return str(tomllib.load(file)["project"]["version"])


def git_revision(root: Path = ROOT) -> str:
    """The commit checked out, with ``-dirty`` when the working tree has changes; ``unknown`` outside git."""
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True)
        status = subprocess.run(["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head.stdout.strip() + ("-dirty" if status.stdout.strip() else "")


def inputs_tag(spec: ImageSpec, base_id: str, version: str, root: Path = ROOT) -> str:
    """The ``<repository>:inputs-<digest>`` name of the image these inputs build."""
    digest = context_digest(root, spec.containerfile, extra=(f"base={base_id}", f"version={version}"))
    return f"{spec.repository}:inputs-{digest[:20]}"


def build_images(
    work: Path, extra_ca: Path | None = None, base: str | None = None, say: Callable[[str], None] = print
) -> list[Built]:
    """Build every image in ``IMAGES`` whose ``inputs-`` tag is missing; logs go to ``work``.

    ``extra_ca``: a PEM bundle passed to the dependency downloads as a build secret (never stored in a layer).
    ``base``: a base image to use instead of :func:`container_images.base.ensure_base`'s choice.
    """
    work.mkdir(parents=True, exist_ok=True)
    base_image = base or ensure_base(work / "base.log")
    base_config = buildah.image_config(base_image)
    if base_config is None:
        raise buildah.BuildahError(f"base image {base_image} not found")
    version = project_version()
    results = []
    for spec in IMAGES:
        for needed in spec.needs:
            if not (ROOT / needed).exists():
                raise buildah.BuildahError(f"{needed} is missing: run `make train` before `make images`")
        started = time.monotonic()
        image = inputs_tag(spec, str(base_config.get("FromImageID", base_image)), version)
        built = buildah.image_config(image) is None
        if built:
            say(f"images: building {image} ...")
            buildah.bud(
                spec.containerfile,
                ROOT,
                tags=(image, f"{spec.repository}:latest"),
                build_args={
                    "BASE_IMAGE": base_image,
                    "VERSION": version,
                    "REVISION": git_revision(),
                    "SOURCE": SOURCE_URL,
                },
                secrets={EXTRA_CA_SECRET: extra_ca} if extra_ca else {},
                log=work / f"{spec.repository.rsplit('/', 1)[-1]}.log",
                timeout=BUILD_TIMEOUT_SECONDS,
            )
        else:
            buildah.tag(image, f"{spec.repository}:latest")
        # The images of other inputs are superseded: drop them so disk use does not grow with every change
        # (the builder stages stay in the layer cache while their lock is unchanged).
        superseded = [
            name
            for name in buildah.image_names(spec.repository)
            if name.rsplit(":", 1)[-1].startswith("inputs-") and name != image
        ]
        buildah.untag(*superseded)
        results.append(Built(image, built, buildah.image_size(image), time.monotonic() - started))
    return results
