"""QA's polish fixes: the report's French minus sign and the reason it gives for an
indicator without own posts in its days (reports F11, F12), the people found by an
organisation's dictionary in its interaction graph (listening F7), and a Spark engine
that starts without Java's log lines on standard error."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

import jauge
from jauge.cli.main import cli
from jauge.community.graph import interaction_graph, window
from jauge.community.people import rank_people

from .conftest import AIRLINE_TWEETS, UCI_FACEBOOK
from .test_report import cells, figure
from .test_reports_fixes import text
from .test_value import AD_MAP, ADS, write_named_sessions
from .webstore import WebStore

MINUS = "\u2212"
#: a hyphen-minus written before a figure, where French writes the minus sign
HYPHEN_BEFORE_FIGURE = re.compile(r"(?<![\w-])-(?=\d)")


@pytest.fixture
def brands(fresh_web_store: WebStore) -> Iterator[jauge.Jauge]:
    """The web tests' store: the airlines' tweets (enriched with their dictionaries) and
    the cosmetics brand's posts of 2014, its sessions and ad costs."""
    with jauge.open(fresh_web_store.path, workspace="brands") as j:
        yield j


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The UCI cosmetics brand's posts (2014), the UCI shop's sessions dated in 2014 with
    their page value as revenue, the special days' sessions tagged with the Kaggle ad
    campaign 1178 whose costs are imported: a campaign that lost money."""
    folder = tmp_path_factory.mktemp("shop")
    db = folder / "shop.duckdb"
    with jauge.open(db) as j:
        assert j.import_file(UCI_FACEBOOK, "facebook-insights", org="Brand", year=2014).ok
        raw = write_named_sessions(folder / "ga4.csv", 2014)
        raw["Session campaign"] = raw["SpecialDay"].map(lambda s: "1178" if s > 0 else "")
        raw.to_csv(folder / "ga4.csv", index=False)
        assert j.import_file(
            folder / "ga4.csv",
            "web-analytics-csv",
            org="Brand",
            mapping={"Revenue": "converted", "PageValues": "revenue"},
        ).ok
        assert j.import_file(ADS, "costs-csv", org="Brand", platform="facebook", mapping=AD_MAP).ok
        j.add_campaign(
            "Special days",
            org="Brand",
            start=date(2014, 2, 1),
            end=date(2014, 5, 31),
            utm_campaign="1178",
        )
    return db


# -- reports F11: French writes the minus sign ------------------------------------------


def test_a_french_report_writes_negative_numbers_with_the_minus_sign(
    brands: jauge.Jauge,
) -> None:
    english = brands.report("United", versus=[], lang="en")
    french = brands.report("United", versus=[], lang="fr")
    (voice,) = french.figures["voice"]["orgs"]
    net = round(voice["net_sentiment"])
    assert net < 0  # the airline's tweets are mostly complaints
    said = text(figure(french.html, "highlights"))
    assert f"tonalité nette {MINUS}{-net}, sur une échelle de {MINUS}100 à +100" in said
    assert f"net sentiment {net}, on a scale from -100 to +100" in text(
        figure(english.html, "highlights")
    )
    # the notes, whose figures come from the index result (English, with a hyphen)
    notes = text(figure(french.html, "warnings"))
    assert f"sur sa propre échelle ({MINUS}100 à 100)" in notes
    assert "(-100 to 100)" in text(figure(english.html, "warnings"))
    # no hyphen before a figure anywhere a French reader reads (days keep theirs)
    body = re.sub(r"<(style|svg)\b.*?</\1>", "", french.html, flags=re.S)
    assert not HYPHEN_BEFORE_FIGURE.findall(text(body))


def test_a_french_loss_is_written_with_the_minus_sign(shop: Path) -> None:
    with jauge.open(shop) as j:
        french = j.report("Brand", lang="fr", start=date(2014, 2, 1), end=date(2014, 5, 31))
    (lost,) = [c for c in french.figures["value"]["campaigns"] if c["roi"] is not None]
    assert lost["roi"] < 0
    roi = f"{MINUS}{-lost['roi'] * 100:.0f}"
    row = {r[0]: r for r in cells(figure(french.html, "value-campaigns"))}["Special days"]
    assert row[4].startswith(f"{roi}\u202f% [")
    assert f"Special days, a un ROI de {roi} %" in text(figure(french.html, "highlights"))


# -- reports F12: the reason given for two-way exchanges --------------------------------


def test_an_indicator_without_own_posts_says_so_of_the_window(brands: jauge.Jauge) -> None:
    days = {"start": date(2013, 1, 1), "end": date(2013, 3, 31)}  # the brand posts in 2014
    assert brands.score("Cosmetics brand").coverage["items"] > 0
    english = brands.report("Cosmetics brand", versus=[], lang="en", **days)
    notes = text(figure(english.html, "warnings"))
    for indicator in ("Two-way exchanges", "Response rate", "Time to first response"):
        assert (
            f"{indicator}: not measurable (no own post in this window, so answers to others "
            "cannot be seen)"
        ) in notes
    assert "no own posts collected" not in english.html
    french = brands.report("Cosmetics brand", versus=[], lang="fr", **days)
    assert (
        "aucune publication propre dans cette période : les réponses aux autres ne peuvent "
        "pas être vues"
    ) in text(figure(french.html, "warnings"))
    assert "collectée" not in french.html


# -- listening F7: people found by the dictionary are in the graph ----------------------


def test_people_found_by_the_dictionary_are_in_the_interaction_graph(tmp_path: Path) -> None:
    db = tmp_path / "air.duckdb"
    with jauge.open(db) as j:
        assert j.import_file(AIRLINE_TWEETS, "tweets-csv").ok
        j.add_org("United", aliases=["United"], handles=["@united"])
        j.enrich(backend="fast")
        org_id = j.store.org_id(j.workspace, "United")
        begin, finish = window(j.store, org_id, None, None)
        # each person's items about United, as `jauge people` counts them: imported for
        # it, or of another airline and found by United's dictionary
        about = dict(
            j.store.con.execute(
                """
                SELECT author_person_id, count(*) FROM content_items
                WHERE workspace = ? AND NOT is_own AND author_person_id IS NOT NULL
                  AND created_at >= ? AND created_at < ?
                  AND (org_id = ? OR item_id IN (SELECT item_id FROM mentions WHERE org_id = ?))
                GROUP BY 1
                """,
                [j.workspace, begin, finish, org_id, org_id],
            ).fetchall()
        )
        elsewhere = {
            p
            for (p,) in j.store.con.execute(
                "SELECT DISTINCT c.author_person_id FROM content_items c JOIN mentions m "
                "USING (item_id) WHERE m.org_id = ? AND c.org_id <> ? AND c.created_at >= ? "
                "AND c.created_at < ?",
                [org_id, org_id, begin, finish],
            ).fetchall()
        }
        graph = interaction_graph(j.store, j.workspace, "United")
        people = rank_people(j.store, j.workspace, "United", limit=100_000)
    assert elsewhere  # tweets imported for another airline that name @united
    to_united = {s: d for s, t, d in graph.edges(data=True) if t == "org:United"}
    assert {p.person_id for p in people} == set(about) == set(to_united)
    # each item once: imported for United and found by its dictionary is one mention
    assert {s: d["weight"] for s, d in to_united.items()} == pytest.approx(about)
    assert all("mention" in to_united[p]["kinds"] for p in elsewhere)
    ranked = {p.person_id: p.network_position for p in people}
    assert all(ranked[p] > 0 for p in elsewhere)
    exported = CliRunner().invoke(
        cli, ["graph", "export", "--org", "United", "--format", "csv", "--db", str(db)]
    )
    assert exported.exit_code == 0, exported.output
    assert len(exported.stdout.splitlines()) - 1 == graph.number_of_edges()
    handles = {p.handle for p in people if p.person_id in elsewhere}
    assert all(f",{h}," in exported.stdout for h in handles)


# -- Spark: no Java log lines on standard error -----------------------------------------

STARTS_SPARK = """
from jauge.metrics.engines import spark_session
spark = spark_session()
assert spark.sql("SELECT 1 AS x").collect()[0].x == 1
logger = spark.sparkContext._jvm.org.apache.logging.log4j.LogManager.getLogger("jauge.check")
logger.warn("a warning stays quiet")
logger.error("an error stays visible")
"""


def test_spark_starts_without_its_log_lines_and_keeps_errors_visible(tmp_path: Path) -> None:
    pytest.importorskip("pyspark")
    home = os.environ.get("JAVA_HOME")
    if not (Path(home, "bin", "java").exists() if home else shutil.which("java")):
        pytest.skip("no Java runtime for Spark")
    done = subprocess.run(
        [sys.executable, "-c", STARTS_SPARK],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "JAUGE_SPARK_MASTER": "local[1]"},
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    said = done.stderr
    for noise in ("log4j", "Setting default log level", "sc.setLogLevel", " WARN "):
        assert noise not in said, said
    assert "a warning stays quiet" not in said
    assert "ERROR check: an error stays visible" in said, said
