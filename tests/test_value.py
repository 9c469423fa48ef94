"""Value: web sessions and costs imported, social sessions told apart, the funnel per
platform and ROI per campaign (docs/value.md).

Real data: the UCI online shoppers' sessions (Google Analytics, one row per session,
with the month, a traffic source code and whether it ended in a purchase) and the
Facebook ad campaigns of the Kaggle "Sales Conversion Optimization" file (spend,
impressions, clicks and conversions per ad). Every expected figure is computed here from
the raw file with pandas, independently of jauge. See tests/data/*/SOURCE.md.
"""

from __future__ import annotations

import csv
import json
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pytest
from click.testing import CliRunner

import jauge
from jauge.cli.main import cli
from jauge.errors import ConfigError, NotFoundError
from jauge.value.channels import platform_sql, with_host

from .conftest import DATA, UCI_FACEBOOK

SESSIONS = DATA / "online-shoppers-intention-uci" / "sessions_dev_every4th.csv"
ADS = DATA / "facebook-ad-campaign-conversions" / "KAG_conversion_data_dev.csv"
SESSION_MAP = {"TrafficType": "source", "Revenue": "converted"}
#: the ad file's columns as costs-csv fields; Approved_Conversion (purchases) is what
#: the tests value, Total_Conversion (enquiries) is kept in ``extra``
AD_MAP = {"xyz_campaign_id": "campaign", "ad_id": "ad", "Approved_Conversion": "conversions"}
#: names for the UCI traffic codes, of the tests' choosing: the real mapping is not
#: published (SOURCE.md); the counts behind each code are the file's
TEST_SOURCES = {1: "google / organic", 2: "(direct) / (none)", 3: "m.facebook.com / referral",
                4: "t.co / referral", 5: "lnkd.in / referral", 6: "newsletter / email",
                8: "mastodon.social / social"}  # fmt: skip
MONTHS = {"Feb": 2, "Mar": 3, "May": 5, "June": 6, "Jul": 7, "Aug": 8, "Sep": 9, "Oct": 10,
          "Nov": 11, "Dec": 12}  # fmt: skip


def sessions() -> pd.DataFrame:
    return pd.read_csv(SESSIONS)


def ads() -> pd.DataFrame:
    return pd.read_csv(ADS)


def import_ads(handle: jauge.Jauge, org: str = "XYZ") -> jauge.ImportResult:
    return handle.import_file(ADS, "costs-csv", org=org, platform="facebook", mapping=AD_MAP)


def test_session_level_export_becomes_counts_per_month(handle: jauge.Jauge) -> None:
    result = handle.import_file(SESSIONS, "web-analytics-csv", org="Shop", year=2017,
                               mapping=SESSION_MAP)  # fmt: skip
    assert result.ok, result.errors
    raw = sessions()
    stored = handle.sql(
        "SELECT month(day) AS month, sum(sessions) AS sessions, sum(conversions) AS conv "
        "FROM web_traffic GROUP BY 1 ORDER BY 1"
    ).to_pandas()
    expected = (
        raw.assign(month=raw["Month"].map(MONTHS))
        .groupby("month")
        .agg(sessions=("Revenue", "size"), conv=("Revenue", "sum"))
        .reset_index()
    )
    assert stored["month"].tolist() == expected["month"].tolist()
    assert stored["sessions"].tolist() == expected["sessions"].tolist()
    assert stored["conv"].tolist() == expected["conv"].tolist()
    # one stored row per month and traffic code, whatever the number of sessions
    assert result.total("inserted") == raw.groupby(["Month", "TrafficType"]).ngroups

    again = handle.import_file(SESSIONS, "web-analytics-csv", org="Shop", year=2017,
                               mapping=SESSION_MAP)  # fmt: skip
    assert again.total("inserted") == 0 and again.total("updated") == 0
    assert again.total("unchanged") == result.total("inserted")
    assert handle.sql("SELECT sum(sessions) AS n FROM web_traffic").to_pandas()["n"][0] == len(raw)


def test_months_without_a_year_are_refused_with_what_to_do(handle: jauge.Jauge) -> None:
    with pytest.raises(ConfigError, match="--year"):
        handle.import_file(SESSIONS, "web-analytics-csv", org="Shop", mapping=SESSION_MAP)
    assert handle.web_traffic.to_arrow().num_rows == 0


def test_web_traffic_needs_an_organisation(handle: jauge.Jauge) -> None:
    with pytest.raises(ConfigError, match="--org"):
        handle.import_file(SESSIONS, "web-analytics-csv", year=2017, mapping=SESSION_MAP)


