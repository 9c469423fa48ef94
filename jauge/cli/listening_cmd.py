"""``jauge org``, ``jauge enrich``, ``jauge voice`` and ``jauge regions``: listening to what
is said, and where."""

from __future__ import annotations

import click

from ..enrich.mentions import KIND_LABELS, doubtful_entries
from ..enrich.places import Place
from ..enrich.regions import GROUPINGS, place_name
from ..enrich.sentiment import DEFAULT_BACKEND
from ..i18n import N_, _, language, number, percent, signed_number
from .options import db_option, format_option, plugin, window_options, workspace_option
from .output import console, counting_progress, literal, new_table, opened, print_json
from .score_cmd import _date

#: what an organisation is to the workspace's owner
RELATIONS = [N_("own"), N_("competitor"), N_("other")]

ORG_EPILOG = """
\b
Examples:
  jauge org add "Air France" --alias "AF" --handle airfrance --hashtag airfrance \\
      --product "Flying Blue" --exclude "air france-klm shares"
  jauge org list --format json
"""
ENRICH_EPILOG = """
\b
Examples:
  jauge enrich                       # every item not yet enriched by these versions
  jauge enrich --org "Air France" --backend vader
"""
VOICE_EPILOG = """
\b
Examples:
  jauge voice --org "United" --org "Delta" --org "Southwest"
  jauge voice --org "Brand" --org "Rival" --from 2024-01-01 --to 2024-03-31 --format json
"""


@click.group("org", epilog=ORG_EPILOG)
def org_group() -> None:
    """Organisations and their dictionaries (names, handles, hashtags, products)."""


@org_group.command("add", epilog=ORG_EPILOG)
@click.argument("name")
@click.option("--alias", "aliases", multiple=True, metavar="TEXT", help="Repeatable.")
@click.option("--handle", "handles", multiple=True, metavar="HANDLE", help="Repeatable.")
@click.option("--hashtag", "hashtags", multiple=True, metavar="TAG", help="Repeatable.")
@click.option("--product", "products", multiple=True, metavar="NAME", help="Repeatable.")
@click.option(
    "--exclude",
    "excludes",
    multiple=True,
    metavar="PHRASE",
    help="Phrases that must not count as mentions (repeatable).",
)
@click.option(
    "--relation",
    type=click.Choice(RELATIONS),
    default=None,
    help="The user's own, a competitor (shown beside it in reports) or other. Default: own "
    "for a new organisation; an existing one keeps its relation.",
)
@db_option
@workspace_option
@format_option("table", "json")
def org_add_command(
    name: str,
    aliases: tuple[str, ...],
    handles: tuple[str, ...],
    hashtags: tuple[str, ...],
    products: tuple[str, ...],
    excludes: tuple[str, ...],
    relation: str | None,
    db: str | None,
    workspace: str | None,
    fmt: str,
) -> None:
    """Create an organisation (or add to its dictionary); its name always counts."""

    with opened(db, workspace, fmt) as handle:
        terms = handle.add_org(
            name,
            aliases=aliases,
            handles=handles,
            hashtags=hashtags,
            products=products,
            excludes=excludes,
            relation=relation,
        )
        # the whole dictionary, with what earlier calls added
        total = next(
            len(o["terms"])
            for o in handle.org_dictionaries()
            if o["name"].strip().lower() == name.strip().lower()
        )
    doubts = doubtful_entries(name, [(t["kind"], t["term"]) for t in terms])
    if fmt == "json":
        print_json({"org": name, "terms": terms, "entries": total, "warnings": doubts})
        return
    for doubt in doubts:
        console(stderr=True).print(_("[yellow]note:[/] {warning}", warning=literal(doubt)))
    console().print(
        _(
            "[bold]{name}[/]: {count} dictionary entries",
            name=literal(name),
            count=number(total, ","),
        )
    )


@org_group.command("list", epilog=ORG_EPILOG)
@db_option
@workspace_option
@format_option("table", "json")
def org_list_command(db: str | None, workspace: str | None, fmt: str) -> None:
    """The organisations of the workspace with their dictionaries."""

    with opened(db, workspace, fmt) as handle:
        orgs = handle.org_dictionaries()
    if fmt == "json":
        print_json(orgs)
        return
    if not orgs:
        console().print(_("No organisation yet: `jauge import` creates them from what it reads."))
        return
    table = new_table(_("Organisations"))
    for col in (_("name"), _("relation"), _("dictionary")):
        table.add_column(col, overflow="fold")
    for o in orgs:
        table.add_row(
            o["name"],
            _(o["relation"]),
            ", ".join(f"{_(KIND_LABELS[t['kind']])}:{t['term']}" for t in o["terms"]),
        )
    console().print(table)


