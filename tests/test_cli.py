"""The command line, through click's runner and once through the installed `jauge` command."""

import csv
import json
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import jauge
from jauge.cli.main import cli

from .conftest import AIRLINE_TWEETS, UCI_FACEBOOK


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout


def test_import_json_is_exactly_one_object_with_the_contract_fields(tmp_path: Path) -> None:
    db = str(tmp_path / "s.duckdb")
    code, out = run(
        "import",
        str(UCI_FACEBOOK),
        "--source",
        "facebook-insights",
        "--org",
        "Brand",
        "--year",
        "2014",
        "--db",
        db,
        "--format",
        "json",
    )
    assert code == 0
    data = json.loads(out)
    assert {"inserted", "updated", "unchanged", "invalid", "errors"} <= set(data)
    assert (data["inserted"], data["invalid"], data["errors"]) == (500, 0, [])
    code, out = run(
        "import",
        str(UCI_FACEBOOK),
        "--source",
        "facebook-insights",
        "--org",
        "Brand",
        "--year",
        "2014",
        "--db",
        db,
        "--format",
        "json",
    )
    assert code == 0 and json.loads(out)["unchanged"] == 500


def test_a_batch_goes_on_past_a_file_that_lacks_an_option(tmp_path: Path) -> None:
    """The real French media tweets, two parts given a platform column and one as
    published (none): the one without is rejected in the batch's one JSON object,
    named, and the others are written."""
    from .conftest import FRENCH_MAP, FRENCH_TWEETS_CSV

    with FRENCH_TWEETS_CSV.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    parts = []
    for n, chunk in enumerate((rows[:40], rows[40:80]), start=1):
        part = tmp_path / f"part{n}.csv"
        with part.open("w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, [*rows[0], "platform"])
            writer.writeheader()
            writer.writerows({**r, "platform": "x"} for r in chunk)
        parts.append(str(part))
    mapping = [arg for k, v in FRENCH_MAP.items() for arg in ("--map", f"{k}={v}")]
    files = [parts[0], str(FRENCH_TWEETS_CSV), parts[1]]
    db = str(tmp_path / "s.duckdb")
    code, out = run("import", *files, "--source", "posts-csv", *mapping, "--org", "Médias",
                    "--db", db, "--format", "json")  # fmt: skip
    data = json.loads(out)
    assert code == 1
    assert [f["status"] for f in data["files"]] == ["written", "rejected", "written"]
    assert data["inserted"] == len({r["id_tweet"] for r in rows[:80]})
    [error] = data["errors"]
    assert error["file"] == str(FRENCH_TWEETS_CSV) and "--platform" in error["message"]
    with jauge.open(db) as j:  # the history keeps the rejected file too
        history = {r["path"]: r["status"] for r in j.imports.to_pylist()}
    assert history == {parts[0]: "written", str(FRENCH_TWEETS_CSV): "rejected", parts[1]: "written"}
    # alone, the same file is rejected in the same summary, named
    code, out = run("import", str(FRENCH_TWEETS_CSV), "--source", "posts-csv", *mapping,
                    "--db", db, "--format", "json")  # fmt: skip
    data = json.loads(out)
    assert code == 1 and [f["status"] for f in data["files"]] == ["rejected"]
    assert data["errors"][0]["file"] == str(FRENCH_TWEETS_CSV)


def test_a_rejected_file_exits_non_zero_and_lists_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    text = AIRLINE_TWEETS.read_text().splitlines(keepends=True)
    text[1] = text[1].replace("2015-02-22 20:23:27 -0800", "not a date")
    bad.write_text("".join(text))
    code, out = run(
        "import",
        str(bad),
        "--source",
        "tweets-csv",
        "--db",
        str(tmp_path / "s.duckdb"),
        "--format",
        "json",
    )
    assert code == 1
    data = json.loads(out)
    assert data["invalid"] == 1 and data["inserted"] == 0
    assert data["errors"][0]["line"] == 2 and data["errors"][0]["field"] == "tweet_created"
    assert set(data["errors"][0]) == {"file", "line", "field", "message"}


def test_usage_errors_are_json_too(tmp_path: Path) -> None:
    code, out = run("score", "--db", str(tmp_path / "s.duckdb"), "--format", "json")
    assert code == 2
    assert json.loads(out)["error"]["code"] == "usage"


def test_sources_lists_every_importer(tmp_path: Path) -> None:
    code, out = run("sources", "--format", "json")
    names = [s["name"] for s in json.loads(out)]
    assert code == 0
    assert names == sorted(names)
    assert {"facebook-insights", "tweets-csv", "posts-csv", "posts-jsonl", "rss"} <= set(names)


def test_stats_counts_per_entity_organisation_and_platform(tmp_path: Path) -> None:
    db = str(tmp_path / "s.duckdb")
    run("import", str(AIRLINE_TWEETS), "--source", "tweets-csv", "--db", db)
    code, out = run("stats", "--db", db, "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert data["entities"]["interactions"] == data["entities"]["items"] > 0
    assert len(data["organisations"]) == 6
    assert [p["platform"] for p in data["platforms"]] == ["x"]
    # a mistyped workspace is refused, naming those the store has, rather than counted empty
    typo = CliRunner().invoke(cli, ["stats", "--db", db, "--workspace", "defualt"])
    assert typo.exit_code != 0
    assert "no workspace 'defualt'" in typo.stderr and "(it has: default)" in typo.stderr


def test_demo_builds_a_fresh_store_and_refuses_to_wipe_real_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = str(tmp_path / "demo.duckdb")
    code, out = run("demo", "--db", db, "--no-serve")
    assert code == 0 and "Next:" in out
    # the dashboard's login, for the `jauge serve` it suggests
    email, password = re.search(r"Log in as (\S+) with the password (\S+) ", out).groups()
    from jauge.users import check_password

    with jauge.open(db) as j:
        assert check_password(j.store, email, password) is not None
    # every command it suggests on the demo store works as printed
    monkeypatch.chdir(tmp_path)
    suggested = [
        shlex.split(re.split(r"\s{3,}", line.strip())[0])
        for line in out.split("Next:")[1].splitlines()
        if line.strip().startswith("jauge ")
    ]
    runnable = [c for c in suggested if c[1] not in ("serve", "import")]
    assert [c[1] for c in runnable] == ["stats", "score", "compare", "report", "sources"]
    for command in runnable:
        assert run(*command[1:])[0] == 0, command
    assert list(tmp_path.glob("jauge-report-*.html"))
    code, out = run("demo", "--db", db, "--format", "json")
    data = json.loads(out)
    assert data["stats"]["entities"]["items"] == 500  # fresh each time, not doubled
    real = str(tmp_path / "real.duckdb")
    run(
        "import",
        str(UCI_FACEBOOK),
        "--source",
        "facebook-insights",
        "--org",
        "B",
        "--year",
        "2014",
        "--db",
        real,
    )
    code, out = run("demo", "--db", real, "--format", "json")
    assert code == 1 and "fresh store" in json.loads(out)["error"]["message"]


def test_every_command_has_examples_in_its_help() -> None:
    for name in cli.commands:
        code, out = run(name, "--help")
        assert code == 0 and "Examples:" in out and "jauge " + name in out, name


def test_the_installed_command_runs(tmp_path: Path) -> None:
    exe = shutil.which("jauge") or str(Path(__import__("sys").executable).parent / "jauge")
    done = subprocess.run(
        [exe, "sources", "--format", "json"], capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout)


def test_tables_keep_every_value_whole_in_a_file_and_fit_a_narrow_terminal(
    tmp_path: Path,
) -> None:
    db = str(tmp_path / "s.duckdb")
    run("import", str(AIRLINE_TWEETS), "--source", "tweets-csv", "--db", db)
    people = ["people", "--org", "United", "--limit", "30", "--db", db]
    handles = [p["handle"] for p in json.loads(run(*people, "--format", "json")[1])]
    assert max(map(len, handles)) >= 12  # long enough to be cut short on 80 columns

    def shown(*args: str, columns: str | None) -> list[str]:
        result = CliRunner().invoke(cli, list(args), env={"COLUMNS": columns})
        assert result.exit_code == 0, result.output
        return result.stdout.splitlines()

    # written to a file or a pipe (no COLUMNS): nothing is cut short or wrapped
    lines = shown(*people, columns=None)
    assert all("…" not in line for line in lines)
    assert handles == [line.split()[0] for line in lines[3:]]  # title, header, rule
    # on an 80-column terminal: every line fits; handles and figures stay whole
    lines = shown(*people, columns="80")
    assert max(map(len, lines)) <= 80
    rows = [line.split() for line in lines if line.split() and line.split()[0] in handles]
    assert [r[0] for r in rows] == handles
    # topical relevance, whole (then network position, sentiment, followers, authenticity)
    assert all(r[-5].endswith("%") for r in rows)

    compare = ["compare", "--by", "org", "--org", "United", "--org", "Delta", "--db", db]
    narrow, wide = shown(*compare, columns="80"), shown(*compare, columns="120")
    assert max(map(len, narrow)) <= 80 and "█" not in "".join(narrow)  # bars give way
    assert "█" in "".join(wide)
    for lines in (narrow, wide):
        delta = next(line for line in lines if line.startswith("Delta"))
        assert "significant rise" in delta and "…" not in delta
        assert len(re.findall(r"\[\d+\.\d, \d+\.\d\]", delta)) == 1  # the interval, whole
    score = shown("score", "--org", "United", "--db", db, columns="80")
    assert max(map(len, score[2:])) <= 80
    assert any(line.split()[:3] == ["Net", "sentiment", score[1].split()[0]] for line in score)


def test_empty_lists_say_what_would_fill_them(tmp_path: Path) -> None:
    db = str(tmp_path / "s.duckdb")
    assert run("org", "list", "--db", db) == (
        0,
        "No organisation yet: `jauge import` creates them from what it reads.\n",
    )
    args = ("--source", "facebook-insights", "--org", "Brand", "--year", "2014", "--db", db)
    assert run("import", str(UCI_FACEBOOK), *args)[0] == 0
    # a page's own posts, with no text and nobody else talking: nothing to list, and why
    expected = {
        ("people", "--org", "Brand"): "Nobody else talks about Brand in this period",
        ("topics", "--org", "Brand"): "No term comes up again in these items",
        ("campaign", "list"): "No campaign yet: `jauge campaign add` defines one.",
        ("connect", "list"): "No connection yet: `jauge connect add` adds one.",
    }
    for command, said in expected.items():
        code, out = run(*command, "--db", db)
        assert code == 0 and said in out and "─" not in out, (command, out)
    code, out = run("people", "--org", "Brand", "--db", db, "--format", "csv")
    assert out.splitlines() == [
        "handle,platform,persistence,activated_audience,relationship,topical_relevance,"
        "network_position,sentiment,followers,authenticity"
    ]


def _commands(
    group: click.Group, path: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], click.Command]]:
    found = []
    for name, command in group.commands.items():
        found.append(((*path, name), command))
        if isinstance(command, click.Group):
            found += _commands(command, (*path, name))
    return found


