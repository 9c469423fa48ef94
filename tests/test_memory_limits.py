"""When the embedded engine runs out of the memory it may use, the user is told which
setting gives it more, not the engine's own advice (`SET memory_limit`) or a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from jauge.cli.main import cli


@pytest.fixture(scope="module")
def posts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """benchmarks/ingest.py's posts, resampled from the real files."""
    from benchmarks.ingest import generate

    path = tmp_path_factory.mktemp("memory") / "posts.csv"
    generate(path, 100_000)
    return path


def run(*args: str, env: dict[str, str]) -> tuple[int, dict]:
    result = CliRunner().invoke(cli, [*args, "--format", "json"], env=env)
    return result.exit_code, json.loads(result.stdout)


def test_an_import_short_of_memory_names_the_import_setting(posts: Path, tmp_path: Path):
    code, data = run(
        "import", str(posts), "--source", "posts-csv", "--db", str(tmp_path / "s.duckdb"),
        env={"JAUGE_IMPORT_MEMORY_LIMIT": "8MB"},
    )  # fmt: skip
    assert code == 1 and data["inserted"] == 0
    (error,) = data["errors"]
    assert error["message"].startswith("the import ran out of memory (")
    assert "raise JAUGE_IMPORT_MEMORY_LIMIT (now 8MB" in error["message"]
    assert "SET memory_limit" not in error["message"]


def test_a_command_short_of_memory_names_the_setting(posts: Path, tmp_path: Path):
    db = str(tmp_path / "s.duckdb")
    code, _ = run("import", str(posts), "--source", "posts-csv", "--db", db, env={})
    assert code == 0
    code, data = run(
        "compare", "--by", "period", "--every", "month", "--db", db,
        env={"JAUGE_MEMORY_LIMIT": "2MB"},
    )  # fmt: skip
    assert code == 1 and data["error"]["code"] == "config"
    assert data["error"]["message"].startswith(
        "the engine ran out of memory: raise JAUGE_MEMORY_LIMIT (now 2MB"
    )


def test_an_import_too_short_of_memory_to_record_its_refusal_still_says_why(
    posts: Path, tmp_path: Path
):
    # 1MB: not even the import history's row fits; the command says what to raise, in the
    # import's own words and JSON shape (it said to ask for fewer organisations)
    code, data = run(
        "import", str(posts), "--source", "posts-csv", "--db", str(tmp_path / "s.duckdb"),
        env={"JAUGE_IMPORT_MEMORY_LIMIT": "1MB"},
    )  # fmt: skip
    assert code == 1 and data["inserted"] == 0 and "error" not in data
    (error,) = data["errors"]
    assert "the import ran out of memory (" in error["message"]
    assert "raise JAUGE_IMPORT_MEMORY_LIMIT (now 1MB" in error["message"]


def test_a_file_over_several_read_buffers_is_read_whole(tmp_path: Path) -> None:
    """Rows that straddle the engine's read buffers are read like the others. Given both
    a buffer size and a longest row, DuckDB 2.0.1 read most rows across a buffer's end
    as broken: a valid 497 MB file of 2,000,000 posts was refused at its 1,009,632nd
    line. When the buffer was a quarter of the import's limit, 281MB made one of
    70,228,377 bytes, whose end falls inside a row of this 72 MB file."""
    from benchmarks.ingest import generate

    path = tmp_path / "posts.csv"
    generate(path, 290_000)
    assert path.stat().st_size > 71_000_000
    code, out = run(
        "import", str(path), "--source", "posts-csv", "--db", str(tmp_path / "s.duckdb"),
        env={"JAUGE_IMPORT_MEMORY_LIMIT": "281MB"},
    )  # fmt: skip
    assert (code, out["inserted"], out["invalid"], out["errors"]) == (0, 290_000, 0, [])
