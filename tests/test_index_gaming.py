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
def scores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, jauge.metrics.index.IndexResult]:
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