@click.command("enrich", epilog=ENRICH_EPILOG)
@click.option("--org", metavar="ORG", help="Only this organisation's items.")
@click.option(
    "--backend",
    default=DEFAULT_BACKEND,
    show_default=True,
    metavar="NAME",
    callback=plugin("jauge.sentiment", N_("sentiment backend")),
    help="Sentiment backend (see `jauge sentiment --help`).",
)
@db_option
@workspace_option
@format_option("table", "json")
def enrich_command(
    org: str | None, backend: str, db: str | None, workspace: str | None, fmt: str
) -> None:
    """Language, sentiment and mentions for every stored item not yet enriched.

    Incremental and resumable: each batch is committed with a log of the versions
    that processed it, so a second run only does what is new.
    """

    with opened(db, workspace, fmt) as handle:
        progress, bar = counting_progress(_("enrich"))
        with progress:
            result = handle.enrich(org=org, backend=backend, progress=bar)
    if fmt == "json":
        print_json(result.to_dict())
    else:
        console().print(
            _(
                "enriched {count} items with [bold]{backend}[/]: languages {languages}; "
                "sentiment {sentiments}; mentions found: {mentions}",
                count=number(result.processed, ","),
                backend=literal(backend),
                languages=_counts(result.languages) or "—",
                sentiments=_counts({_(k): n for k, n in result.sentiments.items()}) or "—",
                mentions=number(result.mentions, ","),
            )
        )


#: the sentiment labels, as the reader's language says them
SENTIMENTS = (N_("negative"), N_("neutral"), N_("positive"))


def _counts(counts: dict[str, int]) -> str:
    """``en 248, und 2``: each key with its count, most first."""
    return ", ".join(
        f"{literal(k)} {number(n, ',')}"
        for k, n in sorted(counts.items(), key=lambda kn: (-kn[1], kn[0]))
    )


@click.command("voice", epilog=VOICE_EPILOG)
@click.option("--org", "orgs", multiple=True, required=True, metavar="ORG", help="Repeatable.")
@window_options
@db_option
@workspace_option
@format_option("table", "json")
def voice_command(
    orgs: tuple[str, ...],
    start: str | None,
    end: str | None,
    db: str | None,
    workspace: str | None,
    fmt: str,
) -> None:
    """Share of voice and net sentiment per organisation."""

    with opened(db, workspace, fmt) as handle:
        voice = handle.voice(list(orgs), start=_date(start, "--from"), end=_date(end, "--to"))
    data = voice.to_dict()
    if fmt == "json":
        print_json(data)
        return
    table = new_table(_("Share of voice, {start} to {end}", start=data["from"], end=data["to"]))
    for col in (N_("org"), N_("mentions"), N_("share"), "", N_("labelled"), N_("net sentiment")):
        table.add_column(
            _(col) if col else col,
            justify="left" if col in ("org", "") else "right",
            overflow="fold" if col == "org" else "ellipsis",
        )
    for o in data["orgs"]:
        share = o["share_of_voice"]
        bar = "█" * round((share or 0) * 30)
        table.add_row(
            o["org"],
            number(o["mentions"], ","),
            percent(share),
            bar,
            number(o["labelled"], ","),
            signed_number(o["net_sentiment"], "+.1f"),
        )
    console().print(table)


REGIONS_EPILOG = """
\b
Examples:
  jauge regions --org "United" --org "Delta"
  jauge regions --org "Brand" --by region --from 2024-01-01 --to 2024-03-31 --format json
"""


