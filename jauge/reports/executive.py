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
import hashlib
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
from ..enrich.regions import shown_regions
from ..errors import ConfigError, ReadOnlyStoreError
from ..i18n import (
    LANGUAGES,
    MINUS_SIGNS,
    N_,
    _,
    code_spans,
    day,
    language,
    plural,
    signed_number,
    speaking,
)
from ..metrics.spec import LATEST

if TYPE_CHECKING:
    from ..api import Jauge

#: how many periods of the trend a report shows
TREND_PERIODS = 8
TOPICS = 10
PEOPLE = 5
#: regions the report draws (its figures keep them all)
REGIONS = 8
#: the most bytes of a default file name's slug: with its prefix, day and suffix, the
#: name stays well under the 255 bytes most file systems allow
SLUG_BYTES = 120
#: how ``figures["generated"]`` is written
GENERATED = "%Y-%m-%d %H:%M UTC"
#: the English beginnings of the warnings that say why a result has no index at all
#: (jauge/metrics/index.py): kept in English, as every result's warnings are
NO_INDEX = ("nothing to measure from ", "no pillar could be computed")
#: why a report on a read-only store cannot show pseudonyms (see gather_figures)
NO_PSEUDONYM_KEY = N_(
    "a report shows people by pseudonym, made with a key that this workspace does not have "
    "yet and that jauge must keep in the store (the same person then has the same pseudonym "
    "in every report), and the store is read-only here: pass --names to show their handles "
    "instead, set JAUGE_PSEUDONYM_KEY, or make the report on a writable copy of the store"
)
#: the value section's advice as its reader can follow it: `jauge value`'s warning
#: (jauge/value/report.py) names that command's option, the report says to make the
#: report again with its own (the dashboard words it for its address, wording.json)
REPORT_WORDS = {
    "the web analytics give no revenue: pass --conversion-value to value each conversion": N_(
        "the web analytics give no revenue: make the report again with --conversion-value "
        "to value each conversion"
    ),
}


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
        absolute path, whichever it is. A file that cannot be written is a
        :class:`ConfigError` that says why."""
        target = Path(path).absolute()
        try:
            if target.suffix.lower() == ".pdf":
                from .pdf import print_pdf

                print_pdf(self.html, target)
            else:
                target.write_text(self.html, encoding="utf-8")
        except OSError as exc:  # a name too long, a full disk, no permission
            raise ConfigError(
                _(
                    "cannot write the report to {path}: {reason}",
                    path=str(path),
                    reason=exc.strerror or exc,
                )
            ) from exc
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
        """``jauge-report-<org>-<last day>.html``, safe on every file system: a slug longer
        than :data:`SLUG_BYTES` (in UTF-8) is cut, at a hyphen where one is near, and ends
        with 8 hexadecimal digits of its whole text's hash, so that two long names still
        give two files."""
        parts = [_slug(self.org) or "org"]
        campaign = self.figures["score"]["scope"]["campaign"]
        if campaign and _slug(campaign):
            parts.append(_slug(campaign))
        slug = "-".join(parts)
        if len(slug.encode()) > SLUG_BYTES:
            digest = hashlib.sha256(slug.encode()).hexdigest()[:8]
            room = SLUG_BYTES - len(digest) - len(parts)  # the hyphens between the parts
            if len(parts) == 2:  # the campaign's name is kept in part, whatever the org's
                size = min(len(parts[1].encode()), max(room // 3, room - len(parts[0].encode())))
                parts = [_cut(parts[0], room - size), _cut(parts[1], size)]
            else:
                parts = [_cut(parts[0], room)]
            slug = "-".join([*parts, digest])
        return f"jauge-report-{slug}-{self.figures['score']['scope']['to']}.html"

    def _repr_html_(self) -> str:
        """Jupyter shows the report in a frame of its own: its styles stay off the
        notebook's page."""
        return (
            f'<iframe title="{escape(self.org)}" srcdoc="{escape(self.html)}" '
            'style="width: 100%; height: 900px; border: 1px solid #d5dde5"></iframe>'
        )


def _slug(name: str) -> str:
    """``name`` lower-cased, one hyphen for each run of spaces and punctuation."""
    return re.sub(r"[^\w]+", "-", name.lower()).strip("-")


