"""When an export's counts were observed: the dashboard's upload form and ``POST
/api/v1/imports`` take it as ``jauge import --observed-at`` does (QA F3), and no import
path takes a time in the future, which would stay the index's latest counts (QA F4)."""

from __future__ import annotations

import csv
import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

import jauge
from jauge.cli.main import cli
from jauge.store.duckdb_store import utcnow
from jauge.users import add_user, add_workspace, create_token
from jauge.web import create_app

from .conftest import UCI_FACEBOOK
from .test_web_pages import PASSWORD, csrf_of, login

ANALYST = "analyst@weekly.example"
ORG = "Cosmetics brand"
#: three posts of the UCI file whose likes the second weekly export raises
LIKED = (3, 8, 13)


@dataclass
class Weekly:
    """A store with one analyst, and two weekly exports of the UCI Page to upload."""

    path: Path
    token: str
    first: bytes  # the real file, downloaded on 2015-01-05
    second: bytes  # a week later: three posts liked 20 more times

    def snapshots(self) -> list[tuple[str, int]]:
        """(day observed, number of snapshots) of every snapshot in the store."""
        with jauge.open(self.path) as j:
            rows = j.store.con.execute(
                "SELECT observed_at::VARCHAR, count(*) FROM metric_snapshots GROUP BY 1 ORDER BY 1"
            ).fetchall()
        return [(str(day), int(n)) for day, n in rows]

    def liked_later(self) -> list[int]:
        """The likes the snapshots of 2015-01-12 hold."""
        with jauge.open(self.path) as j:
            rows = j.store.con.execute(
                "SELECT reactions FROM metric_snapshots "
                "WHERE observed_at = TIMESTAMP '2015-01-12' ORDER BY 1"
            ).fetchall()
        return [int(r[0]) for r in rows]

    def imports(self) -> int:
        with jauge.open(self.path) as j:
            return int(j.store.con.execute("SELECT count(*) FROM imports").fetchone()[0])


def _second_week(tmp_path: Path) -> tuple[bytes, list[int]]:
    rows = list(csv.DictReader(UCI_FACEBOOK.open(encoding="utf-8"), delimiter=";"))
    raised = {i: int(rows[i]["like"]) + 20 for i in LIKED}
    path = tmp_path / "week2.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, list(rows[0]), delimiter=";")
        writer.writeheader()
        for i, row in enumerate(rows):
            writer.writerow({**row, "like": raised.get(i, row["like"])})
    return path.read_bytes(), sorted(raised.values())


@pytest.fixture
def weekly(tmp_path: Path) -> Weekly:
    path = tmp_path / "weekly.duckdb"
    with jauge.open(path, workspace="weekly") as j:
        add_workspace(j.store, "weekly")
        add_user(j.store, ANALYST, PASSWORD, "weekly", "analyst")
        token = create_token(j.store, ANALYST)
    second, _ = _second_week(tmp_path)
    return Weekly(path, token, UCI_FACEBOOK.read_bytes(), second)


@pytest.fixture
def client(weekly: Weekly) -> Iterator[TestClient]:
    with TestClient(create_app(str(weekly.path)), base_url="https://testserver") as c:
        yield c


def text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


# F3: the HTTP API -------------------------------------------------------------------------


def _api_upload(client: TestClient, weekly: Weekly, content: bytes, observed_at: str):
    return client.post(
        "/api/v1/imports",
        data={"source": "facebook-insights", "org": ORG, "year": "2014",
              "observed_at": observed_at},
        files={"file": ("dataset_Facebook.csv", content)},
        headers={"Authorization": f"Bearer {weekly.token}"},
    )  # fmt: skip


def test_the_api_dates_each_weekly_export_with_the_observed_at_given(
    client: TestClient, weekly: Weekly, tmp_path: Path
):
    r = _api_upload(client, weekly, weekly.first, "2015-01-05")
    assert r.status_code == 201, r.text
    r = _api_upload(client, weekly, weekly.second, "2015-01-12")
    assert r.status_code == 201, r.text
    # the history of the counts, not the time of the uploads
    assert weekly.snapshots() == [("2015-01-05 00:00:00", 500), ("2015-01-12 00:00:00", 3)]
    assert weekly.liked_later() == _second_week(tmp_path)[1]


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("12/01/2015", "observed_at: an ISO date or date-time like 2015-01-12"),
        ("2099-01-01", "the observation time 2099-01-01 00:00 is in the future"),
    ],
)
def test_the_api_refuses_an_observed_at_it_cannot_use_naming_the_field(
    client: TestClient, weekly: Weekly, value: str, said: str
):
    r = _api_upload(client, weekly, weekly.first, value)
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["code"] == "invalid_request" and said in error["message"]
    assert [e["field"] for e in error["errors"]] == ["observed_at"]
    assert weekly.snapshots() == [] and weekly.imports() == 0  # nothing written


# F3: the dashboard's upload form ------------------------------------------------------------


def _form_upload(client: TestClient, content: bytes, observed_at: str):
    token = csrf_of(client.get("/sources").text)
    return client.post(
        "/sources/upload",
        data={"source": "facebook-insights", "org": ORG, "year": "2014",
              "observed_at": observed_at, "csrf_token": token},
        files={"file": ("dataset_Facebook.csv", content)},
    )  # fmt: skip


