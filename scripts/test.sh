#!/usr/bin/env bash
# The whole test suite on a fresh machine, fast gates first; `scripts/test.sh STAGE...` runs only those stages
# (`make unit` is `scripts/test.sh unit`). Stages, in order:
#   lint         ruff, mypy, hadolint
#   unit         tests/unit: no servers, trained model, browser or fresh Rasa processes
#   validate     rasa data validate --fail-on-warnings
#   train        the model, only when its inputs changed
#   integration  tests/integration: real action server + Rasa server over HTTP, socket.io, the Telegram stand-in;
#                a fresh virtualenv; fresh processes that load Rasa or TensorFlow
#   browser      tests/browser: Playwright + Debian's chromium against the real servers (widget, kiosk)
#   cluster      tests/cluster: the production profile: PostgreSQL, Redis, nginx, two Rasa servers (Debian packages)
#   images       tests/images: container images (buildah, debootstrap base) and their smoke test
#   e2e          rasa test core on the test stories (--fail-on-prediction-errors)
# Each pytest stage runs one folder of tests/: the folder is the kind (tests/conftest.py stops a run in which a
# test's markers name another kind, see devtools/suite_layout.py).
# Every run (all stages or some) first makes sure .venv is installed (scripts/install.sh; nothing to do when current).
set -euo pipefail
cd "$(dirname "$0")/.."
export TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-2}
export PYTHONWARNINGS=${PYTHONWARNINGS:-ignore::DeprecationWarning}
export ACTION_SERVER_URL=${ACTION_SERVER_URL:-http://127.0.0.1:5055/webhook}
export TRACKER_DB=${TRACKER_DB:-var/tracker.db}
mkdir -p var test-artifacts

STAGES=(lint unit validate train integration browser cluster images e2e)
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

stage_lint() {
  .venv/bin/ruff check .
  .venv/bin/ruff format --check .
  .venv/bin/mypy
  .venv/bin/hadolint deploy/images/*.Containerfile
}

stage_unit() {
  run_pytest tests/unit
}

stage_validate() {
  .venv/bin/rasa data validate --fail-on-warnings
}

stage_train() {
  .venv/bin/python -m devtools.training
}

stage_integration() {
  run_pytest tests/integration
}

stage_browser() {
  bash scripts/install_browser.sh
  run_pytest tests/browser
}

stage_cluster() {
  bash scripts/apt_install.sh postgresql redis-server nginx-light
  run_pytest tests/cluster
}

stage_images() {
  bash scripts/apt_install.sh buildah debootstrap
  .venv/bin/python -m scripts.build_images
  run_pytest tests/images
}

stage_e2e() {
  .venv/bin/rasa test core --model models/all-pdq.tar.gz --stories tests/stories \
    --fail-on-prediction-errors --out test-artifacts/rasa-test
}

selected=("$@")
if [ ${#selected[@]} -eq 0 ]; then
  selected=("${STAGES[@]}")
fi
for name in "${selected[@]}"; do
  if [[ ! " ${STAGES[*]} " =~ " ${name} " ]]; then
    echo "test: unknown stage '${name}' (stages: ${STAGES[*]})" >&2
    exit 2
  fi
done

printf '\n=== setup: install ===\n'
bash scripts/install.sh
for name in "${selected[@]}"; do
  printf '\n=== stage: %s ===\n' "$name"
  stage_started=$(date +%s)
  "stage_${name}"
  echo "=== stage ${name}: passed in $(( $(date +%s) - stage_started )) s ==="
done

echo
echo "test: stages ${selected[*]} passed in $(( $(date +%s) - started )) s"
echo "${passed} passed, 0 failed"
