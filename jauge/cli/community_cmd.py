"""``jauge graph export`` and ``jauge people``: the community and who matters in it."""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from ..i18n import N_, _, _n, elided, number, percent, separated, signed_number
from .options import db_option, destination, format_option, window_options, workspace_option
from .output import console, literal, new_table, opened, print_json
from .score_cmd import _date

#: the people table's columns, as shown
LABELS = {
    "handle": N_("handle"),
    "platform": N_("platform"),
    "persistence": N_("persistence"),
    "activated_audience": N_("activated audience"),
    "relationship": N_("relationship"),
    "topical_relevance": N_("topical relevance"),
    "network_position": N_("network position"),
    "sentiment": N_("sentiment"),
    "followers": N_("followers"),
    "authenticity": N_("authenticity"),
}

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
@click.option("--org", required=True, metavar="ORG", help="The organisation whose graph it is.")
@window_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["gexf", "graphml", "csv"]),
    default="gexf",
    show_default=True,
    help="File format: GEXF (Gephi), GraphML, or CSV edges with a nodes file beside them.",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    callback=destination,
    help="File to write (default, or -: standard output).",
)
@click.option("--pseudonymise", is_flag=True, help="Stable keyed pseudonyms for persons.")
@db_option
@workspace_option
def export_command(
    org: str,
    start: str | None,
    end: str | None,
    fmt: str,
    output: str | None,
    pseudonymise: bool,
    db: str | None,
    workspace: str | None,
) -> None:
    """Write the weighted, directed interaction graph (persons and the organisation)."""
    from jauge.community.export import (
        nodes_csv_path,
        write_edges_csv,
        write_gexf,
        write_graphml,
        write_nodes_csv,
    )
    from jauge.community.graph import interaction_graph, summary
    from jauge.community.privacy import pseudonym, pseudonym_key

    first, last = _date(start, "--from"), _date(end, "--to")
    output = None if output == "-" else output  # standard output, as without --output
    nodes_path: str | None = None
    with opened(db, workspace) as handle:
        store, ws = handle.store, handle.workspace
        org = handle.org_name(org)  # the graph's organisation node as the store spells it
        key = pseudonym_key(store, ws) if pseudonymise else None
        alias = (lambda node: pseudonym(key, node)) if key is not None else None
        if fmt == "csv":  # straight from the store, row by row
            with _destination(output, binary=False) as out:
                info = write_edges_csv(store, ws, org, out, first, last, alias=alias)
            if output:  # a CSV holds one table: the nodes get their own
                nodes_path = nodes_csv_path(output)
                with _destination(nodes_path, binary=False) as out:
                    info["nodes"] = write_nodes_csv(store, ws, org, out, first, last, alias=alias)
        elif fmt == "gexf":
            with _destination(output, binary=True) as out:
                info = write_gexf(store, ws, org, out, first, last, alias=alias)
        else:
            graph = interaction_graph(store, ws, org, first, last, alias=alias)
            with _destination(output, binary=True) as out:
                write_graphml(graph, out)
            info = summary(graph)
    if nodes_path:
        console(stderr=True).print(
            _(
                "wrote {path} ({edges} edges) and {nodes_path} ({nodes} nodes)",
                path=literal(output),
                edges=number(info["edges"], ","),
                nodes_path=literal(nodes_path),
                nodes=number(info["nodes"], ","),
            )
        )
    elif output:
        console(stderr=True).print(
            _(
                "wrote {path}: {nodes} nodes, {edges} edges",
                path=literal(output),
                nodes=number(info["nodes"], ","),
                edges=number(info["edges"], ","),
            )
        )


@contextmanager
def _destination(output: str | None, *, binary: bool) -> Iterator[Any]:
    """The file to write, or standard output."""
    if output is None:
        yield sys.stdout.buffer if binary else sys.stdout
        sys.stdout.flush()
        return
    if binary:
        with open(output, "wb") as raw:
            yield raw
    else:
        with open(output, "w", encoding="utf-8", newline="") as text:
            yield text


