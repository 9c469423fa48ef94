"""What an administrator running jauge for several clients relies on: cron syncs that do not
silently do nothing, a store without a `default` workspace not read as empty, a server that
refuses a store it cannot open, and the exit statuses a service manager sees."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pandas as pd
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

import jauge
from jauge.cli.main import cli
from jauge.errors import NotFoundError

from .conftest import AIRLINE_TWEETS, FEEDS, UCI_FACEBOOK
from .liveserver import free_port
from .loopback import Loopback

LEMONDE = FEEDS / "lemonde.xml"
#: a handle of Tweets_sample.csv, and how many of its rows are theirs
HANDLE = "ThatJasonEaton"


def run(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args))


def agency_store(tmp_path: Path) -> str:
    """An agency's store: one workspace per client, none named default (as the QA's)."""
    db = str(tmp_path / "agency.duckdb")
    for ws in ("clienta", "clientb", "clientc"):
        assert run("workspace", "add", ws, "--db", db).exit_code == 0
    with jauge.open(db, workspace="clienta") as j:
        assert j.import_file(UCI_FACEBOOK, "facebook-insights", org="BrandA", year=2014).ok
    for ws in ("clientb", "clientc"):
        with jauge.open(db, workspace=ws) as j:
            assert j.import_file(AIRLINE_TWEETS, "tweets-csv").ok
    return db


# -- F2: sync -----------------------------------------------------------------------------


def test_sync_in_an_agency_store_says_where_the_connections_are(tmp_path: Path) -> None:
    db = agency_store(tmp_path)
    with Loopback() as server:
        server.scripts["/lemonde"] = [("file", LEMONDE)]
        added = run("connect", "add", "news", "--kind", "rss", "--url", server.url("/lemonde"),
                    "--org", "BrandA", "--workspace", "clienta", "--db", db)  # fmt: skip
        assert added.exit_code == 0
        # the command it suggests is the one that finds the connection
        assert "run `jauge sync news --workspace clienta`" in added.stdout

        every = run("sync", "--db", db, "--format", "json")  # a cron line, as documented
        assert every.exit_code == 1
        assert json.loads(every.stdout)["error"]["message"] == (
            "no connection in workspace 'default', but in the workspaces clienta: sync them all "
            "with `jauge sync --all-workspaces`, or each with `jauge sync --workspace NAME` "
            "(`jauge sync --workspace clienta`, ...)"
        )
        named = run("sync", "news", "--db", db)
        assert named.exit_code == 1
        assert "but in the workspaces clienta: run `jauge sync news --workspace clienta`" in (
            named.stderr
        )
        typo = run("sync", "--workspace", "clientbb", "--db", db, "--format", "json")
        assert typo.exit_code == 1 and json.loads(typo.stdout)["error"]["code"] == "not_found"

        synced = run("sync", "--workspace", "clienta", "--db", db, "--format", "json")
        assert synced.exit_code == 0, synced.output
    items = LEMONDE.read_text("utf-8").count("<item>")
    assert json.loads(synced.stdout)["inserted"] == items == 21


def test_sync_of_an_unknown_workspace_is_refused_and_none_yet_is_french(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = agency_store(tmp_path)
    typo = run("sync", "--workspace", "clientbb", "--db", db)
    assert typo.exit_code == 1
    assert "no workspace 'clientbb' in this store (it has: clienta, clientb, clientc)" in (
        typo.stderr
    )
    monkeypatch.setenv("JAUGE_LANG", "fr")
    unknown = run("sync", "news", "--workspace", "clientb", "--db", db)
    assert unknown.exit_code == 1
    assert "pas de connexion 'news' dans l'espace de travail 'clientb'" in unknown.stderr
    assert "aucune pour l'instant" in unknown.stderr and "none yet" not in unknown.stderr


def test_sync_with_no_connection_at_all_says_so(tmp_path: Path) -> None:
    out = run("sync", "--db", str(tmp_path / "new.duckdb"))
    assert out.exit_code == 0
    assert "No connection yet: `jauge connect add` adds one." in out.stderr


# -- F3: the default workspace of a store that has only others ------------------------------


def test_reading_the_missing_default_workspace_names_the_stores_workspaces(
    tmp_path: Path,
) -> None:
    db = agency_store(tmp_path)
    message = (
        "no workspace 'default' in this store (it has: clienta, clientb, clientc): "
        "pass --workspace NAME"
    )
    for args in (("stats",), ("org", "list"), ("connect", "list")):
        out = run(*args, "--db", db, "--format", "json")
        assert out.exit_code == 1, args
        assert json.loads(out.stdout)["error"]["message"] == message
    # the Python API asks the same rule
    with jauge.open(db) as j, pytest.raises(NotFoundError, match="it has: clienta"):
        j.stats()
    # every workspace, as asked, is still counted
    whole = json.loads(run("stats", "--all-workspaces", "--db", db, "--format", "json").stdout)
    rows = pd.read_csv(AIRLINE_TWEETS)["tweet_id"].nunique()  # a tweet listed twice is one
    assert whole["entities"]["items"] == 500 + 2 * rows


def test_a_new_store_still_reads_as_empty(tmp_path: Path) -> None:
    out = run("stats", "--db", str(tmp_path / "new.duckdb"), "--format", "json")
    assert out.exit_code == 0
    assert set(json.loads(out.stdout)["entities"].values()) == {0}
    with jauge.open(tmp_path / "new2.duckdb") as j:
        assert j.stats().entities["items"] == 0


def test_person_find_says_which_workspaces_hold_the_person(tmp_path: Path) -> None:
    db = agency_store(tmp_path)
    out = run("person", "find", HANDLE, "--db", db, "--format", "json")
    assert out.exit_code == 1
    assert json.loads(out.stdout)["error"]["message"] == (
        f"no person's handle, name or id contains {HANDLE!r} in workspace 'default', but in "
        "the workspaces clientb, clientc: search them with --all-workspaces, or --workspace NAME"
    )
    everywhere = run("person", "find", HANDLE, "--all-workspaces", "--db", db, "--format", "json")
    found = json.loads(everywhere.stdout)
    theirs = int((pd.read_csv(AIRLINE_TWEETS)["name"] == HANDLE).sum())
    assert [(p["workspace"], p["items"]) for p in found] == [
        ("clientb", theirs),
        ("clientc", theirs),
    ]
    # nobody anywhere: the plain answer, exit status 0
    nobody = run("person", "find", "no-such-person-anywhere", "--db", db)
    assert nobody.exit_code == 0 and "no person's handle" in nobody.stdout


# -- F6: a store the server cannot open ----------------------------------------------------


def test_serve_refuses_a_store_it_cannot_open(tmp_path: Path) -> None:
    db = tmp_path / "no" / "such" / "x.duckdb"
    out = run("serve", "--db", str(db), "--port", str(free_port()))
    assert out.exit_code == 1
    assert f"cannot open the store {db}: the folder {db.parent} does not exist" in out.stderr
    assert "serving" not in out.stdout


def test_healthz_is_not_ok_when_the_store_cannot_be_opened(tmp_path: Path) -> None:
    from jauge.web import create_app

    gone = tmp_path / "moved" / "x.duckdb"
    with TestClient(create_app(str(gone))) as client:
        answer = client.get("/healthz")
    assert answer.status_code == 503
    body = answer.json()
    assert body["status"] == "unavailable" and body["warm"] is False
    assert "does not exist" in body["error"]["message"]
    with TestClient(create_app(str(tmp_path / "fine.duckdb"))) as client:
        assert client.get("/healthz").json()["status"] == "ok"


def test_healthz_is_never_warm_for_a_file_that_is_no_store(tmp_path: Path) -> None:
    from jauge.web import create_app

    not_a_store = tmp_path / "notes.duckdb"
    not_a_store.write_text("not a database\n")
    with TestClient(create_app(str(not_a_store))) as client:
        app = client.app.state.jauge  # type: ignore[attr-defined]
        client.get("/healthz")
        app.warmer.wait(app.gate.data_version())
        assert client.get("/healthz").json()["warm"] is False


# -- F9: exit statuses for service managers -------------------------------------------------


def test_an_address_refused_now_is_status_1_whether_port_or_host(tmp_path: Path) -> None:
    db = str(tmp_path / "s.duckdb")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        taken = run("serve", "--db", db, "--port", port)
    assert taken.exit_code == 1 and "pass another --port" in taken.stderr
    # TEST-NET-3 (RFC 5737): an address no machine here has
    elsewhere = run("serve", "--db", db, "--host", "203.0.113.5", "--port", port)
    assert elsewhere.exit_code == 1 and "pass another --host" in elsewhere.stderr
    # a name that can never resolve stays a usage error (test_cli_contracts.py)
    never = run("serve", "--db", db, "--host", "999.1.1.1", "--port", port)
    assert never.exit_code == 2 and "pass another --host" in never.stderr


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_serve_stopped_by_a_signal_ends_with_status_0(tmp_path: Path, stop: int) -> None:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "jauge", "serve", "--db", str(tmp_path / "s.duckdb"),
         "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        for _attempt in range(600):
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        server.send_signal(stop)
        assert server.wait(timeout=60) == 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def test_one_cron_line_syncs_every_workspace_and_names_each_result(tmp_path: Path) -> None:
    """An agency's clients share connection names ("news"): each result says whose it is."""
    db = agency_store(tmp_path)
    heise = FEEDS / "heise.atom"
    with Loopback() as server:
        server.scripts["/lemonde"] = [("file", LEMONDE)]
        server.scripts["/heise"] = [("file", heise)]
        for ws, path in (("clienta", "/lemonde"), ("clientb", "/heise")):
            added = run("connect", "add", "news", "--kind", "rss", "--url", server.url(path),
                        "--org", "BrandA", "--workspace", ws, "--db", db)  # fmt: skip
            assert added.exit_code == 0, added.output
        synced = run("sync", "--all-workspaces", "--db", db, "--format", "json")
        shown = run("sync", "--all-workspaces", "--db", db)
    assert synced.exit_code == 0, synced.output
    result = json.loads(synced.stdout)
    entries = heise.read_text("utf-8").count("<entry>")
    assert [(c["workspace"], c["name"], c["inserted"]) for c in result["connections"]] == [
        ("clienta", "news", 21),
        ("clientb", "news", entries),
    ]
    assert result["inserted"] == 21 + entries
    # the next round: nothing new, each line naming its workspace
    assert "clienta/news: not modified" in shown.stderr or "clienta/news: 0 new" in shown.stderr
    assert "clientb/news" in shown.stderr
    with jauge.open(db, workspace="clientb") as j:
        assert j.stats().entities["items"] > entries  # the feed's and the tweets'
    refused = run("sync", "news", "--all-workspaces", "--db", db)
    assert refused.exit_code == 2 and "give no NAME nor --workspace" in refused.stderr
