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


def localised(spec: Spec, lang: str) -> Spec:
    """``spec`` with the number marks of ``lang`` (Vega's ``config.locale``): axes and
    tooltips then read as the page's figures do."""
    decimal, thousands = NUMBER_MARKS.get(lang, NUMBER_MARKS[DEFAULT])
    if (decimal, thousands) == NUMBER_MARKS[DEFAULT]:
        return spec
    locale = {"number": {"decimal": decimal, "thousands": thousands, "grouping": [3],
                         "currency": ["", ""]}}  # fmt: skip
    return {**spec, "config": {**spec.get("config", {}), "locale": locale}}


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
                "mark": {"type": "point", "size": 260, "strokeWidth": 2.5, "color": "#e67e22"},
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
    return _spec(
        height={"step": 26},
        data={"values": values},
        encoding={"y": y},
        layer=[
            {
                "mark": {"type": "bar", "color": "#2c7fb8"},
                "encoding": {
                    "x": {
                        "field": "score",
                        "type": "quantitative",
                        "title": t("table.score"),
                        "scale": {"domain": [0, 100]},
                    },
                    "tooltip": [{"field": "component"}, {"field": "score", "format": ".1f"}],
                },
            },
            _interval_rule("x"),
        ],
    )


def comparison(rows: list[dict[str, Any]], t: T) -> Spec:
    """One bar per compared unit with its interval; significant changes in orange."""
    values = scored_rows(rows)
    x = {
        "field": "unit",
        "type": "nominal",
        "sort": None,
        "title": None,
        "axis": {"labelAngle": -30},
    }
    return _spec(
        height=260,
        data={"values": values},
        encoding={"x": x},
        layer=[
            {
                "mark": {"type": "bar"},
                "encoding": {
                    "y": {
                        "field": "score",
                        "type": "quantitative",
                        "title": t("chart.index"),
                        "scale": {"domain": [0, 100]},
                    },
                    "color": {
                        "field": "significant",
                        "type": "nominal",
                        "scale": {"domain": [False, True], "range": ["#2c7fb8", "#e67e22"]},
                        "legend": None,
                    },
                    "tooltip": [
                        {"field": "unit"},
                        {"field": "score", "format": ".1f"},
                        {"field": "low", "format": ".1f"},
                        {"field": "high", "format": ".1f"},
                    ],
                },
            },
            _interval_rule("y"),
        ],
    )


def sentiment_over_time(points: list[dict[str, Any]], t: T, every: str = "week") -> Spec:
    """Mentions per period (``every``: day, week or month), stacked by sentiment label.
    Each bar spans its whole period on a time axis, so a silent period shows as a gap."""
    values = []
    for p in points:
        start = date.fromisoformat(p["period"])
        span = {"period": p["period"], "end": _period_end(start, every).isoformat()}
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
    return _spec(
        height=240,
        data={"values": values},
        mark={"type": "bar"},
        encoding={
            "x": {
                "field": "period",
                "type": "temporal",
                "title": t("chart.week"),
                # dates are days, in UTC as the store keeps them; a tick starts each period
                "scale": {"type": "utc"},
                "axis": {
                    "format": "%Y-%m" if every == "month" else "%Y-%m-%d",
                    "values": [p["period"] for p in points],
                    "labelOverlap": True,
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
            "tooltip": [
                {"field": "period", "type": "temporal"},
                {"field": "label"},
                {"field": "count"},
            ],
        },
    )


def _period_end(start: date, every: str) -> date:
    """The first day after the period that starts on ``start``."""
    if every == "month":
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start + timedelta(days=7 if every == "week" else 1)


def share_of_voice(orgs: list[dict[str, Any]], t: T) -> Spec:
    values = [
        {"org": o["org"], "share": o["share_of_voice"] or 0.0, "mentions": o["mentions"]}
        for o in orgs
    ]
    return _spec(
        height={"step": 28},
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
                {"field": "org"},
                {"field": "share", "format": ".1%"},
                {"field": "mentions"},
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
        height={"step": 16},
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
                {"field": "platform"},
                {"field": "step"},
                {"field": "count", "format": ","},
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
    y = {"field": "campaign", "type": "nominal", "title": None, "sort": None}
    return _spec(
        height={"step": 18},
        data={"values": values},
        encoding={"y": y, "yOffset": {"field": "measure", "type": "nominal"}},
        layer=[
            {
                "mark": {"type": "bar"},
                "encoding": {
                    "x": {
                        "field": "roi",
                        "type": "quantitative",
                        "axis": {"format": "%"},
                        "title": t("value.roi"),
                    },
                    "color": {
                        "field": "measure",
                        "type": "nominal",
                        "scale": {"range": ["#2c7fb8", "#95a5a6"]},
                        "title": None,
                    },
                    "tooltip": [
                        {"field": "campaign"},
                        {"field": "measure"},
                        {"field": "roi", "format": ".0%"},
                        {"field": "low", "format": ".0%"},
                        {"field": "high", "format": ".0%"},
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
