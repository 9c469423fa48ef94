"""The dashboard's charts as a reader meets them, in English and French: every tooltip
field named in the page's language, dates written as the page writes them, a key for
the colour of a significant change, partial weeks marked, axes within what the data
reach, and nothing Vega-Lite warns about; and text colours that can be read (the WCAG
contrast ratio of the colours app.css declares)."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from datetime import date
from importlib import resources
from typing import Any

import pytest
from fastapi.testclient import TestClient

import jauge
from jauge.web import charts, create_app
from jauge.web.i18n import catalogue, translator

from .test_web_pages import login
from .webstore import WebStore

#: every chart of the dashboard, by page
PAGES = {
    "/overview": ({"org": "United"}, ("trend-spec", "breakdown-spec")),
    "/compare": ([("by", "org"), ("org", "United"), ("org", "Delta")], ("compare-spec",)),
    "/listening": ({"org": "Delta"}, ("sentiment-spec", "voice-spec")),
    "/value": ({"org": "Cosmetics brand", "conversion_value": "50"},
               ("funnel-spec", "returns-spec")),
}  # fmt: skip


@pytest.fixture(scope="module")
def client(web_store: WebStore) -> Iterator[TestClient]:
    with TestClient(create_app(str(web_store.path)), base_url="https://testserver") as c:
        yield login(c, web_store.email("viewer"))


def specs_of(client: TestClient, lang: str) -> dict[str, dict[str, Any]]:
    """Every chart specification the pages embed, in ``lang``, by its id."""
    found: dict[str, dict[str, Any]] = {}
    for path, (params, ids) in PAGES.items():
        asked = list(params.items()) if isinstance(params, dict) else list(params)
        page = client.get(path, params=[*asked, ("lang", lang)])
        assert page.status_code == 200, path
        embedded = re.findall(r'<script type="application/json" id="([a-z-]+)">(.*?)</script>',
                              page.text, re.S)  # fmt: skip
        found |= {name: json.loads(html.unescape(body)) for name, body in embedded}
        assert set(ids) <= found.keys(), path
    return found


def tooltips(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The tooltip entries of a specification, of every layer."""
    layers = [spec, *spec.get("layer", [])]
    return [entry for layer in layers for entry in layer.get("encoding", {}).get("tooltip", [])]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_tooltip_names_its_fields_in_the_pages_language(client: TestClient, lang: str):
    messages = set(catalogue(lang).values())
    for name, spec in specs_of(client, lang).items():
        entries = tooltips(spec)
        assert entries, name
        for entry in entries:
            # a title from the page's catalogue, never the field's internal name
            assert entry.get("title") in messages, (name, entry)
            assert entry["title"] != entry["field"]
    fr = specs_of(client, "fr")
    titles = {n: [e["title"] for e in tooltips(s)] for n, s in fr.items()}
    assert titles["breakdown-spec"] == ["Composante", "Score", "Bas", "Haut"]
    assert titles["compare-spec"] == ["Unité", "Indice Jauge", "Bas", "Haut", "Variation"]
    assert titles["sentiment-spec"] == ["Semaine", "Tonalité", "Mentions", "Couverture"]
    assert titles["voice-spec"] == ["Organisation", "Part", "Mentions"]
    assert titles["returns-spec"][:3] == ["Campagne", "Mesure", "Retour sur investissement"]


def test_dates_are_written_in_the_pages_language(client: TestClient):
    for lang, months, written in (("fr", "févr.", "%-d %b %Y"), ("en", None, "%b %-d, %Y")):
        spec = charts.localised(specs_of(client, lang)["sentiment-spec"], lang)
        period = next(e for e in tooltips(spec) if e["field"] == "period")
        # the store's days are UTC: written in UTC, whatever the reader's time zone
        assert period["timeUnit"] == "utcyearmonthdate" and period["format"] == written
        assert spec["encoding"]["x"]["axis"]["format"] == written
        time = spec.get("config", {}).get("locale", {}).get("time")
        if months:  # Vega's month names in French; English is Vega's own
            assert time and months in time["shortMonths"] and "février" in time["months"]
        else:
            assert time is None
    # the number marks stay as they were; French writes a narrow space before "%"
    french = specs_of(client, "fr")["sentiment-spec"]["config"]["locale"]["number"]
    assert french["decimal"] == "," and french["percent"] == "\u202f%"


