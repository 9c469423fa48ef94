"""QA findings F4 and F5 (agency analyst pass): organisations without items in
`jauge compare --by org`, and a --from after the default last day as a usage error."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

import jauge
from jauge.cli.main import cli
from jauge.errors import UsageError
from jauge.web import create_app

from .conftest import AIRLINE_TWEETS, FRENCH_MAP, FRENCH_TWEETS_CSV
from .webstore import WebStore

#: what a row of an organisation without items says, whatever the command
NO_ITEMS = (
    "{org} is not scored: it has no items imported as its own or as about it; the items "
    "that only name it (matched by its dictionary) count in `jauge voice`, not in the index "
    "(see docs/index-spec.md)"
)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def medias(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The French media tweets as the posts of "Médias", and two outlets added only to
    be listened to (QA's workspace): their names are in Médias' tweets, not their items."""
    path = tmp_path_factory.mktemp("f4") / "medias.duckdb"
    with jauge.open(path) as j:
        assert j.import_file(
            FRENCH_TWEETS_CSV, "posts-csv", org="Médias", platform="x", mapping=FRENCH_MAP
        ).ok
        j.add_org("Le Monde", handles=["lemondefr"], relation="competitor")
        j.add_org("franceinfo", handles=["franceinfo"], relation="competitor")
        named = j.sql(
            "SELECT count(*) AS n FROM content_items WHERE lower(text) LIKE '%le monde%' "
            "OR lower(text) LIKE '%@lemondefr%'"
        ).to_pylist()[0]["n"]
    assert named > 0  # Le Monde is talked about: "no items yet" would read as wrong
    return path


# -- F4: organisations without items are rows without a score, saying why ---------------


def test_compare_by_org_lists_every_organisation_and_says_why_some_have_no_score(
    medias: Path,
) -> None:
    code, out, _ = run("compare", "--by", "org", "--format", "json", "--db", str(medias))
    assert code == 0
    rows = json.loads(out)["rows"]
    # the one with items first (the others change from it), then the rest by name
    assert [r["unit"] for r in rows] == ["Médias", "Le Monde", "franceinfo"]
    assert rows[0]["score"] is not None and rows[0]["fingerprint"]
    for row in rows[1:]:
        assert (row["from"], row["to"]) == (rows[0]["from"], rows[0]["to"])
        assert row["score"] is None and row["fingerprint"] is None and row["change"] is None
        assert row["warnings"] == [NO_ITEMS.format(org=row["org"])]
        assert row["pillars"] == {}  # as a period too short for the index has none
    # the CSV says it in its last column; the scored row has no note
    code, out, _ = run("compare", "--by", "org", "--format", "csv", "--db", str(medias))
    assert code == 0
    table = list(csv.DictReader(io.StringIO(out)))
    assert [(r["unit"], r["note"]) for r in table] == [
        ("Médias", ""),
        ("Le Monde", NO_ITEMS.format(org="Le Monde")),
        ("franceinfo", NO_ITEMS.format(org="franceinfo")),
    ]


