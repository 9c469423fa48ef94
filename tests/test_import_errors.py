"""Bad input: every error names file, line and field, and a rejected file writes nothing."""

import csv
import gzip
import html
import io
from pathlib import Path

import pytest

import jauge

from .conftest import AIRLINE_TWEETS, UCI_FACEBOOK


def rows_and_header() -> tuple[list[str], list[list[str]]]:
    with AIRLINE_TWEETS.open(newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        return header, list(reader)


def write(path: Path, header: list[str], rows: list[list[str]], **kw: str) -> Path:
    encoding = kw.pop("encoding", "utf-8")
    with path.open("w", newline="", encoding=encoding) as f:
        w = csv.writer(f, lineterminator="\n", **kw)
        w.writerow(header)
        w.writerows(rows)
    return path


def start_line(header: list[str], rows: list[list[str]], index: int) -> int:
    """The physical line where data row ``index`` (0-based) starts, counting quoted newlines."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows[:index])
    return buf.getvalue().count("\n") + 1


def test_a_broken_value_rejects_the_file_and_names_line_and_field(
    handle: jauge.Jauge, tmp_path: Path
) -> None:
    header, rows = rows_and_header()
    # pick a row that comes after tweets whose text spans several lines
    index = next(i for i, r in enumerate(rows) if i > 5 and any("\n" in x[10] for x in rows[:i]))
    rows[index][header.index("retweet_count")] = "lots"
    path = write(tmp_path / "broken.csv", header, rows)
    result = handle.import_file(path, "tweets-csv")
    assert not result.ok
    data = result.to_dict()
    assert data["invalid"] == 1 and data["inserted"] == 0
    [error] = data["errors"]
    assert error == {
        "file": str(path),
        "line": start_line(header, rows, index),
        "field": "retweet_count",
        "message": 'expected a whole number of 0 or more, got "lots"',
    }
    assert handle.stats().entities["items"] == 0 and handle.stats().entities["persons"] == 0


def test_skip_invalid_writes_the_valid_rows_and_reports_the_rest(
    handle: jauge.Jauge, tmp_path: Path
) -> None:
    header, rows = rows_and_header()
    for i in (3, 30, 300):
        rows[i][header.index("tweet_created")] = "yesterday"
    path = write(tmp_path / "three-bad.csv", header, rows)
    result = handle.import_file(path, "tweets-csv", skip_invalid=True)
    assert result.ok
    assert result.to_dict()["invalid"] == 3
    assert [e.line for e in result.errors] == [start_line(header, rows, i) for i in (3, 30, 300)]
    assert all(e.field == "tweet_created" for e in result.errors)
    stored = handle.stats().entities["items"]
    assert stored == len({r[0] for i, r in enumerate(rows) if i not in (3, 30, 300)})


def test_at_most_twenty_errors_are_listed_then_a_count(handle: jauge.Jauge, tmp_path: Path) -> None:
    header, rows = rows_and_header()
    for r in rows[:50]:
        r[header.index("retweet_count")] = "-1"
    result = handle.import_file(write(tmp_path / "many.csv", header, rows), "tweets-csv")
    [file] = result.files
    assert len(file.errors) == 20 and file.error_count == 50 and file.invalid == 50


def test_a_row_with_the_wrong_number_of_values_is_named(
    handle: jauge.Jauge, tmp_path: Path
) -> None:
    header, rows = rows_and_header()
    path = write(tmp_path / "short.csv", header, rows[:10])
    text = path.read_text().splitlines(keepends=True)
    text.insert(4, "569,positive,1.0\n")
    path.write_text("".join(text))
    result = handle.import_file(path, "tweets-csv")
    assert not result.ok
    [error] = result.errors
    assert error.line == 5 and "expected 15 values, found 3" in error.message
    assert handle.stats().entities["items"] == 0


def test_values_past_the_engine_s_default_line_size_are_read(
    handle: jauge.Jauge, tmp_path: Path
) -> None:
    header, rows = rows_and_header()
    texts = " ".join(r[header.index("text")] for r in rows)
    long_text = (texts * (2_500_000 // len(texts) + 1))[:2_500_000]  # past 2 MB
    rows[51][header.index("text")] = long_text
    path = write(tmp_path / "long.csv", header, rows[:200])
    result = handle.import_file(path, "tweets-csv")
    assert result.ok, result.errors
    [stored] = handle.sql(
        f"SELECT length(text) AS n FROM content_items WHERE native_id = '{rows[51][0]}'"
    ).to_pylist()
    assert stored["n"] > 2_000_000


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])  # the engine's reader, and Arrow's
def test_a_row_past_the_longest_read_is_named_by_its_line(
    handle: jauge.Jauge, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, encoding: str
) -> None:
    from jauge.sources import files

    monkeypatch.setattr(files, "MAX_ROW_BYTES", 1 << 20)  # 1 MB instead of 16: a small file
    header, rows = rows_and_header()
    rows = [r for r in rows[:200] if "".join(r).isascii()]
    texts = " ".join(r[header.index("text")] for r in rows)
    # past twice the limit: Arrow reads a row over two of its blocks (of the limit's size)
    rows[51][header.index("text")] = texts * (2_500_000 // len(texts) + 1)
    path = write(tmp_path / "long.csv", header, rows, encoding=encoding)
    result = handle.import_file(path, "tweets-csv", encoding=encoding)
    assert not result.ok and handle.stats().entities["items"] == 0
    [error] = result.errors
    assert error.line == start_line(header, rows, 51)
    assert error.message.startswith("a row is longer than 1 MB") and len(error.message) < 200


def test_a_quote_left_open_is_named_by_its_line(handle: jauge.Jauge, tmp_path: Path) -> None:
    header, rows = rows_and_header()
    path = write(tmp_path / "quote.csv", header, rows)
    lines = path.read_text(encoding="utf-8").split("\n")
    index = 40  # a tweet on one line, as most are
    line = start_line(header, rows, index)
    assert lines[line - 1].startswith(rows[index][0] + ",")
    lines[line - 1] = lines[line - 1].replace(",", ',"', 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    result = handle.import_file(path, "tweets-csv")
    assert not result.ok
    assert [e.line for e in result.errors] == [line]
    assert "quotes are not closed" in result.errors[0].message


def test_gzip_files_are_read_and_a_truncated_one_writes_nothing(
    handle: jauge.Jauge, tmp_path: Path
) -> None:
    whole = tmp_path / "tweets.csv.gz"
    whole.write_bytes(gzip.compress(AIRLINE_TWEETS.read_bytes()))
    assert handle.import_file(whole, "tweets-csv").ok
    expected = handle.stats().entities["items"]

    other = jauge.open(tmp_path / "other.duckdb")
    cut = tmp_path / "cut.csv.gz"
    data = whole.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    result = other.import_file(cut, "tweets-csv")
    assert not result.ok and "truncated or corrupt" in result.errors[0].message
    assert result.errors[0].file == str(cut)
    # what the engine adds to its message (the statement it ran) is not the user's concern
    assert "read_csv" not in result.errors[0].message and "\n" not in result.errors[0].message
    assert other.stats().entities["items"] == 0 and expected > 0
    other.close()


def test_an_empty_file_is_refused_with_a_clear_message(handle: jauge.Jauge, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    result = handle.import_file(empty, "tweets-csv")
    assert not result.ok and result.errors[0].message.startswith("the file is empty")


def test_a_file_of_the_wrong_kind_names_the_missing_columns(handle: jauge.Jauge) -> None:
    result = handle.import_file(UCI_FACEBOOK, "tweets-csv", org="X")
    assert not result.ok
    message = result.errors[0].message
    assert "does not look like a tweets-csv file" in message and "'text'" in message
    assert handle.stats().entities["items"] == 0


def test_an_unknown_source_lists_the_known_ones(handle: jauge.Jauge) -> None:
    with pytest.raises(jauge.NotFoundError, match="facebook-insights"):
        handle.import_file(UCI_FACEBOOK, "myspace-export")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1"])
def test_each_encoding_gives_the_same_texts(
    handle: jauge.Jauge, tmp_path: Path, encoding: str
) -> None:
    header, rows = rows_and_header()
    keep = []
    for r in rows:
        try:
            "".join(r).encode(encoding)
        except UnicodeEncodeError:
            continue
        keep.append(r)
    if encoding == "cp1252":  # make sure the characters only cp1252 has are there
        keep[0][header.index("text")] += " – “quoted” €5 œuvre"
    path = write(tmp_path / f"{encoding}.csv", header, keep, encoding=encoding)
    assert handle.import_file(path, "tweets-csv").ok
    stored = {
        r["native_id"]: r["text"]
        for r in handle.sql("SELECT native_id, text FROM content_items").to_pylist()
    }
    expected = {r[0]: r[header.index("text")] for r in keep}
    unescape = {
        k: v.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
        for k, v in expected.items()
    }
    assert stored == unescape


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_delimiters_are_detected(handle: jauge.Jauge, tmp_path: Path, delimiter: str) -> None:
    header, rows = rows_and_header()
    path = write(tmp_path / "delimited.txt", header, rows, delimiter=delimiter)
    result = handle.import_file(path, "tweets-csv")
    assert result.ok and result.to_dict()["inserted"] == len({r[0] for r in rows})


def test_line_numbers_stay_exact_deep_into_a_large_file(
    handle: jauge.Jauge, tmp_path: Path
) -> None:
    """The engine reads large files in parallel; rows must still map to their lines."""
    from benchmarks.ingest import generate

    path = tmp_path / "posts.csv"
    generate(path, 120_000)
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = list(reader)
    for index in (70_000, 119_999):
        rows[index][header.index("reach")] = "n/a"
    write(path, header, rows)
    result = handle.import_file(path, "posts-csv")
    assert not result.ok
    assert [(e.line, e.field) for e in result.errors] == [
        (start_line(header, rows, 70_000), "reach"),
        (start_line(header, rows, 119_999), "reach"),
    ]
    assert start_line(header, rows, 119_999) > 120_001  # quoted newlines were counted


def test_a_column_named_twice_is_read_under_a_new_name_and_the_user_told(
    handle: jauge.Jauge, tmp_path: Path
) -> None:
    header, rows = rows_and_header()
    # a second "text" column (after the others), holding the tweets' locations: the first
    # one is what tweets-csv reads; the second keeps its values under "text (2)"
    path = write(
        tmp_path / "twice.csv",
        [*header, "text"],
        [[*r, r[header.index("tweet_location")]] for r in rows],
    )
    result = handle.import_file(path, "tweets-csv")
    assert result.ok and result.to_dict()["inserted"] == len({r[0] for r in rows})
    # (the real tweets repeat some ids: the second note says so)
    assert result.files[0].warnings[0] == (
        "the header names 'text' twice: the later one is read as 'text (2)'"
    )
    texts = set(handle.items.to_pandas()["text"])
    assert {html.unescape(r[header.index("text")]) for r in rows[:50]} <= texts


def test_carriage_returns_alone_end_lines(handle: jauge.Jauge, tmp_path: Path) -> None:
    # the UCI file with the line endings of old Macs (and of some spreadsheet exports)
    mac = tmp_path / "mac.csv"
    mac.write_bytes(UCI_FACEBOOK.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r"))
    result = handle.import_file(mac, "facebook-insights", org="Mac", year=2014)
    assert result.ok and result.to_dict()["inserted"] == 500
    # a carriage return before anything else (found by schemathesis): a clear refusal,
    # with or without a source, never a crash
    # a row with values too many, and one with too few: found where they are
    lines = mac.read_bytes().split(b"\r")
    lines[20] += b";0;0"
    lines[30] = lines[30].rsplit(b";", 5)[0]
    mac.write_bytes(b"\r".join(lines))
    result = handle.import_file(mac, "facebook-insights", org="Mac", year=2014)
    assert [(e.line, e.message) for e in result.errors] == [
        (21, "expected 19 values, found 21"),
        (31, "expected 19 values, found 14"),
    ]
    odd = tmp_path / "odd.csv"
    odd.write_bytes(b"\r0")
    for source in ("posts-csv", None):
        refused = handle.import_file(odd, source)
        assert not refused.ok
        assert refused.errors[0].message == "the first line should name the columns"


@pytest.mark.parametrize("crlf_rows", [40, 1500])
def test_a_file_mixing_line_ends_is_read_and_its_lines_counted(
    handle: jauge.Jauge, tmp_path: Path, crlf_rows: int
) -> None:
    """Tweets saved on Windows (\\r\\n) with more pasted under them from a Unix tool (\\n):
    the change comes within the file's first bytes, or only near its end."""
    header, rows = rows_and_header()
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([header, *rows[:crlf_rows]])
    csv.writer(out, lineterminator="\n").writerows(rows[crlf_rows:])
    mixed = tmp_path / "mixed.csv"
    mixed.write_bytes(out.getvalue().encode("utf-8"))
    result = handle.import_file(mixed, "tweets-csv")
    assert result.ok, result.errors
    assert result.total("inserted") + result.total("unchanged") == len({r[0] for r in rows})
    # a broken value in the part with Unix line ends is named at its line
    broken = [*rows]
    broken[-3] = [*broken[-3][:9], "many", *broken[-3][10:]]  # retweet_count
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([header, *broken[:crlf_rows]])
    csv.writer(out, lineterminator="\n").writerows(broken[crlf_rows:])
    mixed.write_bytes(out.getvalue().encode("utf-8"))
    refused = handle.import_file(mixed, "tweets-csv")
    assert [(e.line, e.field) for e in refused.errors] == [
        (start_line(header, broken, len(broken) - 3), "retweet_count")
    ]


def test_a_windows_export_whose_first_accent_comes_late_is_read_as_such(
    handle: jauge.Jauge, tmp_path: Path
) -> None:
    """Real tweets saved in Windows-1252, those without an accent first (more than the
    first bytes jauge samples), then the others: read whole, with their accents."""
    header, rows = rows_and_header()
    plain = [r for r in rows if "".join(r).isascii()]

    def windows(row: list[str]) -> bool:  # accented, and all of it in Windows-1252
        text = "".join(row)
        return (
            not text.isascii() and text.encode("cp1252", errors="ignore").decode("cp1252") == text
        )

    accented = [r for r in rows if windows(r)]
    assert accented
    path = write(tmp_path / "windows.csv", header, [*plain, *accented], encoding="cp1252")
    assert path.stat().st_size > 3 * (1 << 16)
    result = handle.import_file(path, "tweets-csv")
    assert result.ok, result.errors[:3]
    texts = {r["native_id"]: r["text"] for r in handle.items.to_pylist()}
    # (the tweets' own HTML entities, "&amp;", are read as the characters they stand for)
    assert all(texts[r[0]] == html.unescape(r[header.index("text")]) for r in accented)


def test_ctrl_c_during_an_import_writes_nothing_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C while the UCI posts are being merged (raised where the engine would raise
    it): nothing of the file is written, the history does not blame the file, and the
    command says it was interrupted, with a shell's status for SIGINT."""
    import duckdb
    from click.testing import CliRunner

    from jauge.cli.main import cli
    from jauge.sources.files import CsvReader
    from jauge.store.merge import Staging

    def interrupted(self: Staging, ctx: object) -> None:
        raise duckdb.InterruptException("INTERRUPT Error: Interrupted!")

    monkeypatch.setattr(Staging, "merge", interrupted)
    db = str(tmp_path / "s.duckdb")
    args = ["import", str(UCI_FACEBOOK), "--source", "facebook-insights", "--org", "Brand",
            "--year", "2014", "--db", db]  # fmt: skip
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 130 and "interrupted: " in result.stderr
    with jauge.open(db) as j:
        assert j.items.num_rows == 0 and j.imports.num_rows == 0
    # while the engine reads the file, an interrupt is not taken for a broken file
    reader = CsvReader(UCI_FACEBOOK)
    con = duckdb.connect()
    with pytest.raises(duckdb.InterruptException), reader.engine_reading(con):
        raise duckdb.InterruptException("INTERRUPT Error: Interrupted!")
    con.close()
