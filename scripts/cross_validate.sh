#!/usr/bin/env bash
# NLU cross-validation of config.yml (intent and entity F1), written to results/cv-chosen/.
# Usage: scripts/cross_validate.sh [FOLDS] [CONFIG] [OUT]
set -euo pipefail
cd "$(dirname "$0")/.."
FOLDS=${1:-3}
CONFIG=${2:-config.yml}
OUT=${3:-results/cv-chosen}
export PYTHONHASHSEED=0 TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-2}
started=$(date +%s)
.venv/bin/rasa test nlu --nlu data/nlu --config "$CONFIG" --cross-validation --folds "$FOLDS" --out "$OUT"
echo "cross-validation: $FOLDS folds in $(( $(date +%s) - started )) s -> $OUT"
.venv/bin/python - "$OUT" <<'PY'
import json, sys
from pathlib import Path
out = Path(sys.argv[1])
intent = json.loads((out / "intent_report.json").read_text())
print(f"intent: weighted F1 {intent['weighted avg']['f1-score']:.3f}, macro F1 {intent['macro avg']['f1-score']:.3f}, accuracy {intent['accuracy']:.3f}")
entity_file = out / "DIETClassifier_report.json"
if entity_file.exists():
    entity = json.loads(entity_file.read_text())
    print(f"entities (DIET): weighted F1 {entity['weighted avg']['f1-score']:.3f}")
PY
