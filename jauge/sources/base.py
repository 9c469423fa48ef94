"""What every source is: a name, what it reads, and how it stages records.

A source turns one input (a file, a feed) into staged records in a
:class:`~jauge.store.stage.StageTable`. It never writes entities itself: the store
merges what was staged, in the same transaction, once every row has been
checked.
"""

from __future__ import annotations

import difflib
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

import pyarrow as pa

from ..errors import ConfigError, InputError
from ..i18n import N_, _, plural, separated
from ..model import METRICS, STAGE_COLUMNS
from ..store.merge import Staging
from ..store.stage import StageTable
from .convert import Field, build_select, col, expr, pick, settle_readings, staged_readings
from .file_bytes import Progress
from .files import CsvReader, open_tabular
from .tabular import Malformed, TabularReader
from .workbook_reader import SheetLayout

#: the columns a refused file's message names, at most: the rest are counted
FOUND_SHOWN = 12


@dataclass(frozen=True)
class ImportOptions:
    """What the user said about an input, beyond its path."""

    org: str | None = None
    workspace: str = "default"
    platform: str | None = None
    account: str | None = None
    year: int | None = None
    #: the account's audience when its posts were made, for exports that do not give it
    followers: int | None = None
    mapping: Mapping[str, str] = field(default_factory=dict)
    encoding: str | None = None
    delimiter: str | None = None
    skip_invalid: bool = False
    observed_at: datetime | None = None


@dataclass
class StageReport:
    """What staging found besides the staged rows: rows that could not even be parsed,
    and how to find the line of a row."""

    reader: TabularReader | None = None
    malformed: list[Malformed] = field(default_factory=list)
    sha256: str | None = None
    warnings: list[str] = field(default_factory=list)

    def lines(self, row_nos: Iterable[int]) -> dict[int, int]:
        return self.reader.lines(row_nos) if self.reader else {}


class Source(ABC):
    """A registered source; built-in ones register through the ``jauge.sources`` entry point."""

    name: ClassVar[str]
    kind: ClassVar[str]  # "file" for exports, "feed" for feeds, "api" for live connectors
    reads: ClassVar[str]
    example: ClassVar[str]
    #: what its records are staged in: content items, unless the source reads other records
    stages: ClassVar[type[StageTable]] = Staging

    @abstractmethod
    def stage(
        self, path: str, options: ImportOptions, staging: StageTable, progress: Progress | None
    ) -> StageReport:
        """Stage every record of ``path``; raise InputError when the input is unusable."""

    def describe(self) -> dict[str, str]:
        return {"name": self.name, "kind": self.kind, "reads": self.reads, "example": self.example}


@dataclass
class Fetched:
    """What a sync fetched: bytes to stage (None when nothing changed) and the cursor to
    keep once they are committed."""

    data: bytes | None
    cursor: dict[str, str]


class Connector(ABC):
    """A source that collects by itself: ``jauge connect add`` configures it, ``jauge sync``
    runs it. Options are plain text, never secrets (tokens come from environment variables
    the options name)."""

    #: option name -> help, as ``jauge connect add`` takes them (``--url`` ...)
    connector_options: ClassVar[dict[str, str]]

    @abstractmethod
    def fetch(self, options: dict[str, str], cursor: dict[str, str], client: Any) -> Fetched:
        """Fetch what is new since ``cursor`` with the HTTP ``client``."""

    @abstractmethod
    def stage_fetched(
        self, fetched: Fetched, label: str, options: ImportOptions, staging: StageTable
    ) -> StageReport:
        """Stage what :meth:`fetch` brought."""


