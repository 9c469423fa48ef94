"""The executive report: an organisation's Jauge Index over a period, on a page to share.

One self-contained HTML file: the headline with its interval, the breakdown, the
trend and its latest significant change, competitors side by side, what people say
and who says it, and how to recompute every figure. Every figure is the CLI's and the
API's JSON for the same question (``jauge score``, ``jauge compare``, ``jauge voice``,
``jauge topics``, ``jauge people``), and every chart is the dashboard's, drawn as SVG
(:mod:`jauge.reports.svg`): the report says nothing the other views would not.
People are shown by pseudonym unless the caller asks for names: a report travels
further than the store it comes from.
"""

from __future__ import annotations

import functools
import re
import shlex
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, PackageLoader, select_autoescape

from .. import __version__
from ..errors import ConfigError
from ..i18n import LANGUAGES, _, language, number, speaking
from ..metrics.spec import LATEST

if TYPE_CHECKING:
    from ..api import Jauge

#: how many periods of the trend a report shows
TREND_PERIODS = 8
TOPICS = 10
PEOPLE = 5


@dataclass
class Report:
    """A rendered report and the figures it shows (as the CLI's JSON gives them)."""

    org: str
    lang: str
    figures: dict[str, Any]
    html: str = field(repr=False)

    def save(self, path: str | Path) -> Path:
        """Write the report, as a PDF when ``path`` ends in ``.pdf`` (printed by an
        installed Chromium, Chrome or Edge, see :mod:`jauge.reports.pdf`); returns its
        path."""
        target = Path(path)
        if target.suffix.lower() == ".pdf":
            from .pdf import print_pdf

            return print_pdf(self.html, target)
        target.write_text(self.html, encoding="utf-8")
        return target

    def __repr__(self) -> str:  # one line, as every result's (the figures are .figures)
        score = self.figures["score"]
        shown = "—" if score["score"] is None else f"{score['score']:.1f}"
        scope = score["scope"]
        return (
            f"<Report of {self.org} ({self.lang}): index {shown}, "
            f"{scope['from']} to {scope['to']} ({score['index_version']})>"
        )

    def default_name(self) -> str:
        """``jauge-report-<org>-<last day>.html``, safe on every file system."""
        named = " ".join(filter(None, (self.org, self.figures["score"]["scope"]["campaign"])))
        slug = re.sub(r"[^\w]+", "-", named.lower()).strip("-") or "org"
        return f"jauge-report-{slug}-{self.figures['score']['scope']['to']}.html"

    def _repr_html_(self) -> str:
        """Jupyter shows the report in a frame of its own: its styles stay off the
        notebook's page."""
        return (
            f'<iframe title="{escape(self.org)}" srcdoc="{escape(self.html)}" '
            'style="width: 100%; height: 900px; border: 1px solid #d5dde5"></iframe>'
        )


def executive_report(
    handle: Jauge,
    org: str,
    *,
    start: date | None = None,
    end: date | None = None,
    versus: tuple[str, ...] | None = None,
    lang: str | None = None,
    names: bool = False,
    every: str = "quarter",
    campaign: str | None = None,
    version: str = LATEST,
) -> Report:
    """The report of ``org`` over ``start``..``end`` (default: the 90 days up to its
    latest item, as ``jauge score``), or of one of its campaigns, compared with the
    organisations ``versus`` (None: the workspace's competitors), in ``lang`` (default:
    the user's language), by index ``version``. ``names`` shows people's handles instead
    of pseudonyms."""
    if lang is not None and lang not in LANGUAGES:
        raise ConfigError(
            _("lang takes {known}, not {value}", known=", ".join(LANGUAGES), value=repr(lang))
        )
    lang = lang or language()
    with speaking(lang):
        figures = gather_figures(
            handle, org, start, end, versus, names, every, campaign, version=version
        )
        html = _render(figures, lang)
    return Report(org=org, lang=lang, figures=figures, html=html)


