"""Excel workbooks (.xlsx, and the older .xls): one sheet, every cell as text as the
spreadsheet shows it.

The sheet is the first one, unless the source names the sheet it reads or the columns its
header has (:class:`SheetLayout`): LinkedIn's export opens with a sheet of daily metrics
and keeps its posts on the second, under a row of notes.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pyarrow as pa

from ..errors import InputError
from ..i18n import N_, plural
from .file_bytes import Progress, check_readable
from .tabular import BATCH_ROWS, TabularReader, named_columns, with_row_numbers

#: from here on a float does not hold every whole number: a spreadsheet's number there was
#: rounded (Excel keeps 15 significant digits), so it cannot be an exact id
EXACT_FLOAT_LIMIT = 2**53
#: how far down a sheet its header is looked for, under rows of notes
HEADER_SEARCH_ROWS = 10
#: the first bytes of an .xlsx file (a ZIP archive) and of an .xls one (an OLE2 compound file)
XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: what stands for a character a reader could not decode
REPLACEMENT = "\ufffd"


@dataclass(frozen=True)
class SheetLayout:
    """Where a source's rows are in a workbook (or under notes in a CSV file)."""

    #: the sheet read, by name, whatever the case; else the first sheet with the header
    sheets: tuple[str, ...] = ()
    #: the header is the first row, among the first :data:`HEADER_SEARCH_ROWS`, that names
    #: one of these columns; rows above it are notes
    header_with: tuple[str, ...] = ()

    def is_header(self, cells: Iterable[Any]) -> bool:
        wanted = {name.casefold() for name in self.header_with}
        return any(str(c).strip().casefold() in wanted for c in cells if c is not None)


class _Book(Protocol):
    sheet_names: list[str]

    def rows(self, index: int) -> Iterator[tuple[Any, ...]]: ...

    def close(self) -> None: ...


class _OpenpyxlBook:
    """An .xlsx workbook, read row by row (openpyxl's read-only mode)."""

    def __init__(self, path: Path) -> None:
        from openpyxl import load_workbook  # heavy: only when an XLSX file is read

        self._book = load_workbook(path, read_only=True, data_only=True)
        self.sheet_names = [sheet.title for sheet in self._book.worksheets]

    def rows(self, index: int) -> Iterator[tuple[Any, ...]]:
        rows: Iterator[tuple[Any, ...]] = self._book.worksheets[index].iter_rows(values_only=True)
        return rows

    def close(self) -> None:
        self._book.close()


class _CalamineBook:
    """An .xls workbook (Excel 97-2003), read by calamine, its cells as openpyxl gives them
    (an empty cell is ""). A writer may put the two halves of a character outside Unicode's
    first plane (an emoji, a bold letter) in two records of the file: xlrd then refuses the
    whole file, calamine reads it with the character replaced (U+FFFD), which the import
    says."""

    def __init__(self, path: Path) -> None:
        from python_calamine import CalamineWorkbook  # only when an XLS file is read

        self._book = CalamineWorkbook.from_path(str(path))
        self.sheet_names = list(self._book.sheet_names)

    def rows(self, index: int) -> Iterator[tuple[Any, ...]]:
        sheet = self._book.get_sheet_by_index(index)
        # the sheet's cells start at its first non-empty one: rows and columns before it
        # are given back, so that rows keep their numbers
        first_row, first_column = sheet.start or (0, 0)
        yield from ((),) * first_row
        for row in sheet.iter_rows():
            yield ("",) * first_column + tuple(row)

    def close(self) -> None:
        self._book.close()


def is_workbook(head: bytes) -> bool:
    """Whether a file that opens with ``head`` is an Excel workbook (.xlsx or .xls)."""
    return head.startswith((XLSX_MAGIC, XLS_MAGIC))


