"""A data subject's requests: right of access (`jauge person export`), finding who a request
names (`jauge person find`), forgetting in every workspace, and the dashboard's links to a
forgotten person. Real data: the airline tweets, a Reddit thread, a Mastodon timeline."""

from __future__ import annotations

import csv
import html
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import jauge
from jauge.cli.main import cli
from jauge.community.access import FORMAT, write_atomically

from .conftest import AIRLINE_TWEETS
from .test_mastodon import recorded as mastodon_recorded
from .test_reddit import recorded as reddit_recorded
from .webstore import WebStore


def run(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args))


def airline_store(tmp_path: Path, *workspaces: str) -> str:
    tmp_path.mkdir(exist_ok=True)
    db = str(tmp_path / "s.duckdb")
    for ws in workspaces:
        with jauge.open(db, workspace=ws) as j:
            assert j.import_file(AIRLINE_TWEETS, "tweets-csv").ok
    return db


def reddit_thread(tmp_path: Path) -> str:
    """The real r/redditdev thread: bboe's submission, paneer_burrito's comment on it,
    bboe's reply to that comment."""
    saved = tmp_path / "thread.json"
    saved.write_text(
        json.dumps(reddit_recorded("TestSubmission.test_comments.json", "/comments/2gmzqe"))
    )
    db = str(tmp_path / "r.duckdb")
    with jauge.open(db) as j:
        assert j.import_file(saved, "reddit", org="Reddit").ok
    return db


def test_an_export_holds_every_row_about_the_person_as_the_source_file_has_it(
    tmp_path: Path,
) -> None:
    """P8: the airline tweets of the person with the most located tweets, read back from
    the export: texts, tweet ids, dates, location, coordinates, the human sentiment label."""
    with AIRLINE_TWEETS.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    located = [r for r in rows if r["tweet_coord"] and r["tweet_location"]]
    handle = max({r["name"] for r in located}, key=lambda n: sum(r["name"] == n for r in rows))
    theirs = {r["tweet_id"]: r for r in rows if r["name"] == handle}
    db = airline_store(tmp_path, "default")
    out_file = tmp_path / "access.json"
    out_file.write_text("an older answer")
    out = run("person", "export", "@" + handle.upper(), "--db", db, "-o", str(out_file))
    assert out.exit_code == 0, out.output
    assert f"1 person, {len(theirs)} items" in out.stderr
    doc = json.loads(out_file.read_text(encoding="utf-8"))
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".access")] == []
    assert doc["format"] == FORMAT and doc["forgotten_in"] == []
    (person,) = doc["persons"]
    assert person["handle"] == handle and person["platform"] == "x"
    assert person["location"] == theirs[next(iter(theirs))]["tweet_location"]
    assert set(person["profile"]) == {
        "followers", "following", "posts", "has_avatar", "has_bio", "declared_bot"
    }  # fmt: skip
    items = {i["native_id"]: i for i in person["items"]}
    assert set(items) == set(theirs)
    for tweet_id, row in theirs.items():
        item = items[tweet_id]
        assert item["text"] == row["text"] and item["organisation"] == row["airline"]
        written = datetime.strptime(row["tweet_created"], "%Y-%m-%d %H:%M:%S %z")
        assert item["created_at"] == written.astimezone(UTC).replace(tzinfo=None).isoformat()
        assert item["imported"]["source"] == "tweets-csv"
        labels = {a["key"]: a["value"] for a in item["annotations"]}
        assert labels["sentiment.human"] == row["airline_sentiment"]
        assert item["snapshots"], tweet_id
        if row["tweet_coord"]:
            assert item["snapshots"][-1]["extra"]["coordinates"] == row["tweet_coord"]
    # the same answer from the Python API, and on standard output
    with jauge.open(db) as j:
        same = j.person_export(handle)
    assert same["persons"] == doc["persons"]
    printed = run("person", "export", handle, "--db", db)
    assert json.loads(printed.stdout)["persons"] == doc["persons"]


