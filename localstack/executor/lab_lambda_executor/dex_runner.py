"""Runs AWS's dex-local-runner as the local stack's durable execution service.

Run by the durable service's own venv (localstack/durable/requirements.txt), not LocalStack's;
started by durable_service.py inside LocalStack's process group. What it adjusts, all of it to
what the runner allows or keeps, none of what it does:
- its thread pools are capped at min(32, cores + 4) with no option to raise them: a 100-wide
  fan-out would run 6 task invokes at a time on 2 cores. LAB_DEX_THREADS sets the cap, and the
  connection pool of its Lambda clients (botocore's default of 10) to match: with 10, every
  Invoke past the tenth opened and dropped a connection to LocalStack ("Connection pool is
  full");
- chained invokes need every target named in --function-configs beforehand; on Lambda any
  function the role may invoke can be. A target it has no entry for is taken as a plain (not
  durable) function, and LocalStack's Invoke answers for it (ResourceNotFoundException when it
  does not exist);
- it sends each chained invoke once (boto3 with no retries), so a target throttled past the local
  stack's Lambda concurrency (TooManyRequestsException) fails its operation. Lambda's durable
  backend invokes targets on the execution's behalf, as its asynchronous invocations do, and
  those retry throttles rather than fail; AWS's durable docs do not say, so that much is assumed
  here. A throttled chained invoke is retried, with jittered backoff, for up to
  LAB_DEX_THROTTLE_RETRY_S (60 s);
- its history renumbers events with ``Event.from_event_with_id``, which copies every field but
  ``InvocationCompletedDetails``: the history then says when each orchestrator invocation ended
  but not when it started, which Lambda's does. Renumbered with ``dataclasses.replace`` instead;
- its access log (a line per request) is off: under a burst it took CPU the executions needed.
It also exits when LocalStack, its parent, is gone, so it never outlives the stack.
"""

import logging
import os
import random
import sys
import threading
import time

THROTTLED = "TooManyRequestsException"


def main() -> int:
    import dataclasses

    from aws_durable_execution_sdk_python_testing import child_dispatcher, invoker, model, threads
    from aws_durable_execution_sdk_python_testing.cli import main as dex_main

    cap = int(os.environ.get("LAB_DEX_THREADS", "256"))
    threads.default_max_workers = lambda: cap
    config = invoker.Config
    invoker.Config = lambda **options: config(max_pool_connections=cap, **options)

    lookup = child_dispatcher.FunctionConfigs.lookup

    def lookup_or_plain(self, function_name, qualifier):
        found = lookup(self, function_name, qualifier)
        return found if found is not None else child_dispatcher.FunctionConfig(is_durable=False)

    child_dispatcher.FunctionConfigs.lookup = lookup_or_plain

    invoke_once = child_dispatcher.invoke_function
    retry_for_s = float(os.environ.get("LAB_DEX_THROTTLE_RETRY_S", "60"))

    def invoke_retrying_throttles(*args, **kwargs):
        deadline = time.monotonic() + retry_for_s
        pause = 0.05
        while True:
            outcome = invoke_once(*args, **kwargs)
            throttled = outcome.error is not None and outcome.error.type == THROTTLED
            if not throttled or time.monotonic() + pause > deadline:
                return outcome
            time.sleep(pause * (1 + random.random()))
            pause = min(pause * 2, 2.0)

    child_dispatcher.invoke_function = invoke_retrying_throttles

    model.Event.from_event_with_id = classmethod(
        lambda cls, event, event_id: dataclasses.replace(event, event_id=event_id)
    )

    parent = os.getppid()

    def exit_with_parent() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=exit_with_parent, daemon=True).start()
    # A line per request (hundreds a second under a burst, 100 MB in minutes) costs the service's
    # one process CPU the executions need; its errors and the executor's warnings stay.
    logging.getLogger("aws_durable_execution_sdk_python_testing.web.server").setLevel(logging.WARNING)
    return dex_main()


if __name__ == "__main__":
    sys.exit(main())
