"""French wording across the CLI, the dashboard and the report: "du Monde", counts
under two in the singular, one minus sign, a space before ";", one name per figure, and
lists that say what they leave out (QA report "Camille's first week", F1-F9)."""

from __future__ import annotations

import csv
import html
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

import jauge
from jauge import i18n
from jauge.cli.main import cli
from jauge.web.i18n import translator

from .conftest import AIRLINE_TWEETS, DATA, FRENCH_MAP, FRENCH_TWEETS_CSV
from .test_integrity import gamed  # noqa: F401 (a fixture: the store integrity weighs down)
from .test_web_forms import upload
from .test_web_pages import login
from .webstore import WebStore

YOUTUBE_VIDEOS = DATA / "french-media-engagement" / "youtube_videos_sample.csv"


def french(*args: str) -> str:
    out = CliRunner().invoke(cli, list(args), env={"JAUGE_LANG": "fr", "COLUMNS": "200"})
    return out.output


def airline_store(tmp_path: Path) -> str:
    db = str(tmp_path / "air.duckdb")
    with jauge.open(db) as j:
        assert j.import_file(AIRLINE_TWEETS, "tweets-csv").ok
    return db


def test_de_and_a_contract_with_a_name_that_begins_with_le_or_les(tmp_path: Path) -> None:
    said = {
        "Indice Jauge de Le Monde": "Indice Jauge du Monde",
        "Rapport de [bold]Le Monde[/] (du": "Rapport du [bold]Monde[/] (du",
        "parlent de Les Echos": "parlent des Echos",
        "De Le Monde, réponse à Le Monde": "Du Monde, réponse au Monde",
        "de La Poste": "de La Poste",
    }
    for text, expected in said.items():
        name = "Les Echos" if "Echos" in text else "La Poste" if "Poste" in text else "Le Monde"
        assert i18n.elided(text, name, lang="fr") == expected
        assert i18n.elided(text, name, lang="en") == text
    assert i18n.elided("de L'Équipe", "L'Équipe", lang="fr") == "de L'Équipe"
    assert i18n.elided("de Le_Figaro", "Le_Figaro", lang="fr") == "de Le_Figaro"  # a handle
    # the dashboard's and the report's headline
    assert translator("fr")("overview.index_of", org="Le Monde") == "Indice Jauge du Monde"
    assert translator("en")("overview.index_of", org="Le Monde").endswith("of Le Monde")
    # the CLI, on the real tweets of Le Monde
    db = str(tmp_path / "fm.duckdb")
    with jauge.open(db) as j:
        imported = j.import_file(
            FRENCH_TWEETS_CSV, "posts-csv", org="Le Monde", platform="x", mapping=FRENCH_MAP
        )
        assert imported.ok
    assert french("score", "--org", "Le Monde", "--db", db).startswith("Indice Jauge du Monde,")
    assert "parle du Monde" in french("people", "--org", "Le Monde", "--db", db)
    # the report's headline: Le Monde's own posts, and nobody who engaged with them
    with jauge.open(db) as j:
        html = j.report("Le Monde", lang="fr").html.replace("\u202f", " ")
    assert re.search(r"<p class=\"meta\">\d+ contenus, 0 personne ayant interagi</p>", html)


def test_french_counts_under_two_in_the_singular(tmp_path: Path) -> None:
    one, other = i18n.N_("{count} interaction"), i18n.N_("{count} interactions")
    said = {
        "fr": ["0 interaction", "1 interaction", "2 interactions"],
        "en": ["0 interactions", "1 interaction", "2 interactions"],
    }
    for lang, expected in said.items():
        with i18n.speaking(lang):
            assert [i18n._n(one, other, n, count=n) for n in (0, 1, 2)] == expected
    # the dashboard's and the report's coverage line, one key per form
    for lang, expected in (("fr", ["0 contenu", "1 personne ayant interagi"]),
                           ("en", ["0 items", "1 person who engaged"])):  # fmt: skip
        t = translator(lang)
        items = t(i18n.plural("overview.items.one", "overview.items", 0, lang), count="0")
        key = i18n.plural("overview.engagers.one", "overview.engagers", 1, lang)
        assert [items, t(key, count="1")] == expected
    # `jauge person show`: one real tweet to United, unanswered
    db = airline_store(tmp_path)
    shown = french("person", "show", "Joe_Curry", "--org", "United", "--db", db)
    assert "0 réponse d'United, 1 interaction\n" in shown
    english = CliRunner().invoke(
        cli, ["person", "show", "Joe_Curry", "--org", "United", "--db", db]
    )
    assert "0 posts answered by United, 1 interaction\n" in english.output


