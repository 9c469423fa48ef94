"""The web server's hold on the store: open while requests are in flight, let go for others.

DuckDB gives one process at a time the store file. The server keeps it open while it
answers requests (every request thread gets its own cursor on the one database) and
closes it when it has been idle for a moment, or as soon as a jauge command waiting
for the file leaves its marker (see ``jauge.store.locking``). Requests that arrive
while a command holds the file wait for it, up to ``JAUGE_LOCK_WAIT`` seconds.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from .. import settings
from ..store.duckdb_store import Store
from ..store.locking import waiting_processes

#: seconds the store stays open after the last request, so a busy server does not
#: reopen it for every request
LINGER = 0.5
_POLL = 0.02


class StoreGate:
    def __init__(self, path: str, *, lock_wait: float | None = None) -> None:
        self.path = path
        self.lock_wait = settings.LOCK_WAIT.seconds() if lock_wait is None else lock_wait
        self._cond = threading.Condition()
        self._store: Store | None = None
        self._active = 0
        self._idle_since = time.monotonic()
        self._stopped = threading.Event()
        self._reaper = threading.Thread(target=self._reap, name="jauge-store-gate", daemon=True)
        self._reaper.start()

    @contextmanager
    def store(self) -> Iterator[Store]:
        """A cursor on the open store for the current request."""
        cursor = self.acquire()
        try:
            yield cursor
        finally:
            self.release(cursor)

    def release(self, cursor: Store) -> None:
        """Give back a cursor from ``acquire`` (quick: never waits)."""
        cursor.close()
        with self._cond:
            self._active -= 1
            if self._active == 0:
                self._idle_since = time.monotonic()
            self._cond.notify_all()

    def acquire(self) -> Store:
        """A cursor on the store, opening it (and waiting for another process) if needed;
        call from a worker thread, never from the event loop."""
        with self._cond:
            if self._store is not None and waiting_processes(self.path):
                self._yield_turn()
            if self._store is None:
                self._store = Store(
                    self.path,
                    memory_limit=settings.MEMORY_LIMIT.memory(),
                    threads=settings.THREADS.whole(),
                    lock_wait=self.lock_wait,
                )
            self._active += 1
            return self._store.cursor()

    def _yield_turn(self) -> None:
        """Let the waiting command have the file: finish the requests in flight, close,
        and wait until it has taken the file (its marker goes) before opening again."""
        while self._active:
            self._cond.wait()
        self._close()
        deadline = time.monotonic() + self.lock_wait
        while waiting_processes(self.path) and time.monotonic() < deadline:
            time.sleep(_POLL)

    def _close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def _reap(self) -> None:
        while not self._stopped.wait(0.05):
            with self._cond:
                idle = self._active == 0 and self._store is not None
                if idle and (
                    time.monotonic() - self._idle_since > LINGER or waiting_processes(self.path)
                ):
                    self._close()

    def data_version(self) -> tuple[int, ...]:
        """Changes whenever any process writes to the store (file and write-ahead log)."""
        version: list[int] = []
        for name in (self.path, self.path + ".wal"):
            try:
                st = os.stat(name)
            except OSError:
                version += [0, 0]
                continue
            version += [st.st_mtime_ns, st.st_size]
        return tuple(version)

    def close(self) -> None:
        self._stopped.set()
        with self._cond:
            while self._active:
                self._cond.wait()
            self._close()
