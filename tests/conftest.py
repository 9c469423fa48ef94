"""Shared fixtures: real data files (copied subsets, see tests/data/*/SOURCE.md) and stores."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import jauge

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
UCI_FACEBOOK = ROOT / "jauge" / "demo" / "data" / "dataset_Facebook.csv"
AIRLINE_TWEETS = DATA / "twitter-us-airline-sentiment" / "Tweets_sample.csv"
FRENCH_TWEETS_CSV = DATA / "french-media-engagement" / "Tweets_sample.csv"
FRENCH_TWEETS_JSONL = DATA / "french-media-engagement" / "tweets_sample.jsonl"
FEEDS = DATA / "rss-atom-feeds"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "store.duckdb"


@pytest.fixture
def handle(db_path: Path) -> Iterator[jauge.Jauge]:
    j = jauge.open(db_path)
    yield j
    j.close()
