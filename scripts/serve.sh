#!/usr/bin/env bash
# Serve the platform: one background task worker (thumbnails, exports) and granian in front.
# Used by `make run`; a deployment runs the same two processes under its own supervisor.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PORT=${PORT:-8000}
HOST=${WMH_HOST:-127.0.0.1}

# The task worker runs at a lower priority: thumbnails and exports give way to the pages (a deadline surge).
nice -n 10 $BIN/python manage.py db_worker --queue-name default >"${WMH_DATA_DIR:-var}/worker.log" 2>&1 &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM

echo "文明号 wenminghao：http://$HOST:$PORT/ （演示账号见 README.md；按 Ctrl+C 停止）"
exec_args=(--interface wsgi --host "$HOST" --port "$PORT" --workers "${WMH_WORKERS:-2}"
  --blocking-threads "${WMH_THREADS:-4}" --working-dir src --no-ws)
# Each request on a connection of its own, so that the kernel hands every request to a worker that is waiting
# for one: with keep-alive, a worker keeps the connections it accepted and two busy clients can land on one
# worker while the other idles (docs/decisions.md). WMH_HTTP_KEEPALIVE=1 keeps connections open.
if [ "${WMH_HTTP_KEEPALIVE:-0}" != "1" ]; then
  exec_args+=(--no-http1-keep-alive)
fi
$BIN/granian "${exec_args[@]}" wenminghao.wsgi:application