def test_a_bad_amount_rejects_the_whole_file_and_names_its_line(
    handle: jauge.Jauge, tmp_path: Path
) -> None:
    lines = ADS.read_text().splitlines()
    header = lines[0].split(",")
    spent = header.index("Spent")
    row = lines[41].split(",")  # line 42 of the file
    row[spent] = "twelve"
    lines[41] = ",".join(row)
    broken = tmp_path / "ads.csv"
    broken.write_text("\n".join(lines) + "\n")
    result = import_ads_from(handle, broken)
    assert not result.ok
    (error,) = result.errors
    assert (error.file, error.line, error.field) == (str(broken), 42, "Spent")
    assert "twelve" in error.message
    assert handle.costs.to_arrow().num_rows == 0


def import_ads_from(handle: jauge.Jauge, path: Path) -> jauge.ImportResult:
    return handle.import_file(path, "costs-csv", org="XYZ", platform="facebook", mapping=AD_MAP)


def test_ad_costs_per_campaign_and_the_roi_the_platform_reports(handle: jauge.Jauge) -> None:
    assert import_ads(handle).total("inserted") == 800
    raw = ads()
    report = handle.value("XYZ", conversion_value=50.0).to_dict()
    by_name = {c["name"]: c for c in report["campaigns"]}
    assert set(by_name) == {"916", "936", "1178"}
    for campaign, rows in raw.groupby("xyz_campaign_id"):
        c = by_name[str(campaign)]
        spend = rows["Spent"].round(2).sum()  # stored to the cent, as exports keep money
        assert c["spend"] == pytest.approx(spend, abs=0.005)
        assert c["impressions"] == rows["Impressions"].sum()
        assert c["clicks"] == rows["Clicks"].sum()
        assert c["platform_conversions"] == rows["Approved_Conversion"].sum()
        value = 50.0 * rows["Approved_Conversion"].sum()
        assert c["platform_revenue"] == pytest.approx(value)
        assert c["platform_roi"] == pytest.approx((value - spend) / spend, rel=1e-9)
        low, high = c["platform_roi_interval"]
        assert low < c["platform_roi"] < high
        assert c["cost_per_click"] == round(spend / rows["Clicks"].sum(), 2)
        # no web analytics: what the site saw is unknown, not zero
        assert c["roi"] is None and c["conversions"] is None and c["sessions"] is None
    assert report["funnel"]["spend"] == pytest.approx(raw["Spent"].round(2).sum(), abs=0.01)
    assert any("no web analytics" in w for w in report["warnings"])


def test_undated_costs_of_a_defined_campaign_count_over_its_days_only(
    handle: jauge.Jauge,
) -> None:
    """The ad file gives totals without dates. Its campaigns 916 and 1178 defined as a
    spring and a Christmas campaign: a window lists and counts each only over its days
    inside it; 936, which only the export names, still counts whole in every window."""
    import_ads(handle)
    handle.add_campaign("Printemps", org="XYZ", start="2014-03-01", end="2014-05-31",
                        utm_campaign="916")  # fmt: skip
    handle.add_campaign("Noël", org="XYZ", start="2014-11-01", end="2014-12-31",
                        utm_campaign="1178")  # fmt: skip
    raw = ads()
    spent = raw["Spent"].round(2).groupby(raw["xyz_campaign_id"]).sum()  # to the cent

    def listed(start: str, end: str) -> tuple[dict[str, dict], float]:
        report = handle.value("XYZ", start=start, end=end).to_dict()
        return {c["name"]: c for c in report["campaigns"]}, report["funnel"]["spend"]

    # the last quarter: Christmas whole, spring neither listed (as '916') nor spent
    campaigns, spend = listed("2014-10-03", "2014-12-31")
    assert list(campaigns) == ["Noël", "936"]
    assert campaigns["Noël"]["defined"] and not campaigns["936"]["defined"]
    assert campaigns["Noël"]["spend"] == pytest.approx(spent[1178], abs=0.01)
    assert campaigns["936"]["spend"] == pytest.approx(spent[936], abs=0.01)
    assert spend == pytest.approx(spent[1178] + spent[936], abs=0.01)
    # December: 31 of Christmas's 61 days, as a dated row would be cut
    campaigns, spend = listed("2014-12-01", "2014-12-31")
    assert campaigns["Noël"]["spend"] == pytest.approx(spent[1178] * 31 / 61, abs=0.01)
    assert campaigns["Noël"]["clicks"] == round(raw[raw["xyz_campaign_id"] == 1178]
                                                ["Clicks"].sum() * 31 / 61)  # fmt: skip
    assert spend == pytest.approx(spent[1178] * 31 / 61 + spent[936], abs=0.01)
    # one spring day: 1 of its 92
    campaigns, spend = listed("2014-03-01", "2014-03-01")
    assert list(campaigns) == ["Printemps", "936"]
    assert campaigns["Printemps"]["spend"] == pytest.approx(spent[916] / 92, abs=0.01)
    assert spend == pytest.approx(spent[916] / 92 + spent[936], abs=0.01)
    # by default, the span of the campaigns the undated costs belong to: every euro
    report = handle.value("XYZ").to_dict()
    assert report["period"] == {"start": "2014-03-01", "end": "2014-12-31"}
    assert [c["name"] for c in report["campaigns"]] == ["Printemps", "Noël", "936"]
    assert report["funnel"]["spend"] == pytest.approx(spent.sum(), abs=0.01)


