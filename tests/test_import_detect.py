"""`jauge import` without --source: each real layout is recognised, and a doubt is said."""

from __future__ import annotations

import csv
import gzip
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import jauge
from jauge.cli.main import cli
from jauge.sources.base import ImportOptions
from jauge.sources.detect import detect_source

from .conftest import (
    AIRLINE_TWEETS,
    DATA,
    FEEDS,
    FRENCH_TWEETS_CSV,
    FRENCH_TWEETS_JSONL,
    UCI_FACEBOOK,
)
from .test_import_x_analytics import export as x_export
from .test_import_x_analytics import french_tweets
from .test_import_youtube_studio import export as youtube_export
from .test_import_youtube_studio import videos


@pytest.fixture
def exports(tmp_path: Path) -> dict[str, Path]:
    """A real file in each layout jauge reads, as a user would hand it over."""
    x = tmp_path / "tweet_activity_metrics_lemondefr.csv"
    x.write_text(x_export(french_tweets("24744541"), "lemondefr"), encoding="utf-8")
    youtube = tmp_path / "Table data.csv"
    youtube.write_text(youtube_export(videos("UCYpRDnhk5H8h16jpS84uqsA")), encoding="utf-8")
    zipped = tmp_path / "Tweets.csv.gz"
    with AIRLINE_TWEETS.open("rb") as f, gzip.open(zipped, "wb") as out:
        shutil.copyfileobj(f, out)
    return {
        "facebook-insights": UCI_FACEBOOK,
        "tweets-csv": zipped,
        "x-analytics": x,
        "youtube-studio": youtube,
        "posts-jsonl": FRENCH_TWEETS_JSONL,
        "rss": FEEDS / "lemonde.xml",
    }


def test_each_layout_is_recognised_and_imports_as_with_its_source(
    exports: dict[str, Path], tmp_path: Path
) -> None:
    options = {
        "facebook-insights": {"org": "Cosmetics", "year": 2014},
        "tweets-csv": {},
        "x-analytics": {"org": "Le Monde"},
        "youtube-studio": {"org": "Le Monde"},
        "posts-jsonl": {"org": "Le Monde", "platform": "x", "mapping": {"author_id": "account"}},
        "rss": {"org": "Le Monde"},
    }
    for source, path in exports.items():
        assert detect_source(str(path), ImportOptions(**options[source])) == source
        with jauge.open(tmp_path / f"{source}-named.duckdb") as named:
            expected = named.import_file(path, source, **options[source]).to_dict()
        with jauge.open(tmp_path / f"{source}-found.duckdb") as found:
            result = found.import_file(path, **options[source])
        assert result.ok, (source, result.errors[:3])
        got = result.to_dict()
        assert {k: got[k] for k in ("inserted", "updated", "unchanged", "invalid")} == {
            k: expected[k] for k in ("inserted", "updated", "unchanged", "invalid")
        }
        assert got["files"][0]["source"] == source
        assert got["files"][0]["warnings"][0] == (
            f"read as {source}, the source its content fits (--source chooses)"
        )
    # columns are recognised after --map renames them: the French media CSV is nobody's
    # layout as it is, and the generic one once its id and date are named
    with pytest.raises(jauge.InputError, match="does not recognise"):
        detect_source(str(FRENCH_TWEETS_CSV), ImportOptions())
    renamed = {"id_tweet": "id", "date": "created_at", "text": "body"}
    assert detect_source(str(FRENCH_TWEETS_CSV), ImportOptions(mapping=renamed)) == "posts-csv"


def test_a_file_two_sources_could_read_is_refused_with_both_names(
    handle: jauge.Jauge, tmp_path: Path
) -> None:
    # the airline tweets with a created_at column: tweets-csv (mentions) and the generic
    # posts-csv (own posts, by default) read the same columns differently
    with AIRLINE_TWEETS.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    path = tmp_path / "both.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, ["id", "text", "created_at"], extrasaction="ignore")
        w.writeheader()
        w.writerows({"id": r["tweet_id"], "created_at": r["tweet_created"], **r} for r in rows)
    result = handle.import_file(path, org="United")
    [error] = result.errors
    assert not result.ok and (error.file, error.line) == (str(path), 1)
    assert "posts-csv, tweets-csv" in error.message and "--source" in error.message
    assert handle.items.num_rows == 0
    # refused like any file that cannot be read: in the import history, with its reason
    [refused] = handle.table("imports").to_pylist()
    assert refused["status"] == "rejected" and refused["path"] == str(path)


