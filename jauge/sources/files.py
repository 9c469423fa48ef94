"""Reading CSV files, and choosing the reader for a file: encodings, delimiters, gzip,
quoted newlines, and line numbers.

Every reader (see :mod:`.tabular`) yields Arrow record batches of text columns with a
``row_no`` column (the 1-based ordinal of the data row), and can say on which physical
line a row starts so that errors point at the right place. A CSV file is read by the
engine's own parallel reader where it can, else by Arrow's; line numbers are worked out
by a second, plain pass only when an error has to be reported. JSON lines and workbooks
have readers of their own (:mod:`.jsonl_reader`, :mod:`.workbook_reader`).
"""

from __future__ import annotations

import csv
import hashlib
import io
import threading
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv

from ..errors import InputError, is_interruption
from ..i18n import N_
from ..store.ids import sql_literal
from .file_bytes import (
    LINE_END,
    SAMPLE_BYTES,
    HashingReader,
    Progress,
    check_readable,
    detect_encoding,
    is_gzip,
    mixes_line_ends,
    open_decompressed,
    preamble_lines,
    read_sample,
    read_tail,
    sniff_delimiter,
    text_sample,
)
from .read_errors import (
    TOO_LONG,
    explain_read_error,
    first_engine_error,
    reject_message,
    too_long,
)
from .tabular import Malformed, TabularReader, named_columns, with_row_numbers, without_empty_rows
from .workbook_reader import HEADER_SEARCH_ROWS, SheetLayout, WorkbookReader, is_workbook

#: the longest row read, in bytes: a post is far shorter, but a quote left open makes the
#: rest of the file one value, and the user should then learn where it starts. The engine's
#: CSV reader holds the file in buffers of this size, and reads rows up to it: small
#: enough for a low import memory limit, and its staging statement was fastest with it (a
#: million posts in 1.12 to 1.14 s, against 1.27 to 1.34 s with its own buffers and 1.19 s
#: with 238 MiB ones). It is told the buffer only: given a longest row as well, DuckDB
#: 2.0.1 read rows across the end of a buffer as broken and dropped the rows next to them
#: (a valid 497 MB file of 2,000,000 posts was refused at its 1,009,632nd line; with
#: --skip-invalid, 6 rows were missing for the one reported).
MAX_ROW_BYTES = 32 << 20
#: encodings the engine's own CSV reader decodes (others go through Arrow's transcoding)
ENGINE_ENCODINGS = {"utf-8": "utf-8", "utf-8-sig": "utf-8", "latin-1": "latin-1"}
REJECTS_TABLE = "jauge_rejects"


# the plain passes (line numbers, the header) must read every row, the engine's rejects too
csv.field_size_limit(2**31 - 1)


