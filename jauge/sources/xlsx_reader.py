"""Excel workbooks (.xlsx): the first sheet, every cell as text as the spreadsheet shows it."""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa

from ..errors import InputError
from ..i18n import N_
from .file_bytes import Progress, check_readable
from .tabular import BATCH_ROWS, TabularReader, named_columns, with_row_numbers

#: from here on a float does not hold every whole number: a spreadsheet's number there was
#: rounded (Excel keeps 15 significant digits), so it cannot be an exact id
EXACT_FLOAT_LIMIT = 2**53


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
