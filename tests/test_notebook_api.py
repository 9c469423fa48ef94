"""The Python API as a notebook uses it: names in any case, workspaces that do not exist,
arguments checked as the CLI checks them, errors to catch, and what Jupyter shows."""

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import jauge
from jauge.cli.main import cli
from jauge.errors import NotFoundError

from .conftest import AIRLINE_TWEETS, UCI_FACEBOOK
from .test_integrity import _write as write_rows
from .test_integrity import bought_commenters


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The UCI Facebook page (Brand, 2014) with an autumn campaign, and the airline
    tweets (United and the others, February 2015), enriched."""
    db = tmp_path_factory.mktemp("notebook_api") / "s.duckdb"
    with jauge.open(db) as j:
        assert j.import_file(UCI_FACEBOOK, "facebook-insights", org="Brand", year=2014).ok
        assert j.import_file(AIRLINE_TWEETS, "tweets-csv").ok
        j.add_campaign("autumn", org="Brand", start="2014-09-01", end="2014-11-30")
        j.enrich()
    return db


def cli_json(*args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    result = CliRunner().invoke(cli, [*args, "--format", "json"])
    return result.exit_code, json.loads(result.stdout)


# -- F1: an account or a campaign typed in another case --------------------------------


def test_a_campaign_typed_in_another_case_gives_the_same_interval_and_fingerprint(
    store: Path,
) -> None:
    with jauge.open(store, read_only=True) as j:
        results = [j.score("brand", campaign=name) for name in ("autumn", "Autumn", "AUTUMN")]
        by_campaign = j.compare("campaign", ["Brand"]).rows
    assert {r.scope["campaign"] for r in results} == {"autumn"}
    assert len({(tuple(r.interval or ()), r.fingerprint) for r in results}) == 1
    # compare --by campaign measures it under the stored spelling: the same result
    assert by_campaign[0].result.fingerprint == results[0].fingerprint
    code, data = cli_json("score", "--org", "BRAND", "--campaign", "Autumn", "--db", str(store))
    assert code == 0 and data["fingerprint"] == results[0].fingerprint
    assert data["scope"]["campaign"] == "autumn"


def test_an_account_typed_in_another_case_gives_the_same_interval_and_fingerprint(
    store: Path,
) -> None:
    with jauge.open(store, read_only=True) as j:
        handle = j.accounts.to_pylist()[0]["handle"]
        typed = [handle, handle.upper(), handle.lower(), "@" + handle.swapcase()]
        results = [j.score("Brand", account=a, start="2014-01-01", end="2014-12-31") for a in typed]
    assert {r.scope["account"] for r in results} == {handle}
    assert len({(tuple(r.interval or ()), r.fingerprint) for r in results}) == 1
    code, data = cli_json(
        "score", "--org", "Brand", "--account", handle.upper(), "--from", "2014-01-01",
        "--to", "2014-12-31", "--db", str(store),
    )  # fmt: skip
    assert code == 0 and data["fingerprint"] == results[0].fingerprint


# -- F2: a workspace the store does not have ---------------------------------------------


@pytest.mark.parametrize(
    "read",
    [
        lambda j: j.stats(),
        lambda j: j.items,
        lambda j: j.table("mentions"),
        lambda j: j.assessment(),
        lambda j: j.score("United"),
        lambda j: j.voice(["United"]),
        lambda j: j.campaign_list(),
        lambda j: j.person_export("ptbrodie"),
    ],
)
def test_a_workspace_the_store_lacks_is_refused_not_read_as_empty(store: Path, read) -> None:  # type: ignore[no-untyped-def]
    refused = r"^no workspace 'acme' in this store \(it has: default\)$"
    with (
        jauge.open(store, workspace="acme", read_only=True) as j,
        pytest.raises(NotFoundError, match=refused),
    ):
        read(j)
    # the CLI says the same, in the same words
    code, data = cli_json("stats", "--workspace", "acme", "--db", str(store))
    assert (code, data["error"]["code"]) == (1, "not_found")
    assert data["error"]["message"] == "no workspace 'acme' in this store (it has: default)"


def test_importing_into_a_new_workspace_creates_it(store: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.duckdb"
    shutil.copy(store, db)
    with jauge.open(db, workspace="client-a") as j:
        with pytest.raises(NotFoundError, match="no workspace 'client-a'"):
            j.stats()
        assert j.import_file(UCI_FACEBOOK, "facebook-insights", org="Brand", year=2014).ok
        assert j.stats().entities["items"] == 500
        j.add_org("Rival")
        assert {o["name"] for o in j.organisations.to_pylist()} == {"Brand", "Rival"}
    with jauge.open(db, workspace="client-b") as j:  # a new workspace's organisation first
        j.add_org("Rival")
        assert j.org_name("rival") == "Rival"
    with jauge.open(db, workspace="everything", read_only=True) as j:
        assert len(j.sql("SELECT * FROM workspaces")) == 3  # the whole store, as documented
        assert j.person_export("ptbrodie", all_workspaces=True)


# -- F10: the errors a notebook catches ----------------------------------------------------


def test_the_errors_the_api_raises_are_caught_from_jauge_itself(store: Path) -> None:
    with jauge.open(store, read_only=True) as j:
        with pytest.raises(jauge.ReadOnlyStoreError, match="read-only here"):
            j.add_org("Rival")
        with pytest.raises(jauge.UsageError, match="the index needs at least"):
            j.score("United", start="2015-02-01", end="2015-02-03")
    assert {"ReadOnlyStoreError", "UsageError"} <= set(jauge.__all__)


def test_a_file_that_cannot_be_imported_is_returned_rejected_as_the_docstring_says(
    tmp_path: Path,
) -> None:
    with jauge.open(tmp_path / "s.duckdb") as j:
        result = j.import_file(tmp_path / "missing.csv", "tweets-csv")
    assert not result.ok and [f.status for f in result.files] == ["rejected"]
    assert "result.ok`` is False" in " ".join((jauge.Jauge.import_file.__doc__ or "").split())


# -- F5: limits, checked as the CLI checks --limit ---------------------------------------


@pytest.mark.parametrize("limit", [-1, 0])
@pytest.mark.parametrize(
    "listing",
    [
        lambda j, limit: j.topics("United", limit=limit),
        lambda j, limit: j.people("United", limit=limit),
    ],
)
def test_a_limit_below_one_is_a_usage_error_naming_the_argument(
    store: Path,
    tmp_path: Path,
    listing,
    limit: int,  # type: ignore[no-untyped-def]
) -> None:
    with (
        jauge.open(store, read_only=True) as j,
        pytest.raises(
            jauge.UsageError, match=rf"^limit takes a whole number of 1 or more, got {limit}$"
        ),
    ):
        listing(j, limit)
    code, data = cli_json("topics", "--org", "United", "--limit", str(limit), "--db", str(store))
    assert (code, data["error"]["code"]) == (2, "usage")


def test_a_limit_of_one_lists_one(store: Path) -> None:
    with jauge.open(store, read_only=True) as j:
        assert len(j.topics("United", limit=1).top) == 1
        assert len(j.people("United", limit=1)) == 1


def test_an_assessment_takes_no_negative_limit_and_zero_for_its_summary_alone(
    store: Path, tmp_path: Path
) -> None:
    db = tmp_path / "copy.duckdb"
    shutil.copy(store, db)
    with jauge.open(db) as j:
        for negative in (lambda: j.integrity(limit=-1), lambda: j.assessment(limit=-1)):
            with pytest.raises(
                jauge.UsageError, match=r"^limit takes a whole number of 0 or more, got -1$"
            ):
                negative()
        assert j.stats().entities["authenticity"] == 0  # refused before assessing anyone
        assert j.integrity(limit=0).accounts == []
        summary, listed = j.assessment(limit=0), j.assessment(limit=5)
    assert summary["accounts"] == [] and summary["persons"] == listed["persons"] > 0


# -- F4: docstrings that say what the methods take -----------------------------------------


def test_the_docstrings_name_what_table_and_regions_accept(store: Path) -> None:
    from jauge.enrich.regions import GROUPINGS
    from jauge.store.duckdb_store import ENTITIES

    table_doc = " ".join((jauge.Jauge.table.__doc__ or "").split())
    regions_doc = " ".join((jauge.Jauge.regions.__doc__ or "").split())
    named = re.search(r"\(([a-z_, ]+)\)", table_doc)
    assert named is not None and set(named.group(1).split(", ")) == set(ENTITIES)
    with jauge.open(store, read_only=True) as j:
        for entity in ENTITIES:
            assert j.table(entity).schema is not None
        for by in GROUPINGS:
            assert j.regions(["United"], by=by).by == by
            assert f'by="{by}"' in regions_doc or by == "country"
    assert 'by="state"' not in regions_doc


# -- F7: what Jupyter shows of the other results --------------------------------------------


def cells(html: str) -> list[list[str]]:
    """The rows of an HTML table's body, each a list of its cells' texts."""
    rows = re.findall(r"<tr>(.*?)</tr>", "".join(re.findall(r"<tbody>(.*?)</tbody>", html)))
    return [re.findall(r"<td>(.*?)</td>", row) for row in rows]


def test_voice_topics_regions_people_integrity_and_stats_show_themselves_as_tables(
    store: Path, tmp_path: Path
) -> None:
    db = tmp_path / "copy.duckdb"
    shutil.copy(store, db)
    window = {"start": "2015-02-16", "end": "2015-02-24"}
    with jauge.open(db) as j:
        # Cresci et al.'s bought Twitter followers commenting on Brand's posts
        posts = j.sql(
            "SELECT native_id, created_at FROM content_items WHERE is_own ORDER BY created_at"
        ).to_pylist()
        bought = write_rows(tmp_path / "bought.csv", bought_commenters("Brand", posts))
        assert j.import_file(bought, "posts-csv", platform="facebook").ok
        voice = j.voice(["United", "Delta"], **window)
        topics = j.topics("United", **window, limit=5)
        regions = j.regions(["United", "Delta"], **window)
        person = j.people("United", **window, limit=1)[0]
        integrity = j.integrity(limit=3)
        stats = j.stats()
    for result in (voice, topics, regions, person, integrity, stats):
        assert "\n" not in repr(result) and len(repr(result)) < 200, repr(result)
        assert repr(result).startswith(f"<{type(result).__name__} ")
        assert "<table>" in result._repr_html_()
    # every figure as the JSON has it, written for the reader
    united = voice.to_dict()["orgs"][0]
    assert [united["org"], f"{united['mentions']:,}"] == cells(voice._repr_html_())[0][:2]
    top = [[t["term"], f"{t['items']:,}"] for t in topics.to_dict()["top"]]
    assert [row[:2] for row in cells(topics._repr_html_())][: len(top)] == top
    shown = cells(regions._repr_html_())
    assert len(shown) == len(regions.regions) > 1  # every region, not a first few
    assert [int(r[1].replace(",", "")) for r in shown] == [r.mentions for r in regions.regions]
    assert cells(person._repr_html_())[0][0] == f"{person.persistence:,}"
    assert person.handle in person._repr_html_()
    flagged = [[a.handle, a.platform, f"{a.weight:.2f}"] for a in integrity.accounts]
    assert len(flagged) == 3 and integrity.flagged > 100  # most of the 150 bought ones
    assert [row[:3] for row in cells(integrity._repr_html_())][-len(flagged) :] == flagged
    entities = cells(stats._repr_html_())[: len(stats.entities)]
    assert [int(r[1].replace(",", "")) for r in entities] == list(stats.entities.values())


def test_empty_results_show_themselves_too(store: Path, tmp_path: Path) -> None:
    with jauge.open(store, read_only=True) as j:
        window = {"start": "2016-01-01", "end": "2016-01-31"}  # nothing was said then
        empty = [j.voice(["United"], **window), j.topics("United", **window),
                 j.regions(["United"], **window)]  # fmt: skip
    with jauge.open(tmp_path / "new.duckdb") as j:
        empty += [j.stats(), j.integrity()]
    for result in empty:
        html = result._repr_html_()
        assert html.startswith("<div><p><b>") and repr(result).startswith("<")
    assert "<table>" not in empty[1]._repr_html_()  # no terms: it says so instead
    assert "No term comes up again" in empty[1]._repr_html_()
    assert "0 of 0 mentions have a place" in empty[2]._repr_html_()


def test_the_tables_speak_the_readers_language(store: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("JAUGE_LANG", "fr")
    with jauge.open(store, read_only=True) as j:
        stats = j.stats()
        topics = j.topics("United", start="2015-02-16", end="2015-02-24", limit=3)
    assert "<th>entité</th><th>lignes</th>" in stats._repr_html_()
    items = f"{stats.entities['items']:,}".replace(",", "\u202f")
    assert ["contenus", items] in cells(stats._repr_html_())
    assert "United, du 2015-02-16 au 2015-02-24 : " in topics._repr_html_()


# -- F6: pandas types, as the README says -------------------------------------------------


def test_the_documented_way_to_keep_the_stores_types_in_pandas(store: Path) -> None:
    import pandas as pd

    from .conftest import ROOT

    readme = " ".join((ROOT / "README.md").read_text("utf-8").split())
    assert "`to_pandas(types_mapper=pandas.ArrowDtype)` keeps the store's types" in readme
    with jauge.open(store, read_only=True) as j:
        plain = j.snapshots.to_pandas()
        kept = j.snapshots.to_pandas(types_mapper=pd.ArrowDtype)
        persons = j.persons.to_pandas(types_mapper=pd.ArrowDtype)
    assert str(plain["impressions"].dtype) == "float64"  # NULL is unknown: the README says so
    assert str(kept["impressions"].dtype) == "int64[pyarrow]"
    assert kept["impressions"].sum() == plain["impressions"].sum()
    assert str(persons["has_avatar"].dtype) == "bool[pyarrow]"