def test_roi_interval_is_reproducible_and_narrower_with_more_ads(handle: jauge.Jauge) -> None:
    import_ads(handle)
    first = handle.value("XYZ", conversion_value=50.0).to_dict()["campaigns"]
    second = handle.value("XYZ", conversion_value=50.0).to_dict()["campaigns"]
    assert first == second
    width = {c["name"]: c["platform_roi_interval"][1] - c["platform_roi_interval"][0]
             for c in first}  # fmt: skip
    relative = {n: w / abs(next(c for c in first if c["name"] == n)["platform_roi"])
                for n, w in width.items()}  # fmt: skip
    # 433 ads in 1178, 42 in 916: the larger campaign's ROI is known more precisely
    assert relative["1178"] < relative["916"]


def write_named_sessions(path: Path, year_of_posts: int) -> pd.DataFrame:
    """The UCI sessions with a ``source / medium`` column named after their traffic code
    (TEST_SOURCES) and a date on each month's first day, as a GA4-like export."""
    raw = sessions()
    raw = raw[raw["TrafficType"].isin(TEST_SOURCES)].copy()
    raw["Session source / medium"] = raw["TrafficType"].map(TEST_SOURCES)
    raw["Date"] = raw["Month"].map(lambda m: f"{year_of_posts}{MONTHS[m]:02d}01")
    raw.to_csv(path, index=False)
    return raw


def test_funnel_from_reach_to_sales_per_platform(handle: jauge.Jauge, tmp_path: Path) -> None:
    """The UCI Facebook page's posts (2014) as the organisation's own, and the UCI shop's
    sessions dated in 2014: reach, sessions and purchases, each step measured."""
    assert handle.import_file(UCI_FACEBOOK, "facebook-insights", org="Brand", year=2014).ok
    raw = write_named_sessions(tmp_path / "ga4.csv", 2014)
    result = handle.import_file(tmp_path / "ga4.csv", "web-analytics-csv", org="Brand",
                                mapping={"Revenue": "converted"})  # fmt: skip
    assert result.ok, result.errors
    # the sessions of a month land on its first day: the year is asked for whole
    year = (pd.Timestamp("2014-01-01").date(), pd.Timestamp("2014-12-31").date())
    report = handle.value("Brand", start=year[0], end=year[1]).to_dict()
    platforms = {p["platform"]: p for p in report["platforms"]}
    assert set(platforms) == {"facebook", "x", "linkedin", "mastodon"}

    def code(n: int) -> pd.DataFrame:
        return raw[raw["TrafficType"] == n]

    facebook = platforms["facebook"]
    assert facebook["sessions"] == len(code(3))
    assert facebook["conversions"] == code(3)["Revenue"].sum()
    assert facebook["conversion_rate"] == pytest.approx(code(3)["Revenue"].mean())
    posts = pd.read_csv(UCI_FACEBOOK, sep=";")
    assert facebook["reach"] == posts["Lifetime Post Total Reach"].sum()
    assert facebook["sessions_per_1k_reach"] == pytest.approx(
        1000 * len(code(3)) / posts["Lifetime Post Total Reach"].sum()
    )
    assert platforms["x"]["sessions"] == len(code(4))
    assert platforms["linkedin"]["sessions"] == len(code(5))
    assert platforms["mastodon"]["sessions"] == len(code(8))
    assert platforms["x"]["reach"] is None  # no own posts there: unknown, not zero
    funnel = report["funnel"]
    assert funnel["sessions"] == len(raw)
    social = raw[raw["TrafficType"].isin([3, 4, 5, 8])]
    assert funnel["social_sessions"] == len(social)
    assert funnel["social_conversions"] == social["Revenue"].sum()
    assert funnel["social_share"] == pytest.approx(len(social) / len(raw))
    assert any("--conversion-value" in w for w in report["warnings"])


GA4_EXPORT = """\
Date,Session source / medium,Session campaign,Sessions,Engaged sessions,Key events,Total revenue
20240301,facebook.com / referral,printemps,120,80,4,"312,50"
20240302,l.instagram.com / referral,printemps,60,41,2,"1 020,00"
20240302,google / cpc,printemps,300,150,9,"2 500,00"
20240303,newsletter / email,(not set),90,60,3,"240,00"
20240320,facebook.com / referral,printemps,50,20,1,"99,90"
"""
AD_COSTS = """\
Campaign name,Reporting starts,Reporting ends,Amount spent (EUR),Impressions,Link clicks,Results
Printemps,2024-03-01,2024-03-10,1000,250000,2400,30
"""