class CsvReader(TabularReader):
    """Delimited text, read by Arrow in parallel, every column as text."""

    def __init__(
        self,
        path: Path,
        *,
        encoding: str | None = None,
        delimiter: str | None = None,
        header_with: tuple[str, ...] = (),
    ) -> None:
        super().__init__(path)
        check_readable(path)
        sample = read_sample(path)
        if not sample.strip():
            raise InputError(str(path), N_("the file is empty: there is nothing to import"))
        tail = read_tail(path)
        self.encoding = encoding or detect_encoding(sample, tail)
        text = text_sample(sample, self.encoding).lstrip("\ufeff")
        #: lines of comments before the header (a Google Analytics or Google Ads export
        #: opens with its title, account and dates, each line starting with #)
        self._preamble = preamble_lines(text)
        if self._preamble:
            text = LINE_END.split(text, maxsplit=self._preamble)[-1]
        if notes := _lines_before_header(text, header_with, delimiter):
            # a sheet saved as CSV with the notes above its header (LinkedIn's)
            self._preamble += notes
            text = LINE_END.split(text, maxsplit=notes)[-1]
        first_line = text.splitlines()[0] if text else ""
        self.delimiter = delimiter or sniff_delimiter(first_line)
        try:
            # newline="": a lone carriage return ends a line, as it does for the engine
            header = next(csv.reader(io.StringIO(text, newline=""), delimiter=self.delimiter), [])
        except csv.Error as exc:
            raise InputError(
                str(path), N_("cannot read the header: {reason}").format(reason=exc), line=1
            ) from exc
        if not header or all(not h.strip() for h in header):
            raise InputError(str(path), N_("the first line should name the columns"), line=1)
        self.columns, self.warnings = named_columns(header)
        self._header = header
        #: records (and physical lines) before the first data row
        self._header_records = 1
        self._header_lines = 1 + self._preamble
        self.header_line = 1 + self._preamble
        self._sample = text  # from the header on
        #: the sample is the whole file
        self._whole = len(sample) < SAMPLE_BYTES
        self._no_rows = False
        self._skipped_rows = 0
        self._rejected_lines: set[int] = set()
        self._mixed_line_ends = mixes_line_ends(sample, tail)

    def first_record(self) -> dict[str, str | None] | None:
        found = self._records_in_sample(self._header_records + 1)
        if found is None:
            return None
        record, lines = found[-1]
        if lines != 1 or len(record) != len(self.columns):
            return None  # a row over several lines is data, not a header
        return {c: v if v.strip() else None for c, v in zip(self.columns, record, strict=True)}

    def take_first_record_as_header(self) -> None:
        found = self._records_in_sample(self._header_records + 1)
        assert found is not None, "first_record() found it"
        self._header_records += 1
        header_lines = sum(lines for _, lines in found)
        self._header_lines = self._preamble + header_lines
        # a file with no row under its header: the engine cannot tell its columns then
        rest = LINE_END.split(self._sample, maxsplit=header_lines)
        self._no_rows = self._whole and (len(rest) <= header_lines or not rest[-1].strip())

    def _records_in_sample(self, count: int) -> list[tuple[list[str], int]] | None:
        """The first ``count`` records of the sample, with the lines each spans; None when
        the sample ends before them."""
        reader = csv.reader(io.StringIO(self._sample, newline=""), delimiter=self.delimiter)
        found, line = [], 0
        for record in reader:
            found.append((record, reader.line_num - line))
            line = reader.line_num
            if len(found) == count:
                # the last record is whole if its line ends in the sample, or the file does
                whole = len(LINE_END.findall(self._sample)) >= line or self._whole
                return found if whole else None
        return None

    @property
    def engine_encoding(self) -> str | None:
        """The engine's name for this file's encoding, if its own reader can read the file:
        it decodes the encoding, the file has rows under its header (see
        take_first_record_as_header) and one kind of line end."""
        if self._no_rows or self._mixed_line_ends:
            return None
        return ENGINE_ENCODINGS.get(self.encoding)

    def engine_scan(self, names: list[str]) -> str:
        """The engine's parallel CSV reader over the whole file, as a subquery.

        Every value is read as text, rows come in the file's order, rows with no value
        at all are left out (as :meth:`_scan` leaves them), and rows that cannot be
        parsed go to a rejects table instead of stopping the read; run the statement
        that scans it inside :meth:`engine_reading`, which collects them.
        """
        encoding = self.engine_encoding
        assert encoding is not None
        # the columns are named here: lines before the data are skipped, not read as a header
        skipped = self._header_records > 1 or self._preamble > 0
        options = {
            # the dialect is known: the engine's guess at it would stop at a broken row,
            # and take the line ends of the first rows for those of the whole file
            "auto_detect": "false",
            "columns": "{" + ", ".join(f"{sql_literal(n)}: 'VARCHAR'" for n in names) + "}",
            "header": "false" if skipped else "true",
            "skip": str(self._header_lines if skipped else 0),
            "delim": sql_literal(self.delimiter),
            "quote": "'\"'",
            "escape": "'\"'",
            "encoding": sql_literal(encoding),
            "compression": "'gzip'" if is_gzip(self.path) else "'none'",
            "buffer_size": str(MAX_ROW_BYTES),
            "store_rejects": "true",
            "rejects_table": sql_literal(REJECTS_TABLE),
            "rejects_scan": sql_literal(REJECTS_TABLE + "_scans"),
        }
        args = ", ".join(f"{k} = {v}" for k, v in options.items())
        # a row of empty cells (";;;;", as a spreadsheet saves formatted empty rows) is
        # no record, like a blank line
        some_value = " OR ".join(f"{_quoted(n)} IS NOT NULL" for n in names)
        return f"(SELECT * FROM read_csv({sql_literal(str(self.path))}, {args}) WHERE {some_value})"

    @contextmanager
    def engine_reading(
        self, con: duckdb.DuckDBPyConnection, progress: Progress | None = None
    ) -> Iterator[None]:
        """Around the one statement that scans :meth:`engine_scan`: show its progress,
        hash the file meanwhile, explain a read error to the user, and keep the rows
        that could not be parsed in :attr:`malformed` with their physical line."""
        watcher = _ProgressWatcher(con, self.path.stat().st_size, progress) if progress else None
        hasher = _FileHasher(self.path)
        try:
            yield
        except duckdb.Error as exc:
            if is_interruption(exc):
                # Ctrl-C (or the statement after it, in the aborted transaction): not the
                # file's fault, and not to be kept as its rejection
                raise
            raise self._read_error(first_engine_error(exc)) from None
        finally:
            if watcher:
                watcher.stop()
            self.sha256 = hasher.result()
        rejected = [
            (position, kind, message)
            for position, kind, message, text in con.execute(
                # the engine reports a short row once per missing column, and a long one
                # once per value too many: keep the one that counts them all
                f"SELECT DISTINCT ON (line_byte_position) line_byte_position, error_type, "
                f"error_message, csv_line FROM {REJECTS_TABLE} ORDER BY line_byte_position, "
                f"CASE WHEN error_type = 'TOO MANY COLUMNS' THEN -CAST(column_idx AS BIGINT) "
                f"ELSE column_idx END"
            ).fetchall()
            # a short row of empty cells is no record either
            if not _no_value(text, self.delimiter)
        ]
        con.execute(f"DROP TABLE IF EXISTS {REJECTS_TABLE}")
        con.execute(f"DROP TABLE IF EXISTS {REJECTS_TABLE}_scans")
        if rejected:
            # a row longer than a buffer is not told as such (the engine breaks it into
            # values and rows): a plain pass finds it, and the whole file is refused at it,
            # as the other reader refuses it
            if (line := self._long_row_line()) is not None:
                raise InputError(str(self.path), too_long(MAX_ROW_BYTES), line=line)
            lines = self._lines_at_offsets([int(r[0]) for r in rejected])
            self.malformed = [
                Malformed(line, reject_message(kind, message, MAX_ROW_BYTES))
                for line, (_, kind, message) in zip(lines, rejected, strict=True)
            ]
            self._rejected_lines = {m.line for m in self.malformed if m.line is not None}

    def _lines_at_offsets(self, offsets: list[int]) -> list[int]:
        """Physical line numbers (1-based) of byte offsets in the decompressed file; a
        line ends with \\n, \\r\\n or a lone \\r, as for the engine."""
        found: list[int] = []
        line, position = 1, 0
        pending = iter(sorted(offsets))
        target = next(pending, None)
        with open_decompressed(self.path) as f:
            previous = b""
            while target is not None:
                chunk = f.read(1 << 20)
                if not chunk:
                    break
                # a \r\n cut between two chunks ended its line in the first one
                split = previous.endswith(b"\r") and chunk.startswith(b"\n")
                while target is not None and target < position + len(chunk):
                    end = target - position
                    found.append(line + _line_ends(chunk, end) - (split and end > 0))
                    target = next(pending, None)
                line += _line_ends(chunk, len(chunk)) - split
                position += len(chunk)
                previous = chunk
        return found

    def _on_invalid_row(self, row: Any) -> str:
        if _no_value(row.text, self.delimiter):
            return "skip"  # a short row of empty cells is no record
        self._skipped_rows += 1
        self.malformed.append(
            Malformed(
                row.number,
                N_("expected {expected} values, found {found}").format(
                    expected=row.expected_columns, found=row.actual_columns
                ),
            )
        )
        return "skip"

    def batches(self, progress: Progress | None = None) -> Iterator[pa.RecordBatch]:
        raw = HashingReader(self.path.open("rb"), progress)
        source: Any = raw
        if is_gzip(self.path):
            source = pa.CompressedInputStream(pa.PythonFile(raw, mode="r"), "gzip")
        read_options = pacsv.ReadOptions(
            column_names=self._header,
            skip_rows=self._header_records + self._preamble,
            # a row may span two blocks, not three: any up to MAX_ROW_BYTES is read
            block_size=MAX_ROW_BYTES,
            encoding="utf8" if self.encoding in ("utf-8", "utf-8-sig") else self.encoding,
        )
        parse_options = pacsv.ParseOptions(
            delimiter=self.delimiter,
            newlines_in_values=True,
            invalid_row_handler=self._on_invalid_row,
        )
        convert_options = pacsv.ConvertOptions(
            column_types={h: pa.string() for h in self._header},
            null_values=[""],
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
        )
        first = 1
        try:
            reader = pacsv.open_csv(source, read_options, parse_options, convert_options)
            for batch in reader:
                batch = without_empty_rows(batch)
                if batch.num_rows == 0:
                    continue
                batch = batch.rename_columns(self.columns)
                yield with_row_numbers(batch, first)
                first += batch.num_rows
        except (pa.ArrowInvalid, OSError, EOFError, zlib.error) as exc:
            raise self._read_error(exc) from exc
        finally:
            raw.close()
        self.sha256 = raw.sha256.hexdigest()
        if self._skipped_rows and any(m.line is None for m in self.malformed):
            # Arrow reads in parallel and cannot always tell where a bad row is.
            self.malformed = self._scan().malformed

    def _read_error(self, exc: BaseException) -> InputError:
        """The error to show for a file that could not be read: short, and at its line
        where that is known."""
        message = explain_read_error(exc, self.encoding, MAX_ROW_BYTES)
        if TOO_LONG.search(str(exc)):
            return InputError(str(self.path), message, line=self._long_row_line())
        return InputError(str(self.path), message)

    def _long_row_line(self) -> int | None:
        """The line where the first row longer than :data:`MAX_ROW_BYTES` starts, by a
        plain pass (None when that pass finds none)."""
        with open_decompressed(self.path) as binary:
            text = io.TextIOWrapper(binary, encoding=self.encoding, errors="replace", newline="")
            for _comment in range(self._preamble):
                text.readline()
            reader = csv.reader(text, delimiter=self.delimiter)
            start = self._preamble + 1
            for record in reader:
                if sum(len(v.encode("utf-8", "replace")) + 1 for v in record) > MAX_ROW_BYTES:
                    return start
                start = self._preamble + reader.line_num + 1
        return None

    def lines(self, row_nos: Iterable[int]) -> dict[int, int]:
        wanted = set(row_nos)
        return {
            k: v for k, v in self._scan(max(wanted, default=0)).row_lines.items() if k in wanted
        }

    @dataclass
    class _Scan:
        row_lines: dict[int, int]
        malformed: list[Malformed]

    def _scan(self, up_to_row: int | None = None) -> CsvReader._Scan:
        """A plain pass over the file: start line of each data row, and malformed rows."""
        row_lines: dict[int, int] = {}
        malformed: list[Malformed] = []
        width = len(self._header)
        with open_decompressed(self.path) as binary:
            text = io.TextIOWrapper(binary, encoding=self.encoding, newline="")
            for _comment in range(self._preamble):
                text.readline()
            offset = self._preamble
            reader = csv.reader(text, delimiter=self.delimiter)
            for _record in range(self._header_records):
                next(reader, None)
            start = offset + reader.line_num + 1
            ordinal = 0
            rejected = self._rejected_lines
            for record in reader:
                if not any(record) or start in rejected:
                    pass  # a blank line or a row of empty cells is no record
                elif len(record) != width:
                    malformed.append(
                        Malformed(
                            start,
                            N_("expected {expected} values, found {found}").format(
                                expected=width, found=len(record)
                            ),
                        )
                    )
                else:
                    ordinal += 1
                    row_lines[ordinal] = start
                    if up_to_row is not None and ordinal >= up_to_row:
                        break
                start = offset + reader.line_num + 1
        return CsvReader._Scan(row_lines, malformed)


