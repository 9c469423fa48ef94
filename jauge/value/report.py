"""The value report: the funnel from reach to sessions to sales per platform, and what
each campaign spent and returned, with intervals (docs/value.md).

Everything is read from the store as imported: ``web_traffic`` (what sessions came from
where and what they earned), ``costs`` (what was spent) and the latest reach of the
organisation's own items. A campaign is matched by its name or its UTM campaign: the
campaigns defined with ``jauge campaign add`` (over their period; their undated cost rows
too, see spend.py) and any other campaign an export names (over the period asked).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, time
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from ..campaigns import Campaign, list_campaigns
from ..days import check_order
from ..errors import ConfigError, NotFoundError
from ..i18n import N_, _, plural
from ..store.duckdb_store import Store
from . import METHOD
from .channels import platform_sql, with_host
from .spend import as_date, campaign_days, names_of, row_days, shares

#: bootstrap replicates and seed: the same data always gives the same interval
REPLICATES = 1000
SEED = 20240301
LEVEL = 0.9


@dataclass(frozen=True)
class PlatformValue:
    """One step of the funnel per social platform (``other``: social, platform unknown)."""

    platform: str
    reach: int | None
    #: None when the period has no web analytics: unknown, not zero
    sessions: int | None
    conversions: int | None
    revenue: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "sessions_per_1k_reach": _ratio(
                None if self.sessions is None else self.sessions * 1000, self.reach
            ),
            "conversion_rate": _ratio(self.conversions, self.sessions),
            "value_per_session": _ratio(self.revenue, self.sessions),
        }


@dataclass(frozen=True)
class CampaignValue:
    """What one campaign spent, brought and returned."""

    name: str
    defined: bool  # by `jauge campaign add`; else only named by an export
    starts_on: date | None
    ends_on: date | None
    utm_campaign: str | None
    spend: float | None
    impressions: int | None
    clicks: int | None
    platform_conversions: int | None
    platform_revenue: float | None
    #: None when the period has no web analytics (costs only): unknown, not zero
    sessions: int | None
    social_sessions: int | None
    conversions: int | None
    revenue: float | None
    roi: float | None
    roi_interval: tuple[float, float] | None
    platform_roi: float | None
    platform_roi_interval: tuple[float, float] | None
    #: the name as people read it: as the export writes it (``Spring``) where ``name``,
    #: what exports are matched by, is lower-cased (``spring``)
    label: str = ""

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["label"] = self.label or self.name
        for key in ("starts_on", "ends_on"):
            data[key] = data[key].isoformat() if data[key] else None
        for key in ("roi_interval", "platform_roi_interval"):
            data[key] = list(data[key]) if data[key] else None
        # amounts, to the cent as ad platforms show them
        data["cost_per_session"] = _cents(_ratio(self.spend, self.sessions))
        data["cost_per_click"] = _cents(_ratio(self.spend, self.clicks))
        data["cost_per_conversion"] = _cents(_ratio(self.spend, self.conversions))
        data["cost_per_platform_conversion"] = _cents(_ratio(self.spend, self.platform_conversions))
        return data


@dataclass
class ValueReport:
    """The contract of ``jauge value --format json`` (docs/value.md)."""

    org: str
    workspace: str
    start: date | None
    end: date | None
    currency: str | None
    conversion_value: float | None
    #: None when the period has no web analytics (docs/value.md: unknown is never zero)
    sessions: int | None
    social_sessions: int | None
    conversions: int | None
    social_conversions: int | None
    revenue: float | None
    social_revenue: float | None
    spend: float | None
    platforms: list[PlatformValue] = field(default_factory=list)
    campaigns: list[CampaignValue] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "org": self.org,
            "workspace": self.workspace,
            "period": {
                "start": self.start.isoformat() if self.start else None,
                "end": self.end.isoformat() if self.end else None,
            },
            "method": METHOD,
            "currency": self.currency,
            "conversion_value": self.conversion_value,
            "funnel": {
                "reach": _sum(p.reach for p in self.platforms),
                "sessions": self.sessions,
                "social_sessions": self.social_sessions,
                "social_share": _ratio(self.social_sessions, self.sessions),
                "conversions": self.conversions,
                "social_conversions": self.social_conversions,
                "revenue": self.revenue,
                "social_revenue": self.social_revenue,
                "spend": self.spend,
            },
            "platforms": [p.to_dict() for p in self.platforms],
            "campaigns": [c.to_dict() for c in self.campaigns],
            "warnings": list(self.warnings),
        }

    def platforms_table(self) -> pa.Table:
        """One row per platform (``.to_pandas()`` for a DataFrame)."""
        from .notebook import platforms_table

        return platforms_table(self)

    def campaigns_table(self) -> pa.Table:
        """One row per campaign, each ROI with its bounds as columns."""
        from .notebook import campaigns_table

        return campaigns_table(self)

    def __repr__(self) -> str:
        from .notebook import value_text

        return value_text(self)

    def _repr_html_(self) -> str:  # what Jupyter shows
        from .notebook import value_html

        return value_html(self)


def _cents(value: float | None) -> float | None:
    """An amount of money as exports keep it: to the cent (prorating makes fractions)."""
    return None if value is None else round(value, 2)


def _ratio(num: float | int | None, den: float | int | None) -> float | None:
    if num is None or not den:
        return None
    return float(num) / float(den)


def _sum(values: Any) -> Any:
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def value_report(
    store: Store,
    workspace: str,
    org: str,
    *,
    start: date | None = None,
    end: date | None = None,
    campaign: str | None = None,
    conversion_value: float | None = None,
) -> ValueReport:
    """The value report of ``org`` from ``start`` to ``end`` (days, inclusive; default: all
    its traffic and costs); ``campaign`` keeps that campaign only. ``conversion_value``
    values each conversion where an export gives no revenue."""
    org_id = store.org_id(workspace, org)
    name = store.con.execute(
        "SELECT name FROM organisations WHERE org_id = ?", [org_id]
    ).fetchall()[0][0]
    if conversion_value is not None and not (
        math.isfinite(conversion_value) and conversion_value >= 0
    ):
        raise ConfigError(
            _(
                "the value of a conversion must be an amount of 0 or more, got {value}",
                value=repr(conversion_value),
            )
        )
    campaigns = list_campaigns(store, workspace, org)
    defined = _defined_campaign(campaigns, campaign)
    if defined is not None:  # a defined campaign is measured over its own period
        start, end = start or defined.starts_on, end or defined.ends_on
    first, last = _span(store, org_id, campaigns)
    start, end = start or first, end or last
    if start is not None and end is not None:
        check_order(start, end)
    report = ValueReport(
        org=name,
        workspace=workspace,
        start=start,
        end=end,
        currency=None,
        conversion_value=conversion_value,
        sessions=None,
        social_sessions=None,
        conversions=None,
        social_conversions=None,
        revenue=None,
        social_revenue=None,
        spend=None,
    )
    if not _has_data(store, org_id):
        report.warnings.append(
            N_(
                "no web analytics or costs for this organisation: import them with "
                "--source web-analytics-csv and --source costs-csv"
            )
        )
        if campaign is not None and defined is None:  # no export names it either
            _campaign_keys(campaign, None, pd.DataFrame({"campaign": []}),
                           pd.DataFrame({"campaign": []}), org)  # fmt: skip
        # what the organisation's own posts reached is known all the same
        report.platforms = _platforms(store, org_id, start or date.min, end or date.max, [], False)
        return report
    # costs without dates give no period: every day counts then
    start, end = start or date.min, end or date.max
    traffic = _traffic(store, org_id, start, end, conversion_value)
    costs = _costs(store, org_id, conversion_value, campaigns)
    if campaign is not None:
        keys = _campaign_keys(campaign, defined, traffic, costs, org)
        traffic = traffic[traffic["campaign"].isin(keys)] if len(traffic) else traffic
        costs = costs[costs["campaign"].isin(keys)] if len(costs) else costs
        report.warnings.append(
            N_(
                "the funnel counts the campaign's sessions and costs only; reach counts "
                "every own item of the period"
            )
        )
    report.currency = _currency(store, org_id, report)
    social = traffic[traffic["platform"] != ""] if len(traffic) else traffic
    if len(traffic):  # else unknown: no web analytics in the period
        report.sessions = int(traffic["sessions"].sum())
        report.social_sessions = int(social["sessions"].sum()) if len(social) else 0
    report.conversions = _total(traffic, "conversions")
    report.social_conversions = _total(social, "conversions")
    report.revenue = _total(traffic, "revenue")
    report.social_revenue = _total(social, "revenue")
    report.spend = _prorated_total(costs, start, end)
    report.platforms = _platforms(store, org_id, start, end, social, bool(len(traffic)))
    report.campaigns = _campaigns(campaigns, start, end, traffic, costs, campaign)
    report.warnings += _overlaps(campaigns, start, end, campaign)
    report.warnings += _outside_days(campaigns, traffic)
    if not len(traffic):
        report.warnings.append(
            N_("no web analytics in this period: sessions, conversions and revenue are unknown")
        )
    elif report.social_sessions == 0:
        report.warnings.append(
            N_(
                "no session in this period came from a social platform "
                "(by source, medium or channel; see docs/value.md)"
            )
        )
    if len(traffic) and report.revenue is None and conversion_value is None:
        report.warnings.append(
            N_(
                "the web analytics give no revenue: pass --conversion-value "
                "to value each conversion"
            )
        )
    return report


def _defined_campaign(campaigns: list[Campaign], campaign: str | None) -> Campaign | None:
    """The campaign ``jauge campaign add`` defined by that name or UTM campaign, if any."""
    if campaign is None:
        return None
    wanted = campaign.strip().lower()
    return next((c for c in campaigns if wanted in names_of(c)), None)


def _campaign_keys(
    campaign: str, defined: Campaign | None, traffic: Any, costs: Any, org: str
) -> set[str]:
    """The campaign names sessions and costs carry for ``campaign``; refused when neither
    a defined campaign nor an export knows it."""
    if defined is not None:
        return names_of(defined)
    wanted = campaign.strip().lower()
    named = set(traffic["campaign"].dropna()) | set(costs["campaign"].dropna())
    if wanted not in named:
        raise NotFoundError(
            _(
                "no campaign {campaign} for {org}, neither defined with `jauge campaign add` "
                "nor named by its web analytics or costs in this period",
                campaign=repr(campaign),
                org=repr(org),
            )
        )
    return {wanted}


def _has_data(store: Store, org_id: str) -> bool:
    return bool(
        store.con.execute(
            "SELECT EXISTS (SELECT 1 FROM web_traffic WHERE org_id = $1) "
            "OR EXISTS (SELECT 1 FROM costs WHERE org_id = $1)",
            [org_id],
        ).fetchall()[0][0]
    )


def _span(store: Store, org_id: str, campaigns: list[Campaign]) -> tuple[date | None, date | None]:
    """The days of the organisation's traffic and costs; an undated cost row of a defined
    campaign was spent over the campaign's days."""
    first, last = store.con.execute(
        """
        SELECT least(min(day), min(s)), greatest(max(day), max(e)) FROM (
            SELECT day, NULL::DATE AS s, NULL::DATE AS e FROM web_traffic WHERE org_id = $1
            UNION ALL
            SELECT NULL, starts_on, ends_on FROM costs WHERE org_id = $1)
        """,
        [org_id],
    ).fetchall()[0]
    undated = {
        r[0]
        for r in store.con.execute(
            "SELECT DISTINCT lower(trim(campaign)) FROM costs WHERE org_id = ? "
            "AND starts_on IS NULL AND ends_on IS NULL AND campaign IS NOT NULL",
            [org_id],
        ).fetchall()
    }
    for c in campaigns:
        if names_of(c) & undated:
            first = min(first or c.starts_on, c.starts_on)
            last = max(last or c.ends_on, c.ends_on)
    return first, last


