#!/usr/bin/env bash
# Runs the executor's own tests (test_executor.py: results, errors, timeouts, exits, init errors,
# concurrent invokes, logs, the ECR stub, no Node process outliving a killed LocalStack) with the
# project's LocalStack venv (.local/localstack/venv, built by localstack/start.sh: `npm test`'s
# integration setup or `npm start` builds it first) and pytest installed beside it. The tests start
# their own LocalStack on 127.0.0.1:4599.
set -euo pipefail
cd "$(dirname "$0")/../../.."

python=.local/localstack/venv/bin/python
if [[ ! -x $python ]]; then
  echo "executor tests: no LocalStack venv at .local/localstack/venv: run npm test or npm start first" >&2
  exit 1
fi
lib=.local/executor-dev/pytest-lib
requirements=localstack/executor/tests/requirements.txt
stamp="$lib/.requirements.sha256"
wanted=$(sha256sum "$requirements" | cut -d' ' -f1)
if [[ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]]; then
  rm -rf "$lib"
  "$python" -m pip install --quiet --disable-pip-version-check --no-deps --target "$lib" \
    -r "$requirements"
  echo "$wanted" > "$stamp"
fi
PYTHONPATH="$lib" exec "$python" -m pytest localstack/executor/tests -q -p no:cacheprovider
