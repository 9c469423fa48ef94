"""The CLI's contracts with scripts: exit statuses, one JSON document, options checked as
they are read, workspaces and stores that are not what the command line says, Ctrl-C."""

from __future__ import annotations

import csv
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result

import jauge
from jauge.cli.main import cli

from .conftest import AIRLINE_TWEETS, UCI_FACEBOOK

FACEBOOK_ARGS = ("--source", "facebook-insights", "--org", "Brand", "--year", "2014")


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def only_json(result: Result) -> Any:
    """The one JSON document of standard output."""
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of the UCI Facebook posts (Brand, default workspace) and the airline
    tweets; tests that write copy it."""
    db = tmp_path_factory.mktemp("base") / "base.duckdb"
    with jauge.open(db) as j:
        j.import_file(UCI_FACEBOOK, "facebook-insights", org="Brand", year=2014)
        j.import_file(AIRLINE_TWEETS, "tweets-csv")
    return db


@pytest.fixture
def store(base: Path, tmp_path: Path) -> str:
    copy = tmp_path / "store.duckdb"
    shutil.copy(base, copy)
    return str(copy)


def commands(group: click.Group = cli, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            found += commands(command, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


def command(path: tuple[str, ...]) -> click.Command:
    found: click.Command = cli
    for name in path:
        assert isinstance(found, click.Group)
        found = found.commands[name]
    return found


# -- an empty --db ----------------------------------------------------------------------

STORE_COMMANDS = [p for p in commands() if any(o.name == "db" for o in command(p).params)]


@pytest.mark.parametrize("path", STORE_COMMANDS, ids=" ".join)
def test_an_empty_db_is_a_usage_error_on_every_command(
    path: tuple[str, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--db "$DB"`` with DB unset: the engine would open a store in memory, report
    success, and lose everything when the command ends."""
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, [*path, "--db", ""])
    assert result.exit_code == 2, result.output
    assert "'--db'" in result.stderr and "empty" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_import_into_an_empty_db_writes_nothing_and_says_so_in_json(tmp_path: Path) -> None:
    result = invoke("import", str(UCI_FACEBOOK), *FACEBOOK_ARGS, "--db", "", "--format", "json")
    assert result.exit_code == 2
    error = only_json(result)["error"]
    assert error["code"] == "usage" and "'--db'" in error["message"]


# -- --delimiter and --encoding --------------------------------------------------------


def test_a_tab_typed_as_backslash_t_is_a_tab(tmp_path: Path) -> None:
    """The airline tweets saved tab-separated, imported with --delimiter '\\t' as typed
    in most shells."""
    with AIRLINE_TWEETS.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    tsv = tmp_path / "tweets.tsv"
    with tsv.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, delimiter="\t").writerows(rows)
    db = str(tmp_path / "s.duckdb")
    result = invoke("import", str(tsv), "--source", "tweets-csv", "--delimiter", "\\t",
                    "--db", db, "--format", "json")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert only_json(result)["inserted"] == len({r[0] for r in rows[1:]})


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--delimiter", ";;"),
        ("--delimiter", ""),
        ("--encoding", "nope"),
        ("--encoding", "base64"),  # a codec, not a text encoding
    ],
)
def test_an_unusable_delimiter_or_encoding_is_a_usage_error(
    option: str, value: str, tmp_path: Path
) -> None:
    db = str(tmp_path / "s.duckdb")
    args = ["import", str(UCI_FACEBOOK), *FACEBOOK_ARGS, option, value, "--db", db]
    result = invoke(*args, "--format", "json")
    assert result.exit_code == 2
    error = only_json(result)["error"]
    assert error["code"] == "usage" and f"'{option}'" in error["message"]
    table = invoke(*args)
    assert (
        table.exit_code == 2 and f"'{option}'" in table.stderr and "Traceback" not in table.output
    )


def test_a_file_that_is_not_in_the_encoding_given_is_rejected_and_named(tmp_path: Path) -> None:
    """UTF-16 needs its byte order mark, which the UCI file (UTF-8) does not start with."""
    db = str(tmp_path / "s.duckdb")
    result = invoke("import", str(UCI_FACEBOOK), *FACEBOOK_ARGS, "--encoding", "utf-16",
                    "--db", db, "--format", "json")  # fmt: skip
    assert result.exit_code == 1
    [file] = only_json(result)["files"]
    assert file["status"] == "rejected" and file["path"] == str(UCI_FACEBOOK)
    assert "--encoding" in file["errors"][0]["message"]