def _traffic(
    store: Store, org_id: str, start: date, end: date, conversion_value: float | None
) -> Any:
    """Sessions per platform ('' when not social), day and campaign, as a DataFrame."""
    # without a conversion value, NULL: the product is NULL and revenue stays as exported
    frame = store.con.execute(
        f"""
        SELECT coalesce({platform_sql("t")}, '') AS platform, day,
               lower(trim(campaign)) AS campaign, min(trim(campaign)) AS written,
               sum(sessions)::BIGINT AS sessions,
               sum(conversions)::DOUBLE AS conversions,
               coalesce(sum(revenue), sum(conversions) * $value)::DOUBLE AS revenue
        FROM ({with_host()}) t
        WHERE org_id = $org AND day BETWEEN $start AND $end
        GROUP BY ALL ORDER BY ALL
        """,
        {"org": org_id, "start": start, "end": end, "value": conversion_value},
    ).df()
    frame["day"] = frame["day"].map(as_date)  # once, for every campaign's comparison
    return frame


def _costs(
    store: Store, org_id: str, conversion_value: float | None, campaigns: list[Campaign]
) -> Any:
    """Every cost row of the organisation with the days it was spent over (``days``,
    prorated to a period later), as a DataFrame."""
    frame = store.con.execute(
        """
        SELECT lower(trim(campaign)) AS campaign, trim(campaign) AS written, starts_on,
               ends_on, spend::DOUBLE AS spend,
               impressions::DOUBLE AS impressions, clicks::DOUBLE AS clicks,
               conversions::DOUBLE AS conversions,
               coalesce(revenue, conversions * $value)::DOUBLE AS revenue
        FROM costs WHERE org_id = $org ORDER BY row_id
        """,
        {"org": org_id, "value": conversion_value},
    ).df()
    frame["days"] = pd.Series(
        row_days(frame, campaign_days(campaigns)), index=frame.index, dtype=object
    )
    return frame


