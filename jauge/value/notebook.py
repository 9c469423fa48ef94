"""The value report in a notebook: its tables as Arrow (for pandas or polars), and what
Jupyter shows of it."""

from __future__ import annotations

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
_TYPES = {
    **{
        c: pa.string()
        for c in ("platform", "name", "starts_on", "ends_on", "utm_campaign", "label")
    },
    "defined": pa.bool_(),
}


def _table(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> pa.Table:
    return pa.table(
        {c: pa.array([r.get(c) for r in rows], _TYPES.get(c, pa.float64())) for c in columns}
    )


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
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) >= 1 or value == 0 else f"{value:.3f}"
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
