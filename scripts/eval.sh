#!/usr/bin/env bash
# make eval [FILE=questions.jsonl]: ask the real bot every question and write reports/.
set -euo pipefail
cd "$(dirname "$0")/.."
export TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-2}
.venv/bin/python -m evaluation "$@"
