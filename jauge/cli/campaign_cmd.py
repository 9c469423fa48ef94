"""``jauge campaign``: define campaigns and list them."""

from __future__ import annotations

from datetime import date

import click

from ..i18n import _, elided
from .options import db_option, format_option, workspace_option
from .output import console, literal, new_table, opened, print_json, reported
from .score_cmd import _date

EPILOG = """
\b
Examples:
  jauge campaign add "Summer sale" --org "Brand" --from 2014-06-01 --to 2014-08-31 \\
      --hashtag summersale --keyword "sale" --utm-campaign summer-2014
  jauge campaign list --org "Brand" --format json
"""


@click.group("campaign", epilog=EPILOG)
def campaign_group() -> None:
    """Campaigns: a named period with hashtags, keywords and a UTM campaign."""


def _not_blank(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A name given trimmed; a blank one is refused (it would match no export)."""
    if value is not None and not value.strip():
        raise click.BadParameter(
            _("is blank: give the campaign a name")
            if isinstance(param, click.Argument)
            else _("is blank: give the utm_campaign its links carry, or leave the option out")
        )
    return value.strip() if value is not None else None


@campaign_group.command("add", epilog=EPILOG)
@click.argument("name", callback=_not_blank)
@click.option("--org", required=True, metavar="ORG", help="The organisation running it.")
@click.option("--from", "start", required=True, metavar="DATE", help="First day.")
@click.option("--to", "end", required=True, metavar="DATE", help="Last day.")
@click.option("--hashtag", "hashtags", multiple=True, metavar="TAG", help="Repeatable.")
@click.option("--keyword", "keywords", multiple=True, metavar="WORD", help="Repeatable.")
@click.option(
    "--utm-campaign", metavar="NAME", callback=_not_blank, help="The utm_campaign of its links."
)
@db_option
@workspace_option
@format_option("table", "json")
def add_command(
    name: str,
    org: str,
    start: str,
    end: str,
    hashtags: tuple[str, ...],
    keywords: tuple[str, ...],
    utm_campaign: str | None,
    db: str | None,
    workspace: str | None,
    fmt: str,
) -> None:
    """Define a campaign (defining it again replaces it); items match by date and tags."""
    import jauge
    from jauge.errors import ConfigError

    with reported(fmt):
        first, last = _date(start, "--from"), _date(end, "--to")
        if first is None or last is None:
            raise ConfigError(_("--from and --to are required"))
        handle = jauge.open(db, workspace=workspace)
        campaign = handle.add_campaign(
            name,
            org=org,
            start=first,
            end=last,
            hashtags=hashtags,
            keywords=keywords,
            utm_campaign=utm_campaign,
        )
        handle.close()
    if fmt == "json":
        print_json(campaign.to_dict())
    else:
        console().print(
            elided(
                _(
                    "campaign [bold]{name}[/] of {org}: {start} to {end}",
                    name=literal(campaign.name),
                    org=literal(campaign.org),
                    start=campaign.starts_on,
                    end=campaign.ends_on,
                ),
                literal(campaign.org),
            )
        )
    _warn_if_too_short(campaign.name, campaign.starts_on, campaign.ends_on)


def _warn_if_too_short(name: str, first: date, last: date) -> None:
    """Kept, but said on standard error: the index will list it unscored."""
    from jauge.metrics.scope import SHORT_WINDOW, too_short
    from jauge.metrics.spec import load_spec

    short = too_short(load_spec(), first, last)
    if short is not None:
        why = _("campaign {campaign} is not scored: {reason}", campaign=name,
                reason=_(SHORT_WINDOW, **short))  # fmt: skip
        console(stderr=True).print(_("[yellow]note:[/] {warning}", warning=literal(why)))


@campaign_group.command("list", epilog=EPILOG)
@click.option("--org", metavar="ORG", help="Only this organisation's campaigns.")
@db_option
@workspace_option
@format_option("table", "json")
def list_command(org: str | None, db: str | None, workspace: str | None, fmt: str) -> None:
    """List the campaigns."""

    with opened(db, workspace, fmt) as handle:
        campaigns = handle.campaign_list(org)
    if fmt == "json":
        print_json([c.to_dict() for c in campaigns])
        return
    if not campaigns:
        console().print(_("No campaign yet: `jauge campaign add` defines one."))
        return
    table = new_table(_("Campaigns"))
    for col in (_("org"), _("name"), _("from"), _("to"), _("hashtags"), _("keywords"), "utm"):
        dated = col in (_("from"), _("to"))
        table.add_column(col, overflow="fold", no_wrap=dated, min_width=10 if dated else None)
    for c in campaigns:
        table.add_row(
            c.org,
            c.name,
            str(c.starts_on),
            str(c.ends_on),
            " ".join(c.hashtags),
            ", ".join(c.keywords),
            c.utm_campaign or "",
        )
    console().print(table)
