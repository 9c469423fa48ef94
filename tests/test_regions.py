"""Where the talk comes from: profile locations and coordinates read as places, on the
real airline tweets, and the mentions per region recomputed with pandas."""

from __future__ import annotations

import ast
import html
import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient

import jauge
from jauge.enrich.places import Place, place_at, place_of

from .conftest import AIRLINE_TWEETS
from .test_web_pages import login
from .webstore import WebStore

AIRLINES = ["United", "Delta", "Virgin America"]


@pytest.mark.parametrize(
    ("location", "place"),
    [
        # as the airline tweets' authors wrote them
        ("Austin, TX", Place("US", "TX")),
        ("Washington, DC", Place("US", "DC")),
        ("Washington, D.C.", Place("US", "DC")),
        ("NYC", Place("US", "NY")),
        ("New York, New York", Place("US", "NY")),
        ("Brooklyn, NY", Place("US", "NY")),
        ("hollywood, california", Place("US", "CA")),
        ("USA", Place("US")),
        ("London", Place("GB", "ENG")),
        ("Toronto", Place("CA", "ON")),
        ("Stavanger, Norway", Place("NO")),
        ("Pekin", Place("US", "IL")),  # a city's own name before another's other names
        ("Somewhere over the rainbow.", None),
        ("Logan International Airport", None),
        ("All Over The World", None),
        ("UK / Canada / etc", None),  # two countries: no place rather than a guess
        # what a rule stands for
        ("Paris, Texas", Place("US", "TX")),
        ("Paris, France", Place("FR", "IDF")),
        ("Baton Rouge, LA", Place("US", "LA")),
        ("LA", Place("US", "CA")),
        ("Portland, Maine", Place("US", "ME")),
        ("Georgia", None),
        ("Allemagne", Place("DE")),
        ("Montréal, Québec", Place("CA", "QC")),
        ("Londres", Place("GB", "ENG")),  # a large city's other names, in French too
        ("Pau", Place("FR", "NAQ")),
        ("chu", None),  # three letters are a city's name only written as one
        ("Born/Raised in 314/Home is 317", None),  # a small city's other name is no answer
        ("New Orleans, La", Place("US", "LA")),
        ("Mission, Kansas", Place("US", "KS")),  # the state named wins over a city elsewhere
        ("Sacramento, CA / Columbus, OH", Place("US")),
        ("", None),
    ],
)
def test_a_location_is_read_as_a_place_or_as_none(location: str, place: Place | None) -> None:
    assert place_of(location) == place


@pytest.mark.parametrize(
    ("city", "code"),
    [
        # each region's or province's capital, as GeoNames places it: the table that turns
        # GeoNames' codes into ISO 3166-2 ones is checked against the data it reads
        ("Paris", "FR-IDF"), ("Orléans, France", "FR-CVL"), ("Dijon", "FR-BFC"),
        ("Rouen", "FR-NOR"), ("Lille", "FR-HDF"), ("Strasbourg", "FR-GES"), ("Nantes", "FR-PDL"),
        ("Rennes", "FR-BRE"), ("Bordeaux", "FR-NAQ"), ("Toulouse", "FR-OCC"),
        ("Lyon", "FR-ARA"), ("Marseille", "FR-PAC"), ("Ajaccio", "FR-20R"),
        ("Edmonton", "CA-AB"), ("Victoria, BC", "CA-BC"), ("Winnipeg", "CA-MB"),
        ("Fredericton", "CA-NB"), ("St. John's, NL", "CA-NL"), ("Halifax, NS", "CA-NS"),
        ("Toronto", "CA-ON"), ("Charlottetown", "CA-PE"), ("Québec, QC", "CA-QC"),
        ("Regina", "CA-SK"), ("Whitehorse", "CA-YT"), ("Yellowknife", "CA-NT"),
        # regions and départements by name, old regions, provinces' codes
        ("Bretagne", "FR-BRE"), ("Brittany", "FR-BRE"), ("Gironde", "FR-NAQ"),
        ("Haute-Savoie", "FR-ARA"), ("Rennes, Bretagne", "FR-BRE"), ("Midi-Pyrénées", "FR-OCC"),
        ("Montréal, QC", "CA-QC"), ("Toronto, CA", "CA-ON"), ("Amsterdam, NL", "NL-NH"),
        # Belgium, Switzerland, the United Kingdom: regions, cantons, nations
        ("Bruxelles", "BE-BRU"), ("Anvers", "BE-VLG"), ("Liège", "BE-WAL"),
        ("Namur", "BE-WAL"), ("Wallonie", "BE-WAL"), ("Genève", "CH-GE"), ("Geneva", "CH-GE"),
        ("Lausanne", "CH-VD"), ("Vaud", "CH-VD"), ("Zürich", "CH-ZH"), ("Bern", "CH-BE"),
        ("London, England", "GB-ENG"), ("Edinburgh", "GB-SCT"), ("Cardiff", "GB-WLS"),
        ("Belfast", "GB-NIR"), ("Scotland", "GB-SCT"),
        # Britain's districts are not looked up: the American city people mean
        ("Richmond", "US-VA"), ("Durham", "US-NC"),
    ],
)  # fmt: skip
def test_french_regions_and_canadian_provinces(city: str, code: str) -> None:
    found = place_of(city)
    assert found is not None and found.code == code