def _cut(slug: str, size: int) -> str:
    """``slug`` in at most ``size`` bytes of UTF-8, ending with a whole word unless that
    would lose more than half of it."""
    kept = slug.encode()[:size].decode(errors="ignore")  # never half a character
    if kept == slug:
        return slug
    word = kept.rpartition("-")[0]
    return (word if len(word) > len(kept) // 2 else kept).strip("-")


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
    conversion_value: float | None = None,
) -> Report:
    """The report of ``org`` over ``start``..``end`` (default: the 90 days up to its
    latest item, as ``jauge score``), or of one of its campaigns, compared with the
    organisations ``versus`` (None: the workspace's competitors), in ``lang`` (default:
    the user's language), by index ``version``. ``names`` shows people's handles instead
    of pseudonyms; ``conversion_value`` values each conversion of its value section
    where the web analytics give no revenue, as ``jauge value --conversion-value``."""
    if lang is not None and lang not in LANGUAGES:
        raise ConfigError(
            _("lang takes {known}, not {value}", known=", ".join(LANGUAGES), value=repr(lang))
        )
    lang = lang or language()
    with speaking(lang):
        figures = gather_figures(
            handle,
            org,
            start,
            end,
            versus,
            names,
            every,
            campaign,
            version=version,
            conversion_value=conversion_value,
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
    conversion_value: float | None = None,
) -> dict[str, Any]:
    """Everything a report shows, as the commands' JSON: ``score`` (of the organisation,
    or of its ``campaign``), ``trend``, ``versus`` (None without rivals), ``campaigns``
    (None without any), ``voice``, ``sentiment``, ``topics``, ``people`` and ``value``
    (None without web analytics or costs; each conversion worth ``conversion_value``
    where they give no revenue), all by index ``version``; ``workspace`` names
    where they come from. Nothing is measured after the report's last day: the trend's
    last period ends with it. Over a campaign's days too few for the index, the
    organisations side by side are listed unscored, each saying why."""
    from ..enrich.voice import sentiment_trend
    from ..metrics.compare import compare

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
        # over the report's days, even those of a campaign too short for the index
        "versus": compare(
            handle.store,
            handle.workspace,
            "org",
            orgs,
            start=first,
            end=last,
            version=version,
            short_window=True,
        ).to_dict()
        if len(orgs) > 1
        else None,
        "campaigns": handle.compare("campaign", [org], version=version).to_dict()
        if handle.campaign_list(org)
        else None,
        "voice": handle.voice(orgs, start=first, end=last).to_dict(),
        # the organisation's own, by region, as the listening page shows them
        "regions": handle.regions([org], start=first, end=last, by="region").to_dict(),
        "sentiment": sentiment_trend(handle.store, handle.workspace, org, first, last, "week"),
        "topics": handle.topics(org, start=first, end=last, limit=TOPICS).to_dict(),
        "people": _people(handle, org, first, last, names),
        "value": _value(handle, org, first, last, campaign, conversion_value),
        "pseudonymised": not names,
        "workspace": handle.workspace,
        "generated": datetime.now(UTC).strftime(GENERATED),
    }


def _people(handle: Jauge, org: str, first: date, last: date, names: bool) -> list[Any]:
    """``jauge people --limit 5`` over the report's days, by pseudonym unless ``names``.

    A pseudonym is a keyed hash, the key made once per workspace and kept in the store,
    so that the same person has the same pseudonym in every report: a key made for one
    report and forgotten would give other pseudonyms next time. A read-only store that
    has none yet cannot keep one, and the error says how to do without."""
    try:
        found = handle.people(org, start=first, end=last, limit=PEOPLE, pseudonymise=not names)
    except ReadOnlyStoreError as exc:
        raise ReadOnlyStoreError(_(NO_PSEUDONYM_KEY)) from exc
    return [p.to_dict() for p in found]


