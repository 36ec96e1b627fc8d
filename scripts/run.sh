#!/usr/bin/env bash
# Start the action server and the Rasa server (REST + socket.io), or `--shell` for a terminal chat.
# Ctrl-C stops both. Ports: RASA_PORT (default 5005), ACTIONS_PORT (default 5055).
set -euo pipefail
cd "$(dirname "$0")/.."

RASA_PORT=${RASA_PORT:-5005}
ACTIONS_PORT=${ACTIONS_PORT:-5055}
HOST=${RASA_HOST:-127.0.0.1}
export ACTION_SERVER_URL=${ACTION_SERVER_URL:-http://127.0.0.1:${ACTIONS_PORT}/webhook}
export TRACKER_DB=${TRACKER_DB:-var/tracker.db}
export TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-2}
# One TensorFlow thread: faster per message on few cores (scripts/local_servers.py: SERVER_ENV)
export TF_INTRA_OP_PARALLELISM_THREADS=${TF_INTRA_OP_PARALLELISM_THREADS:-1}
export TF_INTER_OP_PARALLELISM_THREADS=${TF_INTER_OP_PARALLELISM_THREADS:-1}
export PYTHONWARNINGS=${PYTHONWARNINGS:-ignore::DeprecationWarning}
mkdir -p var

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

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in "$ACTIONS_PORT" "$RASA_PORT"; do
  if port_busy "$port"; then
    echo "run: port $port is already in use. Stop what is using it, or set RASA_PORT / ACTIONS_PORT." >&2
    exit 1
  fi
done

pids=()
stop() {
  trap - INT TERM EXIT
  if [ ${#pids[@]} -gt 0 ]; then
    echo; echo "run: stopping ..."
    kill "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
  fi
}
trap stop INT TERM EXIT

# The action server listens on loopback only: nothing but the Rasa server should reach it.
SANIC_HOST=127.0.0.1 .venv/bin/python -m rasa_sdk --actions actions --port "$ACTIONS_PORT" --cors "" \
  > var/action-server.log 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do
  if curl -fs "http://127.0.0.1:${ACTIONS_PORT}/health" >/dev/null 2>&1; then break; fi
  if ! kill -0 "${pids[0]}" 2>/dev/null; then
    echo "run: the action server failed to start; see var/action-server.log" >&2; tail -20 var/action-server.log >&2; exit 1
  fi
  sleep 0.5
done
echo "run: action server ready on 127.0.0.1:${ACTIONS_PORT} (log: var/action-server.log)"

if [ "${1:-}" = "--shell" ]; then
  .venv/bin/rasa shell --model models/all-pdq.tar.gz --endpoints endpoints.yml --quiet
  exit $?
fi

telegram_state="off (set TELEGRAM_TOKEN to enable; see README)"
if [ -n "${TELEGRAM_TOKEN:-}" ]; then telegram_state="on: webhook /webhooks/telegram/webhook"; fi

cat <<MSG
run: starting the Rasa server on http://${HOST}:${RASA_PORT} ...
  Widget demo: http://${HOST}:${RASA_PORT}/chat/
  Kiosk:       http://${HOST}:${RASA_PORT}/kiosk/   (idle reset: /kiosk/?idle=SECONDS, default 120)
  REST:        curl -s -X POST http://${HOST}:${RASA_PORT}/webhooks/rest/webhook \\
                 -H 'Content-Type: application/json' -d '{"sender":"me","message":"what are the symptoms of ALL?"}'
  socket.io:   http://${HOST}:${RASA_PORT}/socket.io  (events user_uttered / bot_uttered)
  Telegram:    ${telegram_state}
  CORS:        ${CORS_ORIGINS:-same origin only (set CORS_ORIGINS to allow other sites)}
  HTTP API:    $([ ${#api_args[@]} -gt 0 ] && echo "on, token required (RASA_API_TOKEN)" || echo "off (set RASA_API_TOKEN to enable)")
  Ctrl-C stops both servers.
MSG
.venv/bin/rasa run --model models/all-pdq.tar.gz --endpoints endpoints.yml --credentials credentials.yml \
  --interface "$HOST" --port "$RASA_PORT" "${cors_args[@]}" "${api_args[@]}" &
pids+=($!)
wait -n "${pids[@]}"
