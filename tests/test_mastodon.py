"""The mastodon connector against a loopback server replaying recorded real Mastodon
answers (Mastodon.py's cassettes): hashtag timeline, account statuses, rate limits."""

import gzip
import json
import time
from pathlib import Path

import pytest
import yaml

import jauge
from jauge.sources.connections import add_connection, sync
from jauge.sources.http import HttpClient

from .loopback import Loopback

CASSETTES = Path(__file__).parent / "data" / "mastodon-api-cassettes"


def recorded(cassette: str, path: str) -> tuple[list[dict], dict[str, str]]:
    """The JSON body and headers the real server answered to GET ``path``."""
    data = yaml.safe_load((CASSETTES / cassette).read_text())
    for exchange in data["interactions"]:
        request, response = exchange["request"], exchange["response"]
        if request["method"] == "GET" and path in request["uri"]:
            headers = {
                k: v[0]
                for k, v in response["headers"].items()
                if k.lower().startswith("x-ratelimit")
            }
            return json.loads(response["body"]["string"]), headers
    raise LookupError(path)


def fast_client() -> HttpClient:
    return HttpClient(attempts=4, timeout=5.0, max_wait=0.2)


def test_a_hashtag_timeline_syncs_incrementally(tmp_path: Path) -> None:
    statuses, headers = recorded("test_hashtag_tl.yaml", "/api/v1/timelines/tag/hoot")
    assert headers  # real rate-limit headers travel with the replay
    with Loopback() as server, jauge.open(tmp_path / "s.duckdb") as j:
        server.scripts["/api/v1/timelines/tag/hoot"] = [("statuses", statuses, headers)]
        add_connection(
            j.store,
            j.workspace,
            "hoot",
            "mastodon",
            "Acme",
            {"instance": server.url(""), "hashtag": "#hoot"},
        )
        first = sync(j.store, j.workspace, client_factory=fast_client)
        assert first.ok and first.connections[0].result.inserted == len(statuses)
        item = j.sql("SELECT platform, native_id, kind, text FROM content_items").to_pylist()[0]
        assert item["platform"] == "mastodon" and item["native_id"] == statuses[0]["uri"]
        assert item["kind"] == "mention" and "hashtag toot" in item["text"]
        from jauge.community.people import rank_people

        [person] = rank_people(j.store, j.workspace, "Acme")
        # the author's audience is shown, never used to order
        assert person.followers == statuses[0]["account"]["followers_count"]
        assert person.handle == statuses[0]["account"]["acct"]
        # and what integrity checks read of the profile (a test server's fresh account:
        # the default picture, an empty note, not a declared bot)
        account = statuses[0]["account"]
        assert j.sql(
            "SELECT following, posts, has_avatar, has_bio, declared_bot FROM persons"
        ).to_pylist() == [
            {
                "following": account["following_count"],
                "posts": account["statuses_count"],
                "has_avatar": "missing.png" not in account["avatar"],
                "has_bio": bool(account["note"]),
                "declared_bot": account["bot"],
            }
        ]
        again = sync(j.store, j.workspace, client_factory=fast_client)
        assert again.connections[0].status == "not_modified"  # min_id: nothing newer
        last = server.requests[-1][0]
        assert f"min_id={statuses[0]['id']}" in last


def test_an_account_s_statuses_are_its_own_posts_with_their_counts(tmp_path: Path) -> None:
    statuses, _ = recorded("test_home_tl.yaml", "/api/v1/timelines/home")
    own = statuses[0]["account"]
    mine = [s for s in statuses if s["account"]["acct"] == own["acct"]]
    with Loopback() as server, jauge.open(tmp_path / "s.duckdb") as j:
        server.scripts["/api/v1/accounts/lookup"] = [("body", json.dumps(own).encode())]
        server.scripts[f"/api/v1/accounts/{own['id']}/statuses"] = [("statuses", mine, {})]
        add_connection(
            j.store,
            j.workspace,
            "acme",
            "mastodon",
            "Acme",
            {"instance": server.url(""), "account": own["acct"]},
        )
        result = sync(j.store, j.workspace, client_factory=fast_client)
        assert result.ok
        items = j.items.to_pandas()
        assert len(items) == len(mine) and items["is_own"].all()
        snaps = j.snapshots.to_pandas()
        assert snaps["reactions"].sum() == sum(s["favourites_count"] for s in mine)
        assert set(j.accounts.to_pandas()["handle"]) == {own["acct"]}


def test_a_rate_limited_instance_is_waited_for(tmp_path: Path) -> None:
    statuses, _ = recorded("test_hashtag_tl.yaml", "/api/v1/timelines/tag/hoot")
    with Loopback() as server, jauge.open(tmp_path / "s.duckdb") as j:
        server.scripts["/api/v1/timelines/tag/hoot"] = [
            ("status", 429, {"Retry-After": "1"}),
            ("statuses", statuses, {}),
        ]
        add_connection(
            j.store,
            j.workspace,
            "hoot",
            "mastodon",
            None,
            {"instance": server.url(""), "hashtag": "hoot"},
        )
        started = time.monotonic()
        assert sync(j.store, j.workspace, client_factory=fast_client).ok
        assert time.monotonic() - started >= 1.0


