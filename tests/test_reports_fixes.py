"""The executive report's fixes from QA (F1-F14): short campaigns beside rivals, errors
while saving, file names, periods cut to the report's days, A4 PDFs, read-only stores,
and what the pages say (no "None", no tooltip, numbers and days as each language writes
them, nothing drawn empty)."""

from __future__ import annotations

import html
import json
import re
import shlex
import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

import jauge
from jauge.cli.main import cli
from jauge.i18n import day, number
from jauge.reports import Report
from jauge.reports.pdf import find_browser

from .conftest import UCI_FACEBOOK
from .test_report import cells, figure
from .test_value import AD_MAP, ADS, write_named_sessions
from .webstore import WebStore

RIVALS = ("Delta", "Southwest")
#: a real-world length of legal name (QA's), and a campaign named as long
LONG_ORG = (
    "Société Générale des Établissements de Crémerie et de Fromagerie Artisanale du Grand Est "
    "et de la Bourgogne-Franche-Comté — Direction de la Communication Numérique et des Réseaux "
    "Sociaux Internationaux"
)
LONG_CAMPAIGN = "Grande campagne d'automne pour la promotion des fromages affinés"

needs_browser = pytest.mark.skipif(
    find_browser() is None, reason="no Chromium, Chrome or Edge to print or lay out pages"
)


@pytest.fixture
def brands(fresh_web_store: WebStore) -> Iterator[jauge.Jauge]:
    """The web tests' store (tests/webstore.py), in a copy: the airlines' tweets and the
    cosmetics brand's posts, sessions and ad costs."""
    with jauge.open(fresh_web_store.path, workspace="brands") as j:
        yield j


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The UCI cosmetics brand's posts (2014) with the UCI shop's sessions dated in 2014,
    their page value as revenue and the special days' sessions tagged with the Kaggle ad
    campaign 1178, whose costs are imported: a campaign with a return to show (a loss)."""
    folder = tmp_path_factory.mktemp("shop")
    db = folder / "shop.duckdb"
    with jauge.open(db) as j:
        assert j.import_file(UCI_FACEBOOK, "facebook-insights", org="Brand", year=2014).ok
        raw = write_named_sessions(folder / "ga4.csv", 2014)
        raw["Session campaign"] = raw["SpecialDay"].map(lambda s: "1178" if s > 0 else "")
        raw.to_csv(folder / "ga4.csv", index=False)
        sessions = j.import_file(
            folder / "ga4.csv",
            "web-analytics-csv",
            org="Brand",
            mapping={"Revenue": "converted", "PageValues": "revenue"},
        )
        assert sessions.ok, sessions.errors
        costs = j.import_file(ADS, "costs-csv", org="Brand", platform="facebook", mapping=AD_MAP)
        assert costs.ok
        j.add_campaign(
            "Special days",
            org="Brand",
            start=date(2014, 2, 1),
            end=date(2014, 5, 31),
            utm_campaign="1178",
        )
    return db


def text(fragment: str) -> str:
    """What a reader sees of an HTML fragment: its text, spaces collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def black_friday(j: jauge.Jauge, *, rivals: bool = True) -> None:
    """A campaign of 7 days, too short for the index, and (unless not) the rivals."""
    j.add_campaign(
        "Black Friday", org="Cosmetics brand", start=date(2014, 11, 24), end=date(2014, 11, 30)
    )
    if rivals:
        for rival in RIVALS:
            j.add_org(rival, relation="competitor")


# -- F1: a campaign shorter than 28 days, beside competitors ---------------------------


