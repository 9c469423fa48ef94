"""Gaming resistance, on the real UCI Facebook data (500 posts of a cosmetics brand, 2014).

Bought followers must not raise the index; bought applause (likes) must gain far less than
real conversation growing by the same factor.
"""

from pathlib import Path

import pytest

import jauge
from jauge.metrics.spec import LATEST

from .test_import_facebook import uci_rows, write_uci


def scaled(tmp_path: Path, column: str, factor: int) -> Path:
    rows = uci_rows()
    for r in rows:
        if r[column]:
            r[column] = str(int(r[column]) * factor)
    return write_uci(tmp_path / f"{column}-x{factor}.csv", rows)


@pytest.fixture(scope="module")
def scores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, jauge.metrics.result.IndexResult]:
    tmp = tmp_path_factory.mktemp("gaming")
    j = jauge.open(tmp / "store.duckdb")
    variants = {
        "base": write_uci(tmp / "base.csv", uci_rows()),
        "followers x10": scaled(tmp, "Page total likes", 10),
        "likes x10": scaled(tmp, "like", 10),
        "comments x10": scaled(tmp, "comment", 10),
    }
    results = {}
    for org, path in variants.items():
        assert j.import_file(path, "facebook-insights", org=org, year=2014).ok
        results[org] = j.score(org)  # the default window: the last 90 days of 2014
    j.close()
    return results


def test_the_base_scores(scores) -> None:  # type: ignore[no-untyped-def]
    base = scores["base"]
    assert base.score is not None and 0 < base.score < 100
    low, high = base.interval
    assert low <= high


def test_ten_times_the_followers_does_not_score_higher(scores) -> None:  # type: ignore[no-untyped-def]
    base, inflated = scores["base"], scores["followers x10"]
    assert inflated.score <= base.score
    # the same engagement, seen against a larger audience, is no better
    assert (
        inflated.components["reach_per_follower"].score
        < base.components["reach_per_follower"].score
    )


def test_bought_likes_gain_far_less_than_real_conversation(scores) -> None:  # type: ignore[no-untyped-def]
    base = scores["base"].score
    likes_gain = scores["likes x10"].score - base
    comments_gain = scores["comments x10"].score - base
    assert comments_gain > 0
    assert likes_gain < comments_gain / 2
    # ten times the likes moves applause to the top of the panel, and no further
    assert scores["likes x10"].components["applause"].score == pytest.approx(100.0)
    for name in ("conversation", "amplification", "reach_per_follower"):
        assert scores["likes x10"].components[name].score == scores["base"].components[name].score


# The UCI file has counts but no people. To test the slow pillar too, the posts get
# commenters generated from real data's distributions (and said so): the number of
# comments each person writes follows the number of tweets per author in the airline
# sample; who comments on which post and when is drawn with a fixed seed.


def commenters(org: str, posts: list[dict], factor: int, seed: int = 7) -> list[dict]:
    import csv as _csv
    import random
    from collections import Counter
    from datetime import timedelta

    from .conftest import AIRLINE_TWEETS

    with AIRLINE_TWEETS.open(newline="", encoding="utf-8") as f:
        per_author = list(Counter(r["name"] for r in _csv.DictReader(f)).items())
    rng = random.Random(seed)
    rows = []
    for handle, count in per_author[:300]:
        for k in range(count * factor):
            post = rng.choice(posts)
            when = post["created_at"] + timedelta(hours=rng.randint(1, 72))
            rows.append(
                {
                    "id": f"{org}-{handle}-{k}",
                    "created_at": when.isoformat(),
                    "org": org,
                    "author": handle,
                    "kind": "comment",
                    "reply_to": post["native_id"],
                    "text": "commenter",
                }
            )
    return rows


