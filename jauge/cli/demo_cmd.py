"""``jauge demo``: import the bundled real data into a fresh store and show where to go next."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from ..i18n import _, number
from .options import PORT, format_option, not_empty
from .output import console, literal, print_json, reported

if TYPE_CHECKING:
    from jauge.demo import DemoLogin

EPILOG = """
\b
Examples:
  jauge demo                          # build, then serve the dashboard
  jauge demo --port 8080
  jauge demo --no-serve --db /tmp/demo.duckdb --format json
"""


@click.command("demo", epilog=EPILOG)
@click.option(
    "--db",
    default="jauge-demo.duckdb",
    show_default=True,
    metavar="PATH",
    callback=not_empty,
    help="Where to build the demo store (recreated on each run).",
)
@click.option(
    "--serve/--no-serve",
    default=None,
    help="Serve the dashboard on the demo store when built (default: yes, except with "
    "--format json).",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to serve on.")
@click.option("--port", default=8000, show_default=True, type=PORT, help="Port to serve on.")
@format_option("table", "json")
def demo_command(db: str, serve: bool | None, host: str, port: int, fmt: str) -> None:
    """Build a demo store from the real datasets bundled with jauge, then serve it."""
    from jauge.demo import DATASETS, add_demo_login, run_demo

    from .score_cmd import render_score
    from .stats_cmd import render_stats

    with reported(fmt):
        handle, results = run_demo(db)
        stats = handle.stats()
        scores = [handle.score(d.org) for d in DATASETS]
        login = add_demo_login(handle)
        handle.close()
    serving = serve if serve is not None else fmt == "table"
    if fmt == "json":
        print_json(
            {
                "db": db,
                "imports": [r.to_dict() for r in results],
                "stats": stats.to_dict(),
                "datasets": [{"file": d.file, "org": d.org, "credit": d.credit} for d in DATASETS],
                "login": {"email": login.email, "password": login.password},
            }
        )
        if serving:
            _serve(db, host, port, login)
        return
    out = console()
    out.print(
        _("[bold]jauge demo[/]: built [cyan]{db}[/] from the bundled real data", db=literal(db))
    )
    for d, r in zip(DATASETS, results, strict=True):
        out.print(
            _(
                "  • {org}: {count} posts imported ({credit})",
                org=literal(d.org),
                count=number(r.total("inserted"), ","),
                credit=literal(d.credit),
            )
        )
    render_stats(stats)
    for result in scores:
        out.print()
        render_score(result)
    out.print(
        _(
            "\n[bold]Next:[/]\n"
            "  jauge stats --db {db} --workspace demo        what the store holds\n"
            "  jauge score --db {db} --workspace demo --org '{org}' --format json\n"
            "  jauge compare --db {db} --workspace demo --by period --every quarter\n"
            "  jauge report --db {db} --workspace demo --org '{org}'   a report to share\n"
            "  jauge serve --db {db}                 the dashboard and the REST API\n"
            "  jauge sources                                    what jauge can import\n"
            "  jauge import YOUR_EXPORT.csv --source posts-csv --org 'Your brand' --platform x\n"
            "  python -c \"import jauge; j = jauge.open('{db}', workspace='demo'); "
            'print(j.items.to_pandas().head())"',
            db=literal(db),
            org=literal(DATASETS[0].org),
        )
    )
    if serving:
        _serve(db, host, port, login)
    else:  # the dashboard is for later: its login must not be lost meanwhile
        out.print(_login_line(login))


def _login_line(login: DemoLogin) -> str:
    return _(
        "Log in as [bold]{email}[/] with the password [bold]{password}[/] "
        "(made for this demo store).",
        email=literal(login.email),
        password=literal(login.password),
    )


def _serve(db: str, host: str, port: int, login: DemoLogin) -> None:
    from .serve_cmd import serve

    with reported():
        serve(
            db,
            host,
            port,
            banner=_login_line(login),
        )
