"""What the CLI prints for people: names and paths as they are (never read as Rich
markup), numbers as the reader's language writes them, click's own words translated,
text input in the encoding it has, output to a stream that cannot encode every
character, and a word when a command waits for a busy store."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from jauge.cli.main import cli
from jauge.stats import ENTITY_LABELS as ENTITIES
from jauge.store.duckdb_store import ENTITIES as STORED_ENTITIES

from .conftest import AIRLINE_TWEETS, FRENCH_TWEETS_CSV, UCI_FACEBOOK

#: names a user may well type, that Rich would read as markup: an unbalanced closing tag
#: (which crashed every table) and balanced ones (which were swallowed)
ROCK = "Rock [/] Roll"
BOLD = "[b]Bold[/b] Corp"
LAUNCH = "[bold red]Launch[/]"
FEED = "feed [x]"
CAMPAIGN_ADD = (
    "campaign",
    "add",
    LAUNCH,
    "--org",
    BOLD,
    "--from",
    "2014-03-01",
    "--to",
    "2014-06-30",
)
#: a file in a folder named "odd [": its path holds "[/]" too
ODD_FILE = "odd [/] export [b]v2.csv"


def invoke(*args: str, lang: str = "en", charset: str = "utf-8", stdin: object = None):  # type: ignore[no-untyped-def]
    return CliRunner(charset=charset).invoke(
        cli, list(args), env={"JAUGE_LANG": lang}, input=stdin, catch_exceptions=False
    )


@pytest.fixture(scope="module")
def odd_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A store of real exports whose organisation, campaign and connection names, and
    the imported file's name, hold brackets; and what importing that file printed."""
    folder = tmp_path_factory.mktemp("odd")
    db = str(folder / "store.duckdb")
    odd_file = folder / ODD_FILE
    odd_file.parent.mkdir()
    shutil.copy(UCI_FACEBOOK, odd_file)
    imported = invoke(
        "import", str(odd_file), "--source", "facebook-insights", "--org", BOLD,
        "--year", "2014", "--db", db,
    )  # fmt: skip
    assert imported.exit_code == 0, imported.output
    for args in (
        ("import", str(AIRLINE_TWEETS), "--source", "tweets-csv", "--db", db),
        ("org", "add", ROCK, "--alias", "united", "--db", db),
        ("enrich", "--backend", "fast", "--db", db),
        (*CAMPAIGN_ADD, "--db", db),
        ("connect", "add", FEED, "--kind", "rss", "--url", "https://example.org/[x].xml",
         "--db", db),
    ):  # fmt: skip
        result = invoke(*args)
        assert result.exit_code == 0, (args, result.output)
    yield db, imported.output


def test_the_import_table_and_notes_print_the_file_name_as_it_is(odd_store):  # type: ignore[no-untyped-def]
    _db, printed = odd_store
    assert printed.count(ODD_FILE) == 2  # in the table and in the note about dates
    assert re.search(r"odd \[/\] export \[b\]v2\.csv +written +500", printed)


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (("org", "add", ROCK, "--alias", "united"), [f"{ROCK}: 2 dictionary entries"]),
        (("org", "list"), [ROCK, BOLD, "alias:united"]),
        (("stats",), [ROCK, BOLD]),
        (("voice", "--org", ROCK, "--org", BOLD), [ROCK, BOLD]),
        (("score", "--org", BOLD), [f"Jauge Index of {BOLD}, "]),
        (("compare", "--by", "org", "--org", "United", "--org", BOLD), [BOLD]),
        (("topics", "--org", ROCK), [f"{ROCK}, 20"]),
        (("people", "--org", ROCK), [f"People talking about {ROCK} on x"]),
        (("campaign", "list"), [LAUNCH, BOLD]),
        (CAMPAIGN_ADD, [f"campaign {LAUNCH} of {BOLD}: 2014-03-01 to 2014-06-30"]),
        (("connect", "list"), [FEED, "https://example.org/[x].xml"]),
        (("value", "--org", BOLD), [BOLD]),
    ],
)
def test_every_command_prints_names_as_they_are(odd_store, args, shown):  # type: ignore[no-untyped-def]
    db, _printed = odd_store
    result = invoke(*args, "--db", db)
    assert result.exit_code == 0, result.output
    for text in shown:
        assert text in result.output


def test_tables_print_on_an_output_that_cannot_encode_their_characters(odd_store):  # type: ignore[no-untyped-def]
    db, _printed = odd_store
    assert invoke("org", "add", "Élan 中文 ✓", "--db", db).exit_code == 0
    # cp1252: a Windows console, or a redirect to a file there
    score = invoke("score", "--org", "United", "--db", db, charset="cp1252")
    assert score.exit_code == 0
    assert re.search(r"\d\.\d / 100 .* #+·+", score.stdout)  # the bar, in what cp1252 has
    listed = invoke("org", "list", "--db", db, charset="ascii")
    assert listed.exit_code == 0 and "?lan ?? v" in listed.stdout
    french = invoke("stats", "--db", db, lang="fr", charset="ascii")
    assert french.exit_code == 0 and re.search(r"personnes\W+\d \d{3}\n", french.stdout)
    as_json = invoke("org", "list", "--db", db, "--format", "json", charset="cp1252")
    assert as_json.exit_code == 0 and "\\u4e2d" in as_json.stdout  # JSON's escapes
    assert "Élan 中文 ✓" in [o["name"] for o in json.loads(as_json.stdout)]


