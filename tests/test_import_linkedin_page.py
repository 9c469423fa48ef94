"""The linkedin-page importer: real posts and real counts, in LinkedIn's export layout.

No LinkedIn Page export is public, so the workbook is built from two real datasets: the
posts of one French news medium (their ids, texts, dates and likes, replies and reposts,
from the French media tweets) and the impressions, clicks, type and paid flag of a real
brand page's posts (the UCI Facebook metrics, row by row). Their columns are laid out as
LinkedIn's content export names them, as public code that reads it lists them: a sheet
of daily metrics, then "All posts", one post per row under a row of notes.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlwt

import jauge

from .conftest import FRENCH_TWEETS_CSV, UCI_FACEBOOK

MEDIUM = "24744541"  # the first account of the French media sample
HEADER = (
    "Post title", "Post link", "Post type", "Campaign name", "Posted by", "Created date",
    "Campaign start date", "Campaign end date", "Audience", "Impressions",
    "Views (excluding off-site video views)", "Off-site views", "Clicks",
    "Click through rate (CTR)", "Likes", "Comments", "Reposts", "Follows", "Engagement rate",
    "Content Type",
)  # fmt: skip
#: the older layout, where posts were "updates"
OLD_HEADER = (
    "Update title", "Update link", "Update type", "Campaign name", "Posted by",
    "Created date", "Campaign start date", "Campaign end date", "Audience", "Impressions",
    "Video views", "Clicks", "Click through rate (CTR)", "Likes", "Comments", "Shares",
    "Follows", "Engagement rate",
)  # fmt: skip
NOTES = "All posts: posts published in the period, with their performance"
CONTENT_TYPES = {"Photo": "Image", "Status": "Text", "Link": "Article", "Video": "Video"}


def posts() -> list[dict[str, Any]]:
    """The medium's real posts, each with the next real page post's impressions, clicks,
    type and paid flag."""
    with FRENCH_TWEETS_CSV.open(newline="", encoding="utf-8") as f:
        tweets = [t for t in csv.DictReader(f) if t["id_compte"] == MEDIUM]
    with UCI_FACEBOOK.open(newline="", encoding="utf-8") as f:
        page = list(csv.DictReader(f, delimiter=";"))
    return [
        {
            "id": t["id_tweet"],
            "text": t["text"],
            "created": datetime.fromisoformat(f"{t['date']}T{t['heure_UTC0']}"),
            "likes": int(t["like_count"]),
            "comments": int(t["reply_count"]),
            "reposts": int(t["retweet_count"]),
            "impressions": int(p["Lifetime Post Total Impressions"]),
            "clicks": int(p["Lifetime Post Consumptions"]),
            "type": CONTENT_TYPES[p["Type"]],
            "sponsored": p["Paid"] == "1",
        }
        for t, p in zip(tweets, page, strict=False)
    ]


def link(post: dict[str, Any]) -> str:
    return f"https://www.linkedin.com/feed/update/urn:li:activity:{post['id']}"


def rows(items: list[dict[str, Any]], *, old: bool = False, dates: bool = False) -> list[list[Any]]:
    """The "All posts" rows; ``dates``: date cells, as a workbook may hold them, rather
    than LinkedIn's US text."""
    out = []
    for p in items:
        created = p["created"] if dates else p["created"].strftime("%m/%d/%Y")
        engaged = p["likes"] + p["comments"] + p["reposts"] + p["clicks"]
        row = [
            p["text"], link(p), "Sponsored" if p["sponsored"] else "Organic", "",
            "Le Monde", created, "", "", "All followers", p["impressions"], "",
        ]  # fmt: skip
        if not old:
            row.append("")  # off-site views
        row += [p["clicks"], round(p["clicks"] / p["impressions"], 4), p["likes"]]
        row += [p["comments"], p["reposts"], 0, round(engaged / p["impressions"], 4)]
        if not old:
            row.append(p["type"])
        out.append(row)
    return out


