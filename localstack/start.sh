#!/usr/bin/env bash
# Starts LocalStack 4.14.0 on 127.0.0.1:4566 with what the service's template needs (CloudFormation,
# S3, IAM, STS, Lambda, API Gateway, SQS, CloudWatch Logs), in whichever mode this machine allows:
#   docker - `docker compose` with localstack/docker-compose.yml (needs a running Docker engine);
#            Lambdas run in LocalStack's own Docker executor
#   host   - `python -m localstack.runtime.main` from a venv inside the project (.local/localstack),
#            no Docker needed: Lambdas run as local Node processes (our executor, localstack/executor)
# LOCALSTACK_MODE=docker|host|auto (default auto: docker when `docker info` answers, else host).
# A LocalStack already answering on the port is reused (the output then contains "(reused)", which
# localEnvironment/localStack.ts relies on). Runs from any working directory.
# LAB_LOCALSTACK_OWNER=<pid>: the process that will stop it (our CLI, tests, benchmarks). A
# LocalStack started for an owner that has died without stopping it (killed, crashed) is an
# orphan: the next start stops it and starts afresh instead of reusing it.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
port=4566
address="127.0.0.1:${port}"
health_url="http://${address}/_localstack/health"
state="$root/.local/localstack"
venv="$state/venv"
requirements="$here/requirements.txt"
executor="$here/executor"
stamp="$venv/.requirements.sha256"
log="$state/localstack.log"
pip_log="$state/pip.log"
pid_file="$state/localstack.pid"
mode_file="$state/mode"
owner_file="$state/owner"
mode="${LOCALSTACK_MODE:-auto}"
start_timeout=90
t0=$SECONDS

fail() { echo "localstack: $*" >&2; exit 1; }

# Runs "$@" for at most $1 seconds (coreutils `timeout` is missing on macOS).
with_timeout() {
  local seconds="$1"; shift
  if command -v timeout >/dev/null 2>&1; then timeout "$seconds" "$@"; return; fi
  "$@" & local pid=$!
  ( sleep "$seconds"; kill "$pid" 2>/dev/null ) & local watchdog=$!
  local rc=0; wait "$pid" || rc=$?
  kill "$watchdog" 2>/dev/null || true
  return "$rc"
}

sha256() { if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1"; else shasum -a 256 "$1"; fi | cut -d' ' -f1; }

# What answers on the port:
#   ok        LocalStack with SQS usable ("running", or "available" = loads on first use)
#   starting  LocalStack whose SQS is still starting
#   nosqs:X   LocalStack whose SQS is in state X (disabled, error, ...)
#   foreign   something that is not LocalStack
#   free      nothing
probe() {
  local body sqs
  if body="$(curl -s --max-time 2 "$health_url" 2>/dev/null)" && [[ "$body" == *'"services"'* ]]; then
    sqs="$(sed -nE 's/.*"sqs": *"([a-z]+)".*/\1/p' <<<"$body")"
    case "$sqs" in
      running | available) echo ok ;;
      starting | unknown) echo starting ;;
      *) echo "nosqs:${sqs:-missing}" ;;
    esac
  elif (exec 3<>"/dev/tcp/127.0.0.1/${port}") 2>/dev/null; then
    echo foreign
  else
    echo free
  fi
}

show_log_tail() { if [[ -f "$log" ]]; then echo "--- last lines of $log:" >&2; tail -n 30 "$log" >&2; fi; }

# Waits until SQS is usable. With a pid (host mode): fails as soon as that process is gone, and on
# timeout stops its process group rather than leaving a half-started LocalStack behind.
wait_until_ready() {
  local pid="${1:-}" deadline=$((SECONDS + start_timeout)) status="not answering"
  while ((SECONDS < deadline)); do
    status="$(probe)"
    [[ "$status" == ok ]] && return 0
    if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$pid_file" "$mode_file"
      show_log_tail
      fail "LocalStack (pid $pid) exited while starting (log: $log)"
    fi
    sleep 0.25
  done
  show_log_tail
  if [[ -n "$pid" ]]; then
    kill -TERM -- "-$pid" 2>/dev/null || true
    sleep 2
    kill -KILL -- "-$pid" 2>/dev/null || true
    rm -f "$pid_file" "$mode_file"
    fail "LocalStack not ready on ${address} after ${start_timeout} s (SQS: $status); stopped it (pid $pid; log: $log)"
  fi
  fail "LocalStack not ready on ${address} after ${start_timeout} s (SQS: $status; log: $log)"
}

