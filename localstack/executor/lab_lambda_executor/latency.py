"""Modelled AWS latency for the executor (the project's `--profile aws`).

The figures, their sources and the sampling live in the project's TypeScript
(lib/latency/profiles.ts): the local stack writes the draws it wants into the JSON file named by
LAB_LATENCY_FILE, and this module hands them out in order, from the start again whenever the file
changes. So a seed gives the same sequence of delays on both sides, and no figure is written twice.

File: {"profile": "aws", "invokeHopMs": [12.3, ...], "initMs": [131.0, ...]}; missing or
unreadable, or profile "local": no delay.
"""

import json
import logging
import os
import threading

LOG = logging.getLogger(__name__)


class LatencyDraws:
    def __init__(self, path: str | None):
        self._path = path
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._draws: dict[str, list[float]] = {}
        self._next: dict[str, int] = {}

    def next_ms(self, kind: str) -> float:
        """The next draw of `kind` ("invokeHopMs" or "initMs") in ms, 0 without a profile."""
        with self._lock:
            self._reload_if_changed()
            draws = self._draws.get(kind) or []
            if not draws:
                return 0.0
            index = self._next.get(kind, 0)
            self._next[kind] = index + 1
            return float(draws[index % len(draws)])

    def _reload_if_changed(self) -> None:
        if not self._path:
            return
        try:
            info = os.stat(self._path)
        except OSError:
            self._stamp, self._draws = None, {}
            return
        stamp = (info.st_mtime_ns, info.st_size)
        if stamp == self._stamp:
            return
        self._stamp, self._next = stamp, {}
        try:
            with open(self._path, encoding="utf-8") as file:
                content = json.load(file)
            aws = content.get("profile") == "aws"
            self._draws = {
                kind: [float(value) for value in content.get(kind, [])] if aws else []
                for kind in ("invokeHopMs", "initMs")
            }
        except (OSError, ValueError, TypeError, AttributeError) as error:
            LOG.warning("latency file %s unreadable (%s): no delay added", self._path, error)
            self._draws = {}


LATENCY = LatencyDraws(os.environ.get("LAB_LATENCY_FILE"))
