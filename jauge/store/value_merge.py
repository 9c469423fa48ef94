"""Staging and merging web traffic and costs: rows an export gives per key, summed, then
inserted or replaced by key (docs/value.md).

Analytics and ad exports have no ids of their own: a row is what the export says for a
day (or period), a source, a campaign... so the key is made of those, and a newer export
of the same key replaces the older figures (analytics tools revise recent days). Rows of
one export with the same key are summed: a session-level export becomes counts.
"""

from __future__ import annotations

from typing import ClassVar

from .ids import sql_id, sql_literal
from .merge import merge_organisations, org_id_sql
from .stage import STAGE_TABLE, Columns, MergeContext, MergeCounts, StageTable

_SUMMED = "jauge_summed"
_CHANGED = "jauge_summed_changed"


class SummedStaging(StageTable):
    """Staged rows merged by key into ``table``: summed within the file, then inserted,
    replaced when their figures changed, or left alone."""

    table: ClassVar[str]
    #: the columns that make a row's key, after the workspace and organisation
    key: ClassVar[tuple[str, ...]]
    #: figures summed over the rows of one key
    summed: ClassVar[tuple[str, ...]]
    #: key columns used for the row's id only, never stored (the id is their digest)
    unstored: ClassVar[tuple[str, ...]] = ()
    temp_tables = (_SUMMED, _CHANGED)

    def aggregate(self, column: str) -> str:
        """SQL of a figure over the rows of one key: their sum."""
        return f"sum({column})"

    @classmethod
    def describing(cls) -> tuple[str, ...]:
        """Record columns that are neither the key nor summed: the last row's value wins."""
        skip = {"row_no", "org", *cls.key, *cls.summed}
        return tuple(n for n, _ in cls.record if n not in skip)

    def computed(self) -> dict[str, str]:
        ws = sql_literal(self.workspace)
        return {"row_id": sql_id(ws, "lower(trim(org))", *self.key)}

    def merge(self, ctx: MergeContext) -> MergeCounts:
        ws, imp = sql_literal(self.workspace), sql_literal(ctx.import_id)
        self.discard_invalid()
        merge_organisations(self.con, ws, f"SELECT DISTINCT org FROM {STAGE_TABLE}")
        summed = ", ".join(f"{self.aggregate(c)} AS {c}" for c in self.summed)
        last = ", ".join(
            f"NULL AS {c}" if c in self.unstored else f"arg_max({c}, row_no) AS {c}"
            for c in (*self.key, *self.describing())
        )
        self.con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE {_SUMMED} AS
            SELECT row_id, {ws} AS workspace, {org_id_sql(ws, "min(org)")} AS org_id,
                   {last}, {summed}, {imp} AS import_id
            FROM {STAGE_TABLE} GROUP BY row_id
            """
        )
        figures = [*self.key, *self.describing(), *self.summed]
        old = ", ".join(f"t.{c}" for c in figures)
        new = ", ".join(f"s.{c}" for c in figures)
        self.con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE {_CHANGED} AS
            SELECT s.row_id, ({old}) IS DISTINCT FROM ({new}) AS changed
            FROM {_SUMMED} s JOIN {self.table} t
              ON t.row_id = s.row_id AND t.workspace = s.workspace;

            DELETE FROM {self.table} t USING {_CHANGED} c
            WHERE t.row_id = c.row_id AND t.workspace = {ws} AND c.changed;

            INSERT INTO {self.table} BY NAME
            SELECT s.* FROM {_SUMMED} s
            WHERE NOT EXISTS (SELECT 1 FROM {_CHANGED} c WHERE c.row_id = s.row_id
                              AND NOT c.changed);
            """
        )
        total = self._scalar(f"SELECT count(*) FROM {_SUMMED}")
        existing = self._scalar(f"SELECT count(*) FROM {_CHANGED}")
        updated = self._scalar(f"SELECT count(*) FROM {_CHANGED} WHERE changed")
        return MergeCounts(inserted=total - existing, updated=updated, unchanged=existing - updated)


#: a staged web analytics row (see jauge.sources.web_analytics)
TRAFFIC_RECORD: Columns = (
    ("row_no", "BIGINT"),
    ("org", "VARCHAR"),
    ("day", "DATE"),
    ("source", "VARCHAR"),
    ("medium", "VARCHAR"),
    ("campaign", "VARCHAR"),
    ("content", "VARCHAR"),
    ("landing_page", "VARCHAR"),
    ("channel", "VARCHAR"),
    ("platform", "VARCHAR"),
    ("session_id", "VARCHAR"),
    ("sessions", "BIGINT"),
    ("engaged_sessions", "BIGINT"),
    ("conversions", "BIGINT"),
    ("revenue", "DECIMAL(18, 2)"),
    ("currency", "VARCHAR"),
)

#: a staged cost row (see jauge.sources.costs)
COST_RECORD: Columns = (
    ("row_no", "BIGINT"),
    ("org", "VARCHAR"),
    ("platform", "VARCHAR"),
    ("campaign", "VARCHAR"),
    ("ad", "VARCHAR"),
    ("starts_on", "DATE"),
    ("ends_on", "DATE"),
    ("spend", "DECIMAL(18, 2)"),
    ("currency", "VARCHAR"),
    ("impressions", "BIGINT"),
    ("clicks", "BIGINT"),
    ("conversions", "BIGINT"),
    ("revenue", "DECIMAL(18, 2)"),
    ("extra", "JSON"),
)


class TrafficStaging(SummedStaging):
    """Web analytics rows, merged into ``web_traffic``."""

    record = TRAFFIC_RECORD
    computed_columns = (("row_id", "VARCHAR"),)
    always_kept = frozenset(("row_no", "_errors", "org", "day", "sessions", "row_id"))
    table = "web_traffic"
    key = ("day", "source", "medium", "campaign", "content", "landing_page", "channel",
           "platform", "session_id")  # fmt: skip
    summed = ("sessions", "engaged_sessions", "conversions", "revenue")
    # an analytics tool's session or visitor id may identify a person: web analytics are
    # counted, never traced back, so only its digest (row_id) is kept
    unstored = ("session_id",)

    def aggregate(self, column: str) -> str:
        # the rows of one named session (its pages, its events) are one session: their
        # conversions and revenue add up, the session is counted once
        if column in ("sessions", "engaged_sessions"):
            return f"CASE WHEN count(session_id) > 0 THEN max({column}) ELSE sum({column}) END"
        return super().aggregate(column)

    def computed(self) -> dict[str, str]:
        # a session named by the export is its own key, whatever else its rows say
        ws = sql_literal(self.workspace)
        by_key = super().computed()["row_id"]
        by_session = sql_id(ws, "lower(trim(org))", "'session'", "session_id")
        return {"row_id": f"CASE WHEN session_id IS NOT NULL THEN {by_session} ELSE {by_key} END"}

    @classmethod
    def describing(cls) -> tuple[str, ...]:
        return ("currency",)


class CostStaging(SummedStaging):
    """Ad spend rows, merged into ``costs``."""

    record = COST_RECORD
    computed_columns = (("row_id", "VARCHAR"),)
    always_kept = frozenset(("row_no", "_errors", "org", "spend", "row_id"))
    table = "costs"
    key = ("platform", "campaign", "ad", "starts_on", "ends_on")
    summed = ("spend", "impressions", "clicks", "conversions", "revenue")
