"""End-to-end tests of both executors (node-process, and node-thread, the default) and the ECR
stub in a host-mode LocalStack.

Starts its own LocalStack on 127.0.0.1:4599 (state and log under .local/executor-dev/pytest/),
creates Node.js functions from small zips through boto3 and invokes them. Run with the project's
LocalStack venv, with pytest beside it:

    bash localstack/executor/tests/run.sh

Every test runs once per executor, all of one executor's first (one LocalStack each), in file
order: the last one SIGKILLs LocalStack and checks that no Node process survives it. Longer than
the project's other files (~500 lines): one LocalStack fixture and the helpers every case shares.
"""

import base64
import io
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

ROOT = Path(__file__).resolve().parents[3]  # the project
WORK = ROOT / ".local" / "executor-dev" / "pytest"
ADDRESS = "127.0.0.1:4599"
ENDPOINT = f"http://{ADDRESS}"
HEALTH = f"{ENDPOINT}/_localstack/health"
START_TIMEOUT_S = 120

# Host-mode settings as in localstack/start.sh, with Lambda and the executor of this package
LOCALSTACK_ENV = {
    "OVERRIDE_IN_DOCKER": "0",
    "DNS_ADDRESS": "0",
    "SKIP_SSL_CERT_DOWNLOAD": "1",
    "DISABLE_EVENTS": "1",
    "EAGER_SERVICE_LOADING": "1",
    "GATEWAY_SERVER": "hypercorn",
    "GATEWAY_LISTEN": ADDRESS,
    "LOCALSTACK_HOST": ADDRESS,
    "FILESYSTEM_ROOT": str(WORK / "state"),
    "PERSISTENCE": "0",
    "SERVICES": "lambda,iam,sts,logs,ecr",
}
# LAMBDA_RUNTIME_EXECUTOR: a Node process per environment, or a worker thread of one Node process
# per function (localstack/start.sh's default)
EXECUTORS = ["node-process", "node-thread"]
# The Node processes each executor starts: the environment itself, or the host of its threads
NODE_ENTRIES = ("lab_lambda_executor/bootstrap.mjs", "lab_lambda_executor/threadHost.mjs")

BOTO = Config(
    region_name="us-east-1",
    retries={"max_attempts": 1, "mode": "standard"},  # a timed-out invoke must not be retried
    read_timeout=120,
    max_pool_connections=32,
)


def client(service: str):
    return boto3.client(
        service,
        endpoint_url=ENDPOINT,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=BOTO,
    )


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def bootstrap_processes(parent_pid: int | None = None) -> dict[int, str]:
    """pid -> command line of the Node processes this package starts (bootstrap.mjs, a process
    environment; threadHost.mjs, the host of a function's thread environments)."""
    out = subprocess.run(  # -ww: never cut the command lines (ps does at 80 columns off a tty)
        ["ps", "-ww", "-eo", "pid=,ppid=,args="], capture_output=True, text=True, check=True
    ).stdout
    found = {}
    for line in out.splitlines():
        pid, ppid, args = line.strip().split(None, 2)
        if any(entry in args for entry in NODE_ENTRIES) and (
            parent_pid is None or int(ppid) == parent_pid
        ):
            found[int(pid)] = args
    return found


