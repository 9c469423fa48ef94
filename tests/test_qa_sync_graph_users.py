"""QA findings D4, D5, D11 and D12: `sync --every` stopped between rounds, a host name that
does not exist, the graph's CSV export with its nodes, and `user add` without a terminal.
Real feeds on a loopback server, real subprocesses, the airline tweets; no internet."""

from __future__ import annotations

import csv
import json
import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import jauge
from jauge.cli.main import cli
from jauge.community.graph import interaction_graph
from jauge.errors import ConnectorError
from jauge.sources.connections import add_connection
from jauge.sources.http import HttpClient
from jauge.users import add_workspace, check_password

from .conftest import AIRLINE_TWEETS, FEEDS
from .loopback import Loopback

HEISE = FEEDS / "heise.atom"
JAUGE = str(Path(sys.executable).parent / "jauge")
#: a name that cannot exist (RFC 2606 reserves .invalid)
NOWHERE = "brand.example.invalid"


def jauge_process(*args: str, lang: str = "en", **kwargs: Any) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [JAUGE, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "JAUGE_LANG": lang},
        **kwargs,
    )


# D4 — `jauge sync --every` stopped between rounds, and during one


@pytest.mark.parametrize(
    ("lang", "stopped", "stopping"),
    [
        ("en", "sync stopped while waiting for the next round", "stopping after"),
        ("fr", "synchronisation arrêtée en attendant le tour suivant", "arrêt après"),
    ],
)
def test_sync_every_stopped_between_rounds_ends_with_0_and_says_so(
    tmp_path: Path, lang: str, stopped: str, stopping: str
) -> None:
    """A round where a connection failed, then Ctrl-C while waiting for the next: nothing
    is cut short, so status 0 (it was 1), and no promise to finish a connection."""
    db = str(tmp_path / "s.duckdb")
    with Loopback() as server:
        server.scripts["/feed"] = [("file", HEISE)]  # /gone answers 404: a failure
        with jauge.open(db) as j:
            add_connection(j.store, j.workspace, "heise", "rss", None, {"url": server.url("/feed")})
            add_connection(j.store, j.workspace, "gone", "rss", None, {"url": server.url("/gone")})
        process = jauge_process("sync", "--every", "1h", "--format", "json", "--db", db, lang=lang)
        assert process.stdout is not None
        first = json.loads(process.stdout.readline())  # the round is over: it waits an hour
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
    assert {c["name"]: c["status"] for c in first["connections"]} == {
        "heise": "written",
        "gone": "failed",
    }
    assert process.returncode == 0, err
    assert stopped in err and stopping not in err
    assert out == ""  # nothing more: no round began after the stop


