"""The facebook-insights importer on the real UCI 'Facebook metrics' file."""

import csv
import io
from datetime import datetime
from pathlib import Path

import openpyxl
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


@pytest.mark.parametrize(
    ("first", "then"),
    [({"org": "Brand"}, [{"org": "brand"}, {"org": "BRAND"}, {"org": " Brand"}]),
     ({"org": "Brand "}, [{"org": "Brand "}, {"org": "brand"}, {"org": "Brand"}]),
     ({"org": "Brand", "account": "BrandPage"},
      [{"org": "Brand", "account": "brandpage"}, {"org": "brand", "account": "@BrandPage"}])],
)  # fmt: skip
def test_the_same_export_under_another_spelling_adds_nothing(
    handle: jauge.Jauge, first: dict[str, str], then: list[dict[str, str]]
) -> None:
    """The UCI posts carry no ids: theirs are derived from the organisation or account
    they are imported for, named as the store first knew it, whatever the case."""
    assert handle.import_file(UCI_FACEBOOK, "facebook-insights", year=2014, **first).ok
    for names in then:
        again = handle.import_file(UCI_FACEBOOK, "facebook-insights", year=2014, **names)
        assert (again.total("inserted"), again.total("unchanged")) == (0, 500), names
    assert handle.stats().entities["items"] == 500
    assert len(handle.organisations) == 1 and len(handle.accounts) <= 1


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


def test_an_xls_export_reads_like_the_csv(handle: jauge.Jauge, tmp_path: Path) -> None:
    # Insights offered its exports as Excel 97-2003 workbooks (.xls) too
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("Key Metrics")
    reader = csv.reader(io.StringIO(UCI_FACEBOOK.read_text()), delimiter=";")
    for r, row in enumerate(reader):
        for c, value in enumerate(row):
            if value:
                sheet.write(r, c, int(value) if r and value.isdigit() else value)
    book.save(str(tmp_path / "export.xls"))
    xls = handle.import_file(tmp_path / "export.xls", "facebook-insights", org="X", year=2014)
    assert xls.ok and xls.to_dict()["inserted"] == 500
    assert import_uci(handle, org="Y").ok
    totals = handle.sql(
        "SELECT o.name, sum(s.reach) AS reach, sum(s.reactions) AS reactions, "
        "min(c.created_at) AS first, max(c.created_at) AS last FROM content_items c "
        "JOIN organisations o USING (org_id) JOIN metric_snapshots s ON s.subject_id = c.item_id "
        "GROUP BY o.name ORDER BY o.name"
    ).to_pylist()
    assert {k: v for k, v in totals[0].items() if k != "name"} == {
        k: v for k, v in totals[1].items() if k != "name"
    }
    # one sheet: nothing to say about which was read
    assert not any("sheet" in w for w in xls.files[0].warnings)


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])  # the engine's reader, and Arrow's
def test_rows_of_empty_cells_are_no_posts_and_lines_still_count_them(
    handle: jauge.Jauge, tmp_path: Path, encoding: str
) -> None:
    rows = uci_rows()
    rows[250]["Lifetime Post Total Reach"] = "n/a"
    lines = write_uci(tmp_path / "uci.csv", rows).read_text().splitlines()
    empty = ";" * (len(rows[0]) - 1)
    # as a spreadsheet saves formatted empty rows (one of them cut short): among the posts,
    # and under them
    lines[101:101] = [empty, empty[:3]]
    lines += [empty, empty]
    path = tmp_path / "semicolons.csv"
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    result = handle.import_file(
        path, "facebook-insights", org="Cosmetics", year=2014, encoding=encoding
    )
    [error] = result.errors
    # the header, 250 posts and the 2 empty rows come before it
    assert (error.line, error.field) == (254, "Lifetime Post Total Reach")
    result = handle.import_file(
        path, "facebook-insights", org="Cosmetics", year=2014, encoding=encoding,
        skip_invalid=True,
    )  # fmt: skip
    assert result.ok and result.to_dict()["inserted"] == 499