class WorkbookReader(TabularReader):
    """One sheet of an Excel workbook; its header is its first non-empty row, or the row
    the source's :class:`SheetLayout` looks for."""

    def __init__(self, path: Path, layout: SheetLayout | None = None) -> None:
        super().__init__(path)
        check_readable(path)
        with path.open("rb") as f:
            xls = f.read(len(XLS_MAGIC)) == XLS_MAGIC
        try:
            self._book: _Book = _CalamineBook(path) if xls else _OpenpyxlBook(path)
        except Exception as exc:  # openpyxl and calamine raise many kinds for a broken file
            raise InputError(
                str(path),
                N_(
                    "cannot open this Excel file: it is damaged, incomplete or protected by a "
                    "password; save it again from your spreadsheet, or save the sheet as CSV "
                    "(the reader said: {reason})"
                ).format(reason=exc),
            ) from exc
        sheet, self._header_line, self._rows = self._find_header(layout or SheetLayout())
        self.header_line = self._header_line
        #: the sheet's row of each record (rows of empty cells are skipped)
        self._row_lines: list[int] = []
        #: the first row under the header, once read ahead
        self._ahead: tuple[Any, ...] | None = None
        #: cells with characters that could not be decoded (see :class:`_CalamineBook`)
        self._unreadable = 0
        if len(self._book.sheet_names) > 1:
            self.sheet = sheet
            self.warnings.append(
                N_("read the sheet {sheet} of the workbook").format(sheet=repr(self.sheet))
            )

    def _find_header(self, layout: SheetLayout) -> tuple[str, int, Iterator[tuple[Any, ...]]]:
        """The sheet read, its header's row number and an iterator over the rows under it;
        the columns are named from the header."""
        names = self._book.sheet_names
        wanted = {name.strip().casefold() for name in layout.sheets}
        order = sorted(range(len(names)), key=lambda i: names[i].strip().casefold() not in wanted)
        if layout.header_with:
            for index in order:
                rows = self._book.rows(index)
                for line, values in enumerate(itertools.islice(rows, HEADER_SEARCH_ROWS), 1):
                    if layout.is_header(values):
                        self._set_header(values)
                        return names[index], line, rows
        # no sheet has the header the source looks for: its first non-empty row is read
        # as the header, and the source then says which columns it lacks
        index = order[0] if order else 0
        rows = self._book.rows(index) if names else iter(())
        for line, values in enumerate(rows, 1):
            if any(_cell_text(v) is not None for v in values):
                self._set_header(values)
                return names[index], line, rows
        if index == 0:
            raise InputError(
                str(self.path), N_("the first sheet is empty: there is nothing to import")
            )
        raise InputError(
            str(self.path),
            N_("the sheet {sheet} is empty: there is nothing to import").format(
                sheet=repr(names[index])
            ),
        )

    def _set_header(self, values: Iterable[Any]) -> None:
        header = [str(v) if v is not None else "" for v in values]
        self.columns, self.warnings = named_columns(header)

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
        if self._unreadable:
            self.warnings.append(
                plural(
                    N_(
                        "{count} cell held characters the workbook splits between two of its "
                        "records (an emoji, a bold letter), which cannot be read back: each "
                        "is shown as �"
                    ),
                    N_(
                        "{count} cells held characters the workbook splits between two of its "
                        "records (an emoji, a bold letter), which cannot be read back: each is "
                        "shown as �"
                    ),
                    self._unreadable,
                    "en",  # kept in English, shown in the reader's language
                ).format(count=self._unreadable)
            )

    def _batch(self, rows: list[tuple[Any, ...]], first: int) -> pa.RecordBatch:
        arrays = [
            pa.array([_cell_text(r[i]) if i < len(r) else None for r in rows], pa.string())
            for i in range(len(self.columns))
        ]
        # what an .xls reader could not decode it replaces: said once the file is read
        self._unreadable += sum(
            1 for r in rows for v in r if isinstance(v, str) and REPLACEMENT in v
        )
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
