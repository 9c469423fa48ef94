"""One definition, two engines: the index on DuckDB and on Apache Spark (local mode)."""

import math
import os
import re
import shutil
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pyarrow.compute as pc
import pytest

import jauge
from jauge.metrics.engines import get_engine
from jauge.metrics.spec import LATEST, load_spec
from jauge.metrics.statistics import shares_organisations

from .conftest import AIRLINE_TWEETS, UCI_FACEBOOK
from .test_index import write_newer_export_without_shares
from .test_value import write_named_sessions

SNAPSHOTS = Path(__file__).parent / "snapshots"


@pytest.mark.parametrize(
    ("version", "shared"),
    [("jauge-index/1.0.1", False), (LATEST, False), (LATEST, True)],
    ids=["1.0.1", "latest", "many-scopes"],
)
@pytest.mark.parametrize("narrowed", [False, True], ids=["orgs", "accounts-campaigns"])
@pytest.mark.parametrize("engine", ["duckdb", "spark"])
def test_the_sql_each_engine_runs_is_pinned(
    engine: str, narrowed: bool, version: str, shared: bool
) -> None:
    """A change to the statistics' SQL, or to its transpilation, shows up in review."""
    rules = load_spec(version).statistics_rules
    sql = get_engine(engine).sql(rules, narrowed, shared)
    text = "\n\n".join(f"-- {name}\n{body.strip()}" for name, body in sorted(sql.items()))
    variant = "narrowed" if narrowed else "orgs"
    # 1.0.1 read the counts from each item's latest snapshot as a whole, flagged persons
    # by their weight and any touch as a return; scopes sharing organisations read their
    # engagers apart (see statistics._engagers_of_many)
    suffix = "" if version == LATEST else "-" + version.removeprefix("jauge-index/")
    suffix += "-many-scopes" if shared else ""
    snapshot = SNAPSHOTS / f"statistics-{engine}-{variant}{suffix}.sql"
    if os.environ.get("JAUGE_UPDATE_SNAPSHOTS") == "1":
        snapshot.write_text(text + "\n")
    assert snapshot.exists(), f"run with JAUGE_UPDATE_SNAPSHOTS=1 to write {snapshot.name}"
    assert text + "\n" == snapshot.read_text()


def _figures(data: dict) -> dict[str, float | None]:
    """Every number of a score, flattened."""
    flat: dict[str, float | None] = {"score": data["score"]}
    for i, x in enumerate(data["interval"] or []):
        flat[f"interval.{i}"] = x
    for group in ("pillars", "components"):
        for name, figure in data[group].items():
            for key in ("score", "value", "n", "weight", "shrunk"):
                flat[f"{group}.{name}.{key}"] = figure.get(key)
            for i, x in enumerate(figure["interval"] or []):
                flat[f"{group}.{name}.interval.{i}"] = x
    return flat


@pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs a Java runtime")
def test_duckdb_and_spark_give_the_same_figures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("pyspark")
    temporary = tmp_path / "temporary"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    with jauge.open(tmp_path / "store.duckdb") as j:
        assert j.import_file(UCI_FACEBOOK, "facebook-insights", org="Brand", year=2014).ok
        assert j.import_file(AIRLINE_TWEETS, "tweets-csv").ok
        # web analytics too, for the business impact pillar (see test_value.py)
        write_named_sessions(tmp_path / "ga4.csv", 2014)
        assert j.import_file(tmp_path / "ga4.csv", "web-analytics-csv", org="Brand",
                             mapping={"Revenue": "converted"}).ok  # fmt: skip
        # a newer export lacking a column: counts come from different snapshots
        write_newer_export_without_shares(tmp_path / "newer.csv")
        assert j.import_file(tmp_path / "newer.csv", "facebook-insights", org="Brand",
                             year=2014).ok  # fmt: skip
        for org in ("Brand", "United", "Delta", "Virgin America"):
            on_duckdb = j.score(org).to_dict()
            on_spark = j.score(org, engine="spark").to_dict()
            assert on_spark["sources_and_methods"].pop("engine") == "spark"
            assert on_duckdb["sources_and_methods"].pop("engine") == "duckdb"
            assert on_spark["fingerprint"] == on_duckdb["fingerprint"], org
            a, b = _figures(on_duckdb), _figures(on_spark)
            assert a.keys() == b.keys()
            for key in a:
                if a[key] is None or b[key] is None:
                    assert a[key] is b[key] is None, (org, key)
                else:
                    assert math.isclose(a[key], b[key], rel_tol=0, abs_tol=1e-9), (org, key)
            assert on_duckdb["warnings"] == on_spark["warnings"]
    # the tables went to Spark as Parquet files, post texts included: none is left behind
    assert not list(temporary.glob("jauge-spark-*"))


@pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs a Java runtime")
def test_both_engines_compute_the_same_statistics_bit_for_bit(tmp_path: Path) -> None:
    """The statistic tables, not only the scores: the fingerprint covers them and seeds
    the bootstrap, so one last digit apart moves every interval. benchmarks/index.py's
    store (resampled from the real data) answers threads after hours that are not
    round, which Spark once divided as decimals."""
    pytest.importorskip("pyspark")
    from benchmarks.index import WORKSPACE, generate
    from jauge.metrics.scope import ScopeRequest, organisations_known, resolve_scope
    from jauge.metrics.spec import load_spec

    db = tmp_path / "generated.duckdb"
    generate(db, accounts=3, interactions=30_000)
    spec = load_spec()
    with jauge.open(db, workspace=WORKSPACE) as j:
        known = organisations_known(j.store, WORKSPACE)
        # whole organisations, and two quarters of the first: scopes sharing organisations
        first = sorted(known)[0]
        scopes = [
            resolve_scope(j.store, WORKSPACE, request, spec, known)[0]
            for request in [
                *(ScopeRequest(org=org) for org in sorted(known)),
                ScopeRequest(org=first, start=date(2024, 1, 1), end=date(2024, 3, 31)),
                ScopeRequest(org=first, start=date(2024, 4, 1), end=date(2024, 6, 29)),
            ]
        ]
        assert shares_organisations(scopes)
        on_duckdb = get_engine("duckdb").statistics(j.store, scopes, spec.statistics_rules)
        on_spark = get_engine("spark").statistics(j.store, scopes, spec.statistics_rules)
        answered = pc.count(on_duckdb["threads"].column("hours_to_first")).as_py()
        assert answered > 100  # the case at stake: many answered threads
        for name, table in on_duckdb.items():
            assert table.equals(on_spark[name]), name
        # one scope alone takes the one-pass statement, on both engines alike
        assert j.score(first).fingerprint == j.score(first, engine="spark").fingerprint


def test_scopes_sharing_organisations_have_the_engagers_each_has_alone(tmp_path: Path) -> None:
    """A comparison month by month reads engagers with a statement of its own (one pass
    over an organisation's history per scope would not fit in memory): it must give each
    scope the rows the one-pass statement gives it alone, accounts and campaigns too.
    benchmarks/index.py's store, resampled from the real data."""
    from benchmarks.index import WORKSPACE, generate
    from jauge.metrics.scope import ScopeRequest, organisations_known, resolve_scope
    from jauge.metrics.spec import load_spec
    from jauge.metrics.statistics import split_by_scope

    db = tmp_path / "generated.duckdb"
    generate(db, accounts=3, interactions=30_000)
    spec, engine = load_spec(), get_engine("duckdb")
    with jauge.open(db, workspace=WORKSPACE) as j:
        known = organisations_known(j.store, WORKSPACE)
        first = sorted(known)[0]
        # its texts are placeholders: the own answers say "thanks"
        j.add_campaign(
            "Spring", org=first, start="2024-03-01", end="2024-05-31", keywords=["thanks"]
        )
        months = [(date(2024, m, 1), date(2024, m + 1, 1) - timedelta(days=1)) for m in range(1, 7)]
        requests = [
            *(ScopeRequest(org=org, start=a, end=b) for org in sorted(known) for a, b in months),
            *(ScopeRequest(org=org) for org in sorted(known)),
            ScopeRequest(org=first, campaign="Spring"),
        ]
        scopes = [resolve_scope(j.store, WORKSPACE, r, spec, known)[0] for r in requests]
        scopes = [s for s in scopes if s is not None]
        assert shares_organisations(scopes) and len(scopes) > 20
        together = split_by_scope(
            engine.statistics(j.store, scopes, spec.statistics_rules), len(scopes)
        )
        for scope, stats in zip(scopes, together, strict=True):
            alone = split_by_scope(engine.statistics(j.store, [scope], spec.statistics_rules), 1)[0]
            for name, table in alone.items():
                assert table.equals(stats[name]), (name, scope)
        assert sum(t["engagers"].num_rows for t in together) > 1000


def test_spark_that_cannot_start_names_the_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("pyspark")
    from pyspark.sql import SparkSession

    from jauge.metrics.engines import spark_session

    # a session started by another test would be reused, whatever the master
    active = SparkSession.getActiveSession()
    if active is not None:
        active.stop()
    spark_session.cache_clear()
    monkeypatch.setenv("JAUGE_SPARK_MASTER", "nowhere://at-all")
    with jauge.open(tmp_path / "store.duckdb") as j:
        assert j.import_file(UCI_FACEBOOK, "facebook-insights", org="Brand", year=2014).ok
        with pytest.raises(jauge.ConfigError, match="JAUGE_SPARK_MASTER"):
            j.score("Brand", engine="spark")
    spark_session.cache_clear()


@pytest.mark.parametrize(
    ("variable", "value", "said"),
    [
        ("JAVA_HOME", "/nowhere", "needs a Java 17 runtime, and none was found"),
        ("JAUGE_SPARK_MASTER", "bogus", "JAUGE_SPARK_MASTER is 'bogus', which Spark does not"),
        ("JAUGE_SPARK_DRIVER_MEMORY", "lots", "JAUGE_SPARK_DRIVER_MEMORY takes an amount"),
    ],
)
def test_what_keeps_spark_from_starting_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str, value: str, said: str
) -> None:
    """Checked before Spark starts: the message names the setting, not only Java."""
    from jauge.metrics.engines import spark_session

    spark_session.cache_clear()  # a session another test started would be reused
    monkeypatch.setenv(variable, value)
    with jauge.open(tmp_path / "store.duckdb") as j:
        assert j.import_file(UCI_FACEBOOK, "facebook-insights", org="Brand", year=2014).ok
        with pytest.raises(jauge.ConfigError, match=re.escape(said)):
            j.score("Brand", engine="spark")
    spark_session.cache_clear()


def test_spark_running_out_of_memory_says_which_setting_gives_it_more() -> None:
    from jauge.metrics.engines import _spark_failed

    failed = _spark_failed(RuntimeError("Job aborted\njava.lang.OutOfMemoryError: Java heap"))
    assert str(failed).startswith("Spark could not compute the statistics: it ran out of memory")
    assert "JAUGE_SPARK_DRIVER_MEMORY (now 2g, e.g. JAUGE_SPARK_DRIVER_MEMORY=8g)" in str(failed)
