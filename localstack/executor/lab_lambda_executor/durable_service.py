"""Lambda durable functions on the local stack: AWS's local durable execution service, and the
front door that makes a plain Invoke of a durable function start a durable execution there.

LocalStack 4.14.0 has only stubs for the durable APIs and its CloudFormation provider drops
``DurableConfig``. AWS's dex-local-runner (dex_runner.py) serves that API and invokes handlers
through LocalStack's Invoke. This ``on_infra_start`` hook:

- starts it as a child of LocalStack (so in LocalStack's process group: stop.sh's group kill
  and the orphan rules of start.sh cover it), when start.sh set LAB_DEX_PYTHON;
- wraps the Lambda provider's Invoke. A function is durable locally when its
  AWS_ENDPOINT_URL_LAMBDA names this service (the template sets it on the local stage, for the
  SDK's checkpoints). A synchronous Invoke of it, not sent by the service itself (which marks its
  own with ``X-Dex-Handler-Invoke``), starts a durable execution with the payload as input and
  answers when the execution ends: its result, or its error as a function error. That is what
  Lambda does for a synchronous invocation of a durable function (API Gateway's). An ``Event``
  invocation answers 202 once the execution has started.
"""

import functools
import inspect
import json
import logging
import os
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

from localstack.runtime import hooks

LOG = logging.getLogger(__name__)

# Set by start.sh: where the service listens, and the interpreter of its venv.
_PORT = os.environ.get("LAB_DEX_PORT", "")
_ENDPOINT = f"http://127.0.0.1:{_PORT}" if _PORT else ""
# Lambda's limit for a synchronous invocation of a durable function (15 min); the execution's own
# timeout, which the function's DurableConfig sets on AWS.
_EXECUTION_TIMEOUT_S = 900
_RETENTION_DAYS = 1
# Polls of a waiting Invoke: soon for a short run, then at most every second. The run's figures
# come from the execution's history, not from this. The service is one Python process: a hundred
# waiting Invokes polling every 100 ms took ~1,000 requests a second of it in bench:load, and every
# 250 ms ~500 a second, which starved the environments the executions needed of CPU until they
# timed out starting (a cold burst of 100 durable runs, 2026-12-06: none succeeded).
_POLL_FIRST_S = 0.01
_POLL_MAX_S = 1.0


def _is_durable(function) -> bool:
    environment = function.latest().config.environment or {}
    return bool(_ENDPOINT) and environment.get("AWS_ENDPOINT_URL_LAMBDA") == _ENDPOINT


def _request(method: str, path: str, body: dict | None = None) -> dict:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        f"{_ENDPOINT}{path}",
        data=data,
        method=method,
        headers={"content-type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"{}")


def start_execution(account_id: str, function_name: str, qualifier: str, payload: bytes) -> str:
    started = _request(
        "POST",
        "/start-durable-execution",
        {
            "AccountId": account_id,
            "FunctionName": function_name,
            "FunctionQualifier": qualifier,
            "ExecutionName": str(uuid.uuid4()),
            "ExecutionTimeoutSeconds": _EXECUTION_TIMEOUT_S,
            "ExecutionRetentionPeriodDays": _RETENTION_DAYS,
            "Input": (payload or b"{}").decode(),
        },
    )
    return started["ExecutionArn"]


def wait_for_execution(arn: str) -> dict:
    path = f"/2025-12-01/durable-executions/{urllib.parse.quote(arn, safe='')}"
    deadline = time.monotonic() + _EXECUTION_TIMEOUT_S + 60
    pause = _POLL_FIRST_S
    while time.monotonic() < deadline:
        execution = _request("GET", path)
        if execution.get("Status") not in (None, "RUNNING"):
            return execution
        time.sleep(pause)
        pause = min(pause * 1.5, _POLL_MAX_S)
    return {"Status": "TIMED_OUT", "Error": {"ErrorType": "Sandbox.Timedout"}}


def _wrap_invoke(provider_class) -> None:
    from localstack.aws.api.lambda_ import (
        InvocationResponse,
        InvocationType,
        ServiceException as LambdaServiceException,
    )
    from localstack.services.lambda_ import api_utils

    original = provider_class.invoke
    signature = inspect.signature(original)

    # functools.wraps keeps the marks LocalStack's dispatch table finds its handlers by.
    @functools.wraps(original)
    def invoke(self, context, *args, **kwargs):
        if context.request.headers.get("X-Dex-Handler-Invoke"):
            return original(self, context, *args, **kwargs)
        call = signature.bind(self, context, *args, **kwargs).arguments
        invocation_type = call.get("invocation_type")
        account_id, region = api_utils.get_account_and_region(call["function_name"], context)
        name, qualifier = api_utils.get_name_and_qualifier(
            call["function_name"], call.get("qualifier"), context
        )
        function = self._get_function(name, account_id, region)
        if not _is_durable(function) or invocation_type == InvocationType.DryRun:
            return original(self, context, *args, **kwargs)
        payload = call.get("payload")
        version = qualifier or "$LATEST"
        try:
            arn = start_execution(account_id, name, version, payload.read() if payload else b"")
            if invocation_type == InvocationType.Event:
                return InvocationResponse(StatusCode=202)
            execution = wait_for_execution(arn)
        except (OSError, ValueError, KeyError) as error:
            # Not answering, or not as expected: a clear service error, not a hang or a bare 500.
            raise LambdaServiceException(
                f"the local durable execution service at {_ENDPOINT} did not run "
                f"{name}:{version}: {type(error).__name__}: {error} (log: .local/durable/dex.log)"
            ) from error
        if execution.get("Status") == "SUCCEEDED":
            result = execution.get("Result") or "null"
            return InvocationResponse(StatusCode=200, Payload=result.encode(), ExecutedVersion=version)
        error = execution.get("Error") or {}
        failure = {
            "errorType": error.get("ErrorType", "DurableExecutionFailed"),
            "errorMessage": error.get(
                "ErrorMessage", f"the durable execution ended {execution.get('Status')}"
            ),
        }
        return InvocationResponse(
            StatusCode=200,
            Payload=json.dumps(failure).encode(),
            ExecutedVersion=version,
            FunctionError="Unhandled",
        )

    provider_class.invoke = invoke


def _start_service() -> None:
    python = os.environ.get("LAB_DEX_PYTHON")
    log_path = os.environ.get("LAB_DEX_LOG", os.devnull)
    runner = Path(__file__).with_name("dex_runner.py")
    gateway = os.environ.get("GATEWAY_LISTEN", "127.0.0.1:4566").split(",")[0]
    region = os.environ.get("LAB_DEX_REGION", "us-east-1")
    environment = {
        **os.environ,
        # The service signs its Invokes with boto3, which needs credentials; LocalStack takes any.
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_DEFAULT_REGION": region,
    }
    with open(log_path, "ab") as log:
        subprocess.Popen(
            [
                python,
                str(runner),
                "start-server",
                "--host",
                "127.0.0.1",
                "--port",
                _PORT,
                "--lambda-endpoint",
                f"http://{gateway}",
                "--local-runner-endpoint",
                _ENDPOINT,
                "--local-runner-region",
                region,
                "--execution-timeout",
                str(_EXECUTION_TIMEOUT_S),
                "--function-configs",
                "{}",
            ],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            env=environment,
        )


@hooks.on_infra_start()
def serve_durable_executions() -> None:
    if not (_ENDPOINT and os.environ.get("LAB_DEX_PYTHON")):
        return
    from localstack.services.lambda_.provider import LambdaProvider

    _wrap_invoke(LambdaProvider)
    _start_service()
    LOG.info("durable execution service starting on %s", _ENDPOINT)
