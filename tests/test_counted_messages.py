"""Messages that count something say one or many as each language does: English "1 error",
French "0 erreur", "1 erreur", "2 erreurs" (before, "1 error(s)", "1 erreur(s)"). Real
rows of the airline tweets, one of them broken or repeated."""

import csv
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import jauge
from jauge.cli.main import cli

from .conftest import AIRLINE_TWEETS


def _rows() -> list[list[str]]:
    with AIRLINE_TWEETS.open(newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    return path


@pytest.mark.parametrize(
    ("lang", "said"),
    [("en", "1 error in"), ("fr", "1 erreur dans")],
)
def test_one_refused_value_is_one_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, said: str
) -> None:
    rows = _rows()
    rows[3][rows[0].index("retweet_count")] = "beaucoup"
    broken = _write(tmp_path / "broken.csv", rows)
    monkeypatch.setenv("JAUGE_LANG", lang)
    db = str(tmp_path / "s.duckdb")
    shown = CliRunner().invoke(cli, ["import", str(broken), "--source", "tweets-csv", "--db", db])
    text = " ".join(shown.stderr.split())
    assert shown.exit_code == 1 and said in text and "(s)" not in text


def test_one_repeated_row_is_said_in_the_singular(tmp_path: Path) -> None:
    rows = _rows()[:101]  # the first hundred tweets, none repeated: one is added below
    ids = [r[rows[0].index("tweet_id")] for r in rows[1:]]
    assert len(set(ids)) == len(ids)
    repeated = _write(tmp_path / "repeated.csv", [*rows, rows[5]])
    with jauge.open(tmp_path / "s.duckdb") as j:
        result = j.import_file(repeated, "tweets-csv")
        assert result.ok
        (warning,) = result.files[0].warnings
    assert warning == "1 row gives an item a later row gives again: the last is kept"
    with jauge.i18n.speaking("fr"):
        assert jauge.i18n.localised(warning) == (
            "1 ligne donne un contenu qu'une ligne suivante redonne : la dernière est gardée"
        )


def test_a_value_summary_counts_one_campaign_and_writes_numbers_as_the_reader_does(
    tmp_path: Path,
) -> None:
    from .test_value import AD_MAP, ADS

    ads = pd.read_csv(ADS)
    campaigns = sorted(ads["xyz_campaign_id"].unique())
    assert len(campaigns) > 1
    one = tmp_path / "one_campaign.csv"
    ads[ads["xyz_campaign_id"] == campaigns[0]].to_csv(one, index=False)  # real rows
    with jauge.open(tmp_path / "s.duckdb") as j:
        assert j.import_file(one, "costs-csv", org="Acme", platform="facebook", mapping=AD_MAP).ok
        shown = repr(j.value("Acme"))
        assert j.import_file(ADS, "costs-csv", org="Acme", platform="facebook", mapping=AD_MAP).ok
        report = j.value("Acme")
        many = repr(report)
        with jauge.i18n.speaking("fr"):
            french = repr(report)
    assert "— sessions, — from social media; 1 campaign" in shown and "campaign(s)" not in shown
    assert f"— sessions, — from social media; {len(campaigns)} campaigns" in many
    assert f"— visites, dont — venues des réseaux sociaux ; {len(campaigns)} campagnes" in french


@pytest.mark.parametrize(
    ("lang", "one", "two"),
    [
        ("en", "org: at least 1 value", "org: at least 2 values"),
        ("fr", "org : au moins 1 valeur", "org : au moins 2 valeurs"),
    ],
)
def test_the_dashboard_asks_for_at_least_one_value_in_the_singular(
    lang: str, one: str, two: str
) -> None:
    from jauge.web.errors import invalid_values
    from jauge.web.i18n import translator

    def too_few(limit: int) -> str:
        # what pydantic reports for a list parameter given fewer values than it needs
        error = {
            "type": "too_short",
            "loc": ("query", "org"),
            "input": [],
            "ctx": {"min_length": limit},
        }
        return invalid_values([error], translator(lang))[0]["message"]

    assert (too_few(1), too_few(2)) == (one, two)
