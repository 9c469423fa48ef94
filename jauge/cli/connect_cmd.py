"""``jauge connect`` and ``jauge sync``: live sources, configured once, synced incrementally."""

from __future__ import annotations

import sys

import click

from ..i18n import N_, _, localised, number
from .options import db_option, format_option, workspace_option
from .output import (
    EXIT_REFUSED,
    console,
    json_text,
    literal,
    new_table,
    opened,
    print_json,
    reported,
)

#: how the last sync of a connection ended, in words
SYNC_STATUSES = {
    "written": N_("written"),
    "not_modified": N_("not modified"),
    "failed": N_("failed"),
    "rejected": N_("rejected"),
}

EPILOG = """
\b
Examples:
  jauge connect add lemonde --kind rss --url https://example.org/rss.xml --org "Le Monde"
  jauge connect add acme-tag --kind mastodon --instance https://example.social --hashtag acme
  jauge connect add acme --kind mastodon --instance https://example.social --account acme \\
      --token-env MASTODON_TOKEN --org Acme
  jauge connect add acme-bsky --kind bluesky --actor acme.bsky.social --org Acme
  jauge connect add r-acme --kind reddit --subreddit acme   # REDDIT_CLIENT_ID/_SECRET
  jauge connect list
  jauge sync                      # every connection of the workspace, incrementally
  jauge sync --workspace client-a # a workspace's
  jauge sync --all-workspaces     # every workspace's: an agency's one cron line
  jauge sync lemonde --format json
  jauge connect remove lemonde
"""


@click.group("connect", epilog=EPILOG)
def connect_group() -> None:
    """Connections to live sources: RSS/Atom feeds, Mastodon, Bluesky and Reddit."""


@connect_group.command("add", epilog=EPILOG)
@click.argument("name")
@click.option("--kind", required=True, metavar="KIND", help="A source that syncs (e.g. rss).")
@click.option("--url", metavar="URL", help="rss: the feed's address.")
@click.option("--instance", metavar="URL", help="mastodon: the instance's address.")
@click.option("--hashtag", metavar="TAG", help="mastodon: a hashtag's timeline.")
@click.option("--account", metavar="HANDLE", help="mastodon: the organisation's account.")
@click.option("--subreddit", metavar="NAME", help="reddit: a subreddit.")
@click.option("--auth-url", metavar="URL", help="reddit: the token address.")
@click.option("--service", metavar="URL", help="bluesky, reddit: the API address.")
@click.option("--actor", metavar="HANDLE", help="bluesky: an author's feed.")
@click.option("--query", metavar="TEXT", help="mastodon, bluesky, reddit: a search.")
@click.option(
    "--token-env",
    metavar="VAR",
    help="Environment variable holding an access token (never stored).",
)
@click.option("--org", metavar="ORG", help="Organisation the collected items are about.")
@db_option
@workspace_option
@format_option("table", "json")
def add_command(
    name: str,
    kind: str,
    url: str | None,
    instance: str | None,
    hashtag: str | None,
    account: str | None,
    subreddit: str | None,
    auth_url: str | None,
    service: str | None,
    actor: str | None,
    query: str | None,
    token_env: str | None,
    org: str | None,
    db: str | None,
    workspace: str | None,
    fmt: str,
) -> None:
    """Configure a connection (configuring it again replaces it)."""
    from jauge import settings
    from jauge.sources.connections import add_connection, check_connection

    options = {
        "url": url,
        "instance": instance,
        "hashtag": hashtag,
        "account": account,
        "service": service,
        "actor": actor,
        "query": query,
        "subreddit": subreddit,
        "auth_url": auth_url,
        "token_env": token_env,
    }
    with reported(fmt):  # refused before the store is opened: none is made for nothing
        check_connection(name, kind, org, options)
    with opened(db, workspace, fmt) as handle:
        added = add_connection(handle.store, handle.workspace, name, kind, org, options)
    if fmt == "json":
        print_json(added)
    else:
        # the sync it suggests must find the connection: in its workspace, named
        named = handle.workspace != settings.WORKSPACE.default
        console().print(
            _(
                "connection [bold]{name}[/] ({kind}) added; run `jauge sync {name} "
                "--workspace {workspace}`",
                name=literal(name),
                kind=kind,
                workspace=literal(handle.workspace),
            )
            if named
            else _(
                "connection [bold]{name}[/] ({kind}) added; run `jauge sync {name}`",
                name=literal(name),
                kind=kind,
            )
        )


@connect_group.command("list", epilog=EPILOG)
@db_option
@workspace_option
@format_option("table", "json")
def list_command(db: str | None, workspace: str | None, fmt: str) -> None:
    """The connections, with their last sync and error."""
    from jauge.sources.connections import list_connections

    with opened(db, workspace, fmt) as handle:
        found = list_connections(handle.store, handle.workspace)
    if fmt == "json":
        print_json(found)
        return
    if not found:
        console().print(_("No connection yet: `jauge connect add` adds one."))
        return
    table = new_table(_("Connections"))
    for col in (
        _("name"),
        _("kind"),
        _("org"),
        _("options"),
        _("last sync"),
        _("status"),
        _("items"),
    ):
        table.add_column(col, overflow="fold")
    for c in found:
        table.add_row(
            c["name"],
            c["kind"],
            c["org"] or "",
            ", ".join(c["options"].values()),
            # to the second: the store keeps microseconds no reader needs
            c["last_sync_at"][:19].replace("T", " ") if c["last_sync_at"] else _("never"),
            localised(c["last_error"] or "") or _(SYNC_STATUSES.get(c["last_status"], "")),
            number(c["items_seen"], ","),
        )
    console().print(table)


