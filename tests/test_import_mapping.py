"""`--map COLUMN=FIELD` says when it reads nothing: a key no object of a JSON-lines file
has, or a field the source does not read. Either silently left the field empty: people's
tweets stored as the organisation's own posts (no author), or a count never counted.
Real airline tweets, written as an API answers them (nested objects)."""

import csv
import json
from datetime import datetime
from pathlib import Path

import pytest

import jauge

from .conftest import AIRLINE_TWEETS


@pytest.fixture
def tweets_jsonl(tmp_path: Path) -> Path:
    with AIRLINE_TWEETS.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))[:200]
    path = tmp_path / "tweets.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for r in rows:
            created = datetime.strptime(r["tweet_created"], "%Y-%m-%d %H:%M:%S %z")
            tweet = {
                "id": r["tweet_id"],
                "created_at": created.isoformat(),
                "text": r["text"],
                "org": r["airline"],
                "user": {"screen_name": r["name"]},
                "public_metrics": {"retweet_count": int(r["retweet_count"])},
            }
            out.write(json.dumps(tweet) + "\n")
    return path


def _import(tmp_path: Path, path: Path, mapping: dict[str, str]) -> jauge.ImportResult:
    with jauge.open(tmp_path / "s.duckdb") as j:
        return j.import_file(path, "posts-jsonl", platform="x", mapping=mapping)


def _refused(tmp_path: Path, path: Path, mapping: dict[str, str]) -> str:
    """The refusal of a one-file import (a ConfigError, as `jauge import` shows it), after
    which the store holds none of the file."""
    with pytest.raises(jauge.ConfigError) as refused:
        _import(tmp_path, path, mapping)
    with jauge.open(tmp_path / "s.duckdb") as j:
        assert len(j.items) == 0
    return str(refused.value)


def test_a_mapped_json_key_is_read(tmp_path: Path, tweets_jsonl: Path) -> None:
    mapping = {"user.screen_name": "author", "public_metrics.retweet_count": "shares"}
    result = _import(tmp_path, tweets_jsonl, mapping)
    assert result.ok and result.total("inserted") == 200
    with jauge.open(tmp_path / "s.duckdb") as j:
        [kinds] = j.sql(
            "SELECT count(*) FILTER (WHERE is_own) AS own FROM content_items"
        ).to_pylist()
        shares = j.sql("SELECT count(shares) AS n FROM metric_snapshots").to_pylist()[0]["n"]
    assert kinds == {"own": 0} and shares == 200


def test_a_json_key_no_object_has_is_refused(tmp_path: Path, tweets_jsonl: Path) -> None:
    # a typo in the author's key made every tweet the airline's own post
    said = _refused(tmp_path, tweets_jsonl, {"user.nope": "author"})
    assert "--map names columns that are not in" in said and "'user.nope'" in said


def test_a_field_the_source_does_not_read_is_named_with_the_closest_one(
    tmp_path: Path, tweets_jsonl: Path
) -> None:
    # a typo in the field (`share`): the retweets were kept aside, never counted, unsaid
    result = _import(tmp_path, tweets_jsonl, {"public_metrics.retweet_count": "share"})
    assert result.ok
    (warning,) = result.files[0].warnings
    assert warning == (
        "--map gives the field 'share', which posts-jsonl does not read (did you mean "
        "'shares'?): the column is kept aside, not counted"
    )
    with jauge.i18n.speaking("fr"):
        assert jauge.i18n.localised(warning).startswith("--map donne le champ 'share', que")


def test_a_column_renamed_out_of_the_source_s_way_is_kept_aside_and_said(tmp_path: Path) -> None:
    # how the crowd's labels are kept from the index, so that a model's count instead;
    # "retweets" is a name tweets-csv reads (as shares), so no word about it
    with jauge.open(tmp_path / "s.duckdb") as j:
        aside = j.import_file(
            AIRLINE_TWEETS, "tweets-csv", mapping={"airline_sentiment": "crowd_label"}
        )
        read = j.import_file(AIRLINE_TWEETS, "tweets-csv", mapping={"retweet_count": "retweets"})
    assert aside.ok and read.ok
    assert any(
        "'crowd_label', which tweets-csv does not read" in w for w in aside.files[0].warnings
    )
    assert not any("--map" in w for w in read.files[0].warnings)


def test_a_narrower_export_between_two_full_ones_adds_no_snapshot_the_second_time(
    tmp_path: Path,
) -> None:
    """A newer export compares each count with the latest value known of it, as the index
    reads counts. Real French media tweets; then an export without the likes column in
    which ten tweets were retweeted once more (their only change), then the full export
    of that same day: nothing changed since the export before it."""
    from .conftest import FRENCH_MAP, FRENCH_TWEETS_CSV

    with FRENCH_TWEETS_CSV.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows[:10]:
        row["retweet_count"] = str(int(row["retweet_count"]) + 1)

    def write(name: str, columns: list[str]) -> Path:
        path = tmp_path / name
        with path.open("w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, columns, extrasaction="ignore")
            w.writeheader()
            w.writerows(rows)
        return path

    narrower = write("without_likes.csv", [c for c in rows[0] if c != "like_count"])
    later = write("later.csv", list(rows[0]))
    without_likes = {k: v for k, v in FRENCH_MAP.items() if k != "like_count"}
    options = {"org": "Médias", "platform": "x"}
    with jauge.open(tmp_path / "s.duckdb") as j:
        first = j.import_file(FRENCH_TWEETS_CSV, "posts-csv", mapping=FRENCH_MAP, **options)
        between = j.import_file(narrower, "posts-csv", mapping=without_likes, **options)
        again = j.import_file(later, "posts-csv", mapping=FRENCH_MAP, **options)
        snapshots = j.sql("SELECT count(*) AS n FROM metric_snapshots").to_pylist()[0]["n"]
    assert first.ok and between.ok and again.ok
    assert between.files[0].snapshots == 10
    assert again.files[0].snapshots == 0 and again.total("updated") == 0
    assert snapshots == first.files[0].snapshots + 10