def test_the_comparison_chart_has_a_key_for_significant_changes(client: TestClient):
    for lang, title, keys in (
        ("en", "Change", ["no detectable change", "significant"]),
        ("fr", "Variation", ["pas de variation détectable", "significative"]),
    ):
        bars = specs_of(client, lang)["compare-spec"]["layer"][0]
        colour = bars["encoding"]["color"]
        assert colour["legend"] and colour["title"] == title
        assert colour["scale"]["domain"] == keys
        values = specs_of(client, lang)["compare-spec"]["data"]["values"]
        assert values and {v["change"] for v in values} <= set(keys)


def test_a_partial_week_is_marked_and_explained(client: TestClient):
    """Delta's default window ends on Monday 2015-02-23: its last week holds one day of
    the window (its mentions dropped from 157 to 99, which read as a collapse)."""
    t = translator("fr")
    points = client.get("/api/v1/sentiment", params={"org": "Delta"}).json()
    window = client.get("/api/v1/topics", params={"org": "Delta"}).json()
    first, last = date.fromisoformat(window["from"]), date.fromisoformat(window["to"])
    assert (first, last) == (date(2014, 11, 26), date(2015, 2, 23))
    spec = charts.sentiment_over_time(points, t, window=(first, last))
    weeks = {v["period"]: v for v in spec["data"]["values"]}
    assert set(weeks) == {"2015-02-16", "2015-02-23"}
    assert weeks["2015-02-23"]["partial"] and not weeks["2015-02-16"]["partial"]
    assert weeks["2015-02-23"]["coverage"] == (
        "semaine partielle : 1 de ses 7 jours dans la fenêtre"
    )
    assert weeks["2015-02-16"]["coverage"] == "semaine entière"
    # drawn lighter, with a dashed outline, and said under the chart
    assert spec["encoding"]["opacity"]["condition"]["test"] == "datum.partial"
    assert spec["encoding"]["strokeDash"]["condition"]["test"] == "datum.partial"
    assert spec["usermeta"]["note"].startswith("Une barre plus claire")
    # a window that starts on a Wednesday: its first week is partial too (5 days)
    opening = charts.sentiment_over_time(points, translator("en"),
                                         window=(date(2015, 2, 18), last))  # fmt: skip
    first_week = next(v for v in opening["data"]["values"] if v["period"] == "2015-02-16")
    assert first_week["coverage"] == "partial week: 5 of its 7 days in the window"
    assert opening["usermeta"]["note"].startswith("A lighter bar with a dashed outline")
    # whole weeks only: nothing to mark or say
    whole = charts.sentiment_over_time(points, t, window=(date(2015, 2, 16), date(2015, 3, 1)))
    assert not any(v["partial"] for v in whole["data"]["values"])
    assert "usermeta" not in whole


def test_the_note_of_a_chart_is_written_under_it():
    """The pages draw every chart through _chart.html: a spec's note (a partial week)
    is a caption of the chart, in the page's language."""
    from jauge.web.pages import templates

    drawn = templates.env.from_string(
        '{% from "_chart.html" import chart with context %}{{ chart("s-spec", c, "M") }}'
    )
    t = translator("fr")
    points = [{"period": "2015-02-23", "mentions": 9, "positive": 1, "neutral": 1,
               "negative": 7}]  # fmt: skip
    partial = charts.sentiment_over_time(points, t, window=(date(2015, 2, 1), date(2015, 2, 23)))
    page = drawn.render(c=partial, spec=json.dumps)
    caption = re.search(r'<figcaption class="help" data-testid="s-spec-note">([^<]*)<', page)
    assert caption and html.unescape(caption[1]) == translator("fr")("chart.partial_note.week")
    whole = charts.sentiment_over_time(points, t, window=(date(2015, 2, 1), date(2015, 3, 1)))
    assert "<figcaption" not in drawn.render(c=whole, spec=json.dumps)


def test_the_report_marks_its_partial_weeks_and_writes_its_dates_in_french(
    fresh_web_store: WebStore,
):
    with jauge.open(fresh_web_store.path, workspace="brands") as j:
        french = j.report("Delta", versus=["United"], lang="fr").html
        english = j.report("Delta", versus=["United"], lang="en").html
    # Delta's window (2014-11-26 to 2015-02-23) starts and ends inside a week
    note = re.search(r'data-figure="sentiment-note">([^<]*)<', french)
    assert note and html.unescape(note[1]).startswith("Une barre plus claire")
    assert 'data-figure="sentiment-note">A lighter bar with a dashed outline' in english
    mentions = re.search(r'<figure aria-label="Mentions par semaine[^"]*">(.*?)</figure>',
                         french, re.S)  # fmt: skip
    assert mentions and ">16 févr. 2015<" in mentions[1] and "Feb" not in mentions[1]
    assert ">Feb 16, 2015<" in english
    # the comparison chart's key, in each language
    versus = re.search(r'<figure aria-label="Face aux autres organisations">(.*?)</figure>',
                       french, re.S)  # fmt: skip
    assert versus and ">Variation<" in versus[1] and ">significative<" in versus[1]
    assert ">pas de variation détectable<" in versus[1]
    assert ">no detectable change<" in english and ">Change<" in english


