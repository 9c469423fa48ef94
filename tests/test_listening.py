"""Mentions, enrichment and share of voice, on the real airline tweets."""

import json
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

import jauge
from jauge.cli.main import cli
from jauge.enrich.mentions import Matcher, dictionary_term, normalise
from jauge.enrich.topics import terms_of

from .conftest import AIRLINE_TWEETS


def matcher(*entries: tuple[str, str, str]) -> Matcher:
    return Matcher.build((org, kind, dictionary_term(kind, term)) for org, kind, term in entries)


def test_matching_ignores_case_and_accents_and_respects_word_boundaries() -> None:
    m = matcher(("edf", "name", "Électricité de France"), ("orange", "name", "Orange"))
    assert m.find("ELECTRICITE DE FRANCE augmente ses prix") == {"edf": {"electricite de france"}}
    assert m.find("une orangeade bien fraîche") == {}
    assert m.find("Mon forfait Orange, encore en panne") == {"orange": {"orange"}}
    assert normalise("Île-de-France’s") == "ile-de-france's"


def test_handles_and_hashtags_match_as_such() -> None:
    m = matcher(("acme", "handle", "acme"), ("acme", "hashtag", "#AcmeLove"))
    assert m.find("thanks @ACME!") == {"acme": {"@acme"}}
    assert m.find("email me at bob@acme.com") == {}
    assert m.find("#acmelove forever") == {"acme": {"#acmelove"}}
    assert m.find("#acmelover") == {}
    # a plain name is found in a hashtag of the same word
    assert matcher(("a", "name", "acme")).find("#acme rocks") == {"a": {"acme"}}


def test_exclusions_are_not_mentions() -> None:
    m = matcher(("apple", "name", "apple"), ("apple", "exclude", "apple pie"))
    assert m.find("grandma's apple pie") == {}
    assert m.find("apple pie and an Apple watch") == {"apple": {"apple"}}


@pytest.fixture
def airlines(tmp_path: Path) -> jauge.Jauge:
    j = jauge.open(tmp_path / "s.duckdb")
    assert j.import_file(AIRLINE_TWEETS, "tweets-csv").ok
    j.add_org("United", handles=["united"])
    j.add_org("Delta", handles=["delta"], aliases=["delta air lines"])
    return j


def test_an_organisation_an_import_created_is_found_by_its_name(tmp_path: Path) -> None:
    """The airlines come from the tweets' airline column, with no `jauge org add`: their
    names count all the same, as the dictionary promises, in tweets filed under another
    airline too."""
    import csv

    with jauge.open(tmp_path / "s.duckdb") as j:
        assert j.import_file(AIRLINE_TWEETS, "tweets-csv").ok
        (delta,) = [o for o in j.org_dictionaries() if o["name"] == "Delta"]
        assert delta["terms"] == [{"kind": "name", "term": "Delta"}]
        assert j.enrich(backend="fast").mentions > 0
        found = j.sql(
            "SELECT c.native_id FROM mentions m JOIN organisations o USING (org_id) "
            "JOIN content_items c USING (item_id) WHERE o.name = 'Delta' "
            "AND c.org_id <> o.org_id"
        ).to_pylist()
    naming = matcher(("delta", "name", "Delta"))
    with AIRLINE_TWEETS.open(newline="", encoding="utf-8") as f:
        expected = {
            t["tweet_id"] for t in csv.DictReader(f) if t["airline"] != "Delta" and
            naming.find(t["text"])
        }  # fmt: skip
    assert expected and {r["native_id"] for r in found} == expected


@pytest.mark.parametrize(
    ("name", "entries", "kind"),
    [("", {}, "name"), ("   ", {}, "name"), ("United", {"aliases": [""]}, "alias"),
     ("United", {"handles": ["@"]}, "handle"), ("United", {"hashtags": [" # "]}, "hashtag")],
)  # fmt: skip
def test_an_empty_dictionary_entry_is_refused(
    airlines: jauge.Jauge, name: str, entries: dict[str, list[str]], kind: str
) -> None:
    """An empty entry (an alias from an unset variable in a script) would match every
    tweet: every one would mention the organisation."""
    before = airlines.org_dictionaries()
    with pytest.raises(jauge.ConfigError, match=f"an empty {kind} cannot|name is empty"):
        airlines.add_org(name, **entries)
    assert airlines.org_dictionaries() == before