def test_an_xlsx_row_of_formatted_empty_cells_is_no_post(
    handle: jauge.Jauge, tmp_path: Path
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    reader = csv.reader(io.StringIO(UCI_FACEBOOK.read_text()), delimiter=";")
    for i, row in enumerate(reader):
        if i == 101:  # a row left empty among the posts
            sheet.append([None])
        sheet.append(row if i == 0 else [int(v) if v.isdigit() else (v or None) for v in row])
    sheet.cell(row=300, column=8).value = "n/a"  # the reach of the 298th post
    # one styled cell under the data, as a spreadsheet keeps after rows are deleted
    sheet.cell(row=sheet.max_row + 2, column=1).font = openpyxl.styles.Font(bold=True)
    book.save(tmp_path / "styled.xlsx")
    result = handle.import_file(tmp_path / "styled.xlsx", "facebook-insights", org="X", year=2014)
    [error] = result.errors
    assert (error.line, error.field) == (300, "Lifetime Post Total Reach")
    result = handle.import_file(
        tmp_path / "styled.xlsx", "facebook-insights", org="X", year=2014, skip_invalid=True
    )
    assert result.ok and result.to_dict()["inserted"] == 499


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


def rewrite_publish_times(path: Path, rows: list[dict], day_first: list[bool]) -> None:
    """``rows`` in Business Suite's layout again, each ``Publish time`` day first
    (``31/12/2014 03:00``) where ``day_first`` says so, as Meta writes it for a Page whose
    settings are European."""
    written = []
    for row, day in zip(rows, day_first, strict=True):
        when = datetime.strptime(row["Publish time"], "%m/%d/%Y %H:%M")
        written.append({**row, "Publish time": when.strftime("%d/%m/%Y %H:%M" if day else
                                                             "%m/%d/%Y %H:%M")})  # fmt: skip
    with path.open("w", newline="", encoding="utf-8-sig") as f:
        w = csv.DictWriter(f, BUSINESS_SUITE["facebook"], extrasaction="ignore")
        w.writeheader()
        w.writerows(written)


def test_day_first_dates_are_read_day_first_for_the_whole_file(tmp_path: Path) -> None:
    """``11/12/2014`` is the 11th of December in a file that also has ``31/12/2014``;
    one with ``12/31/2014`` too cannot be read, and one where every date fits both orders
    is read month first, as Meta's US exports write them, and says so."""
    with jauge.open(tmp_path / "uci.duckdb") as uci:
        rows = business_suite_export(uci, "facebook", tmp_path / "export.csv")
    published = [datetime.strptime(r["Publish time"], "%m/%d/%Y %H:%M") for r in rows]
    either = [when.day <= 12 and when.day != when.month for when in published]
    assert sum(either) > 80  # dates that both orders read, differently
    path = tmp_path / "day_first.csv"
    rewrite_publish_times(path, rows, [True] * len(rows))
    with jauge.open(tmp_path / "s.duckdb") as j:
        result = j.import_file(path, "facebook-insights", org="Cosmetics")
        assert result.ok and not result.files[0].warnings, result.errors[:3]
        stored = {r["native_id"]: r["created_at"] for r in j.items.to_pylist()}
    assert [stored[r["Post ID"]] for r in rows] == published

    # the newest posts day first, the oldest month first
    rewrite_publish_times(path, rows, [n < 250 for n in range(len(rows))])
    with path.open(newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f)
        ends = [reader.line_num for _row in reader]  # the header's, then each post's
    # captions span lines: a post's row begins on the line after the previous row ends
    first_month_only = 1 + ends[next(n for n, w in enumerate(published) if n >= 250 and w.day > 12)]
    with jauge.open(tmp_path / "mixed.duckdb") as j:
        result = j.import_file(path, "facebook-insights", org="Cosmetics")
        assert not result.ok and j.items.num_rows == 0
    (error,) = result.errors
    assert error.line == first_month_only and "'Publish time'" in error.message
    assert "line 2 can only be read day first" in error.message

    # only the posts of the first twelve days of a month: nothing tells
    early = [r for r, when in zip(rows, published, strict=True) if when.day <= 12]
    rewrite_publish_times(path, early, [False] * len(early))
    with jauge.open(tmp_path / "early.duckdb") as j:
        result = j.import_file(path, "facebook-insights", org="Cosmetics")
        assert result.ok
        (warning,) = result.files[0].warnings
        assert "they were read month first" in warning
        stored = {r["native_id"]: r["created_at"] for r in j.items.to_pylist()}
    assert [stored[r["Post ID"]].strftime("%m/%d/%Y %H:%M") for r in early] == [
        r["Publish time"] for r in early
    ]


#: the header of the Page post export of Facebook Insights before Business Suite, as it is
#: found in public code that reads these files: a second row describes each metric, and
#: some names come twice (a total count, then unique users)
LEGACY_INSIGHTS = (
    "Post ID", "Permalink", "Post Message", "Type", "Countries", "Languages", "Posted",
    "Audience Targeting", "Lifetime Post Total Reach", "Lifetime Post organic reach",
    "Lifetime Post Paid Reach", "Lifetime Post Total Impressions",
    "Lifetime Post Organic Impressions", "Lifetime Post Paid Impressions",
    "Lifetime Engaged Users", "Lifetime Post Consumers", "Lifetime Post Consumptions",
    "Lifetime Negative feedback", "Lifetime Negative Feedback from Users",
    "Lifetime Post Impressions by people who have liked your Page",
    "Lifetime Post reach by people who like your Page",
    "Lifetime Post Paid Impressions by people who have liked your Page",
    "Lifetime Paid reach of a post by people who like your Page",
    "Lifetime People who have liked your Page and engaged with your post",
    "Lifetime Average time video viewed", "Lifetime Organic views to 95%",
    "Lifetime Organic views to 95%", "Lifetime Paid views to 95%",
    "Lifetime Paid views to 95%", "Lifetime Video length", "Lifetime Organic Video Views",
    "Lifetime Organic Video Views", "Lifetime Paid Video Views", "Lifetime Paid Video Views",
)  # fmt: skip
#: the start of each description in that second row (the first eight columns have none)
LEGACY_DESCRIPTIONS = [""] * 8 + [
    "Lifetime: The number of people {}. (Unique Users)".format(
        name.removeprefix("Lifetime ").lower()
    )
    for name in LEGACY_INSIGHTS[8:]
]
#: UCI column -> the legacy export's column, where the UCI file kept it
UCI_IN_LEGACY = {
    "Lifetime Post Total Reach": "Lifetime Post Total Reach",
    "Lifetime Post Total Impressions": "Lifetime Post Total Impressions",
    "Lifetime Engaged Users": "Lifetime Engaged Users",
    "Lifetime Post Consumers": "Lifetime Post Consumers",
    "Lifetime Post Consumptions": "Lifetime Post Consumptions",
    "Lifetime Post Impressions by people who have liked your Page": (
        "Lifetime Post Impressions by people who have liked your Page"
    ),
    "Lifetime Post reach by people who like your Page": (
        "Lifetime Post reach by people who like your Page"
    ),
    "Lifetime People who have liked your Page and engaged with your post": (
        "Lifetime People who have liked your Page and engaged with your post"
    ),
}


def legacy_insights_rows(handle: jauge.Jauge) -> list[list[str]]:
    """The UCI posts with their real metrics, the dates jauge rebuilt and real texts
    (airline tweets), as rows of the legacy export; metrics the UCI file lacks (organic,
    paid, video) are left empty, as the export leaves them for posts without them."""
    import_uci(handle)
    posts = handle.sql(
        "SELECT native_id, created_at, extra FROM content_items ORDER BY created_at DESC"
    ).to_pylist()
    uci = uci_rows()  # newest first, like the rebuilt dates
    with AIRLINE_TWEETS.open(newline="", encoding="utf-8") as f:
        texts = [t["text"] for t in csv.DictReader(f)]
    rows = []
    for n, (post, row) in enumerate(zip(posts, uci, strict=True)):
        values = dict.fromkeys(LEGACY_INSIGHTS, "")
        values.update(
            {
                "Post ID": f"1010_{post['native_id'].removeprefix('derived:')[:15]}",
                "Permalink": f"https://www.facebook.com/cosmetics/posts/{n}",
                "Post Message": texts[n],
                "Type": row["Type"],
                "Posted": "{0.month}/{0.day}/{0.year} {0.hour}:{0:%M}".format(post["created_at"]),
                "Audience Targeting": " ",
            }
        )
        values.update({legacy: row[name] for name, legacy in UCI_IN_LEGACY.items()})
        rows.append([values[c] for c in LEGACY_INSIGHTS[:26]] + [""] * 8)
    return rows


def test_legacy_insights_exports_skip_their_row_of_descriptions(tmp_path: Path) -> None:
    with jauge.open(tmp_path / "uci.duckdb") as uci:
        rows = legacy_insights_rows(uci)
    path = tmp_path / "Facebook Insights Data Export (Post Level).csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerows([LEGACY_INSIGHTS, LEGACY_DESCRIPTIONS, *rows])
    book = openpyxl.Workbook()
    for row in (LEGACY_INSIGHTS, LEGACY_DESCRIPTIONS, *rows):
        book.active.append([v or None for v in row])
    book.save(tmp_path / "export.xlsx")
    for export in (path, tmp_path / "export.xlsx"):
        with jauge.open(tmp_path / f"{export.suffix}.duckdb") as j:
            result = j.import_file(export, "facebook-insights", org="Cosmetics")
            assert result.ok, result.errors[:3]
            assert result.to_dict()["inserted"] == 500
            # the names given twice are read, and the user is told how
            assert any("'Lifetime Organic views to 95% (2)'" in w for w in result.files[0].warnings)
            got = j.sql(
                "SELECT i.native_id, i.text, i.url, i.created_at, s.reach, s.impressions, "
                "s.engaged_users, s.clicks, json_extract_string(i.extra, '$.consumers') AS c "
                "FROM content_items i JOIN metric_snapshots s ON s.subject_id = i.item_id"
            ).to_pylist()
            again = j.import_file(export, "facebook-insights", org="Cosmetics")
            assert again.to_dict()["unchanged"] == 500
        by_id = {g["native_id"]: g for g in got}
        for row in rows:
            post = by_id[row[0]]
            assert (post["text"], post["url"]) == (row[2], row[1])
            assert post["created_at"] == datetime.strptime(row[6], "%m/%d/%Y %H:%M")
            assert [post["reach"], post["impressions"], post["engaged_users"], post["clicks"]] == [
                int(row[8]), int(row[11]), int(row[14]), int(row[16])
            ]  # fmt: skip
            assert post["c"] == row[15]


def test_an_error_in_a_legacy_export_names_the_line_under_the_descriptions(
    tmp_path: Path,
) -> None:
    with jauge.open(tmp_path / "uci.duckdb") as uci:
        rows = legacy_insights_rows(uci)
    rows[9][8] = "n/a"  # the tenth post's reach: line 12, under the two header rows
    path = tmp_path / "export.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([LEGACY_INSIGHTS, LEGACY_DESCRIPTIONS, *rows])
    with jauge.open(tmp_path / "s.duckdb") as j:
        result = j.import_file(path, "facebook-insights", org="Cosmetics")
        assert not result.ok and j.items.num_rows == 0
    [error] = result.errors
    assert (error.line, error.field) == (12, "Lifetime Post Total Reach")
    assert '"n/a"' in error.message


def test_followers_given_for_an_export_without_them_feed_the_index(tmp_path: Path) -> None:
    with jauge.open(tmp_path / "uci.duckdb") as uci:
        business_suite_export(uci, "facebook", tmp_path / "export.csv")
    # the Page's fans when the UCI posts were made (its "Page total likes", 139,441 at the
    # end of 2014): Business Suite's post export does not give them
    fans = max(int(r["Page total likes"]) for r in uci_rows())
    with jauge.open(tmp_path / "without.duckdb") as j:
        j.import_file(tmp_path / "export.csv", "facebook-insights", org="Cosmetics")
        without = j.score("Cosmetics").to_dict()
    with jauge.open(tmp_path / "with.duckdb") as j:
        result = j.import_file(
            tmp_path / "export.csv", "facebook-insights", org="Cosmetics", followers=fans
        )
        assert result.ok
        followers = set(j.snapshots.to_pandas()["followers"])
        given = j.score("Cosmetics").to_dict()
        again = j.import_file(
            tmp_path / "export.csv", "facebook-insights", org="Cosmetics", followers=fans
        )
        assert again.to_dict()["unchanged"] == 500
    assert followers == {fans}
    assert without["coverage"]["stratum"] == "facebook|unknown"
    assert without["components"]["reach_per_follower"]["score"] is None
    assert given["coverage"]["stratum"] == "facebook|100k-1M"
    assert given["components"]["reach_per_follower"]["score"] is not None


def test_followers_are_the_organisations_own_never_a_mentioning_persons(
    handle: jauge.Jauge,
) -> None:
    result = handle.import_file(AIRLINE_TWEETS, "tweets-csv", followers=1000)
    assert result.ok
    assert handle.snapshots.to_pandas()["followers"].isna().all()


def test_a_post_id_a_spreadsheet_rounded_is_refused(handle: jauge.Jauge, tmp_path: Path) -> None:
    """Business Suite's export opened and saved in a spreadsheet: a long Post ID becomes
    1.23456789012346E+15, which would merge distinct posts."""
    path = tmp_path / "business-suite.csv"
    rows = business_suite_export(handle, "facebook", path)
    lines = path.read_text("utf-8-sig").splitlines()
    lines[3] = lines[3].replace(rows[2]["Post ID"], "1.23456789012346E+15", 1)
    path.write_text("\n".join(lines) + "\n", "utf-8")
    refused = handle.import_file(path, "facebook-insights", org="Cosmetics brand")
    [error] = refused.errors
    assert not refused.ok and (error.line, error.field) == (4, "Post ID")
    assert "a spreadsheet rounds long ids" in error.message
