"""Live sources, against a loopback server replaying real recorded answers (Mastodon.py's
cassettes, the atproto fixtures, PRAW's cassettes, real feeds): what several connections
seeing the same items leave, reconfigured connections, answers a connector cannot read,
the account's own boosts, and connections that could never sync."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

import jauge
from jauge.cli.main import cli
from jauge.errors import ConfigError
from jauge.sources.connections import add_connection, list_connections, sync

from .conftest import FEEDS
from .loopback import Loopback
from .test_bluesky import post_view
from .test_mastodon import CASSETTES, fast_client, recorded
from .test_reddit import recorded as reddit_recorded

HEISE = FEEDS / "heise.atom"
#: what the merge decides of an item, whatever the import that wrote it
ITEM = (
    "SELECT i.native_id, i.kind, i.is_own, o.name AS org, a.handle AS account, "
    "i.author_person_id IS NOT NULL AS has_author, i.text "
    "FROM content_items i LEFT JOIN organisations o USING (org_id) "
    "LEFT JOIN accounts a USING (account_id) ORDER BY i.native_id"
)


def posted(cassette: str) -> list[dict[str, Any]]:
    """The statuses a real server answered to the POSTs of a cassette (a toot, a boost)."""
    data = yaml.safe_load((CASSETTES / cassette).read_text())
    return [
        json.loads(e["response"]["body"]["string"])
        for e in data["interactions"]
        if e["request"]["method"] == "POST"
    ]


# -- several connections, one item ------------------------------------------------------


def sync_mastodon_pair(
    tmp_path: Path, own_name: str, listening_name: str, listening_org: str | None
) -> list[dict[str, Any]]:
    """An account connection (own posts, --org Acme) and a search connection that also
    finds them, synced in the order of their names as `jauge sync` does."""
    statuses, _ = recorded("test_home_tl.yaml", "/api/v1/timelines/home")
    own = statuses[0]["account"]
    mine = [s for s in statuses if s["account"]["acct"] == own["acct"]]
    with Loopback() as server, jauge.open(tmp_path / f"{own_name}.duckdb") as j:
        server.scripts["/api/v1/accounts/lookup"] = [("body", json.dumps(own).encode())]
        server.scripts[f"/api/v1/accounts/{own['id']}/statuses"] = [("statuses", mine, {})]
        server.scripts["/api/v2/search"] = [("statuses", statuses, {}, "search")]
        instance = server.url("")
        add_connection(
            j.store,
            j.workspace,
            own_name,
            "mastodon",
            "Acme",
            {"instance": instance, "account": own["acct"]},
        )
        add_connection(
            j.store,
            j.workspace,
            listening_name,
            "mastodon",
            listening_org,
            {"instance": instance, "query": "toot"},
        )
        result = sync(j.store, j.workspace, client_factory=fast_client)
        assert result.ok, result.to_dict()
        assert [c.name for c in result.connections] == sorted((own_name, listening_name))
        return j.sql(ITEM).to_pylist()


def add_reddit(j: jauge.Jauge, server: Loopback) -> None:
    """A connection "r" to r/askreddit on the loopback server, its token there too."""
    add_connection(
        j.store,
        j.workspace,
        "r",
        "reddit",
        None,
        {
            "subreddit": "askreddit",
            "service": server.url(""),
            "auth_url": server.url("/api/v1/access_token"),
        },
    )


@pytest.mark.parametrize("listening_org", [None, "Acme"])
def test_a_listening_connection_keeps_the_own_posts_whatever_the_order(
    tmp_path: Path, listening_org: str | None
) -> None:
    statuses, _ = recorded("test_home_tl.yaml", "/api/v1/timelines/home")
    own = statuses[0]["account"]["acct"]
    mine = {s["uri"] for s in statuses if s["account"]["acct"] == own}
    own_first = sync_mastodon_pair(tmp_path, "aa-acme", "zz-search", listening_org)
    search_first = sync_mastodon_pair(tmp_path, "zz-acme", "aa-search", listening_org)
    assert own_first == search_first  # whichever connection syncs first
    kept = [i for i in own_first if i["native_id"] in mine]
    assert len(kept) == len(mine) == 6
    assert all(
        (i["kind"], i["is_own"], i["org"], i["account"], i["has_author"])
        == ("post", True, "Acme", own, False)
        for i in kept
    ), kept
    others = [i for i in own_first if i["native_id"] not in mine]
    assert len(others) == len(statuses) - len(mine)
    assert all(not i["is_own"] and i["org"] == listening_org for i in others)


def test_a_listening_connection_that_knows_less_updates_no_own_post(tmp_path: Path) -> None:
    statuses, _ = recorded("test_home_tl.yaml", "/api/v1/timelines/home")
    own = statuses[0]["account"]["acct"]
    saved = tmp_path / "home.json"
    saved.write_text(json.dumps(statuses))
    with jauge.open(tmp_path / "s.duckdb") as j:
        assert j.import_file(saved, "mastodon", org="Acme", account=own).ok
        again = j.import_file(saved, "mastodon")  # no --org, no --account: knows less
        assert again.ok
        # nothing it says is new: its own posts are not "updated" into mentions
        assert again.to_dict()["updated"] == 0 and again.to_dict()["inserted"] == 0


def test_a_bluesky_search_keeps_the_actor_s_own_post_whatever_the_order(tmp_path: Path) -> None:
    post = post_view()
    seen = []
    for own_name, search_name in (("aa-marshal", "zz-search"), ("zz-marshal", "aa-search")):
        with Loopback() as server, jauge.open(tmp_path / f"{own_name}.duckdb") as j:
            server.scripts["/xrpc/app.bsky.feed.getAuthorFeed"] = [
                ("body", json.dumps({"feed": [{"post": post}]}).encode())
            ]
            server.scripts["/xrpc/app.bsky.feed.searchPosts"] = [
                ("body", json.dumps({"posts": [post]}).encode())
            ]
            service = server.url("")
            add_connection(
                j.store,
                j.workspace,
                own_name,
                "bluesky",
                "Marshal",
                {"service": service, "actor": post["author"]["handle"]},
            )
            add_connection(
                j.store,
                j.workspace,
                search_name,
                "bluesky",
                None,
                {"service": service, "query": "marshal"},
            )
            assert sync(j.store, j.workspace, client_factory=fast_client).ok
            seen.append(j.sql(ITEM).to_pylist())
    assert seen[0] == seen[1]
    [item] = seen[0]
    assert (item["kind"], item["is_own"], item["org"], item["has_author"]) == (
        "post",
        True,
        "Marshal",
        False,
    )


# -- a connection configured again ------------------------------------------------------


def test_other_options_start_the_connection_over_and_the_same_keep_its_cursor(
    tmp_path: Path,
) -> None:
    hoot, _ = recorded("test_hashtag_tl.yaml", "/api/v1/timelines/tag/hoot")
    home, _ = recorded("test_home_tl.yaml", "/api/v1/timelines/home")
    with Loopback() as server, jauge.open(tmp_path / "s.duckdb") as j:
        server.scripts["/api/v1/timelines/tag/hoot"] = [("statuses", hoot, {})]
        server.scripts["/api/v1/timelines/tag/python"] = [("statuses", home, {})]
        instance = server.url("")
        add_connection(
            j.store, j.workspace, "m", "mastodon", None, {"instance": instance, "hashtag": "hoot"}
        )
        assert sync(j.store, j.workspace, client_factory=fast_client).ok
        # the same options again: the cursor stays, nothing new
        add_connection(
            j.store, j.workspace, "m", "mastodon", None, {"instance": instance, "hashtag": "hoot"}
        )
        same = sync(j.store, j.workspace, client_factory=fast_client)
        assert same.connections[0].status == "not_modified"
        assert f"min_id={hoot[0]['id']}" in server.requests[-1][0]
        # another hashtag: its statuses are all collected, not those newer than #hoot's
        add_connection(
            j.store, j.workspace, "m", "mastodon", None, {"instance": instance, "hashtag": "python"}
        )
        assert list_connections(j.store, j.workspace)[0]["last_status"] is None
        other = sync(j.store, j.workspace, client_factory=fast_client)
        assert other.connections[0].result.inserted == len({s["uri"] for s in home})
        assert "min_id" not in server.requests[-1][0]


def test_another_account_is_looked_up_again(tmp_path: Path) -> None:
    statuses, _ = recorded("test_home_tl.yaml", "/api/v1/timelines/home")
    accounts = {s["account"]["acct"]: s["account"] for s in statuses}
    with Loopback() as server, jauge.open(tmp_path / "s.duckdb") as j:
        for acct, account in accounts.items():
            server.scripts[f"/api/v1/accounts/{account['id']}/statuses"] = [
                ("statuses", [s for s in statuses if s["account"]["acct"] == acct], {})
            ]
        instance = server.url("")
        for acct in ("mastodonpy_test", "admin"):
            server.scripts["/api/v1/accounts/lookup"] = [
                ("body", json.dumps(accounts[acct]).encode())
            ]
            add_connection(
                j.store,
                j.workspace,
                "acme",
                "mastodon",
                "Acme",
                {"instance": instance, "account": acct},
            )
            assert sync(j.store, j.workspace, client_factory=fast_client).ok
            assert server.requests[-1][0].startswith(
                f"/api/v1/accounts/{accounts[acct]['id']}/statuses"
            )
        own = j.sql(
            "SELECT a.handle, count(*) AS n FROM content_items JOIN accounts a "
            "USING (account_id) WHERE is_own GROUP BY ALL ORDER BY 1"
        ).to_pylist()
    assert own == [
        {"handle": acct, "n": sum(s["account"]["acct"] == acct for s in statuses)}
        for acct in ("admin", "mastodonpy_test")
    ]


# -- answers a connector cannot read -----------------------------------------------------


@pytest.fixture
def reddit_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDDIT_CLIENT_ID", "test-id")
    monkeypatch.setenv("REDDIT_CLIENT_SECRET", "test-secret")


@pytest.mark.parametrize(
    ("token_answer", "reason"),
    [
        (b"<html><body>Reddit is down for maintenance</body></html>", "Expecting value"),
        (b'["access_token", "abc"]', "not a JSON object"),
    ],
)
def test_a_token_address_answering_something_else_fails_only_its_connection(
    reddit_env: None, tmp_path: Path, token_answer: bytes, reason: str
) -> None:
    hot = reddit_recorded("TestSubredditListings.test_hot.json", "/r/askreddit/hot")
    with Loopback() as server, jauge.open(tmp_path / "s.duckdb") as j:
        server.scripts["/api/v1/access_token"] = [("body", token_answer)]
        server.scripts["/r/askreddit/new"] = [("body", json.dumps(hot).encode())]
        server.scripts["/feed"] = [("file", HEISE)]
        add_reddit(j, server)
        add_connection(j.store, j.workspace, "zz", "rss", None, {"url": server.url("/feed")})
        result = sync(j.store, j.workspace, client_factory=fast_client)
        status = {c.name: c for c in result.connections}
        assert status["r"].status == "failed" and status["zz"].status == "written"
        message = status["r"].message
        assert message.startswith(server.url("/api/v1/access_token") + " answered something else")
        assert reason in message
        states = {c["name"]: c for c in list_connections(j.store, j.workspace)}
        assert states["r"]["last_status"] == "failed" and states["r"]["last_error"] == message


def test_a_mastodon_page_of_other_things_than_statuses_fails_cleanly(tmp_path: Path) -> None:
    with Loopback() as server, jauge.open(tmp_path / "s.duckdb") as j:
        server.scripts["/api/v1/timelines/tag/x"] = [("body", b'["a", "b"]')]
        server.scripts["/api/v1/accounts/lookup"] = [("body", b"[]")]
        for name, follow in (("m", {"hashtag": "x"}), ("n", {"account": "acme"})):
            add_connection(
                j.store, j.workspace, name, "mastodon", None, {"instance": server.url(""), **follow}
            )
        result = sync(j.store, j.workspace, client_factory=fast_client)
    messages = {c.name: (c.status, c.message) for c in result.connections}
    assert messages["m"] == (
        "failed",
        f"{server.url('/api/v1/timelines/tag/x')} answered something else: "
        "an item of the list is not a status",
    )
    assert messages["n"][0] == "failed" and "did not find acme" in messages["n"][1]


def test_whatever_one_connection_cannot_read_the_others_go_on(
    reddit_env: None, tmp_path: Path
) -> None:
    """A Listing whose data is not an object (in the fetch), a post view whose record is
    text (in the staging): each fails its connection, recorded; the feed is synced."""
    token = json.dumps({"access_token": "abc", "token_type": "bearer"}).encode()
    broken = {**post_view(), "record": "text"}
    with Loopback() as server, jauge.open(tmp_path / "s.duckdb") as j:
        server.scripts["/api/v1/access_token"] = [("body", token)]
        server.scripts["/r/askreddit/new"] = [("body", b'{"kind": "Listing", "data": []}')]
        server.scripts["/xrpc/app.bsky.feed.searchPosts"] = [
            ("body", json.dumps({"posts": [broken]}).encode())
        ]
        server.scripts["/feed"] = [("file", HEISE)]
        add_connection(
            j.store,
            j.workspace,
            "b",
            "bluesky",
            None,
            {"service": server.url(""), "query": "marshal"},
        )
        add_reddit(j, server)
        add_connection(j.store, j.workspace, "zz", "rss", None, {"url": server.url("/feed")})
        result = sync(j.store, j.workspace, client_factory=fast_client)
        status = {c.name: c for c in result.connections}
        assert [status[n].status for n in ("b", "r", "zz")] == ["failed", "failed", "written"]
        for name, kind in (("b", "bluesky"), ("r", "reddit")):
            assert status[name].message.startswith(
                f"the {kind} connector could not read the answer: AttributeError: "
            )
        states = {c["name"]: c["last_status"] for c in list_connections(j.store, j.workspace)}
        assert states == {"b": "failed", "r": "failed", "zz": "written"}
        assert j.sql(
            "SELECT count(*) AS n FROM content_items WHERE platform <> 'web'"
        ).to_pylist() == [{"n": 0}]


def test_sync_on_the_command_line_says_it_and_goes_on(reddit_env: None, tmp_path: Path) -> None:
    db = str(tmp_path / "s.duckdb")
    with Loopback() as server:
        server.scripts["/api/v1/access_token"] = [("body", b"<html>maintenance</html>")]
        server.scripts["/feed"] = [("file", HEISE)]
        run = CliRunner().invoke
        for args in (
            [
                "r",
                "--kind",
                "reddit",
                "--subreddit",
                "askreddit",
                "--service",
                server.url(""),
                "--auth-url",
                server.url("/api/v1/access_token"),
            ],
            ["zz", "--kind", "rss", "--url", server.url("/feed")],
        ):
            assert run(cli, ["connect", "add", *args, "--db", db]).exit_code == 0
        out = run(cli, ["sync", "--db", db, "--format", "json"])
    assert out.exit_code == 1
    summary = json.loads(out.stdout)
    assert [c["status"] for c in summary["connections"]] == ["failed", "written"]
    assert "Traceback" not in out.stderr
    assert f"✗ r: {server.url('/api/v1/access_token')} answered something else" in out.stderr


# -- the account's own boosts --------------------------------------------------------------


def test_the_account_s_own_boosts_are_skipped_on_import(tmp_path: Path) -> None:
    # the real cassette: mastodonpy_test_2 toots "Toot, finally!" and boosts it;
    # mastodonpy_test toots "bwooh!" and boosts it
    toot_2, boost_2, toot, boost = posted("test_status_reblogged_by.yaml")[:4]
    assert boost_2["reblog"]["id"] == toot_2["id"] and boost["reblog"]["id"] == toot["id"]
    saved = tmp_path / "reblog.json"
    saved.write_text(json.dumps([toot_2, boost_2]))
    with jauge.open(tmp_path / "s.duckdb") as j:
        result = j.import_file(saved, "mastodon", org="Acme", account="mastodonpy_test_2")
        assert result.ok and result.to_dict()["inserted"] == 1
        assert j.sql(ITEM).to_pylist() == [
            {
                "native_id": toot_2["uri"],
                "kind": "post",
                "is_own": True,
                "org": "Acme",
                "account": "mastodonpy_test_2",
                "has_author": False,
                "text": "Toot, finally!",
            }
        ]
        # someone else's boost is a repost of theirs, as before
        result = j.import_file(saved, "mastodon", org="Acme", account="mastodonpy_test")
        assert result.ok and result.to_dict()["inserted"] == 1
        kinds = j.sql("SELECT native_id, kind, is_own FROM content_items ORDER BY 1").to_pylist()
        assert {(k["native_id"], k["kind"], k["is_own"]) for k in kinds} == {
            (toot_2["uri"], "mention", False),
            (boost_2["uri"], "repost", False),
        }


def test_the_account_s_own_boosts_are_skipped_in_a_sync(tmp_path: Path) -> None:
    statuses, _ = recorded("test_home_tl.yaml", "/api/v1/timelines/home")
    toot, boost = posted("test_status_reblogged_by.yaml")[2:4]
    own = statuses[0]["account"]
    mine = [s for s in statuses if s["account"]["acct"] == own["acct"]]
    assert toot["uri"] in {s["uri"] for s in mine}  # the boosted toot is in the timeline
    with Loopback() as server, jauge.open(tmp_path / "s.duckdb") as j:
        server.scripts["/api/v1/accounts/lookup"] = [("body", json.dumps(own).encode())]
        server.scripts[f"/api/v1/accounts/{own['id']}/statuses"] = [
            ("statuses", [*mine, boost], {})
        ]
        add_connection(
            j.store,
            j.workspace,
            "acme",
            "mastodon",
            "Acme",
            {"instance": server.url(""), "account": own["acct"]},
        )
        result = sync(j.store, j.workspace, client_factory=fast_client)
        assert result.ok and result.connections[0].result.inserted == len(mine)
        texts = j.sql("SELECT text FROM content_items WHERE is_own").to_pylist()
        assert [t["text"] for t in texts].count("bwooh!") == 1
        # skipped, not forgotten: the next sync does not bring it back
        again = sync(j.store, j.workspace, client_factory=fast_client)
        assert again.connections[0].status == "not_modified"


# -- connections that could never sync --------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["m", "--kind", "mastodon", "--instance", "https://example.social"],
            "a mastodon connection needs something to follow: one of --hashtag, --query, --account",
        ),
        (
            ["b", "--kind", "bluesky"],
            "a bluesky connection needs something to follow: one of --actor, --query",
        ),
        (
            ["r", "--kind", "reddit"],
            "a reddit connection needs something to follow: one of --subreddit, --query",
        ),
        (
            ["", "--kind", "rss", "--url", "https://example.org/rss.xml"],
            "a connection needs a name: NAME is empty",
        ),
        (
            ["m", "--kind", "mastodon", "--instance", "https://example.social", "--hashtag", " "],
            "--hashtag is empty: give it a value",
        ),
        (
            ["m", "--kind", "rss", "--url", "https://example.org/rss.xml", "--org", ""],
            "--org is empty: give it a value",
        ),
    ],
)
def test_connect_add_refuses_a_connection_that_could_never_sync(
    tmp_path: Path, args: list[str], message: str
) -> None:
    db = str(tmp_path / "s.duckdb")
    run = CliRunner().invoke
    out = run(cli, ["connect", "add", *args, "--db", db, "--format", "json"])
    assert out.exit_code == 2 and json.loads(out.stdout)["error"]["message"] == message
    assert json.loads(run(cli, ["connect", "list", "--db", db, "--format", "json"]).stdout) == []


def test_what_connect_add_proposes_its_help_documents() -> None:
    from jauge.cli.connect_cmd import add_command
    from jauge.sources import registry

    # an option's help starts with the kinds that take it: "mastodon, bluesky, reddit: ..."
    kinds_of = {
        o.name: set(str(getattr(o, "help", "")).split(":")[0].split(", "))
        for o in add_command.params
    }
    for kind in ("mastodon", "bluesky", "reddit"):
        for option in registry.get(kind).follow_options:  # type: ignore[attr-defined]
            assert kind in kinds_of[option], option


def test_the_library_refuses_them_too(handle: jauge.Jauge) -> None:
    with pytest.raises(ConfigError, match="one of --actor, --query"):
        add_connection(handle.store, handle.workspace, "b", "bluesky", None, {"actor": None})