# "<pid> <start time>" of a process: a pid alone could be reused by another process later.
process_identity() { local started; started="$(ps -p "$1" -o lstart= 2>/dev/null)" && echo "$1 ${started}"; }

# Stops a LocalStack we started whose recorded owner is gone (an owner that was never recorded,
# as after `npm run local:start`, is the user's to stop).
stop_orphan() {
  local owner
  owner="$(cat "$owner_file" 2>/dev/null || true)"
  [[ -n "$owner" ]] || return 0
  [[ "$(process_identity "${owner%% *}")" == "$owner" ]] && return 0
  echo "localstack: the LocalStack started for pid ${owner%% *} outlived it (an orphan): stopping it" >&2
  bash "$here/stop.sh" >&2
}

# Fails unless the port is free; exits 0 when a usable LocalStack is already there.
check_port() {
  local status
  stop_orphan
  status="$(probe)"
  case "$status" in
    ok) echo "LocalStack already running on ${address} (reused)"; exit 0 ;;
    free) ;;
    starting)
      wait_until_ready
      echo "LocalStack already running on ${address} (reused)"; exit 0 ;;
    nosqs:*) fail "a LocalStack on ${address} has SQS ${status#nosqs:}, not running: stop it first" ;;
    foreign) fail "port ${port} is taken by something that is not LocalStack: free it first" ;;
  esac
}

record_owner() {
  if [[ -n "${LAB_LOCALSTACK_OWNER:-}" ]]; then process_identity "$LAB_LOCALSTACK_OWNER" >"$owner_file" || true
  else rm -f "$owner_file"; fi
}

is_our_localstack() { # pid
  [[ -n "$1" ]] && kill -0 "$1" 2>/dev/null && [[ "$(ps -p "$1" -o command= 2>/dev/null)" == *localstack.runtime.main* ]]
}

check_port

case "$mode" in
  auto)
    if command -v docker >/dev/null 2>&1 && with_timeout 5 docker info >/dev/null 2>&1; then mode=docker; else mode=host; fi ;;
  docker | host) ;;
  *) fail "LOCALSTACK_MODE must be docker, host or auto, not '$mode'" ;;
esac

mkdir -p "$state"
# One start at a time (parallel test runners): the second one waits, then reuses the first's.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$state/start.lock"
  flock -w 600 9 || fail "another localstack/start.sh has held $state/start.lock for 10 minutes"
  check_port
fi

if [[ "$mode" == docker ]]; then
  if docker compose version >/dev/null 2>&1; then compose=(docker compose)
  elif command -v docker-compose >/dev/null 2>&1; then compose=(docker-compose)
  else fail "LOCALSTACK_MODE=docker needs the Docker Compose plugin (docker compose) or docker-compose"; fi
  with_timeout 10 docker info >/dev/null 2>&1 || fail "LOCALSTACK_MODE=docker but no Docker engine answers \`docker info\` (unset LOCALSTACK_MODE to use host mode)"
  echo docker >"$mode_file"
  record_owner
  "${compose[@]}" -f "$here/docker-compose.yml" up -d >"$log" 2>&1 \
    || { show_log_tail; fail "docker compose up failed (log: $log)"; }
  wait_until_ready
  echo "LocalStack ready on ${address} (docker mode, $((SECONDS - t0)) s)"
  exit 0
fi

# --- host mode ---------------------------------------------------------------------------------

# A LocalStack we started earlier that is alive but not answering (yet): wait for it, don't start
# a second one that could not bind the port anyway.
old_pid="$(cat "$pid_file" 2>/dev/null || true)"
if is_our_localstack "$old_pid"; then
  wait_until_ready "$old_pid"
  echo "LocalStack ready on ${address} (host mode, pid $old_pid, $((SECONDS - t0)) s)"
  exit 0
fi
rm -f "$pid_file"

