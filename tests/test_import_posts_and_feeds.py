"""posts-csv and posts-jsonl with --map on real French media tweets, and rss on real feeds."""

import csv
import json
import re
from pathlib import Path

import pytest

import jauge
from jauge.sources.rss import plain_text

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


def test_posts_imported_again_under_another_organisation_move_and_say_so(
    handle: jauge.Jauge,
) -> None:
    """The French media's tweets filed under a wrong organisation, then imported again under
    the right one: the second file wins, as for any field, and the import says so."""
    first = handle.import_file(FRENCH_TWEETS_CSV, "posts-csv", org="Wrong", platform="x",
                               mapping=FRENCH_MAP)  # fmt: skip
    again = handle.import_file(FRENCH_TWEETS_CSV, "posts-csv", org="French media",
                               platform="x", mapping=FRENCH_MAP)  # fmt: skip
    assert first.ok and again.ok
    count = first.total("inserted")
    assert again.total("updated") == count
    assert count > 1 and again.files[0].warnings == [
        f"{count} items stored under 'Wrong' now belong to 'French media', as this file "
        "says (an item belongs to one organisation)"
    ]
    owners = handle.sql(
        "SELECT o.name, count(*) AS n FROM content_items c JOIN organisations o USING (org_id) "
        "GROUP BY 1"
    ).to_pylist()
    assert owners == [{"name": "French media", "n": count}]
    accounts = handle.sql(
        "SELECT DISTINCT o.name FROM accounts a JOIN organisations o USING (org_id)"
    ).to_pylist()
    assert accounts == [{"name": "French media"}]  # the accounts went with their posts
    unchanged = handle.import_file(FRENCH_TWEETS_CSV, "posts-csv", org="French media",
                                   platform="x", mapping=FRENCH_MAP)  # fmt: skip
    assert unchanged.files[0].warnings == [] and unchanged.total("unchanged") == count


def test_a_map_naming_a_column_the_file_lacks_is_refused(handle: jauge.Jauge) -> None:
    """A typo in --map (`like_cout=reactions`) would leave every like uncounted."""
    mapping = {**FRENCH_MAP, "like_cout": "reactions"}
    mapping.pop("like_count")
    with pytest.raises(jauge.ConfigError, match=r"--map names columns that are not in .*like_cout"):
        handle.import_file(FRENCH_TWEETS_CSV, "posts-csv", org="X", platform="x", mapping=mapping)
    assert handle.stats().entities["items"] == 0


def test_posts_csv_without_a_platform_says_how_to_give_one(handle: jauge.Jauge) -> None:
    with pytest.raises(jauge.ConfigError, match="--platform"):
        handle.import_file(FRENCH_TWEETS_CSV, "posts-csv", org="X", mapping=FRENCH_MAP)


@pytest.mark.parametrize("answerer", ["united", ""])
def test_an_accounts_own_replies_are_its_own_posts(
    handle: jauge.Jauge, tmp_path: Path, answerer: str
) -> None:
    """Real tweets to @united as mentions, each answered by the account (a reply row
    whose author is the account, or that has no author: the organisation's, as the
    format says): the answers are United's own, so the index sees answered
    conversations and the people ranking does not list United itself."""
    from datetime import datetime, timedelta

    from .conftest import AIRLINE_TWEETS

    with AIRLINE_TWEETS.open(newline="", encoding="utf-8") as f:
        tweets = [r for r in csv.DictReader(f) if r["airline"] == "United"][:30]
    path = tmp_path / "threads.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(
            ["id", "org", "account", "author", "kind", "reply_to", "text", "created_at"]
        )
        for t in tweets:
            when = datetime.strptime(t["tweet_created"][:19], "%Y-%m-%d %H:%M:%S")
            writer.writerow([t["tweet_id"], "United", "united", t["name"], "mention", "",
                             t["text"], when.isoformat()])  # fmt: skip
            answered = (when + timedelta(hours=2)).isoformat()
            writer.writerow([f"answer-{t['tweet_id']}", "United", "united", answerer, "reply",
                             t["tweet_id"], "", answered])  # fmt: skip
    assert handle.import_file(path, "posts-csv", platform="x").ok
    own = {r["native_id"]: r["is_own"] for r in handle.items.to_pylist()}
    assert sum(own.values()) == len(tweets) and all(own[f"answer-{t['tweet_id']}"] for t in tweets)
    people = {p.handle for p in handle.people("United", limit=100)}
    assert "united" not in people and people <= {t["name"] for t in tweets}
    answered = handle.score("United").components["two_way"]
    assert (answered.value, answered.n) == (1.0, len(tweets))


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


