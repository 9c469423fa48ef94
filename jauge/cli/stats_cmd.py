"""``jauge stats``: what the store holds, per entity, organisation and platform."""

from __future__ import annotations

import click

from .options import db_option, format_option, workspace_option
from .output import console, opened, print_json

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
    from jauge.stats import collect_stats

    with opened(db, workspace, fmt) as handle:
        stats = collect_stats(handle.store, None if all_workspaces else handle.workspace)
    if fmt == "json":
        print_json(stats.to_dict())
        return
    render_stats(stats)


def render_stats(stats: object) -> None:
    from rich.table import Table

    from jauge.stats import Stats

    assert isinstance(stats, Stats)
    out = console()
    entities = Table(title="Entities")
    entities.add_column("entity")
    entities.add_column("rows", justify="right")
    for name, n in stats.entities.items():
        entities.add_row(name, f"{n:,}")
    out.print(entities)
    if stats.organisations:
        orgs = Table(title="Organisations")
        for col in (
            "workspace",
            "name",
            "accounts",
            "own items",
            "by others",
            "interactions",
            "from",
            "to",
        ):
            orgs.add_column(col, justify="right" if col not in ("workspace", "name") else "left")
        for o in stats.organisations:
            orgs.add_row(
                o["workspace"],
                o["name"],
                f"{o['accounts']:,}",
                f"{o['own_items']:,}",
                f"{o['items_by_others']:,}",
                f"{o['interactions']:,}",
                (o["first_item_at"] or "")[:10],
                (o["last_item_at"] or "")[:10],
            )
        out.print(orgs)
    if stats.platforms:
        plats = Table(title="Platforms")
        for col in ("platform", "items", "persons"):
            plats.add_column(col, justify="left" if col == "platform" else "right")
        for p in stats.platforms:
            plats.add_row(p["platform"], f"{p['items']:,}", f"{p['persons']:,}")
        out.print(plats)