def test_every_example_of_every_help_parses_as_written() -> None:
    """The lines of each command's Examples, pasted into a shell as they are, give
    click arguments it takes (a comment without its # would be extra arguments)."""
    checked = 0
    for _path, command in _commands(cli):
        # a line ending in \ goes on on the next, as in a shell
        text = (command.epilog or "").replace("\\\n", " ")
        for line in text.splitlines():
            line = line.strip()
            if not line.startswith("jauge "):
                continue
            lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
            lexer.whitespace_split, lexer.commenters = True, "#"
            words = list(lexer)
            # what the shell takes (> file, | less) is not the command's
            operators = [i for i, w in enumerate(words) if set(w) <= set("<>|&;")]
            args = words[1 : operators[0] if operators else None]
            try:
                ctx = cli.make_context("jauge", list(args))
                group: click.Command = cli
                while isinstance(group, click.Group) and [*ctx._protected_args, *ctx.args]:
                    name, sub, rest = group.resolve_command(ctx, [*ctx._protected_args, *ctx.args])
                    assert sub is not None, line
                    ctx = sub.make_context(name or "", rest, parent=ctx)
                    group = sub
            except click.BadParameter:
                pass  # a value for this machine (a file the example names): parsed as written
            except click.UsageError as exc:
                raise AssertionError(f"{line}: {exc}") from exc
            checked += 1
    assert checked > 30