# -- counts, ports and option values: usage errors, as JSON when JSON is asked ---------


@pytest.mark.parametrize(
    "args",
    [
        ("people", "--org", "United", "--limit", "-1"),
        ("people", "--org", "United", "--limit", "0"),
        ("topics", "--org", "United", "--limit", "-1"),
        ("integrity", "--limit", "-5"),
        ("integrity", "--minutes", "0"),
        ("integrity", "--min-items", "0"),
        ("integrity", "--min-group", "1"),
        ("integrity", "--min-overlap", "1.5"),
        ("serve", "--port", "99999"),
        ("demo", "--no-serve", "--port", "0"),
    ],
    ids=" ".join,
)
def test_counts_and_ports_out_of_range_are_usage_errors(args: tuple[str, ...], store: str) -> None:
    result = invoke(*args, "--db", store)
    assert result.exit_code == 2
    assert f"'{args[-2]}'" in result.stderr and "range" in result.stderr


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (("score",), "--org"),
        (("value", "--org", "Brand", "--conversion-value", "-3"), "--conversion-value"),
        (("report", "--org", "Brand", "--lang", "de"), "--lang"),
        (("score", "--org", "Brand", "--from", "notadate"), "--from"),
        (("score", "--org", "Brand", "--from", "2014-03-01", "--to", "2014-01-01"), "--to"),
        (("compare", "--by", "org", "--from", "2014-03-01", "--to", "2014-01-01"), "--to"),
        (("value", "--org", "Brand", "--from", "soon"), "--from"),
        (("score", "--org", "Brand", "--engine", "nope"), "--engine"),
        (("score", "--org", "Brand", "--index-version", "nope"), "--index-version"),
        (("enrich", "--backend", "nope"), "--backend"),
        (("import", str(UCI_FACEBOOK), "--map", "nope"), "--map"),
        (("import", str(UCI_FACEBOOK), "--observed-at", "nope"), "--observed-at"),
        (("import", str(UCI_FACEBOOK), "--source", "nope"), "--source"),
        (("nosuchcommand",), "nosuchcommand"),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, tuple) else v,
)
def test_a_usage_error_is_one_json_document_with_exit_status_2(
    args: tuple[str, ...], option: str, store: str
) -> None:
    result = invoke(*args, "--db", store, "--format", "json")
    assert result.exit_code == 2, result.output
    error = only_json(result)["error"]
    assert error["code"] == "usage" and option in error["message"]
    table = CliRunner().invoke(cli, [*args, "--db", store])
    assert table.exit_code == 2 and table.stdout == "" and option in table.stderr


def test_an_address_that_does_not_resolve_is_blamed_on_the_host(store: str) -> None:
    result = invoke("serve", "--db", store, "--host", "999.1.1.1", "--port", "18766")
    assert result.exit_code == 2
    assert "--host" in result.stderr and "--port" not in result.stderr


# -- where reports and exports are written ----------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("report", "--org", "United", "--output", "{missing}/r.html", "--format", "json"),
        ("report", "--org", "United", "--output", "{folder}", "--format", "json"),
        ("report", "--org", "United", "--output", "-", "--format", "json"),
        ("graph", "export", "--org", "United", "--output", "{missing}/g.gexf"),
        ("panel", "export", "{missing}/p.json", "--format", "json"),
    ],
    ids=" ".join,
)
def test_a_destination_that_cannot_be_written_is_refused_before_the_work(
    args: tuple[str, ...], store: str, tmp_path: Path
) -> None:
    named = [a.format(missing=tmp_path / "no dir", folder=tmp_path) for a in args]
    result = invoke(*named, "--db", store)
    assert result.exit_code == 2, result.output
    said = only_json(result)["error"]["message"] if "json" in named else result.stderr
    assert "does not exist" in said or "folder" in said or "--format json" in said
    assert not (tmp_path / "no dir").exists()


# -- a single refused file: the same summary as in a batch -----------------------------


