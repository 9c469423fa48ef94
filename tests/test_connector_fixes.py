"""The connectors' fixes of the QA report on connect/sync: each against a loopback server
replaying real recorded answers (PRAW's Reddit cassettes, the atproto SDK's post view, the
Le Monde feed)."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import jauge
from jauge.cli.main import cli
from jauge.sources.connections import add_connection, list_connections, sync
from jauge.sources.http import HttpClient

from .conftest import DATA, FEEDS
from .loopback import Loopback

REDDIT = DATA / "reddit-api-cassettes"
BLUESKY_THREAD = DATA / "bluesky-api-fixtures" / "thread_view_post_with_embed_media.json"
LEMONDE = FEEDS / "lemonde.xml"


def fast_client() -> HttpClient:
    return HttpClient(attempts=2, timeout=5.0, max_wait=0.1)


def reddit_listing(cassette: str) -> dict[str, Any]:
    """The Listing a real Reddit answered in ``cassette``, as its last page (no ``after``:
    the loopback server answers every page alike)."""
    data = json.loads((REDDIT / cassette).read_text())
    for exchange in data["interactions"]:
        if exchange["request"]["method"] == "GET":
            listing: dict[str, Any] = json.loads(exchange["response"]["body"]["string"])
            listing["data"]["after"] = None
            return listing
    raise LookupError(cassette)


def served(listing: dict[str, Any], children: list[dict[str, Any]]) -> tuple[str, bytes]:
    page = {**listing, "data": {**listing["data"], "children": children}}
    return ("body", json.dumps(page).encode())


@pytest.fixture
def reddit_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDDIT_CLIENT_ID", "test-id")
    monkeypatch.setenv("REDDIT_CLIENT_SECRET", "test-secret")


TOKEN = ("body", json.dumps({"access_token": "abc", "token_type": "bearer"}).encode())


def add_reddit(j: jauge.Jauge, server: Loopback, **follow: str) -> None:
    add_connection(
        j.store,
        j.workspace,
        "r",
        "reddit",
        None,
        {
            "service": server.url(""),
            "auth_url": server.url("/api/v1/access_token"),
            **(follow or {"subreddit": "askreddit"}),
        },
    )


# -- F1: items of the cursor's second listed later --------------------------------------


def test_reddit_comments_of_the_cursor_s_second_listed_later_are_collected(
    reddit_env: None, tmp_path: Path
) -> None:
    comments = reddit_listing("TestSubredditListings.test_comments.json")
    things = comments["data"]["children"]  # newest first: 100 comments in 42 seconds
    assert len(things) == 100 and len({t["data"]["created_utc"] for t in things}) == 42
    # the 3 newest were posted in the same second as the 4th, the newest of the 97 older
    assert {t["data"]["created_utc"] for t in things[:4]} == {things[0]["data"]["created_utc"]}
    hot = reddit_listing("TestSubredditListings.test_hot.json")
    with Loopback() as server, jauge.open(tmp_path / "s.duckdb") as j:
        server.scripts["/api/v1/access_token"] = [TOKEN]
        server.scripts["/r/askreddit/new"] = [served(hot, hot["data"]["children"])]
        server.scripts["/r/askreddit/comments"] = [
            served(comments, things[3:]),  # the 97 oldest are listed
            served(comments, things),  # then all 100
        ]
        add_reddit(j, server)
        first = sync(j.store, j.workspace, client_factory=fast_client)
        submissions = {t["data"]["name"] for t in hot["data"]["children"]}
        assert first.ok and first.connections[0].result.inserted == len(submissions) + 97
        second = sync(j.store, j.workspace, client_factory=fast_client)
        assert second.connections[0].status == "written"
        assert second.connections[0].result.inserted == 3
        stored = j.sql("SELECT native_id FROM content_items WHERE kind = 'comment'").to_pylist()
        assert {s["native_id"] for s in stored} == {t["data"]["name"] for t in things}
        third = sync(j.store, j.workspace, client_factory=fast_client)
        assert third.connections[0].status == "not_modified"
        assert j.stats().entities["items"] == len(submissions) + 100


def test_bluesky_posts_of_the_cursor_s_instant_listed_later_are_collected(
    tmp_path: Path,
) -> None:
    post = json.loads(BLUESKY_THREAD.read_text())["thread"]["post"]
    # the real post view under another record key, indexed in the same millisecond
    twin = copy.deepcopy(post)
    twin["uri"] = post["uri"].rsplit("/", 1)[0] + "/3kzzzzzzzzzzz"
    assert twin["indexedAt"] == post["indexedAt"]
    feed = "/xrpc/app.bsky.feed.getAuthorFeed"
    with Loopback() as server, jauge.open(tmp_path / "s.duckdb") as j:
        server.scripts[feed] = [
            ("body", json.dumps({"feed": [{"post": post}]}).encode()),
            ("body", json.dumps({"feed": [{"post": twin}, {"post": post}]}).encode()),
        ]
        follow = {"service": server.url(""), "actor": post["author"]["handle"]}
        add_connection(j.store, j.workspace, "b", "bluesky", None, follow)
        assert sync(j.store, j.workspace, client_factory=fast_client).ok
        second = sync(j.store, j.workspace, client_factory=fast_client)
        assert second.connections[0].result.inserted == 1
        uris = {r["native_id"] for r in j.sql("SELECT native_id FROM content_items").to_pylist()}
        assert uris == {post["uri"], twin["uri"]}
        third = sync(j.store, j.workspace, client_factory=fast_client)
        assert third.connections[0].status == "not_modified"


# -- F2: query strings cut from every message --------------------------------------------


def test_reddit_answering_html_is_said_without_the_query_string(
    reddit_env: None, tmp_path: Path
) -> None:
    page = b"<html><body>Reddit is down for maintenance</body></html>"
    with Loopback() as server, jauge.open(tmp_path / "s.duckdb") as j:
        # "r" syncs first (by name) and is given a token; "token" is answered the page
        server.scripts["/api/v1/access_token"] = [TOKEN, ("body", page)]
        server.scripts["/search"] = [("body", page)]
        add_connection(
            j.store,
            j.workspace,
            "token",
            "reddit",
            None,
            {
                "subreddit": "askreddit",
                "service": server.url(""),
                "auth_url": server.url("/api/v1/access_token?key=SECRETQ"),
            },
        )
        add_reddit(j, server, query="acme secret launch")
        result = sync(j.store, j.workspace, client_factory=fast_client)
        messages = {c.name: c.message or "" for c in result.connections}
        assert messages["token"].startswith(
            server.url("/api/v1/access_token") + " answered something else: "
        )
        assert messages["r"].startswith(server.url("/search") + " answered something else: ")
        kept = {c["name"]: c["last_error"] for c in list_connections(j.store, j.workspace)}
    for said in [*messages.values(), *kept.values()]:
        assert "?" not in said and "SECRETQ" not in said and "secret launch" not in said


# -- F3, F4, F7: what connect add refuses, and how ----------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--kind", "bluesky", "--actor", "test.marshal.dev", "--query", "acme launch"],
            "--actor, --query exclude each other: bluesky connections follow one of them",
        ),
        (
            ["--kind", "reddit", "--subreddit", "askreddit", "--query", "acme"],
            "--subreddit, --query exclude each other: reddit connections follow one of them",
        ),
        (
            ["--kind", "mastodon", "--instance", "https://x.social", "--hashtag", "a",
             "--query", "b"],
            "--hashtag, --query exclude each other: mastodon connections follow one of them",
        ),
        (
            ["--kind", "mastodon", "--hashtag", "a"],
            "mastodon connections need --instance",
        ),
        (
            ["--kind", "mastodon", "--instance", "x.social?key=SECRETQ", "--hashtag", "a"],
            "--instance takes a web address (http:// or https://), got 'x.social'",
        ),
        (["--kind", "rss"], "rss connections need --url"),
        (
            ["--kind", "bluesky", "--account", "acme"],
            "bluesky connections take --service, --actor, --query, --token-env, not --account",
        ),
        (
            ["--kind", "mastodon", "--instance", "https://x.social", "--hashtag", "#"],
            "--hashtag '#' names nothing: give the name after #",
        ),
        (
            ["--kind", "reddit", "--subreddit", "r/"],
            "--subreddit 'r/' names nothing: give the name after r/",
        ),
    ],
)  # fmt: skip
def test_connect_add_refuses_unusable_options_as_a_usage_error(
    tmp_path: Path, args: list[str], message: str
) -> None:
    db = tmp_path / "s.duckdb"
    out = CliRunner().invoke(cli, ["connect", "add", "c", *args, "--db", str(db),
                                   "--format", "json"])  # fmt: skip
    error = json.loads(out.stdout)["error"]
    assert (out.exit_code, error["code"], error["message"]) == (2, "usage", message)
    assert not db.exists()  # refused before anything is written


def test_connection_options_are_checked_for_the_library_too(tmp_path: Path) -> None:
    from jauge.errors import UsageError

    with jauge.open(tmp_path / "s.duckdb") as j:
        with pytest.raises(UsageError, match="exclude each other"):
            add_connection(j.store, j.workspace, "b", "bluesky", None,
                           {"actor": "test.marshal.dev", "query": "acme"})  # fmt: skip
        assert list_connections(j.store, j.workspace) == []


# -- F5: a sync's messages in the reader's language, the name said once ----------------


def test_a_failed_sync_s_json_message_is_in_french_and_names_the_connection_once(
    tmp_path: Path,
) -> None:
    db = str(tmp_path / "s.duckdb")
    run = CliRunner().invoke
    with Loopback() as server:
        server.scripts["/gone"] = [("status", 404, {})]
        server.scripts["/cut"] = [("body", LEMONDE.read_bytes()[:9000])]
        for name in ("cut", "gone"):
            added = run(cli, ["connect", "add", name, "--kind", "rss", "--url",
                              server.url(f"/{name}"), "--db", db])  # fmt: skip
            assert added.exit_code == 0, added.output
        out = run(cli, ["sync", "--db", db, "--format", "json"], env={"JAUGE_LANG": "fr"})
    assert out.exit_code == 1
    said = {c["name"]: c for c in json.loads(out.stdout)["connections"]}
    assert [said[n]["status"] for n in ("cut", "gone")] == ["rejected", "failed"]
    assert said["gone"]["message"] == (
        f"{server.url('/gone')} n'existe pas (HTTP 404) : vérifiez l'URL ou le nom du compte"
    )
    assert said["cut"]["message"].startswith("le flux s'interrompt avant sa fin")
    assert "✗ cut: le flux s'interrompt" in out.stderr and "cut (rss)" not in out.stderr
    # kept in English, shown in the reader's language
    with jauge.open(db) as j:
        kept = {c["name"]: c["last_error"] for c in list_connections(j.store, j.workspace)}
    assert kept["gone"].endswith("does not exist (HTTP 404): check the URL or the account name")
    assert kept["cut"].startswith("the feed breaks off before its end")


def test_a_refused_answer_s_row_errors_are_kept_in_english_and_shown_in_french(
    reddit_env: None, tmp_path: Path
) -> None:
    comments = reddit_listing("TestSubredditListings.test_comments.json")
    things = comments["data"]["children"]
    del things[4]["data"]["created_utc"]  # a comment without its date: refused
    db = str(tmp_path / "s.duckdb")
    with Loopback() as server:
        server.scripts["/api/v1/access_token"] = [TOKEN]
        server.scripts["/r/askreddit/new"] = [served(comments, [])]
        server.scripts["/r/askreddit/comments"] = [served(comments, things)]
        with jauge.open(db) as j:
            add_reddit(j, server)
        out = CliRunner().invoke(cli, ["sync", "--db", db, "--format", "json"],
                                 env={"JAUGE_LANG": "fr"})  # fmt: skip
    said = json.loads(out.stdout)["connections"][0]
    assert said["status"] == "rejected"
    message = "champ 'created_at' : une date et une heure sont obligatoires ici"
    assert said["message"] == message and f"✗ r: {message}" in out.stderr
    with jauge.open(db) as j:
        kept = list_connections(j.store, j.workspace)[0]["last_error"]
    assert kept.startswith("field 'created_at': ")


# -- F6: Reddit's token address refusing the credentials ----------------------------------


def test_reddit_refusing_the_credentials_says_to_check_the_client_id_and_secret(
    reddit_env: None, tmp_path: Path
) -> None:
    with Loopback() as server, jauge.open(tmp_path / "s.duckdb") as j:
        server.scripts["/api/v1/access_token"] = [("status", 401, {})]
        add_reddit(j, server)
        result = sync(j.store, j.workspace, client_factory=fast_client)
    assert result.connections[0].message == (
        f"{server.url('/api/v1/access_token')} refused the application's credentials: "
        "check the client id and secret in REDDIT_CLIENT_ID and REDDIT_CLIENT_SECRET"
    )


# -- F7: connect list's times ---------------------------------------------------------


def test_connect_list_shows_the_last_sync_to_the_second(tmp_path: Path) -> None:
    db = str(tmp_path / "s.duckdb")
    run = CliRunner().invoke
    with Loopback() as server:
        server.scripts["/feed"] = [("file", LEMONDE)]
        run(cli, ["connect", "add", "lm", "--kind", "rss", "--url", server.url("/feed"),
                  "--db", db])  # fmt: skip
        assert run(cli, ["sync", "--db", db]).exit_code == 0
    shown = run(cli, ["connect", "list", "--db", db], env={"COLUMNS": "200"}).stdout
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?![.\d])", shown), shown
    kept = json.loads(run(cli, ["connect", "list", "--db", db, "--format", "json"]).stdout)
    assert kept[0]["last_sync_at"][:19].replace("T", " ") in shown
