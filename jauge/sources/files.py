"""Reading tabular files: encodings, delimiters, gzip, quoted newlines, and line numbers.

Every reader yields Arrow record batches of text columns with a ``row_no``
column (the 1-based ordinal of the data row), and can say on which physical line
a row starts so that errors point at the right place. CSV parsing is Arrow's
multi-threaded reader; line numbers are worked out by a second, plain pass only
when an error has to be reported.
"""

from __future__ import annotations

import codecs
import csv
import functools
import gzip
import hashlib
import io
import itertools
import json
import re
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ..errors import InputError
from ..i18n import N_
from ..store.ids import sql_literal

GZIP_MAGIC = b"\x1f\x8b"
#: encodings the engine's own CSV reader decodes (others go through Arrow's transcoding)
ENGINE_ENCODINGS = {"utf-8": "utf-8", "utf-8-sig": "utf-8", "latin-1": "latin-1"}
REJECTS_TABLE = "jauge_rejects"
SAMPLE_BYTES = 1 << 16
BATCH_ROWS = 65_536
#: the longest row read, in bytes: a post is far shorter, but a quote left open makes the
#: rest of the file one value, and the user should then learn where it starts
MAX_ROW_BYTES = 16 << 20
#: from here on a float does not hold every whole number: a spreadsheet's number there was
#: rounded (Excel keeps 15 significant digits), so it cannot be an exact id
EXACT_FLOAT_LIMIT = 2**53
#: the ends of lines as the engine and the csv module read them
_LINE_END = re.compile(r"\r\n|\r|\n")

Progress = Callable[[int], None]

# the plain passes (line numbers, the header) must read every row, the engine's rejects too
csv.field_size_limit(2**31 - 1)


class HashingReader(io.RawIOBase):
    """A binary file that hashes what is read through it and reports progress in bytes."""

    def __init__(self, raw: IO[bytes], progress: Progress | None = None) -> None:
        self._raw = raw
        self._progress = progress
        self.sha256 = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._raw.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.sha256.update(data)
        if self._progress and n:
            self._progress(n)
        return n

    def close(self) -> None:
        self._raw.close()
        super().close()