class TabularSource(Source):
    """A source reading rows of a CSV, XLSX or JSON-lines file and mapping columns to fields.

    Subclasses say which columns they need (:attr:`required`) and how columns
    become staged fields (:meth:`fields`); this class does the reading, the
    renaming asked with ``--map`` and the conversion, batch by batch.
    """

    kind = N_("file")
    #: groups of column names; each group needs at least one of its names present
    required: ClassVar[tuple[tuple[str, ...], ...]] = ()
    #: the groups that tell a file is this source's, when the user does not say (see
    #: detect.py); ``required`` unless a source needs fewer columns than it is known by
    recognised_by: ClassVar[tuple[tuple[str, ...], ...] | None] = None
    #: where the rows are in a workbook, or under notes in a CSV file, when not under the
    #: first line of the first sheet
    layout: ClassVar[SheetLayout | None] = None

    def recognises(self, columns: set[str]) -> bool:
        """Whether a file with these columns is this source's (see detect.py)."""
        groups = self.recognised_by or self.required
        return bool(groups) and all(pick(columns, *group) for group in groups)

    def open(self, path: Path, options: ImportOptions) -> TabularReader:
        layout = self.layout
        if layout is not None and options.mapping:
            # a localised export's header names its columns in the Page's language: the
            # columns the user renames to the header's are looked for too
            renamed = tuple(k for k, v in options.mapping.items() if v in layout.header_with)
            layout = replace(layout, header_with=(*layout.header_with, *renamed))
        return open_tabular(
            path, encoding=options.encoding, delimiter=options.delimiter, layout=layout
        )

    @abstractmethod
    def fields(self, columns: set[str], options: ImportOptions) -> list[Field]:
        """How staged columns are computed from the raw ``columns`` of a batch."""

    def _fields(self, columns: set[str], options: ImportOptions) -> list[Field]:
        """:meth:`fields`, with ``--followers`` for own posts where the file has none."""
        fields = self.fields(columns, options)
        given = {f.target for f in fields if f.sql != "NULL"}
        if options.followers is not None and "followers" not in given:
            own = next((f.sql for f in fields if f.target == "is_own"), "false")
            fields.append(expr("followers", f"CASE WHEN {own} THEN {int(options.followers)} END"))
        return fields

    def finish(self, staging: StageTable, options: ImportOptions, path: str) -> list[str]:
        """Post-process the whole staged file; return warnings for the user (default: none)."""
        return []

    def stage(
        self, path: str, options: ImportOptions, staging: StageTable, progress: Progress | None
    ) -> StageReport:
        reader = self.open(Path(path), options)
        if isinstance(reader, CsvReader) and options.delimiter != reader.delimiter:
            # the file's own, for fields: a file delimited by ";" writes decimal commas
            options = replace(options, delimiter=reader.delimiter)
        if reader.columns:  # JSON lines only know their keys once read (see below)
            _check_mapped_columns(path, set(reader.columns), options)
        if isinstance(reader, CsvReader) and reader.engine_encoding:
            # the fast path: the engine reads the file itself, in parallel
            names = _renamed_names(reader.columns, options.mapping)
            if len(set(names)) != len(names):
                raise _same_name(names)
            self._check_columns(path, set(names), options, reader)
            fields = self._fields(set(names), options)
            unread = unread_mapped(self.name, set(names), fields, options)
            unread += unread_counts(self.name, set(names), fields)
            with reader.engine_reading(staging.con, progress):
                staging.append_scan(
                    reader.engine_scan(names),
                    build_select(fields, staging.record),
                    {f.target for f in fields if f.target and f.sql != "NULL"}
                    | staged_readings(fields),
                )
            settled = settle_readings(staging, fields, path, reader.lines)
            warnings = self.finish(staging, options, path)
            return StageReport(
                reader=reader,
                malformed=reader.malformed,
                sha256=reader.sha256,
                warnings=[*reader.warnings, *settled, *unread, *warnings],
            )
        fields = []  # the last batch's, with the path that reads batches
        columns: set[str] = set()
        stream = reader.stream(progress)
        if stream is not None:
            columns = set(_renamed_names(reader.columns, options.mapping))
            self._check_columns(path, columns, options, reader)
            fields = self._fields(columns, options)
            select = build_select(fields, staging.record)
            if options.mapping:
                stream = _renamed_stream(stream, options.mapping)
            try:
                staging.append(stream, select)
            except Exception:
                failure, reader.failure = reader.failure, None
                if failure is not None:
                    raise failure from None
                raise
        else:
            checked = False
            keys: set[str] = set()  # every key of the file's objects, before --map
            for batch in reader.batches(progress):
                keys |= set(batch.schema.names)
                batch = _renamed(batch, options.mapping)
                columns = set(batch.schema.names)
                if not checked:
                    self._check_columns(path, columns, options, reader)
                    checked = True
                fields = self._fields(columns, options)
                staging.append(batch, build_select(fields, staging.record))
            if not checked and not reader.malformed:
                self._check_columns(path, set(), options, reader)
            if keys:
                # a key no object has (a typo in `--map user.nope=author`) would leave the
                # field empty: every post's author unknown, so read as the organisation's
                _check_mapped_columns(path, keys, options)
        settled = settle_readings(staging, fields, path, reader.lines)
        unread = (
            [
                *unread_mapped(self.name, columns, fields, options),
                *unread_counts(self.name, columns, fields),
            ]
            if fields
            else []
        )
        warnings = self.finish(staging, options, path)
        return StageReport(
            reader=reader,
            malformed=reader.malformed,
            sha256=reader.sha256,
            warnings=[*reader.warnings, *settled, *unread, *warnings],
        )

    def _check_columns(
        self, path: str, columns: set[str], options: ImportOptions, reader: TabularReader
    ) -> None:
        missing = [group for group in self.required if pick(columns, *group) is None]
        if missing:
            # kept in English, said later in the reader's language with its semicolon
            wanted = separated([" or ".join(repr(c) for c in g) for g in missing], "en")
            present = sorted(c for c in columns if c != "row_no")
            found = ", ".join(present[:FOUND_SHOWN])
            if len(present) > FOUND_SHOWN:  # cut: the columns not named are there too
                found = N_("{names}, … and {count} more").format(
                    names=found, count=len(present) - FOUND_SHOWN
                )
            message = plural(
                N_(
                    "this does not look like a {source} file: it lacks the column {wanted} "
                    "(found: {found}). Check --source, or rename columns with --map COLUMN=FIELD"
                ),
                N_(
                    "this does not look like a {source} file: it lacks the columns {wanted} "
                    "(found: {found}). Check --source, or rename columns with --map COLUMN=FIELD"
                ),
                len(missing),
                "en",
            ).format(source=self.name, wanted=wanted, found=found)
            if reader.sheet is not None:
                # a workbook of several sheets: the user sees which one was read
                message = N_(
                    "{message} (in the sheet {sheet}, whose header is on row {line})"
                ).format(message=message, sheet=repr(reader.sheet), line=reader.header_line)
            raise InputError(path, message, line=reader.header_line)


