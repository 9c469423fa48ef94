"""The bluesky connector against a loopback server serving a real post view (atproto SDK
fixtures) as a getAuthorFeed answer."""

import gzip
import json
from pathlib import Path

import jauge
from jauge.sources.connections import add_connection, sync
from jauge.sources.http import HttpClient

from .loopback import Loopback

FIXTURES = Path(__file__).parent / "data" / "bluesky-api-fixtures"


def post_view() -> dict:
    return json.loads((FIXTURES / "thread_view_post_with_embed_media.json").read_text())["thread"][
        "post"
    ]


def fast_client() -> HttpClient:
    return HttpClient(attempts=3, timeout=5.0, max_wait=0.2)


def test_an_author_feed_syncs_its_own_posts_once(tmp_path: Path) -> None:
    post = post_view()
    feed = json.dumps({"feed": [{"post": post}]}).encode()
    with Loopback() as server, jauge.open(tmp_path / "s.duckdb") as j:
        server.scripts["/xrpc/app.bsky.feed.getAuthorFeed"] = [("body", feed)]
        add_connection(
            j.store,
            j.workspace,
            "marshal",
            "bluesky",
            "Marshal",
            {"service": server.url(""), "actor": post["author"]["handle"]},
        )
        first = sync(j.store, j.workspace, client_factory=fast_client)
        assert first.ok and first.connections[0].result.inserted == 1
        item = j.sql(
            "SELECT platform, native_id, kind, is_own, created_at, url FROM content_items"
        ).to_pylist()[0]
        assert item["platform"] == "bluesky" and item["native_id"] == post["uri"]
        assert item["kind"] == "post" and item["is_own"]
        assert item["url"].endswith(post["uri"].rsplit("/", 1)[-1])
        snap = j.snapshots.to_pylist()[0]
        assert (snap["reactions"], snap["comments"]) == (post["likeCount"], post["replyCount"])
        # nothing indexed since: the second sync stores nothing new
        second = sync(j.store, j.workspace, client_factory=fast_client)
        assert second.connections[0].status == "not_modified"
        assert "actor=test.marshal.dev" in server.requests[0][0]


def test_a_saved_search_answer_imports(tmp_path: Path) -> None:
    saved = tmp_path / "search.json"
    saved.write_text(json.dumps({"posts": [post_view()]}))
    with jauge.open(tmp_path / "s.duckdb") as j:
        result = j.import_file(saved, "bluesky", org="Acme")
        assert result.ok and result.to_dict()["inserted"] == 1
        item = j.items.to_pylist()[0]
        # the real post quotes another record (recordWithMedia): a quote, linked to it
        assert item["kind"] == "quote" and item["quote_of_id"] is not None
        bad = tmp_path / "bad.json"
        bad.write_text(json.dumps({"something": []}))
        refused = j.import_file(bad, "bluesky")
        assert not refused.ok and "getAuthorFeed or searchPosts" in refused.errors[0].message


def test_a_gzipped_saved_answer_imports(tmp_path: Path) -> None:
    saved = tmp_path / "search.json.gz"
    saved.write_bytes(gzip.compress(json.dumps({"posts": [post_view()]}).encode()))
    with jauge.open(tmp_path / "s.duckdb") as j:
        result = j.import_file(saved, "bluesky", org="Acme")
        assert result.ok and result.to_dict()["inserted"] == 1