def daily_metrics(items: list[dict[str, Any]]) -> list[list[Any]]:
    """The first sheet: impressions per day, which is no post."""
    days: dict[str, int] = {}
    for p in items:
        day = p["created"].strftime("%m/%d/%Y")
        days[day] = days.get(day, 0) + p["impressions"]
    return [["Date", "Impressions (organic)"], *([d, n] for d, n in sorted(days.items()))]


def write_xls(path: Path, items: list[dict[str, Any]], *, old: bool = False) -> Path:
    book = xlwt.Workbook(encoding="utf-8")
    metrics = book.add_sheet("Metrics")
    for r, values in enumerate([["Aggregated metrics"], *daily_metrics(items)]):
        for c, value in enumerate(values):
            metrics.write(r, c, value)
    sheet = book.add_sheet("All posts")
    sheet.write(0, 0, NOTES)
    for r, values in enumerate([list(OLD_HEADER if old else HEADER), *rows(items, old=old)], 1):
        for c, value in enumerate(values):
            if value != "":
                sheet.write(r, c, value)
    book.save(str(path))
    return path


def write_xlsx(path: Path, items: list[dict[str, Any]]) -> Path:
    book = openpyxl.Workbook()
    metrics = book.active
    assert metrics is not None
    metrics.title = "Metrics"
    for values in daily_metrics(items):
        metrics.append(values)
    sheet = book.create_sheet("All posts")
    sheet.append([NOTES])
    sheet.append(list(HEADER))
    for values in rows(items, dates=True):
        sheet.append([None if v == "" else v for v in values])
    book.save(path)
    return path


def write_csv(path: Path, items: list[dict[str, Any]]) -> Path:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow([NOTES])
    w.writerow(HEADER)
    w.writerows(rows(items))
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def without_column(path: Path, column: str, to: Path, emptied: str | None = None) -> Path:
    """The CSV export at ``path`` without ``column`` (and with ``emptied`` left empty), as
    a narrower export of the same posts."""
    records = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    header = records[1]  # under the notes
    if emptied is not None:
        for record in records[2:]:
            record[header.index(emptied)] = ""
    kept = [i for i, name in enumerate(header) if name != column]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(
        [records[0]] + [[r[i] for i in kept] for r in records[1:]]
    )
    to.write_text(out.getvalue(), encoding="utf-8")
    return to


def stored(handle: jauge.Jauge) -> dict[str, dict[str, Any]]:
    return {
        r["native_id"]: r
        for r in handle.sql(
            "SELECT i.native_id, i.platform, i.is_own, i.kind, i.text, i.url, i.created_at, "
            "o.name AS org, s.impressions, s.clicks, s.reactions, s.comments, s.shares, "
            "s.video_views, json_extract_string(i.extra, '$.post_type') AS post_type, "
            "json_extract_string(i.extra, '$.content_type') AS content_type "
            "FROM content_items i JOIN organisations o USING (org_id) "
            "JOIN metric_snapshots s ON s.subject_id = i.item_id"
        ).to_pylist()
    }


def assert_stored(handle: jauge.Jauge, items: list[dict[str, Any]], *, old: bool = False) -> None:
    got = stored(handle)
    assert len(got) == len(items)
    for p in items:
        post = got[f"urn:li:activity:{p['id']}"]
        assert (post["platform"], post["is_own"], post["kind"]) == ("linkedin", True, "post")
        assert (post["org"], post["text"], post["url"]) == ("Le Monde", p["text"], link(p))
        assert post["created_at"] == datetime.combine(p["created"].date(), datetime.min.time())
        assert (post["impressions"], post["clicks"]) == (p["impressions"], p["clicks"])
        assert (post["reactions"], post["comments"]) == (p["likes"], p["comments"])
        assert post["shares"] == p["reposts"]
        assert post["video_views"] is None  # the dataset has no views: the cells are empty
        assert post["post_type"] == ("Sponsored" if p["sponsored"] else "Organic")
        assert post["content_type"] == (None if old else p["type"])