def test_the_upload_form_dates_each_weekly_export_with_the_day_given(
    client: TestClient, weekly: Weekly, tmp_path: Path
):
    login(client, ANALYST)
    form = client.get("/sources").text
    assert 'name="observed_at"' in form
    assert "Counts observed on" in text(form)
    assert "The date the export was downloaded" in text(form)
    assert _form_upload(client, weekly.first, "2015-01-05").status_code == 200
    assert _form_upload(client, weekly.second, "2015-01-12").status_code == 200
    assert weekly.snapshots() == [("2015-01-05 00:00:00", 500), ("2015-01-12 00:00:00", 3)]
    assert weekly.liked_later() == _second_week(tmp_path)[1]


def test_the_upload_form_is_labelled_in_french(client: TestClient):
    login(client, ANALYST)
    page = text(client.get("/sources", params={"lang": "fr"}).text)
    assert "Chiffres relevés le (facultatif)" in page
    assert "La date à laquelle l'export a été téléchargé" in page


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("next monday", "observed_at: an ISO date or date-time like 2015-01-12"),
        ("2099-01-01", "the observation time 2099-01-01 00:00 is in the future"),
    ],
)
def test_the_upload_form_says_beside_it_why_a_day_is_refused_and_keeps_it(
    client: TestClient, weekly: Weekly, value: str, said: str
):
    login(client, ANALYST)
    r = _form_upload(client, weekly.first, value)
    assert r.status_code == 422
    result = r.text.split('data-testid="import-result"')[1].split("</section>")[0]
    assert said in text(result)
    # kept in the form, as the other fields are, to be corrected
    assert re.search(rf'name="observed_at"[^>]*value="{re.escape(value)}"', r.text)
    assert weekly.snapshots() == [] and weekly.imports() == 0


# F4: a time in the future, whatever the path --------------------------------------------


def test_the_python_api_refuses_an_observation_more_than_a_day_ahead(tmp_path: Path):
    with jauge.open(tmp_path / "py.duckdb") as j:
        for later in (datetime(2099, 1, 1), utcnow() + timedelta(days=2)):
            with pytest.raises(jauge.UsageError, match="is in the future"):
                j.import_file(UCI_FACEBOOK, "facebook-insights", org=ORG, year=2014,
                              observed_at=later)  # fmt: skip
        assert j.sql("SELECT count(*) AS n FROM imports").to_pylist()[0]["n"] == 0
        # a day's slack: "today" in a time zone ahead of UTC is still today somewhere
        soon = utcnow() + timedelta(hours=12)
        result = j.import_file(
            UCI_FACEBOOK, "facebook-insights", org=ORG, year=2014, observed_at=soon
        )
        assert result.ok and result.total("snapshots") == 500


def test_the_cli_refuses_a_future_observed_at_as_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    db = str(tmp_path / "cli.duckdb")
    args = ["import", str(UCI_FACEBOOK), "--source", "facebook-insights", "--org", ORG,
            "--year", "2014", "--observed-at", "2099-01-01", "--db", db]  # fmt: skip
    r = CliRunner().invoke(cli, args)
    assert r.exit_code == 2, r.output
    assert "the observation time 2099-01-01 00:00 is in the future" in r.output
    assert "give the date the export was downloaded" in r.output
    r = CliRunner().invoke(cli, [*args, "--format", "json"])
    assert r.exit_code == 2 and json.loads(r.stdout)["error"]["code"] == "usage"
    monkeypatch.setenv("JAUGE_LANG", "fr")
    r = CliRunner().invoke(cli, args)
    assert r.exit_code == 2
    assert "le moment d'observation 2099-01-01 00:00 est dans le futur" in r.output
    with jauge.open(db) as j:
        assert j.sql("SELECT count(*) AS n FROM imports").to_pylist()[0]["n"] == 0


def test_the_cli_help_says_a_date_or_a_date_time(tmp_path: Path):
    r = CliRunner().invoke(cli, ["import", "--help"], terminal_width=200)
    assert "--observed-at WHEN" in r.output
    assert "or a date-time" in r.output and "2015-01-12T18:00" in r.output
    r = CliRunner().invoke(cli, ["import", "x.csv", "--observed-at", "12/01/2015"])
    assert r.exit_code == 2 and "an ISO date or date-time" in r.output


def test_a_row_observed_in_the_future_is_refused_at_its_line(
    handle: jauge.Jauge, tmp_path: Path
) -> None:
    """A posts-csv column `observed_at` dated 2099 would stay the latest counts for ever,
    as the option would: the row is refused, named by its line and field."""
    from .conftest import AIRLINE_TWEETS

    with AIRLINE_TWEETS.open(newline="", encoding="utf-8") as f:
        tweets = [t for t in csv.DictReader(f) if "\n" not in t["text"]][:20]
    path = tmp_path / "posts.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["platform", "id", "org", "author", "text", "created_at", "shares",
                         "observed_at"])  # fmt: skip
        for i, t in enumerate(tweets):
            observed = "2099-01-01" if i == 6 else "2015-03-01T12:00:00Z"
            created = datetime.strptime(t["tweet_created"], "%Y-%m-%d %H:%M:%S %z")
            writer.writerow(["x", t["tweet_id"], t["airline"], t["name"], t["text"],
                             created.isoformat(), t["retweet_count"], observed])  # fmt: skip
    result = handle.import_file(path, "posts-csv")
    assert not result.ok and handle.stats().entities["items"] == 0
    [error] = result.errors
    assert (error.line, error.field) == (8, "observed_at")
    assert "no later than a day after now" in error.message and "2099-01-01" in error.message