def _value(
    handle: Jauge,
    org: str,
    first: date,
    last: date,
    campaign: str | None,
    conversion_value: float | None,
) -> dict[str, Any] | None:
    """``jauge value`` over the report's window, when the organisation has web analytics
    or costs in it (a spend of 0 is no cost)."""
    value = handle.value(
        org, campaign=campaign, start=first, end=last, conversion_value=conversion_value
    )
    if not value.sessions and not value.spend and not value.campaigns:
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
    worth = (figures.get("value") or {}).get("conversion_value")
    # the value the report gave a conversion, or the command's figures would differ
    valued = [] if worth is None else ["--conversion-value", _amount(worth)]
    return {
        "score": shlex.join(
            ["jauge", "score", *where, "--index-version", s["index_version"], "--format", "json"]
        ),
        "value": shlex.join(["jauge", "value", *where, *valued, "--format", "json"]),
    }


def _amount(value: float) -> str:
    """``value`` as an option gives it back exactly: 40, not 40.0; 1.5 as it is."""
    return repr(value).removesuffix(".0")


Highlight = tuple[str, dict[str, Any]]


def highlights(figures: dict[str, Any], lang: str) -> list[Highlight]:
    """What an executive reads first: a few sentences (a message key of the report's
    catalogue and its values), each drawn from the figures below it, none when the data
    for it is missing."""
    from ..metrics.labels import label

    def num(x: float) -> str:
        return signed_number(x, lang=lang)

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
        values = {
            "mentions": signed_number(mine["mentions"], ",", lang),
            "net": signed_number(net, "+.0f", lang),
        }
        if len(voices) > 1:
            share = signed_number(mine["share_of_voice"] * 100, ".0f", lang) + (
                " %" if lang == "fr" else "%"
            )
            said.append(("report.hl.voice", {**values, "share": share}))
        else:
            said.append(("report.hl.mentions", values))
    engagers = figures["score"]["coverage"].get("engagers") or 0
    if engagers:
        said.append(
            (
                plural("report.hl.engagers.one", "report.hl.engagers", engagers, lang),
                {"engagers": signed_number(engagers, ",", lang)},
            )
        )
    unreal = figures["score"].get("integrity_share") or 0
    if engagers and unreal > 0:
        # said, because it explains a score lower than the raw activity would suggest
        digits = ".1f" if unreal < 0.1 else ".0f"  # never "0%" for a few accounts
        share = signed_number(unreal * 100, digits, lang) + (" %" if lang == "fr" else "%")
        said.append(("report.hl.integrity", {"share": share}))
    value = figures.get("value")
    if value and value["funnel"]["social_sessions"]:
        funnel = value["funnel"]
        share = signed_number(funnel["social_share"] * 100, ".0f", lang)
        share += " %" if lang == "fr" else "%"
        # a campaign's funnel counts its own sessions only: "of all" would mislead
        of_campaign = bool(figures["score"]["scope"]["campaign"])
        said.append(
            (
                "report.hl.value_campaign" if of_campaign else "report.hl.value",
                {"sessions": signed_number(funnel["social_sessions"], ",", lang), "share": share,
                 "total": signed_number(funnel["sessions"], ",", lang),
                 "conversions": signed_number(funnel["social_conversions"] or 0, ",", lang)},
            )
        )  # fmt: skip
    returns = [c for c in (value or {}).get("campaigns", []) if c["roi"] is not None]
    if returns:
        best = max(returns, key=lambda c: c["roi"])
        roi = signed_number(best["roi"] * 100, "+,.0f", lang) + (" %" if lang == "fr" else "%")
        # the "best return" of campaigns that all lost money is the smallest loss
        key = "report.hl.roi_loss" if best["roi"] < 0 else "report.hl.roi"
        said.append((key, {"campaign": best["name"], "roi": roi}))
    if figures["topics"]["rising"]:
        rising = figures["topics"]["rising"][0]
        said.append(("report.hl.rising", {"term": rising["term"], "growth": num(rising["growth"])}))
    return said


def _why_no_score(score: dict[str, Any]) -> str | None:
    """The one warning that says why a measured result has no index (nothing in its
    days, or no pillar computed), in the reader's language; the others follow from it."""
    if score["score"] is not None:
        return None
    found = [w for w in score["warnings"] if w.startswith(NO_INDEX)]
    return _note(found[0]) if found else None


