"""Moving through the dashboard: what follows the analyst from page to page (organisation,
window, index version), what a refused form value does (the page stays, the reason above
its filters), organisations without posts, and error pages that keep the dashboard's
header and speak the reader's language."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient

from jauge.metrics.spec import LATEST, spec_files
from jauge.web import create_app

from .test_web_pages import csrf_of, login
from .webstore import WebStore

OLDER = min(v for v in spec_files() if v != LATEST)


@pytest.fixture
def client(web_store: WebStore) -> Iterator[TestClient]:
    with TestClient(create_app(str(web_store.path)), base_url="https://testserver") as c:
        yield login(c, web_store.email("viewer"))


@pytest.fixture
def with_newcomer(fresh_web_store: WebStore) -> Iterator[TestClient]:
    """The store with an organisation added by `jauge org add` that has no posts yet."""
    import jauge

    with jauge.open(fresh_web_store.path, workspace="brands") as j:
        j.add_org("Aardvark Air")  # first in every list, by name
    with TestClient(create_app(str(fresh_web_store.path)), base_url="https://testserver") as c:
        yield login(c, fresh_web_store.email("viewer"))


def text(page: str) -> str:
    """What the reader reads: the page's text, on one line."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def problems(page: str) -> str:
    found = re.search(r'data-testid="problems">(.*?)</div>', page, re.S)
    return text(found[1]) if found else ""


def nav(page: str) -> dict[str, str]:
    """The menu's links: label -> address."""
    menu = re.search(r'<nav class="main".*?</nav>', page, re.S)
    assert menu, "no menu"
    return {
        text(label): html.unescape(href)
        for href, label in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', menu[0])
    }