@pytest.mark.parametrize("writer", [write_xls, write_csv], ids=["xls", "csv"])
def test_each_post_of_the_all_posts_sheet_with_its_counts(
    handle: jauge.Jauge, tmp_path: Path, writer: Any
) -> None:
    items = posts()
    assert len(items) == 11 and {p["sponsored"] for p in items} == {False, True}
    path = writer(tmp_path / "lemonde_content_1653000000000.export", items)
    result = handle.import_file(path, "linkedin-page", org="Le Monde")
    assert result.ok, result.errors[:3]
    assert result.to_dict()["inserted"] == len(items)
    assert_stored(handle, items)
    again = handle.import_file(path, "linkedin-page", org="Le Monde")
    assert again.to_dict()["unchanged"] == len(items) and again.to_dict()["inserted"] == 0


def test_a_later_export_adds_a_snapshot_where_a_count_moved(
    handle: jauge.Jauge, tmp_path: Path
) -> None:
    items = posts()
    first = handle.import_file(
        write_xls(tmp_path / "a.xls", items), "linkedin-page", org="Le Monde"
    )
    assert first.ok
    later = [{**p, "likes": p["likes"] + 3} if n < 4 else p for n, p in enumerate(items)]
    again = handle.import_file(
        write_xls(tmp_path / "b.xls", later), "linkedin-page", org="Le Monde"
    )
    counts = again.to_dict()
    assert (counts["inserted"], counts["updated"], counts["unchanged"]) == (0, 4, len(items) - 4)
    snapshots = handle.sql("SELECT count(*) AS n FROM metric_snapshots").to_pylist()[0]["n"]
    assert snapshots == len(items) + 4


def test_an_xlsx_workbook_with_date_cells(handle: jauge.Jauge, tmp_path: Path) -> None:
    items = posts()
    result = handle.import_file(
        write_xlsx(tmp_path / "c.xlsx", items), "linkedin-page", org="Le Monde"
    )
    assert result.ok, result.errors[:3]
    got = stored(handle)
    for p in items:  # a date cell keeps its time of day
        assert got[f"urn:li:activity:{p['id']}"]["created_at"] == p["created"]
    assert any("'All posts'" in w for w in result.files[0].warnings)


def test_the_older_layout_of_updates(handle: jauge.Jauge, tmp_path: Path) -> None:
    items = posts()
    path = write_xls(tmp_path / "updates.xls", items, old=True)
    result = handle.import_file(path, "linkedin-page", org="Le Monde")
    assert result.ok, result.errors[:3]
    assert_stored(handle, items, old=True)


def test_an_error_names_the_sheets_row_and_nothing_is_written(
    handle: jauge.Jauge, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "posts.csv", posts())
    records = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    # the line each record begins on: the notes, the header, then posts whose texts hold
    # newlines
    starts, at = [], 1
    for record in records:
        starts.append(at)
        at += sum(cell.count("\n") for cell in record) + 1
    records[4][HEADER.index("Likes")] = "beaucoup"  # the third post
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(records)
    path.write_text(out.getvalue(), encoding="utf-8")
    result = handle.import_file(path, "linkedin-page", org="Le Monde")
    assert not result.ok and handle.items.num_rows == 0
    [error] = result.errors
    assert starts[4] > 5  # the texts before it do span several lines
    assert (error.line, error.field) == (starts[4], "Likes")
    assert '"beaucoup"' in error.message


def test_a_post_without_its_link_is_refused_by_its_row(handle: jauge.Jauge, tmp_path: Path) -> None:
    items = posts()
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("All posts")
    sheet.write(0, 0, NOTES)
    for r, values in enumerate([list(HEADER), *rows(items)], 1):
        for c, value in enumerate(values):
            if value != "" and not (r == 6 and HEADER[c] == "Post link"):
                sheet.write(r, c, value)
    path = tmp_path / "no link.xls"
    book.save(str(path))
    result = handle.import_file(path, "linkedin-page", org="Le Monde")
    [error] = result.errors
    # the sheet's seventh row: the notes, the header, then the fifth post
    assert (error.line, error.field) == (7, "Post link")
    assert handle.items.num_rows == 0


