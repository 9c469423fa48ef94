"""The web findings of the QA pass: /value takes a campaign as the CLI and the API do,
uploads name the user's file (never the server's temporary folder), the accepted date
formats are listed in the reader's language, /report refuses values as the other pages
do, the API names the parameters of a window it refuses, and figures and days are
written as the page's language writes them."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from fastapi.testclient import TestClient

from jauge.i18n import day, either, number
from jauge.web import create_app

from .conftest import AIRLINE_TWEETS
from .test_web_pages import PASSWORD, csrf_of, login
from .webstore import WebStore

COSMETICS = "Cosmetics brand"
FEED = Path(__file__).parent / "data" / "rss-atom-feeds" / "feed-dcdate.xml"


def text(page: str) -> str:
    """What the reader reads: the page's text, on one line."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def back_link(page: str) -> tuple[str, dict[str, str]]:
    found = re.search(r'<a href="([^"]+)" data-testid="back">', page)
    assert found, "no link back"
    address = urlsplit(html.unescape(found[1]))
    return address.path, dict(parse_qsl(address.query))


@pytest.fixture
def analyst(writable_client: TestClient, fresh_web_store: WebStore) -> TestClient:
    return login(writable_client, fresh_web_store.email("analyst"))


def _upload(client: TestClient, name: str, content: bytes, lang: str = "en", **form: str):
    token = csrf_of(client.get("/sources").text)
    return client.post(
        f"/sources/upload?lang={lang}",
        data={**form, "csrf_token": token},
        files={"file": (name, content)},
    )


# (1) /value?campaign= -------------------------------------------------------------------


def test_the_value_page_shows_a_campaigns_funnel_and_names_an_unknown_one(
    app_client: TestClient, web_store: WebStore
):
    client = login(app_client, web_store.email("analyst"))
    auth = web_store.auth("analyst")
    whole = client.get("/api/v1/value", params={"org": COSMETICS}, headers=auth).json()
    named = next(c["label"] for c in whole["campaigns"] if c["spend"])
    api = client.get(
        "/api/v1/value", params={"org": COSMETICS, "campaign": named}, headers=auth
    ).json()
    assert api["funnel"]["spend"] != whole["funnel"]["spend"]  # a narrower scope

    page = client.get("/value", params={"org": COSMETICS, "campaign": named})
    assert page.status_code == 200
    funnel = page.text.split('data-testid="funnel"')[1].split("</table>")[0]
    assert number(api["funnel"]["spend"], ",.2f") in funnel
    assert number(whole["funnel"]["spend"], ",.2f") not in funnel
    # the field keeps the campaign, so that the form shows the same scope again
    assert f'name="campaign" list="known-campaigns" value="{named}"' in page.text

    refused = client.get("/value", params={"org": COSMETICS, "campaign": "Nope"})
    assert refused.status_code == 404
    assert "Campaign (field campaign): no campaign 'Nope'" in text(refused.text)
    path, query = back_link(refused.text)
    assert path == "/value" and query == {"org": COSMETICS}
    french = client.get("/value", params={"org": COSMETICS, "campaign": "Nope", "lang": "fr"})
    assert "Campagne (champ campaign) : aucune campagne 'Nope'" in text(french.text)
    # an unknown organisation is still the organisation's 404, not the campaign's
    gone = client.get("/value", params={"org": "Nobody", "campaign": "Nope", "lang": "en"})
    assert gone.status_code == 404 and "field campaign" not in gone.text


# (2) and (3) uploads -------------------------------------------------------------------


