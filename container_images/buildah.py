"""The buildah commands the image build and the smoke test use (buildah 1.28, Debian bookworm).

Everything runs with ``--isolation chroot``: buildah's default OCI runtime does not start in sandboxes like
this one, and chroot isolation needs neither a daemon nor user namespaces. Failures raise
:class:`BuildahError` with buildah's own message.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ISOLATION = "chroot"


class BuildahError(RuntimeError):
    """A buildah command failed (or buildah is not installed)."""


def _buildah() -> str:
    found = shutil.which("buildah")
    if found is None:
        raise BuildahError("buildah is not installed: bash scripts/apt_install.sh buildah debootstrap")
    return found


def run(args: Sequence[str], timeout: float = 60) -> str:
    """``buildah ARGS``: its standard output, or :class:`BuildahError` with its standard error."""
    try:
        done = subprocess.run([_buildah(), *args], capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as error:
        raise BuildahError(f"buildah {' '.join(args[:2])} did not finish in {timeout:.0f} s") from error
    if done.returncode != 0:
        raise BuildahError(f"buildah {' '.join(args[:2])} failed: {done.stderr.strip()[-2000:]}")
    return done.stdout


def image_config(image: str) -> dict[str, Any] | None:
    """The image's inspect document (``buildah inspect --type image``), or None when there is no such image."""
    try:
        return dict(json.loads(run(["inspect", "--type", "image", image])))
    except BuildahError:
        return None


def image_size(image: str) -> str:
    """The image's size as ``buildah images`` reports it: uncompressed layers, decimal units ("2.41 GB")."""
    listed = json.loads(run(["images", "--json", image]) or "[]")
    if not listed:
        raise BuildahError(f"no image {image}")
    return str(listed[0]["size"])


def megabytes(size: str) -> float:
    """``image_size``'s text as megabytes (10**6 bytes): "2.41 GB" -> 2410.0."""
    number, unit = size.split()
    scale = {"B": 1e-6, "kB": 1e-3, "KB": 1e-3, "MB": 1.0, "GB": 1e3, "TB": 1e6}
    if unit not in scale:
        raise BuildahError(f"unknown size unit in {size!r}")
    return float(number) * scale[unit]


@contextmanager
def mounted(image: str) -> Iterator[Path]:
    """The root file system of ``image``, in a working container removed afterwards (read it only)."""
    name = run(["from", "--pull-never", image]).strip()
    try:
        yield Path(run(["mount", name]).strip())
    finally:
        run(["umount", name])
        run(["rm", name])


def image_names(repository: str) -> list[str]:
    """Every ``repository:tag`` name of the images of ``repository``."""
    # All images: `buildah images REPOSITORY` would list only REPOSITORY:latest.
    listed = json.loads(run(["images", "--json"]) or "[]")
    return [name for image in listed for name in image.get("names") or [] if name.startswith(repository + ":")]


def untag(*names: str) -> None:
    """Remove these names; an image left with no name is deleted (its layers stay while others use them)."""
    if names:
        run(["rmi", *names], timeout=300)


def tag(image: str, *names: str) -> None:
    """Give ``image`` further names."""
    run(["tag", image, *names])


def bud(
    containerfile: Path,
    context: Path,
    tags: Sequence[str],
    build_args: dict[str, str],
    secrets: dict[str, Path],
    log: Path,
    timeout: float,
) -> None:
    """``buildah bud`` in Docker format (it keeps HEALTHCHECK, which the OCI format drops), with a layer cache,
    the output going to ``log``. ``secrets`` maps a secret id to the file mounted for ``RUN --mount=type=secret``.
    """
    args = [_buildah(), "bud", "--format", "docker", "--isolation", ISOLATION, "--layers", "--pull-never"]
    args.append("--force-rm")  # no working container left behind by a failed step
    args += ["-f", str(containerfile)]
    for name in tags:
        args += ["-t", name]
    for key, value in build_args.items():
        args += ["--build-arg", f"{key}={value}"]
    for key, source in secrets.items():
        args += ["--secret", f"id={key},src={source}"]
    args.append(str(context))
    with log.open("ab") as out:
        try:
            done = subprocess.run(args, stdout=out, stderr=subprocess.STDOUT, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as error:
            raise BuildahError(f"building {containerfile.name} took over {timeout:.0f} s (log: {log})") from error
    if done.returncode != 0:
        tail = log.read_text(errors="replace")[-3000:]
        raise BuildahError(f"building {containerfile.name} failed (log: {log}):\n{tail}")