@click.command("regions", epilog=REGIONS_EPILOG)
@click.option("--org", "orgs", multiple=True, required=True, metavar="ORG", help="Repeatable.")
@window_options
@click.option(
    "--by",
    type=click.Choice(GROUPINGS),
    default="country",
    show_default=True,
    help="Group by country, or by region: US states, French and Belgian regions, Canadian "
    "provinces, Swiss cantons, UK nations (other countries whole).",
)
@click.option(
    "--limit",
    default=20,
    show_default=True,
    type=click.IntRange(min=1),
    help="Regions shown in the table (JSON lists them all).",
)
@db_option
@workspace_option
@format_option("table", "json")
def regions_command(
    orgs: tuple[str, ...],
    start: str | None,
    end: str | None,
    by: str,
    limit: int,
    db: str | None,
    workspace: str | None,
    fmt: str,
) -> None:
    """Where the mentions come from: per country (or region), with each organisation's
    share of voice and net sentiment there.

    A mention's place is where it was sent from, when the platform gave coordinates, else
    the location its author's profile gives (docs/listening.md); mentions whose place
    cannot be told are counted, not guessed."""

    with opened(db, workspace, fmt) as handle:
        orgs = tuple(handle.org_name(o) for o in orgs)  # as the store spells them
        found = handle.regions(
            list(orgs), start=_date(start, "--from"), end=_date(end, "--to"), by=by
        )
    data = found.to_dict()
    if fmt == "json":
        print_json(data)
        return
    table = new_table(
        _("Where the mentions come from, {start} to {end}", start=data["from"], end=data["to"])
    )
    table.add_column(_("region"), overflow="fold")
    table.add_column(_("mentions"), justify="right")
    for org in orgs:
        table.add_column(_("{org}: share, net sentiment", org=org), justify="right")
    lang = language()
    for region in found.regions[:limit]:
        place = Place(region.country, region.subdivision)
        cells = [
            f"{percent(o.share_of_voice, '.0f')}  {signed_number(o.net_sentiment, '+.1f')}"
            for o in region.orgs
        ]
        table.add_row(place_name(place, lang), number(region.mentions, ","), *cells)
    console().print(table)
    notes = [
        _(
            "{located} of {mentions} mentions have a place (their coordinates, or their "
            "author's profile location)",
            located=number(found.located, ","),
            mentions=number(found.mentions, ","),
        )
    ]
    if len(found.regions) > limit:
        notes.append(
            _("{count} more regions: --limit, or --format json", count=len(found.regions) - limit)
        )
    for note in notes:
        console().print(literal(note))


TOPICS_EPILOG = """
\b
Examples:
  jauge topics --org "United"
  jauge topics --org "Brand" --from 2024-03-01 --to 2024-03-31 --limit 10 --format json
"""


@click.command("topics", epilog=TOPICS_EPILOG)
@click.option(
    "--org",
    required=True,
    metavar="ORG",
    help="The organisation whose posts and mentions are read.",
)
@window_options
@click.option(
    "--limit", default=20, show_default=True, type=click.IntRange(min=1), help="Terms per list."
)
@db_option
@workspace_option
@format_option("table", "json")
def topics_command(
    org: str,
    start: str | None,
    end: str | None,
    limit: int,
    db: str | None,
    workspace: str | None,
    fmt: str,
) -> None:
    """Top terms and phrases about an organisation, and those rising fastest."""

    with opened(db, workspace, fmt) as handle:
        found = handle.topics(
            org, start=_date(start, "--from"), end=_date(end, "--to"), limit=limit
        )
    data = found.to_dict()
    if fmt == "json":
        print_json(data)
        return
    out = console()
    out.print(
        _(
            "[bold]{org}[/], {start} to {end}: {items} items ({previous} in the previous period)",
            org=literal(data["org"]),
            start=data["from"],
            end=data["to"],
            items=number(data["items"], ","),
            previous=number(data["previous_items"], ","),
        )
    )
    if not data["top"]:
        out.print(_("No term comes up again in these items (they may have no text)."))
        return
    top = new_table(_("Top terms"))
    for col in (N_("term"), N_("items"), N_("share")):
        top.add_column(_(col), justify="left" if col == "term" else "right")
    for t in data["top"]:
        top.add_row(t["term"], number(t["items"], ","), percent(t["share"]))
    out.print(top)
    if data["rising"]:
        rising = new_table(_("Rising against the previous period"))
        for col in (N_("term"), N_("items"), N_("before"), N_("growth")):
            rising.add_column(_(col), justify="left" if col == "term" else "right")
        for t in data["rising"]:
            rising.add_row(
                t["term"],
                number(t["items"], ","),
                number(t["previous"], ","),
                "x" + number(t["growth"], ".1f"),
            )
        out.print(rising)
