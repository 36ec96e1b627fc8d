#!/usr/bin/env bash
# Regenerate requirements/runtime.lock, dev.lock, actions.lock and rasa-image.lock from the .in files.
# Resolution targets Python 3.10 (what rasa 3.6 declares); the lock is then installed on 3.11 with
# --no-deps --ignore-requires-python. --exclude-newer keeps the resolution in rasa 3.6's era.
set -euo pipefail
cd "$(dirname "$0")/../requirements"
tools=$(mktemp -d)
python3 -m venv "$tools" && "$tools/bin/pip" install --quiet uv==0.13.9
UV="$tools/bin/uv"
CUTOFF=2025-01-15T00:00:00Z
"$UV" pip compile runtime.in --python-version 3.10 --python-platform x86_64-manylinux_2_28 \
  --override overrides.txt --index-url https://pypi.org/simple --exclude-newer "$CUTOFF" --generate-hashes -o runtime.lock
"$UV" pip compile dev.in -c runtime.lock --python-version 3.11 --python-platform x86_64-manylinux_2_28 \
  --index-url https://pypi.org/simple --exclude-newer "$CUTOFF" --generate-hashes -o dev.lock
# The action server image's subset, at runtime.lock's versions (deploy/images/actions.Containerfile).
"$UV" pip compile actions.in -c runtime.lock --python-version 3.10 --python-platform x86_64-manylinux_2_28 \
  --index-url https://pypi.org/simple --exclude-newer "$CUTOFF" --generate-hashes -o actions.lock
# The Rasa server image's set: runtime.lock's versions with tensorflow-cpu for tensorflow (rasa-image.in).
"$UV" pip compile rasa-image.in -c runtime.lock --override overrides.txt --override rasa-image-overrides.txt \
  --python-version 3.10 --python-platform x86_64-manylinux_2_28 \
  --index-url https://pypi.org/simple --exclude-newer "$CUTOFF" --generate-hashes -o rasa-image.lock
rm -rf "$tools"
echo "lock: wrote requirements/runtime.lock, dev.lock, actions.lock and rasa-image.lock"
