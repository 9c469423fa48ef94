"""JSON lines: one object per line, nested keys read as a.b; or one JSON document (an
array of objects, or an object holding one), as an API answer is saved pretty-printed."""

from __future__ import annotations

import gzip
import io
import itertools
import json
import re
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import pyarrow as pa

from ..errors import InputError
from ..i18n import N_
from .file_bytes import (
    HashingReader,
    Progress,
    check_readable,
    detect_encoding,
    is_gzip,
    open_decompressed,
    read_sample,
)
from .read_errors import explain_read_error
from .tabular import BATCH_ROWS, Malformed, TabularReader, with_row_numbers

#: the largest file read whole as one JSON document (as a saved API answer is read whole);
#: a larger one is read as JSON lines
DOCUMENT_BYTES = 64 << 20
#: the lines looked at to tell JSON lines whose first line is broken from another format
LOOK_AHEAD = 20
_SPACE = re.compile(r"[ \t\n\r]*")


class JsonlReader(TabularReader):
    """One JSON object per line; nested objects are flattened to dotted names."""

    def __init__(self, path: Path, *, encoding: str | None = None) -> None:
        super().__init__(path)
        check_readable(path)
        sample = read_sample(path)
        self.encoding = encoding or detect_encoding(sample)
        self._row_lines: list[int] = []

    def batches(self, progress: Progress | None = None) -> Iterator[pa.RecordBatch]:
        head = self._head()
        if head and not _is_object(head[0]):
            # a pretty-printed document would otherwise give one "not valid JSON" per line,
            # which --skip-invalid cannot mend
            document = self._document(head, progress)
            if document is not None:
                yield from self._rows_batches(document)
                return
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
                flat = flatten(obj)
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
            raise InputError(str(self.path), explain_read_error(exc, self.encoding)) from exc
        finally:
            text.close()
        self.columns = list(seen)
        self.sha256 = raw.sha256.hexdigest()

    def _head(self) -> list[str]:
        """The first lines that are not blank (up to LOOK_AHEAD); none when unreadable (the
        reading proper then says why)."""
        try:
            with open_decompressed(self.path) as f:
                text = io.TextIOWrapper(f, encoding=self.encoding, errors="replace")
                return list(itertools.islice((ln for ln in text if ln.strip()), LOOK_AHEAD))
        except (OSError, EOFError, zlib.error, LookupError):
            return []

    def _document(
        self, head: list[str], progress: Progress | None
    ) -> list[tuple[int, dict[str, Any]]] | None:
        """The objects of the file read as one JSON document, each with its line; None
        when it is JSON lines after all (whose first line is broken), an InputError
        saying what the file seems to be when it is neither."""
        raw = HashingReader(self.path.open("rb"), progress)
        binary: IO[bytes] = gzip.GzipFile(fileobj=raw) if is_gzip(self.path) else raw  # type: ignore[assignment]
        try:
            with binary:
                data = binary.read(DOCUMENT_BYTES + 1)
            text = data.decode(self.encoding).removeprefix("\ufeff")
        except (OSError, EOFError, zlib.error, UnicodeDecodeError) as exc:
            raise InputError(str(self.path), explain_read_error(exc, self.encoding)) from exc
        lines_after = any(_is_object(line) for line in head[1:])
        if len(data) > DOCUMENT_BYTES:
            if lines_after:
                return None
            raise InputError(
                str(self.path),
                N_(
                    "not JSON Lines (one JSON object per line): its first line is not a JSON object"
                ),
                line=1,
            )
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            if lines_after:
                return None
            raise InputError(
                str(self.path),
                N_(
                    "not JSON Lines (one JSON object per line), nor one JSON document: {reason}"
                ).format(reason=exc.msg),
                line=exc.lineno,
            ) from exc
        start = len(text) - len(text.lstrip())
        if _objects(value):
            at = start
        elif isinstance(value, dict) and value:
            keys = [k for k, v in value.items() if _objects(v)]
            if not keys:
                raise InputError(
                    str(self.path),
                    N_(
                        "not JSON Lines (one JSON object per line): it is one JSON object, with "
                        "no array of objects to read as rows (its keys: {keys})"
                    ).format(keys=", ".join(list(value)[:12])),
                    line=1,
                )
            if len(keys) > 1:
                raise InputError(
                    str(self.path),
                    N_(
                        "not JSON Lines (one JSON object per line): it is one JSON object "
                        "holding several arrays of objects ({keys}): save the one to import "
                        "as a file of its own"
                    ).format(keys=", ".join(keys[:12])),
                    line=1,
                )
            at = _member(text, start, keys[0])
        elif value == []:
            return []
        else:
            raise InputError(
                str(self.path),
                N_(
                    "not JSON Lines (one JSON object per line): it is one JSON document, "
                    "neither an array of objects nor an object holding one"
                ),
                line=1,
            )
        self.sha256 = raw.sha256.hexdigest()
        found: list[tuple[int, dict[str, Any]]] = []
        line, counted = 1, 0
        for offset, item in _items(text, at):
            line += text.count("\n", counted, offset)  # counted as it goes: one pass
            counted = offset
            found.append((line, item))
        return found

    def _rows_batches(self, document: list[tuple[int, dict[str, Any]]]) -> Iterator[pa.RecordBatch]:
        seen: dict[str, None] = {}
        rows = [flatten(item) for _, item in document]
        for row in rows:
            seen.update(dict.fromkeys(row))
        self._row_lines = [line for line, _ in document]
        self.columns = list(seen)
        for first in range(0, len(rows), BATCH_ROWS):
            yield self._batch(rows[first : first + BATCH_ROWS], self.columns, first + 1)

    def _batch(
        self, rows: list[dict[str, str | None]], columns: list[str], first: int
    ) -> pa.RecordBatch:
        self.columns = columns
        arrays = [pa.array([r.get(c) for r in rows], pa.string()) for c in columns]
        return with_row_numbers(pa.RecordBatch.from_arrays(arrays, names=columns), first)

    def lines(self, row_nos: Iterable[int]) -> dict[int, int]:
        return {r: self._row_lines[r - 1] for r in row_nos if 0 < r <= len(self._row_lines)}