def test_campaign_roi_from_utm_tagged_sessions(handle: jauge.Jauge, tmp_path: Path) -> None:
    """A campaign defined from 1 to 5 March: its UTM-tagged sessions in those days, and the
    part of a 10-day cost line that falls in them (half of it)."""
    (tmp_path / "ga4.csv").write_text(GA4_EXPORT)
    (tmp_path / "ads.csv").write_text(AD_COSTS)
    assert handle.import_file(tmp_path / "ga4.csv", "web-analytics-csv", org="Acme").ok
    assert handle.import_file(tmp_path / "ads.csv", "costs-csv", org="Acme",
                              platform="facebook").ok  # fmt: skip
    handle.add_campaign("Spring", org="Acme", start="2024-03-01", end="2024-03-05",
                        utm_campaign="printemps")  # fmt: skip
    report = handle.value("Acme", start=pd.Timestamp("2024-03-01").date(),
                          end=pd.Timestamp("2024-03-31").date()).to_dict()  # fmt: skip
    (spring,) = [c for c in report["campaigns"] if c["name"] == "Spring"]
    assert spring["defined"] and spring["utm_campaign"] == "printemps"
    assert spring["sessions"] == 120 + 60 + 300  # the 20 March row is after the campaign
    assert spring["social_sessions"] == 180
    assert spring["revenue"] == pytest.approx(312.50 + 1020.00 + 2500.00)
    assert spring["spend"] == pytest.approx(500.0)  # 5 of the cost line's 10 days
    assert spring["clicks"] == 1200
    assert spring["roi"] == pytest.approx((3832.50 - 500.0) / 500.0)
    assert spring["roi_interval"] is not None
    # "Printemps" in the cost export is the same campaign (matched by UTM, any case)
    assert [c["name"] for c in report["campaigns"]] == ["Spring"]
    funnel = report["funnel"]
    assert funnel["revenue"] == pytest.approx(312.50 + 1020 + 2500 + 240 + 99.90)
    assert funnel["spend"] == pytest.approx(1000.0)  # the whole line is inside March
    assert {p["platform"] for p in report["platforms"]} == {"facebook", "instagram"}


def test_a_newer_export_replaces_the_figures_of_the_same_day(
    handle: jauge.Jauge, tmp_path: Path
) -> None:
    path = tmp_path / "ga4.csv"
    path.write_text(GA4_EXPORT)
    handle.import_file(path, "web-analytics-csv", org="Acme")
    day = "20240301,facebook.com / referral,printemps"
    path.write_text(GA4_EXPORT.replace(f"{day},120", f"{day},125"))
    result = handle.import_file(path, "web-analytics-csv", org="Acme")
    assert (result.total("inserted"), result.total("updated"), result.total("unchanged")) == (
        0,
        1,
        4,
    )
    total = handle.sql("SELECT sum(sessions) AS n FROM web_traffic").to_pandas()["n"][0]
    assert total == 125 + 60 + 300 + 90 + 50


@pytest.mark.parametrize(
    ("source", "medium", "channel", "platform", "expected"),
    [
        ("m.facebook.com", "referral", None, None, "facebook"),
        ("https://l.facebook.com/l.php?u=x", None, None, None, "facebook"),
        ("l.instagram.com", "referral", None, None, "instagram"),
        ("t.co", "referral", None, None, "x"),
        ("lnkd.in", None, None, None, "linkedin"),
        ("youtu.be", None, None, None, "youtube"),
        ("mastodon.social", None, None, None, "mastodon"),
        ("piaille.fr", "social", None, None, "other"),
        ("bsky.app", None, None, None, "bluesky"),
        ("out.reddit.com", None, None, None, "reddit"),
        ("newsletter", "email", None, None, None),
        ("google", "cpc", None, None, None),
        ("(direct)", "(none)", "Organic Social", None, "other"),
        ("site.example", "referral", None, "linkedin", "linkedin"),
        (None, None, None, None, None),
    ],
)
def test_which_sessions_are_social(
    source: str | None,
    medium: str | None,
    channel: str | None,
    platform: str | None,
    expected: str | None,
) -> None:
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE t (source VARCHAR, medium VARCHAR, channel VARCHAR, platform VARCHAR)"
    )
    con.execute("INSERT INTO t VALUES (?, ?, ?, ?)", [source, medium, channel, platform])
    row = con.execute(f"SELECT {platform_sql('h')} FROM ({with_host('t')}) h").fetchall()[0][0]
    assert row == expected


