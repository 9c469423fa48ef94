"""Mastodon boosts (reblogs), from real recorded answers (Mastodon.py's cassettes): a boost
says nothing of its own. It is a text-less repost linked to the original it carries, and
that original is stored once, as its author's, so that its words count once."""

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

import jauge
from jauge.sources.connections import add_connection, sync

from .loopback import Loopback
from .test_mastodon import CASSETTES, fast_client, recorded

Status = dict[str, Any]


def posted() -> tuple[list[Status], list[Status]]:
    """What the test server answered to posting two toots (one by ``mastodonpy_test_2``,
    one by ``mastodonpy_test``) and to each author boosting their own toot: the boosts
    carry the toots as they stood once boosted."""
    data = yaml.safe_load((CASSETTES / "test_status_reblogged_by.yaml").read_text())
    answers = [
        (e["request"]["uri"], json.loads(e["response"]["body"]["string"]))
        for e in data["interactions"]
        if e["request"]["method"] == "POST"
    ]
    toots = [a for uri, a in answers if uri.endswith("/api/v1/statuses")]
    boosts = [a for uri, a in answers if uri.endswith("/reblog")]
    assert [t["content"] for t in toots] == ["<p>Toot, finally!</p>", "<p>bwooh!</p>"]
    assert [b["reblog"]["uri"] for b in boosts] == [t["uri"] for t in toots]
    return toots, boosts


def carrying(boost: Status, original: Status) -> Status:
    """A real boost made to carry another real status: someone boosting a toot that is not
    theirs, which the recorded answers do not hold."""
    return {**boost, "reblog": original["reblog"] if original.get("reblog") else original}


def save(tmp_path: Path, statuses: list[Status]) -> Path:
    saved = tmp_path / "statuses.json"
    saved.write_text(json.dumps(statuses))
    return saved


def stored(j: jauge.Jauge) -> dict[str, dict[str, Any]]:
    """The stored items by native id, with the native id of what each reposts."""
    rows = j.sql(
        """
        SELECT c.native_id, c.item_id, c.kind, c.is_own, c.text, c.lang, c.url,
               strftime(c.created_at, '%Y-%m-%dT%H:%M:%S.%g') AS created_at,
               p.handle AS author, o.native_id AS repost_of
        FROM content_items c
        LEFT JOIN persons p ON p.person_id = c.author_person_id
        LEFT JOIN content_items o ON o.item_id = c.repost_of_id
        """
    ).to_pylist()
    return {r["native_id"]: r for r in rows}


@pytest.mark.parametrize("on_its_own", [False, True], ids=["carried only", "also on its own"])
def test_a_boost_is_a_text_less_repost_of_its_original_which_is_stored_once(
    tmp_path: Path, on_its_own: bool
) -> None:
    (toot, _), (boost, other_boost) = posted()
    # the toot boosted twice: by its author and by mastodonpy_test
    second = carrying(other_boost, boost)
    batch = [boost, second, *([toot] if on_its_own else [])]
    with jauge.open(tmp_path / "s.duckdb") as j:
        result = j.import_file(save(tmp_path, batch), "mastodon", org="Acme")
        assert result.ok and result.to_dict()["inserted"] == 3
        # no row was given twice: nothing for the user to wonder about
        assert result.files[0].warnings == []
        items = stored(j)
        assert (
            j.import_file(save(tmp_path, batch), "mastodon", org="Acme").to_dict()["inserted"] == 0
        )
        assert len(stored(j)) == 3
    original = items[toot["uri"]]
    assert original["kind"] == "mention" and original["text"] == "Toot, finally!"
    assert original["lang"] == "ja" and original["author"] == "mastodonpy_test_2"
    assert original["created_at"] == toot["created_at"].rstrip("Z")
    for b, booster in ((boost, "mastodonpy_test_2"), (second, "mastodonpy_test")):
        item = items[b["uri"]]
        assert item["kind"] == "repost" and item["repost_of"] == toot["uri"]
        assert item["text"] is None and item["lang"] is None
        assert item["author"] == booster and item["url"] == b["url"]
        assert item["created_at"] == b["created_at"].rstrip("Z")  # the boost's time


