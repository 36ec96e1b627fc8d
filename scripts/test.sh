#!/usr/bin/env bash
# The whole test suite on a fresh machine, fast gates first:
# install -> lint (ruff, mypy) -> unit tests -> rasa data validate -> train -> integration tests
# (real action server + Rasa server over HTTP, socket.io, Telegram stand-in, Playwright + chromium)
# -> cluster tests (PostgreSQL, Redis, nginx, two Rasa servers) -> container images (buildah) and their smoke test
# -> e2e test stories (--fail-on-prediction-errors).
set -euo pipefail
cd "$(dirname "$0")/.."
export TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-2}
export PYTHONWARNINGS=${PYTHONWARNINGS:-ignore::DeprecationWarning}
export ACTION_SERVER_URL=${ACTION_SERVER_URL:-http://127.0.0.1:5055/webhook}
export TRACKER_DB=${TRACKER_DB:-var/tracker.db}
mkdir -p var test-artifacts

step() { printf '\n=== %s ===\n' "$*"; }
started=$(date +%s)
passed=0
# Run pytest, keep its output, and add its "N passed" to the total printed at the end.
run_pytest() {
  local log
  log=$(mktemp)
  .venv/bin/python -m pytest -q -p no:cacheprovider "$@" 2>&1 | tee "$log"
  local count
  count=$(grep -Eo '[0-9]+ passed' "$log" | tail -1 | grep -Eo '[0-9]+' || echo 0)
  passed=$((passed + count))
  rm -f "$log"
}

step "install"
bash scripts/install.sh

step "lint: ruff + mypy + hadolint"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
.venv/bin/hadolint deploy/images/*.Containerfile

step "unit tests"
run_pytest -m "not integration and not cluster and not images"

step "rasa data validate"
.venv/bin/rasa data validate --fail-on-warnings

step "train"
.venv/bin/python -m devtools.training

step "browser for the widget/kiosk tests (Debian chromium)"
bash scripts/install_browser.sh

step "integration tests (real servers, real HTTP, real browser)"
run_pytest -m integration

step "cluster tests (production profile: PostgreSQL, Redis, nginx, 2 Rasa servers; Debian packages)"
bash scripts/apt_install.sh postgresql redis-server nginx-light
run_pytest -m cluster tests/cluster

step "container images (buildah, debootstrap base; Debian packages) and their smoke test"
bash scripts/apt_install.sh buildah debootstrap
.venv/bin/python -m scripts.build_images
run_pytest -m images tests/images

step "e2e test stories"
.venv/bin/rasa test core --model models/all-pdq.tar.gz --stories tests/stories \
  --fail-on-prediction-errors --out test-artifacts/rasa-test

echo
echo "test: all gates passed in $(( $(date +%s) - started )) s (pytest, e2e stories, lint, validate)"
echo "${passed} passed, 0 failed"
