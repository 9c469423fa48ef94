"""The Python API for notebooks."""

import re
from pathlib import Path

import pandas as pd
import polars as pl
import pyarrow as pa

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
        assert len(b.items) == 0 and len(b.organisations) == 0


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


def test_every_setting_is_documented() -> None:
    doc = (ROOT / "docs" / "settings.md").read_text()
    for s in settings.SETTINGS:
        assert f"`{s.env}`" in doc, s.env


def test_every_source_is_documented() -> None:
    from jauge.sources import registry

    doc = (ROOT / "docs" / "sources.md").read_text()
    for name in registry.names():
        assert re.search(rf"^## `{re.escape(name)}`", doc, re.M), name
