"""Vega-Lite specifications of the dashboard's charts, built from the API's JSON.

Charts are data: the page embeds each specification and the vendored vega-embed draws
it, so what a chart shows is exactly what the API returns for the same question.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from ..i18n import DEFAULT, NUMBER_MARKS
from ..metrics import labels as index_labels

Spec = dict[str, Any]
T = Callable[..., str]

SENTIMENT_COLOURS = {"negative": "#c0392b", "neutral": "#95a5a6", "positive": "#27ae60"}
#: a significant change: an orange with 3:1 against white, as marks need (WCAG 1.4.11)
SIGNIFICANT = "#d35400"
#: the percent sign where a language writes it otherwise: French puts a narrow space
#: before it, as the pages' tables do
PERCENT_SIGNS = {"fr": "\u202f%"}
#: Vega's time format locale (``config.locale.time``) per language; English is Vega's own
TIME_LOCALES: dict[str, Spec] = {
    "fr": {
        "dateTime": "%A %e %B %Y à %X",
        "date": "%d/%m/%Y",
        "time": "%H:%M:%S",
        "periods": ["AM", "PM"],
        "days": ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"],
        "shortDays": ["dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."],
        "months": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                   "septembre", "octobre", "novembre", "décembre"],
        "shortMonths": ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août",
                        "sept.", "oct.", "nov.", "déc."],
    },
}  # fmt: skip
_BASE: Spec = {
    "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
    "width": "container",
    "config": {"view": {"stroke": None}, "axis": {"labelFontSize": 12, "titleFontSize": 12}},
}


def _spec(**parts: Any) -> Spec:
    return {**_BASE, **parts}


def _interval_rule(axis: str) -> Spec:
    """A layer drawing each value's interval (its ``low`` and ``high`` fields) along ``axis``."""
    return {
        "mark": {"type": "rule", "color": "#333"},
        "encoding": {axis: {"field": "low", "type": "quantitative"}, f"{axis}2": {"field": "high"}},
    }


def _bounds(number_format: str, t: T) -> tuple[list[Spec], list[Spec]]:
    """The transforms and tooltip entries of an interval's ``low`` and ``high`` fields,
    "—" where a value has none (Vega would write a missing number as 0)."""
    transform = [
        {"calculate": f"isValid(datum.{b}) ? format(datum.{b}, '{number_format}') : '—'",
         "as": f"{b}_shown"}
        for b in ("low", "high")
    ]  # fmt: skip
    tooltip = [{"field": f"{b}_shown", "title": t(f"chart.{b}")} for b in ("low", "high")]
    return transform, tooltip


def localised(spec: Spec, lang: str) -> Spec:
    """``spec`` with the number marks and the month and day names of ``lang`` (Vega's
    ``config.locale``): axes and tooltips then read as the page's figures do."""
    locale: Spec = {}
    decimal, thousands = NUMBER_MARKS.get(lang, NUMBER_MARKS[DEFAULT])
    if (decimal, thousands) != NUMBER_MARKS[DEFAULT]:
        locale["number"] = {"decimal": decimal, "thousands": thousands, "grouping": [3],
                            "currency": ["", ""],
                            "percent": PERCENT_SIGNS.get(lang, "%")}  # fmt: skip
    if lang in TIME_LOCALES:
        locale["time"] = TIME_LOCALES[lang]
    if not locale:
        return spec
    return {**spec, "config": {**spec.get("config", {}), "locale": locale}}


def _by_step(step: int, bars: int) -> int:
    """The height of ``bars`` bars ``step`` pixels apart. Given as a number, not as
    ``{"step": …}``: a chart as wide as its container fits its width, and Vega-Lite
    warns that it cannot fit a height made of steps."""
    return step * max(bars, 1)