@connect_group.command("remove", epilog=EPILOG)
@click.argument("name")
@db_option
@workspace_option
@format_option("table", "json")
def remove_command(name: str, db: str | None, workspace: str | None, fmt: str) -> None:
    """Remove a connection (the items it collected stay)."""
    from jauge.sources.connections import remove_connection

    with opened(db, workspace, fmt) as handle:
        remove_connection(handle.store, handle.workspace, name)
    if fmt == "json":
        print_json({"removed": name})
    else:
        console().print(_("connection [bold]{name}[/] removed", name=literal(name)))


@click.command("sync", epilog=EPILOG)
@click.argument("names", nargs=-1, metavar="[NAME]...")
@click.option(
    "--every", metavar="DURATION", help="Keep syncing every DURATION (30s, 15m, 1h) until Ctrl-C."
)
@click.option(
    "--all-workspaces",
    is_flag=True,
    help="Every connection of every workspace (an agency's one cron line); each result "
    "names its workspace.",
)
@db_option
@workspace_option
@format_option("table", "json")
def sync_command(
    names: tuple[str, ...],
    every: str | None,
    all_workspaces: bool,
    db: str | None,
    workspace: str | None,
    fmt: str,
) -> None:
    """Collect what is new from the connections (all of them by default).

    Prints a line per connection as it finishes; with --format json, one summary object
    like `jauge import`'s, with a `connections` list (with --every, one such object per
    round, each on one line: JSON Lines). Exit
    status 1 if one failed. Ctrl-C lets the connection being synced finish, then exits;
    with --every, Ctrl-C between rounds stops at once, with status 0.
    """
    import signal
    import threading

    import jauge
    from jauge.sources.connections import parse_every, sync, sync_everywhere

    if all_workspaces and (names or workspace):
        raise click.UsageError(
            _("--all-workspaces syncs every connection: give no NAME nor --workspace with it")
        )

    err = console(stderr=True)

    def line(c):  # type: ignore[no-untyped-def]
        if c.status == "written" and c.result is not None:
            r = c.result
            err.print(
                _(
                    "[green]✓[/] {name}: {inserted} new, {updated} updated, {unchanged} unchanged",
                    name=literal(c.shown),
                    inserted=number(r.inserted, ","),
                    updated=number(r.updated, ","),
                    unchanged=number(r.unchanged, ","),
                )
            )
            for warning in r.warnings:  # what was read with a flaw, as import says it
                err.print(
                    _(
                        "[yellow]note:[/] {path}: {warning}",
                        path=literal(c.shown),
                        warning=literal(localised(warning)),
                    )
                )
        elif c.status == "not_modified":
            err.print(_("[green]✓[/] {name}: not modified", name=literal(c.shown)))
        else:
            # the mark is markup; the name and the message are text, whatever they hold
            err.print(f"[red]✗[/] {literal(c.shown)}: {literal(localised(c.message or ''))}")

    stopping = threading.Event()
    # a round under way lets its connection finish; a stop between rounds cuts nothing
    # short, so it ends at once, with status 0 (the rounds' failures were reported then)
    syncing = threading.Event()
    stopped_idle = threading.Event()

    def request_stop(signum, frame):  # type: ignore[no-untyped-def]
        if stopping.is_set():
            raise KeyboardInterrupt
        if syncing.is_set():
            err.print(_("stopping after the current connection (Ctrl-C again to abort)"))
        else:
            stopped_idle.set()
        stopping.set()

    ok = True
    with reported(fmt):
        interval = parse_every(every) if every else None
        handle = jauge.open(db, workspace=workspace)
        # a service manager stops it with SIGTERM: the same graceful stop as Ctrl-C, so
        # both end with status 0 between connections (twice: abort, status 130)
        previous = signal.signal(signal.SIGINT, request_stop)
        previous_term = signal.signal(signal.SIGTERM, request_stop)
        try:
            while True:
                syncing.set()
                try:
                    if all_workspaces:
                        result = sync_everywhere(handle.store, on_done=line, stop=stopping.is_set)
                    else:
                        result = sync(
                            handle.store,
                            handle.workspace,
                            list(names) or None,
                            on_done=line,
                            stop=stopping.is_set,
                        )
                finally:
                    syncing.clear()
                ok = ok and result.ok
                if not result.connections and not names and not stopping.is_set():
                    # said once a round: a cron job's log then shows why nothing came
                    err.print(_("No connection yet: `jauge connect add` adds one."))
                if fmt == "json" and interval is None:
                    print_json(result.to_dict())
                elif fmt == "json":  # a document per round, each on its line: JSON Lines
                    click.echo(json_text(result.to_dict()))
                if interval is None or stopping.wait(interval):
                    break
        finally:
            signal.signal(signal.SIGINT, previous)
            signal.signal(signal.SIGTERM, previous_term)
            handle.close()
    if interval is not None and stopped_idle.is_set():
        err.print(_("sync stopped while waiting for the next round"))
        return
    if not ok:
        sys.exit(EXIT_REFUSED)