def _lines_before_header(text: str, header_with: tuple[str, ...], delimiter: str | None) -> int:
    """How many lines of notes open ``text`` before the first of its first lines that
    names one of the columns ``header_with`` (0 when it is the first line, or none is)."""
    if not header_with:
        return 0
    layout = SheetLayout(header_with=header_with)
    for index, line in enumerate(LINE_END.split(text)[:HEADER_SEARCH_ROWS]):
        cells = next(csv.reader([line], delimiter=delimiter or sniff_delimiter(line)), [])
        if layout.is_header(cells):
            return index
    return 0


def _line_ends(chunk: bytes, end: int) -> int:
    """How many lines end in ``chunk[:end]``: at \\n, \\r\\n or a lone \\r."""
    return chunk.count(b"\n", 0, end) + chunk.count(b"\r", 0, end) - chunk.count(b"\r\n", 0, end)


def _no_value(text: str | None, delimiter: str) -> bool:
    """Whether a row, as written in the file, has only empty cells (``;;;;``)."""
    return not (text or "").strip(delimiter + '"\r\n')


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class _FileHasher:
    """The sha256 of a file, computed in a thread while the engine reads it."""

    def __init__(self, path: Path) -> None:
        self._digest: str | None = None
        self._thread = threading.Thread(target=self._run, args=(path,), daemon=True)
        self._thread.start()

    def _run(self, path: Path) -> None:
        with path.open("rb") as f:
            self._digest = hashlib.file_digest(f, "sha256").hexdigest()

    def result(self) -> str | None:
        self._thread.join()
        return self._digest


