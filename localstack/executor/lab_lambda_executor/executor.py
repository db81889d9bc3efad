"""A LocalStack Lambda runtime executor that needs no Docker: each execution environment is a
local ``node bootstrap.mjs`` child process that talks to its own Runtime API server.

LocalStack drives an executor like this (see execution_environment.py): ``start(env)`` once per
environment, then one ``invoke(payload)`` at a time, then ``stop()`` after the keep-alive. The
executor enforces the function's timeout itself (the Docker executor leaves that to the init
binary in the container): a process that times out or exits is discarded, and the next invoke of
the environment starts a fresh one (a cold start, as on AWS).

Longer than the project's other files (~530 lines) for a reason: LocalStack's executor interface
is one class, and its process handling, the Runtime API hand-off, the REPORT line and the
timeout live together in it; the thread host, the Runtime API server, latency and ECR are
modules of their own.
"""

import codecs
import ctypes
import functools
import itertools
import json
import logging
import math
import os
import select
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import UTC, datetime
from importlib.resources import files
from itertools import islice
from pathlib import Path

from localstack import config
from localstack.services.lambda_.invocation.executor_endpoint import StatusErrorException
from localstack.services.lambda_.invocation.lambda_models import FunctionVersion, InvocationResult
from localstack.services.lambda_.invocation.runtime_executor import (
    LambdaRuntimeException,
    RuntimeExecutor,
)

from lab_lambda_executor.latency import LATENCY
from lab_lambda_executor.runtime_api import (
    InitError,
    Invocation,
    NotDelivered,
    ProcessExited,
    RuntimeApi,
    exit_reason,
)
from lab_lambda_executor.thread_host import THREAD_HOST, NodeHost, ThreadSandbox

LOG = logging.getLogger(__name__)

BOOTSTRAP = Path(str(files("lab_lambda_executor") / "bootstrap.mjs"))

# Host environment variables a function process inherits (unless the function sets them): enough
# to find programs and a home directory, nothing else of LocalStack's environment leaks in.
INHERITED_HOST_VARS = ("PATH", "HOME")

# How long a restart inside invoke() may take before the invocation fails.
RESTART_TIMEOUT_S = config.LAMBDA_RUNTIME_ENVIRONMENT_TIMEOUT

# Node processes are spawned from this one long-lived thread. On Linux, PR_SET_PDEATHSIG fires
# when the *thread* that forked the child exits, not the process, and LocalStack starts
# environments from pool threads that may end at any time.
_SPAWNER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lambda-node-spawner")

_PR_SET_PDEATHSIG = 1
_libc = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None


def _die_with_parent(parent_pid: int) -> None:
    """preexec_fn: the kernel SIGKILLs the child when LocalStack dies, even by SIGKILL."""
    _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent_pid:  # LocalStack died before prctl took effect
        os._exit(1)


def _spawn(
    argv: list[str], cwd: str, env: dict[str, str], stdin=subprocess.DEVNULL, stderr=subprocess.PIPE
) -> subprocess.Popen:
    return subprocess.Popen(
        argv,
        cwd=cwd,
        env=env,
        stdin=stdin,
        stdout=subprocess.PIPE,
        stderr=stderr,
        # own process group: stop()/timeouts kill whatever the handler spawned, too
        start_new_session=True,
        preexec_fn=functools.partial(_die_with_parent, os.getpid()) if _libc else None,
    )


def _node_binary() -> str | None:
    """LAB_LAMBDA_NODE (localstack/start.sh sets the project's Node 22), else `node` on PATH."""
    return os.environ.get("LAB_LAMBDA_NODE") or shutil.which("node")


def _check_runtime(function_version: FunctionVersion) -> None:
    runtime = function_version.config.runtime
    if not runtime or not runtime.startswith("nodejs"):
        raise LambdaRuntimeException(
            f"The node-process Lambda executor runs Node.js functions only, but "
            f"{function_version.id.function_name} has runtime {runtime or '(container image)'}: "
            f"use runtime nodejs*, or another LAMBDA_RUNTIME_EXECUTOR"
        )