def test_value_command_in_a_table_and_in_json(db_path: Path) -> None:
    runner = CliRunner()
    args = ["--db", str(db_path)]
    mapping = [a for k, v in AD_MAP.items() for a in ("--map", f"{k}={v}")]
    done = runner.invoke(cli, ["import", str(ADS), "--source", "costs-csv", "--org", "XYZ",
                               "--platform", "facebook", *mapping, *args])  # fmt: skip
    assert done.exit_code == 0, done.output
    shown = runner.invoke(cli, ["value", "--org", "XYZ", "--conversion-value", "50", *args])
    assert shown.exit_code == 0, shown.output
    assert "1178 *" in shown.output and "39,637.18" in shown.output
    as_json = runner.invoke(cli, ["value", "--org", "XYZ", "--campaign", "916", "--format",
                                  "json", *args])  # fmt: skip
    assert as_json.exit_code == 0, as_json.output
    data = json.loads(as_json.output)
    assert {"org", "period", "method", "currency", "funnel", "platforms", "campaigns",
            "warnings"} <= set(data)  # fmt: skip
    assert [c["name"] for c in data["campaigns"]] == ["916"]
    unknown = runner.invoke(cli, ["value", "--org", "Nobody", *args])
    assert unknown.exit_code != 0 and "XYZ" in unknown.output


def test_sources_lists_web_analytics_and_costs() -> None:
    result = CliRunner().invoke(cli, ["sources", "--format", "json"])
    names = {s["name"] for s in json.loads(result.output)}
    assert {"web-analytics-csv", "costs-csv"} <= names


def test_stats_count_traffic_and_costs(handle: jauge.Jauge) -> None:
    import_ads(handle)
    stats = handle.stats().to_dict()
    assert stats["entities"]["costs"] == 800
    assert stats["entities"]["web_traffic"] == 0


def test_undated_french_amounts(handle: jauge.Jauge, tmp_path: Path) -> None:
    path = tmp_path / "couts.csv"
    with path.open("w", newline="", encoding="cp1252") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["campaign", "spend", "currency"])
        w.writerow(["Été", "1 234,56 €", "EUR"])
        w.writerow(["Été", "0,44", "EUR"])
    assert handle.import_file(path, "costs-csv", org="Maison").ok
    report = handle.value("Maison").to_dict()
    (ete,) = report["campaigns"]
    assert ete["name"] == "été" and ete["spend"] == pytest.approx(1235.00)
    assert report["currency"] == "EUR"


def write_french_ads(path: Path, *, delimiter: str = ";", fixed_from: int | None = None) -> None:
    """The real ad rows as a French spreadsheet saves them: a decimal comma in every
    amount, with all its digits (``1,820000023``), Windows-1252, CRLF. Rows from
    ``fixed_from`` on are written with three decimals (``1,820``), as a number format
    with three decimals saves them."""
    with ADS.open(newline="") as f:
        rows = list(csv.DictReader(f))
    with path.open("w", newline="", encoding="cp1252") as f:
        w = csv.DictWriter(f, list(rows[0]), delimiter=delimiter, lineterminator="\r\n")
        w.writeheader()
        for n, row in enumerate(rows):
            spent = row["Spent"]
            if fixed_from is not None and n >= fixed_from:
                spent = f"{float(spent):.3f}"
            w.writerow({**row, "Spent": spent.replace(".", ",")})


def assert_spend_per_campaign_is_the_files(handle: jauge.Jauge) -> None:
    raw = ads()
    expected = raw["Spent"].round(2).groupby(raw["xyz_campaign_id"]).sum()  # to the cent
    stored = handle.sql(
        "SELECT campaign, sum(spend)::DOUBLE AS spend FROM costs GROUP BY 1"
    ).to_pylist()
    assert {r["campaign"]: r["spend"] for r in stored} == {
        str(c): pytest.approx(v, abs=0.005) for c, v in expected.items()
    }


def test_decimal_commas_followed_by_many_digits_are_decimals(
    handle: jauge.Jauge, tmp_path: Path
) -> None:
    """French Excel saves the ad file's amounts with every digit (``1,820000023``): the
    comma is their decimal mark, not a thousands separator."""
    write_french_ads(tmp_path / "kag_fr.csv")
    result = import_ads_from(handle, tmp_path / "kag_fr.csv")
    assert result.ok and result.total("invalid") == 0, result.errors[:3]
    assert_spend_per_campaign_is_the_files(handle)
    total = handle.sql("SELECT sum(spend)::DOUBLE AS s FROM costs").to_pylist()[0]["s"]
    assert total == pytest.approx(ads()["Spent"].round(2).sum(), abs=0.01)


def test_a_comma_before_three_digits_is_read_as_the_rest_of_the_column_says(
    handle: jauge.Jauge, tmp_path: Path
) -> None:
    """``358,190`` is 358.19 in a column where other amounts have a decimal comma
    (``1,820000023``), whatever the delimiter; a column that also has ``39,637.18``
    cannot be read."""
    path = tmp_path / "kag_fr_3.csv"
    write_french_ads(path, delimiter=",", fixed_from=400)
    lines = path.read_text(encoding="cp1252").splitlines()
    assert '"1,820000023"' in lines[1] and '"358,190"' in lines[-1]  # 358.19 or 358190?
    result = import_ads_from(handle, path)
    assert result.ok and not result.files[0].warnings, result.errors[:3]
    assert_spend_per_campaign_is_the_files(handle)

    # a campaign's total from an English report pasted at line 42
    raw = ads()
    total = raw[raw["xyz_campaign_id"] == 1178]["Spent"].sum()
    with path.open(newline="", encoding="cp1252") as f:
        rows = list(csv.reader(f))
    rows[41][rows[0].index("Spent")] = f"{total:,.2f}"
    with path.open("w", newline="", encoding="cp1252") as f:
        csv.writer(f, lineterminator="\r\n").writerows(rows)
    mixed = import_ads_from(handle, path)
    assert not mixed.ok
    (error,) = mixed.errors
    assert error.line == 42 and "'Spent'" in error.message
    assert "line 2 can only be read with a decimal comma" in error.message


