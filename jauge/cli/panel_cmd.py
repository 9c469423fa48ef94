"""``jauge panel``: share anonymised benchmark panels between organisations."""

from __future__ import annotations

import json
import sys

import click

from ..i18n import _, number
from .options import db_option, destination, format_option
from .output import console, literal, opened, print_json
from .score_cmd import index_version_option

EPILOG = """
\b
Examples:
  jauge panel export our-panel.json       # quantiles per stratum only: no names, no items
  jauge panel export client-a.json --workspace client-a
  jauge panel import their-panel.json     # score against their distributions too
"""


@click.group("panel", epilog=EPILOG)
def panel_group() -> None:
    """Reference panels: the distributions scores are percentiles of."""


@panel_group.command("export", epilog=EPILOG)
@click.argument("file", type=click.Path(dir_okay=False, writable=True), callback=destination)
@click.option("--panel-id", metavar="ID", help="Name of the panel (default: dated).")
@click.option(
    "--workspace",
    metavar="NAME",
    help="Only this workspace's organisations (default: every workspace of the store; a "
    "panel holds no names).",
)
@index_version_option
@db_option
@format_option("table", "json")
def export_command(
    file: str,
    panel_id: str | None,
    workspace: str | None,
    index_version: str | None,
    db: str | None,
    fmt: str,
) -> None:
    """Write the store's anonymised indicator distributions to FILE (-: standard output)."""
    from jauge.metrics.panels_store import export_panel
    from jauge.metrics.spec import LATEST
    from jauge.stats import known_workspace

    to_stdout = file == "-"
    if to_stdout and fmt == "json":
        raise click.UsageError(
            _(
                "- writes the panel itself to standard output, where --format json writes "
                "its summary: give a file name, or leave out --format json"
            )
        )
    with opened(db, workspace, fmt) as handle:
        if workspace:
            known_workspace(handle.store, workspace)  # a typo would export nothing
        panel = export_panel(
            handle.store, panel_id, version=index_version or LATEST, workspace=workspace
        )
        if to_stdout:
            json.dump(panel.to_dict(), sys.stdout, indent=1)
            sys.stdout.write("\n")
        else:
            with open(file, "w", encoding="utf-8") as f:
                json.dump(panel.to_dict(), f, indent=1)
    summary = {
        "panel_id": panel.panel_id,
        "file": file,
        "index_version": panel.index_version,
        "workspace": workspace,
        "strata": {k: len(v) for k, v in sorted(panel.strata.items())},
    }
    if fmt == "json":
        print_json(summary)
    else:  # beside a panel written to standard output, the summary goes to stderr
        console(stderr=to_stdout).print(
            _(
                "wrote panel [bold]{panel}[/] to {path}: {count} strata, measured by {version}",
                panel=literal(panel.panel_id),
                path=literal(file),
                count=number(len(panel.strata), ","),
                version=literal(panel.index_version),
            )
        )


@panel_group.command("import", epilog=EPILOG)
@click.argument("file", type=click.Path(exists=False, dir_okay=False))
@db_option
@format_option("table", "json")
def import_command(file: str, db: str | None, fmt: str) -> None:
    """Add the panel in FILE to the reference panel of the store."""
    from jauge.metrics.panels_store import import_panel, reference_panel

    with opened(db, fmt=fmt) as handle:
        panel = import_panel(handle.store, file)
        reference = reference_panel(handle.store)
    if fmt == "json":
        print_json({"imported": panel.panel_id, "reference_panel": reference.panel_id})
    else:
        console().print(
            _(
                "imported [bold]{panel}[/]; scores now use {reference}",
                panel=literal(panel.panel_id),
                reference=literal(reference.panel_id),
            )
        )