@click.command("people", epilog=PEOPLE_EPILOG)
@click.option("--org", required=True, metavar="ORG", help="The organisation they talk about.")
@click.option("--topic", "topics", multiple=True, metavar="WORD", help="Repeatable.")
@window_options
@click.option(
    "--limit", default=20, show_default=True, type=click.IntRange(min=1), help="Persons listed."
)
@click.option("--pseudonymise", is_flag=True, help="Stable keyed pseudonyms instead of handles.")
@db_option
@workspace_option
@format_option("table", "json", "csv")
def people_command(
    org: str,
    topics: tuple[str, ...],
    start: str | None,
    end: str | None,
    limit: int,
    pseudonymise: bool,
    db: str | None,
    workspace: str | None,
    fmt: str,
) -> None:
    """The people who talk about an organisation: separate dimensions, and why."""
    with opened(db, workspace, "json" if fmt == "json" else "table") as handle:
        org = handle.org_name(org)  # as the store spells it, in the title and the messages
        people = handle.people(
            org,
            topics=topics,
            start=_date(start, "--from"),
            end=_date(end, "--to"),
            limit=limit,
            pseudonymise=pseudonymise,
        )
    rows = [p.to_dict() for p in people]
    if fmt == "json":
        print_json(rows)
        return
    if not rows and fmt == "table" and topics:
        # the topics are the reason: the organisation may well be talked about otherwise
        console().print(
            elided(
                _(
                    "Nobody talks about {org} in this period with the topics {topics}: try "
                    "other words, or none.",
                    org=literal(org),
                    topics=literal(", ".join(topics)),
                ),
                literal(org),
            )
        )
        return
    if not rows and fmt == "table":
        console().print(
            elided(
                _(
                    "Nobody else talks about {org} in this period: import mentions, replies "
                    "or comments to see its community.",
                    org=literal(org),
                ),
                literal(org),
            )
        )
        return
    from jauge.community.people import DIMENSIONS

    # authenticity: why someone `jauge integrity` weighed down comes after everyone else
    columns = ("handle", "platform", *DIMENSIONS, "followers", "authenticity")
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
    title = _("People talking about {org}", org=org)
    platforms = {r["platform"] for r in rows}
    if len(platforms) == 1:  # then the title says it, and the columns have the room
        title = _("People talking about {org} on {platform}", org=org, platform=min(platforms))
    title = elided(title, org)  # French: parlent d'Emmanuel Macron
    shown = [c for c in columns if c != "platform" or len(platforms) != 1]
    table = new_table(title)
    for c in shown:
        # a handle is who the person is, kept on one line; on a narrow terminal the
        # headers of the short figures wrap to make room
        table.add_column(
            _(LABELS[c]),
            justify="left" if c in ("handle", "platform") else "right",
            no_wrap=c == "handle",
            overflow="ellipsis" if c == "handle" else "fold",
        )
    for r in rows:
        cells = _person_cells(r)
        table.add_row(*(cells[c] for c in shown))
    console().print(table)


def _person_cells(r: dict[str, Any]) -> dict[str, str]:
    """A person's row of ``jauge people``, as shown in the table."""
    return {
        "handle": r["handle"],
        "platform": r["platform"],
        "persistence": number(r["persistence"], ","),
        "activated_audience": number(r["activated_audience"], ","),
        "relationship": number(r["relationship"]["exchanges"], ","),
        "topical_relevance": percent(r["topical_relevance"], ".0f"),
        "network_position": number(r["network_position"], ".2f"),
        "sentiment": signed_number(r["sentiment"], "+.2f"),
        "followers": number(r["followers"], ","),
        # 1.00 for most: a lower weight is marked, since it moves the person down the list
        "authenticity": number(r["authenticity"], ".2f") + (" ⚑" if r["authenticity"] < 1 else ""),
    }


PERSON_EPILOG = """
\b
Examples:
  jauge person jetblue_fan --org United            # their relationship with United over time
  jauge person forget jetblue_fan                  # erase their personal data, keep counts
  jauge person find "john lennon"                  # who a request names: handle, name or id
  jauge person export jetblue_fan --all-workspaces -o jetblue_fan.json   # right of access
"""