def test_a_short_campaign_is_reported_with_the_rivals_listed_unscored(
    brands: jauge.Jauge, fresh_web_store: WebStore
) -> None:
    black_friday(brands)
    report = brands.report("Cosmetics brand", campaign="Black Friday", lang="en")
    rows = report.figures["versus"]["rows"]
    assert [r["unit"] for r in rows] == ["Cosmetics brand", *RIVALS]
    assert all(r["score"] is None and r["fingerprint"] is None for r in rows)
    assert all((r["from"], r["to"]) == ("2014-11-24", "2014-11-30") for r in rows)
    notes = text(figure(report.html, "versus-notes"))
    for org in ("Cosmetics brand", *RIVALS):
        assert (
            f"{org} is not scored: the index needs at least 28 days, and the window "
            "2014-11-24 to 2014-11-30 has 7"
        ) in notes
    french = brands.report("Cosmetics brand", campaign="Black Friday", versus=["Delta"], lang="fr")
    assert "Delta n'a pas de score : l'indice a besoin d'au moins 28 jours" in text(
        figure(french.html, "versus-notes")
    )
    # an organisation that does not exist is still refused, whatever the window
    with pytest.raises(jauge.NotFoundError):
        brands.report("Cosmetics brand", campaign="Black Friday", versus=["Nobody"])
    brands.close()
    out = fresh_web_store.path.parent / "bf.html"
    result = CliRunner().invoke(
        cli,
        [
            "report",
            "--org",
            "Cosmetics brand",
            "--campaign",
            "Black Friday",
            "--vs",
            "Delta",
            "--workspace",
            "brands",
            "--db",
            str(fresh_web_store.path),
            "-o",
            str(out),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["score"] is None and out.is_file()


def test_the_dashboard_serves_the_report_of_a_short_campaign(
    writable_client: TestClient, fresh_web_store: WebStore
) -> None:
    with jauge.open(fresh_web_store.path, workspace="brands") as j:
        black_friday(j)
    answer = writable_client.get(
        "/report",
        params={"org": "Cosmetics brand", "campaign": "Black Friday", "lang": "fr"},
        headers=fresh_web_store.auth("analyst"),
    )
    assert answer.status_code == 200, answer.text[-500:]
    assert "Southwest n'a pas de score" in text(figure(answer.text, "versus-notes"))


# -- F2: errors while saving are the CLI's errors -------------------------------------


def test_a_report_that_cannot_be_printed_or_written_says_why_in_json_too(
    brands: jauge.Jauge, fresh_web_store: WebStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a file name longer than the file system allows: said, not a traceback
    report = brands.report("United", versus=[], lang="en")
    with pytest.raises(jauge.ConfigError, match=r"cannot write the report to .*x{200}"):
        report.save(tmp_path / ("x" * 300 + ".html"))
    brands.close()
    args = ["report", "--org", "United", "--workspace", "brands", "--db", str(fresh_web_store.path)]
    runner = CliRunner()
    monkeypatch.setenv("JAUGE_BROWSER", str(tmp_path / "no-such-browser"))
    result = runner.invoke(cli, [*args, "-o", str(tmp_path / "a.pdf"), "--format", "json"])
    assert result.exit_code == 1
    error = json.loads(result.stdout)["error"]  # one JSON document, nothing else
    assert error["code"] == "config" and "print it to PDF from any browser" in error["message"]
    # a browser that fails: the same, and the usual "error:" line in a table
    monkeypatch.setenv("JAUGE_BROWSER", shutil.which("false") or "/bin/false")
    result = runner.invoke(cli, [*args, "-o", str(tmp_path / "b.pdf"), "--format", "json"])
    assert result.exit_code == 1
    assert "could not print the report" in json.loads(result.stdout)["error"]["message"]
    result = runner.invoke(cli, [*args, "-o", str(tmp_path / "b.pdf")])
    assert result.exit_code == 1
    assert "error: " in result.stderr and "could not print the report" in result.stderr
    assert not (tmp_path / "a.pdf").exists() and not (tmp_path / "b.pdf").exists()


# -- F3: the default file name is bounded ---------------------------------------------


def test_the_default_name_of_a_long_organisation_fits_every_file_system(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "store.duckdb"
    with jauge.open(db) as j:
        assert j.import_file(UCI_FACEBOOK, "facebook-insights", org=LONG_ORG, year=2014).ok
        j.add_campaign(LONG_CAMPAIGN, org=LONG_ORG, start=date(2014, 9, 1), end=date(2014, 11, 30))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        cli,
        [
            "report",
            "--org",
            LONG_ORG,
            "--campaign",
            LONG_CAMPAIGN,
            "--db",
            str(db),
            "--lang",
            "fr",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    written = Path(json.loads(result.output)["path"])
    assert written.is_file() and written.parent == tmp_path
    name = written.name
    assert len(name.encode()) <= 160  # far from the 255 bytes most file systems allow
    # readable: the organisation's first words, then the campaign's, then a hash and the day
    assert name.startswith("jauge-report-société-générale-des-établissements-de-crémerie-")
    assert re.search(r"-grande-campagne-[\w-]*-[0-9a-f]{8}-2014-11-30\.html$", name), name
    # two long names alike but for their end give two files
    assert _named(LONG_ORG + " Nord") != _named(LONG_ORG + " Sud")
    assert _named("Air France") == "jauge-report-air-france-2024-03-31.html"  # short: as before


def _named(org: str) -> str:
    scope = {"org": org, "campaign": None, "from": "2024-01-01", "to": "2024-03-31"}
    return Report(org=org, lang="en", figures={"score": {"scope": scope}}, html="").default_name()


# -- F4: periods cut to --from/--to ---------------------------------------------------

COMPARE_FIELDS = [
    "unit",
    "org",
    "campaign",
    "from",
    "to",
    "score",
    "interval",
    "pillars",
    "change",
    "warnings",
    "fingerprint",
]


def test_the_first_and_last_periods_end_where_the_days_asked_do(brands: jauge.Jauge) -> None:
    org = "Cosmetics brand"
    rows = brands.compare("period", [org], end=date(2014, 7, 31)).to_dict()["rows"]
    last = rows[-1]
    assert (last["unit"], last["from"], last["to"]) == (
        f"{org} 2014-Q3",
        "2014-07-01",
        "2014-07-31",
    )
    july = brands.score(org, start=date(2014, 7, 1), end=date(2014, 7, 31)).to_dict()
    assert last["score"] == july["score"] and last["fingerprint"] == july["fingerprint"]
    first = brands.compare("period", [org], start=date(2014, 10, 3)).to_dict()["rows"][0]
    assert (first["from"], first["to"]) == ("2014-10-03", "2014-12-31")
    # a period cut shorter than the index allows: listed without a score, saying why
    rows = brands.compare("period", [org], start=date(2014, 5, 1), end=date(2014, 7, 15)).to_dict()[
        "rows"
    ]
    assert [(r["from"], r["to"]) for r in rows] == [
        ("2014-05-01", "2014-06-30"),
        ("2014-07-01", "2014-07-15"),
    ]
    short = rows[-1]
    assert short["score"] is None and short["fingerprint"] is None and short["change"] is None
    assert short["warnings"] == [
        f"{org} 2014-Q3 is not scored: the index needs at least 28 days, and the window "
        "2014-07-01 to 2014-07-15 has 15 (it measures slow things: relationships, returns)"
    ]
    assert list(short) == list(rows[0]) == COMPARE_FIELDS  # the same fields, only values
    brands.close()


def test_the_reports_latest_period_never_reads_past_its_last_day(
    brands: jauge.Jauge, fresh_web_store: WebStore
) -> None:
    org = "Cosmetics brand"
    report = brands.report(org, start=date(2014, 5, 1), end=date(2014, 7, 31), lang="en")
    latest = report.figures["trend"]["rows"][-1]
    assert (latest["from"], latest["to"]) == ("2014-07-01", "2014-07-31")
    said = text(figure(report.html, "change"))
    assert said.startswith(f"Latest period (Jul 1, 2014 to Jul 31, 2014): {latest['score']:.1f}")
    # by month, the latest period is the same July: the two headlines agree
    monthly = brands.report(org, start=date(2014, 5, 1), end=date(2014, 7, 31), every="month")
    assert monthly.figures["trend"]["rows"][-1]["score"] == latest["score"]
    brands.close()
    result = CliRunner().invoke(
        cli,
        [
            "compare",
            "--by",
            "period",
            "--org",
            org,
            "--to",
            "2014-07-31",
            "--workspace",
            "brands",
            "--db",
            str(fresh_web_store.path),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["rows"][-1]["to"] == "2014-07-31"


# -- F5, F10: A4, and long sections flow over pages -----------------------------------


@needs_browser
def test_the_pdf_is_a4_and_long_sections_flow_over_pages(
    brands: jauge.Jauge, tmp_path: Path
) -> None:
    report = brands.report("United", versus=RIVALS, lang="en")
    pdf = report.save(tmp_path / "united.pdf").read_bytes()
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert boxes and all(
        (round(float(w) / 72 * 25.4), round(float(h) / 72 * 25.4)) == (210, 297) for w, h in boxes
    )  # A4, in millimetres, on every page
    assert int(re.findall(rb"/Count (\d+)", pdf)[0]) > 1

    def pages(html: str, name: str) -> int:
        saved = Report(report.org, report.lang, report.figures, html).save(tmp_path / name)
        return int(re.findall(rb"/Count (\d+)", saved.read_bytes())[0])

    # a section longer than what is left of its page (a block of two thirds of a page at
    # its top, so that the comparison does not hang on where the report's sections end)
    long = report.html.replace("<section>", '<section><div style="height:190mm"></div>', 2)
    flowing = pages(long, "flowing.pdf")
    # the same report with each section kept whole, as before: pages wasted
    whole = pages(long.replace("</style>", "section { break-inside: avoid; }</style>"), "w.pdf")
    assert flowing < whole


# -- F6: a read-only store without a pseudonym key ------------------------------------


def test_a_read_only_store_without_a_pseudonym_key_says_how_to_do_without(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "store.duckdb"
    with jauge.open(db) as j:
        assert j.import_file(UCI_FACEBOOK, "facebook-insights", org="Brand", year=2014).ok
    with jauge.open(db, read_only=True) as j:
        with pytest.raises(jauge.StoreError) as refused:
            j.report("Brand", lang="en")
        said = str(refused.value)
        assert "pseudonym" in said and "read-only" in said
        assert "--names" in said and "JAUGE_PSEUDONYM_KEY" in said and "copy" in said
        # each way out works
        assert j.report("Brand", names=True).figures["score"]["score"] is not None
        monkeypatch.setenv("JAUGE_PSEUDONYM_KEY", "a key of the team's")
        assert j.report("Brand").figures["pseudonymised"]


# -- F7: a report without an index ----------------------------------------------------


def test_a_report_without_an_index_says_why_and_prints_no_none(brands: jauge.Jauge) -> None:
    black_friday(brands, rivals=False)
    page = brands.report("Cosmetics brand", campaign="Black Friday", lang="en").html
    assert "None" not in text(page)
    assert 'data-figure="fingerprint"' not in page  # no score, nothing to pin
    headline = text(figure(page, "no-score"))
    assert headline.startswith("campaign Black Friday is not scored: the index needs at least")
    assert "Not enough data" not in headline
    french = brands.report("Cosmetics brand", campaign="Black Friday", lang="fr").html
    assert "None" not in text(french)
    assert "la campagne Black Friday n'a pas de score" in text(figure(french, "no-score"))
    # a window without data still says so, and why
    empty = brands.report("United", start=date(2010, 1, 1), end=date(2010, 3, 31)).html
    assert text(figure(empty, "no-score")).startswith(
        "Not enough data to compute the index for this window. Nothing to measure from "
        "2010-01-01 to 2010-03-31"
    )


# -- F8: no tooltip on paper ----------------------------------------------------------


def test_the_sentiment_note_speaks_of_the_reports_days_not_a_tooltip(
    brands: jauge.Jauge,
) -> None:
    report = brands.report("United", versus=[], lang="en")
    scope = report.figures["score"]["scope"]
    note = text(figure(report.html, "sentiment-note"))
    assert "tooltip" not in report.html.lower()
    assert f"the report's days ({day(scope['from'], 'en')} to {day(scope['to'], 'en')})" in note
    french = brands.report("United", versus=[], lang="fr").html
    assert "info-bulle" not in french and "jours du rapport" in figure(french, "sentiment-note")


# -- F9: the printed command breaks between its options -------------------------------


@needs_browser
def test_the_command_breaks_between_its_options_only(brands: jauge.Jauge) -> None:
    from playwright.sync_api import sync_playwright

    page_html = brands.report("United", versus=[], lang="en").html
    parts = re.findall(r'<span class="option">([^<]*)</span>', figure(page_html, "command"))
    command = text(figure(page_html, "command"))
    assert " ".join(html.unescape(w) for w in parts) == command  # every option kept whole
    assert parts[0] == "jauge score --org United" and any(
        part.startswith("--index-version jauge-index/") for part in parts
    )
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=find_browser(), args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            tab = browser.new_page()
            tab.set_content(page_html)
            for width in (320, 420, 520):  # phones, and narrower than a printed page
                tab.set_viewport_size({"width": width, "height": 800})
                lines = tab.evaluate(
                    """() => [...document.querySelectorAll('[data-figure="command"] .option')]
                         .map(w => new Set([...w.getClientRects()].map(r => r.top)).size)"""
                )
                tops = tab.evaluate(
                    """() => new Set([...document.querySelectorAll(
                         '[data-figure="command"] .option')].map(w => w.getClientRects()[0].top)
                       ).size"""
                )
                assert lines and set(lines) == {1}, width  # no option split over two lines
                assert tops > 1, width  # and the command does wrap, between options
        finally:
            browser.close()


# -- F11: numbers, percentages and days as each language writes them --------------------


def test_numbers_and_days_are_written_as_each_language_writes_them(brands: jauge.Jauge) -> None:
    for lang in ("en", "fr"):
        report = brands.report("Cosmetics brand", versus=[], lang=lang)
        components = report.figures["score"]["components"]
        shown = [r[3] for r in cells(figure(report.html, "components"))]
        expected = [
            number(c["n"], ",.0f", lang) if c["n"] is not None else "" for c in components.values()
        ]
        assert shown == expected and any(c["n"] and c["n"] >= 1000 for c in components.values())
        scope = report.figures["score"]["scope"]
        header = text(report.html.split("</header>")[0])
        window = {"en": "{start} to {end}", "fr": "du {start} au {end}"}[lang]
        assert window.format(start=day(scope["from"], lang), end=day(scope["to"], lang)) in header
        made = datetime.strptime(report.figures["generated"], "%Y-%m-%d %H:%M UTC")
        assert day(made.replace(tzinfo=UTC), lang) in header
    assert re.search(r"établi le \d+(er)? [a-zéû]+\.? \d{4} à \d\d:\d\d UTC", header)


def test_the_day_helper_writes_days_as_the_charts_do() -> None:
    assert day("2014-10-03", "fr") == "3 oct. 2014" and day(date(2014, 10, 3), "en") == (
        "Oct 3, 2014"
    )
    assert day("2015-02-01", "fr") == "1er févr. 2015" and day("2015-02-01", "en") == (
        "Feb 1, 2015"
    )
    moment = datetime(2026, 11, 24, 22, 5, tzinfo=UTC)
    assert day(moment, "fr") == "24 nov. 2026 à 22:05 UTC"
    assert day(moment.isoformat(), "en") == "Nov 24, 2026, 22:05 UTC"
    assert day(None) == "—" and day("2014-10-03", "de") == "Oct 3, 2014"


def test_returns_are_written_per_language_and_a_loss_is_not_a_best_return(shop: Path) -> None:
    window = {"start": date(2014, 2, 1), "end": date(2014, 5, 31)}
    with jauge.open(shop) as j:
        english = j.report("Brand", lang="en", **window)
        french = j.report("Brand", lang="fr", **window)
    (lost,) = [c for c in english.figures["value"]["campaigns"] if c["roi"] is not None]
    assert lost["name"] == "Special days" and lost["roi"] < 0  # tagged 1178
    row = {r[0]: r for r in cells(figure(english.html, "value-campaigns"))}["Special days"]
    low, high = (round(x * 100) for x in lost["roi_interval"])
    assert row[4] == f"{lost['roi'] * 100:+.0f}% [{low:+d}, {high:+d}]"
    row = {r[0]: r for r in cells(figure(french.html, "value-campaigns"))}["Special days"]
    narrow = "\u202f"  # French puts a narrow no-break space before % and ;
    # and writes its negative numbers with the minus sign
    french_roi = f"{lost['roi'] * 100:+.0f}{narrow}% [{low:+d}{narrow}; {high:+d}]"
    assert row[4] == french_roi.replace("-", "\u2212")
    said = text(figure(english.html, "highlights"))
    assert "Best return" not in said
    assert (
        "No campaign brought back what it cost, according to the web analytics: the closest, "
        f"Special days, has an ROI of {lost['roi'] * 100:+.0f}%."
    ) in said
    assert "Aucune campagne n'a rapporté ce qu'elle a coûté" in text(
        figure(french.html, "highlights")
    )
    # the ROI axis has a few ticks, not one every 5% running together
    chart = re.search(
        r'aria-label="Campaigns: spend and return">(.*?)</figure>', english.html, re.S
    )
    assert chart
    ticks = re.findall(r"<text[^>]*>([^<]*%)</text>", chart[1])
    assert 2 <= len(ticks) <= 6, ticks


# -- F12, F14: nothing drawn empty, reasons given, the value's warnings shown -----------


def test_empty_parts_are_left_out_and_unscored_rivals_say_why(brands: jauge.Jauge) -> None:
    report = brands.report("Cosmetics brand", versus=["Delta"], lang="en")
    voices = report.figures["voice"]["orgs"]
    assert len(voices) == 2 and not any(v["mentions"] for v in voices)
    assert 'aria-label="Share of voice"' not in report.html  # nobody mentioned: no chart
    delta = report.figures["versus"]["rows"][1]
    assert delta["score"] is None and delta["fingerprint"] is not None
    scope = report.figures["score"]["scope"]
    assert (
        f"Delta: nothing to measure from {scope['from']} to {scope['to']}: no own post, no one "
        "else's post and no web session in these days"
    ) in text(figure(report.html, "versus-notes"))
    # costs elsewhere, but neither traffic nor costs in these days: no value section (the
    # ad file's totals are undated: each of its campaigns defined, they count over its days)
    for name, first, last, utm in (
        ("Spring", date(2014, 3, 1), date(2014, 5, 31), "916"),
        ("Summer", date(2014, 6, 1), date(2014, 8, 31), "936"),
        ("Xmas", date(2014, 11, 1), date(2014, 12, 31), "1178"),
    ):
        brands.add_campaign(name, org="Cosmetics brand", start=first, end=last, utm_campaign=utm)
    days = {"start": date(2013, 1, 1), "end": date(2013, 3, 31)}
    assert brands.value("Cosmetics brand", **days).to_dict()["funnel"]["spend"] == 0
    quiet = brands.report("Cosmetics brand", **days)
    assert quiet.figures["value"] is None and 'data-figure="value-funnel"' not in quiet.html


def test_a_campaign_report_says_what_its_value_counts(shop: Path) -> None:
    with jauge.open(shop) as j:
        report = j.report("Brand", campaign="Special days", lang="en")
    value = report.figures["value"]
    assert any("campaign's sessions and costs only" in w for w in value["warnings"])
    shown = text(figure(report.html, "value-warnings"))
    assert "the funnel counts the campaign's sessions and costs only" in shown
    funnel = value["funnel"]
    share = f"{funnel['social_share'] * 100:.0f}%"
    assert (
        f"{funnel['social_sessions']:,} of the campaign's {funnel['sessions']:,} visits to the "
        f"site came from social media ({share})"
    ) in text(figure(report.html, "highlights"))


# -- F13: the JSON's path --------------------------------------------------------------


@pytest.mark.parametrize("name", ["r.html", pytest.param("r.pdf", marks=needs_browser)])
def test_the_json_path_is_absolute_for_html_and_pdf_alike(
    name: str,
    brands: jauge.Jauge,
    fresh_web_store: WebStore,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    brands.close()
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        cli,
        [
            "report",
            "--org",
            "United",
            "--workspace",
            "brands",
            "--db",
            str(fresh_web_store.path),
            "-o",
            name,
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["path"] == str(tmp_path / name)
    said = CliRunner().invoke(
        cli,
        [
            "report",
            "--org",
            "United",
            "--workspace",
            "brands",
            "--db",
            str(fresh_web_store.path),
            "-o",
            name,
        ],
    )
    printed = name.endswith(".pdf")
    assert ("printed to PDF in r.pdf" in said.output) == printed
    assert ("open it in a browser" in said.output) == (not printed)


def test_the_printed_commands_still_run_as_printed(
    brands: jauge.Jauge, fresh_web_store: WebStore
) -> None:
    page = brands.report("Cosmetics brand", lang="en").html
    for name, verb in (("command", "score"), ("value-command", "value")):
        assert shlex.split(text(figure(page, name)))[:2] == ["jauge", verb]
    brands.close()
    result = CliRunner().invoke(
        cli, [*shlex.split(text(figure(page, "command")))[1:], "--db", str(fresh_web_store.path)]
    )
    assert result.exit_code == 0 and json.loads(result.output)["fingerprint"] in page