#: the columns jauge's generic posts format reads as counts (docs/sources.md): a file that
#: has them under these names holds counts, whatever source it is imported with
COUNT_COLUMNS = frozenset((*METRICS, "author_followers", "author_following", "author_posts"))


def unread_counts(source: str, columns: set[str], fields: list[Field]) -> list[str]:
    """A warning naming the columns of :data:`COUNT_COLUMNS` (any case) that ``fields``
    do not read, none when each is read: a file imported with the wrong --source would
    otherwise lose its counts without a word (kept in ``extra``, a column is not counted)."""
    unread = sorted(c for c in _unread(columns, fields) if c.strip().lower() in COUNT_COLUMNS)
    if not unread:
        return []
    message = plural(
        N_(
            "{source} does not read the column {columns}, which holds counts: it is not "
            "counted. Check --source (`jauge sources` says what each source reads)"
        ),
        N_(
            "{source} does not read the columns {columns}, which hold counts: they are not "
            "counted. Check --source (`jauge sources` says what each source reads)"
        ),
        len(unread),
        "en",  # kept in English, shown in the reader's language
    )
    return [message.format(source=source, columns=", ".join(unread))]


def _unread(columns: set[str], fields: list[Field]) -> set[str]:
    """The ``columns`` no field but ``extra`` reads, by its name or in its SQL."""
    read = [f for f in fields if f.target != "extra"]
    said = " ".join(" ".join((f.sql, f.invalid or "", *(e for _, e in f.prepare))) for f in read)
    return {c for c in columns if col(c) not in said and all(f.source != c for f in read)}


