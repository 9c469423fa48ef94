"""``jauge score`` and ``jauge compare``: the Jauge Index with its breakdown and uncertainty."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import click

from ..i18n import N_, _, elided, number, signed_number
from .options import (
    day,
    db_option,
    format_option,
    index_version,
    plugin,
    window_options,
    workspace_option,
)
from .output import console, fitted, literal, marked_up, new_table, opened, print_json, styled

SCORE_EPILOG = """
\b
Examples:
  jauge score --org "Brand"                       # the 90 days up to the latest item
  jauge score --org "Brand" --from 2014-10-01 --to 2014-12-31 --format json
  jauge score --org "Brand" --campaign "Summer sale"
  jauge score --org "Brand" --engine spark        # same figures, on Apache Spark
"""

COMPARE_EPILOG = """
\b
Examples:
  jauge compare --by period --org "Brand" --every month
  jauge compare --by org --org "Brand" --org "Competitor" --format csv
  jauge compare --by campaign --org "Brand" --format json
  jauge compare --by campaign --from 2024-01-01 --to 2024-06-30   # campaigns in those days
  jauge compare --by org --index-version jauge-index/1.0.0
"""


def engine_option(f: Any) -> Any:
    return click.option(
        "--engine",
        default="duckdb",
        show_default=True,
        metavar="NAME",
        callback=plugin("jauge.engines", N_("engine")),
        help="Engine computing the statistics: duckdb (embedded) or spark.",
    )(f)


def index_version_option(f: Any) -> Any:
    return click.option(
        "--index-version",
        default=None,
        metavar="VERSION",
        callback=index_version,
        help="Index version to compute (default: the latest).",
    )(f)


def _date(value: str | None, option: str) -> date | None:
    from jauge.errors import UsageError

    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise UsageError(
            _(
                "{option} takes a date like 2024-03-31, got {value}",
                option=option,
                value=repr(value),
            )
        ) from exc


@click.command("score", epilog=SCORE_EPILOG)
@click.option("--org", required=True, metavar="ORG", help="The organisation to measure.")
@click.option(
    "--account",
    metavar="HANDLE",
    help="Only this account of the organisation (PLATFORM:HANDLE where it has that handle "
    "on several platforms, e.g. x:brand).",
)
@click.option("--campaign", metavar="NAME", help="Only this campaign (see `jauge campaign add`).")
@window_options
@engine_option
@index_version_option
@db_option
@workspace_option
@format_option("table", "json")
def score_command(
    org: str,
    account: str | None,
    campaign: str | None,
    start: str | None,
    end: str | None,
    engine: str,
    index_version: str | None,
    db: str | None,
    workspace: str | None,
    fmt: str,
) -> None:
    """The Jauge Index of an organisation, account or campaign, with its breakdown."""
    from jauge.metrics.spec import LATEST

    with opened(db, workspace, fmt) as handle:
        result = handle.score(
            org,
            account=account,
            campaign=campaign,
            start=_date(start, "--from"),
            end=_date(end, "--to"),
            engine=engine,
            version=index_version or LATEST,
        )
    if fmt == "json":
        print_json(result.to_dict())
    else:
        render_score(result)


#: what a row of `jauge compare` is (its --by), and the length of its periods (--every)
UNITS = (N_("period"), N_("campaign"), N_("org"))
PERIODS = [N_("month"), N_("quarter")]


def _fmt(x: float | None, digits: int = 1) -> str:
    # a negative value (net sentiment) with the minus sign French writes, as the notebook
    return signed_number(x, f".{digits}f")


def _interval(iv: Any) -> str:
    return "" if not iv else _("[{low}, {high}]", low=number(iv[0]), high=number(iv[1]))


def _bar(score: float | None, width: int = 20) -> str:
    if score is None:
        return ""
    filled = round(score / 100 * width)
    return "█" * filled + "·" * (width - filled)


def _breakdown(result: Any, spec: Any, level: str, bars: bool) -> Any:
    """The score of each pillar and component. Figures are never cut short: on a narrow
    terminal the names wrap (indented under their pillar)."""
    from rich.padding import Padding

    from jauge.metrics.labels import label

    table = new_table()
    table.add_column(_("pillar / component"))
    for col in (
        _("score"),
        _("{level}% interval", level=level),
        _("value"),
        "n",
        _("weight"),
        *([""] if bars else []),
    ):
        numeric = col in (_("score"), _("value"), "n")
        table.add_column(col, justify="right" if numeric else "left", no_wrap=True)
    for pillar in spec.pillars:
        p = result.pillars[pillar.name]
        weight = p.detail.get("effective_weight", 0) or 0
        table.add_row(
            styled(label(pillar.name), "bold"),
            _fmt(p.score),
            _interval(p.interval),
            "",
            "",
            _fmt(weight, 2) if p.score is not None else "—",
            *([_bar(p.score, 12)] if bars else []),
        )
        for indicator in pillar.indicators:
            c = result.components.get(indicator.name)
            name = Padding(label(indicator.name), (0, 0, 0, 2))
            if c is None:
                no_data = marked_up(_("[dim]no data[/]"))
                table.add_row(name, "—", no_data, "", "", "", *([""] if bars else []))
                continue
            table.add_row(
                name,
                _fmt(c.score),
                _interval(c.interval),
                _fmt(c.value, 3),
                number(c.n, ",.0f"),  # grouped, as every count (and the dashboard's n)
                _fmt(indicator.weight, 2),
                *([_bar(c.score, 12)] if bars else []),
            )
    return table


def render_score(result: Any) -> None:
    out = console()
    scope = result.scope
    what = scope["org"] + (f" / {scope['account']}" if scope["account"] else "")
    what += _(" / campaign {name}", name=scope["campaign"]) if scope["campaign"] else ""
    out.print(
        elided(
            _(
                "[bold]Jauge Index[/] of [cyan]{what}[/], {start} to {end} ({version}, panel "
                "{panel})",
                what=literal(what),
                start=scope["from"],
                end=scope["to"],
                version=literal(result.index_version),
                panel=literal(result.panel),
            ),
            literal(what),
        )
    )
    from jauge.metrics.labels import note
    from jauge.metrics.spec import load_spec

    spec = load_spec(result.index_version)
    level = number(spec.level * 100, "g")
    if result.score is None:
        out.print(_("[red]no score[/]: see the notes below"))
    else:
        out.print(
            _(
                "  [bold]{score}[/] / 100   {level}% interval {interval}   {bar}",
                score=_fmt(result.score),
                level=level,
                interval=literal(_interval(result.interval)),
                bar=_bar(result.score),
            )
        )
    if result.pillars:  # a campaign too short for the index has none: its note says why
        out.print(fitted(lambda bars: _breakdown(result, spec, level, bars)))
    err = console(stderr=True)
    for warning in result.warnings:
        err.print(_("[yellow]note:[/] {warning}", warning=literal(note(warning))))
    if result.fingerprint:  # none for a campaign too short for the index
        out.print(
            _(
                "[dim]fingerprint {fingerprint}…  engine {engine}[/]",
                fingerprint=result.fingerprint[:16],
                engine=result.sources_and_methods["engine"],
            )
        )


@click.command("compare", epilog=COMPARE_EPILOG)
@click.option(
    "--by",
    type=click.Choice(["period", "campaign", "org"]),
    required=True,
    help="What each row is.",
)
@click.option(
    "--org",
    "orgs",
    multiple=True,
    metavar="ORG",
    help="Organisations (repeatable; default: all in the workspace).",
)
@click.option(
    "--every",
    type=click.Choice(PERIODS),
    default="quarter",
    show_default=True,
    help="Period length with --by period.",
)
@click.option(
    "--from",
    "start",
    metavar="DATE",
    callback=day,
    help="First day considered (with --by campaign: the campaigns running on any day from "
    "--from to --to, each measured over its own period).",
)
@click.option("--to", "end", metavar="DATE", callback=day, help="Last day considered.")
@engine_option
@index_version_option
@db_option
@workspace_option
@format_option("table", "json", "csv")
def compare_command(
    by: str,
    orgs: tuple[str, ...],
    every: str,
    start: str | None,
    end: str | None,
    engine: str,
    index_version: str | None,
    db: str | None,
    workspace: str | None,
    fmt: str,
) -> None:
    """Periods, campaigns or organisations side by side, significant changes marked."""
    from jauge.metrics.spec import LATEST

    with opened(db, workspace, fmt) as handle:
        comparison = handle.compare(
            by,
            list(orgs),
            every=every,
            start=_date(start, "--from"),
            end=_date(end, "--to"),
            engine=engine,
            version=index_version or LATEST,
        )
    data = comparison.to_dict()
    if fmt == "json":
        print_json(data)
    elif fmt == "csv":
        click.echo(_csv(data), nl=False)
    else:
        _render_compare(data)


def _csv(data: dict[str, Any]) -> str:
    pillars = sorted({p for row in data["rows"] for p in row["pillars"]})
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(
        [
            "unit",
            "org",
            "campaign",
            "from",
            "to",
            "score",
            "low",
            "high",
            *pillars,
            "delta",
            "significant",
            "verdict",
            "note",
        ]
    )
    for row in data["rows"]:
        iv = row["interval"] or [None, None]
        change = row["change"] or {}
        w.writerow(
            [
                row["unit"],
                row["org"],
                row["campaign"],
                row["from"],
                row["to"],
                row["score"],
                iv[0],
                iv[1],
                *(row["pillars"].get(p) for p in pillars),
                change.get("delta"),
                change.get("significant"),
                change.get("verdict"),
                # why a row has no score (a short period, an organisation without items or
                # without any in the window), as its JSON warnings say first; kept in
                # English, as the verdict
                _why_unscored(row),
            ]
        )
    return buf.getvalue()


def _why_unscored(row: dict[str, Any]) -> str | None:
    """Why a row of a comparison has no score: its first warning (None for a scored row)."""
    return row["warnings"][0] if row["score"] is None and row["warnings"] else None


def _render_compare(data: dict[str, Any]) -> None:
    from jauge.metrics.labels import note

    console().print(fitted(lambda bars: _comparison(data, bars)))
    err = console(stderr=True)
    for row in data["rows"]:
        if row["fingerprint"] is None:  # not computed at all: say why
            for warning in row["warnings"]:
                err.print(_("[yellow]note:[/] {warning}", warning=literal(note(warning))))
        elif (why := _why_unscored(row)) is not None:  # measured, without a score: the reason
            err.print(_("[yellow]note:[/] {warning}", warning=literal(note(why))))


def _comparison(data: dict[str, Any], bars: bool) -> Any:
    """One row per period, campaign or organisation; as the breakdown, the figures stay
    whole and the bars are only a picture of the scores."""
    from jauge.metrics.spec import load_spec

    level = number(load_spec(data["index_version"]).level * 100, "g")
    table = new_table(
        _("Jauge Index by {by} ({version})", by=_(data["by"]), version=data["index_version"])
    )
    table.add_column(_("unit"), overflow="fold")
    for col in (_("from"), _("to"), _("score"), _("{level}% interval", level=level)):
        table.add_column(col, justify="right" if col == _("score") else "left", no_wrap=True)
    if bars:
        table.add_column("", no_wrap=True)
    table.add_column(_("change"))
    for row in data["rows"]:
        change = row["change"]
        verdict = ""
        if change:
            colour = "green" if change["delta"] > 0 else "red"
            said = f"{number(change['delta'], '+.1f')} {_(change['verdict'])}"
            verdict = styled(said, colour) if change["significant"] else said
        table.add_row(
            row["unit"],
            row["from"],
            row["to"],
            _fmt(row["score"]),
            _interval(row["interval"]),
            *([_bar(row["score"], 12)] if bars else []),
            verdict,
        )
    return table
