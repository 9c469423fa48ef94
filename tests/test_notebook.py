"""Index results as a notebook shows them: a short repr, an HTML table, Arrow tables."""

import json
from html import escape
from pathlib import Path

import pytest

import jauge
from jauge import i18n
from jauge.metrics import labels
from jauge.metrics.spec import load_spec

from .conftest import AIRLINE_TWEETS


@pytest.fixture(scope="module")
def airlines(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("notebook") / "s.duckdb"
    with jauge.open(db) as j:
        assert j.import_file(AIRLINE_TWEETS, "tweets-csv").ok
    return db


def test_a_score_reads_as_one_line_a_table_and_its_figures(airlines: Path) -> None:
    with jauge.open(airlines) as j:
        result = j.score("United")
    figures = result.to_dict()
    assert repr(result) == (
        f"<IndexResult United, {figures['scope']['from']} to {figures['scope']['to']}: "
        f"{result.score:.1f} [{result.interval[0]:.1f}, {result.interval[1]:.1f}] "
        "(jauge-index/1.0.3)>"
    )
    rows = result.breakdown().to_pylist()
    spec = load_spec(result.index_version)
    assert [r["name"] for r in rows] == [
        n for p in spec.pillars for n in (p.name, *(i.name for i in p.indicators))
    ]
    for r in rows:
        assert r["label"] == labels.label(r["name"])
        kind = "pillars" if r["level"] == "pillar" else "components"
        shown = figures[kind].get(r["name"])
        if shown is None:  # a component with no data at all: only its weight
            assert r["score"] is None and r["n"] is None
            continue
        interval = shown["interval"] or [None, None]
        assert (r["score"], r["low"], r["high"], r["value"], r["n"], r["weight"]) == (
            shown["score"], *interval, shown["value"], shown["n"], shown["weight"]
        )  # fmt: skip
    assert any(r["score"] is not None for r in rows if r["level"] == "component")
    frame = result.breakdown().to_pandas()
    assert len(frame) == len(rows) and frame["score"].notna().any()

    page = result._repr_html_()
    assert f"<b>{result.score:.1f}</b> / 100" in page and "Two-way exchanges" in page
    assert result.warnings and all(
        f"<li>{escape(labels.note(w))}</li>" in page for w in result.warnings
    )
    with i18n.speaking("fr"):
        french = result._repr_html_()
    assert "Indice Jauge d'United" in french and "Échanges dans les deux sens" in french
    # figures as the French CLI and dashboard write them (QA, docs pass, F6)
    low, high = (i18n.signed_number(x, ".1f", "fr") for x in result.interval)
    score = i18n.signed_number(result.score, ".1f", "fr")
    assert f"<b>{score}</b> / 100" in french and f"[{low} ; {high}]" in french
    assert "," in score and f"{result.score:.1f}" not in french
    result.scope["org"] = "<Ben & Jerry's>"  # names are text, never markup
    assert "&lt;Ben &amp; Jerry&#x27;s&gt;" in result._repr_html_()


def test_a_comparison_reads_as_one_line_a_table_and_its_rows(airlines: Path) -> None:
    with jauge.open(airlines) as j:
        comparison = j.compare("org", ["United", "Delta", "Virgin America"])
    assert repr(comparison) == "<Comparison by org: 3 rows (jauge-index/1.0.3)>"
    rows = comparison.table().to_pylist()
    for got, row in zip(rows, comparison.to_dict()["rows"], strict=True):
        change = row["change"] or {}
        assert (got["unit"], got["score"], [got["low"], got["high"]]) == (
            row["unit"], row["score"], row["interval"]
        )  # fmt: skip
        assert (got["delta"], got["significant"], got["verdict"]) == (
            change.get("delta"), change.get("significant"), change.get("verdict")
        )  # fmt: skip
    page = comparison._repr_html_()
    assert page.count("<tr>") == 1 + 3 and "Virgin America" in page
    significant = [r for r in rows if r["significant"]]
    assert significant and all(f"{r['delta']:+.1f} {r['verdict']}" in page for r in significant)


def test_the_people_of_the_python_api_are_those_of_the_cli(airlines: Path) -> None:
    from click.testing import CliRunner

    from jauge.cli.main import cli

    args = ["people", "--org", "United", "--limit", "10", "--db", str(airlines)]
    for hidden in (False, True):
        extra = ["--pseudonymise"] if hidden else []
        shown = CliRunner().invoke(cli, [*args, *extra, "--format", "json"])
        assert shown.exit_code == 0, shown.output
        with jauge.open(airlines) as j:
            people = j.people("United", limit=10, pseudonymise=hidden)
        assert [p.to_dict() for p in people] == json.loads(shown.stdout)
        assert len(people) == 10 and all(p.handle.startswith("p-") == hidden for p in people)