def test_a_missing_token_says_which_variable_to_set(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("ACME_MASTODON_TOKEN", raising=False)
    with jauge.open(tmp_path / "s.duckdb") as j:
        add_connection(
            j.store,
            j.workspace,
            "acme",
            "mastodon",
            None,
            {
                "instance": "http://127.0.0.1:9",
                "account": "acme",
                "token_env": "ACME_MASTODON_TOKEN",
            },
        )
        result = sync(j.store, j.workspace, client_factory=fast_client)
    assert "ACME_MASTODON_TOKEN" in result.connections[0].message


def test_a_saved_answer_imports_like_a_sync(tmp_path: Path) -> None:
    statuses, _ = recorded("test_home_tl.yaml", "/api/v1/timelines/home")
    saved = tmp_path / "home.json"
    saved.write_text(json.dumps(statuses))
    with jauge.open(tmp_path / "s.duckdb") as j:
        result = j.import_file(saved, "mastodon", org="Acme")
        assert result.ok and result.to_dict()["inserted"] == len({s["uri"] for s in statuses})
        assert j.import_file(saved, "mastodon", org="Acme").to_dict()["inserted"] == 0


def test_a_gzipped_saved_answer_imports_and_a_truncated_one_is_refused(tmp_path: Path) -> None:
    statuses, _ = recorded("test_home_tl.yaml", "/api/v1/timelines/home")
    data = gzip.compress(json.dumps(statuses).encode())
    saved = tmp_path / "home.json.gz"
    saved.write_bytes(data)
    cut = tmp_path / "cut.json.gz"
    cut.write_bytes(data[: len(data) // 2])
    with jauge.open(tmp_path / "s.duckdb") as j:
        # recognised by its content, with or without --source
        for source in ("mastodon", None):
            result = j.import_file(saved, source, org="Acme")
            assert result.ok and result.files[0].source == "mastodon"
        assert j.sql("SELECT count(*) AS n FROM content_items").to_pylist() == [
            {"n": len({s["uri"] for s in statuses})}
        ]
        refused = j.import_file(cut, "mastodon", org="Acme")
        assert not refused.ok and refused.errors[0].file == str(cut)
        assert "the gzip file is truncated or corrupt" in refused.errors[0].message


def test_hashtags_and_mentions_keep_their_words_whole(tmp_path: Path) -> None:
    # real statuses: '<a class="mention hashtag">#<span>hoot</span></a> (hashtag toot)' and
    # '<span class="h-card"><a class="u-url mention">@<span>mastodonpy_test</span></a></span>'
    tagged, _ = recorded("test_hashtag_tl.yaml", "/api/v1/timelines/tag/hoot")
    notifications, _ = recorded("test_notifications.yaml", "/api/v1/notifications")
    statuses = [*tagged, notifications[0]["status"]]
    assert 'class="mention hashtag"' in statuses[0]["content"]
    assert 'class="u-url mention"' in statuses[1]["content"]
    saved = tmp_path / "statuses.json"
    saved.write_text(json.dumps(statuses))
    with jauge.open(tmp_path / "s.duckdb") as j:
        assert j.import_file(saved, "mastodon", org="Acme").ok
        texts = {
            r["native_id"]: r["text"]
            for r in j.sql("SELECT native_id, text FROM content_items").to_pylist()
        }
    assert texts[statuses[0]["uri"]] == "#hoot (hashtag toot)"
    assert texts[statuses[1]["uri"]] == "@mastodonpy_test hello!"


def test_a_saved_notifications_answer_imports_the_statuses_it_carries(tmp_path: Path) -> None:
    notifications, _ = recorded("test_notifications.yaml", "/api/v1/notifications")
    assert [n["type"] for n in notifications] == ["mention"]
    # and a follow, which carries no status (shaped like the real mention, status removed)
    follow = {k: v for k, v in notifications[0].items() if k != "status"}
    saved = tmp_path / "notifications.json"
    saved.write_text(json.dumps([*notifications, {**follow, "id": "21", "type": "follow"}]))
    with jauge.open(tmp_path / "s.duckdb") as j:
        result = j.import_file(saved, "mastodon", org="Acme")
        assert result.ok and result.to_dict()["inserted"] == 1
        [item] = j.sql("SELECT native_id, kind, text FROM content_items").to_pylist()
    status = notifications[0]["status"]
    assert item["native_id"] == status["uri"] and item["text"] == "@mastodonpy_test hello!"


def test_a_saved_account_or_instance_is_refused(tmp_path: Path) -> None:
    data = yaml.safe_load((CASSETTES / "test_account.yaml").read_text())
    account = json.loads(
        next(e for e in data["interactions"] if e["request"]["method"] == "GET")["response"][
            "body"
        ]["string"]
    )
    with jauge.open(tmp_path / "s.duckdb") as j:
        for saved_answer in ([account], account):
            saved = tmp_path / "saved.json"
            saved.write_text(json.dumps(saved_answer))
            result = j.import_file(saved, "mastodon", org="Acme")
            assert not result.ok
            assert "expected a JSON array of Mastodon statuses" in result.errors[0].message
        assert j.sql("SELECT count(*) AS n FROM content_items").to_pylist() == [{"n": 0}]


def test_rate_limit_reset_headers_are_understood() -> None:
    from datetime import UTC, datetime, timedelta

    from jauge.sources.http import _retry_after

    soon = (datetime.now(UTC) + timedelta(seconds=30)).isoformat().replace("+00:00", "Z")
    assert 25 <= _retry_after(soon) <= 30
    assert _retry_after("7") == 7.0
    assert _retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past: go now
    assert _retry_after("whenever") is None


def test_pages_follow_min_id_and_a_token_brings_the_mentions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import jauge.sources.mastodon as mastodon

    monkeypatch.setattr(mastodon, "PAGE", 5)  # 13 real statuses: three pages
    monkeypatch.setenv("ACME_TOKEN", "placeholder-token")
    statuses, _ = recorded("test_home_tl.yaml", "/api/v1/timelines/home")
    data = yaml.safe_load((CASSETTES / "test_notifications.yaml").read_text())
    notifications = next(
        json.loads(e["response"]["body"]["string"])
        for e in data["interactions"]
        if e["request"]["method"] == "GET" and e["request"]["uri"].endswith("/api/v1/notifications")
    )
    own = statuses[0]["account"]
    with Loopback() as server, jauge.open(tmp_path / "s.duckdb") as j:
        server.scripts["/api/v1/accounts/lookup"] = [("body", json.dumps(own).encode())]
        server.scripts[f"/api/v1/accounts/{own['id']}/statuses"] = [("statuses", statuses, {})]
        server.scripts["/api/v1/notifications"] = [("statuses", notifications, {})]
        add_connection(
            j.store,
            j.workspace,
            "acme",
            "mastodon",
            "Acme",
            {"instance": server.url(""), "account": own["acct"], "token_env": "ACME_TOKEN"},
        )
        assert sync(j.store, j.workspace, client_factory=fast_client).ok
        uris = {s["uri"] for s in statuses} | {n["status"]["uri"] for n in notifications}
        assert j.stats().entities["items"] == len(uris)
        pages = [p for p, _ in server.requests if "/statuses" in p]
        # a first sync goes back in time (max_id), later ones forward from the newest
        assert len(pages) == 3 and all("max_id=" in p for p in pages[1:])
        assert sync(j.store, j.workspace, client_factory=fast_client).connections[0].status == (
            "not_modified"
        )
        last = [p for p, _ in server.requests if "/statuses" in p][-1]
        assert "min_id=" in last
        auth = {h.get("Authorization") for p, h in server.requests if p.startswith("/api/v1/n")}
        assert auth == {"Bearer placeholder-token"}


def test_invalid_json_fails_the_connection_cleanly(tmp_path: Path) -> None:
    with Loopback() as server, jauge.open(tmp_path / "s.duckdb") as j:
        server.scripts["/api/v1/timelines/tag/hoot"] = [("body", b"{not json")]
        add_connection(
            j.store,
            j.workspace,
            "hoot",
            "mastodon",
            None,
            {"instance": server.url(""), "hashtag": "hoot"},
        )
        result = sync(j.store, j.workspace, client_factory=fast_client)
    assert result.connections[0].status == "failed"
    assert "invalid JSON" in result.connections[0].message


def test_a_keyword_search_and_tokens_stay_secret(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    statuses, _ = recorded("test_home_tl.yaml", "/api/v1/timelines/home")
    monkeypatch.setenv("ACME_TOKEN", "s3cret-token-value")
    with Loopback() as server, jauge.open(tmp_path / "s.duckdb") as j:
        server.scripts["/api/v2/search"] = [("statuses", statuses, {}, "search")]
        add_connection(
            j.store,
            j.workspace,
            "search",
            "mastodon",
            "Acme",
            {"instance": server.url(""), "query": "toot", "token_env": "ACME_TOKEN"},
        )
        result = sync(j.store, j.workspace, client_factory=fast_client)
        assert result.ok and j.stats().entities["items"] == len({s["uri"] for s in statuses})
        assert "type=statuses" in server.requests[0][0] and "q=toot" in server.requests[0][0]
        from jauge.sources.connections import list_connections

        listed = json.dumps(list_connections(j.store, j.workspace))
        stored = json.dumps(j.sql("SELECT * FROM connections").to_pylist(), default=str)
    assert "s3cret" not in listed + stored + json.dumps(result.to_dict())