def tweets() -> pd.DataFrame:
    frame = pd.read_csv(AIRLINE_TWEETS, dtype={"tweet_id": str})
    frame["created"] = pd.to_datetime(frame["tweet_created"], utc=True).dt.tz_localize(None)
    return frame


def point(raw: object) -> tuple[float, float] | None:
    if not isinstance(raw, str):
        return None
    lat, lon = ast.literal_eval(raw)
    return float(lat), float(lon)


def test_locations_agree_with_the_coordinates_tweets_were_sent_from() -> None:
    # coordinates say where a tweet was sent, the profile where its author lives: a
    # traveller disagrees without either being wrong, so this is a floor
    frame = tweets()
    pairs = []
    for location, raw in zip(frame["tweet_location"], frame["tweet_coord"], strict=True):
        found = place_of(location) if isinstance(location, str) else None
        where = point(raw)
        sent = place_at(*where) if where else None
        if found and sent:
            pairs.append(found.country == sent.country)
    assert len(pairs) >= 40
    assert sum(pairs) / len(pairs) >= 0.85
    located = frame["tweet_location"].dropna()
    assert sum(place_of(v) is not None for v in located) / len(located) >= 0.6


def test_coordinates_name_the_nearest_city_or_nothing() -> None:
    assert place_at(40.6466, -73.7709) == Place("US", "NY")  # JFK
    assert place_at(33.9469, -118.4072) == Place("US", "CA")  # LAX
    assert place_at(0.0, 0.0) is None  # what platforms write for no position
    assert place_at(-48.87, -123.39) is None  # Point Nemo: no city within 50 km


@pytest.fixture(scope="module")
def airline_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("regions") / "j.duckdb"
    handle = jauge.open(path)
    assert handle.import_file(AIRLINE_TWEETS, "tweets-csv").ok
    handle.close()
    return path


