"""`make images`: build the Rasa server and action server images with buildah (container_images.build).

Prints each image's name, size and whether it was built or already up to date, and the total time.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from container_images.build import ROOT, build_images, host_ca_bundle
from container_images.buildah import BuildahError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--extra-ca",
        type=Path,
        help="PEM bundle added to the CAs trusted for downloads during the build, as a build secret "
        "(default: this machine's trust store, SSL_CERT_FILE or /etc/ssl/certs/ca-certificates.crt)",
    )
    parser.add_argument("--no-extra-ca", action="store_true", help="trust only the base image's CAs")
    parser.add_argument("--base", help="base image to use instead of debian:bookworm-slim / the debootstrap base")
    parser.add_argument("--work", type=Path, default=ROOT / "var" / "images", help="folder for the build logs")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="images: %(message)s")
    if args.extra_ca is not None and not args.extra_ca.is_file():
        print(f"images: --extra-ca {args.extra_ca}: no such file", file=sys.stderr)
        return 2
    extra_ca = None if args.no_extra_ca else (args.extra_ca or host_ca_bundle())
    started = time.monotonic()
    try:
        results = build_images(args.work, extra_ca=extra_ca, base=args.base)
    except BuildahError as error:
        print(f"images: {error}", file=sys.stderr)
        return 1
    for result in results:
        state = f"built in {result.seconds:.0f} s" if result.built else "up to date, not rebuilt"
        print(f"images: {result.image}  {result.size}  ({state})")
    print(f"images: done in {time.monotonic() - started:.0f} s (logs: {args.work})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
