"""Thread environments (LAB_LAMBDA_EXECUTOR=thread): each execution environment of a function is a
worker thread of one Node process per function version (threadHost.mjs), not a process of its own.

Measured on this project's task function (npm run bench:runtime): a Node process per environment
costs a whole runtime start and ~50 MiB; a worker thread shares the process, its heap is capped at
the function's memory size, and the executor talks to the host over its stdin/stdout in JSON
lines instead of running a Runtime API server per environment.
"""

import json
import logging
import os
import subprocess
import threading
import time
from concurrent.futures import Future
from pathlib import Path

from lab_lambda_executor.runtime_api import (
    InitError,
    Invocation,
    NotDelivered,
    ProcessExited,
    settle,
)

LOG = logging.getLogger(__name__)

THREAD_HOST = Path(__file__).with_name("threadHost.mjs")


class EnvironmentExited(ProcessExited):
    """The environment's thread ended (process.exit, a fatal error, or its heap limit)."""

    def __init__(self, returncode: int, out_of_memory: bool = False):
        super().__init__(returncode)
        self.out_of_memory = out_of_memory


class NodeHost:
    """One Node process holding the thread environments of one function version.

    Environments acquire it and release it; it is started on the first acquire and ends (its
    stdin closed) on the last release, so an idle function holds no process.
    """

    _hosts: dict[str, "NodeHost"] = {}
    _hosts_lock = threading.Lock()

    @classmethod
    def acquire(cls, key: str, spawn) -> "NodeHost":
        """The running host for `key`, or a new one from `spawn()` (a Popen with pipes)."""
        with cls._hosts_lock:
            host = cls._hosts.get(key)
            if host is None or host.closed:
                host = cls(key, spawn())
                cls._hosts[key] = host
            host._users += 1
            return host

    def __init__(self, key: str, process: subprocess.Popen):
        self.key = key
        self.process = process
        self.closed = False
        self._users = 0
        self._environments: dict[str, "ThreadSandbox"] = {}
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        threading.Thread(target=self._read, name=f"lambda-host-{key}", daemon=True).start()

    def release(self) -> None:
        with NodeHost._hosts_lock:
            self._users -= 1
            if self._users > 0:
                return
            self.closed = True
            if NodeHost._hosts.get(self.key) is self:
                del NodeHost._hosts[self.key]
        try:
            self.process.stdin.close()  # the host exits when its stdin ends
        except OSError:
            pass

    def attach(self, name: str, sandbox: "ThreadSandbox") -> None:
        with self._lock:
            self._environments[name] = sandbox

    def detach(self, name: str) -> None:
        with self._lock:
            self._environments.pop(name, None)

    def send(self, command: dict) -> bool:
        line = json.dumps(command, separators=(",", ":")).encode() + b"\n"
        with self._write_lock:
            try:
                self.process.stdin.write(line)
                self.process.stdin.flush()
                return True
            except (OSError, ValueError):  # the host is gone: its reader reports every exit
                return False

    def kill(self) -> None:
        try:
            os.killpg(self.process.pid, 9)
        except (ProcessLookupError, PermissionError):
            pass

    def _read(self) -> None:
        try:
            for line in self.process.stdout:
                try:
                    event = json.loads(line)
                except ValueError:
                    LOG.warning("thread host %s wrote a line that is not JSON: %r", self.key, line)
                    continue
                with self._lock:
                    sandbox = self._environments.get(event.get("env"))
                if sandbox:
                    sandbox.on_event(event)
        finally:
            returncode = self.process.wait()
            with NodeHost._hosts_lock:  # a host that died is never handed out again
                self.closed = True
                if NodeHost._hosts.get(self.key) is self:
                    del NodeHost._hosts[self.key]
            with self._lock:
                orphans = list(self._environments.values())
            for sandbox in orphans:  # the host died under them
                sandbox.on_event({"ev": "exit", "code": returncode or 1})


class ThreadSandbox:
    """One execution environment: a worker thread of a NodeHost. The same interface as the
    process executor's Sandbox, so that NodeProcessRuntimeExecutor drives either."""

    def __init__(self, host: NodeHost, name: str, env: dict[str, str], memory_mb: int, log):
        self.name = name
        self.started: Future[bool] = Future()
        self.exited = threading.Event()
        self.spawned_at = time.perf_counter()
        self._host = host
        self._log = log
        self._killed = False
        self._released = False
        self._pending: dict[str, Future] = {}
        self._lock = threading.Lock()
        self._peak_mb: int | None = None
        host.attach(name, self)
        if not host.send({"op": "start", "env": name, "vars": env, "memoryMb": memory_mb}):
            self.on_event({"ev": "exit", "code": 1})

    @property
    def alive(self) -> bool:
        return not self._killed and not self.exited.is_set()

    def wait_ready(self, timeout: float | None) -> None:
        self.started.result(timeout=timeout)

    def invoke(self, invocation: Invocation, timeout: float) -> tuple[str, bytes | int]:
        future: Future = Future()
        with self._lock:
            if self.exited.is_set():
                return "undelivered", b""
            self._pending[invocation.request_id] = future
        sent = self._host.send(
            {
                "op": "invoke",
                "env": self.name,
                "requestId": invocation.request_id,
                "payload": invocation.payload.decode(),
                "deadlineMs": invocation.deadline_ms,
                "functionArn": invocation.function_arn,
                "traceId": invocation.trace_id,
            }
        )
        if not sent:  # the host is gone: nothing ran, a fresh environment may take it
            with self._lock:
                self._pending.pop(invocation.request_id, None)
            return "undelivered", b""
        try:
            return future.result(timeout=timeout)
        except TimeoutError:
            return "timeout", b""
        except EnvironmentExited as e:
            return ("oom" if e.out_of_memory else "exit"), e.returncode
        except NotDelivered:
            return "undelivered", b""

    def peak_rss_mb(self) -> int | None:
        return self._peak_mb

    def kill(self, graceful: bool = False) -> None:
        """Terminates the thread (a thread has no SIGTERM to be graceful with)."""
        self._killed = True
        self._host.send({"op": "stop", "env": self.name})
        self._release()

    def on_event(self, event: dict) -> None:
        kind = event.get("ev")
        if kind == "log":
            self._log.append(event.get("text", ""))
        elif kind == "ready":
            settle(self.started, result=True)
        elif kind == "initError":
            settle(self.started, exception=InitError(event.get("body", "").encode()))
        elif kind == "result":
            if event.get("memoryMb"):
                self._peak_mb = max(self._peak_mb or 0, int(event["memoryMb"]))
            with self._lock:
                future = self._pending.pop(event.get("requestId"), None)
            if future:
                settle(future, result=(event["kind"], event.get("body", "null").encode()))
        elif kind == "undelivered":
            with self._lock:
                future = self._pending.pop(event.get("requestId"), None)
            if future:
                settle(future, exception=NotDelivered())
        elif kind == "exit":
            exited = EnvironmentExited(int(event.get("code", 1)), bool(event.get("outOfMemory")))
            with self._lock:
                self.exited.set()
                pending, self._pending = self._pending, {}
            settle(self.started, exception=exited)
            for future in pending.values():
                settle(future, exception=exited)
            self._host.detach(self.name)
            self._release()

    def _release(self) -> None:
        with self._lock:
            if self._released:
                return
            self._released = True
        self._host.release()
