"""Value QA findings F1-F8 (/tmp/qa/value.md): reversed cost periods, social hosts,
currency signs, campaign names with spaces, unusable option values, the warnings on
campaigns, and the French wording. Real data: the Kaggle ad campaigns and the UCI shop's
sessions (tests/data/*/SOURCE.md), as tests/test_value.py uses them."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

import jauge
from jauge.cli.main import cli
from jauge.value.channels import platform_sql, with_host

from .test_value import AD_MAP, ADS, MONTHS, SESSIONS, import_ads
from .test_web_pages import login
from .webstore import WebStore


def meta_export(path: Path, rows: int = 6) -> pd.DataFrame:
    """The first Kaggle ads as a Meta Ads Manager export: one reporting period per ad
    (a week each, from 2017-03-01: the Kaggle file gives no dates)."""
    raw = pd.read_csv(ADS).head(rows)
    starts = pd.date_range("2017-03-01", periods=rows, freq="7D")
    frame = pd.DataFrame(
        {
            "Campaign name": raw["xyz_campaign_id"],
            "Ad name": raw["ad_id"],
            "Reporting starts": starts.strftime("%Y-%m-%d"),
            "Reporting ends": (starts + pd.Timedelta(days=6)).strftime("%Y-%m-%d"),
            "Amount spent (USD)": raw["Spent"].round(2),
            "Impressions": raw["Impressions"],
            "Link clicks": raw["Clicks"],
        }
    )
    frame.to_csv(path, index=False)
    return frame


def test_f1_a_cost_period_ending_before_it_starts_is_refused(
    handle: jauge.Jauge, tmp_path: Path
) -> None:
    path = tmp_path / "meta.csv"
    frame = meta_export(path)
    frame.loc[1, ["Reporting starts", "Reporting ends"]] = ["2017-03-20", "2017-03-08"]
    frame.to_csv(path, index=False)
    result = handle.import_file(path, "costs-csv", org="XYZ", platform="facebook")
    assert not result.ok
    (error,) = result.errors
    assert (error.file, error.line, error.field) == (str(path), 3, "Reporting ends")
    assert '"2017-03-20"' in error.message and '"2017-03-08"' in error.message
    assert handle.costs.to_arrow().num_rows == 0  # all or nothing
    meta_export(path)  # in order, every row counts
    assert handle.import_file(path, "costs-csv", org="XYZ", platform="facebook").ok
    spend = handle.value("XYZ").to_dict()["funnel"]["spend"]
    assert spend == pytest.approx(pd.read_csv(ADS).head(6)["Spent"].round(2).sum())


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("fr.linkedin.com", "linkedin"),
        ("business.facebook.com", "facebook"),
        ("lm.facebook.com", "facebook"),
        ("https://fr-fr.facebook.com/groups/x", "facebook"),
        ("android-app://com.linkedin.android", "linkedin"),
        ("android-app://com.facebook.katana/", "facebook"),
        ("android-app://com.instagram.android", "instagram"),
        ("android-app://com.google.android.gm", None),  # Gmail is no social platform
        ("notfacebook.com", None),  # a suffix is a subdomain only after a dot
    ],
)
def test_f2_subdomains_and_app_referrers_are_their_platform(
    source: str, expected: str | None
) -> None:
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE t (source VARCHAR, medium VARCHAR, channel VARCHAR, platform VARCHAR)"
    )
    con.execute("INSERT INTO t VALUES (?, 'referral', NULL, NULL)", [source])
    row = con.execute(f"SELECT {platform_sql('h')} FROM ({with_host('t')}) h").fetchall()[0][0]
    assert row == expected


def test_f2_sessions_from_subdomains_are_counted(handle: jauge.Jauge, tmp_path: Path) -> None:
    raw = pd.read_csv(SESSIONS)
    hosts = {3: "business.facebook.com", 4: "android-app://com.linkedin.android",
             5: "fr.linkedin.com"}  # fmt: skip
    raw = raw[raw["TrafficType"].isin(hosts)].copy()
    raw["source"] = raw["TrafficType"].map(hosts)
    raw["medium"] = "referral"
    raw.to_csv(tmp_path / "s.csv", index=False)
    assert handle.import_file(tmp_path / "s.csv", "web-analytics-csv", org="Shop", year=2017,
                              mapping={"Revenue": "converted"}).ok  # fmt: skip
    report = handle.value("Shop").to_dict()
    platforms = {p["platform"]: p["sessions"] for p in report["platforms"]}
    assert platforms == {
        "facebook": int((raw["TrafficType"] == 3).sum()),
        "linkedin": int(raw["TrafficType"].isin([4, 5]).sum()),
    }
    assert report["funnel"]["social_sessions"] == len(raw)


def test_f3_a_currency_sign_gives_the_currency_and_never_contradicts_it(
    handle: jauge.Jauge, tmp_path: Path
) -> None:
    raw = pd.read_csv(ADS).head(20)
    euros = raw.assign(Spent=raw["Spent"].round(2).astype(str) + " €")
    euros.to_csv(tmp_path / "eur.csv", index=False)
    assert handle.import_file(tmp_path / "eur.csv", "costs-csv", org="XYZ", mapping=AD_MAP).ok
    report = handle.value("XYZ").to_dict()
    assert report["currency"] == "EUR"
    assert not any("currency" in w for w in report["warnings"])
    # a dollar amount in a row whose currency column says EUR: refused, never relabelled
    dollars = raw.assign(Spent=raw["Spent"].round(2).astype(str), currency="EUR")
    dollars.loc[4, "Spent"] = "$" + dollars.loc[4, "Spent"]
    dollars.to_csv(tmp_path / "usd.csv", index=False)
    result = handle.import_file(tmp_path / "usd.csv", "costs-csv", org="ABC", mapping=AD_MAP)
    assert not result.ok
    (error,) = result.errors
    assert (error.line, error.field) == (6, "Spent")
    assert "EUR" in error.message
    # a spend column named after its currency says it too
    meta = meta_export(tmp_path / "meta.csv")
    meta["Amount spent (USD)"] = meta["Amount spent (USD)"].astype(str)
    meta.loc[0, "Amount spent (USD)"] += " €"
    meta.to_csv(tmp_path / "meta.csv", index=False)
    result = handle.import_file(tmp_path / "meta.csv", "costs-csv", org="ABC")
    assert [(e.line, e.field) for e in result.errors] == [(2, "Amount spent (USD)")]
    assert handle.costs.to_arrow().num_rows == len(raw)  # only the first file's


def test_f3_web_revenue_in_pounds_in_a_euro_row_is_refused(
    handle: jauge.Jauge, tmp_path: Path
) -> None:
    raw = pd.read_csv(SESSIONS).head(50).drop(columns="Revenue")
    raw = raw.assign(revenue=raw["PageValues"].round(2).astype(str) + " €", currency="EUR")
    raw.loc[9, "revenue"] = raw.loc[9, "revenue"].replace("€", "£")
    raw.to_csv(tmp_path / "s.csv", index=False)
    result = handle.import_file(tmp_path / "s.csv", "web-analytics-csv", org="Shop", year=2017,
                                mapping={"TrafficType": "source"})  # fmt: skip
    assert [(e.line, e.field) for e in result.errors] == [(11, "revenue")]


def test_f4_campaign_names_are_trimmed_and_blank_ones_refused(db_path: Path) -> None:
    with jauge.open(db_path) as handle:
        import_ads(handle)
    runner = CliRunner()
    base = ["campaign", "add", "--db", str(db_path)]
    window = ["--org", "XYZ", "--from", "2017-08-17", "--to", "2017-08-30"]
    blank = runner.invoke(cli, [*base, " ", *window])
    assert blank.exit_code == 2 and "NAME" in blank.output and "blank" in blank.output
    empty = runner.invoke(cli, [*base, "Big", *window, "--utm-campaign", ""])
    assert empty.exit_code == 2 and "--utm-campaign" in empty.output
    added = runner.invoke(cli, [*base, " Big ", *window, "--utm-campaign", " 1178 "])
    assert added.exit_code == 0, added.output
    listed = runner.invoke(cli, ["campaign", "list", "--db", str(db_path), "--format", "json"])
    (campaign,) = json.loads(listed.output)
    assert (campaign["name"], campaign["utm_campaign"]) == ("Big", "1178")
    with jauge.open(db_path) as handle:
        for asked in (" 1178", "BIG "):
            report = handle.value("XYZ", campaign=asked).to_dict()
            assert [c["name"] for c in report["campaigns"]] == ["Big"]


def test_f5_unusable_option_values_are_usage_errors_naming_the_option(db_path: Path) -> None:
    with jauge.open(db_path) as handle:
        import_ads(handle)
    runner = CliRunner()
    base = ["value", "--db", str(db_path), "--org", "XYZ"]
    for args, option in (
        (["--from", "2017-08-31", "--to", "2017-08-01"], "'--to'"),
        (["--conversion-value", "nan"], "'--conversion-value'"),
        (["--conversion-value", "inf"], "'--conversion-value'"),
        (["--conversion-value", "abc"], "'--conversion-value'"),
    ):
        result = runner.invoke(cli, [*base, *args])
        assert result.exit_code == 2, (args, result.output)
        assert option in result.output
    assert "not a valid float" not in result.output  # said as an amount
    ok = runner.invoke(cli, [*base, "--conversion-value", "40", "--format", "json"])
    assert json.loads(ok.output)["conversion_value"] == 40


def test_f5_the_api_and_the_page_refuse_nan_and_inf_naming_the_field(
    app_client: TestClient, web_store: WebStore
) -> None:
    for worth in ("nan", "inf", "1e400"):
        params = {"org": "Cosmetics brand", "conversion_value": worth}
        r = app_client.get("/api/v1/value", params=params, headers=web_store.auth("viewer"))
        assert r.status_code == 422, (worth, r.text)
        assert "conversion_value" in json.dumps(r.json())
    login(app_client, web_store.email("viewer"))
    for worth in ("nan", "inf"):
        params = {"org": "Cosmetics brand", "conversion_value": worth, "lang": "en"}
        page = app_client.get("/value", params=params)
        assert page.status_code == 400
        assert "(field conversion_value)" in html.unescape(page.text)
        assert 'id="funnel-spec"' in page.text  # the Value page, kept


def tagged_sessions(path: Path) -> pd.DataFrame:
    """The UCI sessions, their traffic code as the UTM campaign (one row per session,
    on its month's first day of 2017)."""
    raw = pd.read_csv(SESSIONS)
    raw["day"] = raw["Month"].map(lambda m: f"2017-{MONTHS[m]:02d}-01")
    raw["campaign"] = raw["TrafficType"].astype(str)
    raw[["day", "campaign", "Revenue"]].to_csv(path, index=False)
    return raw


def test_f6_f7_overlapping_campaigns_and_sessions_outside_their_days_are_said(
    handle: jauge.Jauge, tmp_path: Path
) -> None:
    raw = tagged_sessions(tmp_path / "s.csv")
    assert handle.import_file(tmp_path / "s.csv", "web-analytics-csv", org="Shop",
                              mapping={"Revenue": "converted"}).ok  # fmt: skip
    handle.add_campaign("Big", org="Shop", start="2017-03-01", end="2017-05-31",
                        utm_campaign="2")  # fmt: skip
    report = handle.value("Shop", start="2017-01-01", end="2017-12-31").to_dict()
    two = raw[raw["campaign"] == "2"]
    inside = two["Month"].isin(["Mar", "May"])  # the UCI file has no April
    (big,) = [c for c in report["campaigns"] if c["name"] == "Big"]
    assert big["sessions"] == int(inside.sum())
    outside = [w for w in report["warnings"] if "outside the days" in w]
    assert int((~inside).sum()) > 1 and outside == [
        f"{int((~inside).sum())} sessions tagged with the campaign 2 fall outside the days "
        "of the campaigns defined for it: no campaign row counts them"
    ]
    assert not any("overlap" in w for w in report["warnings"])
    handle.add_campaign("Big2", org="Shop", start="2017-05-01", end="2017-07-31",
                        utm_campaign="2")  # fmt: skip
    report = handle.value("Shop", start="2017-01-01", end="2017-12-31").to_dict()
    (overlap,) = [w for w in report["warnings"] if "overlap" in w]
    assert "Big and Big2" in overlap and "2017-05-01 to 2017-05-31" in overlap
    # the May sessions are in both rows, as the warning says
    rows = {c["name"]: c["sessions"] for c in report["campaigns"]}
    may = int((two["Month"] == "May").sum())
    both = int(two["Month"].isin(["Mar", "May", "June", "Jul"]).sum())
    assert rows["Big"] + rows["Big2"] == both + may


def test_f8_french_words_minus_signs_and_names_as_exported(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = pd.read_csv(SESSIONS)
    raw = raw[raw["TrafficType"].isin([1, 2])].copy()
    # a campaign only the export names, written with capitals
    raw["campaign"] = raw["TrafficType"].map({1: "Printemps", 2: None})
    raw["source"], raw["medium"] = "facebook.com", "referral"
    raw.to_csv(tmp_path / "s.csv", index=False)
    with jauge.open(db_path) as handle:
        import_ads(handle, org="Shop")
        assert handle.import_file(tmp_path / "s.csv", "web-analytics-csv", org="Shop",
                                  year=2017, mapping={"Revenue": "converted"}).ok  # fmt: skip
        report = handle.value("Shop", conversion_value=1).to_dict()
    # matched by its name in any case (name), shown as the export writes it (label)
    (spring,) = [c for c in report["campaigns"] if c["name"] == "printemps"]
    assert spring["label"] == "Printemps" and not spring["defined"]
    # at 1 a conversion, the ads' purchases do not pay their spend
    assert any((c["platform_roi"] or 0) < 0 for c in report["campaigns"])
    monkeypatch.setenv("JAUGE_LANG", "fr")
    out = CliRunner().invoke(cli, ["value", "--db", str(db_path), "--org", "Shop",
                                   "--conversion-value", "1"]).output  # fmt: skip
    # one French word for a session, as the index and the reports say it: "visite"
    assert "Printemps *" in out and "visites (" in out and "session" not in out
    assert re.search("\u2212[0-9]", out) and not re.search(r"(?<![\w-])-[0-9]", out)


def test_f8_the_value_page_chart_names_other_and_writes_french_minus(
    app_client: TestClient, web_store: WebStore
) -> None:
    login(app_client, web_store.email("viewer"))
    params = {"org": "Cosmetics brand", "conversion_value": "1", "lang": "fr"}
    data = app_client.get("/api/v1/value", params=params, headers=web_store.auth("viewer")).json()
    page = app_client.get("/value", params=params).text
    chart = re.search(r'<script type="application/json" id="funnel-spec">(.*?)</script>', page,
                      re.S)  # fmt: skip
    assert chart
    bars = {v["platform"] for v in json.loads(html.unescape(chart[1]))["data"]["values"]}
    assert "other" not in bars
    if any(p["platform"] == "other" for p in data["platforms"]):
        assert "autre réseau social" in bars
    assert any((c["platform_roi"] or 0) < 0 for c in data["campaigns"])
    table = page.split('data-testid="campaigns"')[1].split("</table>")[0]
    assert "\u2212" in table and not re.search(r"(?<![\w-])-[0-9]", table)


def test_f2_an_app_referrer_in_one_source_medium_column_is_its_platform(
    handle: jauge.Jauge, tmp_path: Path
) -> None:
    """GA's "Session source / medium" in one column: the medium is after the last slash, so
    a source holding slashes of its own (an Android app's address) stays whole."""
    raw = pd.read_csv(SESSIONS)
    hosts = {3: "business.facebook.com", 4: "android-app://com.linkedin.android"}
    raw = raw[raw["TrafficType"].isin(hosts)].copy()
    raw["Session source / medium"] = raw["TrafficType"].map(hosts) + " / referral"
    raw.to_csv(tmp_path / "s.csv", index=False)
    assert handle.import_file(tmp_path / "s.csv", "web-analytics-csv", org="Shop", year=2017,
                              mapping={"Revenue": "converted"}).ok  # fmt: skip
    report = handle.value("Shop").to_dict()
    platforms = {p["platform"]: p["sessions"] for p in report["platforms"]}
    assert platforms == {
        "facebook": int((raw["TrafficType"] == 3).sum()),
        "linkedin": int((raw["TrafficType"] == 4).sum()),
    }
    mediums = handle.sql("SELECT DISTINCT medium FROM web_traffic").to_pylist()
    assert mediums == [{"medium": "referral"}]


def test_the_index_counts_subdomain_sessions_from_1_0_3_and_keeps_1_0_2_as_published(
    handle: jauge.Jauge, tmp_path: Path
) -> None:
    """The business impact pillar reads the same social sessions as `jauge value` from
    index 1.0.3 (fr.linkedin.com is LinkedIn); 1.0.2 keeps the figures it gave."""
    from jauge.metrics.spec import LATEST

    from .conftest import UCI_FACEBOOK

    assert handle.import_file(UCI_FACEBOOK, "facebook-insights", org="Brand", year=2014).ok
    raw = pd.read_csv(SESSIONS)
    raw = raw[raw["TrafficType"] == 5].copy()  # one of the shop's real traffic sources
    raw["Session source / medium"] = "fr.linkedin.com / referral"
    raw["Date"] = raw["Month"].map(lambda m: f"2014{MONTHS[m]:02d}01")
    raw.to_csv(tmp_path / "ga4.csv", index=False)
    assert handle.import_file(tmp_path / "ga4.csv", "web-analytics-csv", org="Brand",
                              mapping={"Revenue": "converted"}).ok  # fmt: skip
    window = {"start": pd.Timestamp("2014-10-01").date(), "end": pd.Timestamp("2014-12-31").date()}
    latest = handle.score("Brand", **window)
    published = handle.score("Brand", version="jauge-index/1.0.2", **window)
    assert latest.index_version == LATEST
    social = handle.value("Brand", **window).to_dict()["funnel"]["social_sessions"]
    assert social > 0
    assert latest.components["sessions_per_1k_reach"].value > 0
    reach = latest.components["sessions_per_1k_reach"]
    assert published.components["sessions_per_1k_reach"].value == 0 < reach.value


def test_an_organisation_without_web_analytics_still_shows_what_it_reached(
    handle: jauge.Jauge,
) -> None:
    """QA (docs pass) F2: without web analytics or costs, the funnel's reach is still
    what the own posts reached (the UCI page, October to December 2014, summed from the
    file), and an unknown campaign is still refused."""
    from jauge.errors import NotFoundError

    from .conftest import UCI_FACEBOOK

    assert handle.import_file(UCI_FACEBOOK, "facebook-insights", org="Brand", year=2014).ok
    posts = pd.read_csv(UCI_FACEBOOK, sep=";")
    autumn = posts[posts["Post Month"].between(10, 12)]
    start, end = pd.Timestamp("2014-10-01").date(), pd.Timestamp("2014-12-31").date()
    report = handle.value("Brand", start=start, end=end).to_dict()
    assert report["funnel"]["reach"] == int(autumn["Lifetime Post Total Reach"].sum())
    assert [p["platform"] for p in report["platforms"]] == ["facebook"]
    assert any("no web analytics or costs" in w for w in report["warnings"])
    with pytest.raises(NotFoundError):
        handle.value("Brand", start=start, end=end, campaign="nope")
