"""QA fixes (French week, F3 and F4): the report values conversions as `jauge value` does,
and a file imported with the wrong --source is refused or warned about, never silently
turned into something else.

Real data: the web store's cosmetics brand (UCI online shop sessions, Kaggle ad costs:
tests/webstore.py) for the report; the French media tweets (tests/data/french-media-
engagement) written in the posts format, as the QA imported them, for the sources."""

from __future__ import annotations

import html
import json
import re
import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

import jauge
from jauge.cli.main import cli

from .conftest import (
    AIRLINE_TWEETS,
    FRENCH_MAP,
    FRENCH_TWEETS_CSV,
    FRENCH_TWEETS_JSONL,
    UCI_FACEBOOK,
)
from .test_report import figure
from .test_value import AD_MAP, ADS, SESSION_MAP, SESSIONS
from .test_web_pages import login
from .webstore import WebStore

BRAND = "Cosmetics brand"
NO_REVENUE = "the web analytics give no revenue"


@pytest.fixture
def brands(fresh_web_store: WebStore) -> Iterator[jauge.Jauge]:
    with jauge.open(fresh_web_store.path, workspace="brands") as j:
        yield j


def _notes(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", figure(page, "value-warnings")))


# -- F3: the report's value section takes --conversion-value ------------------------------


def test_the_report_values_each_conversion_as_jauge_value_does(
    brands: jauge.Jauge, fresh_web_store: WebStore
) -> None:
    plain = brands.report(BRAND, lang="en")
    # without a value, the note says what works for the report itself
    assert plain.figures["value"]["funnel"]["revenue"] is None
    assert (
        "the web analytics give no revenue: make the report again with --conversion-value to "
        "value each conversion"
    ) in _notes(plain.html)
    valued = brands.report(BRAND, lang="en", conversion_value=1.5)
    value = valued.figures["value"]
    scope = valued.figures["score"]["scope"]
    alone = brands.value(BRAND, start=scope["from"], end=scope["to"], conversion_value=1.5)
    assert value == alone.to_dict()
    funnel = value["funnel"]
    assert funnel["conversions"] > 0 and funnel["revenue"] == pytest.approx(
        funnel["conversions"] * 1.5
    )
    assert 'data-figure="value-warnings"' not in valued.html or NO_REVENUE not in _notes(
        valued.html
    )
    # the printed command gives the same figures: it carries the value
    command = html.unescape(re.sub(r"<[^>]+>", "", figure(valued.html, "value-command"))).strip()
    assert "--conversion-value 1.5" in command
    brands.close()
    db = str(fresh_web_store.path)
    again = CliRunner().invoke(cli, [*shlex.split(command)[1:], "--db", db])
    assert again.exit_code == 0, again.output
    assert json.loads(again.output) == value


def test_jauge_report_takes_the_option_as_jauge_value_does(
    fresh_web_store: WebStore, tmp_path: Path
) -> None:
    db, out = str(fresh_web_store.path), tmp_path / "brand.html"
    args = ["report", "--org", BRAND, "--workspace", "brands", "--db", db, "--lang", "fr"]
    made = CliRunner().invoke(cli, [*args, "--conversion-value", "1,5", "--output", str(out)])
    assert made.exit_code == 0, made.output
    page = out.read_text("utf-8")
    assert "--conversion-value 1.5" in html.unescape(page)
    refused = CliRunner().invoke(cli, [*args, "--conversion-value", "-1"])
    assert refused.exit_code == 2 and "--conversion-value" in refused.output
    # in French, the note says the same
    plain = CliRunner().invoke(cli, [*args, "--output", str(out)])
    assert plain.exit_code == 0, plain.output
    assert "refaites le rapport avec --conversion-value" in _notes(out.read_text("utf-8"))


def test_the_dashboards_report_takes_conversion_value_and_says_so(
    writable_client: TestClient, fresh_web_store: WebStore
) -> None:
    client = login(writable_client, fresh_web_store.email("viewer"))
    asked = {"org": BRAND, "workspace": "brands", "lang": "en"}
    plain = client.get("/report", params=asked)
    assert plain.status_code == 200, plain.text
    # on the dashboard, no option to pass: the note names the address and the Value page
    said = _notes(plain.text)
    assert "conversion_value=AMOUNT" in said and "--conversion-value" not in said
    valued = client.get("/report", params={**asked, "conversion_value": "1,5"})
    assert valued.status_code == 200
    assert "--conversion-value 1.5" in html.unescape(valued.text)
    assert NO_REVENUE not in html.unescape(valued.text)
    refused = client.get("/report", params={**asked, "conversion_value": "beaucoup"})
    assert refused.status_code == 400 and "conversion_value" in refused.text


# -- F4: a wrong --source is refused or warned about -------------------------------------


def _as_posts(path: Path, **renamed: str) -> Path:
    """The French media tweets (real) in jauge's posts format, as the QA's medias.csv:
    their ids, days and counts under the format's names, each of Le Monde, on X;
    ``renamed`` renames more columns."""
    import pandas as pd

    rows = pd.read_csv(FRENCH_TWEETS_CSV).rename(columns={**FRENCH_MAP, **renamed})
    rows.insert(0, "org", "Le Monde")
    rows.insert(0, "platform", "x")
    rows.drop(columns=[c for c in rows.columns if c.startswith("Unnamed")]).to_csv(
        path, index=False
    )
    return path


def test_tweets_csv_refuses_own_posts_and_names_the_source_they_fit(
    handle: jauge.Jauge, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _as_posts(tmp_path / "medias.csv")
    refused = handle.import_file(path, "tweets-csv")
    [error] = refused.errors
    assert not refused.ok and (error.file, error.line) == (str(path), 1)
    assert "no author column" in error.message and "'screen_name'" in error.message
    assert "--source posts-csv" in error.message
    assert handle.items.num_rows == 0
    # the source it names reads it, counts and all
    read = handle.import_file(path, "posts-csv")
    assert read.ok and read.total("inserted") == len({r["id_tweet"] for r in pd_rows()})
    assert read.total("snapshots") > 0
    # the command says so, in French too
    monkeypatch.setenv("JAUGE_LANG", "fr")
    db = str(tmp_path / "other.duckdb")
    shown = CliRunner().invoke(cli, ["import", str(path), "--source", "tweets-csv", "--db", db])
    assert shown.exit_code == 1
    assert "n'a pas de colonne d'auteur" in shown.output
    assert "importez-le avec --source posts-csv" in shown.output


def pd_rows() -> list[dict[str, str]]:
    import csv

    with FRENCH_TWEETS_CSV.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_tweets_without_an_author_fitting_no_other_source_say_how_to_name_it(
    handle: jauge.Jauge, tmp_path: Path
) -> None:
    import pandas as pd

    path = tmp_path / "tweets.csv"
    pd.read_csv(AIRLINE_TWEETS).rename(columns={"name": "handle"}).to_csv(path, index=False)
    refused = handle.import_file(path, "tweets-csv")
    [error] = refused.errors
    assert "no author column" in error.message and "--map COLUMN=author" in error.message
    assert handle.import_file(path, "tweets-csv", mapping={"handle": "author"}).ok


def test_counts_a_source_does_not_read_are_named_in_a_warning(
    handle: jauge.Jauge, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # people's posts about Le Monde in the posts format: tweets-csv reads them as
    # mentions, but not their counts under the posts format's names
    path = _as_posts(tmp_path / "mentions.csv", id_compte="author")
    result = handle.import_file(path, "tweets-csv")
    assert result.ok and result.total("snapshots") == 0
    assert result.to_dict()["files"][0]["warnings"] == [
        "tweets-csv does not read the columns comments, reactions, shares, which hold counts: "
        "they are not counted. Check --source (`jauge sources` says what each source reads)"
    ]
    # the command shows it, in French too
    monkeypatch.setenv("JAUGE_LANG", "fr")
    db = str(tmp_path / "other.duckdb")
    shown = CliRunner().invoke(cli, ["import", str(path), "--source", "tweets-csv", "--db", db])
    assert shown.exit_code == 0, shown.output
    assert "tweets-csv ne lit pas les colonnes comments, reactions, shares" in shown.output
    # read by the source whose names they carry, they are counted and nothing is said
    again = handle.import_file(path, "posts-csv")
    assert again.total("snapshots") > 0 and not again.to_dict()["files"][0]["warnings"]


@pytest.mark.parametrize(
    ("path", "source", "options"),
    [
        (AIRLINE_TWEETS, "tweets-csv", {}),
        (UCI_FACEBOOK, "facebook-insights", {"org": "Brand", "year": 2014}),
        (FRENCH_TWEETS_CSV, "posts-csv", {"org": "Le Monde", "platform": "x",
                                          "mapping": FRENCH_MAP}),
        (FRENCH_TWEETS_JSONL, "posts-jsonl", {"org": "Le Monde", "platform": "x",
                                              "mapping": {"author_id": "account"}}),
        (SESSIONS, "web-analytics-csv", {"org": "Shop", "year": 2017, "mapping": SESSION_MAP}),
        (ADS, "costs-csv", {"org": "Shop", "platform": "facebook", "mapping": AD_MAP}),
    ],
)  # fmt: skip
def test_the_real_files_import_without_a_word_on_counts(
    handle: jauge.Jauge, path: Path, source: str, options: dict[str, object]
) -> None:
    result = handle.import_file(path, source, **options)  # type: ignore[arg-type]
    assert result.ok
    assert not [w for f in result.to_dict()["files"] for w in f["warnings"] if "counts" in w]
