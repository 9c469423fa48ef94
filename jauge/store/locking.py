"""Sharing one store file between processes: the CLI and the web server take turns.

DuckDB lets one process at a time open a file for writing. jauge's processes therefore
wait for each other instead of failing: a process that finds the file locked retries
for up to ``JAUGE_LOCK_WAIT`` seconds and, while it waits, leaves a small marker file
beside the store (``<store>.wait-<pid>``). The web server holds the store only while
requests are in flight and lets go as soon as it sees a marker, so a command run next
to a busy server gets its turn within one request's time.
"""

from __future__ import annotations

import os
import re
import time
from contextlib import suppress
from pathlib import Path

import duckdb

from .. import settings
from ..errors import StoreError
from ..i18n import _

_HOLDER = re.compile(r"\(PID (\d+)\)")


def is_lock_conflict(exc: BaseException) -> bool:
    return isinstance(exc, duckdb.IOException) and "lock" in str(exc).lower()


def _marker(path: str) -> Path:
    return Path(f"{path}.wait-{os.getpid()}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def waiting_processes(path: str) -> list[int]:
    """The other processes waiting for this store (stale markers are cleared)."""
    found = []
    for marker in Path(path).parent.glob(Path(path).name + ".wait-*"):
        try:
            pid = int(marker.name.rsplit("-", 1)[1])
        except ValueError:
            continue
        if pid == os.getpid():
            continue
        if _alive(pid):
            found.append(pid)
        else:
            with suppress(OSError):
                marker.unlink()
    return found


def connect_waiting(
    path: str, *, read_only: bool = False, wait: float | None = None
) -> duckdb.DuckDBPyConnection:
    """Open ``path``, waiting while another process holds it (up to ``wait`` seconds,
    default ``JAUGE_LOCK_WAIT``)."""
    limit = settings.LOCK_WAIT.seconds() if wait is None else wait
    deadline = time.monotonic() + limit
    marker: Path | None = None
    delay = 0.02
    try:
        while True:
            try:
                return duckdb.connect(path, read_only=read_only)
            except duckdb.Error as exc:
                if not is_lock_conflict(exc):
                    raise StoreError(
                        _("cannot open the store {path}: {reason}", path=path, reason=exc)
                    ) from exc
                if time.monotonic() + delay > deadline:
                    holder = _HOLDER.search(str(exc))
                    who = _(" (process {pid})", pid=holder.group(1)) if holder else ""
                    raise StoreError(
                        _(
                            "the store {path} is in use by another jauge process{who} and stayed "
                            "busy for {seconds} s: wait for it to finish, or raise JAUGE_LOCK_WAIT",
                            path=path,
                            who=who,
                            seconds=f"{limit:g}",
                        )
                    ) from exc
                if marker is None:
                    marker = _marker(path)
                    with suppress(OSError):
                        marker.write_text(str(os.getpid()))
                time.sleep(delay)
                delay = min(delay * 1.5, 0.25)
    finally:
        if marker is not None:
            with suppress(OSError):
                marker.unlink()
