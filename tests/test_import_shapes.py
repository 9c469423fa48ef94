"""A JSON file in another shape than JSON lines, an import with nothing valid, output cut by
a pipe, and a mastodon connection asked two things at once."""

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

import jauge
from jauge.cli.main import cli
from jauge.sources.connections import add_connection, sync

from .conftest import AIRLINE_TWEETS, DATA, FRENCH_TWEETS_JSONL
from .loopback import Loopback
from .test_mastodon import fast_client

NESTED = {
    "author_id": "account",
    "public_metrics.like_count": "reactions",
    "public_metrics.retweet_count": "shares",
    "public_metrics.reply_count": "comments",
}
TWEETS = [json.loads(line) for line in FRENCH_TWEETS_JSONL.read_text().splitlines()]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_a_pretty_printed_array_of_posts_is_read_with_each_post_s_line(
    handle: jauge.Jauge, tmp_path: Path
) -> None:
    saved = tmp_path / "tweets.json"
    saved.write_text(json.dumps(TWEETS, indent=2, ensure_ascii=False))
    result = handle.import_file(saved, "posts-jsonl", org="Media", platform="x", mapping=NESTED)
    assert result.ok, result.errors
    assert result.to_dict()["inserted"] == len(TWEETS)
    total = handle.sql("SELECT sum(reactions) AS n FROM metric_snapshots").to_pylist()[0]["n"]
    assert total == sum(t["public_metrics"]["like_count"] for t in TWEETS)
    # an invalid post is named by the line where it starts in the document
    broken = [dict(t) for t in TWEETS[:3]]
    broken[2]["created_at"] = "bad"
    saved.write_text(json.dumps(broken, indent=2, ensure_ascii=False))
    starts = [i + 1 for i, ln in enumerate(saved.read_text().splitlines()) if ln == "  {"]
    result = handle.import_file(saved, "posts-jsonl", org="Media", platform="x", mapping=NESTED)
    assert not result.ok
    assert [(e.line, e.field) for e in result.errors] == [(starts[2], "created_at")]


def test_an_api_answer_holding_its_posts_is_detected_and_read(tmp_path: Path) -> None:
    saved = tmp_path / "answer.json"
    saved.write_text(json.dumps({"data": TWEETS, "meta": {"result_count": 3}}, indent=2))
    code, out = run("import", str(saved), "--platform", "x", "--db", str(tmp_path / "s.duckdb"))
    assert code == 0, out
    assert "posts-jsonl" in out and "not valid JSON" not in out
    # an array saved whole is detected too when its objects are posts
    listed = tmp_path / "listed.json"
    listed.write_text(json.dumps(TWEETS, indent=1))
    code, out = run("import", str(listed), "--platform", "x", "--db", str(tmp_path / "s.duckdb"))
    assert code == 0, out


def test_a_document_without_rows_is_refused_once_saying_what_it_is(tmp_path: Path) -> None:
    several = tmp_path / "by_account.json"  # as fusion.json of the same data set groups them
    several.write_text(json.dumps({"1": TWEETS[:2], "2": TWEETS[2:4]}, indent=2))
    code, out = run("import", str(several), "--platform", "x", "--format", "json",
                     "--db", str(tmp_path / "s.duckdb"))  # fmt: skip
    assert code == 1
    errors = json.loads(out)["errors"]
    assert len(errors) == 1 and errors[0]["line"] == 1
    assert "not JSON Lines" in errors[0]["message"] and "(1, 2)" in errors[0]["message"]
    # a saved cassette of the Reddit API: one document, read as such (no error per line)
    cassette = DATA / "reddit-api-cassettes" / "TestSubredditListings.test_hot.json"
    code, out = run("import", str(cassette), "--format", "json", "--db", str(tmp_path / "s.duckdb"))
    assert code == 1
    assert not any("not valid JSON" in e["message"] for e in json.loads(out)["errors"])


def test_jsonl_with_a_broken_first_line_still_names_that_line(
    handle: jauge.Jauge, tmp_path: Path
) -> None:
    lines = FRENCH_TWEETS_JSONL.read_text().splitlines()
    saved = tmp_path / "t.jsonl"
    saved.write_text("\n".join(["{broken", *lines[1:]]) + "\n")
    result = handle.import_file(
        saved, "posts-jsonl", org="Media", platform="x", mapping=NESTED, skip_invalid=True
    )
    assert result.ok and result.to_dict()["inserted"] == len(lines) - 1


def test_skip_invalid_with_no_valid_row_is_refused(tmp_path: Path) -> None:
    rows = AIRLINE_TWEETS.read_text(encoding="utf-8").splitlines(keepends=True)
    header = rows[0].rstrip("\r\n").split(",")
    at = header.index("tweet_created")
    bad = tmp_path / "allbad.csv"
    # the first rows with their date spoiled (their text holds no quoted comma before it)
    spoiled = []
    for row in rows[1:40]:
        cells = row.rstrip("\r\n").split(",")
        if len(cells) == len(header):
            cells[at] = "bad"
            spoiled.append(",".join(cells) + "\n")
    bad.write_text(rows[0] + "".join(spoiled), encoding="utf-8")
    code, out = run("import", str(bad), "--source", "tweets-csv", "--skip-invalid",
                    "--format", "json", "--db", str(tmp_path / "s.duckdb"))  # fmt: skip
    assert code == 1
    data = json.loads(out)
    assert data["files"][0]["status"] == "rejected" and data["inserted"] == 0
    assert "no row is valid" in data["errors"][0]["message"]


def test_output_cut_by_a_pipe_exits_quietly_with_status_0(tmp_path: Path) -> None:
    # a real pipe whose reader stops at once, as `| head -1` does
    done = subprocess.run(
        f"set -o pipefail; {sys.executable} -m jauge sentiment --input {AIRLINE_TWEETS} "
        "--backend fast | head -c 1 > /dev/null",
        shell=True,
        executable="/bin/bash",
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "Error" not in done.stderr and "Traceback" not in done.stderr


def test_mastodon_options_that_exclude_each_other_are_refused(tmp_path: Path) -> None:
    code, out = run("connect", "add", "t", "--kind", "mastodon", "--instance",
                    "https://example.social", "--hashtag", "a", "--account", "b",
                    "--db", str(tmp_path / "s.duckdb"))  # fmt: skip
    assert code == 2 and "--hashtag, --account exclude each other" in out
    assert not (tmp_path / "s.duckdb").exists()


def test_an_unknown_mastodon_account_is_said_so(tmp_path: Path) -> None:
    with Loopback() as server, jauge.open(tmp_path / "s.duckdb") as j:  # lookup: 404
        add_connection(j.store, j.workspace, "acme", "mastodon", "Acme",
                       {"instance": server.url(""), "account": "nobody"})  # fmt: skip
        result = sync(j.store, j.workspace, client_factory=fast_client)
    assert not result.ok
    said = json.dumps(result.to_dict())
    assert "the account nobody does not exist on" in said, said
