#!/usr/bin/env bash
# Create .venv from the pinned locks, then install this project into it in editable mode.
# Idempotent: does nothing when the locks, pyproject.toml and this script are unchanged.
# INSTALL_VENV=<dir> installs into another virtualenv (default .venv; tests/integration/test_install.py).
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${INSTALL_VENV:-.venv}
STAMP="$VENV/.installed-locks.sha256"
LOCKS=(requirements/runtime.lock requirements/dev.lock requirements/models.lock)

find_python() {
  for candidate in python3.11 python3.10; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(0 if sys.version_info[:2] in ((3, 10), (3, 11)) else 1)' >/dev/null 2>&1; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

if ! PYTHON=$(find_python); then
  found=$(python3 --version 2>/dev/null || echo "no python3")
  cat >&2 <<MSG
error: this project needs Python 3.11 or 3.10 (found: $found).
Rasa Open Source 3.6 runs on TensorFlow 2.12, which has wheels only up to Python 3.11,
and Rasa 3.6 itself does not run on 3.12 or later. Install python3.11 and run this again.
MSG
  exit 1
fi

wanted=$(cat "${LOCKS[@]}" pyproject.toml scripts/install.sh | sha256sum | cut -d' ' -f1)
if [ -x "$VENV/bin/python" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$wanted" ]; then
  echo "install: $VENV is up to date with the locks (nothing to do)."
  exit 0
fi

if [ ! -x "$VENV/bin/python" ]; then
  echo "install: creating $VENV with $PYTHON ($("$PYTHON" --version))"
  "$PYTHON" -m venv "$VENV"
fi

# The locks are complete (every transitive package at an exact version, with hashes), so pip must
# not resolve anything itself; --ignore-requires-python because rasa 3.6 declares <3.11 yet runs on 3.11.
PIP=("$VENV/bin/python" -m pip --disable-pip-version-check)
for lock in "${LOCKS[@]}"; do
  echo "install: $lock"
  # (the filter drops pip's notes about this machine's optional local mirrors; errors still show)
  "${PIP[@]}" install --quiet --no-deps --ignore-requires-python --require-hashes -r "$lock" 2>&1 |
    { grep -v "is ignored: it is neither a file nor a directory" || true; }
done

# The project's packages (pyproject.toml) in editable mode: imports resolve to this checkout from any folder.
# --no-deps and --no-build-isolation: pip resolves nothing and downloads nothing; setuptools comes from the lock.
echo "install: this project (editable)"
"${PIP[@]}" install --quiet --no-deps --no-build-isolation --editable . 2>&1 |
  { grep -v "is ignored: it is neither a file nor a directory" || true; }

"$VENV/bin/python" -W ignore::DeprecationWarning -m devtools.environment
echo "$wanted" > "$STAMP"
echo "install: done."
