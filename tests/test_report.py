"""The executive report: the CLI's figures, the dashboard's charts, in one file to share."""

from __future__ import annotations

import html
import json
import re
import shlex
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import jauge
from jauge.cli.main import cli
from jauge.metrics.labels import label

from .conftest import UCI_FACEBOOK
from .webstore import WebStore

RIVALS = ("Delta", "Southwest")


@pytest.fixture
def brands(fresh_web_store: WebStore) -> Iterator[jauge.Jauge]:
    """The airlines' tweets with dictionaries and sentiment, and the cosmetics brand's
    posts (tests/webstore.py), in a copy: people's pseudonyms need a key in the store."""
    with jauge.open(fresh_web_store.path, workspace="brands") as j:
        yield j


def figure(page: str, name: str) -> str:
    found = re.search(rf'<(\w+)[^>]*data-figure="{name}"[^>]*>(.*?)</\1>', page, re.S)
    assert found, name
    return found.group(2)


def cells(table: str) -> list[list[str]]:
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)
    return [
        [
            html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
            for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)
        ]
        for r in rows
        if "<td" in r
    ]


def test_the_report_shows_what_the_cli_computes(brands: jauge.Jauge) -> None:
    report = brands.report("United", versus=RIVALS, lang="en")
    page = report.html
    score = brands.score("United").to_dict()
    first, last = score["scope"]["from"], score["scope"]["to"]
    assert repr(report) == (  # one line in a notebook, as every result
        f"<Report of United (en): index {score['score']:.1f}, {first} to {last} "
        f"({score['index_version']})>"
    )
    assert f"{score['score']:.1f}" in figure(page, "score")
    low, high = score["interval"]
    assert f"{low:.1f} to {high:.1f}" in figure(page, "score")
    assert score["fingerprint"] in page and report.figures["score"] == score
    # every pillar and component, with its label and score
    pillars = cells(figure(page, "pillars"))
    assert [r[0] for r in pillars] == ["Engagement depth", "Relationship health",
                                       "Business impact", "Qualified attention"]  # fmt: skip
    # the weights each pillar had in this index: renormalised over the pillars with data
    weights = {r[0]: r[3] for r in pillars}
    for name, p in score["pillars"].items():
        shown = "—" if p["score"] is None else f"{p['effective_weight']:.2f}"
        assert weights[label(name)] == shown, name
    assert sum(float(w) for w in weights.values() if w != "—") == pytest.approx(1, abs=0.02)
    components = {r[0]: r[1] for r in cells(figure(page, "components"))}
    assert len(components) == len(score["components"])
    for name, c in score["components"].items():
        assert components[label(name)] == ("—" if c["score"] is None else f"{c['score']:.1f}")
    assert any(c["score"] is not None for c in score["components"].values())
    # the rivals side by side, as `jauge compare --by org` over the same days
    versus = brands.compare("org", ["United", *RIVALS], start=_day(first), end=_day(last))
    shown = {r[0]: r[1] for r in cells(figure(page, "versus"))}
    assert shown == {r["unit"]: f"{r['score']:.1f}" for r in versus.to_dict()["rows"]}
    # what people say and who says it
    topics = brands.topics("United", start=_day(first), end=_day(last), limit=10).to_dict()
    listed = html.unescape(figure(page, "topics"))
    assert topics["top"] and all(
        f"{t['term']} ({t['items']})" in re.sub(r"<[^>]+>", "", listed) for t in topics["top"]
    )
    named = brands.people("United", start=_day(first), end=_day(last), limit=5)
    people = cells(figure(page, "people"))
    assert len(people) == len(named) > 0
    assert all(p.handle not in page for p in named)  # pseudonyms by default
    # the dashboard's charts, drawn: breakdown, trend, rivals, mentions, share of voice,
    # where the mentions come from
    assert page.count("<svg") == 6
    # a document that runs and loads nothing
    assert "<script" not in page and not re.search(r"""(?:src|href)=["']?https?:""", page)


def test_a_notebook_shows_the_report_in_a_frame_of_its_own(brands: jauge.Jauge) -> None:
    report = brands.report("Cosmetics brand")
    shown = report._repr_html_()
    frame = re.fullmatch(r'<iframe title="([^"]*)" srcdoc="([^"]*)" style="[^"]*"></iframe>', shown)
    assert frame and html.unescape(frame[2]) == report.html and frame[1] == "Cosmetics brand"


