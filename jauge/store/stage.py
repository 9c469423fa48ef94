"""The staged rows of one file: a temporary table of the open transaction, checked
before anything reaches the entity tables.

Every kind of record (content items, web traffic, costs) is staged the same way: a
source's SELECT converts raw rows into the record's columns plus ``_errors`` (see
:func:`jauge.sources.convert.build_select`), row numbers keep the file's order so
errors can name their line, and a subclass merges the valid rows into its tables
(:meth:`StageTable.merge`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

import duckdb
import pyarrow as pa

STAGE_TABLE = "jauge_stage"
#: where the rows of a narrow stage live (see StageTable.append_scan)
STAGE_ROWS = "jauge_stage_rows"

Columns = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class MergeCounts:
    """What a merge did to the records users count an import in (items, traffic rows)."""

    inserted: int
    updated: int
    unchanged: int
    snapshots: int = 0
    interactions: int = 0
    #: rows left out because a later row of the file gives the same record
    repeated: int = 0
    #: items this file gives to another organisation than the one storing them: (from,
    #: to, how many)
    moved: tuple[tuple[str, str, int], ...] = ()


@dataclass(frozen=True)
class MergeContext:
    import_id: str
    source: str
    observed_at: datetime


class StageTable(ABC):
    """The staged rows of one file, in a temporary table of the open transaction."""

    #: the record a source produces: (name, DuckDB type), ``row_no`` first
    record: ClassVar[Columns]
    #: columns computed from the record while staging (ids), as (name, type)
    computed_columns: ClassVar[Columns] = ()
    #: columns stored in every stage: what the merge keys on or always reads
    always_kept: ClassVar[frozenset[str]] = frozenset(("row_no", "_errors"))
    #: temporary tables a merge may leave, dropped with the stage
    temp_tables: ClassVar[tuple[str, ...]] = ()

    def __init__(self, con: duckdb.DuckDBPyConnection, workspace: str) -> None:
        self.con = con
        self.workspace = workspace
        #: the table that holds the staged rows: the stage itself, unless it is narrow
        self._rows = STAGE_TABLE
        columns = ", ".join(f"{name} {sql_type}" for name, sql_type in self.schema())
        con.execute(f"CREATE OR REPLACE TEMP TABLE {STAGE_TABLE} ({columns})")

    @classmethod
    def schema(cls) -> Columns:
        """Every column of the stage: the record, what is computed, conversion errors, and
        which ways of reading fit values that can be read two ways (see
        :func:`jauge.sources.convert.settle_readings`)."""
        return (
            *cls.record,
            *cls.computed_columns,
            ("_errors", "STRUCT(field VARCHAR, message VARCHAR)[]"),
            ("_readings", "UTINYINT[]"),
        )

    def computed(self) -> dict[str, str]:
        """SQL of each computed column, over the record's columns."""
        return {}

    def kept_columns(self, present: Collection[str]) -> set[str]:
        """The stage columns worth storing when a source fills ``present``."""
        return {*self.always_kept, *present, *(name for name, _ in self.computed_columns)}

    def _with_computed(self, select_sql: str) -> str:
        computed = "".join(f", {e} AS {name}" for name, e in self.computed().items())
        return f"SELECT *{computed} FROM ({select_sql})"

    def append(
        self, raw: pa.RecordBatch | pa.Table | pa.RecordBatchReader, select_sql: str
    ) -> None:
        """Convert ``raw`` (visible as ``raw`` in ``select_sql``) and append it to the stage."""
        self.con.register("raw", raw)
        self.con.execute(f"INSERT INTO {self._rows} BY NAME {self._with_computed(select_sql)}")
        self.con.unregister("raw")

    def append_scan(self, scan_sql: str, select_sql: str, present: Collection[str]) -> None:
        """Convert the rows of ``scan_sql`` (a table function the engine reads in
        parallel, in file order) straight into the empty stage: one statement, with
        no copy of the raw file on the way.

        Only the staged columns the source fills (``present``) are stored: a file's
        rows are held in memory until they are merged, and a column of NULLs still
        costs memory per row. The stage becomes a view that reads the others as NULL.
        """
        kept = self.kept_columns(present)
        schema = self.schema()
        columns = ", ".join(f"CAST({n} AS {t}) AS {n}" for n, t in schema if n in kept)
        self.con.execute(
            f"CREATE OR REPLACE TEMP VIEW raw AS SELECT *, NULL::BIGINT AS row_no FROM {scan_sql}"
        )
        try:
            # rows keep the scan's order (so their line numbers): a source's SELECT never
            # holds what the engine would turn into a join (see convert.one_of)
            self.con.execute(
                f"CREATE OR REPLACE TEMP TABLE {STAGE_ROWS} AS SELECT {columns} FROM "
                f"({self._with_computed(select_sql)})"
            )
        finally:
            self.con.execute("DROP VIEW IF EXISTS raw")
        every = ", ".join(n if n in kept else f"CAST(NULL AS {t}) AS {n}" for n, t in schema)
        self.con.execute(f"DROP TABLE {STAGE_TABLE}")
        self.con.execute(f"CREATE TEMP VIEW {STAGE_TABLE} AS SELECT {every} FROM {STAGE_ROWS}")
        self._rows = STAGE_ROWS
        self._number_rows()

    def _number_rows(self) -> None:
        """Rows appended in file order without their ordinal get it from their row id."""
        # Inside a transaction, new rows get row ids from a large offset, in insertion order
        rows = self._rows
        first, last, count = self.con.execute(
            f"SELECT min(rowid), max(rowid), count(*) FROM {rows}"
        ).fetchall()[0]
        if not count:
            return
        if last - first + 1 == count:
            self.con.execute(f"UPDATE {rows} SET row_no = rowid - {int(first)} + 1")
        else:  # not contiguous: number them in order, at the cost of a sort
            self.con.execute(
                f"UPDATE {rows} SET row_no = n.row_no FROM (SELECT rowid AS id, "
                f"row_number() OVER (ORDER BY rowid) AS row_no FROM {rows}) n "
                f"WHERE {rows}.rowid = n.id"
            )

    def update_from(self, values: pa.Table, columns: list[str]) -> None:
        """Overwrite ``columns`` of staged rows from ``values`` (keyed by ``row_no``)."""
        self.con.register("stage_update", values)
        assignments = ", ".join(f"{c} = u.{c}" for c in columns)
        self.con.execute(
            f"UPDATE {self._rows} SET {assignments} FROM stage_update u "
            f"WHERE {self._rows}.row_no = u.row_no"
        )
        self.con.unregister("stage_update")

    def update_where(self, column: str, sql: str, condition: str) -> None:
        """Set ``column`` of the staged rows where ``condition`` holds to ``sql`` (both SQL
        over the staged row)."""
        self.con.execute(f"UPDATE {self._rows} SET {column} = {sql} WHERE {condition}")

    def rows(self) -> int:
        return self._scalar(f"SELECT count(*) FROM {STAGE_TABLE}")

    def invalid_rows(self) -> int:
        return self._scalar(f"SELECT count(*) FROM {STAGE_TABLE} WHERE _errors IS NOT NULL")

    def errors(self, limit: int) -> tuple[list[tuple[int, str, str]], int]:
        """The first ``limit`` errors as (row_no, field, message), and how many there are."""
        total = self._scalar(f"SELECT coalesce(sum(len(_errors)), 0) FROM {STAGE_TABLE}")
        rows = self.con.execute(
            f"SELECT row_no, e.field, e.message FROM (SELECT row_no, unnest(_errors) AS e "
            f"FROM {STAGE_TABLE} WHERE _errors IS NOT NULL) ORDER BY row_no LIMIT {int(limit)}"
        ).fetchall()
        return [(int(r), str(f), str(m)) for r, f, m in rows], total

    def fetch(self, columns: list[str]) -> pa.Table:
        """Some staged columns, ordered by row, for a source's post-processing."""
        return self.con.sql(
            f"SELECT row_no, {', '.join(columns)} FROM {STAGE_TABLE} ORDER BY row_no"
        ).to_arrow_table()

    def discard_invalid(self) -> None:
        """Drop the rows that failed a check (what ``--skip-invalid`` leaves out)."""
        self.con.execute(f"DELETE FROM {self._rows} WHERE _errors IS NOT NULL")

    @abstractmethod
    def merge(self, ctx: MergeContext) -> MergeCounts:
        """Write the valid staged records into the entity tables and count what changed."""

    def _scalar(self, sql: str) -> int:
        row = self.con.execute(sql).fetchall()[0]
        return int(row[0]) if row and row[0] is not None else 0

    def drop(self) -> None:
        if self._rows != STAGE_TABLE:
            self.con.execute(f"DROP VIEW {STAGE_TABLE}")
        for table in (self._rows, *self.temp_tables):
            self.con.execute(f"DROP TABLE IF EXISTS {table}")
