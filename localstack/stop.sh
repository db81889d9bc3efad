#!/usr/bin/env bash
# Stops the LocalStack that localstack/start.sh started (and only that one). Idempotent.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
state="$(dirname "$here")/.local/localstack"
pid_file="$state/localstack.pid"
mode_file="$state/mode"

if [[ "$(cat "$mode_file" 2>/dev/null)" == docker ]]; then
  docker compose -f "$here/docker-compose.yml" down >/dev/null 2>&1 || true
  rm -f "$mode_file"
  echo "LocalStack stopped (docker)"
  exit 0
fi

if [[ ! -f "$pid_file" ]]; then
  echo "LocalStack: nothing to stop (not started by localstack/start.sh)"
  exit 0
fi
pid="$(cat "$pid_file")"
if kill -0 "$pid" 2>/dev/null; then
  # setsid made it a process-group leader: stop the whole group.
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL -- "-$pid" 2>/dev/null || true; fi
fi
rm -f "$pid_file" "$mode_file"
echo "LocalStack stopped (host mode, pid $pid)"