def scored_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Comparison rows (``jauge compare --format json``) that have a score, flattened."""
    return [
        {
            "unit": r["unit"],
            "from": r["from"],
            "score": r["score"],
            "low": r["interval"][0] if r["interval"] else None,
            "high": r["interval"][1] if r["interval"] else None,
            "significant": bool(r.get("change") and r["change"].get("significant")),
        }
        for r in rows
        if r.get("score") is not None
    ]


def index_trend(rows: list[dict[str, Any]], t: T, every: str = "quarter") -> Spec:
    """The index per period with its interval as a band; significant changes ringed."""
    values = scored_rows(rows)
    for v in values:  # labelled here: Vega writes quarters "Q2" in every language
        year, month = int(v["from"][:4]), int(v["from"][5:7])
        v["period"] = (
            f"{year} {t('chart.quarter', number=(month - 1) // 3 + 1)}"
            if every == "quarter"
            else v["from"][:7]
        )
    x = {"field": "period", "type": "ordinal", "sort": {"field": "from"},
         "title": t("chart.period")}  # fmt: skip
    return _spec(
        height=240,
        data={"values": values},
        encoding={"x": x},
        layer=[
            {
                "mark": {"type": "area", "opacity": 0.2, "color": "#2c7fb8"},
                "encoding": {
                    "y": {
                        "field": "low",
                        "type": "quantitative",
                        "title": t("chart.index"),
                        "scale": {"domain": [0, 100]},
                    },
                    "y2": {"field": "high"},
                },
            },
            {
                "mark": {"type": "line", "point": True, "color": "#2c7fb8"},
                "encoding": {
                    "y": {"field": "score", "type": "quantitative"},
                    "tooltip": [
                        {"field": "unit", "title": t("chart.unit")},
                        {"field": "score", "format": ".1f", "title": t("chart.index")},
                        {"field": "low", "format": ".1f", "title": t("chart.low")},
                        {"field": "high", "format": ".1f", "title": t("chart.high")},
                    ],
                },
            },
            {
                "transform": [{"filter": "datum.significant"}],
                "mark": {"type": "point", "size": 260, "strokeWidth": 2.5, "color": SIGNIFICANT},
                "encoding": {"y": {"field": "score", "type": "quantitative"}},
            },
        ],
    )


def breakdown(components: dict[str, dict[str, Any]], t: T) -> Spec:
    """Each component's score (0-100) with its interval, one bar per component."""
    values = [
        {
            "component": index_labels.label(name),
            "score": c["score"],
            "low": c["interval"][0] if c.get("interval") else None,
            "high": c["interval"][1] if c.get("interval") else None,
        }
        for name, c in components.items()
        if c.get("score") is not None
    ]
    y = {"field": "component", "type": "nominal", "sort": None, "title": None}
    shown, bounds = _bounds(".1f", t)
    return _spec(
        height=_by_step(26, len(values)),
        data={"values": values},
        encoding={"y": y},
        layer=[
            {
                "transform": shown,
                "mark": {"type": "bar", "color": "#2c7fb8"},
                "encoding": {
                    "x": {
                        "field": "score",
                        "type": "quantitative",
                        "title": t("table.score"),
                        "scale": {"domain": [0, 100]},
                    },
                    "tooltip": [
                        {"field": "component", "title": t("table.component")},
                        {"field": "score", "format": ".1f", "title": t("table.score")},
                        *bounds,
                    ],
                },
            },
            _interval_rule("x"),
        ],
    )


def comparison(rows: list[dict[str, Any]], t: T) -> Spec:
    """One bar per compared unit with its interval; significant changes in orange, as
    the legend says."""
    significant, flat = t("table.significant"), t("table.not_significant")
    scored = [r for r in rows if r.get("score") is not None]
    values = []
    for v, r in zip(scored_rows(rows), scored, strict=True):
        verdict = significant if v["significant"] else flat
        # the first row (or the organisations' reference) has no change: "—" in its tooltip
        values.append({**v, "change": verdict, "tested": verdict if r.get("change") else "—"})
    x = {
        "field": "unit",
        "type": "nominal",
        "sort": None,
        "title": None,
        "axis": {"labelAngle": -30},
    }
    shown, bounds = _bounds(".1f", t)
    return _spec(
        height=260,
        data={"values": values},
        encoding={"x": x},
        layer=[
            {
                "transform": shown,
                "mark": {"type": "bar"},
                "encoding": {
                    "y": {
                        "field": "score",
                        "type": "quantitative",
                        "title": t("chart.index"),
                        "scale": {"domain": [0, 100]},
                    },
                    "color": {
                        "field": "change",
                        "type": "nominal",
                        "title": t("table.change"),
                        "scale": {"domain": [flat, significant], "range": ["#2c7fb8", SIGNIFICANT]},
                        "legend": {"orient": "top", "direction": "horizontal"},
                    },
                    "tooltip": [
                        {"field": "unit", "title": t("chart.unit")},
                        {"field": "score", "format": ".1f", "title": t("chart.index")},
                        *bounds,
                        {"field": "tested", "title": t("table.change")},
                    ],
                },
            },
            _interval_rule("y"),
        ],
    )


