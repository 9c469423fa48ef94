"""``jauge stats``: what the store holds, per entity, organisation and platform."""

from __future__ import annotations

import click

from ..i18n import N_, _, number
from ..stats import ENTITY_LABELS
from .options import db_option, format_option, workspace_option
from .output import console, new_table, opened, print_json

EPILOG = """
\b
Examples:
  jauge stats
  jauge stats --workspace client-a --format json
"""


@click.command("stats", epilog=EPILOG)
@db_option
@workspace_option
@click.option("--all-workspaces", is_flag=True, help="Count every workspace in the store.")
@format_option("table", "json")
def stats_command(db: str | None, workspace: str | None, all_workspaces: bool, fmt: str) -> None:
    """Counts per entity, organisation and platform."""
    from jauge.stats import collect_stats, known_workspace

    with opened(db, workspace, fmt) as handle:
        if workspace and not all_workspaces:
            known_workspace(handle.store, workspace)  # a typo would count zeros
        stats = collect_stats(handle.store, None if all_workspaces else handle.workspace)
    if fmt == "json":
        print_json(stats.to_dict())
        return
    render_stats(stats)


def render_stats(stats: object) -> None:
    from jauge.stats import Stats

    assert isinstance(stats, Stats)
    out = console()
    entities = new_table(_("Entities"))
    entities.add_column(_("entity"))
    entities.add_column(_("rows"), justify="right")
    for name, n in stats.entities.items():
        entities.add_row(_(ENTITY_LABELS.get(name, name)), number(n, ","))
    out.print(entities)
    if stats.organisations:
        orgs = new_table(_("Organisations"))
        # the workspace is worth a column only when the counts cover several
        several = len({o["workspace"] for o in stats.organisations}) > 1
        for col in (
            *([N_("workspace")] if several else []),
            N_("name"),
            N_("accounts"),
            N_("own items"),
            N_("by others"),
            N_("interactions"),
            N_("from"),
            N_("to"),
        ):
            orgs.add_column(
                _(col),
                justify="left" if col in ("workspace", "name") else "right",
                # figures and dates are never cut short: on a narrow terminal the names
                # and the headers wrap
                overflow="fold",
                no_wrap=col in ("from", "to"),
                min_width=10 if col == "name" else None,
            )
        for o in stats.organisations:
            orgs.add_row(
                *([o["workspace"]] if several else []),
                o["name"],
                number(o["accounts"], ","),
                number(o["own_items"], ","),
                number(o["items_by_others"], ","),
                number(o["interactions"], ","),
                (o["first_item_at"] or "")[:10],
                (o["last_item_at"] or "")[:10],
            )
        out.print(orgs)
    if stats.platforms:
        plats = new_table(_("Platforms"))
        for col in (N_("platform"), N_("items"), N_("persons")):
            plats.add_column(_(col), justify="left" if col == "platform" else "right")
        for p in stats.platforms:
            plats.add_row(p["platform"], number(p["items"], ","), number(p["persons"], ","))
        out.print(plats)