def test_numbers_and_entities_are_written_in_the_readers_language(odd_store):  # type: ignore[no-untyped-def]
    db, _printed = odd_store
    assert set(ENTITIES) == set(STORED_ENTITIES)  # every counted entity has a label
    stats = invoke("stats", "--db", db, lang="fr").stdout
    assert re.search(r"personnes +\d\u202f\d{3}\n", stats)
    assert "termes des dictionnaires" in stats and "poids d'authenticité" in stats
    assert "lignes de trafic web" in stats and "lignes de dépenses" in stats
    assert not re.search(r"\b(org_terms|authenticity|web_traffic|costs)\b", stats)
    english = invoke("stats", "--db", db).stdout
    assert re.search(r"persons +\d,\d{3}\n", english) and "dictionary terms" in english
    score = invoke("score", "--org", "United", "--db", db, lang="fr").stdout
    assert re.search(r"\d+,\d / 100 +intervalle à 90 % \[\d+,\d ; \d+,\d\]", score)
    voice = invoke("voice", "--org", "United", "--org", "Delta", "--db", db, lang="fr")
    assert re.search(r"United +\d+ +\d+,\d\u202f% ", voice.stdout)


def test_clicks_own_words_are_in_french_too(tmp_path: Path) -> None:
    db = str(tmp_path / "s.duckdb")
    year = invoke("import", str(UCI_FACEBOOK), "--year", "abc", "--db", db, lang="fr")
    assert year.exit_code == 2
    assert "'abc' n'est pas un nombre entier valide." in year.output
    missing = invoke("sentiment", "--input", str(tmp_path / "nope.txt"), lang="fr")
    assert missing.exit_code == 2 and "Fichier " in missing.output
    assert "n'existe pas." in missing.output and "No such file" not in missing.output
    assert invoke("workspace", "add", "acme", "--db", db).exit_code == 0
    user = ("user", "add", "a@b.c", "--workspace", "acme", "--role", "viewer", "--db", db)
    typo = invoke(*user, lang="fr", stdin="pw12345678\npw12345679\n")
    assert "Mot de passe : " in typo.output and "Répétez pour confirmer : " in typo.output
    assert "Erreur : les deux valeurs saisies ne correspondent pas." in typo.output
    # and English again in the same process: the words are not kept from a French run
    assert "'abc' is not a valid integer." in invoke("import", "x", "--year", "abc").output
    assert "File " in invoke("sentiment", "--input", str(tmp_path / "nope.txt")).output


def _french_texts() -> list[str]:
    """Real French tweets, one line each, with accents cp1252 has."""
    import csv

    with FRENCH_TWEETS_CSV.open(encoding="utf-8") as f:
        texts = [" ".join(row["text"].split()) for row in csv.DictReader(f)]
    fit = [t for t in texts if re.search("[éèàç]", t) and t.isprintable()]
    return [t for t in fit if t.encode("cp1252", "ignore").decode("cp1252") == t][:20]


def test_sentiment_reads_a_windows_export_and_standard_input(tmp_path: Path) -> None:
    texts = _french_texts()
    assert len(texts) == 20
    export = tmp_path / "export.txt"
    export.write_bytes("\r\n".join(texts).encode("cp1252"))
    read = invoke("sentiment", "--input", str(export))
    assert read.exit_code == 0, read.output
    assert [json.loads(line)["text"] for line in read.stdout.splitlines()] == texts
    piped = invoke("sentiment", "--input", "-", stdin="\n".join(texts).encode("cp1252"))
    assert [json.loads(line)["text"] for line in piped.stdout.splitlines()] == texts
    forced = invoke("sentiment", "--input", str(export), "--encoding", "utf-8")
    assert forced.exit_code == 1
    error = json.loads(forced.stdout)["error"]
    assert error["errors"][0]["line"] == 1 and "not valid utf-8" in error["message"]
    unknown = invoke("sentiment", "--input", str(export), "--encoding", "nope")
    assert unknown.exit_code == 2 and "--encoding" in unknown.output


def test_a_command_waiting_for_a_busy_store_says_so_on_stderr(tmp_path: Path) -> None:
    db = tmp_path / "busy.duckdb"
    assert invoke("import", str(UCI_FACEBOOK), "--source", "facebook-insights", "--org",
                  "Brand", "--year", "2014", "--db", str(db)).exit_code == 0  # fmt: skip
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys; c = duckdb.connect(sys.argv[1]); "
         "print('held', flush=True); sys.stdin.read()", str(db)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        env = {**os.environ, "JAUGE_LOCK_WAIT": "3", "JAUGE_LANG": "fr"}
        done = subprocess.run(
            [sys.executable, "-m", "jauge", "stats", "--db", str(db), "--format", "json"],
            capture_output=True, text=True, env=env,
        )  # fmt: skip
    finally:
        holder.communicate("")
    assert done.returncode == 1
    assert json.loads(done.stdout)["error"]["code"] == "store"  # stdout: one document
    notice = (
        f"la base {db} est utilisée par un autre processus jauge (processus {holder.pid}) : "
        "attente de son tour, 3 s au plus (JAUGE_LOCK_WAIT)"
    )
    assert notice in done.stderr.splitlines()
