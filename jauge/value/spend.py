"""Which days each cost row was spent over, and what share of it a period counts
(docs/value.md, "Campaigns: spend and ROI").

A dated row was spent evenly over its own days. A row without dates (an ad export that
gives totals) was spent over the days of the campaign it names when that campaign was
defined with ``jauge campaign add``: a window counts it only through that campaign, in
proportion to the campaign's days inside it. Only a row of a campaign known from the
exports alone, which gives no period, counts whole in any window.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np

from ..campaigns import Campaign

#: the days a row was spent over, as inclusive (first, last) stretches; None: no period
Days = tuple[tuple[date, date], ...] | None


def names_of(campaign: Campaign) -> set[str]:
    """What exports call a defined campaign: its name or its UTM campaign, in any case."""
    utm = [campaign.utm_campaign.strip().lower()] if campaign.utm_campaign else []
    return {campaign.name.strip().lower(), *utm}


def as_date(value: Any) -> date | None:
    """A day from what pandas or DuckDB hand back; None for a missing one."""
    if value is None or value != value:  # NaT and NaN compare unequal to themselves
        return None
    if isinstance(value, datetime):
        return value.date()
    if hasattr(value, "date") and not isinstance(value, date):
        return value.date()  # type: ignore[no-any-return]
    return value if isinstance(value, date) else None


def campaign_days(campaigns: Iterable[Campaign]) -> dict[str, Days]:
    """The days of the defined campaigns each export name stands for (a name or UTM
    campaign shared by several campaigns stands for all their days, counted once)."""
    spans: dict[str, list[tuple[date, date]]] = {}
    for c in campaigns:
        for key in names_of(c):
            spans.setdefault(key, []).append((c.starts_on, c.ends_on))
    return {key: _merged(found) for key, found in spans.items()}


def _merged(spans: list[tuple[date, date]]) -> tuple[tuple[date, date], ...]:
    out: list[tuple[date, date]] = []
    for first, last in sorted(spans):
        if out and first <= out[-1][1] + timedelta(days=1):
            out[-1] = (out[-1][0], max(out[-1][1], last))
        else:
            out.append((first, last))
    return tuple(out)


def row_days(costs: Any, defined: dict[str, Days]) -> list[Days]:
    """Each cost row's days: its own dates (one of them stands for both); without dates,
    the days of the defined campaign it names, else None."""
    out: list[Days] = []
    for key, s, e in zip(costs["campaign"], costs["starts_on"], costs["ends_on"], strict=True):
        s, e = as_date(s), as_date(e)
        first, last = s or e, e or s
        if first is not None and last is not None:
            out.append(((first, last),))
        else:
            out.append(defined.get(key) if isinstance(key, str) else None)
    return out


def shares(costs: Any, start: date, end: date) -> np.ndarray:
    """Each cost row's share inside [start, end], by days (spend is assumed even over
    its days); a row without a period counts whole."""
    if not len(costs):
        return np.zeros(0)
    return np.array([_inside(days, start, end) for days in costs["days"]], dtype=float)


def _inside(days: Days, start: date, end: date) -> float:
    if days is None:
        return 1.0
    total = sum((e - s).days + 1 for s, e in days)
    overlap = sum(max((min(e, end) - max(s, start)).days + 1, 0) for s, e in days)
    return overlap / total if total > 0 else 0.0
