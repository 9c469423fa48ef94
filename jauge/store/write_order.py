"""Inserts whose rows may be stored in any order.

The engine keeps a large insert's rows in the order of its query by default, writing
each thread's share into row groups of its own; the last of each is partly filled, and
the next checkpoint rewrites those to fill them. Measured on a million metric snapshots:
the checkpoint at close took 0.25 to 0.4 s, against 0.01 s once written unordered, and the
insert itself was no slower.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb


@contextmanager
def unordered_writes(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Run a block whose inserts may store their rows in any order: for tables read only
    through keys and aggregates, never in the order rows were written."""
    con.execute("SET preserve_insertion_order = false")
    try:
        yield
    finally:
        con.execute("RESET preserve_insertion_order")