def _error_payload(error_type: str, message: str) -> bytes:
    return json.dumps({"errorType": error_type, "errorMessage": message}).encode()


class OutputLog:
    """The stdout+stderr text of one environment's processes, in the order it was read.

    Keeps the last MAX_CHARS or so: an environment lives as long as it is used, and its output
    also goes to CloudWatch Logs invocation by invocation. Marks are absolute chunk numbers, so
    they stay valid when old chunks are dropped.
    """

    MAX_CHARS = 8 * 1024 * 1024

    def __init__(self):
        self._chunks: deque[str] = deque()
        self._dropped = 0  # chunks dropped from the front
        self._chars = 0
        self._lock = threading.Lock()

    def append(self, text: str) -> None:
        if not text:
            return
        with self._lock:
            self._chunks.append(text)
            self._chars += len(text)
            while self._chars > self.MAX_CHARS and len(self._chunks) > 1:
                self._chars -= len(self._chunks.popleft())
                self._dropped += 1

    def mark(self) -> int:
        with self._lock:
            return self._dropped + len(self._chunks)

    def since(self, mark: int) -> str:
        with self._lock:
            return "".join(islice(self._chunks, max(0, mark - self._dropped), None))


class _OutputReader(threading.Thread):
    """Reads a process's stdout and stderr into an OutputLog.

    drain() reads, under the same lock, whatever is buffered in the pipes: called when a result
    arrives, it makes sure everything the handler wrote before answering (Node writes to pipes
    synchronously on Linux) is in the log of that invocation.
    """

    def __init__(self, streams, log: OutputLog, name: str):
        super().__init__(name=name, daemon=True)
        self._streams = streams
        self._log = log
        self._lock = threading.Lock()
        self._decoders = {}  # open fd -> incremental UTF-8 decoder (a read may split a character)
        for stream in streams:
            os.set_blocking(stream.fileno(), False)
            self._decoders[stream.fileno()] = codecs.getincrementaldecoder("utf-8")("replace")

    def run(self) -> None:
        try:
            while True:
                with self._lock:
                    fds = list(self._decoders)
                if not fds:
                    return
                poller = select.poll()
                for fd in fds:
                    poller.register(fd, select.POLLIN)
                poller.poll()
                self.drain()
        finally:
            for stream in self._streams:
                stream.close()

    def drain(self) -> None:
        with self._lock:
            for fd, decoder in list(self._decoders.items()):
                while True:
                    try:
                        chunk = os.read(fd, 65536)
                    except BlockingIOError:
                        break
                    except OSError:
                        chunk = b""
                    if not chunk:  # end of file: the process (group) closed it
                        self._log.append(decoder.decode(b"", final=True))
                        del self._decoders[fd]
                        break
                    self._log.append(decoder.decode(chunk))