def test_amounts_that_fit_either_reading_follow_the_delimiter(
    handle: jauge.Jauge, tmp_path: Path
) -> None:
    """With nothing in the column to tell, ``1,250`` is 1.25 in a file delimited by
    ``;`` (as French spreadsheets save them), 1250 in one delimited by commas; the import
    says how it read them."""
    for delimiter, spend in ((";", 1.25), (",", 1250.0)):
        path = tmp_path / f"costs{'semicolons' if delimiter == ';' else 'commas'}.csv"
        with path.open("w", newline="") as f:
            w = csv.writer(f, delimiter=delimiter)
            w.writerows([["campaign", "spend"], ["Spring", "1,250"], ["Spring", "2,500"]])
        result = handle.import_file(path, "costs-csv", org=f"Org{delimiter}")
        assert result.ok, result.errors
        (warning,) = result.files[0].warnings
        assert "2 values of the column 'spend' can be read" in warning
        (campaign,) = handle.value(f"Org{delimiter}").to_dict()["campaigns"]
        assert campaign["spend"] == pytest.approx(3 * spend)


def test_exports_are_recognised_without_source(tmp_path: Path) -> None:
    from jauge.sources.base import ImportOptions
    from jauge.sources.detect import detect_source

    (tmp_path / "ga4.csv").write_text(GA4_EXPORT)
    (tmp_path / "ads.csv").write_text(AD_COSTS)
    assert detect_source(str(tmp_path / "ga4.csv"), ImportOptions()) == "web-analytics-csv"
    assert detect_source(str(tmp_path / "ads.csv"), ImportOptions()) == "costs-csv"
    assert detect_source(str(ADS), ImportOptions()) == "costs-csv"  # its Spent column


def test_the_index_measures_business_impact_from_social_sessions(
    handle: jauge.Jauge, tmp_path: Path
) -> None:
    """The business impact pillar's indicators, over the index's window, from the same
    sessions as the value report; scored only against a reference panel that has them
    (the built-in one has none: no public data gives social sessions per reach)."""
    assert handle.import_file(UCI_FACEBOOK, "facebook-insights", org="Brand", year=2014).ok
    raw = write_named_sessions(tmp_path / "ga4.csv", 2014)
    assert handle.import_file(tmp_path / "ga4.csv", "web-analytics-csv", org="Brand",
                              mapping={"Revenue": "converted"}).ok  # fmt: skip
    start, end = pd.Timestamp("2014-10-01").date(), pd.Timestamp("2014-12-31").date()
    result = handle.score("Brand", start=start, end=end)
    window = raw[raw["Month"].isin(["Oct", "Nov", "Dec"])]
    social = window[window["TrafficType"].isin([3, 4, 5, 8])]
    conversion = result.components["conversion"]
    assert conversion.value == pytest.approx(social["Revenue"].mean())
    assert conversion.n == len(social)
    posts = handle.sql(
        "SELECT sum(s.reach)::BIGINT AS reach FROM content_items c JOIN (SELECT subject_id, "
        "arg_max(reach, observed_at) AS reach FROM metric_snapshots GROUP BY 1) s "
        "ON s.subject_id = c.item_id WHERE c.is_own AND c.created_at >= '2014-10-01'"
    ).to_pandas()["reach"][0]
    per_1k = result.components["sessions_per_1k_reach"]
    assert per_1k.value == pytest.approx(1000 * len(social) / posts)
    # the sessions say nothing of revenue: not measured, not zero
    assert result.components["value_per_session"].value is None
    assert any("conversion: no reference panel" in w for w in result.warnings)
    assert result.pillars["business_impact"].score is None
    # a store without web analytics: the pillar is left out as before, without a word more
    other = jauge.open(tmp_path / "plain.duckdb")
    assert other.import_file(UCI_FACEBOOK, "facebook-insights", org="Brand", year=2014).ok
    plain = other.score("Brand", start=start, end=end)
    assert "conversion" not in plain.components
    assert not any("conversion" in w for w in plain.warnings)
    other.close()


