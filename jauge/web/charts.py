"""Vega-Lite specifications of the dashboard's charts, built from the API's JSON.

Charts are data: the page embeds each specification and the vendored vega-embed draws
it, so what a chart shows is exactly what the API returns for the same question.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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
    x = {
        "field": "from",
        "type": "ordinal",
        "timeUnit": "yearquarter" if every == "quarter" else "yearmonth",
        "title": t("chart.period"),
    }
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
            {
                "mark": {"type": "rule", "color": "#333"},
                "encoding": {
                    "x": {"field": "low", "type": "quantitative"},
                    "x2": {"field": "high"},
                },
            },
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
            {
                "mark": {"type": "rule", "color": "#333"},
                "encoding": {
                    "y": {"field": "low", "type": "quantitative"},
                    "y2": {"field": "high"},
                },
            },
        ],
    )


def sentiment_over_time(points: list[dict[str, Any]], t: T) -> Spec:
    """Mentions per period, stacked by sentiment label."""
    values = []
    for p in points:
        labelled = p["positive"] + p["neutral"] + p["negative"]
        for label in ("negative", "neutral", "positive"):
            values.append(
                {"period": p["period"], "label": t(f"sentiment.{label}"), "count": p[label]}
            )
        values.append(
            {
                "period": p["period"],
                "label": t("sentiment.unlabelled"),
                "count": p["mentions"] - labelled,
            }
        )
    labels = [t(f"sentiment.{k}") for k in ("negative", "neutral", "positive")]
    return _spec(
        height=240,
        data={"values": values},
        mark={"type": "bar"},
        encoding={
            "x": {
                "field": "period",
                "type": "temporal",
                "timeUnit": "yearmonthdate",
                "title": t("chart.week"),
            },
            "y": {
                "field": "count",
                "type": "quantitative",
                "stack": True,
                "title": t("chart.mentions"),
            },
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