def test_a_feed_cut_short_writes_nothing_and_a_flawed_whole_one_is_read(
    handle: jauge.Jauge, tmp_path: Path
) -> None:
    """Le Monde's real feed cut at 9,000 bytes (inside an item): refused whole, so the
    complete feed later gives each article once; the complete feed with an undeclared
    entity (not well-formed, but whole) is read, with a warning."""
    feed = (FEEDS / "lemonde.xml").read_bytes()
    cut = tmp_path / "cut.xml"
    cut.write_bytes(feed[:9000])
    refused = handle.import_file(cut, "rss", org="Le Monde")
    assert not refused.ok and "breaks off before its end" in refused.errors[0].message
    assert handle.items.num_rows == 0
    whole = handle.import_file(FEEDS / "lemonde.xml", "rss", org="Le Monde")
    assert whole.ok and whole.total("inserted") == handle.items.num_rows == feed.count(b"<item>")
    flawed = tmp_path / "flawed.xml"
    flawed.write_bytes(feed.replace(b"</title>", b" &nbsp;</title>", 1))
    read = handle.import_file(flawed, "rss", org="Le Monde")
    assert read.ok and "not well-formed" in read.files[0].warnings[0]


def test_a_gzipped_feed_is_read_and_a_truncated_one_refused(
    handle: jauge.Jauge, tmp_path: Path
) -> None:
    import gzip

    packed = gzip.compress((FEEDS / "lemonde.xml").read_bytes())
    whole, cut = tmp_path / "lemonde.xml.gz", tmp_path / "cut.xml.gz"
    whole.write_bytes(packed)
    cut.write_bytes(packed[: len(packed) // 2])
    read = handle.import_file(whole, org="Le Monde")  # recognised as a feed, by content
    assert read.ok and read.total("inserted") == 21
    refused = handle.import_file(cut, "rss", org="Le Monde")
    assert not refused.ok and "truncated" in refused.errors[0].message


def test_html_escaped_twice_is_reduced_to_its_words(handle: jauge.Jauge) -> None:
    """Reddit's feed writes a self post's HTML escaped twice (``&amp;lt;p&amp;gt;``): its
    words are kept, not its markup; FeedBurner's escaped XML sample stays as written."""
    reddit, blog = FEEDS / "reddit-atom.rss", FEEDS / "feedburner.atom"
    assert "&amp;lt;div class=&amp;quot;md&amp;quot;&amp;gt;" in reddit.read_text("utf-8")
    assert handle.import_file([reddit, blog], "rss", org="Acme").ok
    texts = {
        r["url"]: r["text"] for r in handle.sql("SELECT url, text FROM content_items").to_pylist()
    }
    posts = [t for url, t in texts.items() if "reddit.com" in url]
    assert len(posts) == 24 and all("submitted by" in t for t in posts)
    markup = re.compile(r"<(?:!--|/?(?:div|p|a|table|td|br)\b)|&(?:lt|gt|amp|quot);")
    assert [t for t in posts if markup.search(t)] == []
    # an XML sample in a blog post is text, not markup: it is kept
    assert any("<errors xmlns:xsi=" in t for url, t in texts.items() if "reddit" not in url)


@pytest.mark.parametrize(
    ("markup", "words"),
    [
        ("&lt;p&gt;5 &amp;lt; 6&lt;/p&gt;", "5 < 6"),  # escaped twice
        ("<p>a &lt; b</p>", "a < b"),
        ("<p>&lt; 5 ms &gt; before</p>", "< 5 ms > before"),  # a lone < is no tag
        ("<pre>&lt;errors&gt;none&lt;/errors&gt;</pre>", "<errors>none</errors>"),  # not HTML's
        ("&lt;3 from Paris &lt;/p&gt;", "<3 from Paris </p>"),  # does not open with a tag
        ("&lt;br&gt;no element closes", "<br>no element closes"),
    ],
)
def test_plain_text_reads_html_once_more_only_when_it_is_html(markup: str, words: str) -> None:
    assert plain_text(markup) == words