def test_a_boost_of_the_organisation_s_toot_is_a_repost_of_it(tmp_path: Path) -> None:
    home, _ = recorded("test_home_tl.yaml", "/api/v1/timelines/home")
    (_, own_toot), (others_boost, own_boost) = posted()
    # mastodonpy_test_2 boosting the organisation's toot; the organisation's own boost
    # of it stays out; its toot is also in the home timeline, on its own
    boosted = carrying(others_boost, own_boost)
    assert own_toot["uri"] in {s["uri"] for s in home}
    with jauge.open(tmp_path / "s.duckdb") as j:
        result = j.import_file(
            save(tmp_path, [boosted, own_boost, *home]),
            "mastodon",
            org="Acme",
            account="mastodonpy_test",
        )
        assert result.ok and result.files[0].warnings == []
        items = stored(j)
        interactions = j.sql(
            """
            SELECT i.kind, p.handle AS actor, t.native_id AS target, c.native_id AS item
            FROM interactions i
            JOIN persons p ON p.person_id = i.actor_person_id
            JOIN content_items c ON c.item_id = i.item_id
            LEFT JOIN content_items t ON t.item_id = i.target_item_id
            WHERE i.kind = 'repost'
            """
        ).to_pylist()
    assert len(items) == len(home) + 1 and own_boost["uri"] not in items
    toot = items[own_toot["uri"]]
    assert toot["kind"] == "post" and toot["is_own"] and toot["text"] == "bwooh!"
    assert interactions == [
        {
            "kind": "repost",
            "actor": "mastodonpy_test_2",
            "target": own_toot["uri"],
            "item": boosted["uri"],
        }
    ]


def test_the_words_of_a_boosted_toot_count_once_in_voice_and_topics(tmp_path: Path) -> None:
    home, _ = recorded("test_home_tl.yaml", "/api/v1/timelines/home")
    tagged, _ = recorded("test_hashtag_tl.yaml", "/api/v1/timelines/tag/hoot")
    (toot, _), (boost, other_boost) = posted()
    talk = [*home, *tagged, toot]  # "Toot!", "#hoot (hashtag toot)", "Toot, finally!"
    boosts = [boost, carrying(other_boost, boost)]
    with jauge.open(tmp_path / "s.duckdb") as j:
        assert j.import_file(save(tmp_path, [*boosts, *talk]), "mastodon", org="Acme").ok
        [voice] = j.voice(["Acme"]).orgs
        topics = j.topics("Acme")
        regions = j.regions(["Acme"])
    # the boosts amplify the toot (the index counts them): they are not talk of their own
    assert voice.mentions == len(talk)
    assert regions.mentions == len(talk)  # where the mentions come from: the same talk
    assert topics.items == len(talk)
    assert {"term": "toot", "items": 3, "share": round(3 / len(talk), 6)} in topics.top


def test_a_sync_stores_boosts_as_an_import_does(tmp_path: Path) -> None:
    (toot, _), (boost, other_boost) = posted()
    batch = [boost, carrying(other_boost, boost), toot]
    with Loopback() as server, jauge.open(tmp_path / "s.duckdb") as j:
        server.scripts["/api/v1/timelines/tag/hoot"] = [("statuses", batch, {})]
        add_connection(
            j.store,
            j.workspace,
            "hoot",
            "mastodon",
            "Acme",
            {"instance": server.url(""), "hashtag": "hoot"},
        )
        synced = sync(j.store, j.workspace, client_factory=fast_client)
        assert synced.ok and synced.connections[0].result.inserted == 3
        after_sync = stored(j)
        again = j.import_file(save(tmp_path, batch), "mastodon", org="Acme")
        assert again.to_dict()["inserted"] == 0 and again.to_dict()["updated"] == 0
        assert stored(j) == after_sync
    assert after_sync[toot["uri"]]["text"] == "Toot, finally!"
    assert {after_sync[b["uri"]]["repost_of"] for b in batch[:2]} == {toot["uri"]}
    assert {after_sync[b["uri"]]["text"] for b in batch[:2]} == {None}


