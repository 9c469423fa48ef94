"""Engines that compute the index's statistics: DuckDB (embedded, default) and Apache Spark.

Both run the SQL of :mod:`jauge.metrics.statistics`; Spark gets it transpiled by
SQLGlot and reads the store's tables from Parquet files exported for it. Engines
are registered through the ``jauge.engines`` entry point, like sources.
"""

from __future__ import annotations

import tempfile
from abc import ABC, abstractmethod
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

import pyarrow as pa

from .. import plugins, settings
from ..errors import ConfigError
from ..i18n import N_, _
from ..store.duckdb_store import Store
from .spec import StatisticsRules
from .statistics import (
    COLUMNS,
    TEXT_COLUMNS,
    Scope,
    needs_narrowing,
    scope_tables,
    statistics_sql,
)

GROUP = "jauge.engines"
#: the store tables the statistics read
TABLES = (
    "content_items",
    "interactions",
    "metric_snapshots",
    "annotations",
    "authenticity",
    "web_traffic",
)


class Engine(ABC):
    name: ClassVar[str]

    @abstractmethod
    def statistics(
        self, store: Store, scopes: list[Scope], rules: StatisticsRules
    ) -> dict[str, pa.Table]:
        """The statistic tables of all ``scopes`` at once, with the columns of
        ``statistics.COLUMNS``, sorted by scope (see ``statistics.split_by_scope``)."""

    def sql(self, rules: StatisticsRules, narrowed: bool = True) -> dict[str, str]:
        """The SQL this engine runs (for snapshot tests and the curious)."""
        return statistics_sql(rules, narrowed)


def _normalised(table: pa.Table, name: str) -> pa.Table:
    """Same column order and types whichever engine computed the table."""
    columns = COLUMNS[name]
    arrays = []
    for column in columns:
        array = table.column(column)
        if column in TEXT_COLUMNS:
            arrays.append(array.cast(pa.string()))
        elif column == "scope_id":
            arrays.append(array.cast(pa.int64()))
        else:
            arrays.append(array.cast(pa.float64()))
    return pa.table(arrays, names=list(columns))


class DuckDBEngine(Engine):
    name = "duckdb"

    def statistics(
        self, store: Store, scopes: list[Scope], rules: StatisticsRules
    ) -> dict[str, pa.Table]:
        tables = scope_tables(scopes)
        for name, table in tables.items():
            store.con.register(name, table)
        try:
            return {
                name: _normalised(store.con.sql(sql).to_arrow_table(), name)
                for name, sql in self.sql(rules, needs_narrowing(scopes)).items()
            }
        finally:
            for name in tables:
                store.con.unregister(name)


def _epoch_as_duckdb(node: Any) -> Any:
    """``EPOCH(ts)`` as DuckDB computes it: seconds as a double, with their fraction.

    SQLGlot writes it ``UNIX_TIMESTAMP(ts)`` for Spark, which drops the fraction and is a
    whole number, so ``(EPOCH(a) - EPOCH(b)) / 3600.0`` became a decimal division rounded
    to six places: hours to a first answer differed in their last digits, which changed
    the fingerprint, so the bootstrap's seed, so every interval. Microseconds read as a
    double and divided by a million give DuckDB's value bit for bit.
    """
    from sqlglot import exp

    if not isinstance(node, exp.TimeToUnix):
        return node
    micros = exp.Anonymous(this="UNIX_MICROS", expressions=[node.this.copy()])
    return exp.Paren(
        this=exp.Div(
            this=exp.Cast(this=micros, to=exp.DataType.build("DOUBLE")),
            expression=exp.Literal.number("1000000.0"),
        )
    )


class SparkEngine(Engine):
    """Apache Spark (local mode unless ``JAUGE_SPARK_MASTER`` says otherwise)."""

    name = "spark"

    def sql(self, rules: StatisticsRules, narrowed: bool = True) -> dict[str, str]:
        import sqlglot

        return {
            name: sqlglot.parse_one(sql, read="duckdb").transform(_epoch_as_duckdb).sql("spark")
            for name, sql in statistics_sql(rules, narrowed).items()
        }

    def statistics(
        self, store: Store, scopes: list[Scope], rules: StatisticsRules
    ) -> dict[str, pa.Table]:
        spark = spark_session()
        # the tables travel as Parquet files holding the posts' texts: they are removed as
        # soon as the statistics are read, so that nothing `jauge person forget` erases
        # survives in a temporary folder
        with tempfile.TemporaryDirectory(prefix="jauge-spark-") as kept:
            return self._statistics(spark, Path(kept), store, scopes, rules)

    def _statistics(
        self, spark: Any, folder: Path, store: Store, scopes: list[Scope], rules: StatisticsRules
    ) -> dict[str, pa.Table]:
        workspaces = sorted({s.workspace for s in scopes})
        marks = ", ".join("?" for _ in workspaces)
        for table in TABLES:
            path = folder / f"{table}.parquet"
            store.con.execute(
                f"COPY (SELECT * FROM {table} WHERE workspace IN ({marks})) "
                f"TO '{path}' (FORMAT parquet)",
                workspaces,
            )
            spark.read.parquet(str(path)).createOrReplaceTempView(table)
        # the scopes travel the same way, so that their timestamps have the same type
        for name, table in scope_tables(scopes).items():
            path = folder / f"{name}.parquet"
            store.con.register("jauge_scope_export", table)
            store.con.execute(f"COPY jauge_scope_export TO '{path}' (FORMAT parquet)")
            store.con.unregister("jauge_scope_export")
            spark.read.parquet(str(path)).createOrReplaceTempView(name)
        results = {}
        for name, sql in self.sql(rules, needs_narrowing(scopes)).items():
            frame = spark.sql(sql)
            results[name] = _normalised(_to_arrow(frame), name)
        return results


def _to_arrow(frame: Any) -> pa.Table:
    if hasattr(frame, "toArrow"):  # Spark 4
        return frame.toArrow()
    return pa.Table.from_pandas(frame.toPandas(), preserve_index=False)


@cache
def spark_session() -> Any:
    """One local Spark session per process, in UTC like the store."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise ConfigError(
            _("the spark engine needs PySpark and a Java 17 runtime: pip install 'jauge[spark]'")
        ) from exc
    master = settings.SPARK_MASTER.value()
    try:
        session = (
            SparkSession.builder.master(master)
            .appName("jauge")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.ansi.enabled", "false")
            .getOrCreate()
        )
    except Exception as exc:  # PySpark's and Java's errors alike: what to change is ours
        reason = next((line for line in str(exc).splitlines() if line.strip()), type(exc).__name__)
        raise ConfigError(
            _(
                "Spark could not start with the master {master} ({env}): {reason}; the spark "
                "engine needs a Java 17 runtime, or the default engine (duckdb) needs nothing",
                master=repr(master),
                env=settings.SPARK_MASTER.env,
                reason=reason[:200],
            )
        ) from exc
    session.sparkContext.setLogLevel("ERROR")
    return session


def get_engine(name: str) -> Engine:
    found: Engine = plugins.create(GROUP, Engine, name, N_("engine"))
    return found