class PersonGroup(click.Group):
    """``jauge person HANDLE`` shows a person; ``jauge person forget HANDLE`` forgets one."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["show", *args]
        return super().parse_args(ctx, args)


@click.group("person", cls=PersonGroup, epilog=PERSON_EPILOG)
def person_group() -> None:
    """One person: their relationship with an organisation; finding, exporting, forgetting."""


@person_group.command("show", epilog=PERSON_EPILOG)
@click.argument("handle")
@click.option("--org", required=True, metavar="ORG", help="The organisation they engage with.")
@click.option("--pseudonymise", is_flag=True, help="Show a stable pseudonym, not the handle.")
@db_option
@workspace_option
@format_option("table", "json")
def show_command(
    handle: str, org: str, pseudonymise: bool, db: str | None, workspace: str | None, fmt: str
) -> None:
    """When they first engaged, activity and sentiment per week, exchanges with the org."""
    with opened(db, workspace, fmt) as j:
        data = j.person(handle, org, pseudonymise=pseudonymise)
    if fmt == "json":
        print_json(data)
        return
    org = data["org"]  # as the store spells it, however it was typed
    out = console()
    answered, interactions = (data["exchanges"][k] for k in ("answered_by_org", "interactions"))
    if data["first_engaged"] is None:
        out.print(
            _(
                "[bold]{handle}[/] has not engaged with {org} yet",
                handle=literal(data["handle"]),
                org=literal(org),
            )
        )
        return
    out.print(
        elided(
            _(
                "[bold]{handle}[/] and {org}: first engaged {first}, {answered}, {interactions}",
                handle=literal(data["handle"]),
                org=literal(org),
                # to the minute, as a day and time are shown elsewhere (not ISO's 'T')
                first=data["first_engaged"][:16].replace("T", " "),
                answered=_n(
                    N_("{count} post answered by {org}"),
                    N_("{count} posts answered by {org}"),
                    answered,
                    count=number(answered, ","),
                    org=literal(org),
                ),
                interactions=_n(
                    N_("{count} interaction"),
                    N_("{count} interactions"),
                    interactions,
                    count=number(interactions, ","),
                ),
            ),
            literal(org),
        )
    )
    if (assessed := data.get("authenticity")) and assessed["weight"] < 1:
        from jauge.integrity.profile import description

        # what `jauge integrity` made of them: a false positive shows, and can be argued
        out.print(
            _(
                "weighed down by `jauge integrity` to {weight}: {signals}",
                weight=number(assessed["weight"], ".2f"),
                signals=separated([_(description(s)) for s in assessed["signals"] or []]),
            )
        )
    table = new_table()
    for c in (_("from"), _("to"), _("items"), _("interactions"), _("net sentiment")):
        table.add_column(c)
    for w in data["windows"]:
        table.add_row(
            w["from"],
            w["to"],
            number(w["items"], ","),
            number(w["interactions"], ","),
            signed_number(w["net_sentiment"], "+.2f"),
        )
    out.print(table)


@person_group.command("forget", epilog=PERSON_EPILOG)
@click.argument("handle")
@click.option("--platform", metavar="P", help="Only on this platform.")
@click.option(
    "--all-workspaces", is_flag=True, help="In every workspace of the store, not only one."
)
@db_option
@workspace_option
@format_option("table", "json")
def forget_command(
    handle: str,
    platform: str | None,
    all_workspaces: bool,
    db: str | None,
    workspace: str | None,
    fmt: str,
) -> None:
    """Erase a person's personal data; counts and the figures made of them stay correct."""
    from jauge.community.privacy import forget_everywhere, forget_person, workspaces_holding
    from jauge.errors import NotFoundError

    _one_or_all(workspace, all_workspaces)
    with opened(db, workspace, fmt) as j:
        if all_workspaces:
            per_workspace = forget_everywhere(j.store, handle, platform)
            forgotten, elsewhere = sum(per_workspace.values()), []
        else:
            elsewhere = workspaces_holding(j.store, handle, platform)
            if elsewhere and j.workspace not in elsewhere:
                raise NotFoundError(
                    _(
                        "no person {handle} in workspace {workspace}, but in the workspaces "
                        "{names}: forget them there with --all-workspaces, or --workspace NAME",
                        handle=repr(handle),
                        workspace=repr(j.workspace),
                        names=", ".join(elsewhere),
                    )
                )
            forgotten = forget_person(j.store, j.workspace, handle, platform)
            per_workspace = {j.workspace: forgotten}
            # a data subject's request concerns the whole store, not one client of it
            elsewhere = workspaces_holding(j.store, handle, platform)
    if fmt == "json":
        answer: dict[str, Any] = {"forgotten": forgotten}
        if all_workspaces:
            answer["workspaces"] = per_workspace
        if elsewhere:
            answer["still_held_in"] = elsewhere
        print_json(answer)
        return
    out = console()
    if all_workspaces:
        out.print(
            _n(
                N_("forgot {count} person named {handle} in the workspaces {names}"),
                N_("forgot {count} persons named {handle} in the workspaces {names}"),
                forgotten,
                count=number(forgotten, ","),
                handle=literal(handle),
                names=literal(", ".join(per_workspace)),
            )
        )
    else:
        out.print(
            _n(
                N_("forgot {count} person named {handle}"),
                N_("forgot {count} persons named {handle}"),
                forgotten,
                count=number(forgotten, ","),
                handle=literal(handle),
            )
        )
    if elsewhere:
        out.print(
            _(
                "{handle} is still held in the workspaces {names}: forget them there with "
                "--all-workspaces, or --workspace NAME",
                handle=literal(handle),
                names=literal(", ".join(elsewhere)),
            )
        )


