#!/usr/bin/env bash
# Install Debian's chromium for the browser tests (tests/browser), once. Idempotent: does nothing when
# chromium is already on the PATH. Needs root (or sudo) the first time. Playwright drives this system
# chromium; we never run `playwright install` (no browser downloads from the Playwright CDN).
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "install_browser: chromium is missing and this is not root; install it with: apt-get install -y chromium" >&2
    exit 1
  fi
fi

echo "install_browser: installing chromium (Debian package) ..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core
command -v chromium >/dev/null 2>&1
chromium --version