def test_a_single_file_refused_for_an_option_is_a_rejected_file_of_the_summary(
    tmp_path: Path,
) -> None:
    """The UCI export without --year: the summary names the file and keeps it in the
    history, as a batch does."""
    db = str(tmp_path / "s.duckdb")
    result = invoke("import", str(UCI_FACEBOOK), "--source", "facebook-insights", "--org",
                    "Brand", "--db", db, "--format", "json")  # fmt: skip
    assert result.exit_code == 1
    data = only_json(result)
    [file] = data["files"]
    assert file["status"] == "rejected" and file["path"] == str(UCI_FACEBOOK)
    [error] = data["errors"]
    assert error["file"] == str(UCI_FACEBOOK) and "--year" in error["message"]
    with jauge.open(db) as j:
        assert [(r["path"], r["status"]) for r in j.imports.to_pylist()] == [
            (str(UCI_FACEBOOK), "rejected")
        ]
    args = ["import", str(UCI_FACEBOOK), "--source", "facebook-insights", "--org", "Brand"]
    table = CliRunner().invoke(cli, [*args, "--db", db])
    assert table.exit_code == 1 and "rejected" in table.stdout and "--year" in table.stderr


# -- workspaces -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("org", "list"),
        ("integrity",),
        ("campaign", "list"),
        ("connect", "list"),
        ("people", "--org", "United"),
        ("voice", "--org", "United"),
        ("enrich",),
    ],
    ids=" ".join,
)
def test_an_unknown_workspace_is_refused_not_read_as_empty(
    args: tuple[str, ...], store: str
) -> None:
    result = invoke(*args, "--workspace", "acme", "--db", store, "--format", "json")
    assert result.exit_code == 1
    error = only_json(result)["error"]
    assert error["code"] == "not_found" and "no workspace 'acme'" in error["message"]


def test_writing_into_a_new_workspace_says_it_was_created(store: str) -> None:
    args = ["import", str(UCI_FACEBOOK), *FACEBOOK_ARGS, "--workspace", "Acme", "--db", store]
    first = CliRunner().invoke(cli, args)
    assert first.exit_code == 0
    assert "workspace 'Acme' did not exist: created it (the store had: default)" in first.stderr
    again = CliRunner().invoke(cli, args)
    assert again.exit_code == 0 and "created" not in again.stderr
    typo = CliRunner().invoke(cli, ["org", "add", "Rival", "--workspace", "ACME", "--db", store])
    assert typo.exit_code == 0 and "(the store had: Acme, default)" in typo.stderr
    no_year = ["import", str(UCI_FACEBOOK), "--source", "facebook-insights", "--org", "Brand"]
    refused = CliRunner().invoke(cli, [*no_year, "--workspace", "new", "--db", store])
    assert refused.exit_code == 1 and "created" not in refused.stderr  # nothing was written


# -- stores that cannot be written, or are not there -----------------------------------


