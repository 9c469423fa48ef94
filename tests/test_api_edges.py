"""The Python API's handle given what notebooks give it: one name for a list, days as
strings, unknown choices, a read-only or closed store."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

import jauge
from jauge.errors import ConfigError, ReadOnlyStoreError, StoreError

from .conftest import UCI_FACEBOOK


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("edges") / "s.duckdb"
    with jauge.open(db) as j:
        assert j.import_file(UCI_FACEBOOK, "facebook-insights", org="Brand", year=2014).ok
    return db


@pytest.fixture
def j(built: Path, tmp_path: Path) -> Iterator[jauge.Jauge]:
    db = tmp_path / "s.duckdb"
    shutil.copy(built, db)
    with jauge.open(db) as handle:
        yield handle


def test_compare_names_the_periods_every_takes(j: jauge.Jauge) -> None:
    with pytest.raises(ConfigError, match=r"every takes month, quarter, not 'week'"):
        j.compare("period", ["Brand"], every="week")
    with pytest.raises(ConfigError, match=r"every takes month, quarter"):
        j.report("Brand", every="week")


def test_one_name_where_a_list_is_expected_is_a_list_of_one(j: jauge.Jauge) -> None:
    assert [r.unit for r in j.compare("org", "Brand").rows] == ["Brand"]
    assert [o.org for o in j.voice("Brand").orgs] == ["Brand"]
    entries = j.add_org("Brand", aliases="Marque", hashtags="brand")
    assert {(e["kind"], e["term"]) for e in entries} >= {("alias", "Marque"), ("hashtag", "brand")}


def test_add_campaign_reads_days_as_the_other_methods_do(j: jauge.Jauge) -> None:
    made = j.add_campaign("Summer", org="Brand", start="2014-06-01", end="2014-06-30")
    assert (made.starts_on, made.ends_on) == (date(2014, 6, 1), date(2014, 6, 30))
    assert j.campaign_list("Brand") == [made]
    # as text, "2014-10-01" < "2014-9-01": it was refused as ending before it starts
    with pytest.raises(ConfigError, match=r"start expects a day \(2024-03-01\), got '2014-9-01'"):
        j.add_campaign("Autumn", org="Brand", start="2014-9-01", end="2014-10-01")
    for end in ("June 30 2014", "2014-06-31", None):
        with pytest.raises(ConfigError, match=r"^end expects a day"):
            j.add_campaign("June", org="Brand", start="2014-06-01", end=end)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="ends"):
        j.add_campaign("Back", org="Brand", start="2014-07-01", end="2014-06-01")


def test_add_org_refuses_an_unknown_relation(j: jauge.Jauge) -> None:
    with pytest.raises(ConfigError, match=r"relation takes own, competitor, other, not 'friend'"):
        j.add_org("Rival", relation="friend")
    assert "Rival" not in j.organisations.to_pandas()["name"].tolist()
    j.add_org("Rival", relation="competitor")
    orgs = j.organisations.to_pandas().set_index("name")["relation"]
    assert orgs["Rival"] == "competitor"


def test_report_refuses_an_unknown_language(j: jauge.Jauge) -> None:
    with pytest.raises(ConfigError, match=r"lang takes en, fr, not 'de'"):
        j.report("Brand", lang="de")


def test_a_read_only_handle_says_it_cannot_write(built: Path) -> None:
    with jauge.open(built, read_only=True) as j:
        assert j.stats().to_dict()["entities"]["items"] == 500
        message = rf"writes to the store, which is read-only here \({built}\)"
        with pytest.raises(ReadOnlyStoreError, match=message):
            j.add_org("Rival")
        with pytest.raises(ReadOnlyStoreError, match=message):
            j.import_file(UCI_FACEBOOK, "facebook-insights", org="Other", year=2014)


def test_a_closed_handle_says_so(built: Path) -> None:
    with jauge.open(built, read_only=True) as j:
        pass
    for call in (j.stats, lambda: j.items, lambda: j.score("Brand")):
        with pytest.raises(StoreError, match=rf"^this handle was closed: .*{built}"):
            call()


def test_the_handle_names_its_store_and_workspace(built: Path) -> None:
    with jauge.open(built, workspace="client-a", read_only=True) as j:
        assert repr(j) == f"<Jauge store {built}, workspace client-a>"