def test_an_export_shows_interactions_made_and_received_but_not_who_else(
    tmp_path: Path,
) -> None:
    """P8 on the Reddit thread: paneer_burrito's comment, what it answers, and bboe's reply
    to it, without naming bboe; once bboe is forgotten, their post is named by a keyed id,
    and asking for bboe says they were forgotten, and nothing else."""
    db = reddit_thread(tmp_path)
    out = run("person", "export", "paneer_burrito", "--db", db)
    assert out.exit_code == 0, out.output
    (person,) = json.loads(out.stdout)["persons"]
    assert [i["native_id"] for i in person["items"]] == ["t1_cklfmye"]
    assert person["items"][0]["reply_to"] == "t3_2gmzqe" and person["items"][0]["text"]
    made = person["interactions_made"]
    assert [(m["kind"], m["item"], m["target"]) for m in made] == [
        ("comment", "t1_cklfmye", "t3_2gmzqe")
    ]
    received = person["interactions_received"]
    assert [(r["kind"], r["target"]) for r in received] == [("comment", "t1_cklfmye")]
    assert "bboe" not in out.stdout and "t1_cklhv0f" not in out.stdout

    assert run("person", "forget", "bboe", "--db", db).exit_code == 0
    after = run("person", "export", "paneer_burrito", "--db", db)
    (person,) = json.loads(after.stdout)["persons"]
    assert person["items"][0]["reply_to"].startswith("i-")
    assert person["interactions_made"][0]["target"].startswith("i-")
    assert "t3_2gmzqe" not in after.stdout and len(person["interactions_received"]) == 1
    for asked in ("bboe", "@BBOE"):
        gone = run("person", "export", asked, "--db", db)
        assert gone.exit_code == 1 and gone.stdout == ""
        assert f"{asked!r} was forgotten (workspaces: default)" in gone.stderr
    with jauge.open(db) as j:
        ids = [r["item_id"] for r in j.sql("SELECT item_id FROM content_items").to_pylist()]
    assert not any(i in gone.stderr for i in ids) and "t1_cklhv0f" not in gone.stderr
    nobody = run("person", "export", "nobody_at_all_xyz", "--db", db)
    assert nobody.exit_code == 1 and "no person 'nobody_at_all_xyz'" in nobody.stderr
    # a script asking for JSON reads one JSON document, whatever went wrong
    scripted = run("person", "export", "bboe", "--db", db, "--format", "json")
    assert scripted.exit_code == 1
    error = json.loads(scripted.stdout)["error"]
    assert error["message"].startswith("'bboe' was forgotten")


def test_a_failed_export_leaves_the_file_it_would_replace(tmp_path: Path) -> None:
    """Written beside the file and renamed over it whole: a document that cannot be
    written (fault injection) leaves the older file as it was, and no temporary file."""

    class Unwritable:
        def __str__(self) -> str:
            raise RuntimeError("disk full")

    target = tmp_path / "access.json"
    target.write_text("the older answer")
    with pytest.raises(RuntimeError):
        write_atomically(target, {"persons": [{"text": Unwritable()}]})
    assert target.read_text() == "the older answer"
    assert [p.name for p in tmp_path.iterdir()] == ["access.json"]


def test_forgetting_says_which_other_workspaces_hold_the_handle_or_forgets_there_too(
    tmp_path: Path,
) -> None:
    """P9: the same tweets in two workspaces (two clients of one agency)."""
    db = airline_store(tmp_path, "default", "clientb")
    with jauge.open(db) as j:
        handle = j.people("United", limit=1)[0].handle
    out = run("person", "forget", handle, "--db", db)
    assert out.exit_code == 0, out.output
    assert f"{handle} is still held in the workspaces clientb" in out.stdout
    assert "--all-workspaces" in out.stdout
    both = run("person", "forget", handle, "--db", db, "--all-workspaces", "--workspace", "b")
    assert both.exit_code == 2 and "not both" in both.output

    db2 = airline_store(tmp_path / "again", "default", "clientb", "clientc")
    one = run("person", "forget", handle, "--db", db2, "--workspace", "clientb", "--format", "json")
    assert json.loads(one.stdout) == {"forgotten": 1, "still_held_in": ["clientc", "default"]}
    every = run("person", "forget", handle, "--db", db2, "--all-workspaces", "--format", "json")
    assert json.loads(every.stdout) == {
        "forgotten": 2,
        "workspaces": {"clientc": 1, "default": 1},
    }
    with jauge.open(db2) as j:
        left = j.sql("SELECT count(*) AS n FROM persons WHERE lower(handle) = lower(?)", [handle])
    assert left.to_pylist() == [{"n": 0}]
    gone = run("person", "export", handle, "--db", db2, "--all-workspaces")
    assert gone.exit_code == 1
    assert "was forgotten (workspaces: clientb, clientc, default)" in gone.stderr
    # asked in a workspace that does not hold them, while another does: it says where
    db3 = airline_store(tmp_path / "third", "default", "clientb")
    assert run("person", "forget", handle, "--db", db3).exit_code == 0
    there = run("person", "forget", handle, "--db", db3, "--format", "json")
    assert there.exit_code == 1
    assert json.loads(there.stdout)["error"]["message"] == (
        f"no person {handle!r} in workspace 'default', but in the workspaces clientb: "
        "forget them there with --all-workspaces, or --workspace NAME"
    )
    again = run("person", "forget", handle, "--db", db2, "--all-workspaces")
    assert again.exit_code == 1 and "in any workspace" in again.stderr


