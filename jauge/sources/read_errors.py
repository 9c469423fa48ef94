"""The engine's errors while reading a file, told in a few words: never its whole text,
which repeats the row and the SQL statement."""

from __future__ import annotations

import re
import zlib

import duckdb

from .. import settings
from ..i18n import N_


def first_engine_error(exc: duckdb.Error) -> duckdb.Error:
    """The error the read itself raised, when cleaning up after it raised another (a
    statement in an aborted transaction fails with "Current transaction is aborted")."""
    while isinstance(exc.__context__, duckdb.Error):
        exc = exc.__context__
    return exc


_COLUMNS_FOUND = re.compile(r"Expected Number of Columns: (\d+) Found: (\d+)")


#: the engine's and Arrow's words for a row longer than they read
TOO_LONG = re.compile(r"Maximum line size of|straddling object")


#: what the engine adds to a message after its first line (the row, its options, the SQL)
_ENGINE_DETAILS = re.compile(r"^(CSV Error on Line|Original Line|LINE \d+:)")


def reject_message(kind: str, message: str, row_limit: int) -> str:
    """What the engine's reject of a row (its kind and message) means, for a reader of
    rows up to ``row_limit`` bytes."""
    if match := _COLUMNS_FOUND.search(message):
        return N_("expected {expected} values, found {found}").format(
            expected=match[1], found=match[2]
        )
    kind = kind.upper()
    if "UNICODE" in kind or "ENCODING" in kind:
        return N_("this line is not valid text in the file's encoding: pass --encoding")
    if "LINE SIZE" in kind:
        return too_long(row_limit)
    if "UNQUOTED" in kind:
        return N_(
            "a value's quotes are not closed where they should be (a quote inside a quoted "
            "value is written twice)"
        )
    return short_reason(message)


def import_out_of_memory(reason: str) -> str:
    """What to change when an import runs out of the memory it may use, reading its file
    or merging it."""
    limit = settings.IMPORT_MEMORY_LIMIT
    return N_(
        "the import ran out of memory ({reason}): raise {env} (now {limit}, e.g. "
        "{env}=2GB) and import the file again"
    ).format(reason=reason, env=limit.env, limit=limit.value())


def explain_read_error(exc: BaseException, encoding: str, row_limit: int | None = None) -> str:
    """A short message for a file that could not be read: never the engine's whole text,
    which repeats the row and the SQL statement. ``row_limit``: the longest row the reader
    reads, in bytes, when it has one."""
    raw = str(exc)
    message = short_reason(raw)
    if isinstance(exc, duckdb.OutOfMemoryException):
        return import_out_of_memory(message)
    if "invalid UTF8" in raw or "UnicodeDecodeError" in raw or isinstance(exc, UnicodeDecodeError):
        return N_(
            "the file is not valid {encoding}: pass --encoding (for example cp1252 or latin-1) "
            "to read it"
        ).format(encoding=encoding)
    if row_limit is not None and TOO_LONG.search(raw):
        return too_long(row_limit)
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


def too_long(row_limit: int) -> str:
    return N_(
        "a row is longer than {size} MB, the most jauge reads (a quote left open makes the "
        "rest of the file one value)"
    ).format(size=row_limit >> 20)


def short_reason(message: str) -> str:
    """The first line of an error that says what went wrong, without the kind of error the
    engine prefixes (``IO Error: ``), cut to 200 characters."""
    lines = [line.strip() for line in message.splitlines()]
    said = next((line for line in lines if line and not _ENGINE_DETAILS.match(line)), "")
    said = re.sub(r"^[A-Z][A-Za-z ]* Error: ", "", said)
    return said if len(said) <= 200 else said[:199] + "…"
