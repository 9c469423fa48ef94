"""``jauge graph export`` and ``jauge people``: the community and who matters in it."""

from __future__ import annotations

import csv
import io

import click

from .options import db_option, format_option, workspace_option
from .output import console, print_json, reported
from .score_cmd import _date

GRAPH_EPILOG = """
\b
Examples:
  jauge graph export --org United --format gexf --output united.gexf   # open in Gephi
  jauge graph export --org United --format csv
"""
PEOPLE_EPILOG = """
\b
Examples:
  jauge people --org United
  jauge people --org United --topic baggage --topic delay --limit 10 --format json
"""


@click.group("graph", epilog=GRAPH_EPILOG)
def graph_group() -> None:
    """The interaction graph of an organisation's community."""


@graph_group.command("export", epilog=GRAPH_EPILOG)
@click.option("--org", required=True, metavar="ORG")
@click.option("--from", "start", metavar="DATE", help="First day (default: 90 days before --to).")
@click.option("--to", "end", metavar="DATE", help="Last day (default: the latest item's day).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["gexf", "graphml", "csv"]),
    default="gexf",
    show_default=True,
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    help="File to write (default: standard output).",
)
@db_option
@workspace_option
def export_command(
    org: str,
    start: str | None,
    end: str | None,
    fmt: str,
    output: str | None,
    db: str | None,
    workspace: str | None,
) -> None:
    """Write the weighted, directed interaction graph (persons and the organisation)."""
    import jauge
    from jauge.community.graph import export, interaction_graph, summary

    with reported("table"):
        handle = jauge.open(db, workspace=workspace)
        graph = interaction_graph(
            handle.store, handle.workspace, org, _date(start, "--from"), _date(end, "--to")
        )
        handle.close()
    text = export(graph, fmt)
    if output:
        with open(output, "w", encoding="utf-8") as f:
            f.write(text)
        info = summary(graph)
        console(stderr=True).print(
            f"wrote {output}: {info['nodes']:,} nodes, {info['edges']:,} edges"
        )
    else:
        click.echo(text, nl=False)


@click.command("people", epilog=PEOPLE_EPILOG)
@click.option("--org", required=True, metavar="ORG")
@click.option("--topic", "topics", multiple=True, metavar="WORD", help="Repeatable.")
@click.option("--from", "start", metavar="DATE", help="First day (default: 90 days before --to).")
@click.option("--to", "end", metavar="DATE", help="Last day (default: the latest item's day).")
@click.option("--limit", default=20, show_default=True)
@db_option
@workspace_option
@format_option("table", "json", "csv")
def people_command(
    org: str,
    topics: tuple[str, ...],
    start: str | None,
    end: str | None,
    limit: int,
    db: str | None,
    workspace: str | None,
    fmt: str,
) -> None:
    """The people who talk about an organisation: separate dimensions, and why."""
    import jauge
    from jauge.community.people import rank_people

    with reported("json" if fmt == "json" else "table"):
        handle = jauge.open(db, workspace=workspace)
        people = rank_people(
            handle.store,
            handle.workspace,
            org,
            topics=topics,
            start=_date(start, "--from"),
            end=_date(end, "--to"),
            limit=limit,
        )
        handle.close()
    rows = [p.to_dict() for p in people]
    if fmt == "json":
        print_json(rows)
        return
    columns = (
        "handle",
        "platform",
        "persistence",
        "activated_audience",
        "relationship",
        "topical_relevance",
        "network_position",
        "sentiment",
        "followers",
    )
    if fmt == "csv":
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        w.writerow(columns)
        for r in rows:
            w.writerow(
                [r["relationship"]["exchanges"] if c == "relationship" else r[c] for c in columns]
            )
        click.echo(out.getvalue(), nl=False)
        return
    from rich.table import Table

    table = Table(title=f"People talking about {org}")
    for c in columns:
        table.add_column(
            c.replace("_", " "), justify="left" if c in ("handle", "platform") else "right"
        )
    for r in rows:
        table.add_row(
            r["handle"],
            r["platform"],
            str(r["persistence"]),
            str(r["activated_audience"]),
            str(r["relationship"]["exchanges"]),
            f"{r['topical_relevance']:.0%}",
            f"{r['network_position']:.2f}",
            "—" if r["sentiment"] is None else f"{r['sentiment']:+.2f}",
            "—" if r["followers"] is None else f"{r['followers']:,}",
        )
    console().print(table)