def test_names_on_request_and_french_labels(brands: jauge.Jauge) -> None:
    report = brands.report("United", names=True, lang="fr")
    page = report.html
    assert '<html lang="fr">' in page and "Évolution par trimestre" in page
    assert "Profondeur de l&#39;engagement" in page and "Applaudissements" in page
    named = brands.people("United", limit=5, start=_day(report.figures["score"]["scope"]["from"]))
    assert [r[0] for r in cells(figure(page, "people"))] == [p.handle for p in named]
    assert "pseudonyme" not in page


def test_the_printed_command_recomputes_the_same_figures(
    brands: jauge.Jauge, fresh_web_store: WebStore
) -> None:
    page = brands.report("Cosmetics brand", lang="en").html
    command = html.unescape(re.sub(r"<[^>]+>", "", figure(page, "command"))).strip()
    assert command.startswith("jauge score --org 'Cosmetics brand' --from ")
    assert " --workspace brands " in command  # not the default one: named
    args = shlex.split(command)[1:]
    brands.close()
    result = CliRunner().invoke(cli, [*args, "--db", str(fresh_web_store.path)])
    assert result.exit_code == 0, result.output
    recomputed = json.loads(result.output)
    assert recomputed["fingerprint"] in page
    assert f"{recomputed['score']:.1f}" in figure(page, "score")


