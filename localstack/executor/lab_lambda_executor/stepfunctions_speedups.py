"""Three computations LocalStack 4.14.0's Step Functions interpreter repeats, done once.

Profiled with py-spy (the thread holding the GIL, Parallels of 200 and 1,000 Lambda tasks, 2026-12):
- ``extract_json`` parses its JSONPath anew at every evaluation, and jsonpath_ng builds a whole LR
  parser each time (17 % of LocalStack's busy core);
- ``boto_client_for`` builds a new internal client for every Lambda task, copying its
  configuration (20-26 %);
- every execution parses its state machine's definition again with the ANTLR grammar (~17 % for
  a 1,000-branch definition).
A parsed path is an immutable expression of its text; a client depends only on the service, the
region and the execution role; a parsed definition is a tree of components that keep their
evaluation state in each execution's environment (the one exception, a retrier's key into that
environment, is drawn once here before the tree is shared). What the interpreter computes is
unchanged; it only stops redoing it. Loaded as a LocalStack ``on_infra_start`` hook (pyproject).
"""

import functools
import logging
import sys
import threading

from localstack.runtime import hooks

LOG = logging.getLogger(__name__)

_PACKAGE = "localstack.services.stepfunctions"


def _replace(module, name: str, replacement) -> None:
    """Replaces `module.name`, and every copy a Step Functions module already imported by name."""
    original = getattr(module, name)
    setattr(module, name, replacement)
    for loaded in list(sys.modules.values()):
        if getattr(loaded, "__name__", "").startswith(_PACKAGE) and (
            getattr(loaded, name, None) is original
        ):
            setattr(loaded, name, replacement)


def _reusing_clients(build):
    clients = {}
    lock = threading.Lock()

    @functools.wraps(build)
    def boto_client_for(service, region, state_credentials):
        key = (service, region, state_credentials.role_arn)
        with lock:
            client = clients.get(key)
        if client is None:
            client = build(service, region, state_credentials)
            with lock:
                client = clients.setdefault(key, client)
        return client

    return boto_client_for


def _shareable(parsed):
    """Draws every component's heap key (lazily drawn otherwise, racing between executions)."""
    from localstack.services.stepfunctions.asl.component.component import Component
    from localstack.services.stepfunctions.asl.component.eval_component import EvalComponent

    seen = set()
    pending = [parsed[0]]
    while pending:
        node = pending.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, (list, tuple)):
            pending.extend(node)
        elif isinstance(node, Component):
            if isinstance(node, EvalComponent):
                _ = node.heap_key
            pending.extend(getattr(node, "__dict__", {}).values())
    return parsed


def _parsing_once(parse):
    @functools.lru_cache(maxsize=256)
    def parse_definition(definition: str):
        return _shareable(parse(definition))

    return parse_definition


@hooks.on_infra_start()
def reuse_parsed_json_paths_and_clients() -> None:
    try:
        from localstack.services.stepfunctions.asl.component.common.path import result_path
        from localstack.services.stepfunctions.asl.parse.asl_parser import (
            AmazonStateLanguageParser,
        )
        from localstack.services.stepfunctions.asl.utils import boto_client, json_path
    except ImportError:  # Step Functions not installed: nothing to speed up
        return
    _replace(json_path, "parse", functools.lru_cache(maxsize=8192)(json_path.parse))
    _replace(result_path, "parse", functools.lru_cache(maxsize=8192)(result_path.parse))
    _replace(boto_client, "boto_client_for", _reusing_clients(boto_client.boto_client_for))
    AmazonStateLanguageParser.parse = staticmethod(_parsing_once(AmazonStateLanguageParser.parse))
    LOG.debug("Step Functions: parsed definitions, JSONPath parses and internal clients are reused")