class LocalStack:
    def __init__(self, executor: str):
        self.executor = executor
        shutil.rmtree(WORK, ignore_errors=True)
        (WORK / "state").mkdir(parents=True)
        self.log_path = WORK / "localstack.log"
        self.log = self.log_path.open("wb")
        if answers(HEALTH):
            pytest.fail(f"something already answers on {ADDRESS}: stop it first")
        env = {**os.environ, **LOCALSTACK_ENV, "LAMBDA_RUNTIME_EXECUTOR": executor}
        env.pop("LOCALSTACK_AUTH_TOKEN", None)
        # its own process group (session): stop() ends LocalStack and everything it spawned
        self.process = subprocess.Popen(
            [sys.executable, "-m", "localstack.runtime.main"],
            cwd=WORK,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.children: set[int] = set()  # Node processes seen, cleaned up if they outlive it

    def wait_until_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"LocalStack exited while starting:\n{self.log_tail()}")
            if answers(HEALTH):
                return
            time.sleep(0.25)
        pytest.fail(f"LocalStack not ready after {START_TIMEOUT_S} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)
        for pid in self.children & set(bootstrap_processes()):  # a failed kill test
            os.kill(pid, signal.SIGKILL)
        self.log.close()


@pytest.fixture(scope="module", params=EXECUTORS)
def localstack(request):
    instance = LocalStack(request.param)
    try:
        instance.wait_until_ready()
        yield instance
    finally:
        instance.stop()


@pytest.fixture(scope="module")
def role_arn(localstack) -> str:
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    return client("iam").create_role(
        RoleName="node-process-test", AssumeRolePolicyDocument=json.dumps(trust)
    )["Role"]["Arn"]


@pytest.fixture(scope="module")
def lam(localstack):
    return client("lambda")


def zip_of(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def create_function(lam, role_arn, code: str, timeout: int = 10, **extra) -> str:
    name = f"t-{uuid.uuid4().hex[:10]}"
    lam.create_function(
        FunctionName=name,
        Runtime=extra.pop("Runtime", "nodejs22.x"),
        Role=role_arn,
        Handler="functions/task.handler",
        Code={"ZipFile": zip_of({"functions/task.mjs": code})},
        Timeout=timeout,
        MemorySize=256,
        **extra,
    )
    lam.get_waiter("function_active_v2").wait(FunctionName=name)
    return name


def invoke(lam, name: str, event=None) -> dict:
    response = lam.invoke(FunctionName=name, Payload=json.dumps(event or {}), LogType="Tail")
    return {
        "error": response.get("FunctionError"),
        "payload": json.loads(response["Payload"].read() or b"null"),
        "logs": base64.b64decode(response.get("LogResult", "")).decode(),
    }


def log_messages(function_name: str, complete, timeout_s: float = 15) -> list[str]:
    """The function's CloudWatch log messages, once complete(messages) (LocalStack stores
    them asynchronously), or whatever there is after timeout_s."""
    logs = client("logs")
    deadline = time.monotonic() + timeout_s
    while True:
        messages, token = [], {}
        try:
            while True:
                page = logs.filter_log_events(logGroupName=f"/aws/lambda/{function_name}", **token)
                messages += [event["message"] for event in page["events"]]
                if "nextToken" not in page:
                    break
                token = {"nextToken": page["nextToken"]}
        except ClientError as e:  # no log group yet
            if e.response["Error"]["Code"] != "ResourceNotFoundException":
                raise
        if complete(messages) or time.monotonic() > deadline:
            return messages
        time.sleep(0.25)


# A module-level counter tells a warm start (it goes on) from a cold one (it starts again at 1);
# an environment is a process (pid) or a worker thread of one (pid, threadId)
COUNTER = """
import { threadId } from 'node:worker_threads';
let invocations = 0;
export const handler = async (event, context) => {
  invocations += 1;
  console.log('event', JSON.stringify(event));
  if (event.sleepMs) await new Promise((resolve) => setTimeout(resolve, event.sleepMs));
  if (event.exit) process.exit(event.exit);
  return {
    invocations,
    pid: process.pid,
    threadId,
    event,
    requestId: context.awsRequestId,
    remainingMs: context.getRemainingTimeInMillis(),
    memory: context.memoryLimitInMB,
    functionName: context.functionName,
    endpoint: process.env.AWS_ENDPOINT_URL,
    taskRoot: process.env.LAMBDA_TASK_ROOT,
    greeting: process.env.GREETING,
  };
};
"""


def test_invoke_returns_the_handlers_json(lam, role_arn):
    name = create_function(lam, role_arn, COUNTER, Environment={"Variables": {"GREETING": "hi"}})
    first = invoke(lam, name, {"n": 1})
    assert first["error"] is None, first
    body = first["payload"]
    assert body["event"] == {"n": 1}
    assert body["invocations"] == 1
    assert body["memory"] == "256"
    assert body["functionName"] == name
    assert body["greeting"] == "hi"
    assert body["endpoint"] == ENDPOINT  # the function reaches LocalStack on the host
    assert 0 < body["remainingMs"] <= 10_000
    assert Path(body["taskRoot"], "functions", "task.mjs").exists()
    assert 'INFO\tevent {"n":1}' in first["logs"]
    assert f"REPORT RequestId: {body['requestId']}" in first["logs"]
    assert "Init Duration" in first["logs"]  # cold start

    second = invoke(lam, name, {"n": 2})
    assert second["payload"]["invocations"] == 2  # same process: warm
    assert second["payload"]["pid"] == body["pid"]
    assert "Init Duration" not in second["logs"]

    # the handler's output also reaches CloudWatch Logs
    messages = log_messages(name, lambda found: any('event {"n":2}' in m for m in found))
    assert any('event {"n":2}' in message for message in messages), messages


def test_thrown_error_keeps_its_name(lam, role_arn):
    code = """
class MyError extends Error {
  constructor(message) { super(message); this.name = 'MyError'; }
}
class Unnamed extends Error {}
export const handler = async (event) => {
  if (event.unnamed) throw new Unnamed('no name');
  throw new MyError('it broke');
};
"""
    name = create_function(lam, role_arn, code)
    result = invoke(lam, name)
    assert result["error"] == "Unhandled"
    assert result["payload"]["errorType"] == "MyError"
    assert result["payload"]["errorMessage"] == "it broke"
    assert result["payload"]["trace"][0] == "MyError: it broke"
    assert "Invoke Error" in result["logs"]
    # as on AWS, the type is the error's `name`: a subclass that sets none reports "Error"
    assert invoke(lam, name, {"unnamed": True})["payload"]["errorType"] == "Error"
    # a handler error does not cost the environment
    assert invoke(lam, name)["payload"]["errorType"] == "MyError"


def test_timeout_kills_the_process_and_the_next_invoke_starts_fresh(lam, role_arn):
    name = create_function(lam, role_arn, COUNTER, timeout=1)
    assert invoke(lam, name)["payload"]["invocations"] == 1
    assert invoke(lam, name)["payload"]["invocations"] == 2

    started = time.monotonic()
    result = invoke(lam, name, {"sleepMs": 5000})
    elapsed = time.monotonic() - started
    assert result["error"] == "Unhandled"
    assert result["payload"]["errorType"] == "Sandbox.Timedout"
    assert result["payload"]["errorMessage"].endswith("Task timed out after 1.00 seconds")
    assert result["payload"]["errorMessage"].startswith("RequestId: ")
    assert "Task timed out after 1.00 seconds" in result["logs"]
    assert elapsed < 4, f"timeout took {elapsed:.1f} s"

    after = invoke(lam, name)
    assert after["error"] is None, after
    assert after["payload"]["invocations"] == 1  # a new environment: cold start
    assert "Init Duration" in after["logs"]


def test_process_exit_is_a_runtime_exit_error_and_the_next_invoke_starts_fresh(lam, role_arn):
    name = create_function(lam, role_arn, COUNTER)
    assert invoke(lam, name)["payload"]["invocations"] == 1

    result = invoke(lam, name, {"exit": 1})
    assert result["error"] == "Unhandled"
    assert result["payload"]["errorType"] == "Runtime.ExitError"
    assert result["payload"]["errorMessage"].endswith(
        "Error: Runtime exited with error: exit status 1"
    )
    assert 'event {"exit":1}' in result["logs"]  # output written before the exit is kept

    after = invoke(lam, name)
    assert after["error"] is None, after
    assert after["payload"]["invocations"] == 1


def test_uncaught_error_fails_its_invocation_only(lam, role_arn):
    code = """
let invocations = 0;
export const handler = async (event) => {
  invocations += 1;
  if (event.late) setTimeout(() => { throw new RangeError('late'); }, 10);
  if (event.late) await new Promise((resolve) => setTimeout(resolve, 500));
  return { invocations };
};
"""
    name = create_function(lam, role_arn, code)
    result = invoke(lam, name, {"late": True})
    assert result["error"] == "Unhandled"
    assert result["payload"]["errorType"] == "RangeError"
    # the runtime exits after it; the next invocation right after gets a new environment
    after = invoke(lam, name)
    assert after["error"] is None, after
    assert after["payload"]["invocations"] == 1


def test_all_output_written_before_the_answer_is_logged(lam, role_arn):
    # 2000 lines (~200 KB) overflow the pipe: Node queues them, and they must all arrive
    code = """
export const handler = async () => {
  for (let i = 0; i < 2000; i++) console.log('line-' + i + ' ' + 'x'.repeat(100));
  return 'done';
};
"""
    name = create_function(lam, role_arn, code)
    result = invoke(lam, name)
    assert result["payload"] == "done"
    messages = log_messages(name, lambda found: any(m.startswith("REPORT") for m in found))
    assert sum("\tINFO\tline-" in message for message in messages) == 2000
    assert any(message.startswith("REPORT RequestId: ") for message in messages)


def test_syntax_error_is_an_init_error_not_a_hang(lam, role_arn):
    name = create_function(lam, role_arn, "export const handler = async (event => {\n")
    started = time.monotonic()
    result = invoke(lam, name)
    assert time.monotonic() - started < 10
    assert result["error"] == "Unhandled"
    assert result["payload"]["errorType"] == "Runtime.UserCodeSyntaxError"
    assert "SyntaxError" in result["payload"]["errorMessage"]


def test_error_thrown_while_loading_the_module_is_an_init_error(lam, role_arn):
    code = "throw new TypeError('no config');\nexport const handler = async () => 1;\n"
    name = create_function(lam, role_arn, code)
    result = invoke(lam, name)
    assert result["error"] == "Unhandled"
    assert result["payload"]["errorType"] == "TypeError"
    assert result["payload"]["errorMessage"] == "no config"

    name = create_function(lam, role_arn, "export const other = async () => 1;\n")
    result = invoke(lam, name)
    assert result["payload"]["errorType"] == "Runtime.HandlerNotFound"


def test_concurrent_invokes_run_in_parallel_environments(lam, role_arn):
    name = create_function(lam, role_arn, COUNTER)
    invoke(lam, name)  # the code is unzipped, one environment is warm

    clients = [client("lambda") for _ in range(20)]
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(lambda c: invoke(c, name, {"sleepMs": 500}), clients))
    elapsed = time.monotonic() - started
    assert all(r["error"] is None for r in results), [r for r in results if r["error"]]
    environments = {(r["payload"]["pid"], r["payload"]["threadId"]) for r in results}
    print(f"\n20 concurrent 500 ms invokes: {elapsed:.2f} s in {len(environments)} environments")
    assert len(environments) >= 10
    assert elapsed < 5, f"20 x 500 ms took {elapsed:.1f} s: not parallel"


def test_other_runtimes_are_refused_clearly(lam, role_arn):
    name = f"t-{uuid.uuid4().hex[:10]}"
    lam.create_function(
        FunctionName=name,
        Runtime="python3.12",
        Role=role_arn,
        Handler="functions/task.handler",
        Code={"ZipFile": zip_of({"functions/task.py": "def handler(e, c): return 1\n"})},
    )
    deadline = time.monotonic() + 10
    while (config := lam.get_function(FunctionName=name)["Configuration"])["State"] == "Pending":
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert config["State"] == "Failed"
    assert "runs Node.js functions only" in config["StateReason"]


def test_ecr_describe_repositories(localstack):
    ecr = client("ecr")
    with pytest.raises(ClientError) as error:
        ecr.describe_repositories(repositoryNames=["serverless-concurrency-lab-local"])
    assert error.value.response["Error"]["Code"] == "RepositoryNotFoundException"
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert ecr.describe_repositories()["repositories"] == []


def test_figures(lam, role_arn, localstack):
    """Cold start, warm latency and memory of one environment, printed for the record."""
    name = create_function(lam, role_arn, "export const handler = async () => null;\n")
    started = time.perf_counter()
    cold = invoke(lam, name)
    cold_ms = (time.perf_counter() - started) * 1000
    assert cold["error"] is None
    init_ms = float(cold["logs"].split("Init Duration: ")[1].split(" ms")[0])

    warm_ms, handler_ms = [], []
    for _ in range(20):
        started = time.perf_counter()
        result = invoke(lam, name)
        warm_ms.append((time.perf_counter() - started) * 1000)
        handler_ms.append(float(result["logs"].split("\tDuration: ")[1].split(" ms")[0]))

    rss_kb = []
    for pid in bootstrap_processes(localstack.process.pid):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        rss_kb.append(int(status.split("VmRSS:")[1].split()[0]))
    print(
        f"\n{localstack.executor}, no-op handler: cold invoke {cold_ms:.0f} ms (Init Duration {init_ms:.0f} ms); "
        f"warm invoke median {statistics.median(warm_ms):.1f} ms "
        f"(min {min(warm_ms):.1f}, max {max(warm_ms):.1f}) end to end through boto3, "
        f"of which executor Duration median {statistics.median(handler_ms):.2f} ms; "
        f"RSS per Node process median {statistics.median(rss_kb) / 1024:.1f} MiB "
        f"over {len(rss_kb)} processes"
    )
    assert statistics.median(warm_ms) < 1000


def test_sigkill_of_localstack_leaves_no_node_process(localstack):
    children = bootstrap_processes(localstack.process.pid)
    localstack.children.update(children)
    assert children, "expected Node processes of the warm environments from the tests before"
    os.kill(localstack.process.pid, signal.SIGKILL)  # LocalStack only, not its process group
    localstack.process.wait(10)
    deadline = time.monotonic() + 5
    while (left := set(children) & set(bootstrap_processes())) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not left, f"Node processes outlived LocalStack: {left}"