def test_a_person_is_found_by_part_of_their_name_or_id_whatever_the_case_and_accents(
    tmp_path: Path,
) -> None:
    """P10: a request names "John Lennon", not the Mastodon handle mastodonpy_test."""
    statuses, _ = mastodon_recorded("test_home_tl.yaml", "/api/v1/timelines/home")
    saved = tmp_path / "home.json"
    saved.write_text(json.dumps(statuses))
    db = str(tmp_path / "m.duckdb")
    with jauge.open(db) as j:
        assert j.import_file(saved, "mastodon", org="Acme").ok
    authored = sum(s["account"]["acct"] == "mastodonpy_test" for s in statuses)
    for text in ("john LÉNNON", "Localhost:3000/@MastodonPY", "pY_tEst"):
        out = run("person", "find", text, "--db", db, "--format", "json")
        assert out.exit_code == 0, out.output
        found = json.loads(out.stdout)
        assert [(p["handle"], p["display_name"]) for p in found] == [
            ("mastodonpy_test", "John Lennon")
        ], text
        assert found[0]["items"] == authored
    table = run("person", "find", "lennon", "--db", db)
    assert "mastodonpy_test" in table.stdout and "John Lennon" in table.stdout
    none = run("person", "find", "paul mccartney", "--db", db)
    assert none.exit_code == 0 and "no person's handle, name or id contains" in none.stdout
    # found, then served by the handle it shows; forgotten, never found again
    assert run("person", "export", "mastodonpy_test", "--db", db).exit_code == 0
    assert run("person", "forget", "mastodonpy_test", "--db", db).exit_code == 0
    after = run("person", "find", "lennon", "--db", db, "--format", "json")
    assert json.loads(after.stdout) == []
    forgotten = run("person", "find", "forgotten", "--db", db, "--format", "json")
    assert json.loads(forgotten.stdout) == []


def test_the_people_page_links_a_forgotten_person_to_a_page_that_opens(
    writable_client: Any, fresh_web_store: WebStore
) -> None:
    """P7: the People page names a forgotten person by their pseudonym and links it to
    their page, which finds them by it (no 404)."""
    from .test_web_pages import login

    with jauge.open(fresh_web_store.path, workspace="brands") as j:
        handle = j.people("United", limit=1)[0].handle
    out = run(
        "person", "forget", handle, "--db", str(fresh_web_store.path), "--workspace", "brands"
    )
    assert out.exit_code == 0, out.output
    client = login(writable_client, fresh_web_store.email("viewer"))
    page = client.get("/people", params={"org": "United"}).text
    table = page.split('data-testid="people"')[1].split("</table>")[0]
    links = re.findall(r'<a href="(/person\?[^"]+)">(p-[0-9a-f]{12})</a>', table)
    assert links and handle not in table
    for href, name in links:
        person = client.get(html.unescape(href))
        assert person.status_code == 200, (name, person.text[:300])
        assert name in person.text and handle not in person.text


def test_an_export_says_which_enrichment_steps_read_each_item(tmp_path: Path) -> None:
    """QA F6 (index 1.0.3 pass): `enrichment_log` holds a row per item and step of
    `jauge enrich`; the export gives the person's, and only theirs."""
    db = airline_store(tmp_path, "default")
    with jauge.open(db) as j:
        j.enrich(backend="fast")
        handle = j.sql(
            "SELECT p.handle FROM persons p JOIN content_items c ON c.author_person_id = "
            "p.person_id GROUP BY p.handle ORDER BY count(*) DESC, p.handle LIMIT 1"
        ).to_pylist()[0]["handle"]
        logged = j.sql(
            "SELECT count(*) AS n FROM enrichment_log WHERE item_id IN (SELECT c.item_id FROM "
            "content_items c JOIN persons p ON p.person_id = c.author_person_id "
            "WHERE p.handle = ?)",
            [handle],
        ).to_pylist()[0]["n"]
        doc = j.person_export(handle)
    (person,) = doc["persons"]
    steps = [s for item in person["items"] for s in item["enrichment"]]
    assert logged > 0 and len(steps) == logged
    assert {s["step"] for s in steps} >= {"language", "sentiment"}