# LocalStack 4.14.0 needs Python >= 3.13 at run time (PEP 695 generics, warnings.deprecated),
# whatever its metadata says. pyenv shims exit non-zero for versions not selected, hence the
# version check by running each candidate.
supports() { "$1" -c 'import sys, venv, ensurepip; sys.exit(0 if sys.version_info >= (3, 13) else 1)' >/dev/null 2>&1; }
find_python() {
  local candidate pyenv_root
  local candidates=(python3.14 python3.13 python3)
  if command -v pyenv >/dev/null 2>&1 && pyenv_root="$(pyenv root 2>/dev/null)"; then
    candidates+=("$pyenv_root"/versions/3.1[3-9]*/bin/python3)
  fi
  candidates+=("${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[3-9]*/bin/python3 /root/.pyenv/versions/3.1[3-9]*/bin/python3)
  candidates+=(/usr/local/bin/python3.1[3-9] /usr/bin/python3.1[3-9] /opt/homebrew/bin/python3.1[3-9])
  for candidate in "${candidates[@]}"; do
    supports "$candidate" && { echo "$candidate"; return 0; }
  done
  return 1
}

if [[ -n "${LOCALSTACK_PYTHON:-}" ]] && ! supports "$LOCALSTACK_PYTHON"; then
  found="$("$LOCALSTACK_PYTHON" -c 'import sys; print(sys.version.split()[0])' 2>/dev/null)" || found="not runnable"
  fail "LOCALSTACK_PYTHON=$LOCALSTACK_PYTHON ($found) is not a Python >= 3.13 with venv/ensurepip: LocalStack 4.14.0 needs 3.13+"
fi

# The venv is rebuilt when the pinned requirements or our executor package change.
wanted="$( { sha256 "$requirements"; { echo "$executor/pyproject.toml"; find "$executor/lab_lambda_executor" -type f \( -name '*.py' -o -name '*.mjs' \); } | LC_ALL=C sort | while read -r file; do sha256 "$file"; done; } | sha256 /dev/stdin)"
if [[ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]] || ! supports "$venv/bin/python"; then
  if [[ -n "${LOCALSTACK_PYTHON:-}" ]]; then
    python="$LOCALSTACK_PYTHON"
  else
    python="$(find_python)" \
      || fail "no Python >= 3.13 found (LocalStack 4.14.0 needs 3.13+; tried python3.14, python3.13, python3, pyenv's versions): install one or set LOCALSTACK_PYTHON"
  fi
  echo "localstack: installing LocalStack 4.14.0 into .local/localstack/venv with $python (once; log: $pip_log) ..." >&2
  rm -rf "$venv"
  {
    "$python" -m venv "$venv" \
      && "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$requirements" \
      && "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input --no-deps "$executor"
  } >"$pip_log" 2>&1 || {
    echo "--- last lines of $pip_log:" >&2
    tail -n 20 "$pip_log" >&2
    fail "installing localstack/requirements.txt into $venv failed (log: $pip_log)"
  }
  echo "$wanted" >"$stamp"
fi

# The Node.js the functions run on: Lambda's runtime is nodejs22.x, and the host may have another
# (Node 20 here). They run on the project's own Node, the one the CLI, tests and benches run on:
# the npm registry's `node` package, a dev dependency (package.json pins its version). It is linked
# into .local/localstack/node/bin, so that an `npm ci` while LocalStack runs never takes it from
# under the functions (LAB_LAMBDA_NODE overrides; set it to `node` to use the PATH's).
if [[ -z "${LAB_LAMBDA_NODE:-}" ]]; then
  project_node="$root/node_modules/node/bin/node"
  project_node_version="$("$project_node" --version 2>/dev/null)" \
    || fail "the project's Node.js ($project_node, a dev dependency) does not run: run \`npm ci\` first, or set LAB_LAMBDA_NODE=node to use the PATH's Node"
  LAB_LAMBDA_NODE="$state/node/bin/node"
  if [[ "$("$LAB_LAMBDA_NODE" --version 2>/dev/null)" != "$project_node_version" ]]; then
    rm -rf "$state/node"
    mkdir -p "$state/node/bin"
    ln "$project_node" "$LAB_LAMBDA_NODE" 2>/dev/null || cp "$project_node" "$LAB_LAMBDA_NODE" \
      || fail "could not link or copy $project_node into $state/node/bin"
  fi
elif [[ "$LAB_LAMBDA_NODE" != */* ]]; then
  LAB_LAMBDA_NODE="$(command -v "$LAB_LAMBDA_NODE")" || fail "LAB_LAMBDA_NODE=$LAB_LAMBDA_NODE is not on PATH"
fi
# Lambda durable functions: AWS's local durable execution service (dex-local-runner, PyPI
# aws-durable-execution-sdk-python-testing) in a venv of its own (.local/durable/venv: it needs a
# newer boto3 than LocalStack pins), started by our plugin as a child of LocalStack, so in its
# process group (lab_lambda_executor/durable_service.py). LAB_DEX_PORT: where it listens.
durable_state="$root/.local/durable"
durable_venv="$durable_state/venv"
durable_requirements="$here/durable/requirements.txt"
durable_stamp="$durable_venv/.requirements.sha256"
dex_port="${LAB_DEX_PORT:-4567}"
dex_health_url="http://127.0.0.1:${dex_port}/health"
if [[ "$(cat "$durable_stamp" 2>/dev/null)" != "$(sha256 "$durable_requirements")" ]] || [[ ! -x "$durable_venv/bin/python" ]]; then
  echo "localstack: installing AWS's local durable execution service into .local/durable/venv (once; log: $durable_state/pip.log) ..." >&2
  rm -rf "$durable_venv"
  mkdir -p "$durable_state"
  {
    "$venv/bin/python" -m venv "$durable_venv" \
      && "$durable_venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$durable_requirements"
  } >"$durable_state/pip.log" 2>&1 || {
    tail -n 20 "$durable_state/pip.log" >&2
    fail "installing localstack/durable/requirements.txt into $durable_venv failed (log: $durable_state/pip.log)"
  }
  sha256 "$durable_requirements" >"$durable_stamp"
fi
# A durable service of a LocalStack just stopped (an orphan) may hold its port a moment longer.
dex_port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/${dex_port}") 2>/dev/null; }
for _ in $(seq 1 20); do dex_port_taken || break; sleep 0.1; done
if dex_port_taken; then
  fail "port ${dex_port} (the local durable execution service) is taken: free it or set LAB_DEX_PORT"
fi
dex_version="$("$durable_venv/bin/python" -c 'from importlib.metadata import version; print(version("aws-durable-execution-sdk-python-testing"))')"
echo "dex-local-runner ${dex_version} (aws-durable-execution-sdk-python-testing) on 127.0.0.1:${dex_port}" >"$state/durable-service"

# LAB_LAMBDA_EXECUTOR: thread (default) runs each execution environment as a worker thread of one
# Node process per function (localstack/executor/lab_lambda_executor/thread_host.py); process
# runs each as a Node process of its own (the executor before 2026-12; npm run bench:runtime
# compares them).
lambda_executor="${LAB_LAMBDA_EXECUTOR:-thread}"
[[ "$lambda_executor" == thread || "$lambda_executor" == process ]] \
  || fail "LAB_LAMBDA_EXECUTOR must be thread or process, not '$lambda_executor'"

mkdir -p "$state/state"
if command -v setsid >/dev/null 2>&1; then
  detach=(setsid)
else # macOS: no setsid(1); let the interpreter make itself a session leader, then exec LocalStack
  detach=("$venv/bin/python" -c 'import os, sys; os.setsid(); os.execv(sys.argv[1], sys.argv[1:])')
fi
# Host-mode settings: no container behaviour (OVERRIDE_IN_DOCKER=0), no DNS server, no certificate
# download or analytics, only the services the template uses (ECR answers `serverless remove`,
# from our plugin), Lambdas run by our executor (LAMBDA_RUNTIME_EXECUTOR=node-thread|node-process),
# path-style queue URLs (no DNS needed), state inside .local/.
# setsid: its own process group, so stop.sh can stop it and everything it spawned. Job control
# stays off (set +m) so the background job is no group leader: setsid then execs in place instead
# of forking, and $! is LocalStack's own pid.
set +m
# Lambda concurrency: every concurrent invocation is an execution environment, 13-27 MiB and
# 70-150 ms of CPU to start as a thread of this project's functions (46-65 MiB as a process;
# npm run bench:runtime). Starting hundreds at once on 2 cores makes LocalStack time environments
# out during startup, and 1,000 at once (AWS's default account limit) would take the CPU for
# seconds before any task ran. So: at most 32 per CPU core and half the available memory's
# worth, at most 1,000; LocalStack throttles the rest with TooManyRequestsException, as Lambda does
# past its limit. LAB_LAMBDA_CONCURRENCY overrides. Starting dozens of environments at once on a
# small machine can take longer than LocalStack's default 20 s startup timeout: an environment
# timed out while starting is killed and started again, and the machine never catches up. 60 s.
# LAB_LAMBDA_KEEPALIVE_MS: how long an idle environment is kept warm (LocalStack's default, 10 min,
# unless set); bench:load shortens it, or the idle environments of one strategy's burst would hold
# their memory through the next ones'.
# Reserved concurrency (bench:faults throttles the task functions to 1 with it): AWS keeps 100 of
# an account's concurrency unreserved; the local limit is lower than that, so a tenth of it here.
# LS_LOG=warn: a line per request costs ~6 % of LocalStack's one core under a 1,000-task run
# (py-spy); LS_LOG=info brings the request lines back.
if [[ -z "${LAB_LAMBDA_CONCURRENCY:-}" ]]; then
  cores="$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)"
  LAB_LAMBDA_CONCURRENCY=$(( cores * 32 ))
  available_kib="$(awk '/^MemAvailable:/ {print $2}' /proc/meminfo 2>/dev/null || true)"
  by_memory=$(( ${available_kib:-0} / 2 / (50 * 1024) ))
  (( by_memory > 0 && by_memory < LAB_LAMBDA_CONCURRENCY )) && LAB_LAMBDA_CONCURRENCY=$by_memory
  (( LAB_LAMBDA_CONCURRENCY > 1000 )) && LAB_LAMBDA_CONCURRENCY=1000
  (( LAB_LAMBDA_CONCURRENCY < 10 )) && LAB_LAMBDA_CONCURRENCY=10
fi
echo "$LAB_LAMBDA_CONCURRENCY" >"$state/lambda-concurrency"
# How the environments run, for the reports: "<thread|process> <node version>"
echo "$lambda_executor $("$LAB_LAMBDA_NODE" --version)" >"$state/lambda-executor"
# hypercorn: the default twisted server ignores GATEWAY_LISTEN's host and would expose an
# unauthenticated SQS on every interface; hypercorn binds 127.0.0.1 only.
env \
  OVERRIDE_IN_DOCKER=0 \
  DNS_ADDRESS=0 \
  SKIP_SSL_CERT_DOWNLOAD=1 \
  DISABLE_EVENTS=1 \
  SERVICES="${LOCALSTACK_SERVICES:-sqs,lambda,apigateway,cloudformation,s3,iam,sts,logs,ecr,events}" \
  LAMBDA_RUNTIME_EXECUTOR="node-$lambda_executor" \
  LAB_LAMBDA_NODE="$LAB_LAMBDA_NODE" \
  LAMBDA_LIMITS_CONCURRENT_EXECUTIONS="$LAB_LAMBDA_CONCURRENCY" \
  LAMBDA_LIMITS_MINIMUM_UNRESERVED_CONCURRENCY="$(( LAB_LAMBDA_CONCURRENCY / 10 ))" \
  LAMBDA_RUNTIME_ENVIRONMENT_TIMEOUT="${LAMBDA_RUNTIME_ENVIRONMENT_TIMEOUT:-60}" \
  LAMBDA_KEEPALIVE_MS="${LAB_LAMBDA_KEEPALIVE_MS:-600000}" \
  LS_LOG="${LS_LOG:-warn}" \
  LAB_LATENCY_FILE="$state/latency.json" \
  LAB_DEX_PYTHON="$durable_venv/bin/python" \
  LAB_DEX_PORT="$dex_port" \
  LAB_DEX_LOG="$durable_state/dex.log" \
  EAGER_SERVICE_LOADING=1 \
  GATEWAY_LISTEN="$address" \
  GATEWAY_SERVER="${GATEWAY_SERVER:-hypercorn}" \
  LOCALSTACK_HOST="$address" \
  SQS_ENDPOINT_STRATEGY=path \
  FILESYSTEM_ROOT="$state/state" \
  PERSISTENCE=0 \
  "${detach[@]}" "$venv/bin/python" -m localstack.runtime.main >"$log" 2>&1 </dev/null 9>&- &
pid=$!
disown "$pid" # no "Killed" job report from bash if it dies while we wait
echo "$pid" >"$pid_file"
echo host >"$mode_file"
record_owner
wait_until_ready "$pid"
# The durable execution service, started by LocalStack: ready when its health check answers.
dex_deadline=$((SECONDS + start_timeout))
until [[ "$(curl -s --max-time 2 "$dex_health_url" 2>/dev/null)" == *healthy* ]]; do
  if ((SECONDS >= dex_deadline)) || ! kill -0 "$pid" 2>/dev/null; then
    tail -n 20 "$durable_state/dex.log" >&2 || true
    kill -TERM -- "-$pid" 2>/dev/null || true
    sleep 1
    kill -KILL -- "-$pid" 2>/dev/null || true
    rm -f "$pid_file" "$mode_file"
    fail "the local durable execution service did not answer ${dex_health_url} within ${start_timeout} s; stopped LocalStack (log: $durable_state/dex.log)"
  fi
  sleep 0.25
done
echo "LocalStack ready on ${address} (host mode, pid $pid, Lambda environments: $lambda_executor on Node $("$LAB_LAMBDA_NODE" --version), concurrency ${LAB_LAMBDA_CONCURRENCY}, durable executions: dex-local-runner ${dex_version} on port ${dex_port}, $((SECONDS - t0)) s)"