def chosen(page: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select, name
    return [
        html.unescape(v)
        for v in re.findall(r"<option selected>([^<]*)<", select[1])
        + re.findall(r'<option value="([^"]*)" selected>', select[1])
    ]


def compared(page: str) -> list[str]:
    table = page.split('data-testid="comparison"')[1].split("</table>")[0]
    return [html.unescape(u) for u in re.findall(r"<tr><td>([^<]*)</td>", table)]


def test_compare_and_overview_of_an_organisation_without_posts(with_newcomer: TestClient):
    c = with_newcomer
    # Compare, as the menu opens it: the organisations with posts, the other one named
    page = c.get("/compare")
    assert page.status_code == 200
    api = c.get("/api/v1/compare", params={"by": "org"}).json()
    # the API lists the newcomer unscored; the page names it apart
    assert compared(page.text) == [r["unit"] for r in api["rows"] if r["fingerprint"] is not None]
    assert "Aardvark Air" not in compared(page.text) and len(api["rows"]) > 3
    line = re.search(r'data-testid="without-posts">(.*?)</p>', page.text, re.S)
    assert line and "Not compared, as they have no posts yet: Aardvark Air." in text(line[1])
    assert 'href="/sources?workspace=brands"' in line[1]
    # chosen with another: that one is compared, and the line says why not the newcomer
    both = c.get("/compare", params={"org": ["United", "Aardvark Air"]})
    assert both.status_code == 200 and compared(both.text) == ["United"]
    assert 'data-testid="without-posts"' in both.text
    # its overview explains, inside the page, with its filters and the way to the Sources
    page = c.get("/overview", params={"org": "Aardvark Air"})
    assert page.status_code == 200 and 'data-testid="no-posts"' in page.text
    said = text(page.text.split('data-testid="no-posts"')[1].split("</section>")[0])
    assert "Aardvark Air has no posts yet" in said and "Import them on the Sources page" in said
    assert chosen(page.text, "org") == ["Aardvark Air"] and "Overview" in nav(page.text)
    french = c.get("/overview", params={"org": "Aardvark Air", "lang": "fr"})
    assert "Aardvark Air n'a encore aucune publication" in text(french.text)
    # the overview as the menu opens it shows the first organisation that has an index
    first = c.get("/overview", params={"lang": "en"})
    assert first.status_code == 200 and 'data-testid="index-score"' in first.text
    assert chosen(first.text, "org") != ["Aardvark Air"]


def test_a_refused_filter_value_is_said_above_the_page_it_was_typed_in(client: TestClient):
    page = client.get(
        "/overview", params={"org": "United", "from": "2015-02-20", "to": "2015-02-01"}
    )
    assert page.status_code == 400
    assert problems(page.text) == (
        "From (field from), 2015-02-20, comes after To (field to), 2015-02-01: "
        "choose a first day on or before the last"
    )
    # the page itself, its other choices kept, its menu, workspace and logout there
    assert chosen(page.text, "org") == ["United"] and 'data-testid="index-score"' in page.text
    assert "Listening" in nav(page.text) and 'name="workspace"' in page.text
    assert 'action="/logout"' in page.text
    # a window too short for the index names both fields
    short = client.get(
        "/overview", params={"org": "United", "from": "2015-02-01", "to": "2015-02-10"}
    )
    assert short.status_code == 400
    assert problems(short.text).startswith("From (field from) and To (field to): the window ")
    # an amount refused on the value page names its field by the label the form shows
    value = client.get("/value", params={"org": "Cosmetics brand", "conversion_value": "-5"})
    assert value.status_code == 400 and chosen(value.text, "org") == ["Cosmetics brand"]
    assert problems(value.text) == (
        "Value of a conversion (field conversion_value) takes an amount of 0 or more, got '-5'"
    )
    french = client.get("/value", params={"org": "Cosmetics brand", "from": "hier", "lang": "fr"})
    assert problems(french.text) == "Du (champ from) : une date comme 2014-12-31, reçu 'hier'"
    # campaigns when none is defined: the organisations' comparison, and why
    campaigns = client.get("/compare", params={"by": "campaign", "lang": "en"})
    assert campaigns.status_code == 400 and "campaign" in problems(campaigns.text)
    assert compared(campaigns.text) and chosen(campaigns.text, "by") == ["org"]


def test_an_error_page_keeps_the_header_and_links_back_without_the_refused_value(
    client: TestClient,
):
    page = client.get(
        "/compare", params={"by": "brand", "org": "United", "from": "2015-01-01", "lang": "en"}
    )
    assert page.status_code == 422
    assert "Compare" in nav(page.text) and 'action="/logout"' in page.text
    back = re.search(r'<a href="([^"]+)" data-testid="back">', page.text)
    assert back and html.unescape(back[1]) == "/compare?org=United&from=2015-01-01"
    missing = client.get("/overview", params={"org": "Nobody Airlines"})
    assert missing.status_code == 404 and 'action="/logout"' in missing.text
    assert nav(missing.text)["Overview"] == "/overview?workspace=brands"


def test_a_forms_address_opened_again_is_a_page_in_the_readers_language(client: TestClient):
    # after an upload the address is the form's: reloaded, or in French, it is the Sources
    r = client.get("/sources/upload", params={"workspace": "brands", "lang": "fr"},
                   follow_redirects=False)  # fmt: skip
    assert r.status_code == 303 and r.headers["location"] == "/sources?workspace=brands&lang=fr"
    sources = client.get(r.headers["location"])
    assert sources.status_code == 200 and '<html lang="fr">' in sources.text
    for path in ("/logout", "/people/integrity"):
        page = client.get(path, params={"lang": "fr"})
        assert page.status_code == 405 and page.headers["content-type"].startswith("text/html")
        assert "Cette adresse reçoit un formulaire" in text(page.text)
        assert "Vue d'ensemble" in nav(page.text)
    # the API still answers JSON
    api = client.delete("/api/v1/orgs")
    assert api.status_code == 405 and api.json()["error"]["code"] == "method_not_allowed"


def test_the_menu_carries_the_chosen_organisation_and_window(client: TestClient):
    window = {"from": "2015-02-01", "to": "2015-02-28"}
    page = client.get("/overview", params={"org": "Delta", **window, "lang": "en"})
    links = nav(page.text)
    for label in ("Listening", "People", "Value", "Overview"):
        assert links[label].endswith("&org=Delta&from=2015-02-01&to=2015-02-28"), label
    # Compare keeps the window: an organisation alone would be no comparison
    assert links["Compare"] == "/compare?workspace=brands&from=2015-02-01&to=2015-02-28"
    assert links["Sources"] == "/sources?workspace=brands"
    listening = client.get(links["Listening"])
    assert nav(listening.text)["Overview"] == links["Overview"]
    # the person page's way back is marked to return to the list as the reader left it
    people = client.get(links["People"]).text
    person = re.search(r'<td class="path"><a href="(/person\?[^"]+)">', people)
    assert person
    assert re.search(r'<a href="/people\?[^"]*org=Delta[^"]*" data-back>', client.get(
        html.unescape(person[1])).text)  # fmt: skip


def test_assessing_again_returns_to_the_people_page_as_it_was(
    fresh_web_store: WebStore,
):
    with TestClient(create_app(str(fresh_web_store.path)), base_url="https://testserver") as c:
        login(c, fresh_web_store.email("analyst"))
        shown = "/people?workspace=brands&org=United&from=2015-02-01&to=2015-02-20&topics=bag"
        token = csrf_of(c.get(shown).text)
        r = c.post(
            "/people/integrity?workspace=brands",
            data={"org": "United", "csrf_token": token},
            headers={"Referer": "https://testserver" + shown},
            follow_redirects=False,
        )
        assert r.status_code == 303 and r.headers["location"] == shown
        # a page of another site says nothing of the filters
        r = c.post(
            "/people/integrity?workspace=brands",
            data={"org": "United", "csrf_token": token},
            headers={"Referer": "https://elsewhere.example/people?from=2015-02-01"},
            follow_redirects=False,
        )
        assert r.headers["location"] == "/people?workspace=brands&org=United"


def test_the_workspace_chooser_has_a_button_to_open_the_choice(client: TestClient):
    page = client.get("/overview").text
    chooser = re.search(r'<form class="workspace".*?</form>', page, re.S)
    assert chooser and "<noscript>" not in chooser[0]
    assert re.search(r'<button type="submit"[^>]*>Open</button>', chooser[0])


def test_the_index_version_is_chosen_on_the_overview_and_compare(client: TestClient):
    params = {"org": "United", "index_version": OLDER}
    page = client.get("/overview", params=params)
    api = client.get("/api/v1/score", params=params).json()
    latest = client.get("/api/v1/score", params={"org": "United"}).json()
    assert page.status_code == 200 and api["fingerprint"] != latest["fingerprint"]
    assert api["fingerprint"] in page.text and latest["fingerprint"] not in page.text
    assert f"Index version {OLDER}" in text(page.text)
    assert chosen(page.text, "index_version") == [OLDER]
    assert urlencode({"index_version": OLDER}) in nav(page.text)["Compare"]
    # the report to share is by the version the page shows
    link = re.search(r'data-testid="report" download\s+href="([^"]+)"', page.text)
    assert link and urlencode({"index_version": OLDER}) in html.unescape(link[1])
    shared = client.get(html.unescape(link[1]))
    assert shared.status_code == 200 and "jauge score --org United" in html.unescape(shared.text)
    assert f"--index-version {OLDER}" in html.unescape(shared.text)
    default = client.get("/overview", params={"org": "United"}).text
    assert chosen(default, "index_version") == [LATEST]
    versus = client.get("/compare", params={"org": ["United", "Delta"], **params}).text
    rows = client.get(
        "/api/v1/compare", params={"by": "org", "org": ["United", "Delta"], **params}
    ).json()["rows"]
    chart = re.search(r'<script type="application/json" id="compare-spec">(.*?)</script>', versus)
    assert chart and [v["score"] for v in json.loads(chart[1])["data"]["values"]] == [
        r["score"] for r in rows
    ]
    assert f"Index version {OLDER}" in text(versus)
    assert chosen(versus, "index_version") == [OLDER]
    unknown = client.get("/overview", params={"org": "United", "index_version": "nope"})
    assert unknown.status_code == 400
    assert problems(unknown.text).startswith(
        "Index version (field index_version): no index version 'nope'; known: "
    )
