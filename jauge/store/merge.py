"""Staging and merging: how staged records from one file become entities, all or nothing.

A :class:`Staging` lives inside one transaction. Sources append raw Arrow
batches with the SELECT that converts them into staged records (see
:mod:`jauge.model`); values that fail conversion are kept with their errors so
that every one of them can be reported. :meth:`Staging.merge` then writes the
valid records into the entity tables with set-based SQL: a few statements per
file, whatever its size, and never one statement per row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb
import pyarrow as pa

from ..model import INTERACTION_KINDS, METRICS, STAGE_COLUMNS
from .ids import sql_id, sql_literal

STAGE_TABLE = "jauge_stage"

_ITEM_FIELDS = (
    "kind",
    "org_id",
    "account_id",
    "author_person_id",
    "is_own",
    "text",
    "title",
    "url",
    "lang",
    "created_at",
    "reply_to_id",
    "quote_of_id",
    "repost_of_id",
    "extra",
)


@dataclass(frozen=True)
class MergeCounts:
    """What a merge did to content items (the unit users count imports in)."""

    inserted: int
    updated: int
    unchanged: int
    snapshots: int
    interactions: int


@dataclass(frozen=True)
class MergeContext:
    workspace: str
    import_id: str
    source: str
    observed_at: datetime


class Staging:
    """The staged records of one file, in a temporary table of the open transaction."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        columns = ", ".join(f"{name} {sql_type}" for name, sql_type in STAGE_COLUMNS)
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {STAGE_TABLE} ({columns}, "
            "_errors STRUCT(field VARCHAR, message VARCHAR)[])"
        )

    def append(self, raw: pa.RecordBatch | pa.Table, select_sql: str) -> None:
        """Convert ``raw`` (visible as ``raw`` in ``select_sql``) and append it to the stage."""
        self.con.register("raw", raw)
        self.con.execute(f"INSERT INTO {STAGE_TABLE} BY NAME {select_sql}")
        self.con.unregister("raw")

    def update_from(self, values: pa.Table, columns: list[str]) -> None:
        """Overwrite ``columns`` of staged rows from ``values`` (keyed by ``row_no``)."""
        self.con.register("stage_update", values)
        assignments = ", ".join(f"{c} = u.{c}" for c in columns)
        self.con.execute(
            f"UPDATE {STAGE_TABLE} SET {assignments} FROM stage_update u "
            f"WHERE {STAGE_TABLE}.row_no = u.row_no"
        )
        self.con.unregister("stage_update")

    def add_error(self, row_no: int, field: str, message: str) -> None:
        self.con.execute(
            f"UPDATE {STAGE_TABLE} SET _errors = list_append(coalesce(_errors, []), "
            "{'field': ?, 'message': ?}) WHERE row_no = ?",
            [field, message, row_no],
        )

    def rows(self) -> int:
        row = self.con.execute(f"SELECT count(*) FROM {STAGE_TABLE}").fetchone()
        return int(row[0]) if row else 0

    def invalid_rows(self) -> int:
        row = self.con.execute(
            f"SELECT count(*) FROM {STAGE_TABLE} WHERE _errors IS NOT NULL"
        ).fetchone()
        return int(row[0]) if row else 0

    def errors(self, limit: int) -> tuple[list[tuple[int, str, str]], int]:
        """The first ``limit`` errors as (row_no, field, message), and how many there are."""
        total_row = self.con.execute(
            f"SELECT coalesce(sum(len(_errors)), 0) FROM {STAGE_TABLE}"
        ).fetchone()
        total = int(total_row[0]) if total_row else 0
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

    # -- merge ---------------------------------------------------------------------

    def merge(self, ctx: MergeContext) -> MergeCounts:
        """Write the valid staged records into the entity tables and count what changed."""
        con = self.con
        ws = sql_literal(ctx.workspace)
        imp = sql_literal(ctx.import_id)
        derive = self._needs_derived_ids()
        # Rows without a native id get one derived from their account, what
        # identifies them in the export (e.g. their time) and their rank among
        # look-alikes counted from the file's end (exports list newest first, so
        # older posts keep their rank when newer ones are added on top).
        nid = (
            "coalesce(native_id, 'derived:' || "
            + sql_id(
                "coalesce(account_handle, org)",
                "identity",
                "row_number() OVER (PARTITION BY platform, account_handle, org, identity "
                "ORDER BY row_no DESC)",
            )
            + ")"
            if derive
            else "native_id"
        )
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE jauge_keyed AS
            WITH valid AS (
                SELECT *, {nid} AS nid FROM {STAGE_TABLE} WHERE _errors IS NULL
            )
            SELECT
                *,
                native_id IS NULL AS id_derived,
                {sql_id(ws, "platform", "nid")} AS item_id,
                CASE WHEN org IS NOT NULL THEN {sql_id(ws, "lower(trim(org))")} END AS org_id,
                CASE WHEN account_handle IS NOT NULL AND org IS NOT NULL
                     THEN {sql_id(ws, "platform", "lower(account_handle)")} END AS account_id,
                CASE WHEN NOT is_own AND coalesce(author_native_id, author_handle) IS NOT NULL
                     THEN coalesce(author_native_id, '@' || lower(author_handle)) END
                     AS person_native_id,
                CASE WHEN reply_to IS NOT NULL THEN {sql_id(ws, "platform", "reply_to")} END
                     AS reply_to_id,
                CASE WHEN quote_of IS NOT NULL THEN {sql_id(ws, "platform", "quote_of")} END
                     AS quote_of_id,
                CASE WHEN repost_of IS NOT NULL THEN {sql_id(ws, "platform", "repost_of")} END
                     AS repost_of_id
            FROM valid
            -- a file may list the same item twice: its last row wins
            QUALIFY row_number() OVER (PARTITION BY item_id ORDER BY row_no DESC) = 1
            """
        )
        con.execute(
            f"""
            ALTER TABLE jauge_keyed ADD COLUMN author_person_id VARCHAR;
            UPDATE jauge_keyed SET author_person_id = {sql_id(ws, "platform", "person_native_id")}
            WHERE person_native_id IS NOT NULL;
            """
        )
        self._merge_parents(ws)
        counts_new, counts_changed = self._merge_items(ws, imp)
        snapshot_ids, snapshots = self._merge_snapshots(ws, imp, ctx.observed_at)
        interactions = self._merge_interactions(ws, imp)
        self._merge_annotations(ws, imp, ctx.source)
        updated_row = con.execute(
            "SELECT count(*) FROM jauge_keyed k LEFT JOIN jauge_changed c USING (item_id) "
            "LEFT JOIN jauge_new_snapshots s ON s.subject_id = k.item_id "
            "WHERE NOT k.is_new AND (c.item_id IS NOT NULL OR s.subject_id IS NOT NULL)"
        ).fetchone()
        updated = int(updated_row[0]) if updated_row else 0
        total_row = con.execute("SELECT count(*) FROM jauge_keyed").fetchone()
        total = int(total_row[0]) if total_row else 0
        del counts_changed, snapshot_ids
        return MergeCounts(
            inserted=counts_new,
            updated=updated,
            unchanged=total - counts_new - updated,
            snapshots=snapshots,
            interactions=interactions,
        )

    def _needs_derived_ids(self) -> bool:
        row = self.con.execute(
            f"SELECT count(*) FROM {STAGE_TABLE} WHERE native_id IS NULL AND _errors IS NULL"
        ).fetchone()
        return bool(row and row[0])

    def _merge_parents(self, ws: str) -> None:
        """Create the workspace, organisations, accounts and persons the records refer to."""
        self.con.execute(
            f"""
            INSERT INTO workspaces SELECT {ws}, now()::TIMESTAMP
            WHERE NOT EXISTS (SELECT 1 FROM workspaces WHERE workspace = {ws});

            INSERT INTO organisations (org_id, workspace, name, relation, created_at)
            SELECT org_id, {ws}, min(trim(org)), 'own', now()::TIMESTAMP
            FROM jauge_keyed k WHERE org_id IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM organisations o WHERE o.org_id = k.org_id)
            GROUP BY org_id;

            INSERT INTO accounts (account_id, workspace, org_id, platform, handle, created_at)
            SELECT account_id, {ws}, min(org_id), min(platform), min(account_handle),
                   now()::TIMESTAMP
            FROM jauge_keyed k WHERE account_id IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.account_id = k.account_id)
            GROUP BY account_id;

            INSERT INTO persons
            SELECT author_person_id, {ws}, min(platform), min(person_native_id),
                   arg_max(author_handle, row_no), arg_max(author_name, row_no),
                   arg_max(author_location, row_no), min(created_at)
            FROM jauge_keyed k WHERE author_person_id IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM persons p WHERE p.person_id = k.author_person_id)
            GROUP BY author_person_id;
            """
        )

    def _merge_items(self, ws: str, imp: str) -> tuple[int, int]:
        con = self.con
        con.execute(
            """
            ALTER TABLE jauge_keyed ADD COLUMN is_new BOOLEAN DEFAULT true;
            UPDATE jauge_keyed SET is_new = false
            WHERE item_id IN (SELECT item_id FROM content_items);
            """
        )
        current = ", ".join(f"c.{f}" for f in _ITEM_FIELDS)
        staged = ", ".join(f"k.{f}" for f in _ITEM_FIELDS)
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE jauge_changed AS
            SELECT k.item_id FROM jauge_keyed k JOIN content_items c USING (item_id)
            WHERE NOT k.is_new AND ({current}) IS DISTINCT FROM ({staged})
            """
        )
        con.execute(
            f"""
            INSERT INTO content_items
            SELECT item_id, {ws}, platform, nid, id_derived, kind, org_id, account_id,
                   author_person_id, is_own, text, title, url, lang, created_at,
                   reply_to_id, quote_of_id, repost_of_id, extra, {imp}, {imp}
            FROM jauge_keyed WHERE is_new
            """
        )
        assignments = ", ".join(f"{f} = k.{f}" for f in _ITEM_FIELDS)
        con.execute(
            f"""
            UPDATE content_items SET {assignments}, last_import_id = {imp}
            FROM jauge_keyed k
            WHERE content_items.item_id = k.item_id
              AND k.item_id IN (SELECT item_id FROM jauge_changed)
            """
        )
        new_row = con.execute("SELECT count(*) FROM jauge_keyed WHERE is_new").fetchone()
        changed_row = con.execute("SELECT count(*) FROM jauge_changed").fetchone()
        return (int(new_row[0]) if new_row else 0, int(changed_row[0]) if changed_row else 0)

    def _merge_snapshots(self, ws: str, imp: str, observed_at: datetime) -> tuple[int, int]:
        """Add a snapshot where an item has metrics that differ from its latest one."""
        con = self.con
        metrics = ", ".join(METRICS)
        packed_new = ", ".join(f"k.{m}" for m in METRICS) + ", k.extra"
        any_metric = " OR ".join(f"{m} IS NOT NULL" for m in METRICS)
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE jauge_new_snapshots AS
            WITH latest AS (
                SELECT subject_id,
                       arg_max(({metrics}, extra), observed_at) AS v
                FROM metric_snapshots
                WHERE subject_type = 'item'
                  AND subject_id IN (SELECT item_id FROM jauge_keyed WHERE NOT is_new)
                GROUP BY subject_id
            )
            SELECT 'item' AS subject_type, k.item_id AS subject_id, {ws} AS workspace,
                   coalesce(k.observed_at, ?) AS observed_at,
                   {", ".join(f"k.{m}" for m in METRICS)}, k.extra, {imp} AS import_id
            FROM jauge_keyed k LEFT JOIN latest l ON l.subject_id = k.item_id
            WHERE ({any_metric.replace(" IS", " IS")})
              AND (l.v IS NULL OR l.v IS DISTINCT FROM ({packed_new}))
            """,
            [observed_at],
        )
        con.execute("INSERT INTO metric_snapshots SELECT * FROM jauge_new_snapshots")
        row = con.execute("SELECT count(*) FROM jauge_new_snapshots").fetchone()
        n = int(row[0]) if row else 0
        return n, n

    def _merge_interactions(self, ws: str, imp: str) -> int:
        """Someone else's reply, comment, mention, quote or repost is an interaction."""
        kinds = ", ".join(sql_literal(k) for k in INTERACTION_KINDS)
        before = self._count("interactions")
        self.con.execute(
            f"""
            INSERT INTO interactions
            SELECT {sql_id("item_id", "kind")}, {ws}, platform, kind, author_person_id, org_id,
                   coalesce(reply_to_id, quote_of_id, repost_of_id), item_id, created_at, {imp}
            FROM jauge_keyed k
            WHERE NOT is_own AND author_person_id IS NOT NULL AND kind IN ({kinds})
              AND NOT EXISTS (SELECT 1 FROM interactions i
                              WHERE i.interaction_id = {sql_id("k.item_id", "k.kind")})
            """
        )
        return self._count("interactions") - before

    def _merge_annotations(self, ws: str, imp: str, source: str) -> None:
        src = sql_literal(source)
        self.con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE jauge_staged_annotations AS
            SELECT item_id, e.key AS key, e.value AS value
            FROM (SELECT item_id, unnest(map_entries(annotations)) AS e
                  FROM jauge_keyed WHERE annotations IS NOT NULL AND cardinality(annotations) > 0);

            DELETE FROM annotations a USING jauge_staged_annotations s
            WHERE a.item_id = s.item_id AND a.key = s.key AND a.source = {src}
              AND a.value IS DISTINCT FROM s.value;

            INSERT INTO annotations
            SELECT s.item_id, {ws}, s.key, s.value, {src}, {imp}
            FROM jauge_staged_annotations s
            WHERE NOT EXISTS (SELECT 1 FROM annotations a WHERE a.item_id = s.item_id
                              AND a.key = s.key AND a.source = {src});
            """
        )

    def _count(self, table: str) -> int:
        row = self.con.execute(f"SELECT count(*) FROM {table}").fetchone()
        return int(row[0]) if row else 0

    def drop(self) -> None:
        for table in (
            STAGE_TABLE,
            "jauge_keyed",
            "jauge_changed",
            "jauge_new_snapshots",
            "jauge_staged_annotations",
        ):
            self.con.execute(f"DROP TABLE IF EXISTS {table}")


def stage_defaults() -> dict[str, Any]:
    """Column name -> SQL type of the staged record, for building SELECTs."""
    return dict(STAGE_COLUMNS)
