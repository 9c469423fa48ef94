"""Live sources against a real HTTP server on loopback replaying real RSS/Atom feeds:
conditional requests, 429 with Retry-After, a 500 then success, a connection reset,
malformed content, permanent errors. No test touches the internet."""

import json
import time
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner

import jauge
from jauge.cli.main import cli
from jauge.sources.connections import add_connection, list_connections, sync
from jauge.sources.http import USER_AGENT, HttpClient

from .conftest import FEEDS
from .loopback import Loopback

LEMONDE = FEEDS / "lemonde.xml"
HEISE = FEEDS / "heise.atom"


def fast_client() -> HttpClient:
    return HttpClient(attempts=4, timeout=5.0, max_wait=0.2)


@pytest.fixture
def server():  # type: ignore[no-untyped-def]
    with Loopback() as s:
        yield s


def entries(path: Path) -> int:
    return len(feedparser.parse(path.read_bytes()).entries)


def test_a_feed_syncs_once_then_answers_not_modified(server: Loopback, tmp_path: Path) -> None:
    server.scripts["/lemonde"] = [("file", LEMONDE)]
    with jauge.open(tmp_path / "s.duckdb") as j:
        add_connection(
            j.store, j.workspace, "lemonde", "rss", "Le Monde", {"url": server.url("/lemonde")}
        )
        first = sync(j.store, j.workspace, client_factory=fast_client)
        assert first.ok and first.connections[0].status == "written"
        assert j.stats().entities["items"] == entries(LEMONDE)
        second = sync(j.store, j.workspace, client_factory=fast_client)
        assert second.connections[0].status == "not_modified"
        assert j.stats().entities["items"] == entries(LEMONDE)
        state = list_connections(j.store, j.workspace)[0]
        assert state["last_status"] == "not_modified" and state["items_seen"] == entries(LEMONDE)
    _, headers = server.requests[-1]
    assert headers["If-None-Match"].startswith('"')
    assert headers["If-Modified-Since"] and headers["User-Agent"] == USER_AGENT


def test_transient_errors_are_retried(server: Loopback, tmp_path: Path) -> None:
    server.scripts["/flaky"] = [("status", 500, {}), ("file", HEISE)]
    server.scripts["/limited"] = [("status", 429, {"Retry-After": "1"}), ("file", LEMONDE)]
    server.scripts["/reset"] = [("reset",), ("file", HEISE)]
    with jauge.open(tmp_path / "s.duckdb") as j:
        for name in ("flaky", "limited", "reset"):
            add_connection(j.store, j.workspace, name, "rss", None, {"url": server.url(f"/{name}")})
        started = time.monotonic()
        result = sync(j.store, j.workspace, ["limited"], client_factory=fast_client)
        assert result.ok and time.monotonic() - started >= 1.0  # Retry-After honoured
        result = sync(j.store, j.workspace, ["flaky", "reset"], client_factory=fast_client)
        assert result.ok, result.to_dict()
        # heise is fetched twice (two connections) but stored once: keyed by native ids
        assert j.stats().entities["items"] == entries(LEMONDE) + entries(HEISE)
    assert [p for p, _ in server.requests].count("/flaky") == 2


def test_permanent_and_malformed_answers_fail_cleanly(server: Loopback, tmp_path: Path) -> None:
    server.scripts["/gone"] = [("status", 404, {})]
    server.scripts["/html"] = [("body", b"<html><body>not a feed</body></html>")]
    server.scripts["/good"] = [("file", LEMONDE)]
    with jauge.open(tmp_path / "s.duckdb") as j:
        for name in ("gone", "html", "good"):
            add_connection(j.store, j.workspace, name, "rss", None, {"url": server.url(f"/{name}")})
        result = sync(j.store, j.workspace, client_factory=fast_client)
        status = {c.name: c for c in result.connections}
        assert not result.ok
        assert status["gone"].status == "failed" and "does not exist" in status["gone"].message
        assert status["html"].status == "rejected" and "not an RSS" in status["html"].message
        assert status["good"].status == "written"  # one failure does not stop the others
        assert j.stats().entities["items"] == entries(LEMONDE)
        states = {c["name"]: c for c in list_connections(j.store, j.workspace)}
        assert "does not exist" in states["gone"]["last_error"]


def test_kept_failing_gives_up_with_a_message(server: Loopback, tmp_path: Path) -> None:
    server.scripts["/down"] = [("status", 503, {})]
    with jauge.open(tmp_path / "s.duckdb") as j:
        add_connection(
            j.store, j.workspace, "down", "rss", None, {"url": server.url("/down?token=secret")}
        )
        result = sync(j.store, j.workspace, client_factory=fast_client)
    message = result.connections[0].message
    assert "kept failing after 4 tries" in message and "secret" not in message


