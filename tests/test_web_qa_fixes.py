"""The dashboard's fixes from the QA pass in Chromium (report "web", F1-F4, F8), on the web
tests' store of real data (the airline tweets, the UCI brand)."""

from __future__ import annotations

import html
import json
import re

from fastapi.testclient import TestClient

import jauge

from .test_web_navigation import text, with_newcomer  # noqa: F401 (a fixture)
from .webstore import WebStore


def test_choosing_only_an_organisation_without_posts_compares_nothing_else(
    with_newcomer: TestClient,  # noqa: F811
) -> None:
    page = with_newcomer.get("/compare", params={"by": "org", "org": "Aardvark Air"}).text
    assert 'data-testid="comparison"' not in page  # not the others, which nobody asked for
    assert "Not compared, as they have no posts yet: Aardvark Air." in text(page)
    chooser = re.search(r'<select name="org" id="orgs"[^>]*>(.*?)</select>', page, re.S)
    assert chooser and re.findall(r"<option selected>([^<]*)<", chooser[1]) == ["Aardvark Air"]


def test_organisations_change_from_the_first_one_with_a_score(fresh_web_store: WebStore) -> None:
    with jauge.open(fresh_web_store.path, workspace="brands") as j:
        j.add_org("Aardvark Air")
        first = j.compare("org", ["Aardvark Air", "United", "Delta"]).to_dict()["rows"]
        plain = j.compare("org", ["United", "Delta"]).to_dict()["rows"]
    assert first[0]["score"] is None and first[0]["change"] is None
    assert first[1]["change"] is None  # United is what the others change from
    assert first[2]["change"] == plain[1]["change"] and first[2]["change"]["versus"] == "United"


def test_a_note_under_the_comparison_names_its_row_and_writes_days_as_the_page(
    app_client: TestClient, web_store: WebStore
) -> None:
    from .test_web_pages import login

    login(app_client, web_store.email("viewer"))
    params = [("by", "org"), ("org", "United"), ("org", "Cosmetics brand")]
    window = [("from", "2015-01-01"), ("to", "2015-02-28")]
    page = text(app_client.get("/compare", params=params + window).text)
    # its items all lie outside the window: said first, where they are (QA D2)
    assert (
        "Cosmetics brand has no items from Jan 1, 2015 to Feb 28, 2015 (its items run from "
        "Jan 15, 2014 to Dec 31, 2014): choose the window with From and To"
    ) in page, page[-800:]
    french = text(app_client.get("/compare", params=[*params, *window, ("lang", "fr")]).text)
    assert "Cosmetics brand n'a aucun contenu du 1er janv. 2015 au 28 févr. 2015" in french, french[
        -800:
    ]


def test_the_regions_chart_keeps_room_for_its_bars_and_the_table_says_it_is_cut(
    app_client: TestClient, web_store: WebStore
) -> None:
    from .test_web_pages import login

    login(app_client, web_store.email("viewer"))
    page = app_client.get("/listening", params={"org": "United"}).text
    spec = json.loads(
        html.unescape(re.search(r'id="regions-spec"[^>]*>(.*?)</script>', page, re.S)[1])
    )
    assert spec["encoding"]["y"]["axis"]["labelLimit"] <= 150
    assert spec["encoding"]["color"]["legend"]["orient"] == "bottom"
    every = jauge.open(web_store.path, workspace="brands").regions(["United"], by="region")
    rows = re.findall(
        r"<tr><td>[^<]+</td>", page.split('data-testid="regions"')[1].split("</table>")[0]
    )
    assert len(every.regions) > len(rows) == 12
    assert "The 12 regions with the most mentions" in text(page)


def test_the_value_page_draws_no_funnel_without_web_analytics(
    app_client: TestClient, web_store: WebStore
) -> None:
    from .test_web_pages import login

    login(app_client, web_store.email("viewer"))
    # United has posts (reach) but no sessions: the page has its table, not an empty chart
    page = app_client.get("/value", params={"org": "United"}).text
    assert page.count("<table") >= 1 and 'id="funnel-spec"' not in page
    brand = app_client.get("/value", params={"org": "Cosmetics brand"}).text
    assert 'id="funnel-spec"' in brand  # the brand's site traffic is in the store
