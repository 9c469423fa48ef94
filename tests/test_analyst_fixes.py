"""Fixes from the QA report "agency analyst" (F2, F3, F6), on real data: the French media
tweets, the airline tweets, the XLM-T tweets."""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

import jauge
from jauge.cli.main import cli
from jauge.i18n import catalogue, elided, speaking
from jauge.web.i18n import catalogue as web_catalogue

from .conftest import AIRLINE_TWEETS, DATA, FRENCH_MAP, FRENCH_TWEETS_CSV, FRENCH_TWEETS_JSONL

NBSP = "\u202f"  # French thousands separator


def _fold(text: str) -> str:
    """Text as a reader would search it: styled letters plain, lower case, no accents."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _items_with(texts: list[str], word: str) -> int:
    """Items whose text has ``word``, whatever its accents, or its hashtag: counted apart
    from jauge, with a regular expression."""
    found = re.compile(rf"(?<![\w@#])#?{word}(?!\w)")
    return sum(bool(found.search(_fold(t))) for t in texts)


def _french_rows() -> list[dict[str, str]]:
    with FRENCH_TWEETS_CSV.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture
def medias(tmp_path: Path) -> Iterator[jauge.Jauge]:
    with jauge.open(tmp_path / "medias.duckdb") as j:
        assert j.import_file(
            FRENCH_TWEETS_CSV, "posts-csv", org="Médias", platform="x", mapping=FRENCH_MAP
        ).ok
        yield j


# -- F2: a term counted once, whatever its accents, hashtag or not --------------------


def test_topics_count_a_word_once_whatever_its_accents(medias: jauge.Jauge) -> None:
    texts = [r["text"] for r in _french_rows()]
    spelt = [re.findall(r"(?<![\w#])[ée]lisabeth(?!\w)", t.lower()) for t in texts]
    accented = sum("élisabeth" in s for s in spelt)
    plain = sum("elisabeth" in s for s in spelt)
    assert accented > plain > 0  # the data has both (capitals lose the accent)
    top = medias.topics("Médias", limit=500).to_dict()["top"]
    elisabeth = [t for t in top if _fold(t["term"]) == "elisabeth"]
    assert elisabeth == [
        {"term": "élisabeth", "items": _items_with(texts, "elisabeth"), "share": 0.08}
    ]
    assert elisabeth[0]["items"] == accented + plain == 24  # none has both spellings
    # and the phrases it is in
    phrases = [t["term"] for t in top if _fold(t["term"]).startswith("elisabeth ")]
    assert len(phrases) == len({_fold(p) for p in phrases})


def test_topics_count_a_hashtag_as_its_word(medias: jauge.Jauge) -> None:
    texts = [r["text"] for r in _french_rows()]
    top = medias.topics("Médias", limit=500).to_dict()["top"]
    terms = {t["term"]: t["items"] for t in top}
    for word in ("ukraine", "macron", "russie"):
        assert any(f"#{word}" in t.lower() for t in texts)  # written both ways
        assert f"#{word}" not in terms
        assert terms[word] == _items_with(texts, word)
    # a hashtag that is no word stays a term (#législatives2022 has no "législatives2022")
    assert not [t for t in terms if t.startswith("#") and t[1:] in terms]


def test_rising_terms_fold_as_the_top_terms_do(medias: jauge.Jauge) -> None:
    """The French tweets of May 2022 are the previous period of the June ones: a term
    before and now is the same term, whatever its spelling in each."""
    tweets = [json.loads(line) for line in FRENCH_TWEETS_JSONL.read_text("utf-8").splitlines()]
    assert medias.import_file(
        FRENCH_TWEETS_JSONL, "posts-jsonl", org="Médias", platform="x",
        mapping={"author_id": "account"},
    ).ok  # fmt: skip
    start, end = date(2022, 5, 18), date(2022, 6, 7)
    before = [r["text"] for r in _french_rows() if "2022-04-27" <= r["date"][:10] < "2022-05-18"]
    now = [t["text"] for t in tweets if start.isoformat() <= t["created_at"][:10]]
    found = medias.topics("Médias", start=start, end=end, limit=500).to_dict()
    assert (found["items"], found["previous_items"]) == (len(now), len(before))
    rising = {t["term"]: t for t in found["rising"]}
    # #macron and #russie were hashtags only in May: they count as the words
    for word in ("macron", "russie"):
        assert (rising[word]["items"], rising[word]["previous"]) == (
            _items_with(now, word),
            _items_with(before, word),
        )
    assert rising["macron"]["previous"] == 9 and rising["russie"]["previous"] == 6
    assert len({_fold(t).lstrip("#") for t in rising}) == len(rising)


# -- F3: the sentiment table's labels in the reader's language ------------------------


def test_the_sentiment_table_says_its_labels_in_french(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = (DATA / "xlmt-sentiment-fr-en" / "french" / "val_text.txt").read_text("utf-8")
    texts = tmp_path / "tweets.txt"
    texts.write_text("\n".join(lines.splitlines()[:40]) + "\n", "utf-8")
    args = ["sentiment", "--input", str(texts), "--backend", "fast"]
    monkeypatch.setenv("JAUGE_LANG", "fr")
    monkeypatch.setenv("COLUMNS", "400")
    jsonl = CliRunner().invoke(cli, args)
    labels = [json.loads(line)["label"] for line in jsonl.stdout.splitlines()]
    assert set(labels) == {"negative", "neutral", "positive"}  # JSON keeps the English
    table = CliRunner().invoke(cli, [*args, "--format", "table"])
    assert table.exit_code == 0, table.output
    french = {"negative": "négatif", "neutral": "neutre", "positive": "positif"}
    shown = re.findall(r"\b(négatif|neutre|positif|negative|neutral|positive)\b", table.stdout)
    assert shown == [french[label] for label in labels]


# -- F6: French wording ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "french"),
    [
        ("Les personnes qui parlent de {}", "Emmanuel Macron", "parlent d'Emmanuel Macron"),
        ("Rapport de [bold]{}[/] (du", "Air France", "Rapport d'[bold]Air France[/]"),
        ("De {} et de Delta", "Uber", "D'Uber et de Delta"),
        ("parlent de {}", "Élysée", "parlent d'Élysée"),
        ("parlent de {}", "Yves Rocher", "parlent d'Yves Rocher"),
        ("parlent de {}", "YouTube", "parlent de YouTube"),  # a y that sounds a consonant
        ("parlent de {}", "Hyundai", "parlent de Hyundai"),  # an aspirated h, maybe
        ("parlent de {}", "Delta", "parlent de Delta"),
        ("parlent de {}", "3M", "parlent de 3M"),
        ("l'Inde {}", "Orange", "l'Inde Orange"),  # only "de" as a word
        ("de {}Delta", "", "de Delta"),  # an empty name elides nothing
    ],
)
def test_french_elides_de_before_a_vowel(text: str, name: str, french: str) -> None:
    made = text.format(name)
    assert french in elided(made, name, lang="fr")
    assert elided(made, name, lang="en") == made  # other languages: as made
    with speaking("fr"):
        assert elided(made, name) == elided(made, name, lang="fr")


@pytest.fixture
def airlines_fr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The airline tweets (an airline per organisation: American begins with a vowel),
    and the CLI in French on a wide terminal."""
    db = str(tmp_path / "a.duckdb")
    with jauge.open(db) as j:
        assert j.import_file(AIRLINE_TWEETS, "tweets-csv").ok
    monkeypatch.setenv("JAUGE_LANG", "fr")
    monkeypatch.setenv("COLUMNS", "200")
    yield db


