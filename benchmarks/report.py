"""Report benchmark: `jauge report` next to the commands whose figures it shows.

The store holds real data only, the web tests' (tests/webstore.py): the UCI cosmetics
brand's 500 Facebook posts and the 1,500 airline tweets bundled in tests/data (six
airlines, with dictionaries and sentiment from `jauge enrich --backend fast`). For one
airline with its five rivals:

- the baseline: the figures a report shows, computed by the Python API calls behind
  `jauge score`, `jauge compare` (by period, then by organisation), `jauge voice`,
  `jauge topics` and `jauge people`, one after the other (``gather_figures``, the
  report's own first step);
- the report: the same figures and its rendering (the dashboard's five charts drawn as
  SVG by vl-convert, and the HTML), in one call of `handle.report()`.

Each is measured warm (the first call of each loads the engines, and is shown apart),
as the median of ``--repeat`` runs, in one process.

    python benchmarks/report.py
    python benchmarks/report.py --repeat 10
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import jauge  # noqa: E402
from jauge.reports import Report  # noqa: E402
from jauge.reports.executive import gather_figures  # noqa: E402
from tests.webstore import AIRLINES, build  # noqa: E402  (the store the web tests use)


def timed(action: object, repeat: int) -> tuple[float, float]:
    """The first run's seconds, then the median of ``repeat`` more."""
    runs = []
    for _ in range(repeat + 1):
        started = time.perf_counter()
        action()  # type: ignore[operator]
        runs.append(time.perf_counter() - started)
    return runs[0], statistics.median(runs[1:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    org, rivals = "United", [a for a in AIRLINES if a != "United"]
    with tempfile.TemporaryDirectory() as folder:
        build(Path(folder) / "store.duckdb")
        j = jauge.open(Path(folder) / "store.duckdb", workspace="brands")
        versus = tuple(rivals)
        base_first, base = timed(lambda: gather_figures(j, org, versus=versus), args.repeat)
        made: list[Report] = []
        report_first, report = timed(
            lambda: made.append(j.report(org, versus=versus, lang="en")), args.repeat
        )
        j.close()
    size = len(made[-1].html.encode())
    print(f"report of {org} with {len(rivals)} rivals ({size / 1024:.0f} KiB of HTML)")
    print(f"  figures alone (the commands' calls): {base:.3f} s   (first call {base_first:.3f} s)")
    print(
        f"  jauge report (figures + 5 charts + HTML): {report:.3f} s   (first call "
        f"{report_first:.3f} s)"
    )
    print(f"  ratio report / figures: {report / base:.2f}")


if __name__ == "__main__":
    main()