def test_session_ids_are_counted_never_kept(handle: jauge.Jauge, tmp_path: Path) -> None:
    path = tmp_path / "visits.csv"
    path.write_text(
        "idvisit,date,referrer,converted\n"
        "v-81,2024-05-02,https://l.facebook.com/l.php,no\n"
        "v-81,2024-05-02,https://l.facebook.com/l.php,yes\n"  # the same visit, two pages
        "v-82,2024-05-02,t.co,no\n"
    )
    result = handle.import_file(path, "web-analytics-csv", org="Acme")
    assert result.ok and result.total("inserted") == 2
    stored = handle.web_traffic.to_pandas()
    assert stored["session_id"].isna().all()
    # a visit's two rows (two pages) are one session, with the conversion of either
    assert sorted(stored["sessions"]) == [1, 1] and stored["conversions"].sum() == 1
    again = handle.import_file(path, "web-analytics-csv", org="Acme")
    assert again.total("unchanged") == 2 and again.total("inserted") == 0


def test_in_a_notebook_the_report_is_tables(handle: jauge.Jauge) -> None:
    import_ads(handle)
    report = handle.value("XYZ", conversion_value=50.0)
    campaigns = report.campaigns_table().to_pandas().set_index("name")
    raw = ads().groupby("xyz_campaign_id")["Spent"].apply(lambda s: s.round(2).sum())
    for campaign, spend in raw.items():
        assert campaigns.loc[str(campaign), "spend"] == pytest.approx(spend, abs=0.005)
        row = campaigns.loc[str(campaign)]
        assert row["platform_roi_low"] < row["platform_roi"] < row["platform_roi_high"]
    # every figure of the JSON is a column (its intervals as bounds)
    figures = set(report.to_dict()["campaigns"][0]) - {"roi_interval", "platform_roi_interval"}
    assert figures <= set(campaigns.columns) | {"name"}
    assert report.platforms_table().num_rows == 0  # no web analytics
    shown = report._repr_html_()
    assert "<table>" in shown and "1178" in shown and "no web analytics" in shown
    assert repr(report).startswith("Value of XYZ")
    # counts are whole numbers and days are days, as the JSON gives them (not 146,397,680.00)
    table = report.campaigns_table()
    for column in ("impressions", "clicks", "platform_conversions"):
        assert table.schema.field(column).type == pa.int64(), column
    assert table.schema.field("starts_on").type == pa.date32()
    impressions = int(ads().groupby("xyz_campaign_id")["Impressions"].sum().max())
    assert f"{impressions:,}</td>" in shown and f"{impressions:,}.00" not in shown
    with jauge.i18n.speaking("fr"):
        french = report._repr_html_()
    assert f"{impressions:,}".replace(",", "\u202f") + "</td>" in french


GA4_PREAMBLE = """\
# ----------------------------------------
# Traffic acquisition: Session source / medium
# Account: Acme
# Property: Acme website
# ----------------------------------------
#
# All Users
# Start date: 20240301
# End date: 20240331

"""


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_an_export_opening_with_comments_is_read_from_its_header(
    handle: jauge.Jauge, tmp_path: Path, encoding: str
) -> None:
    """Google Analytics 4 (and Google Ads) exports open with their title, account and dates
    on lines starting with #; errors still name the file's own line numbers."""
    path = tmp_path / "ga4.csv"
    path.write_text(GA4_PREAMBLE + GA4_EXPORT, encoding=encoding)
    from jauge.sources.base import ImportOptions
    from jauge.sources.detect import detect_source

    assert detect_source(str(path), ImportOptions()) == "web-analytics-csv"
    broken = tmp_path / "broken.csv"
    lines = (GA4_PREAMBLE + GA4_EXPORT).splitlines()
    bad = next(i for i, line in enumerate(lines) if line.startswith("20240302,l.instagram"))
    lines[bad] = lines[bad].replace(",60,", ",sixty,")
    broken.write_text("\n".join(lines) + "\n", encoding=encoding)
    refused = handle.import_file(broken, "web-analytics-csv", org="Acme", encoding=encoding)
    (error,) = refused.errors
    assert (error.line, error.field) == (bad + 1, "Sessions")
    result = handle.import_file(path, "web-analytics-csv", org="Acme", encoding=encoding)
    assert result.ok and result.total("inserted") == 5
    total = handle.sql("SELECT sum(sessions) AS n FROM web_traffic").to_pandas()["n"][0]
    assert total == 120 + 60 + 300 + 90 + 50


META_ADS_FR = (
    "Nom de la campagne,Début des rapports,Fin des rapports,Montant dépensé (EUR),"
    "Impressions,Clics sur un lien,Résultats\n"
    'Printemps,2024-03-01,2024-03-10,"1 000,00",250000,2400,30\n'
)
GA4_FR = (
    "Date,Source / support de la session,Campagne de la session,Sessions,"
    "Sessions avec engagement,Événements clés,Revenu total\n"
    '20240301,facebook.com / referral,printemps,120,80,4,"312,50"\n'
    '20240302,google / cpc,(not set),300,150,9,"2 500,00"\n'
)


