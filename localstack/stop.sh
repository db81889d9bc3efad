#!/usr/bin/env bash
# Stops the LocalStack that localstack/start.sh started, and only that one. Idempotent: a second
# call, or a call when start.sh reused someone else's LocalStack, stops nothing and exits 0.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
state="$(dirname "$here")/.local/localstack"
pid_file="$state/localstack.pid"
mode_file="$state/mode"

# --- docker mode: started with `docker compose up` (start.sh recorded the mode) ----------------
if [[ "$(cat "$mode_file" 2>/dev/null)" == docker || "${LOCALSTACK_MODE:-}" == docker ]]; then
  if docker compose version >/dev/null 2>&1; then compose=(docker compose)
  elif command -v docker-compose >/dev/null 2>&1; then compose=(docker-compose)
  else echo "LocalStack: docker compose not found, so nothing was started with it; nothing to stop"; rm -f "$mode_file"; exit 0; fi
  if [[ -n "$("${compose[@]}" -f "$here/docker-compose.yml" ps -q 2>/dev/null)" ]]; then
    "${compose[@]}" -f "$here/docker-compose.yml" down >/dev/null
    echo "LocalStack stopped (docker mode)"
  else
    echo "LocalStack: the docker compose project is not up; nothing to stop"
  fi
  rm -f "$mode_file"
  exit 0
fi

# --- host mode: the process group start.sh created with setsid ----------------------------------
if [[ ! -f "$pid_file" ]]; then
  echo "LocalStack: not started by us (no .local/localstack/localstack.pid); nothing to stop"
  exit 0
fi
pid="$(cat "$pid_file")"
# A killed LocalStack is a zombie until init reaps it (start.sh, its parent, is long gone): that
# counts as stopped, it holds no port.
alive() { local stat; stat="$(ps -p "$pid" -o stat= 2>/dev/null)" && [[ "$stat" != Z* ]]; }
if ! alive || [[ "$(ps -p "$pid" -o command= 2>/dev/null)" != *localstack.runtime.main* ]]; then
  rm -f "$pid_file" "$mode_file" "$state/owner"
  echo "LocalStack: pid $pid from the pid file is no longer LocalStack; nothing to stop (pid file removed)"
  exit 0
fi
# setsid made it a process-group leader: signal the whole group (LocalStack and anything it spawned,
# the Lambda environments included). LocalStack 4.14.0 in host mode did not finish a SIGTERM within
# 10 s here, idle or not (its shutdown joins every service's threads), and a stopping command must
# be gone within about 2 s: so a short grace (LOCALSTACK_STOP_GRACE_S, default 0.5 s), then SIGKILL.
# Nothing is lost by it: PERSISTENCE=0, every run's state lives and dies with the process.
grace_s="${LOCALSTACK_STOP_GRACE_S:-0.5}"
kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
for _ in $(seq 1 "$(awk -v s="$grace_s" 'BEGIN { print int(s * 10) }')"); do
  alive || break
  sleep 0.1
done
how="SIGTERM"
if alive; then
  kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  how="SIGKILL after ${grace_s} s"
  # Gone from the process table once its parent reaps it; the port is free at once.
  for _ in $(seq 1 20); do alive || break; sleep 0.05; done
fi
rm -f "$pid_file" "$mode_file" "$state/owner"
echo "LocalStack stopped (host mode, pid $pid, $how)"