def test_enrich_tells_its_counts_in_the_readers_language(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    with jauge.open(db) as j:
        assert j.import_file(AIRLINE_TWEETS, "tweets-csv").ok
    said = CliRunner().invoke(cli, ["enrich", "--backend", "fast", "--db", str(db)],
                              env={"JAUGE_LANG": "fr"})  # fmt: skip
    assert said.exit_code == 0, said.output
    assert "langues en " in said.stdout and "négatif " in said.stdout
    assert "mentions trouvées : " in said.stdout and "{" not in said.stdout


def test_enrich_is_incremental_and_resumable(airlines: jauge.Jauge) -> None:
    items = airlines.stats().entities["items"]
    first = airlines.enrich(backend="fast")  # `fast` where the backend is not the point
    assert first.processed == items and first.mentions > 0
    assert sum(first.languages.values()) == items
    assert airlines.enrich(backend="fast").processed == 0  # nothing new
    # a new dictionary entry re-runs the mention step only where needed (all items here)
    airlines.add_org("Southwest", handles=["southwestair"])
    rerun = airlines.enrich(backend="fast")
    assert rerun.processed == items
    notes = airlines.sql(
        "SELECT key, count(*) AS n, count(DISTINCT item_id) AS items FROM annotations "
        "WHERE import_id = 'enrich' GROUP BY key ORDER BY key"
    ).to_pylist()
    # replaced, not duplicated
    assert all(n["n"] == n["items"] == items for n in notes)
    handles = airlines.sql(
        "SELECT count(*) AS n FROM mentions m JOIN organisations o USING (org_id) "
        "WHERE o.name = 'Southwest'"
    ).to_pylist()[0]["n"]
    assert handles > 0


def test_an_interrupted_enrich_resumes_where_it_stopped(
    airlines: jauge.Jauge, monkeypatch: pytest.MonkeyPatch
) -> None:
    import jauge.enrich.pipeline as pipeline

    calls = {"n": 0}
    original = pipeline._batch

    def failing(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return original(*args, **kwargs)

    monkeypatch.setattr(pipeline, "_batch", failing)
    with pytest.raises(KeyboardInterrupt):
        pipeline.enrich(airlines.store, airlines.workspace, backend="fast", batch=200)
    done = airlines.sql("SELECT count(DISTINCT item_id) AS n FROM enrichment_log").to_pylist()
    assert done[0]["n"] == 400  # two whole batches kept
    monkeypatch.setattr(pipeline, "_batch", original)
    rest = airlines.enrich(backend="fast")
    assert rest.processed == airlines.stats().entities["items"] - 400


def test_voice_and_the_index_read_the_enrichment(airlines: jauge.Jauge, tmp_path: Path) -> None:
    airlines.enrich(backend="fast")
    voice = airlines.voice(["United", "Delta"]).to_dict()
    shares = [o["share_of_voice"] for o in voice["orgs"]]
    assert abs(sum(shares) - 1) < 1e-9 and all(o["labelled"] > 0 for o in voice["orgs"])
    # without human labels, the index's opinion component reads the enrichment
    j = jauge.open(tmp_path / "unlabelled.duckdb")
    j.import_file(AIRLINE_TWEETS, "tweets-csv", mapping={"airline_sentiment": "crowd_label"})
    before = j.score("United").components["net_sentiment"]
    assert before.score is None
    j.enrich(backend="fast")
    after = j.score("United").components["net_sentiment"]
    assert after.score is not None and after.n > 0


def test_cli_org_enrich_voice(tmp_path: Path) -> None:
    db = str(tmp_path / "s.duckdb")
    run = CliRunner().invoke
    assert (
        run(cli, ["import", str(AIRLINE_TWEETS), "--source", "tweets-csv", "--db", db]).exit_code
        == 0
    )
    out = run(cli, ["org", "add", "United", "--handle", "united", "--db", db, "--format", "json"])
    assert json.loads(out.stdout)["terms"][1] == {
        "kind": "handle",
        "term": "united",
        "matches": "@united",
    }
    out = run(cli, ["enrich", "--db", db, "--format", "json"])
    assert json.loads(out.stdout)["processed"] > 0
    out = run(cli, ["voice", "--org", "United", "--org", "Delta", "--db", db, "--format", "json"])
    data = json.loads(out.stdout)
    assert [o["org"] for o in data["orgs"]] == ["United", "Delta"]
    listed = json.loads(run(cli, ["org", "list", "--db", db, "--format", "json"]).stdout)
    assert any(o["name"] == "United" and len(o["terms"]) == 2 for o in listed)
    # an organisation the import created as the user's own can be declared a competitor,
    # and adding to its dictionary later keeps that
    run(cli, ["org", "add", "Delta", "--relation", "competitor", "--db", db])
    run(cli, ["org", "add", "Delta", "--hashtag", "delta", "--db", db])
    listed = json.loads(run(cli, ["org", "list", "--db", db, "--format", "json"]).stdout)
    relations = {o["name"]: o["relation"] for o in listed}
    assert relations["Delta"] == "competitor" and relations["United"] == "own"


def test_topics_of_an_airline(airlines: jauge.Jauge) -> None:
    from jauge.enrich.topics import stop_words

    found = airlines.topics("United", limit=15).to_dict()
    terms = [t["term"] for t in found["top"]]
    assert terms[0] == "flight"
    assert not set(terms) & stop_words() and "united" not in terms
    assert all(t["items"] >= 3 for t in found["top"])
    shares = [t["share"] for t in found["top"]]
    assert shares == sorted(shares, reverse=True)


def test_rising_topics_compare_with_the_previous_period(airlines: jauge.Jauge) -> None:
    from datetime import date

    found = airlines.topics("United", start=date(2015, 2, 23), end=date(2015, 2, 23)).to_dict()
    assert found["previous_items"] > 0
    for t in found["rising"]:
        assert t["growth"] > 1 and t["items"] >= 3


def test_topics_drop_french_stop_words(tmp_path: Path) -> None:
    from .conftest import FRENCH_TWEETS_CSV
    from .test_import_posts_and_feeds import FRENCH_MAP

    with jauge.open(tmp_path / "s.duckdb") as j:
        j.import_file(
            FRENCH_TWEETS_CSV, "posts-csv", org="Médias", platform="x", mapping=FRENCH_MAP
        )
        terms = [t["term"] for t in j.topics("Médias", limit=30).to_dict()["top"]]
    assert terms and not {"les", "des", "pour", "est", "une", "dans"} & set(terms)
    # some media write in styled letters (𝗚𝘂𝗲𝗿𝗿𝗲): the same words as plain ones
    assert all(term.isascii() or unicodedata.normalize("NFKC", term) == term for term in terms)
    first = FRENCH_TWEETS_CSV.read_text("utf-8").splitlines()[1]  # "𝗧𝗖𝗛𝗔𝗧 | Guerre en #Ukraine"
    assert {"tchat", "guerre", "#ukraine"} <= terms_of(first, frozenset())


@pytest.mark.parametrize("every", ["day", "week", "month"])
def test_the_sentiment_chart_stacks_each_period_over_its_whole_span(tmp_path: Path, every: str):
    from datetime import date, timedelta
    from itertools import pairwise

    from jauge.enrich.voice import sentiment_trend
    from jauge.web.charts import sentiment_over_time

    with jauge.open(tmp_path / "s.duckdb") as j:
        j.import_file(AIRLINE_TWEETS, "tweets-csv")
        points = sentiment_trend(j.store, j.workspace, "United", every=every)
    assert points and sum(p["negative"] for p in points) > 0
    spec = sentiment_over_time(points, lambda key, **_: key, every)
    bars = spec["data"]["values"]
    assert spec["encoding"]["x"]["axis"]["values"] == [p["period"] for p in points]
    for p in points:
        stack = [b for b in bars if b["period"] == p["period"]]
        assert [b["label"] for b in stack] == [
            f"sentiment.{k}" for k in ("negative", "neutral", "positive", "unlabelled")
        ]
        assert stack[0]["bottom"] == 0 and stack[-1]["top"] == p["mentions"]
        assert all(a["top"] == b["bottom"] for a, b in pairwise(stack))
        assert all(b["top"] - b["bottom"] == b["count"] >= 0 for b in stack)
        start, end = date.fromisoformat(p["period"]), date.fromisoformat(stack[0]["end"])
        if every == "month":
            assert end.day == 1 and (end - timedelta(days=1)).month == start.month
        else:
            assert end - start == timedelta(days=7 if every == "week" else 1)
