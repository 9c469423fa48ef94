"""The tweets-csv importer on real tweets (Twitter US Airline Sentiment, 1,500-row subset)."""

import csv
from collections import Counter
from datetime import datetime
from pathlib import Path

import jauge

from .conftest import AIRLINE_TWEETS


def tweets() -> list[dict[str, str]]:
    with AIRLINE_TWEETS.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_each_airline_becomes_an_organisation_and_each_tweet_a_mention(handle: jauge.Jauge) -> None:
    result = handle.import_file(AIRLINE_TWEETS, "tweets-csv")
    rows = tweets()
    distinct_ids = {r["tweet_id"] for r in rows}
    assert result.ok and result.to_dict()["inserted"] == len(distinct_ids)
    # the file repeats some tweets: the import says so (the last row of each is kept)
    repeated = len(rows) - len(distinct_ids)
    assert repeated > 1 and result.files[0].warnings == [
        f"{repeated} rows give an item a later row gives again: the last of each is kept"
    ]
    orgs = {o["name"]: o for o in handle.stats().organisations}
    assert set(orgs) == {r["airline"] for r in rows}
    interactions = handle.interactions.to_pandas()
    assert set(interactions["kind"]) == {"mention"}
    assert len(interactions) == len(distinct_ids)
    persons = handle.persons.to_pandas()
    assert set(persons["handle"]) == {r["name"] for r in rows}
    assert set(persons["platform"]) == {"x"}


def test_human_sentiment_labels_are_kept_as_annotations(handle: jauge.Jauge) -> None:
    handle.import_file(AIRLINE_TWEETS, "tweets-csv")
    labels = handle.sql(
        "SELECT value, count(*) AS n FROM annotations WHERE key = 'sentiment.human' GROUP BY value"
    ).to_pylist()
    # the file repeats a few tweets: the last row of each id wins
    last = {r["tweet_id"]: r["airline_sentiment"] for r in tweets()}
    assert {r["value"]: r["n"] for r in labels} == dict(Counter(last.values()))


def write_tweets(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_sentiment_labels_are_read_in_any_case_and_others_refused(
    handle: jauge.Jauge, tmp_path: Path
) -> None:
    """The real labels written as a spreadsheet might (Positive, NEGATIVE, neutre) mean
    what they say; a label that is none of them names its line instead of counting as
    an opinion of no side."""
    rows = tweets()
    spellings = {"positive": "Positive", "negative": "NEGATIVE", "neutral": "neutre"}
    written = [{**r, "airline_sentiment": spellings[r["airline_sentiment"]]} for r in rows]
    assert handle.import_file(write_tweets(tmp_path / "cased.csv", written), "tweets-csv").ok
    labels = handle.sql(
        "SELECT value, count(*) AS n FROM annotations WHERE key = 'sentiment.human' GROUP BY value"
    ).to_pylist()
    last = {r["tweet_id"]: r["airline_sentiment"] for r in rows}
    assert {r["value"]: r["n"] for r in labels} == dict(Counter(last.values()))
    written[41]["airline_sentiment"] = "great"
    refused = handle.import_file(write_tweets(tmp_path / "odd.csv", written), "tweets-csv")
    [error] = refused.errors
    assert not refused.ok and (error.line, error.field) == (43, "airline_sentiment")
    assert error.message == 'expected one of positive, neutral, negative, got "great"'


def test_a_default_picture_flag_of_0_or_false_is_a_picture_of_ones_own(
    handle: jauge.Jauge, tmp_path: Path
) -> None:
    """Cresci's profiles write default_profile_image as 0 or 1 (Twitter's own exports: 1
    or empty); 0, False and empty are a picture of one's own, only 1 or True is not."""
    rows = tweets()
    authors = sorted({r["name"] for r in rows})
    flags = dict(zip(authors[:5], ("1", "0", "False", "True", ""), strict=True))
    written = [{**r, "default_profile_image": flags.get(r["name"], "0")} for r in rows]
    assert handle.import_file(write_tweets(tmp_path / "pictures.csv", written), "tweets-csv").ok
    has = {p["handle"]: p["has_avatar"] for p in handle.persons.to_pylist()}
    assert [has[a] for a in authors[:5]] == [False, True, True, False, True]
    assert sum(not v for v in has.values()) == 2


def test_times_are_converted_to_utc_and_entities_unescaped(handle: jauge.Jauge) -> None:
    handle.import_file(AIRLINE_TWEETS, "tweets-csv")
    first = tweets()[0]  # 2015-02-22 20:23:27 -0800
    item = handle.sql(
        "SELECT created_at, text FROM content_items WHERE native_id = ?", [first["tweet_id"]]
    ).to_pylist()[0]
    assert item["created_at"] == datetime(2015, 2, 23, 4, 23, 27)
    escaped = next(r for r in tweets() if "&amp;" in r["text"])
    text = handle.sql(
        "SELECT text FROM content_items WHERE native_id = ?", [escaped["tweet_id"]]
    ).to_pylist()[0]["text"]
    assert "&amp;" not in text and "&" in text


def test_reimport_adds_nothing_and_org_option_overrides_the_column(handle: jauge.Jauge) -> None:
    handle.import_file(AIRLINE_TWEETS, "tweets-csv")
    again = handle.import_file(AIRLINE_TWEETS, "tweets-csv").to_dict()
    assert again["inserted"] == 0 and again["updated"] == 0
    other = jauge.open(handle.store.path, workspace="client-b")
    result = other.import_file(AIRLINE_TWEETS, "tweets-csv", org="Skies Inc")
    assert result.to_dict()["inserted"] == again["unchanged"]
    assert [o["name"] for o in other.stats().organisations] == ["Skies Inc"]
    # workspaces keep their own copies: nothing leaks between them
    assert handle.stats().entities["items"] == other.stats().entities["items"]
    assert {o["name"] for o in handle.stats().organisations}.isdisjoint({"Skies Inc"})
    other.close()


def test_ids_a_spreadsheet_rounded_are_refused_not_merged(
    handle: jauge.Jauge, tmp_path: Path
) -> None:
    """Real tweets as Excel saves them: two distinct ids both become 5.70306E+17, and
    importing them would keep one tweet in place of two."""
    rows = tweets()[:2]
    path = tmp_path / "excel.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "tweet_id": f"{int(row['tweet_id']):.5E}"})
    result = handle.import_file(path, "tweets-csv")
    assert not result.ok and result.total("inserted") == 0
    assert [(e.line, e.field) for e in result.errors] == [(2, "tweet_id"), (3, "tweet_id")]
    assert "spreadsheet" in result.errors[0].message
    assert handle.stats().to_dict()["entities"]["items"] == 0
