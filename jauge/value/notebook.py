"""The value report in a notebook: its tables as Arrow (for pandas or polars), and what
Jupyter shows of it."""

from __future__ import annotations

from datetime import date
from html import escape
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from ..i18n import N_, _, _n, localised, number

if TYPE_CHECKING:
    from .report import ValueReport

_PLATFORM_COLUMNS = ("platform", "reach", "sessions", "sessions_per_1k_reach", "conversions",
                     "conversion_rate", "revenue", "value_per_session")  # fmt: skip
_CAMPAIGN_COLUMNS = ("name", "defined", "starts_on", "ends_on", "utm_campaign", "spend",
                     "impressions", "clicks", "sessions", "social_sessions", "conversions",
                     "revenue", "roi", "roi_low", "roi_high", "platform_conversions",
                     "platform_revenue", "platform_roi", "platform_roi_low",
                     "platform_roi_high", "cost_per_session", "cost_per_click",
                     "cost_per_conversion", "cost_per_platform_conversion", "label")  # fmt: skip
#: what counts people, sessions or events: whole numbers, as the report's JSON gives them
_COUNTS = ("reach", "impressions", "clicks", "sessions", "social_sessions", "conversions",
           "platform_conversions")  # fmt: skip
_TYPES = {
    **{c: pa.string() for c in ("platform", "name", "utm_campaign", "label")},
    **{c: pa.date32() for c in ("starts_on", "ends_on")},
    **{c: pa.int64() for c in _COUNTS},
    "defined": pa.bool_(),
}


def _value(column: str, value: Any) -> Any:
    """A value as its column's type takes it: a day from its ISO text, a count that came
    through a float (a sum) as the whole number it is."""
    if value is None:
        return None
    if _TYPES.get(column) == pa.date32() and isinstance(value, str):
        return date.fromisoformat(value)
    if column in _COUNTS and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _table(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> pa.Table:
    arrays = {}
    for c in columns:
        values = [_value(c, r.get(c)) for r in rows]
        kind = _TYPES.get(c, pa.float64())
        if kind == pa.int64() and any(isinstance(v, float) for v in values):
            kind = pa.float64()  # a count the source gave with decimals: kept as it came
        arrays[c] = pa.array(values, kind)
    return pa.table(arrays)


def platforms_table(report: ValueReport) -> pa.Table:
    """One row per platform: the funnel's steps and rates."""
    return _table([p.to_dict() for p in report.platforms], _PLATFORM_COLUMNS)


def campaigns_table(report: ValueReport) -> pa.Table:
    """One row per campaign: spend, sessions, revenue and both ROIs with their bounds."""
    rows = []
    for c in report.campaigns:
        row = c.to_dict()
        for key in ("roi", "platform_roi"):
            bounds = row[f"{key}_interval"] or (None, None)
            row[f"{key}_low"], row[f"{key}_high"] = bounds
        rows.append(row)
    return _table(rows, _CAMPAIGN_COLUMNS)


def _cell(value: Any) -> str:
    """A cell as the reader writes numbers: 146,397,680 (146 397 680 in French), 1.55."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return escape(str(value))
    if isinstance(value, int):
        return number(value, ",")
    if isinstance(value, float):
        return number(value, ",.2f" if abs(value) >= 1 or value == 0 else ".3f")
    return escape(str(value))


def _html_table(table: pa.Table) -> str:
    head = "".join(f"<th>{escape(c)}</th>" for c in table.column_names)
    body = "".join(
        "<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row.values()) + "</tr>"
        for row in table.to_pylist()
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def value_text(report: ValueReport) -> str:
    data = report.to_dict()
    funnel = data["funnel"]
    sessions, campaigns = funnel["sessions"], len(data["campaigns"])
    return _(
        "Value of {org}, {start} to {end}: {sessions}, {social} from social media; {campaigns}",
        org=data["org"],
        start=data["period"]["start"] or "—",
        end=data["period"]["end"] or "—",
        # None without web analytics in the period: unknown, written as a dash
        sessions=_n(
            N_("{count} session"),
            N_("{count} sessions"),
            2 if sessions is None else sessions,
            count="—" if sessions is None else number(sessions, ","),
        ),
        social="—" if funnel["social_sessions"] is None else number(funnel["social_sessions"], ","),
        campaigns=_n(N_("{count} campaign"), N_("{count} campaigns"), campaigns, count=campaigns),
    )


def value_html(report: ValueReport) -> str:
    parts = [f"<p><b>{escape(value_text(report))}</b></p>"]
    if report.platforms:
        parts.append(_html_table(platforms_table(report)))
    if report.campaigns:
        parts.append(_html_table(campaigns_table(report)))
    if report.warnings:
        notes = "".join(f"<li>{escape(localised(w))}</li>" for w in report.warnings)
        parts.append(f"<ul>{notes}</ul>")
    return "<div class='jauge-value'>" + "".join(parts) + "</div>"
