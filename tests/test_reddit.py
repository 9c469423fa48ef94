"""The reddit connector against a loopback server replaying recorded real Reddit answers
(PRAW's cassettes): OAuth client credentials, a subreddit's submissions and comments."""

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import jauge
from jauge.cli.main import cli
from jauge.sources.connections import add_connection, sync
from jauge.sources.http import HttpClient

from .loopback import Loopback

CASSETTES = Path(__file__).parent / "data" / "reddit-api-cassettes"


def recorded(cassette: str, path: str) -> Any:
    """The JSON the real server answered to GET ``path``: a Listing, or a thread's list of two."""
    data = json.loads((CASSETTES / cassette).read_text())
    for exchange in data["interactions"]:
        if exchange["request"]["method"] == "GET" and path in exchange["request"]["uri"]:
            return json.loads(exchange["response"]["body"]["string"])
    raise LookupError(path)


def fast_client() -> HttpClient:
    return HttpClient(attempts=3, timeout=5.0, max_wait=0.2)


@pytest.fixture
def reddit_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDDIT_CLIENT_ID", "test-id")
    monkeypatch.setenv("REDDIT_CLIENT_SECRET", "test-secret")


def test_a_subreddit_syncs_submissions_and_comments(reddit_env, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    hot = recorded("TestSubredditListings.test_hot.json", "/r/askreddit/hot")
    comments = recorded("TestSubredditListings.test_comments.json", "/r/askreddit/comments")
    token = json.dumps({"access_token": "abc", "token_type": "bearer"}).encode()
    with Loopback() as server, jauge.open(tmp_path / "s.duckdb") as j:
        server.scripts["/api/v1/access_token"] = [("body", token)]
        server.scripts["/r/askreddit/new"] = [("body", json.dumps(hot).encode())]
        server.scripts["/r/askreddit/comments"] = [("body", json.dumps(comments).encode())]
        add_connection(
            j.store,
            j.workspace,
            "askreddit",
            "reddit",
            "AskReddit",
            {
                "subreddit": "askreddit",
                "service": server.url(""),
                "auth_url": server.url("/api/v1/access_token"),
            },
        )
        result = sync(j.store, j.workspace, client_factory=fast_client)
        assert result.ok, result.to_dict()
        names = {c["data"]["name"] for c in hot["data"]["children"] + comments["data"]["children"]}
        assert j.stats().entities["items"] == len(names)
        kinds = j.sql(
            "SELECT kind, count(*) AS n FROM content_items GROUP BY kind ORDER BY kind"
        ).to_pylist()
        assert {k["kind"] for k in kinds} == {"comment", "mention"}
        score = j.sql("SELECT sum(reactions) AS n FROM metric_snapshots").to_pylist()[0]["n"]
        assert score == sum(
            c["data"]["score"] for c in hot["data"]["children"] + comments["data"]["children"]
        )
        # the bearer token went with every listing request
        listing = [h for p, h in server.requests if p.startswith("/r/")]
        assert listing and all(h["Authorization"] == "bearer abc" for h in listing)
        # nothing newer than what was stored: the second sync adds nothing
        again = sync(j.store, j.workspace, client_factory=fast_client)
        assert again.connections[0].status == "not_modified"


def test_missing_credentials_are_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REDDIT_CLIENT_ID", raising=False)
    with jauge.open(tmp_path / "s.duckdb") as j:
        add_connection(
            j.store,
            j.workspace,
            "r",
            "reddit",
            None,
            {"subreddit": "x", "service": "http://127.0.0.1:9"},
        )
        result = sync(j.store, j.workspace, client_factory=fast_client)
    assert "REDDIT_CLIENT_ID" in result.connections[0].message


def test_a_saved_listing_imports(tmp_path: Path) -> None:
    hot = recorded("TestSubredditListings.test_hot.json", "/r/askreddit/hot")
    saved = tmp_path / "hot.json"
    saved.write_text(json.dumps(hot))
    with jauge.open(tmp_path / "s.duckdb") as j:
        assert j.import_file(saved, "reddit", org="AskReddit").to_dict()["inserted"] == len(
            hot["data"]["children"]
        )


def test_a_gzipped_saved_listing_imports_and_a_truncated_one_is_refused(tmp_path: Path) -> None:
    hot = recorded("TestSubredditListings.test_hot.json", "/r/askreddit/hot")
    data = gzip.compress(json.dumps(hot).encode())
    saved = tmp_path / "hot.json.gz"
    saved.write_bytes(data)
    cut = tmp_path / "cut.json.gz"
    cut.write_bytes(data[: len(data) // 2])
    with jauge.open(tmp_path / "s.duckdb") as j:
        result = j.import_file(saved, "reddit", org="AskReddit")
        assert result.ok and result.to_dict()["inserted"] == len(hot["data"]["children"])
        refused = j.import_file(cut, "reddit", org="AskReddit")
        assert not refused.ok
        assert "the gzip file is truncated or corrupt" in refused.errors[0].message


def test_a_listing_with_downvoted_comments_imports_them_as_no_applause(tmp_path: Path) -> None:
    # real comments of one user, 12 of them net downvoted (scores from -11 to -324)
    listing = recorded("TestRedditorListings.test_comments__new.json", "/user/spez/comments")
    scores = {c["data"]["name"]: c["data"]["score"] for c in listing["data"]["children"]}
    assert scores["t1_czfib6l"] == -41
    saved = tmp_path / "comments.json"
    saved.write_text(json.dumps(listing))
    with jauge.open(tmp_path / "s.duckdb") as j:
        result = j.import_file(saved, "reddit", org="Reddit")
        assert result.ok, result.to_dict()
        assert result.to_dict()["inserted"] == len(scores)
        stored = {
            r["native_id"]: r["reactions"]
            for r in j.sql(
                "SELECT i.native_id, s.reactions FROM metric_snapshots s "
                "JOIN content_items i ON s.subject_type = 'item' AND s.subject_id = i.item_id"
            ).to_pylist()
        }
    assert stored == {name: max(score, 0) for name, score in scores.items()}
    assert stored["t1_czfib6l"] == 0


def test_a_thread_imports_the_replies_nested_under_its_comments(tmp_path: Path) -> None:
    """A submission's /comments/ answer nests each reply under the comment it answers:
    the real r/redditdev thread has one comment, answered once."""
    thread = recorded("TestSubmission.test_comments.json", "/comments/2gmzqe")
    saved = tmp_path / "thread.json"
    saved.write_text(json.dumps(thread))
    with jauge.open(tmp_path / "s.duckdb") as j:
        result = j.import_file(saved, "reddit", org="Reddit")
        assert result.ok, result.to_dict()
        assert result.to_dict()["inserted"] == 3
        items = {
            r["native_id"]: r["reply_to"]
            for r in j.sql(
                "SELECT c.native_id, p.native_id AS reply_to FROM content_items c "
                "LEFT JOIN content_items p ON p.item_id = c.reply_to_id"
            ).to_pylist()
        }
    assert items == {"t3_2gmzqe": None, "t1_cklfmye": "t3_2gmzqe", "t1_cklhv0f": "t1_cklfmye"}


def test_cli_takes_each_kind_s_options(tmp_path: Path) -> None:
    db = str(tmp_path / "s.duckdb")
    run = CliRunner().invoke
    for args in (
        ["--kind", "reddit", "--subreddit", "acme"],
        ["--kind", "bluesky", "--actor", "acme.bsky.social"],
        ["--kind", "mastodon", "--instance", "https://example.social", "--hashtag", "acme"],
    ):
        out = run(cli, ["connect", "add", args[1], *args, "--db", db, "--format", "json"])
        assert out.exit_code == 0, out.stdout
    listed = json.loads(run(cli, ["connect", "list", "--db", db, "--format", "json"]).stdout)
    assert {c["name"]: c["options"] for c in listed} == {
        "bluesky": {"actor": "acme.bsky.social"},
        "mastodon": {"instance": "https://example.social", "hashtag": "acme"},
        "reddit": {"subreddit": "acme"},
    }
