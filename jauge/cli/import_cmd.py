"""``jauge import``: load export files and feeds into the store."""

from __future__ import annotations

import sys
from datetime import datetime
from typing import Any

import click

from ..i18n import N_, _, _n, localised, number
from .options import db_option, format_option, plugin, workspace_option
from .output import (
    EXIT_REFUSED,
    console,
    literal,
    new_table,
    opened,
    print_json,
    progress_bars,
    styled,
)

EPILOG = """
\b
Examples:
  jauge import dataset_Facebook.csv --source facebook-insights --org "Brand" --year 2014
  jauge import Tweets.csv --source tweets-csv          # one organisation per airline
  jauge import tweet_activity_metrics_brand.csv --source x-analytics --org "Brand"
  jauge import export.csv.gz --source posts-csv --platform mastodon --map toot_id=id
  jauge import https://example.org/feed.xml --source rss --org "Brand"
  jauge import a.csv b.csv --source posts-csv --format json
"""


def _mapping(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> Any:
    from jauge.errors import ConfigError
    from jauge.sources.base import parse_mapping

    try:
        return parse_mapping(value)
    except ConfigError as exc:
        raise click.UsageError(str(exc), ctx) from None


def _observed_at(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    from jauge.ingest import parse_when

    try:
        return parse_when(value)
    except ValueError:
        raise click.UsageError(
            _(
                "--observed-at takes an ISO date or date-time (e.g. 2015-01-12 or "
                "2015-01-12T18:00), got {value}",
                value=repr(value),
            ),
            ctx,
        ) from None


_SOURCES = plugin("jauge.sources", N_("source"))


def _known_source(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A source jauge has; else the known ones, and where each is described, said after
    the name refused (not between "no source" and the name)."""
    try:
        known: str | None = _SOURCES(ctx, param, value)
    except click.BadParameter as exc:
        raise click.BadParameter(
            _("{refusal} (see `jauge sources`)", refusal=exc.message)
        ) from None
    return known


def _encoding(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A text encoding Python knows; base64 and the like are codecs, not encodings."""
    if value is None:
        return None
    try:
        b"a".decode(value)  # an empty text would be decoded without looking the codec up
    except UnicodeError:
        pass  # a text encoding, and not one for this text
    except LookupError:
        raise click.BadParameter(
            _(
                "unknown text encoding {value} (utf-8, utf-8-sig, cp1252, latin-1...)",
                value=repr(value),
            )
        ) from None
    return value


def _delimiter(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """One character; ``\\t`` as typed in most shells (where $'\\t' is a tab) is a tab."""
    if value is None:
        return None
    if value == "\\t":
        return "\t"
    if len(value) != 1 or value in '"\r\n':
        raise click.BadParameter(
            _(
                "takes one character (a tab: '\\t'), not the quote or a line end; got {value}",
                value=repr(value),
            )
        )
    return value


#: the columns of the summary, and the statuses of a file
COLUMNS = (N_("file"), N_("status"), N_("inserted"), N_("updated"), N_("unchanged"), N_("invalid"))
STATUSES = (N_("written"), N_("rejected"))


@click.command("import", epilog=EPILOG)
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option(
    "--source",
    "source",
    default=None,
    metavar="NAME",
    callback=_known_source,
    help="Which importer reads the files (see `jauge sources`). Default: the one each "
    "file's content fits, when exactly one does.",
)
@click.option("--org", metavar="ORG", help="Organisation the data belongs to or mentions.")
@workspace_option
@click.option("--platform", metavar="P", help="Platform of the data (x, facebook, mastodon...).")
@click.option("--account", metavar="HANDLE", help="The organisation's account on that platform.")
@click.option("--year", type=int, help="Year of exports that give only month, weekday and hour.")
@click.option(
    "--followers",
    type=click.IntRange(min=0),
    metavar="N",
    help="The account's followers (fans, subscribers) when the posts were made, for exports "
    "that do not give it: the index's denominator and size band, never a score.",
)
@click.option(
    "--map",
    "mapping",
    multiple=True,
    metavar="COLUMN=FIELD",
    callback=_mapping,
    help="Read COLUMN as FIELD (repeatable).",
)
@click.option(
    "--encoding",
    metavar="NAME",
    callback=_encoding,
    help="Text encoding (default: detected; UTF-8, UTF-8 or UTF-16 with BOM, cp1252, latin-1).",
)
@click.option(
    "--delimiter",
    metavar="CHAR",
    callback=_delimiter,
    help="CSV delimiter, one character; '\\t' is a tab (default: detected).",
)
@click.option(
    "--observed-at",
    metavar="WHEN",
    callback=_observed_at,
    help="When the export's counts were observed: the date it was downloaded, or a date-time "
    "(UTC unless it has an offset); default: now. Give two exports of the same day each its "
    "time (e.g. 2015-01-12T18:00) to order them. Not more than a day after now.",
)
@click.option(
    "--skip-invalid",
    is_flag=True,
    help="Write the valid rows and report the invalid ones, instead of nothing.",
)
@db_option
@format_option("table", "json")
def import_command(
    paths: tuple[str, ...],
    source: str | None,
    org: str | None,
    workspace: str | None,
    platform: str | None,
    account: str | None,
    year: int | None,
    followers: int | None,
    mapping: dict[str, str],
    encoding: str | None,
    delimiter: str | None,
    observed_at: datetime | None,
    skip_invalid: bool,
    db: str | None,
    fmt: str,
) -> None:
    """Import export files or feeds; each file is written whole or not at all.

    Re-importing a file adds nothing; importing a newer export of the same
    posts adds a metric snapshot where a value changed. Invalid rows are listed
    with their file, line and field.
    """
    from jauge.errors import ConfigError, ConnectorError, UsageError
    from jauge.ingest import refused_alone
    from jauge.sources.base import ImportOptions

    with opened(db, workspace, fmt) as handle:
        progress, factory = progress_bars()
        try:
            with progress:
                result = handle.import_file(
                    list(paths),
                    source,
                    org=org,
                    platform=platform,
                    account=account,
                    year=year,
                    followers=followers,
                    mapping=mapping,
                    encoding=encoding,
                    delimiter=delimiter,
                    skip_invalid=skip_invalid,
                    observed_at=observed_at,
                    progress=factory,
                )
        except UsageError:
            raise
        except (ConfigError, ConnectorError) as exc:
            # one file the library refuses whole (an option it needs, a URL that cannot
            # be reached): the same summary, the file rejected, as in a batch
            options = ImportOptions(org=org, workspace=handle.workspace)
            read_as = exc.source or source
            result = refused_alone(handle.store, paths[0], read_as, options, str(exc))
    if fmt == "json":
        print_json(result.to_dict())
    else:
        _render(result)
    if not result.ok:
        sys.exit(EXIT_REFUSED)


def _render(result: Any) -> None:
    out = console()
    table = new_table(_("Import"))
    for name in COLUMNS:
        table.add_column(
            _(name),
            justify="left" if name in ("file", "status") else "right",
            overflow="fold" if name == "file" else "ellipsis",
        )
    for f in result.files:
        style = "green" if f.status == "written" else "red"
        table.add_row(
            f.path,
            styled(_(f.status), style),
            number(f.inserted, ","),
            number(f.updated, ","),
            number(f.unchanged, ","),
            number(f.invalid, ","),
        )
    out.print(table)
    err = console(stderr=True)
    for f in result.files:
        for warning in f.warnings:
            err.print(
                _(
                    "[yellow]note:[/] {path}: {warning}",
                    path=literal(f.path),
                    warning=literal(localised(warning)),
                )
            )
        if f.errors:
            verdict = (
                _("nothing from this file was written")
                if f.status == "rejected"
                else _("these rows were skipped")
            )
            err.print(
                _n(
                    N_("[red]{count} error in {path}[/] ({verdict}):"),
                    N_("[red]{count} errors in {path}[/] ({verdict}):"),
                    f.error_count,
                    count=number(f.error_count, ","),
                    path=literal(f.path),
                    verdict=verdict,
                )
            )
            for e in f.errors:
                err.print(f"  {e}", markup=False)
            if f.error_count > len(f.errors):
                more = f.error_count - len(f.errors)
                err.print(_("  ... and {count} more", count=number(more, ",")))
            if f.status == "rejected" and f.invalid and f.invalid < f.rows:
                # with no valid row at all, --skip-invalid would import nothing
                err.print(_("  Fix the rows, or pass --skip-invalid to import the valid ones."))