@pytest.fixture(scope="module")
def with_people(tmp_path_factory: pytest.TempPathFactory) -> dict:
    import csv as _csv

    tmp = tmp_path_factory.mktemp("gaming-people")
    j = jauge.open(tmp / "store.duckdb")
    variants = {
        "base": (write_uci(tmp / "base.csv", uci_rows()), 1),
        "likes x10": (scaled(tmp, "like", 10), 1),
        "conversation x10": (scaled(tmp, "comment", 10), 10),
    }
    results = {}
    for org, (path, factor) in variants.items():
        assert j.import_file(path, "facebook-insights", org=org, year=2014).ok
        posts = j.sql(
            "SELECT c.native_id, c.created_at FROM content_items c JOIN organisations o "
            "USING (org_id) WHERE o.name = ?",
            [org],
        ).to_pylist()
        rows = commenters(org, posts, factor)
        people = tmp / f"people-{factor}-{len(results)}.csv"
        with people.open("w", newline="", encoding="utf-8") as f:
            w = _csv.DictWriter(f, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)
        assert j.import_file(people, "posts-csv", platform="facebook").ok
        results[org] = j.score(org)
    j.close()
    return results


def test_with_people_bought_likes_gain_far_less_than_conversation_and_returns(with_people) -> None:  # type: ignore[no-untyped-def]
    base = with_people["base"]
    assert base.pillars["relationship_health"].score is not None
    likes_gain = with_people["likes x10"].score - base.score
    conversation_gain = with_people["conversation x10"].score - base.score
    assert conversation_gain > 0
    assert likes_gain < conversation_gain / 2
    grown = with_people["conversation x10"].components["returning_engagers"]
    assert grown.value > base.components["returning_engagers"].value
    # bought likes leave the relationship pillar exactly where it was
    assert (
        with_people["likes x10"].pillars["relationship_health"].score
        == base.pillars["relationship_health"].score
    )


def _raise_counts(rows: list[dict], posts: list[dict], added: list[dict]) -> None:
    """The platform's own counts include every injected comment and repost, as a real
    export's would (the UCI rows run from the latest post to the first)."""
    position = {p["native_id"]: i for i, p in enumerate(posts)}
    column = {"comment": "comment", "repost": "share"}
    for r in added:
        target = r.get("reply_to") or r.get("repost_of")
        row = rows[len(rows) - 1 - position[target]]
        row[column[r["kind"]]] = str(int(row[column[r["kind"]]] or 0) + 1)