def _currency(store: Store, org_id: str, report: ValueReport) -> str | None:
    """The one currency of the organisation's amounts (None when they mix currencies, with
    a warning). Amounts that come without one are read in it, and a warning says so: a
    currency seen in one export does not prove another's."""
    rows = store.con.execute(
        "SELECT upper(trim(currency)), count(*) FROM ("
        "SELECT currency FROM web_traffic WHERE org_id = $1 AND revenue IS NOT NULL "
        "UNION ALL SELECT currency FROM costs WHERE org_id = $1 AND spend IS NOT NULL"
        ") GROUP BY 1 ORDER BY 1 NULLS LAST",
        [org_id],
    ).fetchall()
    found = [str(c) for c, _ in rows if c is not None]
    unknown = any(c is None for c, _ in rows)
    if len(found) > 1:
        report.warnings.append(
            N_(
                "the exports use several currencies ({currencies}): amounts are added as "
                "they are, convert them first"
            ).format(currencies=", ".join(found))
        )
    elif found and unknown:
        report.warnings.append(
            N_(
                "some amounts come without a currency: they are read in {currency}, the "
                "currency of the others; check that they are in {currency}"
            ).format(currency=found[0])
        )
    return found[0] if len(found) == 1 else None


def _total(frame: Any, column: str) -> Any:
    """A column's sum; None when no row gives it (unknown is not zero)."""
    if not len(frame) or frame[column].isna().all():
        return None
    total = float(frame[column].sum())
    return int(total) if column == "conversions" else _cents(total)