def _note(warning: str) -> str:
    """An index result's warning as the report's reader reads it (see
    :func:`jauge.metrics.labels.note`), in the report's words (:data:`REPORT_WORDS`) and,
    in French, with its negative numbers' minus sign."""
    from ..metrics.labels import note

    said = note(REPORT_WORDS.get(warning, warning))
    minus = MINUS_SIGNS.get(language())
    # a hyphen before a figure that follows no word, digit or hyphen: "(-100 à 100)", not
    # the hyphens of a day (2014-12-10) or a name (jauge-index/1.0.2)
    return re.sub(r"(?<![\w-])-(?=\d)", minus, said) if minus else said


def _unscored_notes(rows: list[dict[str, Any]], t: Any) -> list[str]:
    """Why each row of a comparison has no score, in the reader's language: a window
    too short says so itself (its warning names the row); a row measured without an
    index is named, with the warning that says why."""
    said = []
    for r in rows:
        if r["score"] is not None:
            continue
        if r["fingerprint"] is None:
            said += [_note(w) for w in r["warnings"]]
            continue
        why = _why_no_score(r)
        if why:
            said.append(t("report.unscored", unit=r["campaign"] or r["unit"], reason=why))
    return said


def _options(command: str) -> list[str]:
    """``command`` (quoted for a shell) in the parts a page may wrap between: the program
    with its first option and value, then each option with its value. A line never ends
    inside one (a browser would break "jauge-index/1.0.2" after its hyphen), nor between
    an option and its value."""
    parts: list[list[str]] = [[]]
    for word in (shlex.quote(w) for w in shlex.split(command)):
        if word.startswith("--") and any(w.startswith("--") for w in parts[-1]):
            parts.append([])
        parts[-1].append(word)
    return [" ".join(part) for part in parts]


def _few_ticks(spec: dict[str, Any]) -> dict[str, Any]:
    """The campaigns' returns with fewer ROI ticks than the dashboard's: on a page of
    fixed width, a tick every 5% runs its labels together."""
    layers = [dict(layer) for layer in spec["layer"]]
    encoding = dict(layers[0]["encoding"])
    encoding["x"] = {**encoding["x"], "axis": {**encoding["x"].get("axis", {}),
                                              "tickCount": 5, "labelOverlap": True}}  # fmt: skip
    layers[0]["encoding"] = encoding
    return {**spec, "layer": layers}


@cache
def _templates() -> Environment:
    """The reports' templates, loaded once (they ship with the package)."""

    env = Environment(
        loader=PackageLoader("jauge.reports", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["code_spans"] = code_spans
    return env


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
    # a report from before regions were measured has none
    regions = figures.get("regions")
    places = shown_regions(regions, lang, REGIONS) if regions else []
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
        and any(v["mentions"] for v in figures["voice"]["orgs"])
        else None,
        "sentiment": charts.sentiment_over_time(figures["sentiment"], t, window=window)
        if figures["sentiment"]
        else None,
        "regions": charts.regions(places, t) if places else None,
        "funnel": charts.value_funnel(value["platforms"], t)
        if value and value["platforms"]
        else None,
        "returns": _few_ticks(charts.campaign_returns(value["campaigns"], t))
        if value
        and any(c["roi"] is not None or c["platform_roi"] is not None for c in value["campaigns"])
        else None,
    }
    notes = {k: v.get("usermeta", {}).get("note") for k, v in drawn.items() if v}
    if notes.get("sentiment"):  # the dashboard's note points to a tooltip: none on paper
        notes["sentiment"] = t(
            "report.partial_note.week", start=day(scope["from"], lang), end=day(scope["to"], lang)
        )
    latest = next(
        (r for r in reversed(figures["trend"]["rows"]) if r.get("score") is not None), None
    )
    why = _why_no_score(figures["score"])
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
            chart_notes=notes,
            unscored={
                name: _unscored_notes(figures[name]["rows"], t) if figures[name] else []
                for name in ("versus", "campaigns")
            },
            # a sentence of its own under the headline: it starts with a capital
            no_score=why[:1].upper() + why[1:] if why else None,
            generated=day(
                datetime.strptime(figures["generated"], GENERATED).replace(tzinfo=UTC), lang
            ),
            day=functools.partial(day, lang=lang),
            plural=functools.partial(plural, lang=lang),
            number=functools.partial(signed_number, lang=lang),
            t=t,
            lang=lang,
            label=labels.label,
            note=_note,
            commands=commands(figures),
            options=_options,
            version=__version__,
        )
    )
    return page