class HeldFeed:
    """A loopback server whose answer (a 404) waits until the test lets it go: a stop
    requested then surely comes while a connection is being synced."""

    def __init__(self) -> None:
        self.asked, self.release = threading.Event(), threading.Event()
        held = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                held.asked.set()
                held.release.wait(60)
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/feed"

    def close(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def test_sync_every_stopped_during_a_round_finishes_the_connection_as_before(
    tmp_path: Path,
) -> None:
    db = str(tmp_path / "s.duckdb")
    server = HeldFeed()
    try:
        with jauge.open(db) as j:
            add_connection(j.store, j.workspace, "held", "rss", None, {"url": server.url()})
        process = jauge_process("sync", "--every", "1h", "--db", db)
        assert process.stderr is not None
        assert server.asked.wait(60)
        process.send_signal(signal.SIGINT)
        said = process.stderr.readline()  # the handler's line, while the request waits
        server.release.set()
        _out, err = process.communicate(timeout=60)
    finally:
        server.close()
    assert "stopping after the current connection (Ctrl-C again to abort)" in said
    assert "✗ held:" in err and "HTTP 404" in err  # the connection finished, and failed
    assert "while waiting for the next round" not in err
    assert process.returncode == 1


# D5 — a host name that does not resolve is not retried


@pytest.fixture
def unknown_host() -> None:
    try:
        socket.getaddrinfo(NOWHERE, 443)
    except socket.gaierror as exc:
        if exc.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", None)):
            return
    pytest.skip("this machine's resolver does not say that a name does not exist")


def test_a_host_that_does_not_exist_fails_at_once_saying_so(unknown_host: None) -> None:
    tries: list[str] = []
    client = HttpClient(attempts=4, timeout=5.0, max_wait=0.2)
    client._client.event_hooks["request"].append(lambda request: tries.append(str(request.url)))
    with client, pytest.raises(ConnectorError) as caught:
        client.get(f"https://{NOWHERE}/feed.xml?token=secret")
    assert str(caught.value) == (
        f"host {NOWHERE} not found: check the address https://{NOWHERE}/feed.xml"
    )
    assert len(tries) == 1  # asked once: no retry


def test_a_refused_connection_is_still_retried() -> None:
    with socket.socket() as s:  # a loopback port nobody listens on any more
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    tries: list[str] = []
    client = HttpClient(attempts=3, timeout=5.0, max_wait=0.05)
    client._client.event_hooks["request"].append(lambda request: tries.append(str(request.url)))
    with client, pytest.raises(ConnectorError, match="kept failing after 3 tries"):
        client.get(f"http://127.0.0.1:{port}/feed.xml")
    assert len(tries) == 3


def test_sync_and_import_say_the_host_was_not_found(unknown_host: None, tmp_path: Path) -> None:
    db = str(tmp_path / "s.duckdb")
    run = CliRunner().invoke
    added = run(cli, ["connect", "add", "brand-tag", "--kind", "mastodon", "--instance",
                      f"https://{NOWHERE}", "--hashtag", "brand", "--db", db])  # fmt: skip
    assert added.exit_code == 0, added.output
    synced = run(cli, ["sync", "--db", db, "--format", "json"])
    assert synced.exit_code == 1
    (connection,) = json.loads(synced.stdout)["connections"]
    assert connection["status"] == "failed"
    assert connection["message"].startswith(f"host {NOWHERE} not found: check the address")
    listed = run(cli, ["connect", "list", "--db", db], env={"JAUGE_LANG": "fr"})
    assert f"hôte {NOWHERE} introuvable" in " ".join(listed.output.split())
    imported = run(cli, ["import", f"https://{NOWHERE}/feed.xml", "--source", "rss", "--db", db])
    assert imported.exit_code == 1
    assert f"host {NOWHERE} not found" in imported.output
    assert "kept failing" not in imported.output


# D11 — the graph's CSV export: the edges, and the nodes next to them


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def airline_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = str(tmp_path_factory.mktemp("graph") / "s.duckdb")
    with jauge.open(db) as j:
        j.import_file(AIRLINE_TWEETS, "tweets-csv")
    yield db


def test_the_csv_export_writes_the_nodes_next_to_the_edges(
    airline_store: str, tmp_path: Path
) -> None:
    edges_path, nodes_path = tmp_path / "u.csv", tmp_path / "u.nodes.csv"
    out = CliRunner().invoke(cli, ["graph", "export", "--org", "United", "--format", "csv",
                                   "--output", str(edges_path), "--db", airline_store])  # fmt: skip
    assert out.exit_code == 0, out.output
    with jauge.open(airline_store) as j:
        graph = interaction_graph(j.store, j.workspace, "United")
    nodes, edges = read_csv(nodes_path), read_csv(edges_path)
    assert list(nodes[0]) == ["node", "handle", "platform", "name", "kind"]
    keys = ("handle", "platform", "name", "kind")
    assert {n["node"]: {k: n[k] for k in keys} for n in nodes} == {
        node: {k: str(d[k] or "") for k in keys} for node, d in graph.nodes(data=True)
    }
    assert any(n["kind"] == "organisation" and n["node"] == "org:United" for n in nodes)
    assert {e["source"] for e in edges} | {e["target"] for e in edges} <= {n["node"] for n in nodes}
    said = " ".join(out.stderr.split())
    assert said == (
        f"wrote {edges_path} ({graph.number_of_edges():,} edges) and {nodes_path} "
        f"({graph.number_of_nodes():,} nodes)"
    )


@pytest.mark.parametrize("fmt", ["csv", "graphml"])
def test_an_output_of_dash_is_standard_output_as_the_help_says(
    airline_store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    monkeypatch.chdir(tmp_path)
    out = CliRunner().invoke(cli, ["graph", "export", "--org", "United", "--format", fmt,
                                   "--output", "-", "--db", airline_store])  # fmt: skip
    assert out.exit_code == 0, out.output
    assert list(tmp_path.iterdir()) == []  # no file named "-"
    assert out.stdout.startswith("source,source_handle,target" if fmt == "csv" else "<?xml")


def test_a_panel_exported_to_dash_is_written_to_standard_output(
    airline_store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    out = CliRunner().invoke(cli, ["panel", "export", "-", "--db", airline_store])
    assert out.exit_code == 0, out.output
    assert list(tmp_path.iterdir()) == []
    assert json.loads(out.stdout)["strata"] and "wrote panel" in out.stderr
    both = CliRunner().invoke(cli, ["panel", "export", "-", "--format", "json",
                                    "--db", airline_store])  # fmt: skip
    assert both.exit_code == 2 and "give a file name" in both.output


def test_the_pseudonymised_csv_export_names_its_nodes_as_its_edges(
    airline_store: str, tmp_path: Path
) -> None:
    edges_path = tmp_path / "hidden.csv"
    out = CliRunner().invoke(cli, ["graph", "export", "--org", "United", "--format", "csv",
                                   "--output", str(edges_path), "--pseudonymise",
                                   "--db", airline_store])  # fmt: skip
    assert out.exit_code == 0, out.output
    nodes, edges = read_csv(tmp_path / "hidden.nodes.csv"), read_csv(edges_path)
    ids = {n["node"] for n in nodes}
    assert {e["source"] for e in edges} | {e["target"] for e in edges} | {"org:United"} == ids
    persons = [n for n in nodes if n["kind"] == "person"]
    assert persons and all(n["handle"] == n["node"] and n["name"] == "" for n in persons)


@pytest.mark.parametrize(
    ("lang", "graph_help", "people_help"),
    [
        ("en", "The organisation whose graph it is.", "The organisation they talk about."),
        ("fr", "L'organisation dont c'est le graphe.", "L'organisation dont ils parlent."),
    ],
)
def test_org_has_help_in_graph_export_and_people(
    lang: str, graph_help: str, people_help: str
) -> None:
    run = CliRunner().invoke
    graph = run(cli, ["graph", "export", "--help"], env={"JAUGE_LANG": lang})
    people = run(cli, ["people", "--help"], env={"JAUGE_LANG": lang})
    assert graph_help in graph.output and people_help in people.output


# D12 — `jauge user add`: the workspace first, and no terminal to ask on


def test_user_add_refuses_an_unknown_workspace_before_asking_a_password(tmp_path: Path) -> None:
    db = str(tmp_path / "s.duckdb")
    out = CliRunner().invoke(
        cli, ["user", "add", "ana@agency.example", "--workspace", "nope", "--role", "viewer",
              "--db", db], input="",
    )  # fmt: skip
    assert out.exit_code == 1
    assert "no workspace 'nope': create it first with `jauge workspace add nope`" in out.output
    assert "Password" not in out.output and "Aborted" not in out.output


def test_user_add_without_a_terminal_says_how_to_give_the_password(tmp_path: Path) -> None:
    db = str(tmp_path / "s.duckdb")
    with jauge.open(db) as j:
        add_workspace(j.store, "acme")
    args = ("user", "add", "ana@agency.example", "--workspace", "acme", "--role", "viewer",
            "--db", db)  # fmt: skip
    process = jauge_process(*args, stdin=subprocess.DEVNULL)
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 2, err
    assert "Aborted" not in err
    assert (
        "error: no terminal to ask the password on: put it in an environment variable and "
        "name it with --password-env" in " ".join(err.split())
    )
    as_json = jauge_process(*args, "--format", "json", stdin=subprocess.DEVNULL)
    out, _err = as_json.communicate(timeout=60)
    assert as_json.returncode == 2
    assert json.loads(out)["error"]["code"] == "usage"
    # a password piped in, as scripts do, is still read
    piped = jauge_process(*args, stdin=subprocess.PIPE)
    _out, err = piped.communicate("a long password\na long password\n", timeout=60)
    assert piped.returncode == 0, err
    with jauge.open(db) as j:
        assert check_password(j.store, "ana@agency.example", "a long password")