def test_the_cli_recognises_the_workbook_and_asks_for_the_organisation(
    tmp_path: Path,
) -> None:
    path = write_xls(tmp_path / "lemonde_content.xls", posts())
    db = tmp_path / "j.duckdb"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "jauge", "import", str(path), "--db", str(db), *args]
        return subprocess.run(command, capture_output=True, text=True, env=None, check=False)

    refused = run("--format", "json")
    assert refused.returncode == 1, refused.stdout + refused.stderr
    [file] = json.loads(refused.stdout)["files"]
    assert (file["source"], file["status"]) == ("linkedin-page", "rejected")
    assert "--org" in file["errors"][0]["message"]
    done = run("--org", "Le Monde", "--format", "json")
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout)["inserted"] == len(posts())


def test_a_localised_export_is_read_with_its_columns_renamed(
    handle: jauge.Jauge, tmp_path: Path
) -> None:
    # the Page's language names the columns and the sheet: the user renames the columns
    # jauge needs, and the sheet whose header has them is found under its notes
    items = posts()
    path = write_xls(tmp_path / "contenu.xls", items)
    renamed = {"Post link": "Lien", "Created date": "Date de création", "Likes": "J'aime"}
    book = xlwt.Workbook(encoding="utf-8")
    book.add_sheet("Indicateurs").write(0, 0, "Date")
    sheet = book.add_sheet("Toutes les publications")
    sheet.write(0, 0, NOTES)
    for c, name in enumerate(HEADER):
        sheet.write(1, c, renamed.get(name, name))
    for r, values in enumerate(rows(items), 2):
        for c, value in enumerate(values):
            if value != "":
                sheet.write(r, c, value)
    book.save(str(path))
    mapping = {v: k for k, v in renamed.items()}
    result = handle.import_file(path, "linkedin-page", org="Le Monde", mapping=mapping)
    assert result.ok, result.errors[:3]
    assert_stored(handle, items)
    assert any("'Toutes les publications'" in w for w in result.files[0].warnings)


def test_the_sheet_read_is_said_once_quoted_in_french_and_errors_name_it(
    handle: jauge.Jauge, tmp_path: Path
) -> None:
    from jauge.i18n import localised, speaking

    items = posts()
    result = handle.import_file(write_xls(tmp_path / "a.xls", items), "linkedin-page", org="X")
    [note] = [w for w in result.files[0].warnings if "sheet" in w]
    with speaking("fr"):
        assert localised(note) == "lecture de la feuille 'All posts' du classeur"
    # a posts sheet without links: the error names the sheet read and its header's row
    book = xlwt.Workbook(encoding="utf-8")
    book.add_sheet("Metrics").write(0, 0, "Date")
    sheet = book.add_sheet("All posts")
    for c, name in enumerate(h for h in HEADER if h != "Post link"):
        sheet.write(0, c, name)
    path = tmp_path / "no links.xls"
    book.save(str(path))
    refused = handle.import_file(path, "linkedin-page", org="X")
    [error] = refused.errors
    assert error.line == 1 and "'Post link' or 'Update link'" in error.message
    assert "(in the sheet 'All posts', whose header is on row 1)" in error.message
    with speaking("fr"):
        said = localised(error.message)
    assert "(dans la feuille 'All posts', dont l'en-tête est à la ligne 1)" in said
    assert "ne ressemble pas" in said or "colonne" in said


def test_a_later_export_without_a_column_adds_no_snapshot(
    handle: jauge.Jauge, tmp_path: Path
) -> None:
    # the counts are the same; the later export lacks "Post type" and leaves "Follows" empty:
    # values it does not give are unknown, not changed (QA "new features", noted)
    items = posts()
    first = write_csv(tmp_path / "a.csv", items)
    assert handle.import_file(first, "linkedin-page", org="Le Monde").ok
    later = without_column(first, "Post type", tmp_path / "b.csv", emptied="Follows")
    again = handle.import_file(later, "linkedin-page", org="Le Monde")
    # nothing it gives differs: no snapshot, no update, and the post types stay known
    assert again.ok and again.files[0].snapshots == 0
    assert again.to_dict()["unchanged"] == len(items)
    kept = handle.sql(
        "SELECT count(*) AS n FROM content_items WHERE json_extract_string(extra, '$.post_type') "
        "IN ('Organic', 'Sponsored') AND json_extract_string(extra, '$.follows') = '0'"
    ).to_pylist()[0]["n"]
    assert kept == len(items)
    assert handle.sql("SELECT count(*) AS n FROM metric_snapshots").to_pylist()[0]["n"] == len(
        items
    )
    # a value that did change still counts
    moved = [{**p, "likes": p["likes"] + 1} for p in items[:2]] + items[2:]
    third = handle.import_file(
        write_csv(tmp_path / "c.csv", moved), "linkedin-page", org="Le Monde"
    )
    assert third.files[0].snapshots == 2


