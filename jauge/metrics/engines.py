"""Engines that compute the index's statistics: DuckDB (embedded, default) and Apache Spark.

Both run the SQL of :mod:`jauge.metrics.statistics`; Spark gets it transpiled by
SQLGlot and reads the store's tables from Parquet files exported for it. Engines
are registered through the ``jauge.engines`` entry point, like sources.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import warnings
from abc import ABC, abstractmethod
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

import pyarrow as pa

from .. import plugins, settings
from ..errors import ConfigError, is_interruption
from ..i18n import N_, _
from ..store.duckdb_store import Store, shown_columns
from .spec import StatisticsRules
from .statistics import (
    COLUMNS,
    TEXT_COLUMNS,
    Scope,
    needs_narrowing,
    scope_tables,
    shares_organisations,
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

    def sql(
        self, rules: StatisticsRules, narrowed: bool = True, shared: bool = False
    ) -> dict[str, str]:
        """The SQL this engine runs (for snapshot tests and the curious)."""
        return statistics_sql(rules, narrowed, shared)


def _shape(scopes: list[Scope]) -> tuple[bool, bool]:
    """Which of the statistics' statements fit ``scopes``: narrowed, shared."""
    return needs_narrowing(scopes), shares_organisations(scopes)


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
                for name, sql in self.sql(rules, *_shape(scopes)).items()
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

    def sql(
        self, rules: StatisticsRules, narrowed: bool = True, shared: bool = False
    ) -> dict[str, str]:
        import sqlglot

        return {
            name: sqlglot.parse_one(sql, read="duckdb").transform(_epoch_as_duckdb).sql("spark")
            for name, sql in statistics_sql(rules, narrowed, shared).items()
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
                f"COPY (SELECT {shown_columns(table)} FROM {table} WHERE workspace IN ({marks})) "
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
        for name, sql in self.sql(rules, *_shape(scopes)).items():
            try:
                results[name] = _normalised(_to_arrow(spark.sql(sql)), name)
            except Exception as exc:  # Java's errors, through Py4J: what to change is ours
                if is_interruption(exc):
                    raise
                raise _spark_failed(exc) from exc
        return results


def _spark_failed(exc: BaseException) -> ConfigError:
    """What to change when Spark fails computing the statistics: most often its memory."""
    text = str(exc)
    memory = settings.SPARK_DRIVER_MEMORY
    if "OutOfMemoryError" in text or "TaskResultLost" in text:
        reason = _("it ran out of memory")
    else:
        reason = next((line for line in text.splitlines() if line.strip()), type(exc).__name__)
    return ConfigError(
        _(
            "Spark could not compute the statistics: {reason}. Give it more memory with "
            "{env} (now {memory}, e.g. {env}=8g), or use the default engine (duckdb)",
            reason=reason[:200],
            env=memory.env,
            memory=memory.value(),
        )
    )


def _to_arrow(frame: Any) -> pa.Table:
    if hasattr(frame, "toArrow"):  # Spark 4
        return frame.toArrow()
    return pa.Table.from_pandas(frame.toPandas(), preserve_index=False)


@cache
def spark_session() -> Any:
    """One local Spark session per process, in UTC like the store."""
    try:
        with warnings.catch_warnings():  # PySpark's notes on the pandas version, not ours
            warnings.simplefilter("ignore", FutureWarning)
            from pyspark.sql import SparkSession
    except ImportError as exc:
        raise ConfigError(
            _("the spark engine needs PySpark and a Java 17 runtime: pip install 'jauge[spark]'")
        ) from exc
    master = settings.SPARK_MASTER.value().strip()
    if not _SPARK_MASTER.fullmatch(master):
        raise ConfigError(
            _(
                "{env} is {master}, which Spark does not know: local, local[N], local[*], "
                "spark://HOST:PORT, yarn or k8s://HOST:PORT",
                env=settings.SPARK_MASTER.env,
                master=repr(master),
            )
        )
    memory = settings.SPARK_DRIVER_MEMORY.value().strip()
    if not _JAVA_MEMORY.fullmatch(memory):
        raise ConfigError(
            _(
                "{env} takes an amount of memory in Java's syntax like 2g, 4g or 512m, got {value}",
                env=settings.SPARK_DRIVER_MEMORY.env,
                value=repr(memory),
            )
        )
    java = _java()
    if java is None:
        raise ConfigError(
            _(
                "the spark engine needs a Java 17 runtime, and none was found (JAVA_HOME, "
                "then java on the PATH); the default engine (duckdb) needs nothing"
            )
        )
    if master.startswith("local"):  # one machine: no need to look up its network name
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    # shipped with jauge; a URI, as Spark splits the Java options at spaces (a path may have)
    logs = (Path(__file__).parent / "spark-log4j2.properties").as_uri()
    try:
        with warnings.catch_warnings():  # PySpark's notes on the pandas version, not ours
            warnings.simplefilter("ignore", FutureWarning)
            session = (
                SparkSession.builder.master(master)
                .appName("jauge")
                .config("spark.driver.memory", memory)
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.sql.ansi.enabled", "false")
                # Java's logging set before Spark starts: errors only, no banner nor WARN
                # lines, which setLogLevel below comes too late to silence
                .config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile={logs}")
                .getOrCreate()
            )
    except Exception as exc:  # PySpark's and Java's errors alike: what to change is ours
        reason = next((line for line in str(exc).splitlines() if line.strip()), type(exc).__name__)
        raise ConfigError(
            _(
                "Spark could not start with the master {master} ({env}) and the Java of "
                "{java}: {reason}",
                master=repr(master),
                env=settings.SPARK_MASTER.env,
                java=java,
                reason=reason[:200].rstrip(". "),
            )
        ) from exc
    session.sparkContext.setLogLevel("ERROR")
    return session


#: the masters Spark knows (https://spark.apache.org/docs/latest/submitting-applications.html)
_SPARK_MASTER = re.compile(r"local(\[(\d+|\*)(,\s*\d+)?\])?|spark://\S+|yarn|k8s://\S+|mesos://\S+")
_JAVA_MEMORY = re.compile(r"\d+[kKmMgGtT]?")


def _java() -> str | None:
    """The Java runtime Spark will start: JAVA_HOME's, else the PATH's."""
    home = os.environ.get("JAVA_HOME")
    if home:
        java = Path(home) / "bin" / "java"
        return str(java) if java.exists() else None
    return shutil.which("java")


def get_engine(name: str) -> Engine:
    found: Engine = plugins.create(GROUP, Engine, name, N_("engine"))
    return found