def _prorated_total(costs: Any, start: date, end: date) -> float | None:
    if not len(costs):
        return None
    return _cents(float((costs["spend"].to_numpy() * shares(costs, start, end)).sum()))


def _platforms(
    store: Store, org_id: str, start: date, end: date, social: Any, has_traffic: bool
) -> list[PlatformValue]:
    """The funnel per platform: the reach of own items posted in the period (their latest
    snapshot), the social sessions that platform sent (None without web analytics in the
    period: a platform that sent none is 0 only when the analytics say so), their
    conversions and revenue."""
    reach = dict(
        store.con.execute(
            """
            SELECT c.platform, sum(s.reach)::BIGINT
            FROM content_items c
            JOIN (SELECT subject_id, arg_max(reach, observed_at) AS reach FROM metric_snapshots
                  WHERE subject_type = 'item' AND reach IS NOT NULL GROUP BY subject_id) s
              ON s.subject_id = c.item_id
            WHERE c.org_id = ? AND c.is_own AND c.created_at >= ? AND c.created_at <= ?
            GROUP BY c.platform
            """,
            [
                org_id,
                datetime.combine(start, time()),
                datetime.combine(end, time.max),
            ],
        ).fetchall()
    )
    names = sorted(set(reach) | set(social["platform"]) if len(social) else set(reach))
    out = []
    for platform in names:
        rows = social[social["platform"] == platform] if len(social) else social
        out.append(
            PlatformValue(
                platform=platform,
                reach=reach.get(platform),
                sessions=(int(rows["sessions"].sum()) if len(rows) else 0) if has_traffic else None,
                conversions=_total(rows, "conversions"),
                revenue=_total(rows, "revenue"),
            )
        )
    return out


