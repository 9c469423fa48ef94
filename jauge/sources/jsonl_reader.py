"""JSON lines: one object per line, nested keys read as a.b."""

from __future__ import annotations

import gzip
import io
import json
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
    read_sample,
)
from .read_errors import explain_read_error
from .tabular import BATCH_ROWS, Malformed, TabularReader, with_row_numbers


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
            raise InputError(str(self.path), explain_read_error(exc, self.encoding)) from exc
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
