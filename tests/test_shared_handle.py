"""One handle shared between threads, and two handles on one file in one process: a
researcher parallelising with ``concurrent.futures`` gets the figures one thread gets,
never the engine's "connection is busy"; mixing a read-only handle with a writing one
says what to do. Real airline tweets."""

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import jauge

from .conftest import AIRLINE_TWEETS


@pytest.fixture
def airlines(tmp_path: Path) -> Path:
    path = tmp_path / "s.duckdb"
    with jauge.open(path) as j:
        assert j.import_file(AIRLINE_TWEETS, "tweets-csv").ok
    return path


def test_threads_sharing_a_handle_get_what_one_thread_gets(airlines: Path) -> None:
    with jauge.open(airlines) as j:
        orgs = [o["name"] for o in j.stats().organisations]
        alone = {org: j.voice([org]).to_dict() for org in orgs}
        items = len(j.items)
        with ThreadPoolExecutor(4) as pool:
            answers = pool.map(lambda org: j.voice([org]).to_dict(), orgs)
            shared = dict(zip(orgs, answers, strict=True))
            counted = list(pool.map(lambda _: len(j.items), range(12)))
    assert len(orgs) > 1 and shared == alone
    assert counted == [items] * 12
    # closed with its threads' cursors: the file opens again in another mode
    with jauge.open(airlines, read_only=True) as again:
        assert len(again.items) == items


def test_a_thread_s_cursor_reads_time_in_utc_as_the_handle_does(airlines: Path) -> None:
    with jauge.open(airlines) as j:
        # a default zone for new connections other than UTC, as a machine's may be
        j.store.con.execute("SET GLOBAL TimeZone = 'America/New_York'")
        j.store.con.execute("SET TimeZone = 'UTC'")
        zones: list[str] = []

        def zone() -> None:
            zones.append(j.store.con.execute("SELECT current_setting('TimeZone')").fetchall()[0][0])

        thread = threading.Thread(target=zone)
        thread.start()
        thread.join()
    assert zones == ["UTC"]


@pytest.mark.parametrize("first_read_only", [False, True])
def test_a_second_handle_in_another_mode_says_what_to_do(
    airlines: Path, first_read_only: bool
) -> None:
    with (
        jauge.open(airlines, read_only=first_read_only),
        pytest.raises(jauge.StoreError) as refused,
    ):
        jauge.open(airlines, read_only=not first_read_only)
    said = str(refused.value)
    assert "this process already has it open" in said and "close that handle first" in said
    assert ("for writing here" in said) == first_read_only
