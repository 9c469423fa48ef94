"""``jauge report``: the executive report of an organisation, one HTML file to share."""

from __future__ import annotations

import sys

import click

from ..i18n import LANGUAGES, _, elided
from .options import db_option, destination, format_option, window_options, workspace_option
from .output import console, literal, opened, print_json, reported
from .score_cmd import _date, index_version_option
from .value_cmd import _amount

REPORT_EPILOG = """
\b
Examples:
  jauge report --org "Brand"                         # the 90 days up to the latest item
  jauge report --org "Brand" --vs "Rival" --from 2024-01-01 --to 2024-03-31 --lang fr
  jauge report --org "Brand" --campaign "Summer sale"
  jauge report --org "Brand" --conversion-value 40   # web analytics without revenue
  jauge report --org "Brand" --index-version jauge-index/1.0.0 --workspace client-a
  jauge report --org "Brand" --output brand.pdf       # printed by Chromium, Chrome or Edge
  jauge report --org "Brand" --output - > brand.html
"""


@click.command("report", epilog=REPORT_EPILOG)
@click.option("--org", required=True, metavar="ORG", help="The organisation to report on.")
@click.option(
    "--vs",
    "versus",
    multiple=True,
    metavar="ORG",
    help="Another organisation to show side by side (repeatable). Default: the workspace's "
    "competitors (`jauge org add NAME --relation competitor`).",
)
@click.option(
    "--campaign", metavar="NAME", help="Report on this campaign (see `jauge campaign add`)."
)
@window_options
@click.option(
    "--every",
    type=click.Choice(["quarter", "month"]),
    default="quarter",
    show_default=True,
    help="Periods of the trend.",
)
@click.option(
    "--lang",
    type=click.Choice(list(LANGUAGES)),
    default=None,
    help="Language of the report (default: yours, from JAUGE_LANG or the locale).",
)
@click.option("--names", is_flag=True, help="Show people's handles instead of pseudonyms.")
@click.option(
    "--conversion-value",
    callback=_amount,
    metavar="AMOUNT",
    help="What one conversion is worth, where the exports give no revenue.",
)
@click.option(
    "--output",
    "-o",
    metavar="PATH",
    callback=destination,
    help="Where to write it (default: jauge-report-SLUG-LASTDAY.html here, SLUG being the "
    "organisation's name, and the campaign's, lower-cased with a hyphen for each run of spaces "
    "and punctuation: jauge-report-air-france-2024-03-31.html; past 120 bytes, cut and ended "
    "by 8 characters of its hash). A name ending in .pdf prints it to PDF with Chromium, "
    "Chrome or Edge; - writes the HTML to standard output.",
)
@index_version_option
@db_option
@workspace_option
@format_option("table", "json")
def report_command(
    org: str,
    versus: tuple[str, ...],
    campaign: str | None,
    start: str | None,
    end: str | None,
    every: str,
    lang: str | None,
    names: bool,
    conversion_value: float | None,
    output: str | None,
    index_version: str | None,
    db: str | None,
    workspace: str | None,
    fmt: str,
) -> None:
    """The executive report of an organisation: one HTML file to share or print."""
    from jauge.metrics.spec import LATEST

    if output == "-" and fmt == "json":
        raise click.UsageError(
            _(
                "--output - writes the report itself to standard output, where --format json "
                "writes its summary: give --output a file name, or leave out --format json"
            )
        )
    with opened(db, workspace, fmt) as handle:
        report = handle.report(
            org,
            start=_date(start, "--from"),
            end=_date(end, "--to"),
            versus=versus or None,
            lang=lang,
            names=names,
            every=every,
            campaign=campaign,
            version=index_version or LATEST,
            conversion_value=conversion_value,
        )
    if output == "-":
        sys.stdout.write(report.html)
        return
    target = output or report.default_name()
    with reported(fmt):  # a browser missing or failing, a file that cannot be written
        path = report.save(target)  # absolute, HTML or PDF alike
    score = report.figures["score"]
    org = score["scope"]["org"]  # as the store spells it, however it was typed
    if fmt == "json":
        print_json(
            {
                "path": str(path),
                "org": org,
                "from": score["scope"]["from"],
                "to": score["scope"]["to"],
                "lang": report.lang,
                "score": score["score"],
                "interval": score["interval"],
                "index_version": score["index_version"],
                "fingerprint": score["fingerprint"],
            }
        )
        return
    said = (
        _("Report of [bold]{org}[/] ({start} to {end}) printed to PDF in {path}.")
        if path.suffix.lower() == ".pdf"
        else _(
            "Report of [bold]{org}[/] ({start} to {end}) written to {path}: open it in a "
            "browser, or print it to PDF from there."
        )
    )
    console().print(
        elided(
            said.format(
                org=literal(org),
                start=score["scope"]["from"],
                end=score["scope"]["to"],
                path=literal(target),  # as the user named it
            ),
            literal(org),
        ),
        markup=True,
        highlight=False,
    )
