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
#: the French media CSV's columns as jauge's generic posts format
FRENCH_MAP = {
    "id_tweet": "id",
    "date": "created_at",
    "id_compte": "account",
    "retweet_count": "shares",
    "like_count": "reactions",
    "reply_count": "comments",
}


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages in English whatever the machine's locale: tests read them (test_i18n.py
    checks the French)."""
    monkeypatch.setenv("JAUGE_LANG", "en")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "store.duckdb"


@pytest.fixture
def handle(db_path: Path) -> Iterator[jauge.Jauge]:
    j = jauge.open(db_path)
    yield j
    j.close()


@pytest.fixture(scope="session")
def web_store(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The web tests' store (two workspaces, users of every role), built once; tests that
    write to it copy it first (see ``fresh_web_store``)."""
    from .webstore import build

    return build(tmp_path_factory.mktemp("web") / "web.duckdb")


@pytest.fixture
def fresh_web_store(web_store, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A private copy of the web store, for tests that write."""
    import shutil
    from dataclasses import replace

    copy = tmp_path / "web.duckdb"
    shutil.copy(web_store.path, copy)
    return replace(web_store, path=copy)


@pytest.fixture
def app_client(web_store):  # type: ignore[no-untyped-def]
    """The dashboard on the shared web store (read, never written)."""
    from fastapi.testclient import TestClient

    from jauge.web.app import create_app

    with TestClient(create_app(str(web_store.path)), base_url="https://testserver") as c:
        yield c


@pytest.fixture
def writable_client(fresh_web_store):  # type: ignore[no-untyped-def]
    """The dashboard on a copy of the web store that a test may write to."""
    from fastapi.testclient import TestClient

    from jauge.web.app import create_app

    with TestClient(create_app(str(fresh_web_store.path)), base_url="https://testserver") as c:
        yield c