class Sandbox:
    """One Node.js process running bootstrap.mjs, and the Runtime API server it polls."""

    def __init__(self, node: str, code_dir: Path, env: dict[str, str], log: OutputLog, name: str):
        self.api = RuntimeApi(name)
        env = {**env, "AWS_LAMBDA_RUNTIME_API": self.api.address}
        try:
            self.process = _SPAWNER.submit(
                _spawn, [node, str(BOOTSTRAP)], str(code_dir), env
            ).result()
        except BaseException:
            self.api.close()
            raise
        self.spawned_at = time.perf_counter()
        self.exited = threading.Event()
        self._killed = False
        self._reader = _OutputReader(
            [self.process.stdout, self.process.stderr], log, f"lambda-node-output-{name}"
        )
        self._reader.start()
        threading.Thread(target=self._watch, name=f"lambda-node-watch-{name}", daemon=True).start()

    @property
    def alive(self) -> bool:
        return not self._killed and not self.exited.is_set()

    def wait_ready(self, timeout: float) -> None:
        """Returns once the handler module is loaded; raises InitError, ProcessExited or
        FutureTimeout otherwise."""
        self.api.started.result(timeout=timeout)

    def invoke(self, invocation: Invocation, timeout: float) -> tuple[str, bytes | int]:
        """("response" | "error", body), ("timeout", b""), ("exit", returncode), or
        ("undelivered", b"") when the process died before it took the invocation."""
        future = self.api.submit(invocation)
        try:
            return future.result(timeout=timeout)
        except FutureTimeout:
            return "timeout", b""
        except ProcessExited as e:
            return "exit", e.returncode
        except NotDelivered:
            return "undelivered", b""
        finally:
            self._reader.drain()  # what the process wrote so far belongs to this invocation

    def peak_rss_mb(self) -> int | None:
        """Peak resident memory of the Node process (Linux: VmHWM), for the REPORT line."""
        try:
            for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return math.ceil(int(line.split()[1]) / 1024)
        except (OSError, ValueError):
            pass
        return None

    def kill(self, graceful: bool = False) -> None:
        """Kills the process group: SIGKILL, or SIGTERM and SIGKILL after 1 s if graceful."""
        self._killed = True
        if graceful:
            self._signal_group(signal.SIGTERM)
            if self.exited.wait(1):
                self._signal_group(signal.SIGKILL)  # whatever the handler left in the group
                return
        self._signal_group(signal.SIGKILL)

    def _signal_group(self, sig: int) -> None:
        try:
            os.killpg(self.process.pid, sig)
        except (ProcessLookupError, PermissionError):
            pass

    def _watch(self) -> None:
        returncode = self.process.wait()
        # all output first, then the outcome: a waiting invoke() returns complete logs
        self._reader.join(timeout=1)
        self._reader.drain()
        self.exited.set()
        self.api.abort(ProcessExited(returncode))
        self.api.close()


