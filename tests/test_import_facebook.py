"""The facebook-insights importer on the real UCI 'Facebook metrics' file."""

import csv
import io
from datetime import datetime
from pathlib import Path

import pytest

import jauge
from jauge.sources.post_dates import sunday_first_weekday

from .conftest import AIRLINE_TWEETS, UCI_FACEBOOK


def uci_rows() -> list[dict[str, str]]:
    with UCI_FACEBOOK.open(newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


def write_uci(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), delimiter=";", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return path


def import_uci(
    handle: jauge.Jauge, path: Path = UCI_FACEBOOK, org: str = "Cosmetics"
) -> jauge.ImportResult:
    return handle.import_file(path, "facebook-insights", org=org, year=2014)


def test_every_post_is_imported_with_its_metrics(handle: jauge.Jauge) -> None:
    result = import_uci(handle)
    assert result.ok and result.to_dict()["inserted"] == 500
    items = handle.items.to_pandas()
    assert len(items) == 500 and set(items["kind"]) == {"post"} and items["is_own"].all()
    snaps = handle.snapshots.to_pandas()
    rows = uci_rows()
    assert snaps["reach"].sum() == sum(int(r["Lifetime Post Total Reach"]) for r in rows)
    assert snaps["reactions"].sum() == sum(int(r["like"]) for r in rows if r["like"])
    assert snaps["shares"].sum() == sum(int(r["share"]) for r in rows if r["share"])
    # the file has empty likes and shares: they stay unknown, not zero
    assert snaps["reactions"].isna().sum() == 1 and snaps["shares"].isna().sum() == 4
    assert snaps["followers"].max() == 139441


def test_dates_are_rebuilt_consistently_with_month_weekday_and_hour(handle: jauge.Jauge) -> None:
    import_uci(handle)
    rows = uci_rows()
    items = handle.sql(
        "SELECT created_at, json_extract_string(extra, '$.type') AS type FROM content_items "
        "ORDER BY created_at DESC"
    ).to_pylist()
    assert items[0]["created_at"] == datetime(2014, 12, 31, 3)  # Wednesday 31 December, 3h
    # file order is newest first; the rebuilt dates keep that order and every stated field
    stored = sorted(d["created_at"] for d in items)[::-1]
    for row, when in zip(rows, stored, strict=True):
        assert when.month == int(row["Post Month"])
        assert sunday_first_weekday(when.date()) == int(row["Post Weekday"])
        assert when.hour == int(row["Post Hour"])


def test_reimporting_the_same_file_adds_nothing(handle: jauge.Jauge) -> None:
    import_uci(handle)
    before = handle.stats().entities
    again = import_uci(handle).to_dict()
    assert (again["inserted"], again["updated"], again["unchanged"]) == (0, 0, 500)
    after = handle.stats().entities
    assert {k: v for k, v in after.items() if k != "imports"} == {
        k: v for k, v in before.items() if k != "imports"
    }


def test_a_newer_export_adds_snapshots_only_where_a_value_changed(
    handle: jauge.Jauge, tmp_path: Path
) -> None:
    import_uci(handle)
    rows = uci_rows()
    for i in (0, 10, 499):
        rows[i]["like"] = str(int(rows[i]["like"]) + 7)
    newer = import_uci(handle, write_uci(tmp_path / "newer.csv", rows)).to_dict()
    assert (newer["inserted"], newer["updated"], newer["unchanged"]) == (0, 3, 497)
    snaps = handle.snapshots.to_pandas()
    assert len(snaps) == 503
    per_item = snaps.groupby("subject_id").size()
    assert sorted(per_item[per_item > 1].index) == sorted(
        snaps[snaps.duplicated("subject_id", keep=False)]["subject_id"].unique()
    )
    latest = snaps.sort_values("observed_at").groupby("subject_id").tail(1)
    assert latest["reactions"].sum() == sum(int(r["like"]) for r in rows if r["like"])


def test_one_file_for_two_organisations_makes_two_sets_of_items(handle: jauge.Jauge) -> None:
    import_uci(handle, org="Brand A")
    import_uci(handle, org="Brand B")
    assert handle.stats().entities["items"] == 1000
    assert {o["name"]: o["own_items"] for o in handle.stats().organisations} == {
        "Brand A": 500,
        "Brand B": 500,
    }


def test_without_year_the_user_is_told_to_pass_it(handle: jauge.Jauge) -> None:
    with pytest.raises(jauge.ConfigError, match="--year"):
        handle.import_file(UCI_FACEBOOK, "facebook-insights", org="X")


def test_xlsx_export_reads_like_the_csv(handle: jauge.Jauge, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    reader = csv.reader(io.StringIO(UCI_FACEBOOK.read_text()), delimiter=";")
    for i, row in enumerate(reader):
        sheet.append(row if i == 0 else [int(v) if v.isdigit() else (v or None) for v in row])
    book.save(tmp_path / "export.xlsx")
    xlsx = handle.import_file(tmp_path / "export.xlsx", "facebook-insights", org="X", year=2014)
    assert xlsx.ok and xlsx.to_dict()["inserted"] == 500
    csv_copy = import_uci(handle, org="Y")
    totals = handle.sql(
        "SELECT o.name, sum(s.reach) AS reach, min(c.created_at) AS first FROM content_items c "
        "JOIN organisations o USING (org_id) JOIN metric_snapshots s ON s.subject_id = c.item_id "
        "GROUP BY o.name ORDER BY o.name"
    ).to_pylist()
    assert csv_copy.ok and totals[0]["reach"] == totals[1]["reach"]
    assert totals[0]["first"] == totals[1]["first"]


BUSINESS_SUITE = {
    # the columns of Meta Business Suite's post exports (as tools that read them list them):
    # the Page's ...
    "facebook": (
        "Post ID", "Page ID", "Page name", "Title", "Description", "Publish time",
        "Permalink", "Post type", "Date", "Views", "Reach", "Reactions", "Comments",
        "Shares", "Total clicks",
    ),
    # ... and the Instagram account's
    "instagram": (
        "Post ID", "Account ID", "Account username", "Account name", "Description",
        "Publish time", "Permalink", "Post type", "Date", "Views", "Reach", "Likes",
        "Shares", "Follows", "Comments", "Saves",
    ),
}  # fmt: skip


def business_suite_export(handle: jauge.Jauge, platform: str, path: Path) -> list[dict]:
    """The UCI posts, as jauge rebuilt them (dates, derived ids) and with their real
    metrics, written in the layout of Business Suite's export for ``platform``; the
    captions are real texts, from the airline tweets. Not a file Meta produced: the
    repository has none, and this keeps every value real."""
    import_uci(handle)
    posts = handle.sql(
        "SELECT i.native_id, i.created_at, s.reach, s.impressions, s.reactions, s.comments, "
        "s.shares, s.clicks FROM content_items i JOIN metric_snapshots s "
        "ON s.subject_id = i.item_id ORDER BY i.created_at DESC, i.native_id"
    ).to_pylist()
    with AIRLINE_TWEETS.open(newline="", encoding="utf-8") as f:
        captions = [t["text"] for t in csv.DictReader(f)]
    rows = []
    for n, p in enumerate(posts):
        caption = captions[n] if n % 3 else None  # some posts have no words
        rows.append(
            {
                "Post ID": p["native_id"].removeprefix("derived:")[:16],
                "Page ID": "1010",
                "Page name": "Cosmetics brand",
                "Account ID": "2020",
                "Account username": "cosmetics.brand",
                "Account name": "Cosmetics brand",
                "Title": caption if platform == "facebook" else None,
                "Description": caption if platform == "instagram" else None,
                "Publish time": p["created_at"].strftime("%m/%d/%Y %H:%M"),
                "Permalink": f"https://www.{platform}.com/p/{n}",
                "Post type": "Photos",
                "Date": "Lifetime",
                "Views": p["impressions"],
                "Reach": p["reach"],
                "Reactions": p["reactions"],
                "Likes": p["reactions"],
                "Comments": p["comments"],
                "Shares": p["shares"],
                "Total clicks": p["clicks"],
                "Follows": 0,
                "Saves": p["clicks"],
            }
        )
    with path.open("w", newline="", encoding="utf-8-sig") as f:
        w = csv.DictWriter(f, BUSINESS_SUITE[platform], extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    return rows


@pytest.mark.parametrize("platform", ["facebook", "instagram"])
def test_business_suite_post_exports_import_like_the_insights_one(
    tmp_path: Path, platform: str
) -> None:
    with jauge.open(tmp_path / "uci.duckdb") as uci:
        rows = business_suite_export(uci, platform, tmp_path / "export.csv")
    with jauge.open(tmp_path / "s.duckdb") as j:
        result = j.import_file(tmp_path / "export.csv", "facebook-insights", org="Cosmetics")
        assert result.ok, result.errors[:3]
        assert result.to_dict()["inserted"] == len(rows) == 500
        got = {
            r["native_id"]: r
            for r in j.sql(
                "SELECT i.native_id, i.platform, i.text, i.url, i.created_at, a.handle, "
                "s.reach, s.impressions, s.reactions, s.comments, s.shares, s.clicks, s.saves "
                "FROM content_items i JOIN accounts a USING (account_id) "
                "JOIN metric_snapshots s ON s.subject_id = i.item_id"
            ).to_pylist()
        }
        again = j.import_file(tmp_path / "export.csv", "facebook-insights", org="Cosmetics")
        assert again.to_dict()["unchanged"] == 500
    instagram = platform == "instagram"
    for row in rows:
        post = got[row["Post ID"]]
        assert post["platform"] == platform
        assert post["handle"] == ("cosmetics.brand" if instagram else "Cosmetics brand")
        assert post["text"] == (row["Description"] if instagram else row["Title"])
        assert post["url"] == row["Permalink"]
        assert post["created_at"].strftime("%m/%d/%Y %H:%M") == row["Publish time"]
        assert (post["reach"], post["impressions"], post["comments"], post["shares"]) == (
            row["Reach"], row["Views"], row["Comments"], row["Shares"]
        )  # fmt: skip
        assert post["reactions"] == (row["Likes"] if instagram else row["Reactions"])
        assert post["clicks"] == (None if instagram else row["Total clicks"])
        assert post["saves"] == (row["Saves"] if instagram else None)
