"""Sharing one store file between processes: the CLI and the web server take turns.

DuckDB lets one process at a time open a file for writing. jauge's processes therefore
wait for each other instead of failing: a process that finds the file locked retries
for up to ``JAUGE_LOCK_WAIT`` seconds and, while it waits, leaves a small marker file
beside the store (``<store>.wait-<pid>``). The web server holds the store only while
requests are in flight and lets go as soon as it sees a marker, so a command run next
to a busy server gets its turn within one request's time.

A process still waiting after a moment says so, once, as a warning of the
``jauge.store.locking`` logger: with logging left unconfigured (the CLI), one line on
standard error, so that a command waiting up to two minutes is not taken for a hung one.
"""

from __future__ import annotations

import logging
import os
import re
import time
from contextlib import suppress
from pathlib import Path

import duckdb

from .. import settings
from ..errors import ReadOnlyStoreError, StoreError
from ..i18n import _, number

_HOLDER = re.compile(r"\(PID (\d+)\)")

logger = logging.getLogger(__name__)

#: seconds of waiting before saying so: taking turns with the web server is quicker (it
#: lets go within one request), and would otherwise be announced at every command
NOTICE_AFTER = 1.0


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


#: what every DuckDB database file holds at byte 8
DUCKDB_MAGIC = b"DUCK"


def refuse_other_files(path: str) -> None:
    """Refuse an existing file that is no DuckDB database: the engine would open a CSV or
    JSON file as a throw-away database in memory, and whatever is written there is lost."""
    store = Path(path)
    if not store.is_file() or store.stat().st_size == 0:
        return  # a new store, or one the engine creates
    with store.open("rb") as f:
        head = f.read(12)
    if head[8:12] != DUCKDB_MAGIC:
        raise StoreError(
            _(
                "{path} is not a jauge store (a DuckDB database file): to import it, name it "
                "after `jauge import`, and give the store with --db",
                path=path,
            )
        )


def unopenable(path: str, exc: duckdb.Error, *, read_only: bool) -> StoreError:
    """Why the engine could not open ``path``, in words where the file system says why:
    the engine's own message names neither a missing folder nor a read-only store."""
    store = Path(path)
    folder = store.parent
    if not folder.is_dir():
        return StoreError(
            _(
                "cannot open the store {path}: the folder {folder} does not exist",
                path=path,
                folder=str(folder),
            )
        )
    # writing takes the file and, beside it, the engine's write-ahead log; os.access
    # also says no on a read-only file system, even to root
    writable = os.access(folder, os.W_OK) and (not store.exists() or os.access(store, os.W_OK))
    if not read_only and not writable:
        return ReadOnlyStoreError(
            _(
                "cannot write to the store {path}: it is read-only here (a read-only file "
                "system or folder, or no permission to write); commands that only read "
                "it still work",
                path=path,
            )
        )
    if "different configuration" in str(exc):
        # the engine holds one database per file per process: a second handle shares the
        # first one's mode (read-only or not)
        return StoreError(
            _(
                "cannot open the store {path} {mode} here: this process already has it open "
                "{other}; close that handle first, or open both the same way",
                path=path,
                mode=_("read-only") if read_only else _("for writing"),
                other=_("for writing") if read_only else _("read-only"),
            )
        )
    return StoreError(_("cannot open the store {path}: {reason}", path=path, reason=exc))


def connect_waiting(
    path: str, *, read_only: bool = False, wait: float | None = None
) -> duckdb.DuckDBPyConnection:
    """Open ``path``, waiting while another process holds it (up to ``wait`` seconds,
    default ``JAUGE_LOCK_WAIT``)."""
    refuse_other_files(path)
    limit = settings.LOCK_WAIT.seconds() if wait is None else wait
    started = time.monotonic()
    deadline = started + limit
    marker: Path | None = None
    announced = False
    delay = 0.02
    try:
        while True:
            try:
                return duckdb.connect(path, read_only=read_only)
            except duckdb.Error as exc:
                if not is_lock_conflict(exc):
                    raise unopenable(path, exc, read_only=read_only) from exc
                holder = _HOLDER.search(str(exc))
                who = _(" (process {pid})", pid=holder.group(1)) if holder else ""
                if time.monotonic() + delay > deadline:
                    raise StoreError(
                        _(
                            "the store {path} is in use by another jauge process{who} and stayed "
                            "busy for {seconds} s: wait for it to finish, or raise JAUGE_LOCK_WAIT",
                            path=path,
                            who=who,
                            seconds=number(limit, "g"),
                        )
                    ) from exc
                if marker is None:
                    marker = _marker(path)
                    with suppress(OSError):
                        marker.write_text(str(os.getpid()))
                if not announced and time.monotonic() - started >= NOTICE_AFTER:
                    announced = True
                    logger.warning(
                        _(
                            "the store {path} is in use by another jauge process{who}: "
                            "waiting for it, {seconds} s at most (JAUGE_LOCK_WAIT)",
                            path=path,
                            who=who,
                            seconds=number(limit, "g"),
                        )
                    )
                time.sleep(delay)
                delay = min(delay * 1.5, 0.25)
    finally:
        if marker is not None:
            with suppress(OSError):
                marker.unlink()