def flatten(obj: dict[str, Any], prefix: str = "") -> dict[str, str | None]:
    """The object's values as text by dotted name (``a.b``); lists as JSON text."""
    out: dict[str, str | None] = {}
    for key, value in obj.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, f"{name}."))
        elif value is None:
            out[name] = None
        elif isinstance(value, bool):
            out[name] = "true" if value else "false"
        elif isinstance(value, (list, tuple)):
            out[name] = json.dumps(value, ensure_ascii=False)
        else:
            out[name] = str(value)
    return out


def _is_object(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False


def _objects(value: Any) -> bool:
    """Whether ``value`` is a non-empty array of objects: rows to read."""
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _items(text: str, at: int) -> Iterator[tuple[int, Any]]:
    """Each item of the (valid) JSON array that opens at ``at``, with its offset: where each
    starts gives the line that errors name, which json.loads does not tell."""
    decoder = json.JSONDecoder()
    pos = _SPACE.match(text, at + 1).end()  # type: ignore[union-attr]
    while text[pos] != "]":
        item, end = decoder.raw_decode(text, pos)
        yield pos, item
        pos = _SPACE.match(text, end).end()  # type: ignore[union-attr]
        if text[pos] == ",":
            pos = _SPACE.match(text, pos + 1).end()  # type: ignore[union-attr]


def _member(text: str, at: int, key: str) -> int:
    """The offset of the value of ``key`` in the (valid) JSON object that opens at ``at``."""
    decoder = json.JSONDecoder()
    found = -1
    pos = _SPACE.match(text, at + 1).end()  # type: ignore[union-attr]
    while text[pos] != "}":
        name, end = decoder.raw_decode(text, pos)
        pos = _SPACE.match(text, _SPACE.match(text, end).end() + 1).end()  # type: ignore[union-attr]
        if name == key:
            found = pos  # the last one, as json.loads keeps it
        _, end = decoder.raw_decode(text, pos)
        pos = _SPACE.match(text, end).end()  # type: ignore[union-attr]
        if text[pos] == ",":
            pos = _SPACE.match(text, pos + 1).end()  # type: ignore[union-attr]
    return found