@person_group.command("export", epilog=PERSON_EPILOG)
@click.argument("handle")
@click.option("--platform", metavar="P", help="Only on this platform.")
@click.option(
    "--all-workspaces", is_flag=True, help="In every workspace of the store, not only one."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    callback=destination,
    help="File to write, whole or not at all (default: standard output).",
)
@db_option
@workspace_option
@format_option("json")
def export_person_command(
    handle: str,
    platform: str | None,
    all_workspaces: bool,
    output: str | None,
    db: str | None,
    workspace: str | None,
    fmt: str,
) -> None:
    """Everything the store holds about a person, as JSON: a right-of-access request."""
    from jauge.community.access import write_atomically

    _one_or_all(workspace, all_workspaces)
    # the document is JSON whatever is asked; errors are, when a script asks for JSON
    asked = click.get_current_context().get_parameter_source("fmt")
    errors = fmt if asked == click.core.ParameterSource.COMMANDLINE else "table"
    with opened(db, workspace, errors) as j:
        document = j.person_export(handle, platform=platform, all_workspaces=all_workspaces)
    if output is None or output == "-":
        print_json(document)
        return
    write_atomically(output, document)
    persons, items = len(document["persons"]), sum(len(p["items"]) for p in document["persons"])
    console(stderr=True).print(
        _(
            "wrote {path}: {persons}, {items}",
            path=literal(output),
            persons=_n(
                N_("{count} person"), N_("{count} persons"), persons, count=number(persons, ",")
            ),
            items=_n(N_("{count} item"), N_("{count} items"), items, count=number(items, ",")),
        )
    )


@person_group.command("find", epilog=PERSON_EPILOG)
@click.argument("text")
@click.option(
    "--all-workspaces", is_flag=True, help="In every workspace of the store, not only one."
)
@click.option(
    "--limit", default=50, show_default=True, type=click.IntRange(min=1), help="Persons listed."
)
@db_option
@workspace_option
@format_option("table", "json")
def find_command(
    text: str, all_workspaces: bool, limit: int, db: str | None, workspace: str | None, fmt: str
) -> None:
    """Persons whose handle, display name or native id contains TEXT (any case or accents)."""
    from jauge.community.access import find_persons
    from jauge.errors import NotFoundError
    from jauge.store.access import workspace_names

    _one_or_all(workspace, all_workspaces)
    with opened(db, workspace, fmt) as j:
        names = workspace_names(j.store) if all_workspaces else [j.workspace]
        found = find_persons(j.store, names, text, limit)
        if not found and not all_workspaces:
            # a data subject's request concerns the whole store: "nobody" must mean nobody
            others = [w for w in workspace_names(j.store) if w != j.workspace]
            elsewhere = [w for w in others if find_persons(j.store, [w], text, 1)]
            if elsewhere:
                raise NotFoundError(
                    _(
                        "no person's handle, name or id contains {text} in workspace "
                        "{workspace}, but in the workspaces {names}: search them with "
                        "--all-workspaces, or --workspace NAME",
                        text=repr(text),
                        workspace=repr(j.workspace),
                        names=", ".join(elsewhere),
                    )
                )
    if fmt == "json":
        print_json(found)
        return
    if not found:
        console().print(_("no person's handle, name or id contains {text}", text=literal(text)))
        return
    table = new_table(_("Persons matching {text}", text=literal(text)))
    columns = (
        ("workspace", N_("workspace")),
        ("platform", N_("platform")),
        ("handle", N_("handle")),
        ("display_name", N_("name")),
        ("native_id", N_("native id")),
        ("items", N_("items")),
    )
    shown = [(k, label) for k, label in columns if k != "workspace" or all_workspaces]
    for k, label in shown:
        table.add_column(_(label), justify="right" if k == "items" else "left")
    for p in found:
        table.add_row(
            *(number(p[k], ",") if k == "items" else literal(p[k] or "") for k, _label in shown)
        )
    console().print(table)


def _one_or_all(workspace: str | None, all_workspaces: bool) -> None:
    if workspace is not None and all_workspaces:
        raise click.UsageError(_("give --workspace or --all-workspaces, not both"))
