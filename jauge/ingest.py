"""Importing files: one transaction per file, every row checked before anything is written.

This is the one place where a source, the staging area and the merge meet. A
file is written whole or not at all: if any row is invalid (and
``skip_invalid`` is off), or the file turns out to be unreadable half-way
(a truncated gzip, say), the transaction is rolled back and the store is as it
was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from contextlib import suppress
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import duckdb

from . import settings
from .errors import (
    ConfigError,
    ConnectorError,
    InputError,
    RowError,
    UsageError,
    is_interruption,
)
from .i18n import N_, _, localised, plural
from .sources import registry
from .sources.base import ImportOptions, StageReport
from .sources.detect import detect_source
from .sources.file_bytes import Progress
from .sources.read_errors import import_out_of_memory, short_reason
from .store.duckdb_store import Store, utcnow
from .store.ids import make_id
from .store.merge import Staging
from .store.stage import MergeContext, StageTable

MAX_LISTED_ERRORS = 20
#: how far after now an observation time may be: an export dated "today" in a time zone
#: ahead of UTC is still today somewhere
OBSERVED_AT_SLACK = timedelta(days=1)


@dataclass
class FileResult:
    """What importing one file did."""

    path: str
    source: str
    status: str  # "written" or "rejected"
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    invalid: int = 0
    snapshots: int = 0
    interactions: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["errors"] = [e.shown() for e in self.errors]
        data["warnings"] = [localised(w) for w in self.warnings]
        return data


@dataclass
class ImportResult:
    """What importing several files did: the contract of ``jauge import --format json``."""

    files: list[FileResult]

    @property
    def ok(self) -> bool:
        return all(f.status == "written" for f in self.files)

    def total(self, name: str) -> int:
        return sum(int(getattr(f, name)) for f in self.files)

    @property
    def errors(self) -> list[RowError]:
        return [e for f in self.files for e in f.errors]

    def to_dict(self) -> dict[str, Any]:
        return {
            "inserted": self.total("inserted"),
            "updated": self.total("updated"),
            "unchanged": self.total("unchanged"),
            "invalid": self.total("invalid"),
            "errors": [e.shown() for e in self.errors],
            "files": [f.to_dict() for f in self.files],
        }


ProgressFactory = Callable[[str, int], Progress | None]


def import_files(
    store: Store,
    paths: Iterable[str],
    source: str | None,
    options: ImportOptions,
    progress: ProgressFactory | None = None,
    labels: Mapping[str, str] | None = None,
) -> ImportResult:
    """Import each of ``paths`` with ``source`` (None: the source each file's content
    fits, see :mod:`jauge.sources.detect`), each file all or nothing. ``labels`` names
    a file in results and errors when its path is not what the user knows it by (an
    upload saved to a temporary folder)."""
    check_observed_at(options.observed_at)
    paths = list(paths)
    results = []
    with store.memory_limited(settings.IMPORT_MEMORY_LIMIT.memory()):
        for path in paths:
            label = (labels or {}).get(path, path)
            try:
                results.append(import_file(store, path, source, options, progress, label))
            except (ConfigError, ConnectorError) as exc:
                if len(paths) == 1:
                    raise  # the call's own error (jauge import: see refused_alone)
                # in a batch, the other files go on, and the result says which one failed
                read_as = exc.source or source or ""
                results.append(_refused(store, label, read_as, options, str(exc)))
    return ImportResult(results)


def refused_alone(
    store: Store, path: str, source: str | None, options: ImportOptions, reason: str
) -> ImportResult:
    """What a batch says of a file it could not read as asked (``reason``: the error
    :func:`import_files` raises for a single file), said of a single file: ``jauge
    import`` prints the same summary whatever the number of files."""
    return ImportResult([_refused(store, path, source or "", options, reason)])


def _refused(
    store: Store, label: str, source: str, options: ImportOptions, reason: str
) -> FileResult:
    """A file of a batch that could not be read as asked (an option it needs, a URL that
    cannot be reached): rejected whole, kept in the history like any rejected file."""
    result = FileResult(path=label, source=source, status="rejected", error_count=1)
    result.errors = [RowError(label, None, None, reason)]
    started = utcnow()
    import_id = make_id(options.workspace, source, label, started.isoformat())
    _record_rejected(store, import_id, label, source, options, started, result)
    return result


def import_file(
    store: Store,
    path: str,
    source: str | None,
    options: ImportOptions,
    progress: ProgressFactory | None = None,
    label: str | None = None,
) -> FileResult:
    """Import one file; a rejected file comes back with its errors, never half-written."""
    try:
        name = source or detect_source(path, options)
    except InputError as exc:
        # refused like a file its source cannot read: in the results and the history
        refused = InputError(label or path, exc.reason, line=exc.line)

        def unrecognised(staging: StageTable) -> StageReport:
            raise refused

        return ingest(store, label or path, "", options, unrecognised)
    src = registry.get(name)  # an unknown source is the call's own error
    try:
        result = ingest(
            store,
            label or path,
            name,
            options,
            lambda staging: src.stage(path, options, staging, _progress_for(progress, path)),
            src.stages,
        )
        if source is None:
            result.warnings.insert(
                0,
                N_("read as {source}, the source its content fits (--source chooses)").format(
                    source=name
                ),
            )
        return result
    except InputError as exc:
        if label is None or exc.file == label:
            raise
        raise InputError(label, exc.reason, line=exc.line) from exc
    except (ConfigError, ConnectorError) as exc:
        # refused whole by the source it was read as (an option it needs): the result
        # names that source, as it names it for a file refused row by row
        exc.source = name
        raise


def ingest(
    store: Store,
    label: str,
    source: str,
    options: ImportOptions,
    stage: Callable[[StageTable], StageReport],
    stages: type[StageTable] = Staging,
) -> FileResult:
    """Stage with ``stage`` and merge, all in one transaction: the one path every file and
    every live sync takes into the store. ``label`` names the input in errors."""
    started = utcnow()
    import_id = make_id(options.workspace, source, label, started.isoformat())
    result = FileResult(path=label, source=source, status="rejected")
    try:
        with store.transaction() as con:
            staging = stages(con, options.workspace)
            report = stage(staging)
            result.warnings = report.warnings
            result.rows = staging.rows() + len(report.malformed)
            errors, error_count = _row_errors(label, staging, report)
            result.invalid = staging.invalid_rows() + len(report.malformed)
            result.errors, result.error_count = errors, error_count
            if result.invalid and not options.skip_invalid:
                raise _Rejected()
            if result.invalid and result.invalid >= result.rows:
                # skipping every row would report the file "written" with nothing in it,
                # which a script cannot tell from success
                result.errors.insert(
                    0,
                    RowError(
                        label,
                        None,
                        None,
                        N_(
                            "no row is valid: --skip-invalid imports the valid rows, and there "
                            "are none"
                        ),
                    ),
                )
                result.error_count += 1
                raise _Rejected()
            counts = staging.merge(
                MergeContext(
                    import_id=import_id,
                    source=source,
                    observed_at=options.observed_at or started,
                )
            )
            result.inserted, result.updated, result.unchanged = (
                counts.inserted,
                counts.updated,
                counts.unchanged,
            )
            result.snapshots, result.interactions = counts.snapshots, counts.interactions
            if counts.repeated:
                result.warnings.append(
                    plural(
                        N_("{count} row gives an item a later row gives again: the last is kept"),
                        N_(
                            "{count} rows give an item a later row gives again: the last of "
                            "each is kept"
                        ),
                        counts.repeated,
                        "en",  # kept in English, shown in the reader's language
                    ).format(count=counts.repeated)
                )
            for was, now, count in counts.moved:
                result.warnings.append(
                    plural(
                        N_(
                            "{count} item stored under {was} now belongs to {now}, as this "
                            "file says (an item belongs to one organisation)"
                        ),
                        N_(
                            "{count} items stored under {was} now belong to {now}, as this "
                            "file says (an item belongs to one organisation)"
                        ),
                        count,
                        "en",
                    ).format(count=count, was=repr(was), now=repr(now))
                )
            store.record_import(
                {
                    "import_id": import_id,
                    "workspace": options.workspace,
                    "source": source,
                    "path": label,
                    "sha256": report.sha256,
                    "org": options.org,
                    "started_at": started,
                    "rows_read": result.rows,
                    "inserted": result.inserted,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                    "invalid": result.invalid,
                }
            )
            staging.drop()
            result.status = "written"
    except _Rejected:
        _record_rejected(store, import_id, label, source, options, started, result)
    except InputError as exc:
        if is_interruption(exc):
            raise  # Ctrl-C while reading: not the file's fault, nothing to keep of it
        # named as the user named the input (an upload's own name, not the server's copy)
        result.errors = [replace(e, file=label) for e in exc.errors]
        result.error_count = len(exc.errors)
        _record_rejected(store, import_id, label, source, options, started, result)
    except duckdb.OutOfMemoryException as exc:
        # merging a file takes memory too: the same advice as reading it
        result.errors = [RowError(label, None, None, import_out_of_memory(short_reason(str(exc))))]
        result.error_count = 1
        _record_rejected(store, import_id, label, source, options, started, result)
    except UnicodeError as exc:
        # the text cannot be decoded as the encoding given (UTF-16 without its BOM...)
        encoding = options.encoding or getattr(exc, "encoding", None) or "?"
        reason = exc.reason if isinstance(exc, UnicodeDecodeError) else str(exc)
        result.errors = [
            RowError(
                label,
                None,
                None,
                N_(
                    "cannot be read as {encoding} ({reason}): give its encoding with --encoding"
                ).format(encoding=encoding, reason=reason),
            )
        ]
        result.error_count = 1
        _record_rejected(store, import_id, label, source, options, started, result)
    return result


def _record_rejected(
    store: Store,
    import_id: str,
    label: str,
    source: str,
    options: ImportOptions,
    started: datetime,
    result: FileResult,
) -> None:
    """Keep the attempt and its first errors in the history (none of its data). Under a
    memory limit too low even for that row, the result alone says why."""
    with suppress(duckdb.OutOfMemoryException):
        store.record_import(
            {
                "import_id": import_id,
                "workspace": options.workspace,
                "source": source,
                "path": label,
                "sha256": None,
                "org": options.org,
                "started_at": started,
                "rows_read": result.rows,
                "inserted": 0,
                "updated": 0,
                "unchanged": 0,
                "invalid": result.invalid or result.error_count,
            },
            status="rejected",
            errors=[e.to_dict() for e in result.errors],
        )


class _Rejected(Exception):
    """Internal: roll the file back, its errors are already in the result."""


def _progress_for(factory: ProgressFactory | None, path: str) -> Progress | None:
    if factory is None:
        return None
    try:
        from pathlib import Path

        size = Path(path).stat().st_size
    except OSError:
        return None
    return factory(path, size)


def _row_errors(path: str, staging: StageTable, report: StageReport) -> tuple[list[RowError], int]:
    """The first errors of the file, each with its line, and how many there are in all."""
    staged, staged_total = staging.errors(MAX_LISTED_ERRORS)
    lines = report.lines([row for row, _, _ in staged]) if staged else {}
    errors = [RowError(path, lines.get(row), field, message) for row, field, message in staged]
    errors += [RowError(path, m.line, None, m.message) for m in report.malformed]
    errors.sort(key=lambda e: (e.line is None, e.line or 0))
    return errors[:MAX_LISTED_ERRORS], staged_total + len(report.malformed)


def parse_when(value: str | None) -> datetime | None:
    """An ISO date or date-time given on the command line, as naive UTC."""
    if value is None:
        return None
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


def check_observed_at(when: datetime | None) -> None:
    """Refuse (UsageError) an observation time more than a day after now. The index reads
    each count's latest ``observed_at``, so an export dated in the future (2105 typed for
    2015) would stay the latest counts for ever, whatever is imported after it. Every
    import (``jauge import``, the Python API, the dashboard and the HTTP API) goes through
    :func:`import_files`, which calls this before reading anything."""
    if when is None:
        return
    now = utcnow()
    naive = when.astimezone(UTC).replace(tzinfo=None) if when.tzinfo is not None else when
    if naive > now + OBSERVED_AT_SLACK:
        raise UsageError(
            _(
                "the observation time {when} is in the future (now: {now} UTC): give the "
                "date the export was downloaded, and its time to order two exports of the "
                "same day (e.g. 2015-01-12T18:00), or leave it out to date the counts now",
                when=f"{naive:%Y-%m-%d %H:%M}",
                now=f"{now:%Y-%m-%d %H:%M}",
            )
        )