def test_upload_errors_name_the_users_file_never_the_servers_folder(analyst: TestClient):
    tweets = AIRLINE_TWEETS.read_bytes()
    r = _upload(analyst, "up_good.csv", tweets, source="tweets-csv", map="nocol=tweet_id")
    assert r.status_code == 422
    said = text(r.text.split('data-testid="import-result"')[1].split("</section>")[0])
    assert "names columns that are not in up_good.csv: 'nocol'" in said
    assert "jauge-upload-" not in r.text and "['" not in said

    # a feed cut short: refused by the RSS reader, with the file's own name
    cut = FEED.read_bytes()[:3000]
    r = _upload(analyst, "trunc.xml", cut, source="rss")
    assert r.status_code == 422
    assert "jauge-upload-" not in r.text
    said = text(r.text.split('data-testid="import-result"')[1].split("</section>")[0])
    assert said.count("trunc.xml: ") == 1
    history = text(r.text.split('data-testid="imports"')[1].split("</table>")[0])
    assert "refused, nothing written: trunc.xml: " in history

    # the API names it too
    token = csrf_of(analyst.get("/sources").text)
    r = analyst.post(
        "/api/v1/imports",
        data={"source": "rss"},
        files={"file": ("trunc.xml", cut)},
        headers={"X-CSRF-Token": token},
    )
    assert r.status_code == 422
    assert [e["file"] for e in r.json()["errors"]] == ["trunc.xml"]
    assert "jauge-upload-" not in r.text
    # and the import history keeps the file's own name, in its errors too
    history = analyst.get("/api/v1/imports")
    assert history.status_code == 200 and "trunc.xml" in history.text
    assert "jauge-upload-" not in history.text