def _fr(*args: str) -> str:
    out = CliRunner().invoke(cli, list(args))
    assert out.exit_code == 0, out.output
    return out.stdout


def test_french_says_d_before_an_organisation_that_begins_with_a_vowel(
    airlines_fr: str, tmp_path: Path
) -> None:
    db = ("--db", airlines_fr)
    org = ("--org", "American")
    people = _fr("people", *org, *db, "--limit", "1")
    assert people.splitlines()[0] == "Les personnes qui parlent d'American sur x"
    handle = json.loads(_fr("people", *org, *db, "--limit", "1", "--format", "json"))[0]
    show = _fr("person", "show", handle["handle"], *org, *db)
    assert "réponse d'American," in show and " de American" not in show
    nobody = _fr("people", *org, *db, "--topic", "zzzz")
    assert nobody.startswith("Personne ne parle d'American sur cette période")
    campaign = _fr("campaign", "add", "Hiver", *org, *db, "--from", "2015-02-19", "--to",
                   "2015-02-22")  # fmt: skip
    assert "campagne Hiver d'American : du" in campaign
    assert _fr("score", *org, *db).startswith("Indice Jauge d'American, du ")
    report = _fr("report", *org, *db, "-o", str(tmp_path / "r.html"))
    assert report.startswith("Rapport d'American (du ")
    # and Delta keeps its "de"
    assert _fr("people", "--org", "Delta", *db, "--limit", "1").startswith(
        "Les personnes qui parlent de Delta"
    )