def gather_figures(
    handle: Jauge,
    org: str,
    start: date | None = None,
    end: date | None = None,
    versus: tuple[str, ...] | None = None,
    names: bool = False,
    every: str = "quarter",
    campaign: str | None = None,
    *,
    version: str = LATEST,
) -> dict[str, Any]:
    """Everything a report shows, as the commands' JSON: ``score`` (of the organisation,
    or of its ``campaign``), ``trend``, ``versus`` (None without rivals), ``campaigns``
    (None without any), ``voice``, ``sentiment``, ``topics``, ``people`` and ``value``
    (None without web analytics or costs), all by index ``version``; ``workspace`` names
    where they come from."""
    from ..enrich.voice import sentiment_trend

    score = handle.score(org, campaign=campaign, start=start, end=end, version=version).to_dict()
    first = date.fromisoformat(score["scope"]["from"])
    last = date.fromisoformat(score["scope"]["to"])
    trend = handle.compare(
        "period", [org], every=every, start=_trend_start(last, every), end=last, version=version
    ).to_dict()
    if versus is None:  # the organisations the user declared as competitors
        versus = tuple(
            o["name"] for o in handle.organisations.to_pylist() if o["relation"] == "competitor"
        )
    orgs = list(dict.fromkeys((org, *versus)))  # each once, the reported one first
    return {
        "score": score,
        "trend": trend,
        "every": every,
        "versus": handle.compare("org", orgs, start=first, end=last, version=version).to_dict()
        if len(orgs) > 1
        else None,
        "campaigns": handle.compare("campaign", [org], version=version).to_dict()
        if handle.campaign_list(org)
        else None,
        "voice": handle.voice(orgs, start=first, end=last).to_dict(),
        "sentiment": sentiment_trend(handle.store, handle.workspace, org, first, last, "week"),
        "topics": handle.topics(org, start=first, end=last, limit=TOPICS).to_dict(),
        "people": [
            p.to_dict()
            for p in handle.people(org, start=first, end=last, limit=PEOPLE, pseudonymise=not names)
        ],
        "value": _value(handle, org, first, last, campaign),
        "pseudonymised": not names,
        "workspace": handle.workspace,
        "generated": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def _value(
    handle: Jauge, org: str, first: date, last: date, campaign: str | None
) -> dict[str, Any] | None:
    """``jauge value`` over the report's window, when the organisation has web analytics
    or costs in it."""
    value = handle.value(org, campaign=campaign, start=first, end=last)
    if not value.sessions and value.spend is None:
        return None
    return value.to_dict()


def _trend_start(last: date, every: str) -> date:
    """The first day of the earliest of the :data:`TREND_PERIODS` calendar months (or
    quarters) that end with the one holding ``last``."""
    months = 3 if every == "quarter" else 1
    period = (last.month - 1) // months * months  # months since January to its start
    index = last.year * 12 + period - months * (TREND_PERIODS - 1)
    return date(index // 12, index % 12 + 1, 1)


def commands(figures: dict[str, Any]) -> dict[str, str]:
    """The ``jauge score`` and ``jauge value`` commands that recompute the report's
    figures, quoted for a POSIX shell: the same days, index version and workspace (named
    unless it is the default one), without the store, which stays the reader's."""
    from ..settings import WORKSPACE

    s = figures["score"]
    scope = s["scope"]
    where = ["--org", scope["org"]]
    if scope["campaign"]:
        where += ["--campaign", scope["campaign"]]
    where += ["--from", scope["from"], "--to", scope["to"]]
    workspace = figures.get("workspace") or WORKSPACE.default
    if workspace != WORKSPACE.default:
        where += ["--workspace", workspace]
    return {
        "score": shlex.join(
            ["jauge", "score", *where, "--index-version", s["index_version"], "--format", "json"]
        ),
        "value": shlex.join(["jauge", "value", *where, "--format", "json"]),
    }


Highlight = tuple[str, dict[str, Any]]


def highlights(figures: dict[str, Any], lang: str) -> list[Highlight]:
    """What an executive reads first: a few sentences (a message key of the report's
    catalogue and its values), each drawn from the figures below it, none when the data
    for it is missing."""
    from ..metrics.labels import label

    def num(x: float) -> str:
        return number(x, lang=lang)

    said: list[Highlight] = []
    scored = [(p["score"], name) for name, p in figures["score"]["pillars"].items()]
    scored = sorted((s, n) for s, n in scored if s is not None)
    if len(scored) >= 2:
        (low, worst), (high, best) = scored[0], scored[-1]
        said.append(
            (
                "report.hl.pillars",
                {"best": label(best), "best_score": num(high), "worst": label(worst),
                 "worst_score": num(low)},
            )
        )  # fmt: skip
    org = figures["score"]["scope"]["org"]
    if figures["versus"]:
        ranked = sorted(
            (r for r in figures["versus"]["rows"] if r["score"] is not None),
            key=lambda r: -r["score"],
        )
        place = next((i for i, r in enumerate(ranked) if r["org"] == org), None)
        if place is not None and len(ranked) > 1:
            first, second = ranked[0], ranked[1]
            if place == 0:
                said.append(
                    (
                        "report.hl.leads",
                        {"count": len(ranked), "score": num(first["score"]),
                         "second": second["org"], "second_score": num(second["score"])},
                    )
                )  # fmt: skip
            else:
                said.append(
                    (
                        "report.hl.rank",
                        {"rank": place + 1, "count": len(ranked), "leader": first["org"],
                         "score": num(first["score"])},
                    )
                )  # fmt: skip
    voices = {v["org"]: v for v in figures["voice"]["orgs"]}
    mine = voices.get(org)
    if mine and mine["mentions"]:
        net = mine["net_sentiment"]
        values = {"mentions": number(mine["mentions"], ",", lang), "net": number(net, "+.0f", lang)}
        if len(voices) > 1:
            share = number(mine["share_of_voice"] * 100, ".0f", lang) + (
                " %" if lang == "fr" else "%"
            )
            said.append(("report.hl.voice", {**values, "share": share}))
        else:
            said.append(("report.hl.mentions", values))
    engagers = figures["score"]["coverage"].get("engagers") or 0
    if engagers:
        said.append(("report.hl.engagers", {"engagers": number(engagers, ",", lang)}))
    unreal = figures["score"].get("integrity_share") or 0
    if engagers and unreal > 0:
        # said, because it explains a score lower than the raw activity would suggest
        digits = ".1f" if unreal < 0.1 else ".0f"  # never "0%" for a few accounts
        share = number(unreal * 100, digits, lang) + (" %" if lang == "fr" else "%")
        said.append(("report.hl.integrity", {"share": share}))
    value = figures.get("value")
    if value and value["funnel"]["social_sessions"]:
        funnel = value["funnel"]
        share = number(funnel["social_share"] * 100, ".0f", lang) + (" %" if lang == "fr" else "%")
        said.append(
            (
                "report.hl.value",
                {"sessions": number(funnel["social_sessions"], ",", lang), "share": share,
                 "conversions": number(funnel["social_conversions"] or 0, ",", lang)},
            )
        )  # fmt: skip
    returns = [c for c in (value or {}).get("campaigns", []) if c["roi"] is not None]
    if returns:
        best = max(returns, key=lambda c: c["roi"])
        roi = number(best["roi"] * 100, "+,.0f", lang) + (" %" if lang == "fr" else "%")
        said.append(("report.hl.roi", {"campaign": best["name"], "roi": roi}))
    if figures["topics"]["rising"]:
        rising = figures["topics"]["rising"][0]
        said.append(("report.hl.rising", {"term": rising["term"], "growth": num(rising["growth"])}))
    return said


@cache
def _templates() -> Environment:
    """The reports' templates, loaded once (they ship with the package)."""

    return Environment(
        loader=PackageLoader("jauge.reports", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _render(figures: dict[str, Any], lang: str) -> str:
    from markupsafe import Markup

    from ..metrics import labels
    from ..web import charts
    from ..web.i18n import translator
    from .svg import to_svg

    t = translator(lang)
    value = figures.get("value")
    scope = figures["score"]["scope"]  # the mentions per week are counted over its days
    window = (date.fromisoformat(scope["from"]), date.fromisoformat(scope["to"]))
    scored = [c for c in figures["score"]["components"].values() if c["score"] is not None]
    drawn = {  # a chart with nothing to draw is left out
        "breakdown": charts.breakdown(figures["score"]["components"], t) if scored else None,
        "trend": charts.index_trend(figures["trend"]["rows"], t, figures["every"])
        if charts.scored_rows(figures["trend"]["rows"])
        else None,
        "versus": charts.comparison(figures["versus"]["rows"], t)
        if figures["versus"] and charts.scored_rows(figures["versus"]["rows"])
        else None,
        "campaigns": charts.comparison(figures["campaigns"]["rows"], t)
        if figures["campaigns"] and charts.scored_rows(figures["campaigns"]["rows"])
        else None,
        "voice": charts.share_of_voice(figures["voice"]["orgs"], t)
        if len(figures["voice"]["orgs"]) > 1
        else None,
        "sentiment": charts.sentiment_over_time(figures["sentiment"], t, window=window)
        if figures["sentiment"]
        else None,
        "funnel": charts.value_funnel(value["platforms"], t)
        if value and value["platforms"]
        else None,
        "returns": charts.campaign_returns(value["campaigns"], t)
        if value
        and any(c["roi"] is not None or c["platform_roi"] is not None for c in value["campaigns"])
        else None,
    }
    latest = next(
        (r for r in reversed(figures["trend"]["rows"]) if r.get("score") is not None), None
    )
    page: str = (
        _templates()
        .get_template("executive.html")
        .render(
            highlights=highlights(figures, lang),
            f=figures,
            s=figures["score"],
            latest=latest,
            charts={
                k: Markup(to_svg(charts.localised(v, lang))) if v else None
                for k, v in drawn.items()
            },
            # what a chart's marks mean beyond its legend (a partial week), said under it
            chart_notes={k: v.get("usermeta", {}).get("note") for k, v in drawn.items() if v},
            number=functools.partial(number, lang=lang),
            t=t,
            lang=lang,
            label=labels.label,
            note=labels.note,
            commands=commands(figures),
            version=__version__,
        )
    )
    return page