def test_the_roi_axis_stays_within_what_the_returns_reach(client: TestClient):
    """A ROI cannot fall below -100%: Vega's rounding stretched the axis past it."""
    returns = specs_of(client, "en")["returns-spec"]
    bars = returns["layer"][0]
    reached = [x for v in returns["data"]["values"] for x in (v["roi"], v["low"], v["high"])
               if x is not None]  # fmt: skip
    scale = bars["encoding"]["x"]["scale"]
    assert scale["nice"] is False
    assert scale["domain"] == [min(0, *reached), max(0, *reached)]
    assert -1 <= scale["domain"][0] < 0  # this brand has a campaign that lost money
    # a campaign that lost everything: the axis ends at -100%, not at -200%
    t = translator("en")
    lost = charts.campaign_returns(
        [{"name": "C", "roi": -1.0, "roi_interval": [-1.0, -0.97], "platform_roi": 3.2,
          "platform_roi_interval": [1.1, 9.02]}], t)  # fmt: skip
    assert lost["layer"][0]["encoding"]["x"]["scale"]["domain"] == [-1.0, 9.02]


def test_no_chart_asks_vega_lite_for_what_it_would_drop(client: TestClient):
    """A chart as wide as its container fits its width: a height given in steps would
    make Vega-Lite warn (`Dropping "fit-y" because spec has discrete height.`)."""
    for name, spec in specs_of(client, "en").items():
        assert spec["width"] == "container"
        assert isinstance(spec["height"], int), (name, spec["height"])
        # a bar per row, as tall as before
        assert spec["height"] >= 16


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def declared_colours() -> dict[str, dict[str, str]]:
    """app.css's text and background colours per selector, variables resolved and the
    later rule winning, as the browser cascades them."""
    css = resources.files("jauge.web").joinpath("static", "app.css").read_text("utf-8")
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"@media[^{]*\{((?:[^{}]*\{[^}]*\})*)\s*\}", r"\1", css)
    variables = dict(re.findall(r"(--[\w-]+)\s*:\s*([^;]+);", css))
    found: dict[str, dict[str, str]] = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", css):
        for prop, value in re.findall(r"(?:^|;)\s*(color|background(?:-color)?)\s*:\s*([^;]+)",
                                      body):  # fmt: skip
            value = re.sub(r"var\((--[\w-]+)\)", lambda m: variables[m[1]], value.strip())
            if value == "#fff":
                value = "#ffffff"
            for selector in selectors.split(","):
                found.setdefault(selector.strip(), {})[prop.replace("-color", "")] = value
    return found


#: text drawn large (WCAG: 18.66 px bold and more), which needs 3:1
LARGE = {".brand", ".headline .score"}


def test_every_text_colour_can_be_read():
    """WCAG AA: 4.5:1 for text, on the white of the cards and header and on the page's
    grey background; buttons on their own background."""
    colours = declared_colours()
    background = colours["body"]["background"]
    checked = 0
    for selector, declared in colours.items():
        text = declared.get("color")
        if not text or not text.startswith("#"):
            continue
        own = declared.get("background")
        grounds = [own] if own else ["#ffffff", background]
        for ground in grounds:
            ratio = contrast(text, ground)
            assert ratio >= (3 if selector in LARGE else 4.5), (selector, text, ground, ratio)
        checked += 1
    assert checked > 10
    # the ones QA measured: the "significant" label, greyed rows, white on the buttons
    assert contrast(colours[".significant"]["color"], "#ffffff") >= 4.5
    assert contrast(colours["tr.missing td"]["color"], "#ffffff") >= 4.5
    assert contrast(colours["button"]["color"], colours["button"]["background"]) >= 4.5
    assert contrast(colours["a.button"]["color"], colours["a.button"]["background"]) >= 4.5
    # and the chart's orange for a significant change stands out as a mark (3:1)
    assert contrast(charts.SIGNIFICANT, "#ffffff") >= 3