def test_the_notebook_view_elides_too(airlines_fr: str) -> None:
    with jauge.open(airlines_fr) as j, speaking("fr"):
        assert "Indice Jauge d'American, du " in j.score("American")._repr_html_()


def test_net_sentiment_has_one_french_name_everywhere(airlines_fr: str) -> None:
    db = ("--db", airlines_fr)
    name = "tonalité nette"
    voice = _fr("voice", "--org", "American", "--org", "Delta", *db)
    score = _fr("score", "--org", "American", *db)
    handle = json.loads(_fr("people", "--org", "Delta", *db, "--limit", "1", "--format", "json"))
    show = _fr("person", "show", handle[0]["handle"], "--org", "Delta", *db)
    for said in (voice, score, show):
        assert name in said.lower() and "sentiment net" not in said.lower()
    web = web_catalogue("fr")
    assert web["listening.net"].lower() == name
    for key in ("report.hl.mentions", "report.hl.voice"):
        assert f"{name} {{net}}" in web[key]
    assert not [m for m, fr in catalogue("fr").items() if "sentiment net" in fr.lower()]


def test_the_sources_examples_have_no_english_comment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JAUGE_LANG", "fr")
    monkeypatch.setenv("COLUMNS", "300")
    listed = json.loads(_fr("sources", "--format", "json"))
    examples = [s["example"] for s in listed]
    assert "jauge import Tweets.csv --source tweets-csv" in examples
    assert not [e for e in examples if "#" in e]  # a comment would stay in English
    assert "one organisation per airline" not in _fr("sources")


@pytest.mark.parametrize(("lang", "grouped"), [("en", "1,498"), ("fr", f"1{NBSP}498")])
def test_the_score_breakdown_groups_its_n(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, grouped: str
) -> None:
    """Every airline tweet about one organisation: components counted over 1,498 items
    (two rows of the 1,500 give an item again)."""
    db = str(tmp_path / "one.duckdb")
    with jauge.open(db) as j:
        assert j.import_file(AIRLINE_TWEETS, "tweets-csv", org="Airlines").ok
        result = j.score("Airlines")
        assert result.components["net_sentiment"].n == 1498
        with speaking(lang):
            html = result._repr_html_()
            net = catalogue(lang).get("Net sentiment", "Net sentiment")
    row = html.split(f"&nbsp;&nbsp;{net}</td>")[1].split("</tr>")[0]
    assert f"<td>{grouped}</td>" in row
    monkeypatch.setenv("JAUGE_LANG", lang)
    monkeypatch.setenv("COLUMNS", "200")
    table = _fr("score", "--org", "Airlines", "--db", db)
    line = next(line for line in table.splitlines() if line.strip().startswith(net))
    assert f" {grouped} " in line and "1498" not in table


def test_every_french_message_elides_before_a_name(airlines_fr: str) -> None:
    # not only the messages that ask for it: any message made with a name (the dashboard's,
    # the value notebook's), through the one place messages are made
    from jauge.i18n import _
    from jauge.web.i18n import translator

    t = translator("fr")
    assert t("overview.index_of", org="American") == "Indice Jauge d'American"
    assert t("overview.index_of", org="Delta") == "Indice Jauge de Delta"
    assert "parle d'Emmanuel Macron sur" in t(
        "people.none_topics", org="Emmanuel Macron", topics="x"
    )
    with speaking("fr"):
        said = _("People talking about {org}", org="Air France")
        assert said == "Les personnes qui parlent d'Air France"
    with speaking("en"):
        assert translator("en")("overview.index_of", org="American") == "Jauge Index of American"
