"""The Lambda Runtime API (the subset a runtime uses) for one Node.js process.

Each process gets its own server on a free port of 127.0.0.1: a process that timed out or
crashed is thrown away together with its server, so a late request from it can never take or
answer an invocation meant for its successor.
See https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html
"""

import dataclasses
import json
import logging
import queue
import re
import signal
import threading
from concurrent.futures import Future, InvalidStateError
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOG = logging.getLogger(__name__)

PREFIX = "/2018-06-01/runtime"
NEXT_PATH = f"{PREFIX}/invocation/next"
INIT_ERROR_PATH = f"{PREFIX}/init/error"
RESULT_PATH = re.compile(rf"{PREFIX}/invocation/([^/]+)/(response|error)")


@dataclasses.dataclass
class Invocation:
    request_id: str
    function_arn: str
    payload: bytes
    trace_id: str
    deadline_ms: int


def exit_reason(returncode: int) -> str:
    """How AWS words a runtime's exit (Go's os.ProcessState.String())."""
    if returncode == 0:
        return "Runtime exited without providing a reason"
    if returncode > 0:
        return f"Runtime exited with error: exit status {returncode}"
    names = {signal.SIGKILL: "killed", signal.SIGSEGV: "segmentation fault",
             signal.SIGABRT: "aborted", signal.SIGTERM: "terminated"}  # fmt: skip
    try:
        sig = signal.Signals(-returncode)
        return f"Runtime exited with error: signal: {names.get(sig, sig.name)}"
    except ValueError:
        return f"Runtime exited with error: signal {-returncode}"


class ProcessExited(Exception):
    def __init__(self, returncode: int):
        super().__init__(exit_reason(returncode))
        self.returncode = returncode


class NotDelivered(Exception):
    """The process died before it took the invocation: nothing ran, it can go to a new one."""


class InitError(Exception):
    """The runtime reported that the function could not be initialised (POST /init/error)."""

    def __init__(self, payload: bytes):
        super().__init__("function initialisation failed")
        self.payload = payload


def settle(future: Future, result=None, exception: BaseException | None = None) -> None:
    """Completes a future unless something else already did (first outcome wins)."""
    try:
        if exception is not None:
            future.set_exception(exception)
        else:
            future.set_result(result)
    except InvalidStateError:
        pass


class RuntimeApi:
    def __init__(self, name: str):
        # Resolved when the runtime first asks for an invocation (the handler module is loaded),
        # failed with InitError on /init/error, or by abort() when the process is gone.
        self.started: Future[bool] = Future()
        self._invocations: queue.Queue[Invocation | None] = queue.Queue()
        # request id -> future of ("response" | "error", body)
        self._pending: dict[str, Future] = {}
        self._aborted: BaseException | None = None
        self._delivered: set[str] = set()  # request ids the runtime took with GET /next
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.api = self
        threading.Thread(
            target=self._server.serve_forever, name=f"lambda-runtime-api-{name}", daemon=True
        ).start()

    @property
    def address(self) -> str:
        host, port = self._server.server_address[:2]
        return f"{host}:{port}"

    def submit(self, invocation: Invocation) -> Future:
        """Queues an invocation for the runtime's GET /next; the future gets its outcome."""
        future = Future()
        with self._lock:
            if self._aborted:  # the process died before this invocation came in
                settle(future, exception=NotDelivered())
                return future
            self._pending[invocation.request_id] = future
        self._invocations.put(invocation)
        return future

    def abort(self, exception: BaseException) -> None:
        """The process is gone: fail the startup and every invocation still waiting."""
        settle(self.started, exception=exception)
        with self._lock:
            self._aborted = exception
            pending, self._pending = self._pending, {}
            delivered = self._delivered
        for request_id, future in pending.items():
            settle(future, exception=exception if request_id in delivered else NotDelivered())

    def close(self) -> None:
        self._invocations.put(None)  # releases a GET /next still waiting
        self._server.shutdown()
        self._server.server_close()

    # --- called from request handler threads

    def _next_invocation(self) -> Invocation | None:
        settle(self.started, result=True)
        invocation = self._invocations.get()
        if invocation:
            with self._lock:
                self._delivered.add(invocation.request_id)
        return invocation

    def _complete(self, request_id: str, kind: str, body: bytes) -> bool:
        with self._lock:
            future = self._pending.pop(request_id, None)
            self._delivered.discard(request_id)
        if future is None:
            return False
        settle(future, result=(kind, body))
        return True


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # a GET /next may wait forever: never join its thread
    block_on_close = False
    api: RuntimeApi

    def handle_error(self, request, client_address):
        # typically a write to a runtime that was just killed: not worth a traceback on stderr
        LOG.debug("Runtime API request from %s failed", client_address, exc_info=True)


class _Handler(BaseHTTPRequestHandler):
    # keep-alive: the runtime reuses one connection for the whole next/response cycle
    protocol_version = "HTTP/1.1"
    # headers and body go out in two writes: without TCP_NODELAY, Nagle's algorithm holds the
    # body back until the runtime's delayed ACK, ~40 ms per invocation
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format, *args):  # no access log on LocalStack's stderr
        pass

    def do_GET(self):
        if self.path != NEXT_PATH:
            return self._reply(404, {"errorType": "NotFound", "errorMessage": self.path})
        invocation = self.server.api._next_invocation()  # blocks until there is one
        if invocation is None:  # the server is closing
            self.close_connection = True
            return self._reply(410, {"errorType": "Gone", "errorMessage": "runtime API closed"})
        self._reply(
            200,
            invocation.payload,
            {
                "Lambda-Runtime-Aws-Request-Id": invocation.request_id,
                "Lambda-Runtime-Deadline-Ms": str(invocation.deadline_ms),
                "Lambda-Runtime-Invoked-Function-Arn": invocation.function_arn,
                "Lambda-Runtime-Trace-Id": invocation.trace_id,
            },
        )

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path == INIT_ERROR_PATH:
            settle(self.server.api.started, exception=InitError(body))
            return self._reply(202, {"status": "OK"})
        if match := RESULT_PATH.fullmatch(self.path):
            if self.server.api._complete(match[1], match[2], body):
                return self._reply(202, {"status": "OK"})
            return self._reply(
                400, {"errorType": "InvalidRequestID", "errorMessage": "unknown request id"}
            )
        self._reply(404, {"errorType": "NotFound", "errorMessage": self.path})

    def _reply(self, status: int, body: bytes | dict, headers: dict[str, str] | None = None):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)