def _campaigns(
    campaigns: list[Campaign],
    start: date,
    end: date,
    traffic: Any,
    costs: Any,
    only: str | None,
) -> list[CampaignValue]:
    """Defined campaigns overlapping the period, then campaigns only exports name (a
    defined campaign outside the period is neither: its names are not listed again)."""
    seen = {key for c in campaigns for key in names_of(c)}
    out = []
    for c in campaigns:
        if c.ends_on < start or c.starts_on > end:
            continue
        keys = names_of(c)
        first, last = max(c.starts_on, start), min(c.ends_on, end)
        out.append(_campaign_value(c.name, True, c.utm_campaign, keys, first, last, traffic, costs))
    written = _as_written(traffic, costs)
    for key in sorted(set(written) - seen - {""}):
        value = _campaign_value(key, False, None, {key}, start, end, traffic, costs)
        out.append(replace(value, label=written[key]))
    if only is not None:
        # as names_of matches them: trimmed, in any case
        wanted = only.strip().lower()
        out = [
            c
            for c in out
            if wanted in {c.name.strip().lower(), (c.utm_campaign or "").strip().lower()}
        ]
    return out


def _overlaps(campaigns: list[Campaign], start: date, end: date, only: str | None) -> list[str]:
    """Warnings for defined campaigns that share a name or UTM campaign and overlap in
    the period: each claims the days they share, so those days count twice."""
    listed = [c for c in campaigns if c.ends_on >= start and c.starts_on <= end]
    if only is not None:
        wanted = only.strip().lower()
        listed = [c for c in listed if wanted in names_of(c)]
    out = []
    for i, a in enumerate(listed):
        for b in listed[i + 1 :]:
            shared = names_of(a) & names_of(b)
            first = max(a.starts_on, b.starts_on, start)
            last = min(a.ends_on, b.ends_on, end)
            if shared and first <= last:
                out.append(
                    N_(
                        "the campaigns {first_campaign} and {second_campaign} share the "
                        "campaign name {name} and overlap from {start} to {end}: their "
                        "figures both count those days (spend, sessions, revenue)"
                    ).format(
                        first_campaign=a.name,
                        second_campaign=b.name,
                        name=sorted(shared)[0],
                        start=first.isoformat(),
                        end=last.isoformat(),
                    )
                )
    return out


def _outside_days(campaigns: list[Campaign], traffic: Any) -> list[str]:
    """Warnings for sessions tagged with a defined campaign's name or UTM campaign on days
    outside every defined campaign of that name: no campaign row counts them."""
    if not len(traffic):
        return []
    out = []
    for key, days in sorted(campaign_days(campaigns).items()):
        tagged = traffic[traffic["campaign"] == key]
        if not len(tagged) or days is None:
            continue
        inside = tagged["day"].map(lambda d, spans=days: any(s <= d <= e for s, e in spans))
        outside = tagged[~inside.astype(bool)]
        if count := int(outside["sessions"].sum()):
            out.append(
                plural(
                    N_(
                        "{count} session tagged with the campaign {name} falls outside the "
                        "days of the campaigns defined for it: no campaign row counts it"
                    ),
                    N_(
                        "{count} sessions tagged with the campaign {name} fall outside the "
                        "days of the campaigns defined for it: no campaign row counts them"
                    ),
                    count,
                    "en",  # kept in English in the report, shown in the reader's language
                ).format(count=count, name=key)
            )
    return out


def _as_written(traffic: Any, costs: Any) -> dict[str, str]:
    """Each campaign name the exports give (lower-cased, the key they are matched by) ->
    the name as an export writes it (the first in alphabetical order where they differ)."""
    names = pd.concat(
        [frame[["campaign", "written"]] for frame in (traffic, costs) if len(frame)]
        or [pd.DataFrame({"campaign": [], "written": []})]
    ).dropna()
    return {str(k): str(v) for k, v in names.groupby("campaign")["written"].min().items()}