def test_cli_connect_and_sync(server: Loopback, tmp_path: Path) -> None:
    server.scripts["/feed"] = [("file", HEISE)]
    db = str(tmp_path / "s.duckdb")
    run = CliRunner().invoke
    out = run(
        cli,
        [
            "connect",
            "add",
            "heise",
            "--kind",
            "rss",
            "--url",
            server.url("/feed"),
            "--org",
            "heise",
            "--db",
            db,
            "--format",
            "json",
        ],
    )
    assert out.exit_code == 0 and json.loads(out.stdout)["kind"] == "rss"
    out = run(cli, ["sync", "--db", db, "--format", "json"])
    data = json.loads(out.stdout)
    assert out.exit_code == 0 and data["inserted"] == entries(HEISE)
    assert data["connections"][0]["status"] == "written"
    listed = json.loads(run(cli, ["connect", "list", "--db", db, "--format", "json"]).stdout)
    assert listed[0]["items_seen"] == entries(HEISE)
    bad = run(
        cli,
        [
            "connect",
            "add",
            "x",
            "--kind",
            "tweets-csv",
            "--url",
            "u",
            "--db",
            db,
            "--format",
            "json",
        ],
    )
    assert bad.exit_code == 1 and "cannot sync" in json.loads(bad.stdout)["error"]["message"]
    assert run(cli, ["connect", "remove", "heise", "--db", db]).exit_code == 0


@pytest.mark.parametrize("stop", ["SIGINT", "SIGTERM"])
def test_sync_every_keeps_going_until_ctrl_c(server: Loopback, tmp_path: Path, stop: str) -> None:
    """Stopped by Ctrl-C, or by SIGTERM as a service manager stops it: the same graceful
    stop, status 0 (QA, docs pass: SIGTERM gave 130, Ctrl-C 0)."""
    import os
    import signal
    import subprocess
    import sys

    server.scripts["/feed"] = [("file", HEISE)]
    db = str(tmp_path / "s.duckdb")
    with jauge.open(db) as j:
        add_connection(j.store, j.workspace, "heise", "rss", None, {"url": server.url("/feed")})
    exe = str(Path(sys.executable).parent / "jauge")
    process = subprocess.Popen(
        [exe, "sync", "--every", "1s", "--format", "json", "--db", db],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ},
    )
    deadline = time.monotonic() + 60
    while sum(p == "/feed" for p, _ in server.requests) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)  # two rounds: the first writes, the second finds nothing new
    process.send_signal(getattr(signal, stop))
    out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    rounds = [json.loads(line) for line in out.splitlines()]  # JSON Lines: a round a line
    assert len(rounds) >= 2
    assert rounds[0]["connections"][0]["status"] == "written"
    assert rounds[1]["connections"][0]["status"] == "not_modified"
    listed = CliRunner().invoke(cli, ["connect", "list", "--db", db], env={"JAUGE_LANG": "fr"})
    assert listed.exit_code == 0 and "inchangé" in listed.output
    assert "not_modified" not in listed.output


def test_every_takes_a_duration() -> None:
    from jauge.errors import ConfigError
    from jauge.sources.connections import parse_every

    assert parse_every("15m") == 900 and parse_every("30s") == 30 and parse_every("1h") == 3600
    with pytest.raises(ConfigError, match="15m"):
        parse_every("soon")


def test_sync_refuses_a_feed_cut_short_and_notes_a_flawed_one(
    server: Loopback, tmp_path: Path
) -> None:
    """Le Monde's real feed, served cut at 9,000 bytes and whole with an undeclared
    entity: the first is refused (nothing of it written), the second read with a note."""
    feed = LEMONDE.read_bytes()
    server.scripts["/cut"] = [("body", feed[:9000])]
    server.scripts["/flawed"] = [("body", feed.replace(b"</title>", b" &nbsp;</title>", 1))]
    db = str(tmp_path / "s.duckdb")
    run = CliRunner().invoke
    for name in ("cut", "flawed"):
        added = run(cli, ["connect", "add", name, "--kind", "rss", "--url", server.url(f"/{name}"),
                          "--org", "Le Monde", "--db", db])  # fmt: skip
        assert added.exit_code == 0, added.output
    out = run(cli, ["sync", "--db", db])
    assert out.exit_code != 0
    assert "✗ cut: the feed breaks off before its end" in out.stderr
    assert "note: flawed: the feed is not well-formed" in out.stderr
    assert "[red]" not in out.stderr
    with jauge.open(db) as j:
        assert j.items.num_rows == entries(LEMONDE)  # the whole feed's, once


def test_a_connection_to_something_that_is_no_web_address_is_refused(tmp_path: Path) -> None:
    db = str(tmp_path / "s.duckdb")
    run = CliRunner().invoke
    for kind, option, value in (
        ("rss", "--url", "not a url"),
        ("mastodon", "--instance", "mastodon.social"),
        ("bluesky", "--service", "ftp://bsky.example"),
    ):
        out = run(cli, ["connect", "add", "c", "--kind", kind, option, value, "--db", db,
                        "--format", "json"])  # fmt: skip
        message = json.loads(out.stdout)["error"]["message"]
        assert out.exit_code == 2 and message == (
            f"{option} takes a web address (http:// or https://), got {value!r}"
        ), message
    assert json.loads(run(cli, ["connect", "list", "--db", db, "--format", "json"]).stdout) == []


def test_a_host_that_cannot_be_reached_is_said_with_the_systems_reason() -> None:
    import socket

    from jauge.errors import ConnectorError

    with socket.socket() as s:  # a loopback port nobody listens on any more (a name that
        s.bind(("127.0.0.1", 0))  # does not resolve is no retry: test_qa_sync_graph_users)
        port = s.getsockname()[1]
    with pytest.raises(ConnectorError) as failed, HttpClient(attempts=2, max_wait=0.1) as client:
        client.get(f"http://127.0.0.1:{port}/feed")
    message = str(failed.value)
    assert f"127.0.0.1:{port}" in message and "(ConnectError: " in message
    assert not message.endswith("(ConnectError); try again later")
