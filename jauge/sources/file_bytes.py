"""The bytes of an imported file: gzip or not, a sample to tell its encoding, delimiter
and line ends by, and its hash as it is read."""

from __future__ import annotations

import codecs
import gzip
import hashlib
import io
import re
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from ..errors import InputError
from ..i18n import N_

GZIP_MAGIC = b"\x1f\x8b"

SAMPLE_BYTES = 1 << 16

#: the ends of lines as the engine and the csv module read them
LINE_END = re.compile(r"\r\n|\r|\n")


Progress = Callable[[int], None]


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


def read_tail(path: Path) -> bytes | None:
    """The last bytes of a file large enough to have a sample of its own apart from its
    head, from its first whole line on; None for a gzip file (its end is only reached by
    reading all of it) or a small one (the head sample holds it)."""
    if is_gzip(path) or path.stat().st_size <= 2 * SAMPLE_BYTES:
        return None
    with path.open("rb") as f:
        f.seek(-SAMPLE_BYTES, 2)
        tail = f.read()
    return tail[tail.find(b"\n") + 1 :]


def mixes_line_ends(head: bytes, tail: bytes | None) -> bool:
    """Whether the file ends its lines both with \\r\\n and with a lone \\n, judged on its
    first and last bytes: the engine's reader takes one kind of line end for the whole
    file and cannot read such a file, a file two others were pasted into. Line ends inside
    quoted values (a spreadsheet's cells) do not count. The tail starts anywhere: from its
    first line end on, quotes pair up as a rule (a value spanning that point makes this
    say yes, which costs only speed)."""
    kinds = set()
    for sample in (head, tail or b""):
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
    for line in LINE_END.split(text):
        stripped = line.strip()
        if stripped.startswith("#"):
            comments += 1
        elif stripped:
            break
        count += 1
    return count if comments else 0


def detect_encoding(sample: bytes, tail: bytes | None = None) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 or Latin-1, from
    the file's first bytes and, when given, its last ones: an export whose first accent
    comes late (names sorted, French rows after English ones) is still told apart."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if _is_utf8(sample) and (tail is None or _is_utf8(tail.lstrip(_CONTINUATION))):
        return "utf-8"
    try:
        (sample + (tail or b"")).decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


#: bytes that continue a UTF-8 character: a sample cut from the middle may start with them
_CONTINUATION = bytes(range(0x80, 0xC0))


def _is_utf8(sample: bytes) -> bool:
    try:
        # a multi-byte character may be cut at the end of the sample
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return True
    except UnicodeDecodeError:
        return False


def sniff_delimiter(first_line: str) -> str:
    """The most frequent of , ; tab | in the header line (comma when none)."""
    counts = {d: first_line.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def text_sample(sample: bytes, encoding: str) -> str:
    return codecs.getincrementaldecoder(encoding)(errors="replace").decode(sample, final=False)