def expected(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """Each tweet's place (its coordinates', else its author's), counted per region and
    airline with pandas."""

    def where(row: pd.Series) -> str | None:
        at = point(row["tweet_coord"])
        found = place_at(*at) if at else None
        if found is None and isinstance(row["tweet_location"], str):
            found = place_of(row["tweet_location"])
        if found is None:
            return None
        return found.code if by == "region" else found.country

    frame = frame.assign(region=frame.apply(where, axis=1))
    frame["positive"] = frame["airline_sentiment"] == "positive"
    frame["negative"] = frame["airline_sentiment"] == "negative"
    return frame


@pytest.mark.parametrize("by", ["country", "region"])
def test_mentions_per_region_as_pandas_counts_them(airline_store: Path, by: str) -> None:
    handle = jauge.open(airline_store)
    found = handle.regions(AIRLINES, by=by)
    frame = tweets()
    # the default window: the 90 days up to the latest day any of them is mentioned
    frame = frame[frame["airline"].isin(AIRLINES)]
    start, end = pd.Timestamp(found.start), pd.Timestamp(found.end) + pd.Timedelta(days=1)
    frame = expected(frame[(frame["created"] >= start) & (frame["created"] < end)], by)
    # the import keeps the last of a tweet given twice
    frame = frame.drop_duplicates("tweet_id", keep="last")
    assert found.mentions == len(frame)
    assert found.located == frame["region"].notna().sum()
    per = frame.dropna(subset=["region"]).groupby(["region", "airline"])
    counts = per.size()
    net = (per["positive"].sum() - per["negative"].sum()) / counts * 100
    regions = {r.code: r for r in found.regions}
    assert set(regions) == set(frame["region"].dropna())
    for region in found.regions:
        assert region.mentions == sum(o.mentions for o in region.orgs)
        for o in region.orgs:
            key = (region.code, o.org)
            assert o.mentions == counts.get(key, 0), key
            if o.mentions:
                assert o.share_of_voice == pytest.approx(o.mentions / region.mentions, abs=1e-6)
                assert o.net_sentiment == pytest.approx(net[key], abs=1e-3)
    assert [r.mentions for r in found.regions] == sorted(
        (r.mentions for r in found.regions), reverse=True
    )
    handle.close()


def test_the_cli_gives_json_and_a_french_table(airline_store: Path) -> None:
    def run(*args: str, lang: str = "en") -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "jauge", "regions", "--db", str(airline_store), *args]
        env = {"PATH": "/usr/bin:/bin", "JAUGE_LANG": lang, "COLUMNS": "200"}
        return subprocess.run(command, capture_output=True, text=True, env=env, check=False)

    done = run("--org", "United", "--org", "Delta", "--by", "region", "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert set(data) == {"from", "to", "by", "gazetteer", "mentions", "located", "regions"}
    first = data["regions"][0]
    assert set(first) == {"code", "country", "subdivision", "name", "mentions", "orgs"}
    assert [o["org"] for o in first["orgs"]] == ["United", "Delta"]
    python = jauge.open(airline_store).regions(["United", "Delta"], by="region").to_dict()
    assert data == python
    california = next(r for r in data["regions"] if r["code"] == "US-CA")
    assert california["name"] == "California, United States"
    table = run("--org", "United", "--by", "region", "--limit", "40", lang="fr")
    assert table.returncode == 0, table.stderr
    assert "Californie, États-Unis" in table.stdout
    assert "mentions sur" in table.stdout
    refused = run("--org", "United", "--by", "city")
    assert refused.returncode == 2 and "city" in refused.stderr


def test_the_listening_page_and_the_api_show_where_mentions_come_from(
    app_client: TestClient, web_store: WebStore
) -> None:
    login(app_client, web_store.email("viewer"))
    answer = app_client.get("/api/v1/regions", params=[("org", "United"), ("by", "region")])
    assert answer.status_code == 200
    python = jauge.open(web_store.path, workspace="brands").regions(["United"], by="region")
    assert answer.json() == python.to_dict()
    page = app_client.get("/listening", params={"org": "United"}).text
    assert 'id="regions-spec"' in page
    table = re.search(r'data-testid="regions">(.*?)</table>', page, re.S)
    assert table and "<td>California, United States</td>" in table[1]
    shown = re.findall(r"<tr><td>([^<]+)</td><td>([\d,]+)</td>", table[1])
    top = python.regions[0]
    assert shown[0] == (top.name, f"{top.mentions:,}")
    french = app_client.get("/listening", params={"org": "United", "lang": "fr"}).text
    assert "Californie, États-Unis" in french and "D&#39;où viennent les mentions" in french
    refused = app_client.get("/api/v1/regions", params={"org": "United", "by": "city"})
    assert refused.status_code == 422


def test_the_report_draws_where_the_mentions_come_from(airline_store: Path) -> None:
    handle = jauge.open(airline_store)
    english = handle.report("United")
    found = handle.regions(["United"], by="region")
    assert english.figures["regions"] == found.to_dict()
    figure = re.search(r'data-figure="regions">(.*?)</figure>', english.html, re.S)
    assert figure and "<svg" in figure[1]
    # the chart names the regions with the most mentions
    assert found.regions[0].name.split(",")[0] in html.unescape(figure[1])
    french = html.unescape(handle.report("United", lang="fr").html)
    assert "D'où viennent les mentions" in french and "Californie" in french


@pytest.mark.parametrize(
    ("location", "place"),
    [
        # QA "new features" F3, from the airline tweets' own locations
        ("London, ON'", Place("CA", "ON")),
        ("Houston, Tx & Old Bridge, NJ", Place("US")),  # two states: the country only
        ("DC - LA - Venice Beach", Place("US")),  # DC names itself; LA then disagrees
        # the French names the regions are shown by, read back
        ("Écosse", Place("GB", "SCT")),
        ("Angleterre", Place("GB", "ENG")),
        ("Pays de Galles", Place("GB", "WLS")),
        ("Irlande du Nord", Place("GB", "NIR")),
        ("Île-du-Prince-Édouard", Place("CA", "PE")),
    ],
)
def test_locations_the_qa_read_wrong(location: str, place: Place) -> None:
    assert place_of(location) == place


def test_coordinates_off_the_earth_place_nothing_and_break_nothing() -> None:
    from jauge.enrich.regions import _place

    assert place_at(40.6466, float("inf")) is None
    assert place_at(40.6466, -433.77) is None  # not New York, one turn west
    assert place_at(float("nan"), -73.77) is None
    # as a platform's JSON may write them: the author's location tells instead
    assert _place("Austin, TX", "[40.6, 1e999]") == Place("US", "TX")
    assert _place(None, "[40.6466, -433.77]") is None