def read_only_run(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``jauge ARGS`` run in ``folder`` made read-only: by its mode for a user, on a
    read-only mount of it for root (whom modes do not stop)."""
    command = [sys.executable, "-m", "jauge", *args]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in [folder, *folder.iterdir()]}
        for path in modes:
            path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            return subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True)
        finally:
            for path, mode in modes.items():
                path.chmod(mode)
    mount = 'mount --bind "$0" "$0" && mount -o remount,ro,bind "$0" "$0" && cd "$0"'
    probe = ["unshare", "-m", "sh", "-c", f'{mount} && ! touch "$0/.w"', str(folder)]
    if shutil.which("unshare") is None or subprocess.run(probe, capture_output=True).returncode:
        pytest.skip("no read-only mount here (unshare -m and mount need privileges)")
    return subprocess.run(["unshare", "-m", "sh", "-c", f'{mount} && exec "$@"', str(folder),
                           *command], env=env, capture_output=True, text=True)  # fmt: skip


def test_a_store_on_read_only_media_can_still_be_read(base: Path, tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    archive.mkdir()
    shutil.copy(base, archive / "s.duckdb")
    stats = read_only_run(archive, "stats", "--db", "s.duckdb", "--format", "json")
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout)["entities"]["organisations"] > 1
    score = read_only_run(
        archive, "score", "--org", "Brand", "--db", "s.duckdb", "--format", "json"
    )
    assert score.returncode == 0, score.stderr
    write = read_only_run(archive, "org", "add", "Rival", "--db", "s.duckdb")
    assert write.returncode == 1
    assert "cannot write to the store s.duckdb: it is read-only here" in write.stderr
    assert "IO Error" not in write.stderr
    # a reading command that would keep something (the first pseudonym key) says why not
    keyed = read_only_run(
        archive, "people", "--org", "United", "--pseudonymise", "--db", "s.duckdb"
    )
    assert keyed.returncode == 1 and "writes to the store, which is read-only here" in keyed.stderr


def test_a_store_in_a_folder_that_does_not_exist_says_so_in_the_readers_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = str(tmp_path / "nodir" / "s.duckdb")
    result = CliRunner().invoke(cli, ["stats", "--db", db])
    assert result.exit_code == 1
    assert f"the folder {tmp_path / 'nodir'} does not exist" in result.stderr
    monkeypatch.setenv("JAUGE_LANG", "fr")
    french = CliRunner().invoke(cli, ["import", str(UCI_FACEBOOK), *FACEBOOK_ARGS, "--db", db])
    assert french.exit_code == 1
    assert f"le dossier {tmp_path / 'nodir'} n'existe pas" in french.stderr


# -- Ctrl-C during an import ------------------------------------------------------------


@pytest.fixture(scope="module")
def big_tweets(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """200,000 real airline tweets resampled with new ids (as benchmarks/ingest.py
    resamples): long enough to read and merge to be interrupted on the way."""
    with AIRLINE_TWEETS.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        tweets, columns = list(reader), reader.fieldnames
    assert columns is not None
    rng = random.Random(2015)
    path = tmp_path_factory.mktemp("big") / "big_tweets.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, columns)
        writer.writeheader()
        for n in range(200_000):
            writer.writerow({**rng.choice(tweets), "tweet_id": str(6 * 10**17 + n)})
    return path


#: how a process is stopped from outside: Ctrl-C, and kill's default (a container or a
#: service stopping), which jauge takes as Ctrl-C
SIGNALS = {"signal": signal.SIGINT, "sigterm": signal.SIGTERM}


def interrupting(how: str) -> Callable[..., Any]:
    """A wrapper of a store method that interrupts the statements it runs: ``engine``
    as another thread can (``con.interrupt()``), ``signal`` as Ctrl-C does (SIGINT to
    this process, once), ``sigterm`` as ``kill`` does."""

    def wrap(original: Callable[..., Any]) -> Callable[..., Any]:
        def wrapped(self: Any, *args: Any, **kwargs: Any) -> Any:
            con, done = self.con, threading.Event()

            def interrupt() -> None:
                while not done.is_set():
                    if con.query_progress() >= 0:  # a statement is running
                        if how in SIGNALS:
                            os.kill(os.getpid(), SIGNALS[how])
                            return
                        con.interrupt()
                    time.sleep(0.005)

            thread = threading.Thread(target=interrupt, daemon=True)
            thread.start()
            try:
                return original(self, *args, **kwargs)
            finally:  # before the transaction is rolled back, which is not to be stopped
                done.set()
                thread.join()

        return wrapped

    return wrap


@pytest.mark.parametrize("how", ["engine", "signal", "sigterm"])
@pytest.mark.parametrize("stage", ["reading", "merging"])
def test_ctrl_c_during_an_import_is_an_interruption_never_the_files_fault(
    stage: str, how: str, big_tweets: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jauge.store.merge import Staging
    from jauge.store.stage import StageTable

    owner, name = (StageTable, "append_scan") if stage == "reading" else (Staging, "merge")
    monkeypatch.setattr(owner, name, interrupting(how)(getattr(owner, name)))
    db = str(tmp_path / "s.duckdb")
    result = CliRunner().invoke(
        cli, ["import", str(big_tweets), "--source", "tweets-csv", "--db", db, "--format", "json"]
    )
    assert result.exit_code == 130, result.output
    assert "interrupted: " in result.stderr
    # a script that asked for JSON reads one document, saying nothing was kept
    said = json.loads(result.stdout)["error"]
    assert said["code"] == "interrupted" and said["kept"] is False
    with jauge.open(db) as j:  # nothing written, and the file not blamed in the history
        assert j.items.num_rows == 0 and j.imports.num_rows == 0


def test_an_output_name_the_file_system_refuses_is_a_usage_error(tmp_path: Path) -> None:
    """Checked before the report is computed, as a folder that does not exist is."""
    name = str(tmp_path / ("report-" + "x" * 300 + ".html"))
    result = CliRunner().invoke(
        cli, ["report", "--org", "Brand", "--output", name, "--db", str(tmp_path / "s.duckdb")]
    )
    assert result.exit_code == 2
    assert "cannot write" in result.stderr and "File name too long" in result.stderr
    assert "Traceback" not in result.output