@pytest.fixture(scope="module")
def gamed_relationships(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The real UCI page with its airline-distributed commenters, three times: as is;
    with 500 bought accounts (real Cresci et al. 2015 profiles) commenting twice each; and
    with 100 accounts reposting an old post at 23:55 the day before the window and again at
    00:05 on its first day. Scored under 1.0.2 and the latest version, before and after
    `jauge integrity`."""
    import random
    from datetime import datetime, timedelta

    from .test_integrity import _write, cresci, handle_with_digits

    profiles, fake = cresci()
    bought = [p for p, y in zip(profiles, fake, strict=True) if y][:500]
    tmp = tmp_path_factory.mktemp("gaming-relationships")
    j = jauge.open(tmp / "store.duckdb")
    start = datetime.min  # the default window's first day, once the base is scored

    def bots(org: str, org_posts: list[dict]) -> list[dict]:
        rng, window = random.Random(3), [p for p in org_posts if p["created_at"] >= start]
        rows = []
        for b, p in enumerate(bought):
            for k in range(2):
                post = rng.choice(window)
                rows.append(
                    {
                        "id": f"{org}-{b}-{k}",
                        "org": org,
                        "author": p["handle"],
                        "kind": "comment",
                        "created_at": (
                            post["created_at"] + timedelta(hours=rng.randint(1, 48))
                        ).isoformat(),
                        "reply_to": post["native_id"],
                        "text": "Nice",
                        "author_followers": p["followers"],
                        "author_following": p["following"],
                        "author_posts": p["posts"],
                        "author_has_avatar": str(p["has_avatar"]).lower(),
                        "author_has_bio": "yes" if p["has_bio"] else "no",
                    }
                )
        return rows

    def edge(org: str, org_posts: list[dict]) -> list[dict]:
        old = [p for p in org_posts if p["created_at"] < start - timedelta(days=1)][-1]
        return [
            {
                "id": f"{org}-{n}-{k}",
                "org": org,
                "author": f"edge{handle_with_digits(n, 0)}",
                "kind": "repost",
                "created_at": (start + timedelta(minutes=m)).isoformat(),
                "repost_of": old["native_id"],
                "text": "",
            }
            for n in range(100)
            for k, m in enumerate((-5, 5))
        ]

    versions = ("jauge-index/1.0.2", LATEST)
    before: dict = {}
    for org, inject in (("base", None), ("bought", bots), ("edge", edge)):
        rows = uci_rows()
        assert j.import_file(
            write_uci(tmp / f"{org}.csv", rows), "facebook-insights", org=org, year=2014
        ).ok
        org_posts = j.sql(
            "SELECT c.native_id, c.created_at FROM content_items c JOIN organisations o "
            "USING (org_id) WHERE o.name = ? ORDER BY c.created_at",
            [org],
        ).to_pylist()
        added = inject(org, org_posts) if inject else []
        if added:
            _raise_counts(rows, org_posts, added)
            assert j.import_file(
                write_uci(tmp / f"{org}-raised.csv", rows), "facebook-insights", org=org, year=2014
            ).ok
        rows = commenters(org, org_posts, 1) + added
        assert j.import_file(
            _write(tmp / f"people-{org}.csv", rows), "posts-csv", platform="facebook"
        ).ok
        before[org] = {v: j.score(org, version=v) for v in versions}
        start = datetime.fromisoformat(before["base"][LATEST].scope["from"])
    j.integrity()
    after = {org: {v: j.score(org, version=v) for v in versions} for org in before}
    j.close()
    return {"before": before, "after": after, "start": start}


def test_integrity_takes_back_what_bought_accounts_added(gamed_relationships) -> None:  # type: ignore[no-untyped-def]
    """From 1.0.3 a flagged account counts as no one: after `jauge integrity` 1,000
    comments of 500 real bought accounts leave the index where the page's real people put
    it. Up to 1.0.2 each kept part of a person in engagers and comments, and kept most of
    the gain."""
    before, after = gamed_relationships["before"], gamed_relationships["after"]
    base = after["base"][LATEST]
    assert base.score == before["base"][LATEST].score  # real commenters keep their weight
    gained = before["bought"][LATEST].score - base.score
    assert gained > 3  # the bought comments work, until integrity finds them
    assert after["bought"][LATEST].score <= before["bought"][LATEST].score
    assert after["bought"][LATEST].score == pytest.approx(base.score, abs=0.5)
    assert after["bought"][LATEST].integrity_share > before["bought"][LATEST].integrity_share
    # 1.0.2 keeps its figures: there the bought accounts kept most of what they added
    old_base = after["base"]["jauge-index/1.0.2"].score
    assert after["bought"]["jauge-index/1.0.2"].score - old_base > gained / 2


def test_coming_back_takes_a_day(gamed_relationships) -> None:  # type: ignore[no-untyped-def]
    """Reposts ten minutes apart across the window's start made 100 returning engagers
    up to 1.0.2; from 1.0.3 coming back takes two interactions 24 hours apart, and the
    trick adds nothing to the relationship pillar."""
    before = gamed_relationships["before"]
    base, edge = before["base"][LATEST], before["edge"][LATEST]
    assert edge.scope["from"] == gamed_relationships["start"].date().isoformat()
    assert edge.components["returning_engagers"].value < base.components["returning_engagers"].value
    assert edge.score <= base.score
    old_base, old_edge = before["base"]["jauge-index/1.0.2"], before["edge"]["jauge-index/1.0.2"]
    assert (
        old_edge.components["returning_engagers"].value
        > 3 * old_base.components["returning_engagers"].value
    )
    assert old_edge.score > old_base.score + 5
    # the page's real commenters, hours or days apart, return as they did
    returning = base.components["returning_engagers"].value
    assert returning == pytest.approx(old_base.components["returning_engagers"].value, rel=0.25)
