from pathlib import Path

import duckdb
import pytest

import jauge
from jauge.errors import StoreError
from jauge.store.duckdb_store import Store, migrations


def test_new_store_is_migrated_to_latest_version(db_path: Path) -> None:
    store = Store(db_path)
    assert store.schema_version() == migrations()[-1][0]
    tables = {
        r[0]
        for r in store.con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    }
    assert {
        "organisations",
        "accounts",
        "persons",
        "content_items",
        "interactions",
        "metric_snapshots",
        "campaigns",
        "workspaces",
        "imports",
    } <= tables
    store.close()


def test_reopening_does_not_migrate_twice(db_path: Path) -> None:
    Store(db_path).close()
    store = Store(db_path)
    rows = store.con.execute("SELECT count(*) FROM schema_migrations").fetchone()
    assert rows == (len(migrations()),)
    store.close()


def test_a_store_from_a_newer_jauge_is_refused(db_path: Path) -> None:
    Store(db_path).close()
    con = duckdb.connect(str(db_path))
    con.execute("INSERT INTO schema_migrations VALUES (999, 'future', now()::TIMESTAMP)")
    con.close()
    with pytest.raises(StoreError, match="newer than this jauge"):
        Store(db_path)


def test_read_only_open_of_a_missing_store_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="jauge import"):
        jauge.open(tmp_path / "missing.duckdb", read_only=True)


def test_org_lookup_names_the_known_organisations(handle: jauge.Jauge) -> None:
    handle.store.ensure_org("default", "Acme")
    with pytest.raises(jauge.NotFoundError, match="Known: Acme"):
        handle.store.org_id("default", "Nope")
    assert handle.store.org_id("default", "acme") == handle.store.ensure_org("default", "ACME ")