class NodeProcessRuntimeExecutor(RuntimeExecutor):
    def __init__(self, id: str, function_version: FunctionVersion) -> None:
        super().__init__(id=id, function_version=function_version)
        self._env: dict[str, str] | None = None
        self._sandbox: Sandbox | None = None
        self._output = OutputLog()
        # a fresh sandbox's init: (log mark where it began, init duration in ms) for the REPORT
        # line and the logs of its first invocation
        self._init: tuple[int, float] | None = None
        self._lock = threading.Lock()
        self._stopped = False

    # --- lifecycle

    def start(self, env_vars: dict[str, str]) -> None:
        _check_runtime(self.function_version)
        self._env = self._process_env(env_vars)
        try:
            self._start_sandbox(timeout=None)  # LocalStack's startup timer calls stop() instead
        except InitError as e:
            raise StatusErrorException("Environment startup failed", payload=e.payload) from e
        except ProcessExited as e:
            raise StatusErrorException(
                "Environment startup failed",
                payload=_error_payload("Runtime.ExitError", f"Error: {e}"),
            ) from e

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            sandbox = self._sandbox
        if sandbox:
            sandbox.kill(graceful=True)

    def _start_sandbox(self, timeout: float | None) -> Sandbox:
        node = _node_binary()
        if not node:
            raise LambdaRuntimeException("node-process executor: no `node` on LocalStack's PATH")
        mark = self._output.mark()
        code_dir = self.function_version.config.code.get_unzipped_code_location()
        sandbox = self._new_sandbox(node, code_dir)
        with self._lock:
            if self._stopped:  # stop() came first: don't leave a process behind
                sandbox.kill()
                raise LambdaRuntimeException(f"Execution environment {self.id} was stopped")
            self._sandbox = sandbox
        try:
            sandbox.wait_ready(timeout)
        except FutureTimeout as e:
            sandbox.kill()
            raise LambdaRuntimeException(f"Runtime did not start within {timeout} s") from e
        except BaseException:
            sandbox.kill()
            raise
        init_ms = (time.perf_counter() - sandbox.spawned_at) * 1000
        # profile aws: INIT lasts at least the modelled one (a process start here may be quicker)
        padding_ms = LATENCY.next_ms("initMs") - init_ms
        if padding_ms > 0:
            time.sleep(padding_ms / 1000)
            init_ms += padding_ms
        self._init = (mark, init_ms)
        return sandbox

    def _new_sandbox(self, node: str, code_dir: Path):
        return Sandbox(node, code_dir, self._env, self._output, self.id)

    def _process_env(self, env_vars: dict[str, str]) -> dict[str, str]:
        # LocalStack's variables (credentials, AWS_ENDPOINT_URL, _HANDLER, ..., and the function's
        # own environment last, so its NODE_OPTIONS stays as it set it), values as strings
        env = {name: str(value) for name, value in env_vars.items() if value is not None}
        for name in INHERITED_HOST_VARS:
            if name in os.environ:
                env.setdefault(name, os.environ[name])
        env.update(
            # where the code is on this host rather than in a container
            LAMBDA_TASK_ROOT=str(self.function_version.config.code.get_unzipped_code_location()),
            LAMBDA_RUNTIME_DIR=str(BOOTSTRAP.parent),
            AWS_EXECUTION_ENV=f"AWS_Lambda_{self.function_version.config.runtime}",
        )
        return env

    # --- invocations

    def invoke(self, payload: dict[str, str]) -> InvocationResult:
        request_id = payload["invoke-id"]
        # profile aws: the modelled hop between the caller and the handler, before it starts
        hop_ms = LATENCY.next_ms("invokeHopMs")
        if hop_ms > 0:
            time.sleep(hop_ms / 1000)
        # A second try only if the process died before it even took the invocation (e.g. it
        # was exiting after an uncaught error of the previous one): then nothing ran yet.
        for _ in range(2):
            sandbox = self._sandbox
            if sandbox is None or not sandbox.alive:  # timed out or crashed: cold start
                mark = self._output.mark()
                try:
                    sandbox = self._start_sandbox(timeout=RESTART_TIMEOUT_S)
                except InitError as e:
                    return InvocationResult(request_id, e.payload, True, self._output.since(mark))
                except ProcessExited as e:
                    return self._failure(request_id, "Runtime.ExitError", str(e), mark)
                except LambdaRuntimeException as e:
                    return self._failure(request_id, "Runtime.Unknown", str(e), mark)
            if result := self._invoke_in(sandbox, payload):
                return result
        message = "Runtime exited before it took the invocation"
        return self._failure(request_id, "Runtime.ExitError", message, self._output.mark())

    def _invoke_in(self, sandbox: Sandbox, payload: dict[str, str]) -> InvocationResult | None:
        request_id = payload["invoke-id"]
        init_mark, init_ms = self._init or (self._output.mark(), None)
        self._init = None
        init_logs = self._output.since(init_mark)
        invoke_mark = self._output.mark()
        timeout = self.function_version.config.timeout
        started = time.perf_counter()
        invocation = Invocation(
            request_id=request_id,
            function_arn=payload["invoked-function-arn"],
            payload=payload["payload"].encode(),
            trace_id=payload.get("trace-id") or "",
            deadline_ms=int(time.time() * 1000 + timeout * 1000),
        )
        kind, body = sandbox.invoke(invocation, timeout)
        if kind == "undelivered":
            return None
        duration_ms = (time.perf_counter() - started) * 1000
        memory_mb = sandbox.peak_rss_mb()

        tail = ""
        if kind == "timeout":
            sandbox.kill()
            message = f"Task timed out after {timeout:.2f} seconds"
            body = _error_payload("Sandbox.Timedout", f"RequestId: {request_id} Error: {message}")
            now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:23]
            tail = f"{now}Z {request_id} {message}\n"
        elif kind == "exit":
            message = f"RequestId: {request_id} Error: {exit_reason(body)}"
            body = _error_payload("Runtime.ExitError", message)
            tail = f"{message}\nRuntime.ExitError\n"
        elif kind == "oom":  # the heap reached the function's memory size (thread executor)
            message = f"RequestId: {request_id} Error: {exit_reason(-signal.SIGKILL)}"
            body = _error_payload("Runtime.OutOfMemory", message)
            tail = f"{message}\nRuntime.OutOfMemory\n"

        logs = (
            init_logs
            + f"START RequestId: {request_id} Version: {self.function_version.id.qualifier}\n"
            + self._output.since(invoke_mark)
            + tail
            + f"END RequestId: {request_id}\n"
            + self._report_line(request_id, duration_ms, memory_mb, init_ms)
        )
        return InvocationResult(request_id, body, kind != "response", logs)

    def _failure(self, request_id: str, error_type: str, message: str, mark: int):
        body = _error_payload(error_type, f"RequestId: {request_id} Error: {message}")
        return InvocationResult(request_id, body, True, self._output.since(mark))

    def _report_line(self, request_id, duration_ms, memory_mb, init_ms) -> str:
        fields = [
            f"REPORT RequestId: {request_id}",
            f"Duration: {duration_ms:.2f} ms",
            f"Billed Duration: {math.ceil(duration_ms)} ms",
            f"Memory Size: {self.function_version.config.memory_size} MB",
        ]
        if memory_mb is not None:
            fields.append(f"Max Memory Used: {memory_mb} MB")
        if init_ms is not None:
            fields.append(f"Init Duration: {init_ms:.2f} ms")
        return "\t".join(fields) + "\t\n"

    def get_logs(self) -> str:
        return self._output.since(0)

    # --- addresses: everything runs on this host

    def get_address(self) -> str:
        return "127.0.0.1"

    def get_endpoint_from_executor(self) -> str:
        # becomes AWS_ENDPOINT_URL / LOCALSTACK_HOSTNAME inside the function
        return "127.0.0.1"

    def get_runtime_endpoint(self) -> str:
        # LocalStack's own executor callback URL, passed as LOCALSTACK_RUNTIME_ENDPOINT; unused here
        port = config.GATEWAY_LISTEN[0].port
        return f"http://{self.get_endpoint_from_executor()}:{port}/_localstack_lambda/{self.id}"

    # --- per version

    @classmethod
    def prepare_version(cls, function_version: FunctionVersion) -> None:
        try:
            _check_runtime(function_version)
        except LambdaRuntimeException as e:
            LOG.warning("%s", e)  # the version turns Failed with this as its StateReason
            raise
        if function_version.config.code:
            function_version.config.code.prepare_for_execution()  # unzip to disk once

    @classmethod
    def cleanup_version(cls, function_version: FunctionVersion) -> None:
        pass

    @classmethod
    def validate_environment(cls) -> bool:
        if not _node_binary():
            LOG.warning(
                "LAMBDA_RUNTIME_EXECUTOR=node-process runs Lambda functions with the host's "
                "Node.js, but there is no `node` on LocalStack's PATH: invocations will fail"
            )
            return False
        return True


class NodeThreadRuntimeExecutor(NodeProcessRuntimeExecutor):
    """LAB_LAMBDA_EXECUTOR=thread (the default): each execution environment is a worker thread of
    one Node process per function version (thread_host.py, threadHost.mjs) instead of a process
    of its own. Everything else — restarts, timeouts, the REPORT line, logs — is the process
    executor's."""

    _generation = itertools.count(1)

    def _new_sandbox(self, node: str, code_dir: Path):
        version = self.function_version
        # a restarted environment is a new thread with a new name: a late event of the old one
        # can never reach it
        name = f"{self.id}-{next(self._generation)}"
        host_env = {key: self._env[key] for key in ("PATH", "HOME", "NODE_OPTIONS") if key in self._env}

        def spawn():
            return _SPAWNER.submit(
                _spawn,
                # the function's name: only for `ps` and profiles, the host does not read it
                [node, str(THREAD_HOST), version.id.function_name],
                str(code_dir),
                host_env,
                subprocess.PIPE,
                None,
            ).result()

        host = NodeHost.acquire(version.qualified_arn, spawn)
        return ThreadSandbox(host, name, self._env, version.config.memory_size, self._output)