def test_naming_an_organisation_without_items_no_longer_stops_the_comparison(
    medias: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ("compare", "--by", "org", "--org", "Médias", "--org", "Le Monde", "--db", str(medias))
    code, out, err = run(*args)
    assert code == 0, err
    lines = [line for line in out.splitlines() if line.startswith(("Médias", "Le Monde"))]
    assert len(lines) == 2 and "—" in lines[1] and "—" not in lines[0]
    assert f"note: {NO_ITEMS.format(org='Le Monde')}" in " ".join(err.split())
    monkeypatch.setenv("JAUGE_LANG", "fr")
    code, _, err = run(*args)
    assert code == 0
    assert (
        "Le Monde n'a pas de score : aucun contenu n'a été importé comme le sien ou à son sujet"
        in " ".join(err.split())
    )


def test_only_organisations_without_items_are_refused_saying_why(medias: Path) -> None:
    code, out, _ = run(
        "compare", "--by", "org", "--org", "Le Monde", "--format", "json", "--db", str(medias)
    )
    error = json.loads(out)["error"]
    assert code == 1 and error["code"] == "config"
    assert error["message"].startswith("'Le Monde' cannot be compared: it has no items")
    assert "dictionary" in error["message"] and "yet" not in error["message"]
    code, out, _ = run(
        "compare", "--by", "period", "--org", "franceinfo", "--format", "json", "--db", str(medias)
    )
    assert code == 1 and "'franceinfo' cannot be compared" in json.loads(out)["error"]["message"]


@pytest.fixture
def with_listened(fresh_web_store: WebStore) -> Iterator[TestClient]:
    """The web store with an organisation added to be listened to: no items of its own."""
    with jauge.open(fresh_web_store.path, workspace="brands") as j:
        j.add_org("Aardvark Air", handles=["aardvarkair"])
    with TestClient(create_app(str(fresh_web_store.path)), base_url="https://testserver") as c:
        c.headers.update(fresh_web_store.auth("viewer"))
        yield c


def test_the_api_compares_as_the_cli_and_the_page_names_the_organisation(
    with_listened: TestClient,
) -> None:
    rows = with_listened.get("/api/v1/compare", params={"by": "org"}).json()["rows"]
    assert rows[-1]["unit"] == "Aardvark Air" and len(rows) > 3
    assert rows[-1]["warnings"] == [NO_ITEMS.format(org="Aardvark Air")]
    assert all(r["score"] is not None for r in rows[:-1])
    named = with_listened.get(
        "/api/v1/compare", params={"by": "org", "org": ["United", "Aardvark Air"]}
    )
    assert named.status_code == 200
    assert [r["score"] is None for r in named.json()["rows"]] == [False, True]


# -- F5: --from after the last day is a usage error, default --to or not ----------------


@pytest.fixture(scope="module")
def airlines(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, date]:
    """The airline tweets, and the day after the latest one (what --to defaults to)."""
    path = tmp_path_factory.mktemp("f5") / "airlines.duckdb"
    with jauge.open(path) as j:
        assert j.import_file(AIRLINE_TWEETS, "tweets-csv").ok
        latest = j.sql("SELECT max(created_at) AS t FROM content_items").to_pylist()[0]["t"]
    return path, latest.date()


COMMANDS = [
    ("voice", "--org", "United"),
    ("regions", "--org", "United"),
    ("topics", "--org", "United"),
    ("people", "--org", "United"),
    ("score", "--org", "United"),
    ("compare", "--by", "org"),
    ("compare", "--by", "period", "--org", "United"),
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_from_after_the_default_last_day_is_a_usage_error(
    airlines: tuple[Path, date], command: tuple[str, ...]
) -> None:
    db, latest = airlines
    later = (latest + timedelta(days=1)).isoformat()
    common = ("--from", later, "--format", "json", "--db", str(db))
    code, out, _ = run(*command, *common)
    assert code == 2 and json.loads(out)["error"]["code"] == "usage"
    # as with a --to it comes after: same status, same code
    code, out, _ = run(*command, *common, "--to", latest.isoformat())
    assert code == 2 and json.loads(out)["error"]["code"] == "usage"


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_the_message_says_the_last_day_was_the_default(
    airlines: tuple[Path, date], command: tuple[str, ...]
) -> None:
    db, latest = airlines
    later = latest + timedelta(days=1)
    code, _, err = run(*command, "--from", later.isoformat(), "--db", str(db))
    assert code == 2
    assert (
        f"error: the window starts on {later}, after its last day ({latest}): without --to, a "
        "window ends on the day of the latest item; give an earlier --from, or a --to on or "
        f"after {later}"
    ) in " ".join(err.split())


def test_the_python_api_and_the_web_refuse_it_in_their_words(
    airlines: tuple[Path, date], fresh_web_store: WebStore
) -> None:
    db, latest = airlines
    with jauge.open(db) as j, pytest.raises(UsageError, match="without --to"):
        j.voice(["United"], start=latest + timedelta(days=1))
    with TestClient(create_app(str(fresh_web_store.path)), base_url="https://testserver") as c:
        c.headers.update(fresh_web_store.auth("viewer"))
        answer = c.get("/api/v1/voice", params={"org": "United", "from": "2015-03-01"})
    error = answer.json()["error"]
    assert answer.status_code == 400 and error["code"] == "usage"
    said = error["message"]
    assert "when To (field to) is empty, a window ends on the day of the latest item" in said
    assert "--" not in error["message"]


def test_score_says_why_an_organisation_only_listened_to_has_no_index(
    medias: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run("score", "--org", "Le Monde", "--db", str(medias), "--format", "json")
    message = json.loads(out)["error"]["message"]
    assert code == 1 and message.startswith("'Le Monde' cannot be scored: it has no items")
    assert "count in `jauge voice`, not in the index" in message
    monkeypatch.setenv("JAUGE_LANG", "fr")
    code, out, _ = run("score", "--org", "Le Monde", "--db", str(medias), "--format", "json")
    assert "impossible de calculer l'indice de 'Le Monde'" in json.loads(out)["error"]["message"]


def test_the_french_breakdown_writes_negative_values_with_a_minus_sign(
    airlines: tuple[Path, date], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, _latest = airlines
    monkeypatch.setenv("JAUGE_LANG", "fr")
    code, out, err = run("score", "--org", "United", "--db", str(db))
    assert code == 0, err
    # United's net sentiment is negative: the breakdown writes it as French does
    row = next(line for line in out.splitlines() if "Tonalité nette" in line)
    assert "\u2212" in row and not any(f"-{d}" in row for d in "0123456789")
