#!/usr/bin/env bash
# Serve the platform: one background task worker (thumbnails, exports) and granian in front.
# Used by `make run`; a deployment runs the same two processes under its own supervisor.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PORT=${PORT:-8000}
HOST=${WMH_HOST:-127.0.0.1}

$BIN/python manage.py db_worker --queue-name default >"${WMH_DATA_DIR:-var}/worker.log" 2>&1 &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM

echo "文明号 wenminghao：http://$HOST:$PORT/ （演示账号见 README.md；按 Ctrl+C 停止）"
exec_args=(--interface wsgi --host "$HOST" --port "$PORT" --workers "${WMH_WORKERS:-2}"
  --blocking-threads "${WMH_THREADS:-4}" --working-dir src --no-ws)
$BIN/granian "${exec_args[@]}" wenminghao.wsgi:application