def test_a_narrower_export_keeps_the_texts_it_does_not_give(
    handle: jauge.Jauge, tmp_path: Path
) -> None:
    items = posts()
    first = write_csv(tmp_path / "a.csv", items)
    assert handle.import_file(first, "linkedin-page", org="Le Monde").ok
    later = without_column(first, "Post title", tmp_path / "no titles.csv")
    again = handle.import_file(later, "linkedin-page", org="Le Monde")
    assert again.ok and again.to_dict()["unchanged"] == len(items)
    texts = {r["native_id"]: r["text"] for r in handle.items.to_pylist()}
    assert texts == {f"urn:li:activity:{p['id']}": p["text"] for p in items}


def test_an_xls_whose_texts_cross_its_records_inside_an_emoji(
    handle: jauge.Jauge, tmp_path: Path
) -> None:
    # 120 real French media tweets, written by xlwt: one text's bold letters (outside the
    # Basic Multilingual Plane) fall across two records of the workbook, which xlrd refuses
    with FRENCH_TWEETS_CSV.open(newline="", encoding="utf-8") as f:
        tweets = list(csv.DictReader(f))[129:249]
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("All posts")
    for c, name in enumerate(("Post title", "Post link", "Created date")):
        sheet.write(0, c, name)
    for r, t in enumerate(tweets, 1):
        sheet.write(r, 0, t["text"])
        sheet.write(r, 1, f"https://www.linkedin.com/feed/update/urn:li:activity:{t['id_tweet']}")
        sheet.write(r, 2, datetime.fromisoformat(t["date"]).strftime("%m/%d/%Y"))
    path = tmp_path / "emoji.xls"
    book.save(str(path))
    result = handle.import_file(path, "linkedin-page", org="Médias")
    assert result.ok, result.errors[:3]  # the file is read, not refused whole
    texts = {r["native_id"]: r["text"] for r in handle.items.to_pylist()}
    expected = {f"urn:li:activity:{t['id_tweet']}": t["text"] for t in tweets}
    broken = [k for k in texts if texts[k] != expected[k]]
    assert len(texts) == len(expected) and len(broken) == 1
    # the one text is whole but for the character split in two, which the import says
    before, after = texts[broken[0]].split("\ufffd\ufffd")
    whole = expected[broken[0]]
    assert whole.startswith(before) and whole.endswith(after)
    assert len(whole) == len(before) + 1 + len(after)
    assert "1 cell held characters the workbook splits" in " ".join(result.files[0].warnings)


@pytest.mark.parametrize("writer", [write_xls, write_xlsx], ids=["xls", "xlsx"])
def test_a_workbook_cut_short_is_refused_in_the_users_words(tmp_path: Path, writer: Any) -> None:
    whole = writer(tmp_path / f"whole.{writer.__name__[6:]}", posts())
    cut = tmp_path / f"lemonde_content.{writer.__name__[6:]}"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    db = tmp_path / "j.duckdb"
    command = [sys.executable, "-m", "jauge", "import", str(cut), "--source", "linkedin-page"]
    command += ["--org", "Le Monde", "--db", str(db), "--format", "json"]
    french = {**os.environ, "JAUGE_LANG": "fr"}
    refused = subprocess.run(command, capture_output=True, text=True, env=french, check=False)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    [error] = json.loads(refused.stdout)["errors"]
    assert error["file"] == str(cut)
    message = error["message"]
    assert message.startswith("impossible d'ouvrir ce fichier Excel : il est endommagé, incomplet")
    assert "enregistrez la feuille en CSV (détail du lecteur : " in message, message