def test_unknown_columns_are_named_and_the_command_says_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "unknown.csv"
    with UCI_FACEBOOK.open(newline="", encoding="utf-8") as f:
        header = next(csv.reader(f, delimiter=";"))
    path.write_text(",".join(h.upper() + "!" for h in header[:3]) + "\n1,2,3\n", "utf-8")
    result = CliRunner().invoke(
        cli, ["import", str(path), "--db", str(tmp_path / "s.duckdb"), "--format", "json"]
    )
    assert result.exit_code == 1
    [error] = json.loads(result.output)["errors"]
    assert (error["file"], error["line"]) == (str(path), 1)
    assert "does not recognise its columns" in error["message"]
    assert "PAGE TOTAL LIKES!" in error["message"] and "--source" in error["message"]


def test_the_command_imports_without_source_and_says_how_it_read_them(
    exports: dict[str, Path], tmp_path: Path
) -> None:
    runner = CliRunner()
    db = str(tmp_path / "s.duckdb")
    args = ["import", str(exports["x-analytics"]), str(exports["youtube-studio"])]
    result = runner.invoke(cli, [*args, "--org", "Le Monde", "--db", db])
    assert result.exit_code == 0, result.output
    assert "read as x-analytics" in result.output and "read as youtube-studio" in result.output
    with jauge.open(db) as j:
        platforms = set(j.items.to_pandas()["platform"])
    assert platforms == {"x", "youtube"}


def test_a_missing_file_or_a_folder_is_named_as_such(handle: jauge.Jauge, tmp_path: Path) -> None:
    missing = handle.import_file(tmp_path / "nowhere.csv")
    assert not missing.ok and "no such file" in missing.errors[0].message.lower()
    folder = handle.import_file(tmp_path)
    assert not folder.ok and "folder" in folder.errors[0].message


def test_saved_mastodon_and_bluesky_answers_are_read_by_their_api(tmp_path: Path) -> None:
    """A real Mastodon timeline (its cassette's answer) and a Bluesky search answer made
    of a real post view, imported without --source, each by its own API's source."""
    import yaml

    from .test_bluesky import post_view

    cassette = yaml.safe_load(
        (DATA / "mastodon-api-cassettes" / "test_hashtag_tl.yaml").read_text()
    )
    timeline = next(
        i["response"]["body"]["string"]
        for i in cassette["interactions"]
        if i["request"]["uri"].endswith("/timelines/tag/hoot")
    )
    statuses = tmp_path / "timeline.json"
    statuses.write_text(timeline, "utf-8")
    search = tmp_path / "search.json"
    search.write_text(json.dumps({"posts": [post_view()]}, indent=2), "utf-8")
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps({"feed": [{"post": post_view()}]}), "utf-8")
    posted = yaml.safe_load(
        (DATA / "mastodon-api-cassettes" / "test_notifications.yaml").read_text()
    )
    status = tmp_path / "status.json"  # one status, as POST /statuses answers it
    status.write_text(posted["interactions"][0]["response"]["body"]["string"], "utf-8")
    answers = ((statuses, "mastodon"), (status, "mastodon"), (search, "bluesky"), (feed, "bluesky"))
    for path, source in answers:
        assert detect_source(str(path), ImportOptions()) == source, path.name
        with jauge.open(tmp_path / f"{path.stem}.duckdb") as j:
            result = j.import_file(path, org="Acme")
            assert result.ok, result.errors[:3]
            assert result.to_dict()["files"][0]["warnings"][0].startswith(f"read as {source}")
            assert result.to_dict()["inserted"] == len(j.items.to_pylist()) > 0