class _ProgressWatcher:
    """Turns the engine's progress on a running statement into bytes for a progress bar."""

    def __init__(self, con: duckdb.DuckDBPyConnection, size: int, progress: Progress) -> None:
        self._con, self._size, self._progress = con, size, progress
        self._reported = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._done.wait(0.1):
            percent = self._con.query_progress()
            if percent > 0:
                self._advance(int(self._size * min(percent, 100.0) / 100))

    def _advance(self, to: int) -> None:
        if to > self._reported:
            self._progress(to - self._reported)
            self._reported = to

    def stop(self) -> None:
        self._done.set()
        self._thread.join()
        self._advance(self._size)


def open_tabular(
    path: Path,
    *,
    encoding: str | None,
    delimiter: str | None,
    layout: SheetLayout | None = None,
) -> TabularReader:
    """A reader chosen by the file's content (an Excel workbook) or else CSV; ``layout``
    says where a source's rows are, when not under the first line of the first sheet."""
    check_readable(path)
    with path.open("rb") as f:
        head = f.read(8)
    if is_workbook(head):
        return WorkbookReader(path, layout)
    header_with = layout.header_with if layout else ()
    return CsvReader(path, encoding=encoding, delimiter=delimiter, header_with=header_with)


def read_whole(path: Path) -> bytes:
    """The whole file, gunzipped when it is a gzip file; an InputError for a missing, empty,
    truncated or corrupt one."""
    check_readable(path)
    try:
        with open_decompressed(path) as f:
            return f.read()
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(str(path), explain_read_error(exc, "utf-8")) from exc
