#!/usr/bin/env bash
# Start the action server and the Rasa server (REST + socket.io), each supervised, or `--shell` for a terminal
# chat. Ctrl-C stops both. Ports: RASA_PORT (default 5005), ACTIONS_PORT (default 5055); see serving/local.py.
set -euo pipefail
cd "$(dirname "$0")/.."


# CORS: the widget, kiosk and socket.io are same-origin by default. To embed the widget on another site,
# list that site's origin(s): CORS_ORIGINS="https://www.hospital.example https://intranet.hospital.example".
cors_args=()
if [ -n "${CORS_ORIGINS:-}" ]; then
  read -r -a cors_origins <<<"$CORS_ORIGINS"
  for origin in "${cors_origins[@]}"; do
    if ! [[ "$origin" =~ ^https?://[^/*[:space:]]+$ ]]; then
      echo "run: CORS_ORIGINS: '$origin' is not an origin like https://www.hospital.example (no path, no '*')." >&2
      exit 1
    fi
  done
  cors_args=(--cors "${cors_origins[@]}")
fi

# Rasa's HTTP API (/conversations, /model, ...) stays off unless RASA_API_TOKEN is set: then it is enabled
# with that token (at least 16 characters). RASA_ENABLE_API=true without a token is refused.
api_args=()
if [ -n "${RASA_API_TOKEN:-}" ]; then
  if [ "${#RASA_API_TOKEN}" -lt 16 ]; then
    echo "run: RASA_API_TOKEN is too short (use at least 16 random characters, e.g. \$(openssl rand -hex 24))." >&2
    exit 1
  fi
  api_args=(--enable-api --auth-token "$RASA_API_TOKEN")
elif [ -n "${RASA_ENABLE_API:-}" ] && [ "${RASA_ENABLE_API}" != "false" ] && [ "${RASA_ENABLE_API}" != "0" ]; then
  echo "run: refusing to enable Rasa's HTTP API without a token: set RASA_API_TOKEN instead of RASA_ENABLE_API." >&2
  exit 1
fi

# Both servers run under supervisord (serving/local.py): a crashed one is restarted, the other keeps serving.
exec .venv/bin/python -m serving.local "$@" -- "${cors_args[@]}" "${api_args[@]}"
