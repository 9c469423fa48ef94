"""``jauge sources``: the registered importers and connectors."""

from __future__ import annotations

import click

from ..i18n import _
from .options import format_option
from .output import console, new_table, print_json

EPILOG = """
\b
Examples:
  jauge sources
  jauge sources --format json
"""


@click.command("sources", epilog=EPILOG)
@format_option("table", "json")
def sources_command(fmt: str) -> None:
    """List the sources that `jauge import` can read."""
    from jauge.sources import registry

    described = [s.describe() for s in registry.all_sources()]
    if fmt == "json":
        print_json(described)
        return
    table = new_table(_("Sources"))
    for col in (_("name"), _("kind"), _("reads"), _("example")):
        table.add_column(col, overflow="fold")
    for s in described:
        table.add_row(s["name"], _(s["kind"]), _(s["reads"]), s["example"])
    console().print(table)