def test_a_saved_api_answer_no_api_recognises_asks_which_it_came_from(tmp_path: Path) -> None:
    """A JSON array of accounts, as /followers answers (the real account of a cassette):
    no source reads accounts, so none is guessed."""
    import yaml

    cassette = yaml.safe_load((DATA / "mastodon-api-cassettes" / "test_account.yaml").read_text())
    account = next(
        i["response"]["body"]["string"]
        for i in cassette["interactions"]
        if i["request"]["uri"].endswith("/accounts/117020457910412882")
    )
    path = tmp_path / "followers.json"
    path.write_text(f"[{account}]", "utf-8")
    result = CliRunner().invoke(
        cli, ["import", str(path), "--db", str(tmp_path / "s.duckdb"), "--format", "json"]
    )
    assert result.exit_code == 1
    [error] = json.loads(result.output)["errors"]
    assert "JSON array" in error["message"] and "mastodon" in error["message"]
    assert "bluesky" in error["message"] and "reddit" in error["message"]


def test_a_saved_reddit_listing_or_thread_is_read_as_reddit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Real Reddit answers imported without --source: a subreddit's Listing (an object)
    and a thread (an array of two Listings), as saved by curl (one line) or by a tool
    that pretty-prints (the Listing's keys sorted, so its "kind" comes last)."""
    from jauge.sources.mastodon import MastodonSource

    from .test_reddit import recorded

    listing = recorded("TestSubredditListings.test_hot.json", "/r/askreddit/hot")
    thread = recorded("TestSubmission.test_comments.json", "/comments/2gmzqe")
    assert isinstance(thread, list) and [part["kind"] for part in thread] == ["Listing"] * 2
    saved = {
        "listing.json": json.dumps(listing),
        "listing-pretty.json": json.dumps(listing, indent=2, sort_keys=True),
        "thread.json": json.dumps(thread),
        "thread-pretty.json": json.dumps(thread, indent=1),
    }
    for name, text in saved.items():
        path = tmp_path / name
        path.write_text(text, "utf-8")
        assert detect_source(str(path), ImportOptions()) == "reddit", name
        with jauge.open(tmp_path / f"{name}-named.duckdb") as named:
            expected = named.import_file(path, "reddit", org="Reddit").to_dict()["inserted"]
        with jauge.open(tmp_path / f"{name}-found.duckdb") as found:
            result = found.import_file(path, org="Reddit")
        assert result.ok, (name, result.errors[:3])
        assert result.to_dict()["inserted"] == expected > 0
        assert result.to_dict()["files"][0]["warnings"][0].startswith("read as reddit")
    # JSON lines of the same things are not an answer: the generic posts-jsonl reads them
    lines = tmp_path / "things.jsonl"
    lines.write_text("\n".join(json.dumps(c) for c in listing["data"]["children"]), "utf-8")
    assert detect_source(str(lines), ImportOptions()) == "posts-jsonl"
    # an answer two APIs recognise is not guessed: the message names both for --source
    monkeypatch.setattr(MastodonSource, "recognises_answer", lambda self, answer: True)
    with pytest.raises(jauge.InputError, match="several APIs") as refused:
        detect_source(str(tmp_path / "thread.json"), ImportOptions())
    assert "(mastodon, reddit)" in str(refused.value) and "--source" in str(refused.value)


@pytest.mark.parametrize("batch", [False, True], ids=["one file", "a batch"])
def test_a_recognised_file_refused_for_an_option_names_its_source(
    tmp_path: Path, batch: bool
) -> None:
    """The UCI export is recognised as facebook-insights, then refused for want of --org:
    the JSON names the source it was read as (QA, docs pass, F8: it said "")."""
    db = str(tmp_path / "s.duckdb")
    paths = [str(UCI_FACEBOOK)]
    if batch:
        paths.append(str(AIRLINE_TWEETS))
    out = CliRunner().invoke(cli, ["import", *paths, "--format", "json", "--db", db])
    assert out.exit_code == 1, out.output
    refused = json.loads(out.stdout)["files"][0]
    assert refused["status"] == "rejected" and refused["source"] == "facebook-insights"
    assert "needs the Page's organisation" in refused["errors"][0]["message"]