def _campaign_value(
    name: str,
    defined: bool,
    utm: str | None,
    keys: set[str],
    start: date,
    end: date,
    traffic: Any,
    costs: Any,
) -> CampaignValue:
    days = (
        traffic[
            traffic["campaign"].isin(keys) & (traffic["day"] >= start) & (traffic["day"] <= end)
        ]
        if len(traffic)
        else traffic
    )
    paid = costs[costs["campaign"].isin(keys)] if len(costs) else costs
    share = shares(paid, start, end)
    paid = paid[share > 0] if len(paid) else paid
    share = share[share > 0]
    spend = _cents(float((paid["spend"].to_numpy() * share).sum())) if len(paid) else None
    social = days[days["platform"] != ""] if len(days) else days
    revenue = _total(days, "revenue")
    platform_revenue = (
        _cents(float(np.nansum(paid["revenue"].to_numpy() * share)))
        if len(paid) and paid["revenue"].notna().any()
        else None
    )
    roi = _roi(revenue, spend)
    platform_roi = _roi(platform_revenue, spend)
    return CampaignValue(
        name=name,
        defined=defined,
        starts_on=start if defined else None,
        ends_on=end if defined else None,
        utm_campaign=utm,
        spend=spend,
        impressions=_prorated_count(paid, "impressions", share),
        clicks=_prorated_count(paid, "clicks", share),
        platform_conversions=_prorated_count(paid, "conversions", share),
        platform_revenue=platform_revenue,
        # without web analytics in the period the sessions are unknown, not zero
        sessions=(int(days["sessions"].sum()) if len(days) else 0) if len(traffic) else None,
        social_sessions=(int(social["sessions"].sum()) if len(social) else 0)
        if len(traffic)
        else None,
        conversions=_total(days, "conversions"),
        revenue=revenue,
        roi=roi,
        roi_interval=_roi_interval(days.groupby("day")["revenue"].sum().to_numpy(), spend)
        if roi is not None
        else None,
        platform_roi=platform_roi,
        platform_roi_interval=_paired_interval(
            np.nan_to_num(paid["revenue"].to_numpy() * share), paid["spend"].to_numpy() * share
        )
        if platform_roi is not None
        else None,
    )


def _prorated_count(paid: Any, column: str, share: np.ndarray) -> int | None:
    if not len(paid) or paid[column].isna().all():
        return None
    return round(float(np.nansum(paid[column].to_numpy() * share)))


def _roi(revenue: float | None, spend: float | None) -> float | None:
    """(value − spend) / spend; None without spend or without value."""
    if revenue is None or not spend:
        return None
    return (revenue - spend) / spend


def _bounds(draws: np.ndarray) -> tuple[float, float] | None:
    draws = draws[np.isfinite(draws)]
    if draws.size < REPLICATES // 2:
        return None
    tail = (1 - LEVEL) / 2
    low, high = np.quantile(draws, [tail, 1 - tail])
    return float(low), float(high)


def _roi_interval(revenue_by_day: np.ndarray, spend: float | None) -> tuple[float, float] | None:
    """How much the ROI depends on which days happened: days resampled with replacement,
    the spend as it is. None with fewer than 2 days."""
    if not spend or revenue_by_day.size < 2:
        return None
    rng = np.random.default_rng(SEED)
    picks = rng.integers(0, revenue_by_day.size, size=(REPLICATES, revenue_by_day.size))
    return _bounds((np.nan_to_num(revenue_by_day)[picks].sum(axis=1) - spend) / spend)


def _paired_interval(revenue: np.ndarray, spend: np.ndarray) -> tuple[float, float] | None:
    """How much the platform's ROI depends on a few ads or periods: cost rows resampled
    with replacement, each with its spend and its value. None with fewer than 2 rows."""
    if revenue.size < 2:
        return None
    rng = np.random.default_rng(SEED)
    picks = rng.integers(0, revenue.size, size=(REPLICATES, revenue.size))
    spent = spend[picks].sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return _bounds((revenue[picks].sum(axis=1) - spent) / spent)