def reblog_notification(booster: Status, boosted: Status) -> Status:
    """A reblog notification: the real mention notification of the recorded answers, its
    type the reblog's, from ``booster`` (a real account) about ``boosted`` (a real status).
    The recorded answers hold no reblog notification; the API documents its shape as a
    mention's, the status being the one boosted."""
    notifications, _ = recorded("test_notifications.yaml", "/api/v1/notifications")
    return {**notifications[0], "type": "reblog", "account": booster, "status": boosted}


def test_a_reblog_notification_is_the_boost_it_tells_of(tmp_path: Path) -> None:
    (_, own_toot), (others_boost, _) = posted()
    booster = others_boost["account"]  # mastodonpy_test_2, boosting the organisation's toot
    notification = reblog_notification(booster, own_toot)
    key = f"{own_toot['uri']}#boosted-by:{booster['url']}"
    with jauge.open(tmp_path / "s.duckdb") as j:
        saved = save(tmp_path, [notification])
        result = j.import_file(saved, "mastodon", org="Acme", account="mastodonpy_test")
        assert result.ok and result.to_dict()["inserted"] == 2
        # the same notification seen again (a later sync, the file imported twice)
        assert (
            j.import_file(saved, "mastodon", org="Acme", account="mastodonpy_test").to_dict()[
                "inserted"
            ]
            == 0
        )
        items = stored(j)
        reposts = j.sql(
            "SELECT p.handle AS actor, t.native_id AS target FROM interactions i "
            "JOIN persons p ON p.person_id = i.actor_person_id "
            "JOIN content_items t ON t.item_id = i.target_item_id WHERE i.kind = 'repost'"
        ).to_pylist()
    assert set(items) == {own_toot["uri"], key}
    toot, boost = items[own_toot["uri"]], items[key]
    assert toot["kind"] == "post" and toot["is_own"] and toot["text"] == "bwooh!"
    assert boost["kind"] == "repost" and boost["repost_of"] == own_toot["uri"]
    assert boost["author"] == "mastodonpy_test_2" and boost["text"] is None
    assert boost["created_at"] == notification["created_at"].rstrip("Z")  # when boosted
    assert reposts == [{"actor": "mastodonpy_test_2", "target": own_toot["uri"]}]


def test_a_sync_with_a_token_collects_who_boosted_the_account_s_statuses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACME_TOKEN", "placeholder-token")
    (_, own_toot), (others_boost, _) = posted()
    own = own_toot["account"]
    notification = reblog_notification(others_boost["account"], own_toot)
    with Loopback() as server, jauge.open(tmp_path / "s.duckdb") as j:
        server.scripts["/api/v1/accounts/lookup"] = [("body", json.dumps(own).encode())]
        server.scripts[f"/api/v1/accounts/{own['id']}/statuses"] = [("statuses", [own_toot], {})]
        server.scripts["/api/v1/notifications"] = [("statuses", [notification], {})]
        add_connection(
            j.store,
            j.workspace,
            "acme",
            "mastodon",
            "Acme",
            {"instance": server.url(""), "account": own["acct"], "token_env": "ACME_TOKEN"},
        )
        synced = sync(j.store, j.workspace, client_factory=fast_client)
        assert synced.ok and synced.connections[0].result.inserted == 2
        items = stored(j)
        asked = [p for p, _ in server.requests if p.startswith("/api/v1/notifications")]
    assert asked and all("reblog" in p and "mention" in p for p in asked)
    [boost] = [i for i in items.values() if i["kind"] == "repost"]
    assert boost["repost_of"] == own_toot["uri"] and boost["author"] == "mastodonpy_test_2"