def test_integrity_says_how_many_more_it_weighed_down_than_it_lists(
    gamed: dict[str, Any],  # noqa: F811
) -> None:
    db = str(gamed["db"])
    flagged = gamed["report"].flagged
    assert flagged > 3
    out = french("integrity", "--db", db, "--limit", "1")
    assert f"{flagged - 1} personnes de plus minorées de moitié ou plus : augmentez --limit" in out
    assert f"{flagged} minorées de moitié ou plus ;" in out
    english = CliRunner().invoke(cli, ["integrity", "--db", db, "--limit", "1"]).output
    assert f"{flagged - 1} more persons weighed down by half or more: raise --limit" in english
    # every one listed: nothing more to say
    everyone = french("integrity", "--db", db, "--limit", str(flagged))
    assert "de plus minorée" not in everyone


def test_a_person_weighed_down_has_their_signals_separated_the_french_way(
    gamed: dict[str, Any],  # noqa: F811
) -> None:
    weights = gamed["weights"]
    handle = min(weights, key=lambda h: (weights[h], h))
    out = french("person", "show", handle, "--org", "bought", "--db", str(gamed["db"]))
    signals = out.split("pondéré par `jauge integrity` à")[1].splitlines()[0]
    assert " ; " in signals and not re.search(r"\S;", signals), signals


def test_a_refused_file_names_the_columns_it_lacks_and_counts_those_it_does_not_show(
    tmp_path: Path,
) -> None:
    db = str(tmp_path / "t.duckdb")
    # the videos of the French media, read as tweets: two columns lack
    out = french("import", str(YOUTUBE_VIDEOS), "--source", "tweets-csv", "--db", db)
    assert "il lui manque les colonnes 'tweet_id' ou 'id' ; 'text'" in out, out
    # airline tweets read as web analytics: one column lacks, and more than 12 are there
    out = french("import", str(AIRLINE_TWEETS), "--source", "web-analytics-csv", "--org", "X",
                 "--db", db)  # fmt: skip
    columns = AIRLINE_TWEETS.open(encoding="utf-8").readline().strip().split(",")
    assert "il lui manque la colonne 'date'" in out
    assert f", … et {len(columns) - 12} de plus). Vérifiez --source" in out, out
    english = CliRunner().invoke(
        cli, ["import", str(AIRLINE_TWEETS), "--source", "web-analytics-csv", "--org", "X",
              "--db", db],
    ).output  # fmt: skip
    assert "it lacks the column 'date'" in english
    assert f", … and {len(columns) - 12} more). Check --source" in english


def test_french_writes_one_minus_sign_in_the_cli_and_the_dashboard(
    tmp_path: Path, app_client: TestClient, web_store: WebStore
) -> None:
    db = airline_store(tmp_path)
    voice = french("voice", "--org", "United", "--db", db)
    assert re.search("\u2212\\d+,\\d", voice) and not re.search(r"(?<![\w-])-\d", voice), voice
    login(app_client, web_store.email("viewer"))
    page = app_client.get("/listening", params={"org": "United", "lang": "fr"}).text
    cells = re.findall(r"<td>([\u2212+-][\d,]+)</td>", page)
    assert cells and all(not c.startswith("-") for c in cells), cells
    assert any(c.startswith("\u2212") for c in cells)
    assert i18n.minus_signs("tonalité (-100 à 100), 2014-12-10", "fr") == (
        "tonalité (\u2212100 à 100), 2014-12-10"
    )


def test_a_figure_has_one_french_name_in_the_cli_the_dashboard_and_the_report() -> None:
    t = translator("fr")
    with i18n.speaking("fr"):
        cli_roi, cli_conversions = i18n._("platform ROI"), i18n._("platform conversions")
        cli_items = i18n._("items")
    assert "selon la régie" in cli_roi and "selon la régie" in t("value.roi_platform")
    assert "selon la régie" in cli_conversions
    assert "selon la régie" in t("value.platform_conversions")
    assert t("person.items").lower() == cli_items


def test_a_refused_upload_counts_one_row_and_one_error_in_the_singular(
    writable_client: TestClient, tmp_path: Path
) -> None:
    client = login(writable_client, "analyst@brands.example")
    rows = AIRLINE_TWEETS.read_text("utf-8").splitlines(keepends=True)
    # the first real tweet, its retweet count made unreadable: one row, one error
    header = rows[0].rstrip("\n").split(",")
    cells = next(csv.reader([rows[1]]))
    cells[header.index("retweet_count")] = "many"
    one = tmp_path / "one_bad_tweet.csv"
    with one.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, cells])
    for lang, expected in (("fr", "Rien n'a été écrit : 1 ligne invalide, 1 erreur."),
                           ("en", "Nothing was written: 1 invalid row, 1 error.")):  # fmt: skip
        r = upload(client, one, lang=lang, source="tweets-csv")
        assert r.status_code == 422
        assert expected in html.unescape(r.text), r.text[-2000:]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_plural_key_of_the_dashboard_has_both_forms(lang: str) -> None:
    from jauge.web.i18n import catalogue

    keys = catalogue(lang)
    for key in keys:
        if key.endswith(".one"):
            assert key.removesuffix(".one") in keys, key
