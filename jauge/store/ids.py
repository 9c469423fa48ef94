"""Stable ids: md5 hex digests of natural keys, computed the same way in SQL and Python.

Deriving ids from natural keys (rather than counters) is what makes an import
idempotent and a store reproducible: the same input gives the same ids in any
store, on any engine.
"""

from __future__ import annotations

import hashlib

SEPARATOR = "\x1f"  # ASCII unit separator: never found in handles or ids


def make_id(*parts: str | None) -> str:
    """The id of a natural key; ``None`` parts count as empty strings."""
    joined = SEPARATOR.join("" if p is None else p for p in parts)
    return hashlib.md5(joined.encode("utf-8")).hexdigest()


def sql_id(*parts: str) -> str:
    """A DuckDB expression computing :func:`make_id` over SQL expressions ``parts``."""
    coalesced = ", ".join(f"coalesce(CAST({p} AS VARCHAR), '')" for p in parts)
    return f"md5(concat_ws(chr(31), {coalesced}))"


def sql_literal(value: str | None) -> str:
    """A SQL string literal (or NULL) for ``value``, quotes escaped."""
    if value is None:
        return "NULL"
    return "'" + value.replace("'", "''") + "'"
