"""The x-analytics importer: real tweets of French media, in X Analytics' export layout."""

import csv
import io
from datetime import datetime
from pathlib import Path

import pytest

import jauge

from .conftest import FRENCH_TWEETS_CSV

#: the header of X Analytics' "tweet activity" export, as public code that reads it
#: lists it ("favorites" in files before late 2015, "likes" since)
ORGANIC = (
    "impressions", "engagements", "engagement rate", "retweets", "replies", "{likes}",
    "user profile clicks", "url clicks", "hashtag clicks", "detail expands",
    "permalink clicks", "app opens", "app installs", "follows", "email tweet", "dial phone",
    "media views", "media engagements",
)  # fmt: skip
PROMOTED = tuple(f"promoted {c}" for c in ORGANIC)
HEADER = ("Tweet id", "Tweet permalink", "Tweet text", "time", *ORGANIC, *PROMOTED)
#: three of the accounts, by the ids the tweets file gives them (usernames from the
#: dataset's twitter/author.csv)
ACCOUNTS = {"24744541": "lemondefr", "38395124": "franceinfo", "364513528": "LeHuffPost"}


def french_tweets(account: str) -> list[dict[str, str]]:
    with FRENCH_TWEETS_CSV.open(newline="", encoding="utf-8") as f:
        return [t for t in csv.DictReader(f) if t["id_compte"] == account]


def export(tweets: list[dict[str, str]], username: str, likes: str = "likes") -> str:
    """Real tweets and their real public counts in the export's layout. The dataset has no
    impressions, engagements or clicks (only the account sees those), so they are left
    empty; promoted metrics are "-", as X writes them for posts that were not promoted."""
    header = [c.format(likes=likes) for c in HEADER]
    out = io.StringIO()
    w = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    w.writerow(header)
    for t in tweets:
        row = dict.fromkeys(header, "")
        row.update({c: "-" for c in header if c.startswith("promoted")})
        row.update(
            {
                "Tweet id": t["id_tweet"],
                "Tweet permalink": f"https://twitter.com/{username}/status/{t['id_tweet']}",
                "Tweet text": t["text"],
                "time": f"{t['date']} {t['heure_UTC0'][:5]} +0000",
                "retweets": f"{t['retweet_count']}.0",
                "replies": f"{t['reply_count']}.0",
                likes: f"{t['like_count']}.0",
            }
        )
        w.writerow(row.values())
    return out.getvalue()


@pytest.mark.parametrize("likes", ["likes", "favorites"])
def test_each_post_is_the_accounts_own_with_its_counts(
    handle: jauge.Jauge, tmp_path: Path, likes: str
) -> None:
    written = {}
    for account_id, username in ACCOUNTS.items():
        tweets = french_tweets(account_id)
        assert tweets, username
        path = tmp_path / f"tweet_activity_metrics_{username}_20220301_20220601_en.csv"
        path.write_text(export(tweets, username, likes), encoding="utf-8")
        result = handle.import_file(path, "x-analytics", org=f"Média {username}")
        assert result.ok, result.errors[:3]
        assert result.to_dict()["inserted"] == len(tweets)
        written[username] = tweets
    got = {
        r["native_id"]: r
        for r in handle.sql(
            "SELECT i.native_id, i.platform, i.kind, i.is_own, i.text, i.url, i.created_at, "
            "a.handle, o.name AS org, s.shares, s.comments, s.reactions, s.impressions, "
            "s.clicks FROM content_items i JOIN accounts a USING (account_id) "
            "JOIN organisations o ON o.org_id = i.org_id "
            "JOIN metric_snapshots s ON s.subject_id = i.item_id"
        ).to_pylist()
    }
    assert len(got) == sum(len(t) for t in written.values())
    for username, tweets in written.items():
        for t in tweets:
            post = got[t["id_tweet"]]
            assert (post["platform"], post["kind"], post["is_own"]) == ("x", "post", True)
            assert (post["handle"], post["org"]) == (username, f"Média {username}")
            assert post["text"] == t["text"] and post["url"].endswith(t["id_tweet"])
            assert post["created_at"] == datetime.strptime(
                f"{t['date']} {t['heure_UTC0'][:5]}", "%Y-%m-%d %H:%M"
            )
            assert (post["shares"], post["comments"], post["reactions"]) == (
                int(t["retweet_count"]), int(t["reply_count"]), int(t["like_count"])
            )  # fmt: skip
            # what the dataset does not have stays unknown, not zero
            assert post["impressions"] is None and post["clicks"] is None
    path = tmp_path / "tweet_activity_metrics_lemondefr_20220301_20220601_en.csv"
    again = handle.import_file(path, "x-analytics", org="Média lemondefr")
    assert again.to_dict()["unchanged"] == len(written["lemondefr"])


def test_a_bad_time_names_its_line_past_texts_over_several_lines(
    handle: jauge.Jauge, tmp_path: Path
) -> None:
    tweets = french_tweets("24744541")
    index = next(i for i, t in enumerate(tweets) if i > 3 and "\n" in tweets[i - 1]["text"])
    tweets[index] = {**tweets[index], "heure_UTC0": "25:99:00"}
    content = export(tweets, "lemondefr")
    path = tmp_path / "export.csv"
    path.write_text(content, encoding="utf-8")
    result = handle.import_file(path, "x-analytics", org="Le Monde")
    assert not result.ok and handle.items.num_rows == 0
    [error] = result.errors
    line = content.split(f'"{tweets[index]["id_tweet"]}"')[0].count("\n") + 1
    assert (error.line, error.field) == (line, "time")
    assert "2022" in error.message and "25:99" in error.message


def test_without_org_the_user_is_told_to_pass_it(handle: jauge.Jauge, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(export(french_tweets("24744541")[:3], "lemondefr"), encoding="utf-8")
    with pytest.raises(jauge.ConfigError, match="--org"):
        handle.import_file(path, "x-analytics")


def test_ids_a_spreadsheet_rounded_are_refused_by_line(handle: jauge.Jauge, tmp_path: Path) -> None:
    """Excel keeps 15 significant digits of a number: saved as numbers, 19-digit ids are
    rounded (1526540472222640128 for …638081), and another export of the same posts would
    duplicate each of them."""
    from openpyxl import Workbook

    tweets = french_tweets("24744541")
    rows = list(csv.reader(io.StringIO(export(tweets, "lemondefr"))))
    book = Workbook()
    sheet = book.active
    sheet.append(rows[0])
    for row in rows[1:]:
        sheet.append([float(f"{int(row[0]):.15g}"), *row[1:]])
    book.save(tmp_path / "excel.xlsx")
    # the CSV such a sheet is saved as, which writes them in scientific notation
    saved = io.StringIO()
    csv.writer(saved).writerows([rows[0]] + [[f"{int(r[0]):.5E}", *r[1:]] for r in rows[1:]])
    (tmp_path / "excel.csv").write_text(saved.getvalue(), encoding="utf-8")
    for name in ("excel.xlsx", "excel.csv"):
        result = handle.import_file(tmp_path / name, "x-analytics", org="Le Monde")
        assert not result.ok and result.files[0].error_count == len(tweets), name
        first = result.errors[0]
        assert (first.line, first.field) == (2, "Tweet id")
        assert "a spreadsheet rounds long ids" in first.message and "E+" in first.message
    assert handle.items.num_rows == 0
    # the ids as text, as X exports them: read whole
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(tmp_path / "text.xlsx")
    assert handle.import_file(tmp_path / "text.xlsx", "x-analytics", org="Le Monde").ok
    assert set(handle.items.to_pandas()["native_id"]) == {t["id_tweet"] for t in tweets}
