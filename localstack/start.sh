#!/usr/bin/env bash
# Starts LocalStack 4.14.0 serving SQS on 127.0.0.1:4566, in whichever mode this machine allows:
#   docker - `docker compose` with localstack/docker-compose.yml (needs a running Docker engine)
#   host   - from a Python venv inside the project (.local/localstack), no Docker needed
# LOCALSTACK_MODE=docker|host|auto (default auto). A LocalStack already answering is reused.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
port=4566
health_url="http://127.0.0.1:${port}/_localstack/health"
state="$root/.local/localstack"
venv="$state/venv"
log="$state/localstack.log"
pid_file="$state/localstack.pid"
mode_file="$state/mode"
mode="${LOCALSTACK_MODE:-auto}"
start_timeout=90

fail() { echo "localstack: $*" >&2; exit 1; }

# Prints "ok" when SQS is usable, "other" when something else answers on the port, "" otherwise.
probe() {
  local body
  body="$(curl -s --max-time 2 "$health_url" 2>/dev/null)" || { echo ""; return; }
  if grep -Eq '"sqs": *"(running|available)"' <<<"$body"; then echo ok; else echo other; fi
}

wait_until_ready() {
  local child_pid="${1:-}" waited=0
  while (( waited < start_timeout * 5 )); do
    [[ "$(probe)" == ok ]] && return 0
    if [[ -n "$child_pid" ]] && ! kill -0 "$child_pid" 2>/dev/null; then
      echo "localstack: the LocalStack process exited while starting; last log lines:" >&2
      tail -n 30 "$log" >&2 || true
      exit 1
    fi
    sleep 0.2
    waited=$((waited + 1))
  done
  echo "localstack: not ready after ${start_timeout} s; last log lines:" >&2
  tail -n 30 "$log" >&2 || true
  exit 1
}

case "$(probe)" in
  ok) echo "LocalStack already running on 127.0.0.1:${port} (reused)"; exit 0 ;;
  other) fail "port ${port} answers but SQS is not available there: stop that service first" ;;
esac
if curl -s --max-time 2 -o /dev/null "http://127.0.0.1:${port}/" 2>/dev/null; then
  fail "port ${port} is taken by something that is not LocalStack"
fi

if [[ "$mode" == auto ]]; then
  if command -v docker >/dev/null 2>&1 && timeout 5 docker info >/dev/null 2>&1; then mode=docker; else mode=host; fi
fi
mkdir -p "$state"

if [[ "$mode" == docker ]]; then
  docker compose -f "$here/docker-compose.yml" up -d >"$log" 2>&1 || { tail -n 30 "$log" >&2; fail "docker compose up failed"; }
  echo docker >"$mode_file"
  wait_until_ready
  echo "LocalStack ready on 127.0.0.1:${port} (docker)"
  exit 0
fi
[[ "$mode" == host ]] || fail "LOCALSTACK_MODE must be docker, host or auto, not '$mode'"

# LocalStack 4.14.0 imports Python 3.13 features: find such an interpreter.
supports() { "$1" -c 'import sys, venv; sys.exit(0 if sys.version_info >= (3, 13) else 1)' >/dev/null 2>&1; }
find_python() {
  local candidate pyenv_root candidates
  if [[ -n "${LOCALSTACK_PYTHON:-}" ]]; then
    supports "$LOCALSTACK_PYTHON" && { echo "$LOCALSTACK_PYTHON"; return; }
    return 1
  fi
  candidates=(python3.14 python3.13 python3)
  pyenv_root="$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")"
  for candidate in "$pyenv_root"/versions/3.1[3-9]*/bin/python3 /usr/bin/python3.1[3-9] /usr/local/bin/python3.1[3-9]; do
    [[ -x "$candidate" ]] && candidates+=("$candidate")
  done
  for candidate in "${candidates[@]}"; do
    supports "$candidate" && { echo "$candidate"; return; }
  done
  return 1
}

requirements="$here/requirements.txt"
stamp="$venv/.requirements.sha256"
wanted="$(sha256sum "$requirements" | cut -d' ' -f1)"
if [[ ! -x "$venv/bin/python" || "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]]; then
  if [[ -n "${LOCALSTACK_PYTHON:-}" ]]; then
    python="$(find_python)" || fail "LOCALSTACK_PYTHON=$LOCALSTACK_PYTHON is not a Python >= 3.13 with venv (LocalStack 4.14.0 needs 3.13)"
  else
    python="$(find_python)" || fail "no Python >= 3.13 with venv found (LocalStack 4.14.0 needs 3.13): install one or set LOCALSTACK_PYTHON"
  fi
  echo "localstack: installing LocalStack 4.14.0 into .local/localstack/venv with $python (once) ..." >&2
  rm -rf "$venv"
  "$python" -m venv "$venv" >"$state/pip.log" 2>&1 || { tail -n 20 "$state/pip.log" >&2; fail "could not create the venv"; }
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements" >>"$state/pip.log" 2>&1 \
    || { tail -n 20 "$state/pip.log" >&2; fail "pip install -r localstack/requirements.txt failed (log: $state/pip.log)"; }
  echo "$wanted" >"$stamp"
fi

mkdir -p "$state/filesystem"
# Host-mode settings: no container behaviour, no DNS server, no downloads or analytics, path-style
# queue URLs that need no DNS, state inside the project.
env \
  OVERRIDE_IN_DOCKER=0 \
  DNS_ADDRESS=0 \
  SKIP_SSL_CERT_DOWNLOAD=1 \
  DISABLE_EVENTS=1 \
  SERVICES=sqs \
  EAGER_SERVICE_LOADING=1 \
  GATEWAY_LISTEN="127.0.0.1:${port}" \
  LOCALSTACK_HOST="127.0.0.1:${port}" \
  SQS_ENDPOINT_STRATEGY=path \
  FILESYSTEM_ROOT="$state/filesystem" \
  PERSISTENCE=0 \
  setsid "$venv/bin/python" -m localstack.runtime.main >"$log" 2>&1 </dev/null &
child=$!
echo "$child" >"$pid_file"
echo host >"$mode_file"
wait_until_ready "$child"
echo "LocalStack ready on 127.0.0.1:${port} (host mode, pid $child)"
