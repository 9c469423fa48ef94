"""``jauge value``: from reach to sessions to sales per platform, and ROI per campaign."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import click

from ..i18n import N_, PERCENT_SIGNS, _, language, localised, number, percent
from .options import day, db_option, format_option, workspace_option
from .output import console, literal, new_table, opened, print_json
from .score_cmd import _date

if TYPE_CHECKING:
    from jauge.value.report import ValueReport

EPILOG = """
\b
Examples:
  jauge import traffic.csv --source web-analytics-csv --org "Brand"
  jauge import ads.csv --source costs-csv --org "Brand" --platform facebook
  jauge value --org "Brand"
  jauge value --org "Brand" --from 2024-03-01 --to 2024-05-31 --format json
  jauge value --org "Brand" --campaign "Summer sale" --conversion-value 40
"""


def _amount(ctx: click.Context, param: click.Parameter, value: str | None) -> float | None:
    """An amount of 0 or more; ``nan`` and ``inf``, which Python reads as floats, are none."""
    if value is None:
        return None
    try:
        amount = float(value.strip().replace(",", "."))
    except ValueError:
        amount = math.nan
    if not (math.isfinite(amount) and amount >= 0):
        raise click.BadParameter(_("takes an amount of 0 or more, got {value}", value=repr(value)))
    return amount


@click.command("value", epilog=EPILOG)
@click.option("--org", required=True, metavar="ORG", help="The organisation to measure.")
@click.option("--campaign", metavar="NAME", help="Only this campaign (name or UTM campaign).")
@click.option(
    "--from", "start", metavar="DATE", callback=day, help="First day (default: the first data)."
)
@click.option(
    "--to", "end", metavar="DATE", callback=day, help="Last day (default: the latest data)."
)
@click.option(
    "--conversion-value",
    callback=_amount,
    metavar="AMOUNT",
    help="What one conversion is worth, where the exports give no revenue.",
)
@db_option
@workspace_option
@format_option("table", "json")
def value_command(
    org: str,
    campaign: str | None,
    start: str | None,
    end: str | None,
    conversion_value: float | None,
    db: str | None,
    workspace: str | None,
    fmt: str,
) -> None:
    """What social media brought: reach, sessions, conversions and revenue per platform,
    and spend and ROI per campaign.

    Reads what `jauge import` stored from web analytics (--source web-analytics-csv)
    and ad costs (--source costs-csv). ROI is (value − spend) / spend, shown with a 90%
    interval: from the web analytics (sessions tagged with the campaign's UTM campaign)
    and, apart, from the conversions the ad platform reports. See docs/value.md.
    """
    with opened(db, workspace, fmt) as handle:
        report = handle.value(
            org,
            campaign=campaign,
            start=_date(start, "--from"),
            end=_date(end, "--to"),
            conversion_value=conversion_value,
        )
    if fmt == "json":
        print_json(report.to_dict())
        return
    _print(report)


def _signed(value: float | None, spec: str) -> str:
    """A number as the reports write it: French's minus sign is U+2212 (−96), not a
    hyphen. Imported here, not at the top: `jauge --help` stays quick."""
    from jauge.i18n import signed_number

    return signed_number(value, spec)


def _money(value: float | None, currency: str | None) -> str:
    if value is None:
        return "—"
    return _signed(value, ",.2f") + (f" {currency}" if currency else "")


def _count(value: float | None) -> str:
    return number(value, ",.0f")


def _rate(value: float | None, digits: int = 1) -> str:
    return percent(value, f".{digits}f")


def _roi(value: float | None, interval: list[float] | None) -> str:
    if value is None:
        return "—"
    shown = _signed(value * 100, "+,.0f") + PERCENT_SIGNS.get(language(), "%")
    if interval:
        low, high = (_signed(bound * 100, "+,.0f") for bound in interval)
        shown += " " + _("[{low}, {high}]", low=low, high=high)
    return shown


def _print(report: ValueReport) -> None:
    data = report.to_dict()
    out = console()
    funnel, cur = data["funnel"], data["currency"]
    period = data["period"]
    out.print(
        _(
            "{org}, {start} to {end}: {sessions} sessions ({social} from social media, "
            "{share}), {conversions} conversions, revenue {revenue}, spend {spend}.",
            org=literal(data["org"]),
            start=period["start"] or "—",
            end=period["end"] or "—",
            sessions=_count(funnel["sessions"]),
            social=_count(funnel["social_sessions"]),
            share=_rate(funnel["social_share"]),
            conversions=_count(funnel["conversions"]),
            revenue=literal(_money(funnel["revenue"], cur)),
            spend=literal(_money(funnel["spend"], cur)),
        )
    )
    if data["platforms"]:
        table = new_table(_("From reach to sales, per platform"))
        labels = (N_("platform"), N_("reach"), N_("sessions"), N_("per 1,000 reached"),
                  N_("conversions"), N_("conversion rate"), N_("revenue"),
                  N_("value per session"))  # fmt: skip
        for label in labels:
            table.add_column(_(label), justify="left" if label == "platform" else "right")
        for p in data["platforms"]:
            table.add_row(
                _("other social") if p["platform"] == "other" else p["platform"],
                _count(p["reach"]),
                _count(p["sessions"]),
                number(p["sessions_per_1k_reach"], ".2f"),
                _count(p["conversions"]),
                _rate(p["conversion_rate"], 2),
                _money(p["revenue"], cur),
                _money(p["value_per_session"], cur),
            )
        out.print(table)
    if data["campaigns"]:
        _campaigns(data["campaigns"], cur, out)
    for warning in report.warnings:
        out.print(f"[yellow]{literal(localised(warning))}[/]")


def _campaigns(campaigns: list[dict[str, Any]], cur: str | None, out: Any) -> None:
    table = new_table(_("Campaigns: spend and return (ROI with its 90% interval)"))
    labels = (N_("campaign"), N_("spend"), N_("sessions"), N_("conversions"), N_("revenue"),
              N_("ROI"), N_("platform conversions"), N_("platform ROI"))  # fmt: skip
    for label in labels:
        table.add_column(_(label), justify="left" if label == "campaign" else "right")
    for c in campaigns:
        table.add_row(
            c["label"] + ("" if c["defined"] else " *"),
            _money(c["spend"], cur),
            _count(c["sessions"]),
            _count(c["conversions"]),
            _money(c["revenue"], cur),
            _roi(c["roi"], c["roi_interval"]),
            _count(c["platform_conversions"]),
            _roi(c["platform_roi"], c["platform_roi_interval"]),
        )
    out.print(table)
    if any(not c["defined"] for c in campaigns):
        out.print(_("* named by an export, not defined with `jauge campaign add`"))
