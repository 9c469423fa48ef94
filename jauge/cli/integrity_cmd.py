"""``jauge integrity``: weigh down bought and automated engagement before it reaches the index."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from ..i18n import N_, _, _n, localised, number
from .options import db_option, format_option, workspace_option
from .output import console, literal, new_table, opened, print_json

if TYPE_CHECKING:
    from rich.console import Console

    from jauge.integrity.assess import IntegrityReport

EPILOG = """
\b
Examples:
  jauge integrity                               # assess every person, store their weights
  jauge integrity --limit 50 --format json
  jauge integrity --minutes 60 --min-items 3    # catch slower or smaller pods too
"""


@click.command("integrity", epilog=EPILOG)
@click.option(
    "--minutes",
    default=30,
    type=click.IntRange(min=1),
    show_default=True,
    help="Lockstep: engagement counts as early within this many minutes of a post.",
)
@click.option(
    "--min-items",
    default=5,
    type=click.IntRange(min=1),
    show_default=True,
    help="Lockstep: early engagement on at least this many of the same posts.",
)
@click.option(
    "--min-overlap",
    default=0.5,
    type=click.FloatRange(0, 1),
    show_default=True,
    help="Lockstep: how alike two accounts' early posts must be (Jaccard, 0 to 1).",
)
@click.option(
    "--min-group",
    default=3,
    show_default=True,
    type=click.IntRange(min=2),
    help="Lockstep: accounts in a group, at least.",
)
@click.option(
    "--limit",
    default=20,
    show_default=True,
    type=click.IntRange(min=1),
    help="Accounts listed, lowest weight first.",
)
@db_option
@workspace_option
@format_option("table", "json")
def integrity_command(
    minutes: int,
    min_items: int,
    min_overlap: float,
    min_group: int,
    limit: int,
    db: str | None,
    workspace: str | None,
    fmt: str,
) -> None:
    """Find accounts that look bought or automated and weigh them down in the index.

    Each person gets an authenticity weight, 1 minus the likelihood that the account
    is fake from signals on its profile, and 0 in a group acting in lockstep. The
    index and the community graph count people by this weight from now on; running
    the command again replaces the weights. Days when an organisation's account gained
    followers in bulk are listed too. See docs/integrity.md.
    """
    with opened(db, workspace, fmt) as handle:
        report = handle.integrity(
            minutes=minutes,
            min_items=min_items,
            min_overlap=min_overlap,
            min_group=min_group,
            limit=limit,
        )
    if fmt == "json":
        print_json(report.to_dict())
        return
    out = console()
    if not report.persons:
        out.print(
            _(
                "Nobody to assess yet: import mentions, replies or comments, or sync a "
                "Mastodon or Bluesky account, to see who engages."
            )
        )
    else:
        _summary(report, out)
    for warning in report.warnings:
        out.print(f"[yellow]{literal(localised(warning))}[/]")
    if report.follower_jumps:
        _jumps(report, out)
    if report.accounts:
        _accounts(report, out)


def _summary(report: IntegrityReport, out: Console) -> None:
    from jauge.integrity.profile import description

    out.print(
        _(
            "{persons} ({with_profile} with a profile to read): {flagged}; lockstep groups "
            "found: {groups}; {removed}.",
            persons=_n(
                N_("Assessed {count} person"),
                N_("Assessed {count} persons"),
                report.persons,
                count=number(report.persons, ","),
            ),
            with_profile=number(report.with_profile, ","),
            flagged=_n(
                N_("{count} person weighed down by half or more"),
                N_("{count} persons weighed down by half or more"),
                report.flagged,
                count=number(report.flagged, ","),
            ),
            groups=number(len(report.groups), ","),
            removed=_n(
                N_("the index now counts {count} fewer person"),
                N_("the index now counts {count} fewer people"),
                # as it is written: 1.0 is said as a count of one
                round(report.weight_removed, 1),
                count=number(report.weight_removed, ",.1f"),
            ),
        )
    )
    if report.signals:
        out.print(_("Signals:"))
        for name, persons in sorted(report.signals.items(), key=lambda kv: (-kv[1], kv[0])):
            out.print(
                "  " + _("{signal}: {persons}", signal=_(description(name)),
                         persons=number(persons, ",")),
                markup=False,
            )  # fmt: skip
    for group in report.groups:
        members = ", ".join(report.handles.get(m, m) for m in group.members)
        out.print(
            _(
                "Lockstep group {group} ({count} accounts, up to {items} posts engaged "
                "together): {members}",
                group=group.group_id,
                count=number(len(group.members), ","),
                items=number(group.items, ","),
                members=members,
            ),
            markup=False,
        )


def _jumps(report: IntegrityReport, out: Console) -> None:
    jumps = new_table(_("Follower jumps: bought followers, or a campaign to check"))
    for label in (N_("organisation"), N_("account"), N_("day"), N_("followers before"),
                  N_("gained"), N_("in days"), N_("typical gain per day")):  # fmt: skip
        jumps.add_column(
            _(label), justify="left" if label in ("organisation", "account") else "right"
        )
    for j in report.follower_jumps:
        jumps.add_row(
            j.org,
            f"{j.account or '—'} ({j.platform})",
            j.day.isoformat(),
            number(j.followers_before, ","),
            number(j.gained, "+,"),
            number(j.days, ","),
            number(j.typical_daily_gain, ",.0f"),
        )
    out.print(jumps)


def _accounts(report: IntegrityReport, out: Console) -> None:
    from jauge.integrity import FLAGGED
    from jauge.integrity.profile import description

    table = new_table(_("Accounts weighed down, lowest weight first"))
    for label in (N_("handle"), N_("platform"), N_("weight"), N_("signals")):
        table.add_column(_(label), justify="right" if label == "weight" else "left")
    for a in report.accounts:
        table.add_row(
            a.handle or a.person_id,
            a.platform,
            number(a.weight, ".2f"),
            ", ".join(_(description(s)) for s in a.signals),
        )
    out.print(table)
    # the table stops at --limit: say how many it leaves out, and how to see them
    listed = sum(1 for a in report.accounts if a.weight <= FLAGGED)
    if (more := report.flagged - listed) > 0:
        out.print(
            _n(
                N_("{count} more person weighed down by half or more: raise --limit to list it"),
                N_("{count} more persons weighed down by half or more: raise --limit to list them"),
                more,
                count=number(more, ","),
            )
        )
