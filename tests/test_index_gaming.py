"""Gaming resistance, on the real UCI Facebook data (500 posts of a cosmetics brand, 2014).

Bought followers must not raise the index; bought applause (likes) must gain far less than
real conversation growing by the same factor.
"""

from pathlib import Path

import pytest

import jauge

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