def test_the_accepted_date_formats_are_listed_in_the_readers_language(analyst: TestClient):
    lines = AIRLINE_TWEETS.read_text("utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    at = header.index("tweet_created")
    # the airline sample's rows have no quoted commas before tweet_created on line 2
    cells = lines[1].split(",")
    assert cells[at].startswith("2015-")
    cells[at] = "not a date"
    bad = "".join([lines[0], ",".join(cells), *lines[2:]]).encode()
    english = _upload(analyst, "up_bad.csv", bad, source="tweets-csv")
    assert english.status_code == 422
    said = text(english.text)
    assert re.search(r"expected a date and time in ISO 8601 \(2024-03-01T14:30:00Z\), .+ or ", said)
    french = text(analyst.get("/sources", params={"lang": "fr"}).text)
    history = french.split("up_bad.csv", 1)[1]
    assert "au format ISO 8601 (2024-03-01T14:30:00Z), " in history
    assert " ou %" in history and " or %" not in history
    analyst.cookies.delete("jauge_lang")
    assert either(["a", "b", "c"], lang="fr") == "a, b ou c"
    assert either(["a", "b"], lang="en") == "a or b" and either(["a"]) == "a"


# (4) /report ---------------------------------------------------------------------------


@pytest.fixture
def with_idle_org(fresh_web_store: WebStore) -> Iterator[TestClient]:
    """The store with an organisation added by `jauge org add`, without posts."""
    import jauge

    with jauge.open(fresh_web_store.path, workspace="brands") as j:
        j.add_org("Acme")
    with TestClient(create_app(str(fresh_web_store.path)), base_url="https://testserver") as c:
        yield login(c, fresh_web_store.email("viewer"), PASSWORD)


def test_report_errors_name_the_field_and_lead_back_to_the_overview(with_idle_org: TestClient):
    client = with_idle_org
    r = client.get("/report", params={"org": COSMETICS, "from": "2014-12-01", "to": "2014-01-01"})
    assert r.status_code == 400
    assert "From (field from), 2014-12-01, comes after To (field to)" in text(r.text)
    assert back_link(r.text) == ("/overview", {"org": COSMETICS})

    short = client.get(
        "/report", params={"org": COSMETICS, "from": "2014-06-01", "to": "2014-06-10"}
    )
    assert short.status_code == 400 and "From (field from) and To (field to)" in text(short.text)

    idle = client.get("/report", params={"org": "Acme"})
    said = text(idle.text)
    assert "Acme has no posts yet" in said and "not understood" not in said
    assert re.search(r'<a href="/sources\?workspace=brands">Import them on the Sources', idle.text)

    # a value unread: back to the overview, not to /report again (without org, /report
    # reports on the first organisation, as the other pages show it: QA D8)
    missing = client.get("/report", params={"from": "2014-01-01", "names": "maybe"})
    assert missing.status_code == 422
    assert back_link(missing.text) == ("/overview", {"from": "2014-01-01"})  # not the value


# (5) the API's 400 for a window --------------------------------------------------------


def test_the_api_names_the_parameters_of_a_window_it_refuses(
    app_client: TestClient, web_store: WebStore
):
    auth = web_store.auth("viewer")
    for route, params in (
        ("/api/v1/score", {"org": "Delta", "from": "2015-02-20", "to": "2015-02-10"}),
        ("/api/v1/score", {"org": "Delta", "from": "2015-02-10", "to": "2015-02-20"}),
        ("/api/v1/topics", {"org": "Delta", "from": "2015-02-20", "to": "2015-02-10"}),
    ):
        r = app_client.get(route, params=params, headers=auth)
        assert r.status_code == 400, (route, params)
        error = r.json()["error"]
        assert error["code"] == "config"
        assert [e["field"] for e in error["errors"]] == ["query.from", "query.to"]
        assert all(e["message"] == error["message"] for e in error["errors"])
    # a window the index can read is answered as before
    ok = {"org": "Delta", "from": "2015-01-01", "to": "2015-02-28"}
    assert app_client.get("/api/v1/score", params=ok, headers=auth).status_code == 200


# (6) figures and days ------------------------------------------------------------------


def test_overview_counts_and_person_days_are_written_in_the_pages_language(
    app_client: TestClient, web_store: WebStore
):
    client = login(app_client, web_store.email("viewer"))
    score = client.get(
        "/api/v1/score", params={"org": COSMETICS}, headers=web_store.auth("viewer")
    ).json()
    counts = [c["n"] for c in score["components"].values() if c["n"] and c["n"] >= 1000]
    assert counts  # the brand's reach counts in thousands
    for lang in ("en", "fr"):
        page = client.get("/overview", params={"org": COSMETICS, "lang": lang}).text
        table = page.split('data-testid="components"')[1].split("</table>")[0]
        cells = re.findall(r"<td>([^<]*)</td></tr>", table)
        for n in counts:
            assert number(n, ",.0f", lang) in cells, (lang, n)
    client.cookies.delete("jauge_lang")

    people = client.get(
        "/api/v1/people", params={"org": "United", "limit": 1}, headers=web_store.auth("viewer")
    ).json()
    handle = people[0]["handle"]
    found = client.get(
        "/api/v1/person",
        params={"org": "United", "handle": handle},
        headers=web_store.auth("viewer"),
    ).json()
    for lang in ("en", "fr"):
        page = client.get("/person", params={"org": "United", "handle": handle, "lang": lang}).text
        posts = page.split('data-testid="person-items"')[1].split("</table>")[0]
        first = found["items"][0]["created_at"]
        assert html.escape(day(first, lang)) in posts and first[:10] not in posts
    client.cookies.delete("jauge_lang")


def test_the_api_writes_a_bound_as_the_reader_does(app_client: TestClient, web_store: WebStore):
    r = app_client.get(
        "/api/v1/value",
        params={"org": "Delta", "conversion_value": "-1"},
        headers={**web_store.auth("viewer"), "Accept-Language": "fr"},
    )
    assert r.status_code == 422
    message = r.json()["error"]["message"]
    assert "0 ou plus" in message and "0.0" not in message


def test_empty_overview_and_compare_link_to_the_sources_page(
    writable_client: TestClient, fresh_web_store: WebStore
):
    import jauge
    from jauge.users import add_user, add_workspace

    with jauge.open(fresh_web_store.path) as j:  # a new client, nothing imported yet
        add_workspace(j.store, "empty")
        add_user(j.store, "new@empty.example", PASSWORD, "empty", "owner")
    client = login(writable_client, "new@empty.example")
    for path in ("/overview", "/compare"):
        page = client.get(path).text
        empty = page.split('<p class="empty">')[1].split("</p>")[0]
        assert '<a href="/sources?workspace=empty">' in empty, path


def test_the_workspace_menu_names_the_role_in_the_page_s_language(analyst: TestClient):
    """QA (docs pass) F6: the French header said "brands (analyst)"."""
    french = analyst.get("/overview", params={"lang": "fr"}).text
    menu = french.split('name="workspace"')[1].split("</select>")[0]
    assert "(analyste)" in menu and "(analyst)" not in menu
    english = analyst.get("/overview", params={"lang": "en"}).text
    assert "(analyst)" in english.split('name="workspace"')[1].split("</select>")[0]
