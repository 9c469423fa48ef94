"""Computed answers kept while the store is unchanged, computed once under load.

The index of an organisation is the same until some process writes to the store, so
the server keys every cached answer by the store's data version (see
``StoreGate.data_version``): an import, a sync or an enrichment run by the CLI changes
it, and the next request recomputes. When fifty clients ask for the same cold answer at
once, one computes it and the others wait for that result.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from typing import Any


class ResultCache:
    def __init__(self, size: int = 512) -> None:
        self.size = size
        self._done: OrderedDict[Hashable, Any] = OrderedDict()
        self._running: dict[Hashable, Future[Any]] = {}
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

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
