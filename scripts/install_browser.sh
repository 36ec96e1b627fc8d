#!/usr/bin/env bash
# Install Debian's chromium for the browser tests (tests/browser), once. Playwright drives this system
# chromium; we never run `playwright install` (no browser downloads from the Playwright CDN).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/apt_install.sh chromium fonts-dejavu-core
chromium --version