def test_the_command_writes_a_file_and_says_where(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "store.duckdb"
    # an organisation named with markup (fault injection): the report shows it as text
    org = "<b>Cosmetics</b> <script>alert(1)</script>"
    with jauge.open(db) as j:
        assert j.import_file(UCI_FACEBOOK, "facebook-insights", org=org, year=2014).ok
    runner = CliRunner()
    out = tmp_path / "report.html"
    result = runner.invoke(
        cli, ["report", "--org", org, "--db", str(db), "-o", str(out), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    with jauge.open(db) as j:
        score = j.score(org).to_dict()
    assert answer["path"] == str(out) and answer["fingerprint"] == score["fingerprint"]
    assert answer["score"] == score["score"] and answer["lang"] == "en"
    page = out.read_text("utf-8")
    assert "<script" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    # by default, a file named after the organisation and the last day, where it runs
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["report", "--org", org, "--db", str(db)])
    assert result.exit_code == 0, result.output
    name = f"jauge-report-b-cosmetics-b-script-alert-1-script-{score['scope']['to']}.html"
    assert (tmp_path / name).exists() and name in result.output
    streamed = runner.invoke(cli, ["report", "--org", org, "--db", str(db), "-o", "-"])
    assert streamed.output.startswith("<!doctype html>") and score["fingerprint"] in streamed.output


def _day(value: str) -> object:
    from datetime import date

    return date.fromisoformat(value)


def test_a_window_without_data_says_so_instead_of_drawing_empty_charts(
    brands: jauge.Jauge,
) -> None:
    from datetime import date

    page = brands.report("United", start=date(2010, 1, 1), end=date(2010, 3, 31)).html
    assert "Not enough data to compute the index for this window." in page
    assert "<svg" not in page and "No data for this choice." in figure(page, "no-trend")


def test_a_pdf_is_printed_by_the_installed_browser(
    brands: jauge.Jauge, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = brands.report("United", versus=RIVALS, lang="en")
    pdf = report.save(tmp_path / "united.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and b"/Title (Jauge Index report: United)" in pdf
    pages = re.search(rb"/Count (\d+)", pdf)
    assert pages and int(pages[1]) >= 3  # the whole report, over several A4 pages
    # without a browser, the user is told what to do instead
    monkeypatch.setenv("JAUGE_BROWSER", str(tmp_path / "no-such-browser"))
    with pytest.raises(jauge.ConfigError, match="print it to PDF from any browser"):
        report.save(tmp_path / "again.pdf")
    assert not (tmp_path / "again.pdf").exists()
    # a browser that fails leaves an earlier file as it was, and says so
    earlier = tmp_path / "earlier.pdf"
    earlier.write_bytes(b"%PDF- an earlier report")
    monkeypatch.setenv("JAUGE_BROWSER", shutil.which("false") or "/bin/false")
    with pytest.raises(jauge.ConfigError, match="could not print the report"):
        report.save(earlier)
    assert earlier.read_bytes() == b"%PDF- an earlier report"


def test_a_campaign_report_and_the_campaigns_side_by_side(brands: jauge.Jauge) -> None:
    from datetime import date

    for name, first, last in (
        ("Summer", date(2014, 6, 1), date(2014, 8, 31)),
        ("Autumn", date(2014, 9, 1), date(2014, 11, 30)),
    ):
        brands.add_campaign(name, org="Cosmetics brand", start=first, end=last)
    report = brands.report("Cosmetics brand", campaign="Autumn", lang="en")
    page = report.html
    assert "Jauge Index report: Cosmetics brand / Autumn" in page
    score = brands.score("Cosmetics brand", campaign="Autumn").to_dict()
    assert (score["scope"]["from"], score["scope"]["to"]) == ("2014-09-01", "2014-11-30")
    assert f"{score['score']:.1f}" in figure(page, "score") and score["fingerprint"] in page
    assert "--campaign Autumn --from 2014-09-01 --to 2014-11-30" in re.sub(
        r"<[^>]+>", "", figure(page, "command")
    )
    compared = brands.compare("campaign", ["Cosmetics brand"]).to_dict()["rows"]
    shown = cells(figure(page, "campaigns"))
    assert [(r[0], r[1], r[2], r[3]) for r in shown] == [
        (c["campaign"], c["from"], c["to"], f"{c['score']:.1f}") for c in compared
    ]
    assert report.default_name() == "jauge-report-cosmetics-brand-autumn-2014-11-30.html"


def test_in_short_the_sentences_come_from_the_figures_below(brands: jauge.Jauge) -> None:
    report = brands.report("United", versus=RIVALS, lang="en")
    said = [
        html.unescape(re.sub(r"<[^>]+>", "", li))
        for li in re.findall(r"<li>(.*?)</li>", figure(report.html, "highlights"), re.S)
    ]
    f = report.figures
    ranked = sorted(
        (r for r in f["versus"]["rows"] if r["score"] is not None), key=lambda r: -r["score"]
    )
    place = [r["org"] for r in ranked].index("United")
    leader = ranked[0]
    expected_rank = (
        f"Ranks {place + 1} of the {len(ranked)} organisations compared; "
        f"{leader['org']} leads, at {leader['score']:.1f}."
    )
    assert expected_rank in said
    united = next(v for v in f["voice"]["orgs"] if v["org"] == "United")
    assert (
        f"{united['share_of_voice'] * 100:.0f}% of the mentions of the organisations compared "
        f"({united['mentions']}); net sentiment {united['net_sentiment']:+.0f}, on a scale "
        "from -100 to +100."
    ) in said
    engagers = f["score"]["coverage"]["engagers"]
    assert f"{engagers} people engaged with it in this period." in said
    # every sentence is a message of both catalogues, never a bare key
    assert not any(s.startswith("report.") for s in said)
    french = brands.report("United", versus=RIVALS, lang="fr").html
    assert f"Rang {place + 1} sur les {len(ranked)} organisations comparées" in french


def test_the_workspaces_competitors_are_the_default_rivals(brands: jauge.Jauge) -> None:
    for rival in RIVALS:
        brands.add_org(rival, relation="competitor")
    shown = cells(figure(brands.report("United").html, "versus"))
    assert [r[0] for r in shown] == ["United", *RIVALS]
    # naming rivals replaces them, and naming none is possible from the API
    assert [r[0] for r in cells(figure(brands.report("United", versus=["American"]).html,
                                        "versus"))] == ["United", "American"]  # fmt: skip
    assert 'data-figure="versus"' not in brands.report("United", versus=[]).html


def test_the_report_says_what_social_media_brought(
    brands: jauge.Jauge, fresh_web_store: WebStore
) -> None:
    """The brand's web analytics and ad spend (tests/webstore.py): the report's value
    section is `jauge value` over the report's window, and its printed command gives it."""
    report = brands.report("Cosmetics brand", lang="en")
    page = report.html
    value = report.figures["value"]
    funnel = value["funnel"]
    assert funnel["social_sessions"] > 0
    (row,) = cells(figure(page, "value-funnel"))
    assert row[1] == f"{funnel['sessions']:,}" and row[2] == f"{funnel['social_sessions']:,}"
    share = f"{funnel['social_share'] * 100:.0f}%"
    assert f"{funnel['social_sessions']:,} visits to the site came from social media ({share}" in (
        figure(page, "highlights")
    )
    names = [r[0] for r in cells(figure(page, "value-campaigns"))]
    assert names == [c["name"] for c in value["campaigns"]] == ["1178", "916", "936"]
    funnel_chart = re.search(
        r'<figure aria-label="From reach to sales, per platform">(.*?)</figure>', page, re.S
    )
    assert funnel_chart and "<svg" in funnel_chart[1]
    # no revenue and no value given to a conversion: no return to draw
    assert all(c["roi"] is None and c["platform_roi"] is None for c in value["campaigns"])
    assert 'aria-label="Campaigns: spend and return"' not in page
    command = html.unescape(re.sub(r"<[^>]+>", "", figure(page, "value-command"))).strip()
    brands.close()
    result = CliRunner().invoke(cli, [*shlex.split(command)[1:], "--db", str(fresh_web_store.path)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == value
    # an organisation without web analytics or costs has no value section
    assert brands_value_free(fresh_web_store) is None


def brands_value_free(store: WebStore) -> object:
    with jauge.open(store.path, workspace="brands") as j:
        return j.report("United", lang="en").figures["value"]


def test_the_commands_name_the_workspace_only_when_it_is_not_the_default(tmp_path: Path) -> None:
    db = tmp_path / "store.duckdb"
    with jauge.open(db) as j:
        assert j.import_file(UCI_FACEBOOK, "facebook-insights", org="Brand", year=2014).ok
        page = j.report("Brand", lang="en").html
    command = html.unescape(re.sub(r"<[^>]+>", "", figure(page, "command")))
    assert command.startswith("jauge score --org Brand ") and "--workspace" not in command


def test_a_report_by_month_says_its_points_are_months(brands: jauge.Jauge) -> None:
    page = brands.report("United", every="month", lang="en").html
    assert "Trend by month" in page and "Each point is the index of a month" in page
    assert "of a quarter" not in page
    french = brands.report("United", every="month", lang="fr").html
    assert "Évolution par mois" in french
    assert "Chaque point est l&#39;indice d&#39;un mois" in french
    assert "trimestre" not in french


def test_a_report_of_an_earlier_index_version_says_how_to_recompute_it(
    brands: jauge.Jauge, fresh_web_store: WebStore
) -> None:
    old = "jauge-index/1.0.0"
    brands.close()
    out = fresh_web_store.path.parent / "old.html"
    result = CliRunner().invoke(cli, ["report", "--org", "Cosmetics brand", "--index-version", old,
                                      "--db", str(fresh_web_store.path), "--workspace", "brands",
                                      "-o", str(out), "--format", "json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    page = out.read_text("utf-8")
    command = html.unescape(re.sub(r"<[^>]+>", "", figure(page, "command")))
    assert answer["index_version"] == old and f"--index-version {old} " in command
    recomputed = CliRunner().invoke(
        cli, [*shlex.split(command)[1:], "--db", str(fresh_web_store.path)]
    )
    assert json.loads(recomputed.output)["fingerprint"] == answer["fingerprint"]
    with jauge.open(fresh_web_store.path, workspace="brands") as j:
        figures = j.report("Cosmetics brand", version=old).figures
    assert figures["trend"]["index_version"] == old


def test_a_campaign_too_short_for_the_index_is_shown_unscored(brands: jauge.Jauge) -> None:
    from datetime import date

    brands.add_campaign("Autumn", org="Cosmetics brand", start=date(2014, 9, 1),
                        end=date(2014, 11, 30))  # fmt: skip
    brands.add_campaign("Black Friday", org="Cosmetics brand", start=date(2014, 11, 24),
                        end=date(2014, 11, 30))  # fmt: skip
    page = brands.report("Cosmetics brand", lang="en").html
    shown = {r[0]: r for r in cells(figure(page, "campaigns"))}
    assert shown["Black Friday"][3] == "—" and shown["Autumn"][3] != "—"
    notes = html.unescape(figure(page, "campaigns-notes"))
    assert "Black Friday is not scored: the index needs at least 28 days" in notes
    french = html.unescape(brands.report("Cosmetics brand", lang="fr").html)
    assert (
        "la campagne Black Friday n'a pas de score : l'indice a besoin d'au moins 28 jours"
        in figure(french, "campaigns-notes")
    )
    # the campaign's own report: its value and listening over its days, and why it has
    # no index
    own = brands.report("Cosmetics brand", campaign="Black Friday", lang="en")
    assert own.figures["score"]["score"] is None
    assert own.figures["score"]["scope"]["from"] == "2014-11-24"
    assert "Black Friday is not scored" in html.unescape(own.html)
    assert repr(own).startswith("<Report of Cosmetics brand (en): index —, 2014-11-24 to")
