"""QA findings D1, D2, D6 and D8 (docs walkthrough on demo stores): sessions unknown, not
zero, without web analytics; an organisation whose items all lie outside the shared window
of `jauge compare --by org` says where they are; a window too short for the index is a
usage error wherever it is scored; `/report` without `org` reports on the first one.

Real data only: the UCI cosmetics brand's Facebook posts (reach, no web analytics), the
Kaggle ad costs, the airline tweets (February 2015) and the French media tweets (2022).
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

import jauge
from jauge.cli.main import cli
from jauge.errors import UsageError

from .conftest import AIRLINE_TWEETS, FRENCH_MAP, FRENCH_TWEETS_CSV, UCI_FACEBOOK
from .test_value import AD_MAP, ADS
from .test_web_pages import login
from .webstore import WebStore

OUTSIDE = (
    "{org} has no items from {start} to {end} (its items run from {first} to {last}): "
    "choose the window with --from/--to"
)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def uci_reach() -> int:
    """What the UCI page's 500 posts reached (their lifetime reach), from the raw file."""
    raw = pd.read_csv(UCI_FACEBOOK, sep=";")
    return int(raw["Lifetime Post Total Reach"].sum())


# -- D1: without web analytics in the period, sessions are unknown (null, shown —) -------


@pytest.fixture(scope="module")
def posts_only(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The UCI brand's posts (reach, no web analytics), and the ad costs alone as Acme2."""
    path = tmp_path_factory.mktemp("d1") / "value.duckdb"
    with jauge.open(path) as j:
        assert j.import_file(UCI_FACEBOOK, "facebook-insights", org="Brand", year=2014).ok
        assert j.import_file(ADS, "costs-csv", org="Acme2", platform="facebook", mapping=AD_MAP).ok
    return path


def test_posts_without_web_analytics_give_unknown_sessions_not_zero(posts_only: Path) -> None:
    with jauge.open(posts_only) as j:
        report = j.value("Brand")
        data = report.to_dict()
        shown = repr(report)
    funnel = data["funnel"]
    assert funnel["reach"] == uci_reach()
    assert funnel["sessions"] is None and funnel["social_sessions"] is None
    (facebook,) = data["platforms"]
    assert facebook["reach"] == uci_reach()
    assert facebook["sessions"] is None and facebook["sessions_per_1k_reach"] is None
    assert "— sessions, — from social media" in shown

    code, out, _ = run("value", "--org", "Brand", "--db", str(posts_only), "--format", "json")
    assert code == 0
    assert json.loads(out)["platforms"][0]["sessions"] is None
    code, out, _ = run("value", "--org", "Brand", "--db", str(posts_only))
    assert code == 0
    assert "— sessions (— from social media, —)" in out
    row = next(line.split() for line in out.splitlines() if line.startswith("facebook"))
    assert row[:5] == ["facebook", f"{uci_reach():,}", "—", "—", "—"]


def test_costs_only_give_unknown_sessions_under_their_warning(posts_only: Path) -> None:
    with jauge.open(posts_only) as j:
        data = j.value("Acme2").to_dict()
    assert data["funnel"]["sessions"] is None and data["funnel"]["social_sessions"] is None
    assert data["funnel"]["spend"] == pytest.approx(
        pd.read_csv(ADS)["Spent"].round(2).sum(), abs=0.01
    )
    assert {c["name"] for c in data["campaigns"]} == {"916", "936", "1178"}
    for c in data["campaigns"]:
        assert c["sessions"] is None and c["social_sessions"] is None
        assert c["cost_per_session"] is None
    code, out, _ = run("value", "--org", "Acme2", "--db", str(posts_only))
    assert code == 0
    assert "— sessions (— from social media" in out
    for name in ("916", "936", "1178"):
        # named by the export only: "916 *", then spend, then sessions
        cells = next(line.split() for line in out.splitlines() if line.startswith(f"{name} *"))
        assert cells[3] == "—", cells
    assert "sessions, conversions and revenue are unknown" in out


def test_a_period_without_web_analytics_in_the_api_and_the_dashboard(
    app_client: TestClient, web_store: WebStore
) -> None:
    """The web store's brand: posts all through 2014, sessions dated on the first day of
    the UCI shop's months, which skip January."""
    with jauge.open(web_store.path, workspace="brands", read_only=True) as j:
        january = j.sql(
            "SELECT count(*) AS n FROM web_traffic WHERE day < DATE '2014-02-01'"
        ).to_pylist()[0]["n"]
        posts = j.sql(
            "SELECT count(*) AS n FROM content_items WHERE is_own "
            "AND created_at < TIMESTAMP '2014-02-01'"
        ).to_pylist()[0]["n"]
    assert january == 0 and posts > 0
    window = {"org": "Cosmetics brand", "from": "2014-01-01", "to": "2014-01-31"}
    api = app_client.get("/api/v1/value", params=window, headers=web_store.auth("viewer"))
    assert api.status_code == 200
    body = api.json()
    assert body["funnel"]["reach"] > 0
    assert body["funnel"]["sessions"] is None and body["funnel"]["social_sessions"] is None
    assert [p["sessions"] for p in body["platforms"]] == [None]
    assert body["platforms"][0]["sessions_per_1k_reach"] is None

    login(app_client, web_store.email("viewer"))
    page = app_client.get("/value", params={**window, "lang": "fr"}).text
    funnel = page.split('data-testid="funnel"')[1].split("</table>")[0]
    cells = re.findall(r"<td>(.*?)</td>", funnel, re.S)
    assert cells[1].strip() == "—" and cells[2].strip().startswith("—"), cells
    platforms = page.split('data-testid="platforms"')[1].split("</table>")[0]
    cells = re.findall(r"<td>(.*?)</td>", platforms, re.S)
    assert cells[0] == "facebook" and cells[2:4] == ["—", "—"], cells


# -- D2: an organisation with items only outside the shared window says where they are ---


@pytest.fixture(scope="module")
def two_eras(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Delta: the airline tweets (February 2015); Brand: the French media's (2022), whose
    latest item sets the window of `compare --by org`."""
    path = tmp_path_factory.mktemp("d2") / "eras.duckdb"
    with jauge.open(path) as j:
        assert j.import_file(AIRLINE_TWEETS, "tweets-csv", org="Delta").ok
        assert j.import_file(
            FRENCH_TWEETS_CSV, "posts-csv", org="Brand", platform="x", mapping=FRENCH_MAP
        ).ok
    return path


def delta_days() -> tuple[str, str]:
    """The first and last day of the airline tweets, in UTC as jauge stores them."""
    days = pd.to_datetime(pd.read_csv(AIRLINE_TWEETS)["tweet_created"], utc=True).dt.date
    return days.min().isoformat(), days.max().isoformat()


def test_compare_by_org_says_where_the_items_of_an_organisation_are(two_eras: Path) -> None:
    db = str(two_eras)
    code, out, _ = run("compare", "--by", "org", "--org", "Delta", "--org", "Brand",
                       "--db", db, "--format", "json")  # fmt: skip
    assert code == 0
    delta, brand = json.loads(out)["rows"]
    first, last = delta_days()
    said = OUTSIDE.format(org="Delta", start=delta["from"], end=delta["to"], first=first,
                          last=last)  # fmt: skip
    assert delta["score"] is None and delta["warnings"][0] == said
    assert last < delta["from"]  # the window is Brand's: the latest item of any of them
    # importing is not the cure: the data is elsewhere in time
    assert not any("import own posts" in w for w in delta["warnings"])
    assert brand["score"] is not None and not brand["warnings"][0].startswith("Brand has no")

    code, out, _ = run("compare", "--by", "org", "--org", "Delta", "--org", "Brand",
                       "--db", db, "--format", "csv")  # fmt: skip
    notes = {r["unit"]: r["note"] for r in csv.DictReader(io.StringIO(out))}
    assert notes == {"Delta": said, "Brand": ""}
    code, out, err = run("compare", "--by", "org", "--org", "Delta", "--org", "Brand", "--db", db)
    assert code == 0 and said in " ".join(err.split())

    # over Delta's own days, it is measured as any other and Brand is the one elsewhere
    code, out, _ = run("compare", "--by", "org", "--org", "Delta", "--org", "Brand",
                       "--from", "2015-01-01", "--to", "2015-02-28", "--db", db,
                       "--format", "json")  # fmt: skip
    delta, brand = json.loads(out)["rows"]
    assert not delta["warnings"] or not delta["warnings"][0].startswith("Delta has no")
    assert brand["warnings"][0].startswith("Brand has no items from 2015-01-01 to 2015-02-28")


def test_the_reason_is_said_in_french(two_eras: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JAUGE_LANG", "fr")
    first, last = delta_days()
    code, out, _ = run("compare", "--by", "org", "--org", "Delta", "--org", "Brand",
                       "--db", str(two_eras), "--format", "csv")  # fmt: skip
    assert code == 0
    row = next(r for r in csv.DictReader(io.StringIO(out)) if r["unit"] == "Delta")
    code, _, err = run("compare", "--by", "org", "--org", "Delta", "--org", "Brand",
                       "--db", str(two_eras))  # fmt: skip
    assert code == 0
    assert (
        f"Delta n'a aucun contenu du {row['from']} au {row['to']} (ses contenus vont du "
        f"{first} au {last}) : choisissez la période avec --from/--to"
    ) in " ".join(err.split())


def test_score_over_a_window_without_items_gives_no_advice_to_import(two_eras: Path) -> None:
    with jauge.open(two_eras) as j:
        result = j.score("Delta", start="2022-03-01", end="2022-05-17")
    assert result.score is None
    assert result.warnings[0].startswith("nothing to measure from 2022-03-01 to 2022-05-17")
    assert not any("import own posts" in w for w in result.warnings)


# -- D6: a window too short for the index is a usage error, as a reversed one -----------


SHORT = ("--from", "2014-10-01", "--to", "2014-10-10")
REVERSED = ("--from", "2014-10-11", "--to", "2014-10-10")


@pytest.mark.parametrize(
    "command",
    [
        ("score", "--org", "Brand"),
        ("score", "--org", "Brand", "--campaign", "Autumn"),
        ("compare", "--by", "org"),
        ("report", "--org", "Brand"),
    ],
)
def test_a_window_too_short_exits_2_as_a_reversed_one(
    posts_only: Path, tmp_path: Path, command: tuple[str, ...]
) -> None:
    db = tmp_path / "copy.duckdb"
    db.write_bytes(posts_only.read_bytes())
    with jauge.open(db) as j:
        j.add_campaign("Autumn", org="Brand", start="2014-09-01", end="2014-11-30")
    extra = ("--output", str(tmp_path / "r.html")) if command[0] == "report" else ()
    for window in (SHORT, REVERSED):
        code, out, err = run(*command, *window, *extra, "--db", str(db))
        assert code == 2, (command, window, out, err)
    code, out, _ = run(*command, *SHORT, *extra, "--db", str(db), "--format", "json")
    assert code == 2
    error = json.loads(out)["error"]
    assert error["code"] == "usage"
    assert error["message"].startswith("the index needs at least 28 days")


def test_the_python_api_raises_a_usage_error_and_the_rest_api_a_400(
    posts_only: Path, app_client: TestClient, web_store: WebStore
) -> None:
    with jauge.open(posts_only) as j, pytest.raises(UsageError, match="at least 28 days"):
        j.score("Brand", start="2014-10-01", end="2014-10-10")
    for window in ({"from": "2014-10-01", "to": "2014-10-10"},
                   {"from": "2014-10-11", "to": "2014-10-10"}):  # fmt: skip
        answer = app_client.get(
            "/api/v1/score",
            params={"org": "Cosmetics brand", **window},
            headers=web_store.auth("viewer"),
        )
        assert answer.status_code == 400 and answer.json()["error"]["code"] == "config"


# -- D8: /report without org, as the other pages: the first organisation ----------------


def test_the_report_page_without_org_reports_on_the_first_organisation(
    app_client: TestClient, web_store: WebStore
) -> None:
    login(app_client, web_store.email("viewer"))
    overview = app_client.get("/overview").text
    shown = re.search(r"<h1[^>]*>.*?</h1>", overview, re.S)
    assert shown
    first = next(
        name
        for name in ("Cosmetics brand", "American", "Delta", "Southwest", "United")
        if name in shown.group(0)
    )
    default = app_client.get("/report")
    assert default.status_code == 200, default.text[:500]
    named = app_client.get("/report", params={"org": first})
    # the same document: its file name (organisation and days) and its headline
    assert default.headers["content-disposition"] == named.headers["content-disposition"]
    assert first.lower().replace(" ", "-") in default.headers["content-disposition"].lower()
    title = re.compile(r"<h1[^>]*>.*?</h1>", re.S)
    assert title.findall(default.text) == title.findall(named.text)


def test_the_report_page_of_a_workspace_without_organisations_says_so(
    writable_client: TestClient, fresh_web_store: WebStore
) -> None:
    from jauge.users import add_user, add_workspace

    with jauge.open(fresh_web_store.path) as j:
        add_workspace(j.store, "empty")
        add_user(j.store, "viewer@empty.example", "correct horse battery", "empty", "viewer")
    login(writable_client, "viewer@empty.example")
    page = writable_client.get("/report")
    assert page.status_code == 200
    assert "/sources" in page.text