def _check_mapped_columns(path: str, columns: set[str], options: ImportOptions) -> None:
    """Refuse a ``--map`` that names a column (or key) the file does not have."""
    unknown = sorted(set(options.mapping) - columns)
    if unknown:
        raise ConfigError(
            _(
                "--map names columns that are not in {path}: {columns}",
                path=path,
                # said as the other messages list columns: 'a', 'b'
                columns=", ".join(map(repr, unknown)),
            )
        )


def unread_mapped(
    source: str, columns: set[str], fields: list[Field], options: ImportOptions
) -> list[str]:
    """A warning for each ``--map`` to a field the source does not read (``--map
    likes=reaction``): the column is kept in ``extra`` under that name, never counted. Not
    a refusal: renaming a column out of a source's way is how one is kept aside (``--map
    airline_sentiment=crowd_label`` leaves tweets to be labelled by a model)."""
    unread = sorted(_unread(set(options.mapping.values()) & columns, fields))
    read = [f for f in fields if f.target != "extra"]
    # the names the source reads in this file, and the generic format's fields
    known = sorted(
        {f.source for f in read if f.source}
        | {f.target for f in read}
        | {name for name, _type in STAGE_COLUMNS if not name.startswith("_") and name != "row_no"}
    )
    warnings = []
    for target in unread:
        close = difflib.get_close_matches(target, known, n=1)
        if close:
            message = N_(
                "--map gives the field {field}, which {source} does not read (did you mean "
                "{name}?): the column is kept aside, not counted"
            ).format(field=repr(target), source=source, name=repr(close[0]))
        else:
            message = N_(
                "--map gives the field {field}, which {source} does not read: the column is "
                "kept aside, not counted (`jauge sources` says what each source reads)"
            ).format(field=repr(target), source=source)
        warnings.append(message)
    return warnings


def _same_name(names: list[str]) -> ConfigError:
    return ConfigError(_("--map gives two columns the same name: {names}", names=names))


def _renamed_names(names: Iterable[str], mapping: Mapping[str, str]) -> list[str]:
    return [mapping.get(n, n) for n in names]


def _renamed(batch: pa.RecordBatch, mapping: Mapping[str, str]) -> pa.RecordBatch:
    if not mapping:
        return batch
    names = _renamed_names(batch.schema.names, mapping)
    if len(set(names)) != len(names):
        raise _same_name(names)
    return batch.rename_columns(names)


def _renamed_stream(
    stream: pa.RecordBatchReader, mapping: Mapping[str, str]
) -> pa.RecordBatchReader:
    names = _renamed_names(stream.schema.names, mapping)
    if len(set(names)) != len(names):
        raise _same_name(names)
    schema = pa.schema([pa.field(n, f.type) for n, f in zip(names, stream.schema, strict=True)])
    return pa.RecordBatchReader.from_batches(schema, (b.rename_columns(names) for b in stream))


def parse_mapping(pairs: Iterable[str]) -> dict[str, str]:
    """``["col=field", ...]`` as a dict, with a clear error for a malformed pair."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        column, sep, target = pair.partition("=")
        if not sep or not column.strip() or not target.strip():
            raise ConfigError(_("--map takes COLUMN=FIELD, got {pair}", pair=repr(pair)))
        mapping[column.strip()] = target.strip()
    return mapping