def test_french_exports_are_read_as_they_come(handle: jauge.Jauge, tmp_path: Path) -> None:
    """Meta Ads Manager and Google Analytics 4 in French: their column names, French
    amounts, and the currency the spend column is named after."""
    from jauge.sources.base import ImportOptions
    from jauge.sources.detect import detect_source

    (tmp_path / "meta.csv").write_text(META_ADS_FR)
    (tmp_path / "ga4.csv").write_text(GA4_FR)
    assert detect_source(str(tmp_path / "meta.csv"), ImportOptions()) == "costs-csv"
    assert detect_source(str(tmp_path / "ga4.csv"), ImportOptions()) == "web-analytics-csv"
    assert handle.import_file(tmp_path / "meta.csv", org="Maison", platform="facebook").ok
    assert handle.import_file(tmp_path / "ga4.csv", org="Maison").ok
    handle.add_campaign("Printemps", org="Maison", start="2024-03-01", end="2024-03-10")
    report = handle.value("Maison").to_dict()
    # the analytics' revenue names no currency: it is read in the spend's, and said so
    assert report["currency"] == "EUR"
    assert report["warnings"] == [
        "some amounts come without a currency: they are read in EUR, the currency of the "
        "others; check that they are in EUR"
    ]
    (spring,) = report["campaigns"]
    assert spring["spend"] == pytest.approx(1000.0) and spring["clicks"] == 2400
    assert spring["platform_conversions"] == 30 and spring["sessions"] == 120
    assert spring["revenue"] == pytest.approx(312.5)
    assert spring["roi"] == pytest.approx((312.5 - 1000) / 1000)


def test_a_campaign_narrows_the_funnel_and_an_unknown_one_is_refused(
    handle: jauge.Jauge, tmp_path: Path
) -> None:
    import_ads(handle)
    raw = ads()
    one = handle.value("XYZ", campaign="1178").to_dict()
    spend = raw[raw["xyz_campaign_id"] == 1178]["Spent"].round(2).sum()
    assert [c["name"] for c in one["campaigns"]] == ["1178"]
    assert one["funnel"]["spend"] == pytest.approx(spend, abs=0.01)  # not every campaign's
    assert any("campaign's sessions and costs only" in w for w in one["warnings"])
    with pytest.raises(NotFoundError, match="no campaign 'nope'"):
        handle.value("XYZ", campaign="nope")
    # a defined campaign is measured over its own period by default
    (tmp_path / "ga4.csv").write_text(GA4_EXPORT)
    assert handle.import_file(tmp_path / "ga4.csv", "web-analytics-csv", org="Acme").ok
    handle.add_campaign("Spring", org="Acme", start="2024-03-01", end="2024-03-05",
                        utm_campaign="printemps")  # fmt: skip
    spring = handle.value("Acme", campaign="printemps").to_dict()
    assert (spring["period"]["start"], spring["period"]["end"]) == ("2024-03-01", "2024-03-05")
    assert spring["funnel"]["sessions"] == 120 + 60 + 300


@pytest.mark.parametrize("amount", [float("inf"), float("nan"), -1.0])
def test_a_conversion_value_that_is_no_amount_is_refused(
    handle: jauge.Jauge, amount: float
) -> None:
    import_ads(handle)
    with pytest.raises(ConfigError, match="value of a conversion"):
        handle.value("XYZ", conversion_value=amount)


def test_windows_ending_before_they_start_are_refused_everywhere(handle: jauge.Jauge) -> None:
    import_ads(handle)
    reversed_window = {"start": "2017-08-31", "end": "2017-08-01"}
    with pytest.raises(ConfigError, match="starts on 2017-08-31, after its last day"):
        handle.value("XYZ", **reversed_window)
    for call in (handle.score, handle.people, handle.topics):
        with pytest.raises(ConfigError, match="after its last day"):
            call("XYZ", **reversed_window)
    with pytest.raises(ConfigError, match="after its last day"):
        handle.compare("period", ["XYZ"], **reversed_window)


def test_the_python_api_takes_days_as_strings_and_timestamps(handle: jauge.Jauge) -> None:
    import_ads(handle)
    as_dates = handle.value("XYZ", start=date(2017, 8, 17), end=date(2017, 8, 20)).to_dict()
    for start, end in (
        ("2017-08-17", "2017-08-20"),
        (pd.Timestamp("2017-08-17"), datetime(2017, 8, 20, 23, 59)),
    ):
        assert handle.value("XYZ", start=start, end=end).to_dict() == as_dates
    with pytest.raises(ConfigError, match="start expects a day"):
        handle.value("XYZ", start="17/08/2017")


def test_comparing_every_organisation_lists_those_without_items_unscored(
    handle: jauge.Jauge,
) -> None:
    import_ads(handle)  # XYZ: ad costs, no items, so no index
    assert handle.import_file(UCI_FACEBOOK, "facebook-insights", org="Brand", year=2014).ok
    rows = handle.compare("org").rows
    assert [(r.unit, r.result.score is None) for r in rows] == [("Brand", False), ("XYZ", True)]
