"""The demo: the bundled real datasets, imported into a fresh store."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..api import Jauge, open
from ..errors import ConfigError
from ..i18n import _
from ..ingest import ImportResult

DEMO_WORKSPACE = "demo"
DEMO_EMAIL = "demo@jauge.example"


@dataclass(frozen=True)
class DemoDataset:
    file: str
    source: str
    org: str
    year: int | None
    credit: str


DATASETS = (
    DemoDataset(
        file="dataset_Facebook.csv",
        source="facebook-insights",
        org="Cosmetics brand (UCI)",
        year=2014,
        credit="Moro, Rita & Vala (2016), UCI 'Facebook metrics', CC BY 4.0",
    ),
)


def data_path(name: str) -> Path:
    return Path(str(resources.files("jauge.demo").joinpath("data", name)))


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str


def add_demo_login(handle: Jauge) -> DemoLogin:
    """An owner of the demo workspace with a new random password (no default password
    ever opens a jauge server)."""
    from ..users import add_user

    password = secrets.token_urlsafe(9)
    add_user(handle.store, DEMO_EMAIL, password, DEMO_WORKSPACE, "owner")
    return DemoLogin(DEMO_EMAIL, password)


def run_demo(db: str) -> tuple[Jauge, list[ImportResult]]:
    """Import the bundled datasets into a fresh store at ``db`` (only ever a demo store)."""
    path = Path(db)
    if path.exists():
        _check_is_demo_store(path)
        path.unlink()
        Path(f"{db}.wal").unlink(missing_ok=True)
    handle = open(db, workspace=DEMO_WORKSPACE)
    results = [
        handle.import_file(data_path(d.file), d.source, org=d.org, year=d.year) for d in DATASETS
    ]
    return handle, results


def _check_is_demo_store(path: Path) -> None:
    """Refuse to wipe a store holding anything but the demo's own workspace."""
    import duckdb

    try:
        con = duckdb.connect(str(path), read_only=True)
        rows = con.execute("SELECT DISTINCT workspace FROM workspaces").fetchall()
        con.close()
    except duckdb.Error as exc:
        raise ConfigError(
            _("{path} exists and is not a jauge demo store: pass another --db", path=path)
        ) from exc
    if {r[0] for r in rows} - {DEMO_WORKSPACE}:
        raise ConfigError(
            _(
                "{path} holds workspaces other than the demo's: the demo starts from a fresh "
                "store, so pass another --db",
                path=path,
            )
        )
