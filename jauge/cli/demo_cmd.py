"""``jauge demo``: import the bundled real data into a fresh store and show where to go next."""

from __future__ import annotations

import click

from .options import format_option
from .output import console, print_json, reported

EPILOG = """
\b
Examples:
  jauge demo
  jauge demo --db /tmp/demo.duckdb --format json
"""


@click.command("demo", epilog=EPILOG)
@click.option(
    "--db",
    default="jauge-demo.duckdb",
    show_default=True,
    metavar="PATH",
    help="Where to build the demo store (recreated on each run).",
)
@format_option("table", "json")
def demo_command(db: str, fmt: str) -> None:
    """Build a demo store from the real datasets bundled with jauge."""
    from jauge.demo import DATASETS, run_demo

    from .score_cmd import render_score
    from .stats_cmd import render_stats

    with reported(fmt):
        handle, results = run_demo(db)
        stats = handle.stats()
        scores = [handle.score(d.org) for d in DATASETS]
        handle.close()
    if fmt == "json":
        print_json(
            {
                "db": db,
                "imports": [r.to_dict() for r in results],
                "stats": stats.to_dict(),
                "datasets": [{"file": d.file, "org": d.org, "credit": d.credit} for d in DATASETS],
            }
        )
        return
    out = console()
    out.print(f"[bold]jauge demo[/]: built [cyan]{db}[/] from the bundled real data")
    for d, r in zip(DATASETS, results, strict=True):
        out.print(f"  • {d.org}: {r.total('inserted')} posts imported ({d.credit})")
    render_stats(stats)
    for result in scores:
        out.print()
        render_score(result)
    out.print(
        "\n[bold]Next:[/]\n"
        f"  jauge stats --db {db} --workspace demo        what the store holds\n"
        f"  jauge score --db {db} --workspace demo --org '{DATASETS[0].org}' --format json\n"
        f"  jauge compare --db {db} --workspace demo --by period --every quarter\n"
        "  jauge sources                                    what jauge can import\n"
        "  jauge import YOUR_EXPORT.csv --source posts-csv --org 'Your brand' --platform x\n"
        f"  python -c \"import jauge; j = jauge.open('{db}', workspace='demo'); "
        'print(j.items.to_pandas().head())"'
    )
