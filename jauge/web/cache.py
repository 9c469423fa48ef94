"""Computed answers kept while the store is unchanged, computed once under load.

The index of an organisation is the same until some process writes to the store, so
the server keys every cached answer by the store's data version (see
``StoreGate.data_version``): an import, a sync or an enrichment run by the CLI changes
it, and the next request recomputes. When fifty clients ask for the same cold answer at
once, one computes it and the others wait for that result.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Answer:
    """A computed answer, kept both as data (for the pages) and as the JSON the API sends,
    so a cached answer costs no serialisation."""

    data: Any
    body: bytes

    @classmethod
    def of(cls, data: Any) -> Answer:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
        return cls(data, text.encode("utf-8"))


class ResultCache:
    def __init__(self, size: int = 8192) -> None:
        self.size = size
        self._done: OrderedDict[Hashable, Any] = OrderedDict()
        self._running: dict[Hashable, Future[Any]] = {}
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def computing(self) -> int:
        """How many answers are being computed right now."""
        with self._lock:
            return len(self._running)

    def peek(self, key: Hashable) -> Any:
        """The value if it is ready, else None (never computes, never waits)."""
        with self._lock:
            if key in self._done:
                self._done.move_to_end(key)
                self.hits += 1
                return self._done[key]
        return None

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._done[key] = value
            self._done.move_to_end(key)
            while len(self._done) > self.size:
                self._done.popitem(last=False)

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._done:
                self._done.move_to_end(key)
                self.hits += 1
                return self._done[key]
            running = self._running.get(key)
            if running is None:
                running = Future()
                self._running[key] = running
                owner = True
                self.misses += 1
            else:
                owner = False
        if not owner:
            return running.result()
        try:
            value = compute()
        except BaseException as exc:
            with self._lock:
                del self._running[key]
            running.set_exception(exc)
            raise
        with self._lock:
            del self._running[key]
            self._done[key] = value
            while len(self._done) > self.size:
                self._done.popitem(last=False)
        running.set_result(value)
        return value