def sentiment_over_time(
    points: list[dict[str, Any]],
    t: T,
    every: str = "week",
    window: tuple[date, date] | None = None,
) -> Spec:
    """Mentions per period (``every``: day, week or month), stacked by sentiment label.
    Each bar spans its whole period on a time axis, so a silent period shows as a gap.
    A period the ``window`` (its first and last days) covers only in part holds fewer
    mentions for that reason alone: its bar is lighter, with a dashed outline, its
    tooltip says how many days it covers, and the spec's ``usermeta.note`` says what
    such a bar means (shown under the chart)."""
    values = []
    partial_seen = False
    for p in points:
        start = date.fromisoformat(p["period"])
        end = _period_end(start, every)
        length, covered = (end - start).days, _days_covered(start, end, window)
        partial = every != "day" and covered < length
        partial_seen |= partial
        span = {
            "period": p["period"],
            "end": end.isoformat(),
            "partial": partial,
            "coverage": _coverage(t, every, covered, length),
        }
        counts = {k: p[k] for k in ("negative", "neutral", "positive")}
        counts["unlabelled"] = p["mentions"] - sum(counts.values())
        # stacked here: a bar that spans a period on both axes is drawn as given
        bottom = 0
        for label, count in counts.items():
            top = bottom + count
            values.append(
                {
                    **span,
                    "label": t(f"sentiment.{label}"),
                    "count": count,
                    "bottom": bottom,
                    "top": top,
                }
            )
            bottom = top
    labels = [t(f"sentiment.{k}") for k in ("negative", "neutral", "positive")]
    monthly = every == "month"
    day_format = t("chart.month_format") if monthly else t("chart.day_format")
    period_title = t(f"chart.{every}")
    tooltip: list[Spec] = [
        # the days are UTC, as the store keeps them: formatted in UTC, in the page's language
        {"field": "period", "type": "temporal", "timeUnit": "utcyearmonth" if monthly
         else "utcyearmonthdate", "format": day_format, "title": period_title},
        {"field": "label", "title": t("chart.sentiment")},
        {"field": "count", "format": ",", "title": t("chart.mentions")},
    ]  # fmt: skip
    if every != "day":
        tooltip.append({"field": "coverage", "title": t("chart.coverage")})
    spec = _spec(
        height=240,
        data={"values": values},
        mark={"type": "bar"},
        encoding={
            "x": {
                "field": "period",
                "type": "temporal",
                "title": period_title,
                # dates are days, in UTC as the store keeps them; a tick starts each period
                "scale": {"type": "utc"},
                "axis": {
                    "format": day_format,
                    "values": [p["period"] for p in points],
                    # a narrow screen drops the days that would overlap (a phone's width)
                    "labelOverlap": "greedy",
                },
            },
            "x2": {"field": "end"},
            "y": {"field": "bottom", "type": "quantitative", "title": t("chart.mentions")},
            "y2": {"field": "top"},
            "color": {
                "field": "label",
                "type": "nominal",
                "title": t("chart.sentiment"),
                "scale": {
                    "domain": [*labels, t("sentiment.unlabelled")],
                    "range": [*SENTIMENT_COLOURS.values(), "#dfe6e9"],
                },
            },
            # a partial period: lighter, outlined with dashes
            "opacity": {"condition": {"test": "datum.partial", "value": 0.45}, "value": 1},
            "stroke": {"condition": {"test": "datum.partial", "value": "#52606d"},
                       "value": None},
            "strokeDash": {"condition": {"test": "datum.partial", "value": [3, 2]},
                           "value": [1, 0]},
            "tooltip": tooltip,
        },
    )  # fmt: skip
    if partial_seen:
        spec["usermeta"] = {"note": t(f"chart.partial_note.{every}")}
    return spec


def _coverage(t: T, every: str, covered: int, length: int) -> str:
    """How much of a period the window covers, as its tooltip says it ("" for a day)."""
    if every == "day":
        return ""
    if covered < length:
        return t(f"chart.partial.{every}", days=covered, length=length)
    return t(f"chart.whole.{every}")


def _days_covered(start: date, end: date, window: tuple[date, date] | None) -> int:
    """How many days of the period ``[start, end)`` the window (first and last days
    included) covers; the whole period without a window."""
    if window is None:
        return (end - start).days
    first, last = window
    return max(0, (min(end, last + timedelta(days=1)) - max(start, first)).days)


def _period_end(start: date, every: str) -> date:
    """The first day after the period that starts on ``start``."""
    if every == "month":
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start + timedelta(days=7 if every == "week" else 1)


def share_of_voice(orgs: list[dict[str, Any]], t: T) -> Spec:
    """Each organisation's share of the mentions, one bar per organisation."""
    values = [
        {"org": o["org"], "share": o["share_of_voice"] or 0.0, "mentions": o["mentions"]}
        for o in orgs
    ]
    return _spec(
        height=_by_step(28, len(values)),
        data={"values": values},
        mark={"type": "bar", "color": "#2c7fb8"},
        encoding={
            "y": {"field": "org", "type": "nominal", "sort": "-x", "title": None},
            "x": {
                "field": "share",
                "type": "quantitative",
                "axis": {"format": "%"},
                "title": t("listening.share"),
            },
            "tooltip": [
                {"field": "org", "title": t("form.org")},
                {"field": "share", "format": ".1%", "title": t("listening.share")},
                {"field": "mentions", "format": ",", "title": t("chart.mentions")},
            ],
        },
    )