def is_gzip(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(2) == GZIP_MAGIC


def check_readable(path: Path) -> None:
    """Raise an InputError for a missing, unreadable or empty file."""
    if not path.exists():
        raise InputError(str(path), N_("no such file"))
    if path.is_dir():
        raise InputError(str(path), N_("this is a folder: name the files to import"))
    if path.stat().st_size == 0:
        raise InputError(str(path), N_("the file is empty: there is nothing to import"))


def open_decompressed(path: Path) -> IO[bytes]:
    """The file's bytes, gunzipped when it is a gzip file (by content, not by name)."""
    if is_gzip(path):
        return gzip.GzipFile(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def read_whole(path: Path) -> bytes:
    """The whole file, gunzipped when it is a gzip file; an InputError for a missing, empty,
    truncated or corrupt one."""
    check_readable(path)
    try:
        with open_decompressed(path) as f:
            return f.read()
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(str(path), _explain_read_error(exc, "utf-8")) from exc


def read_sample(path: Path) -> bytes:
    try:
        with open_decompressed(path) as f:
            return f.read(SAMPLE_BYTES)
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(
            str(path), N_("cannot read the file: {reason}").format(reason=exc)
        ) from exc


#: a quoted value, whose line ends are the value's, not the file's
_QUOTED = re.compile(rb'"(?:[^"]|"")*"')


def mixes_line_ends(path: Path, head: bytes) -> bool:
    """Whether the file ends its lines both with \\r\\n and with a lone \\n, judged on its
    first and (when it is not gzipped) last bytes: the engine's reader takes one kind of
    line end for the whole file and cannot read such a file, a file two others were
    pasted into. Line ends inside quoted values (a spreadsheet's cells) do not count."""
    samples = [head]
    if not is_gzip(path) and path.stat().st_size > 2 * SAMPLE_BYTES:
        with path.open("rb") as f:
            f.seek(-SAMPLE_BYTES, 2)
            tail = f.read()
        # the tail starts anywhere: from its first line end on, quotes pair up as a
        # rule (a value spanning that point makes this say yes, which costs only speed)
        samples.append(tail[tail.find(b"\n") + 1 :])
    kinds = set()
    for sample in samples:
        unquoted = _QUOTED.sub(b"", sample)
        windows = unquoted.count(b"\r\n")
        if windows:
            kinds.add("crlf")
        if unquoted.count(b"\n") > windows:
            kinds.add("lf")
    return len(kinds) > 1


def preamble_lines(text: str) -> int:
    """How many lines open ``text`` before its header: comments (``# ...``) and blank
    lines, when there is at least one comment."""
    count, comments = 0, 0
    for line in _LINE_END.split(text):
        stripped = line.strip()
        if stripped.startswith("#"):
            comments += 1
        elif stripped:
            break
        count += 1
    return count if comments else 0


def detect_encoding(sample: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 or Latin-1."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        # a multi-byte character may be cut at the end of the sample
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        sample.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


def sniff_delimiter(first_line: str) -> str:
    """The most frequent of , ; tab | in the header line (comma when none)."""
    counts = {d: first_line.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def _text_sample(sample: bytes, encoding: str) -> str:
    return codecs.getincrementaldecoder(encoding)(errors="replace").decode(sample, final=False)


@dataclass
class Malformed:
    """A row that does not have as many values as the header has columns."""

    line: int | None
    message: str


@dataclass
class TabularReader:
    """Base for readers: the columns, the batches, and row -> line numbers."""

    path: Path
    columns: list[str] = field(default_factory=list)
    malformed: list[Malformed] = field(default_factory=list)
    sha256: str | None = None
    #: what the user should know about how the file was read (kept with the import)
    warnings: list[str] = field(default_factory=list)

    def first_record(self) -> dict[str, str | None] | None:
        """The first row under the header, by column, when it can be read ahead
        (None otherwise): a source may find that it belongs to the header."""
        return None

    def take_first_record_as_header(self) -> None:
        """Read the first row under the header as part of it: it is no record, and
        rows are numbered from the next one."""
        raise NotImplementedError

    def batches(self, progress: Progress | None = None) -> Iterator[pa.RecordBatch]:
        raise NotImplementedError

    def stream(self, progress: Progress | None = None) -> pa.RecordBatchReader | None:
        """All batches as one Arrow stream, when the columns are known before reading.

        The engine then converts the whole file in one parallel statement, which
        is several times faster than batch by batch. None for JSON lines, whose
        columns are only known once read.
        """
        if not self.columns:
            return None
        schema = pa.schema([(c, pa.string()) for c in self.columns] + [("row_no", pa.int64())])
        return pa.RecordBatchReader.from_batches(schema, self._guarded(progress))

    def _guarded(self, progress: Progress | None) -> Iterator[pa.RecordBatch]:
        # The engine reports an exception raised while it pulls batches as its own
        # error; keep the original so that the user sees what went wrong.
        try:
            yield from self.batches(progress)
        except BaseException as exc:
            # without its traceback: the frames would keep the engine's objects alive
            self.failure = exc.with_traceback(None)
            raise

    failure: BaseException | None = None

    def lines(self, row_nos: Iterable[int]) -> dict[int, int]:
        raise NotImplementedError


def _without_empty_rows(batch: pa.RecordBatch) -> pa.RecordBatch:
    """The batch without its rows of empty cells (``;;;;``), which are no records."""
    if batch.num_columns == 0:
        return batch
    some_value = functools.reduce(pc.or_, (pc.is_valid(c) for c in batch.columns))
    return batch if pc.all(some_value).as_py() else batch.filter(some_value)


def with_row_numbers(batch: pa.RecordBatch, first: int) -> pa.RecordBatch:
    row_no = pa.array(np.arange(first, first + batch.num_rows, dtype=np.int64))
    return batch.append_column("row_no", row_no)


class CsvReader(TabularReader):
    """Delimited text, read by Arrow in parallel, every column as text."""

    def __init__(
        self, path: Path, *, encoding: str | None = None, delimiter: str | None = None
    ) -> None:
        super().__init__(path)
        check_readable(path)
        sample = read_sample(path)
        if not sample.strip():
            raise InputError(str(path), N_("the file is empty: there is nothing to import"))
        self.encoding = encoding or detect_encoding(sample)
        text = _text_sample(sample, self.encoding).lstrip("\ufeff")
        #: lines of comments before the header (a Google Analytics or Google Ads export
        #: opens with its title, account and dates, each line starting with #)
        self._preamble = preamble_lines(text)
        if self._preamble:
            text = _LINE_END.split(text, maxsplit=self._preamble)[-1]
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
        self._sample = text  # from the header on
        #: the sample is the whole file
        self._whole = len(sample) < SAMPLE_BYTES
        self._no_rows = False
        self._skipped_rows = 0
        self._rejected_lines: set[int] = set()
        self._mixed_line_ends = mixes_line_ends(path, sample)

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
        rest = _LINE_END.split(self._sample, maxsplit=header_lines)
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
                whole = len(_LINE_END.findall(self._sample)) >= line or self._whole
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
            "max_line_size": str(MAX_ROW_BYTES),
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
        except duckdb.InterruptException:
            raise  # Ctrl-C: not the file's fault, and not to be kept as its rejection
        except duckdb.Error as exc:
            raise self._read_error(_first_engine_error(exc)) from None
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
            lines = self._lines_at_offsets([int(r[0]) for r in rejected])
            self.malformed = [
                Malformed(line, _reject_message(kind, message))
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
                batch = _without_empty_rows(batch)
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
        message = _explain_read_error(exc, self.encoding)
        if _TOO_LONG.search(str(exc)):
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


def _first_engine_error(exc: duckdb.Error) -> duckdb.Error:
    """The error the read itself raised, when cleaning up after it raised another (a
    statement in an aborted transaction fails with "Current transaction is aborted")."""
    while isinstance(exc.__context__, duckdb.Error):
        exc = exc.__context__
    return exc


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


_COLUMNS_FOUND = re.compile(r"Expected Number of Columns: (\d+) Found: (\d+)")
#: the engine's and Arrow's words for a row longer than they read
_TOO_LONG = re.compile(r"Maximum line size of|straddling object")
#: what the engine adds to a message after its first line (the row, its options, the SQL)
_ENGINE_DETAILS = re.compile(r"^(CSV Error on Line|Original Line|LINE \d+:)")


def _reject_message(kind: str, message: str) -> str:
    if match := _COLUMNS_FOUND.search(message):
        return N_("expected {expected} values, found {found}").format(
            expected=match[1], found=match[2]
        )
    kind = kind.upper()
    if "UNICODE" in kind:
        return N_("this line is not valid text in the file's encoding: pass --encoding")
    if "LINE SIZE" in kind:
        return _too_long()
    if "UNQUOTED" in kind:
        return N_(
            "a value's quotes are not closed where they should be (a quote inside a quoted "
            "value is written twice)"
        )
    return _short_reason(message)


def _explain_read_error(exc: BaseException, encoding: str) -> str:
    """A short message for a file that could not be read: never the engine's whole text,
    which repeats the row and the SQL statement."""
    raw = str(exc)
    message = _short_reason(raw)
    if "invalid UTF8" in raw or "UnicodeDecodeError" in raw or isinstance(exc, UnicodeDecodeError):
        return N_(
            "the file is not valid {encoding}: pass --encoding (for example cp1252 or latin-1) "
            "to read it"
        ).format(encoding=encoding)
    if _TOO_LONG.search(raw):
        return _too_long()
    lowered = message.lower()
    if isinstance(exc, (EOFError, zlib.error)) or "gzip" in lowered or "compressed" in lowered:
        return N_("the gzip file is truncated or corrupt ({reason}); nothing was imported").format(
            reason=message
        )
    if "state machine" in lowered:  # the engine's words for a file it cannot follow
        return N_(
            "cannot parse the file: its rows do not keep to one CSV layout (line ends that "
            "change within the file, or a quote left open); save it again from a spreadsheet "
            "or an editor"
        )
    return N_("cannot parse the file: {reason}").format(reason=message)


def _too_long() -> str:
    return N_(
        "a row is longer than {size} MB, the most jauge reads (a quote left open makes the "
        "rest of the file one value)"
    ).format(size=MAX_ROW_BYTES >> 20)


def _short_reason(message: str) -> str:
    """The first line of an error that says what went wrong, without the kind of error the
    engine prefixes (``IO Error: ``), cut to 200 characters."""
    lines = [line.strip() for line in message.splitlines()]
    said = next((line for line in lines if line and not _ENGINE_DETAILS.match(line)), "")
    said = re.sub(r"^[A-Z][A-Za-z ]* Error: ", "", said)
    return said if len(said) <= 200 else said[:199] + "…"


class JsonlReader(TabularReader):
    """One JSON object per line; nested objects are flattened to dotted names."""

    def __init__(self, path: Path, *, encoding: str | None = None) -> None:
        super().__init__(path)
        check_readable(path)
        sample = read_sample(path)
        self.encoding = encoding or detect_encoding(sample)
        self._row_lines: list[int] = []

    def batches(self, progress: Progress | None = None) -> Iterator[pa.RecordBatch]:
        raw = HashingReader(self.path.open("rb"), progress)
        binary: IO[bytes] = gzip.GzipFile(fileobj=raw) if is_gzip(self.path) else raw  # type: ignore[assignment]
        text = io.TextIOWrapper(binary, encoding=self.encoding, newline=None)
        rows: list[dict[str, str | None]] = []
        first = 1
        seen: dict[str, None] = {}
        try:
            for line_no, line in enumerate(text, start=1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as exc:
                    self.malformed.append(
                        Malformed(line_no, N_("not valid JSON: {reason}").format(reason=exc.msg))
                    )
                    continue
                if not isinstance(obj, dict):
                    self.malformed.append(Malformed(line_no, N_("expected a JSON object")))
                    continue
                flat = _flatten(obj)
                seen.update(dict.fromkeys(flat))
                rows.append(flat)
                self._row_lines.append(line_no)
                if len(rows) >= BATCH_ROWS:
                    yield self._batch(rows, list(seen), first)
                    first += len(rows)
                    rows = []
            if rows:
                yield self._batch(rows, list(seen), first)
        except (OSError, EOFError, zlib.error, UnicodeDecodeError) as exc:
            raise InputError(str(self.path), _explain_read_error(exc, self.encoding)) from exc
        finally:
            text.close()
        self.columns = list(seen)
        self.sha256 = raw.sha256.hexdigest()

    def _batch(
        self, rows: list[dict[str, str | None]], columns: list[str], first: int
    ) -> pa.RecordBatch:
        self.columns = columns
        arrays = [pa.array([r.get(c) for r in rows], pa.string()) for c in columns]
        return with_row_numbers(pa.RecordBatch.from_arrays(arrays, names=columns), first)

    def lines(self, row_nos: Iterable[int]) -> dict[int, int]:
        return {r: self._row_lines[r - 1] for r in row_nos if 0 < r <= len(self._row_lines)}


def _flatten(obj: dict[str, Any], prefix: str = "") -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for key, value in obj.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, f"{name}."))
        elif value is None:
            out[name] = None
        elif isinstance(value, bool):
            out[name] = "true" if value else "false"
        elif isinstance(value, (list, tuple)):
            out[name] = json.dumps(value, ensure_ascii=False)
        else:
            out[name] = str(value)
    return out


class XlsxReader(TabularReader):
    """The first sheet of an Excel workbook; the first non-empty row names the columns."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        check_readable(path)
        from openpyxl import load_workbook  # heavy: only when an XLSX file is read

        try:
            self._book = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise InputError(
                str(path), N_("cannot open this Excel file: {reason}").format(reason=exc)
            ) from exc
        self._sheet = self._book.worksheets[0]
        self._rows = self._sheet.iter_rows(values_only=True)
        self._header_line = 0
        #: the sheet's row of each record (rows of empty cells are skipped)
        self._row_lines: list[int] = []
        #: the first row under the header, once read ahead
        self._ahead: tuple[Any, ...] | None = None
        for values in self._rows:
            self._header_line += 1
            if any(v is not None for v in values):
                header = [str(v) if v is not None else "" for v in values]
                self.columns, self.warnings = named_columns(header)
                break
        if not self.columns:
            raise InputError(str(path), N_("the first sheet is empty: there is nothing to import"))

    def first_record(self) -> dict[str, str | None] | None:
        if self._ahead is None:
            self._ahead = next(self._rows, None)
        if self._ahead is None:
            return None
        values = list(self._ahead) + [None] * len(self.columns)
        return {c: _cell_text(v) for c, v in zip(self.columns, values, strict=False)}

    def take_first_record_as_header(self) -> None:
        assert self._ahead is not None, "first_record() found it"
        self._ahead = None
        self._header_line += 1

    def batches(self, progress: Progress | None = None) -> Iterator[pa.RecordBatch]:
        with self.path.open("rb") as f:
            self.sha256 = hashlib.file_digest(f, "sha256").hexdigest()
        width = len(self.columns)
        rows: list[tuple[Any, ...]] = []
        first = 1
        ahead = [self._ahead] if self._ahead is not None else []
        self._ahead = None
        for line, values in enumerate(itertools.chain(ahead, self._rows), self._header_line + 1):
            record = values[:width]
            # an empty row, or one whose cells are only formatted, is no record
            if all(_cell_text(v) is None for v in record):
                continue
            rows.append(record)
            self._row_lines.append(line)
            if len(rows) >= BATCH_ROWS:
                yield self._batch(rows, first)
                first += len(rows)
                rows = []
        if rows:
            yield self._batch(rows, first)
        if progress:
            progress(self.path.stat().st_size)
        self._book.close()

    def _batch(self, rows: list[tuple[Any, ...]], first: int) -> pa.RecordBatch:
        arrays = [
            pa.array([_cell_text(r[i]) if i < len(r) else None for r in rows], pa.string())
            for i in range(len(self.columns))
        ]
        return with_row_numbers(pa.RecordBatch.from_arrays(arrays, names=self.columns), first)

    def lines(self, row_nos: Iterable[int]) -> dict[int, int]:
        return {r: self._row_lines[r - 1] for r in row_nos if 0 < r <= len(self._row_lines)}


def named_columns(header: list[str]) -> tuple[list[str], list[str]]:
    """Column names for a header, and warnings: names are trimmed, an unnamed column
    (often a saved index) is called ``columnN``, and a name given twice (Facebook's
    exports do it) is read as ``Name (2)`` the second time."""
    names: list[str] = []
    warnings = []
    for i, raw in enumerate(header):
        name = raw.strip() or f"column{i + 1}"
        if name in names:
            n = 2
            while f"{name} ({n})" in names:
                n += 1
            renamed = f"{name} ({n})"
            warnings.append(
                N_("the header names {column} twice: the later one is read as {renamed}").format(
                    column=repr(name), renamed=repr(renamed)
                )
            )
            name = renamed
        names.append(name)
    return names, warnings


def _cell_text(value: Any) -> str | None:
    if value is None:
        return None
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    if isinstance(value, float) and value.is_integer():
        if abs(value) >= EXACT_FLOAT_LIMIT:
            # as the spreadsheet shows it (1.52654047222264E+18): numbers still read it,
            # and an id check refuses it, where its digits would be made up
            return f"{value:.14E}"
        return str(int(value))
    text = str(value)
    return text if text.strip() else None


def open_tabular(path: Path, *, encoding: str | None, delimiter: str | None) -> TabularReader:
    """A reader chosen by the file's content (XLSX, JSON lines) or else CSV."""
    check_readable(path)
    with path.open("rb") as f:
        head = f.read(4)
    if head.startswith(b"PK\x03\x04"):
        return XlsxReader(path)
    return CsvReader(path, encoding=encoding, delimiter=delimiter)
