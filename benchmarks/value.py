"""Value benchmark: a year of session-level web analytics (1,000,000 sessions) imported
with `web-analytics-csv` next to DuckDB's own read_csv of the same file (the ceiling), and
`jauge value` next to pandas computing the same funnel from the same file.

The sessions are resampled from the UCI "Online Shoppers Purchasing Intention" sessions
(tests/data): each generated session is a real one drawn at random (its month, traffic
code and whether it ended in a purchase), given a day of its month in 2017 and a source
named after its traffic code as tests/test_value.py names them (the real mapping is not
published). A tenth of the social sessions carry one of three UTM campaigns. Each
measurement runs in a fresh process (peak memory). Run:
python benchmarks/value.py [--sessions 1000000]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.fresh import in_fresh_process  # noqa: E402

UCI = ROOT / "tests" / "data" / "online-shoppers-intention-uci" / "sessions_dev_every4th.csv"
MONTHS = {"Feb": 2, "Mar": 3, "May": 5, "June": 6, "Jul": 7, "Aug": 8, "Sep": 9, "Oct": 10,
          "Nov": 11, "Dec": 12}  # fmt: skip
SOURCES = {1: ("google", "organic"), 2: ("(direct)", "(none)"), 3: ("m.facebook.com", "referral"),
           4: ("t.co", "referral"), 5: ("lnkd.in", "referral"), 6: ("newsletter", "email"),
           8: ("mastodon.social", "social")}  # fmt: skip
SOCIAL = {3: "facebook", 4: "x", 5: "linkedin", 8: "mastodon"}
CAMPAIGNS = ("spring-sale", "summer-launch", "black-friday")
ORG = "Shop"


def generate(path: Path, sessions: int, seed: int = 20170101) -> None:
    with UCI.open(newline="") as f:
        real = [r for r in csv.DictReader(f) if int(r["TrafficType"]) in SOURCES]
    rng = random.Random(seed)
    with path.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["session_id", "date", "source", "medium", "campaign", "converted"])
        for i in range(sessions):
            r = rng.choice(real)
            code = int(r["TrafficType"])
            source, medium = SOURCES[code]
            day = f"2017-{MONTHS[r['Month']]:02d}-{rng.randint(1, 28):02d}"
            campaign = rng.choice(CAMPAIGNS) if code in SOCIAL and rng.random() < 0.1 else ""
            w.writerow([f"s{i}", day, source, medium, campaign, r["Revenue"]])


def _measure(kind: str, csv_path: str, db_path: str) -> None:
    started = time.perf_counter()
    if kind == "duckdb":
        import duckdb

        con = duckdb.connect(db_path)
        con.execute(f"CREATE TABLE sessions AS SELECT * FROM read_csv('{csv_path}')")
        rows = con.execute("SELECT count(*) FROM sessions").fetchall()[0][0]
        con.close()
        result: dict[str, Any] = {"rows": rows}
    elif kind == "import":
        import jauge

        with jauge.open(db_path) as handle:
            done = handle.import_file(csv_path, "web-analytics-csv", org=ORG)
        if not done.ok:
            raise SystemExit(f"import failed: {done.errors[:3]}")
        result = {"rows": done.total("inserted")}
    elif kind == "value":
        import jauge

        with jauge.open(db_path) as handle:
            report = handle.value(ORG, conversion_value=40.0).to_dict()
        result = {"platforms": {p["platform"]: p["sessions"] for p in report["platforms"]}}
    else:  # pandas: the same funnel per platform, from the file
        import pandas as pd

        frame = pd.read_csv(csv_path, keep_default_na=False)
        hosts = {"m.facebook.com": "facebook", "t.co": "x", "lnkd.in": "linkedin",
                 "mastodon.social": "mastodon"}  # fmt: skip
        frame["platform"] = frame["source"].map(hosts)
        social = frame.dropna(subset=["platform"])
        funnel = social.groupby("platform").agg(
            sessions=("session_id", "size"), conversions=("converted", "sum")
        )
        result = {"platforms": {k: int(v) for k, v in funnel["sessions"].items()}}
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"kind": kind, "seconds": seconds, "peak_bytes": peak, **result}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=2, help="runs of each; the best is kept")
    parser.add_argument("--measure", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        _measure(*args.measure)
        return
    workdir = Path(tempfile.mkdtemp(prefix="jauge-value-bench-"))
    try:
        path = workdir / "sessions.csv"
        t0 = time.perf_counter()
        generate(path, args.sessions)
        print(f"{args.sessions:,} sessions, {path.stat().st_size / 1e6:,.0f} MB "
              f"(generated in {time.perf_counter() - t0:.1f} s)")  # fmt: skip
        best: dict[str, dict[str, Any]] = {}
        for kind in ("duckdb", "import", "value", "pandas"):
            runs = []
            for _ in range(args.repeat):
                db = workdir / f"{kind}.duckdb"
                if kind != "value":  # the value report reads the store the import wrote
                    db.unlink(missing_ok=True)
                    if kind == "import":
                        shutil.rmtree(workdir / "import.duckdb.wal", ignore_errors=True)
                else:
                    db = workdir / "import.duckdb"
                runs.append(in_fresh_process(__file__, "--measure", kind, str(path), str(db)))
            best[kind] = min(runs, key=lambda r: float(r["seconds"]))
        for kind, label in (
            ("duckdb", "DuckDB read_csv into a table (ceiling)"),
            ("import", "jauge import --source web-analytics-csv"),
            ("value", "jauge value (funnel, campaigns, intervals)"),
            ("pandas", "pandas: read the file, funnel per platform"),
        ):
            r = best[kind]
            print(f"  {label:<45} {r['seconds']:6.2f} s  peak {r['peak_bytes'] / 2**20:,.0f} MiB")
        ratio = best["duckdb"]["seconds"] / best["import"]["seconds"]
        print(f"  import speed / ceiling speed: {ratio:.2f}")
        speedup = best["pandas"]["seconds"] / best["value"]["seconds"]
        print(f"  jauge value speed-up over pandas: {speedup:.1f}x")
        same = best["value"]["platforms"] == best["pandas"]["platforms"]
        print(f"  same sessions per platform as pandas: {same}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