def regions(places: list[dict[str, Any]], t: T) -> Spec:
    """An organisation's mentions per region, one bar each, coloured by net sentiment."""
    values = [
        {"region": p["name"], "mentions": p["mentions"], "net": p["net_sentiment"]} for p in places
    ]
    return _spec(
        height=_by_step(22, len(values)),
        data={"values": values},
        mark={"type": "bar"},
        encoding={
            # long names are cut (the tooltip and the table give them whole), and the legend
            # goes under the bars: on a phone's width the bars keep the room
            "y": {
                "field": "region",
                "type": "nominal",
                "sort": "-x",
                "title": None,
                "axis": {"labelLimit": 130},
            },
            "x": {
                "field": "mentions",
                "type": "quantitative",
                "title": t("chart.mentions"),
                "axis": {"tickCount": 4},
            },
            "color": {
                "field": "net",
                "type": "quantitative",
                "scale": {"domain": [-100, 100], "scheme": "redblue"},
                "title": t("listening.net"),
                "legend": {"orient": "bottom", "direction": "horizontal", "gradientLength": 120},
            },
            "tooltip": [
                {"field": "region", "title": t("listening.region")},
                {"field": "mentions", "format": ",", "title": t("chart.mentions")},
                {"field": "net", "format": "+.1f", "title": t("listening.net")},
            ],
        },
    )


def value_funnel(platforms: list[dict[str, Any]], t: T) -> Spec:
    """Per platform, the social sessions it sent and their conversions, side by side."""
    values = [
        {"platform": p["platform"], "step": t(key), "count": p[field]}
        for p in platforms
        for key, field in (("value.sessions", "sessions"), ("value.conversions", "conversions"))
        if p[field] is not None
    ]
    return _spec(
        height=_by_step(16, len(values)),
        data={"values": values},
        mark={"type": "bar"},
        encoding={
            "y": {"field": "platform", "type": "nominal", "title": None},
            "yOffset": {"field": "step", "type": "nominal"},
            "x": {"field": "count", "type": "quantitative", "title": None},
            "color": {
                "field": "step",
                "type": "nominal",
                "scale": {"range": ["#2c7fb8", "#27ae60"]},
                "title": None,
            },
            "tooltip": [
                {"field": "platform", "title": t("value.platform")},
                {"field": "step", "title": t("chart.measure")},
                {"field": "count", "format": ",", "title": t("chart.count")},
            ],
        },
    )


def campaign_returns(campaigns: list[dict[str, Any]], t: T) -> Spec:
    """Each campaign's ROI with its 90% interval: from the web analytics, and as the ad
    platform reports it. A dashed rule marks break-even (ROI 0)."""
    values = [
        {
            "campaign": c["name"],
            "measure": t(label),
            "roi": c[field],
            "low": c[f"{field}_interval"][0] if c[f"{field}_interval"] else None,
            "high": c[f"{field}_interval"][1] if c[f"{field}_interval"] else None,
        }
        for c in campaigns
        for field, label in (("roi", "value.roi_web"), ("platform_roi", "value.roi_platform"))
        if c[field] is not None
    ]
    # the axis spans what the bars and intervals reach, and break-even: Vega's rounding
    # would stretch it (to -200% for an ROI of -100%, which cannot be lower)
    reached = [x for v in values for x in (v["roi"], v["low"], v["high"]) if x is not None]
    domain = [min(0.0, *reached), max(0.0, *reached)]
    y = {"field": "campaign", "type": "nominal", "title": None, "sort": None}
    shown, bounds = _bounds(".0%", t)
    return _spec(
        height=_by_step(18, len(values)),
        data={"values": values},
        encoding={"y": y, "yOffset": {"field": "measure", "type": "nominal"}},
        layer=[
            {
                "transform": shown,
                "mark": {"type": "bar"},
                "encoding": {
                    "x": {
                        "field": "roi",
                        "type": "quantitative",
                        "axis": {"format": "%"},
                        "title": t("value.roi"),
                        "scale": {"domain": domain, "nice": False},
                    },
                    "color": {
                        "field": "measure",
                        "type": "nominal",
                        "scale": {"range": ["#2c7fb8", "#95a5a6"]},
                        "title": None,
                    },
                    "tooltip": [
                        {"field": "campaign", "title": t("value.campaign")},
                        {"field": "measure", "title": t("chart.measure")},
                        {"field": "roi", "format": ".0%", "title": t("value.roi")},
                        *bounds,
                    ],
                },
            },
            _interval_rule("x"),
            {
                "data": {"values": [{"zero": 0}]},
                "mark": {"type": "rule", "strokeDash": [4, 3], "color": "#c0392b"},
                "encoding": {
                    "x": {"field": "zero", "type": "quantitative"},
                    "y": None,
                    "yOffset": None,
                },
            },
        ],
    )
