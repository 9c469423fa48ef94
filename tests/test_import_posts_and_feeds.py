"""posts-csv and posts-jsonl with --map on real French media tweets, and rss on real feeds."""

import csv
import json
from pathlib import Path

import pytest

import jauge

from .conftest import FEEDS, FRENCH_MAP, FRENCH_TWEETS_CSV, FRENCH_TWEETS_JSONL


def test_posts_csv_with_a_column_map(handle: jauge.Jauge) -> None:
    result = handle.import_file(
        FRENCH_TWEETS_CSV, "posts-csv", org="French media", platform="twitter", mapping=FRENCH_MAP
    )
    assert result.ok, result.errors
    with FRENCH_TWEETS_CSV.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert result.to_dict()["inserted"] == len({r["id_tweet"] for r in rows})
    accounts = handle.accounts.to_pandas()
    assert set(accounts["handle"]) == {r["id_compte"] for r in rows}
    assert set(accounts["platform"]) == {"x"}
    likes = handle.sql("SELECT sum(reactions) AS n FROM metric_snapshots").to_pylist()[0]["n"]
    assert likes == sum(int(r["like_count"]) for r in rows)
    # columns nobody mapped are kept, not lost
    extra = handle.sql("SELECT extra FROM content_items LIMIT 1").to_pylist()[0]["extra"]
    assert set(json.loads(extra)) >= {"heure_UTC0", "quote_count"}


def test_posts_csv_without_a_platform_says_how_to_give_one(handle: jauge.Jauge) -> None:
    with pytest.raises(jauge.ConfigError, match="--platform"):
        handle.import_file(FRENCH_TWEETS_CSV, "posts-csv", org="X", mapping=FRENCH_MAP)


def test_posts_jsonl_reads_nested_keys(handle: jauge.Jauge) -> None:
    mapping = {
        "author_id": "account",
        "public_metrics.like_count": "reactions",
        "public_metrics.retweet_count": "shares",
        "public_metrics.reply_count": "comments",
    }
    result = handle.import_file(
        FRENCH_TWEETS_JSONL, "posts-jsonl", org="French media", platform="x", mapping=mapping
    )
    assert result.ok, result.errors
    tweets = [json.loads(line) for line in FRENCH_TWEETS_JSONL.read_text().splitlines()]
    assert result.to_dict()["inserted"] == len(tweets)
    total = handle.sql("SELECT sum(reactions) AS n FROM metric_snapshots").to_pylist()[0]["n"]
    assert total == sum(t["public_metrics"]["like_count"] for t in tweets)
    again = handle.import_file(
        FRENCH_TWEETS_JSONL, "posts-jsonl", org="French media", platform="x", mapping=mapping
    )
    assert again.to_dict()["inserted"] == 0 and again.to_dict()["updated"] == 0


def test_posts_jsonl_names_the_line_of_broken_json(handle: jauge.Jauge, tmp_path: Path) -> None:
    lines = FRENCH_TWEETS_JSONL.read_text().splitlines()
    lines[6] = lines[6][:40]
    path = tmp_path / "broken.jsonl"
    path.write_text("\n".join(lines) + "\n")
    result = handle.import_file(path, "posts-jsonl", platform="x")
    assert not result.ok and result.errors[0].line == 7
    assert "not valid JSON" in result.errors[0].message


def test_feeds_become_articles_by_their_authors(handle: jauge.Jauge) -> None:
    feeds = sorted(p for p in FEEDS.iterdir() if p.suffix != ".md")
    result = handle.import_file(feeds, "rss", org="Acme")
    assert result.ok, result.errors
    import feedparser

    expected = sum(len(feedparser.parse(str(p)).entries) for p in feeds)
    assert result.to_dict()["inserted"] == expected
    items = handle.items.to_pandas()
    assert set(items["kind"]) == {"article"} and set(items["platform"]) == {"web"}
    assert items["created_at"].notna().all()
    lemonde = handle.sql(
        "SELECT title, url FROM content_items WHERE url LIKE '%lemonde.fr%' LIMIT 1"
    ).to_pylist()[0]
    assert lemonde["title"] and lemonde["title"] == lemonde["title"].strip()
    # bloggers are persons, next to social media commenters
    assert "Simon Willison" in set(handle.persons.to_pandas()["display_name"])
    again = handle.import_file(feeds, "rss", org="Acme").to_dict()
    assert again["inserted"] == 0


def test_a_file_that_is_not_a_feed_is_refused(handle: jauge.Jauge) -> None:
    result = handle.import_file(FRENCH_TWEETS_CSV, "rss")
    assert not result.ok and "not an RSS or Atom feed" in result.errors[0].message
