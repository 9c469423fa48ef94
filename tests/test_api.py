"""The Python API for notebooks."""

import re
from pathlib import Path

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import jauge
from jauge import settings

from .conftest import UCI_FACEBOOK

ROOT = Path(__file__).resolve().parent.parent


def test_entities_come_as_arrow_tables_with_pandas_and_polars(tmp_path: Path) -> None:
    with jauge.open(tmp_path / "s.duckdb") as j:
        j.import_file(UCI_FACEBOOK, "facebook-insights", org="Brand", year=2014)
        items = j.items
        assert isinstance(items.to_arrow(), pa.Table) and items.num_rows == 500
        assert isinstance(items.to_pandas(), pd.DataFrame)
        assert isinstance(items.to_polars(), pl.DataFrame)
        assert len(j.snapshots) == 500 and len(j.organisations) == 1
        assert j.stats().to_dict()["entities"]["items"] == 500


def test_entities_are_scoped_to_the_workspace(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    with jauge.open(db, workspace="client-a") as a:
        a.import_file(UCI_FACEBOOK, "facebook-insights", org="Brand", year=2014)
    with jauge.open(db, workspace="client-b") as b:
        # a workspace is made by what is put in it; until then it is not read as empty
        with pytest.raises(jauge.NotFoundError, match="no workspace 'client-b'"):
            b.items  # noqa: B018
        b.add_org("Rival")
        assert len(b.items) == 0 and [o["name"] for o in b.organisations.to_pylist()] == ["Rival"]


def test_the_store_path_defaults_to_the_environment(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("JAUGE_DB", str(tmp_path / "env.duckdb"))
    with jauge.open() as j:
        assert j.store.path == str(tmp_path / "env.duckdb")


def test_public_api_is_sorted_and_complete() -> None:
    assert jauge.__all__ == sorted(jauge.__all__)
    for name in jauge.__all__:
        assert hasattr(jauge, name), name
    public = {n for n in dir(jauge) if not n.startswith("_") and n[0].isupper()}
    assert public <= set(jauge.__all__)


@pytest.mark.parametrize(
    ("variable", "value", "says"),
    [
        ("JAUGE_MEMORY_LIMIT", "lots", "JAUGE_MEMORY_LIMIT takes an amount of memory like 1GB"),
        ("JAUGE_THREADS", "abc", "JAUGE_THREADS takes a whole number of 0 or more, got 'abc'"),
        ("JAUGE_LOCK_WAIT", "soon", "JAUGE_LOCK_WAIT takes a number of seconds of 0 or more"),
        ("JAUGE_IMPORT_MEMORY_LIMIT", "1GB'; DROP", "JAUGE_IMPORT_MEMORY_LIMIT takes an amount"),
    ],
)
def test_a_setting_the_engine_cannot_take_is_named_in_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str, value: str, says: str
) -> None:
    from click.testing import CliRunner

    from jauge.cli.main import cli

    monkeypatch.setenv(variable, value)
    db = str(tmp_path / "s.duckdb")
    command = ["import", str(UCI_FACEBOOK), "--source", "facebook-insights", "--org", "Brand",
               "--year", "2014", "--db", db]  # fmt: skip
    result = CliRunner().invoke(cli, command)
    assert result.exit_code == 1 and says in result.stderr
    assert "Traceback" not in result.output
    monkeypatch.setenv(
        variable, {"JAUGE_THREADS": "1", "JAUGE_LOCK_WAIT": "2.5"}.get(variable, "2GiB")
    )
    assert CliRunner().invoke(cli, command).exit_code == 0  # a value it takes works


def test_every_setting_is_documented() -> None:
    doc = (ROOT / "docs" / "settings.md").read_text()
    for s in settings.SETTINGS:
        assert f"`{s.env}`" in doc, s.env


def test_every_source_is_documented() -> None:
    from jauge.sources import registry

    doc = (ROOT / "docs" / "sources.md").read_text()
    for name in registry.names():
        assert re.search(rf"^## `{re.escape(name)}`", doc, re.M), name
