"""What every reader of tabular files gives: text columns, batches numbered by row, and
the rows that could not be read, by line."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..i18n import N_
from .file_bytes import Progress

#: rows per batch where a reader builds them itself (JSON lines, workbooks)
BATCH_ROWS = 65_536


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
    #: the line (a workbook's row) that names the columns, which errors about them give
    header_line: int = 1
    #: the sheet read, for a workbook of several sheets: errors about columns name it
    sheet: str | None = None

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


def without_empty_rows(batch: pa.RecordBatch) -> pa.RecordBatch:
    """The batch without its rows of empty cells (``;;;;``), which are no records."""
    if batch.num_columns == 0:
        return batch
    some_value = functools.reduce(pc.or_, (pc.is_valid(c) for c in batch.columns))
    return batch if pc.all(some_value).as_py() else batch.filter(some_value)


def with_row_numbers(batch: pa.RecordBatch, first: int) -> pa.RecordBatch:
    row_no = pa.array(np.arange(first, first + batch.num_rows, dtype=np.int64))
    return batch.append_column("row_no", row_no)


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
