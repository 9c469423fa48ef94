"""Ingest benchmark: `jauge import` of generic posts next to DuckDB's own read_csv (the ceiling).

The posts are generated from real data's distributions: texts, authors and
retweet counts are drawn from the Twitter US Airline Sentiment tweets bundled
in tests/data, and reach, impressions, reactions, comments, shares and clicks
from the 500 real posts of the UCI Facebook metrics file (each generated post
copies the metrics of one real post picked at random). Nothing is invented
beyond resampling.

Each measurement runs in a fresh subprocess, so that its peak memory (max RSS)
is its own. Speed is compared at ``--rows``; peak memory is shown at ``--rows`` and
at ``--large`` (twice as many by default), where the import's memory limit
(``JAUGE_IMPORT_MEMORY_LIMIT``) binds, to show that it does not grow with the file.
Usage:

    python benchmarks/ingest.py                         # 1,000,000 posts, then 2,000,000
    python benchmarks/ingest.py --rows 200000 --large 0  # quicker
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
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.fresh import in_fresh_process  # noqa: E402

TWEETS = ROOT / "tests" / "data" / "twitter-us-airline-sentiment" / "Tweets_sample.csv"
FACEBOOK = ROOT / "jauge" / "demo" / "data" / "dataset_Facebook.csv"
PLATFORMS = ("x", "facebook", "instagram", "mastodon", "bluesky", "linkedin")
COLUMNS = (
    "platform",
    "id",
    "org",
    "account",
    "author",
    "kind",
    "text",
    "url",
    "created_at",
    "reach",
    "impressions",
    "reactions",
    "comments",
    "shares",
    "clicks",
)


def generate(path: Path, rows: int, seed: int = 20141231) -> None:
    """Write ``rows`` generic posts resampled from the real files (see module docstring)."""
    rng = random.Random(seed)
    with TWEETS.open(newline="", encoding="utf-8") as f:
        tweets = list(csv.DictReader(f))
    with FACEBOOK.open(newline="", encoding="utf-8") as f:
        posts = [r for r in csv.DictReader(f, delimiter=";") if r["like"] and r["share"]]
    orgs = sorted({t["airline"] for t in tweets})
    start = datetime(2015, 1, 1)
    with path.open("w", newline="", encoding="utf-8") as out:
        w = csv.writer(out)
        w.writerow(COLUMNS)
        for i in range(rows):
            tweet = rng.choice(tweets)
            post = rng.choice(posts)
            org = rng.choice(orgs)
            own = rng.random() < 0.3
            platform = PLATFORMS[i % len(PLATFORMS)]
            w.writerow(
                (
                    platform,
                    f"{platform}-{i}",
                    org,
                    org.lower().replace(" ", ""),
                    "" if own else tweet["name"],
                    "post" if own else "mention",
                    tweet["text"],
                    f"https://example.invalid/{platform}/{i}",
                    (start + timedelta(seconds=rng.randrange(365 * 86400))).isoformat() + "Z",
                    post["Lifetime Post Total Reach"],
                    post["Lifetime Post Total Impressions"],
                    post["like"],
                    post["comment"],
                    post["share"],
                    post["Lifetime Post Consumptions"],
                )
            )


def _measure(kind: str, csv_path: str, db_path: str) -> None:
    """Run one measurement in this process and print a JSON line with seconds and max RSS."""
    started = time.perf_counter()
    if kind == "duckdb":
        import duckdb

        con = duckdb.connect(db_path)
        con.execute("SET memory_limit = '2GB'")
        con.execute(f"CREATE TABLE posts AS SELECT * FROM read_csv('{csv_path}')")
        rows = con.execute("SELECT count(*) FROM posts").fetchone()[0]
        con.close()
    elif kind == "model":
        rows = _unchecked_model(csv_path, db_path)
    else:
        import jauge

        handle = jauge.open(db_path)
        result = handle.import_file(csv_path, "posts-csv")
        handle.close()
        if not result.ok:
            raise SystemExit(f"import failed: {result.errors[:3]}")
        rows = result.total("inserted")
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"kind": kind, "rows": rows, "seconds": seconds, "peak_bytes": peak}))


def _unchecked_model(csv_path: str, db_path: str) -> int:
    """The engine alone writing jauge's model for these posts: content items, each with
    its first metric snapshot in its row (as jauge writes a new item, see migration 15),
    with the same ids, but without checking a value, numbering rows, removing duplicates
    or creating organisations and persons. It shows what the data model costs, apart
    from what jauge does on top of it."""
    import jauge

    handle = jauge.open(db_path)
    con = handle.store.con
    con.execute("SET memory_limit = '1GB'")
    item_id = "md5(concat_ws(chr(31), 'default', platform, id))"
    person_id = "md5(concat_ws(chr(31), 'default', platform, '@' || lower(author)))"
    con.execute("BEGIN")
    con.execute(
        f"CREATE TEMP TABLE staged AS SELECT *, {item_id} AS item_id, "
        f"CASE WHEN author IS NOT NULL THEN {person_id} END AS person_id, "
        f"md5(concat_ws(chr(31), 'default', lower(org))) AS org_id FROM read_csv('{csv_path}')"
    )
    con.execute(
        "INSERT INTO content_items (item_id, workspace, platform, native_id, id_derived, kind, "
        "org_id, author_person_id, is_own, text, url, created_at, first_import_id, "
        "last_import_id, first_snapshot) SELECT item_id, 'default', platform, id, false, kind, "
        "org_id, person_id, kind = 'post', text, url, created_at, 'bench', 'bench', "
        "struct_pack(observed_at := now()::TIMESTAMP, impressions := impressions, "
        "reach := reach, engaged_users := NULL::BIGINT, reactions := reactions, "
        "comments := comments, shares := shares, saves := NULL::BIGINT, clicks := clicks, "
        "video_views := NULL::BIGINT, followers := NULL::BIGINT, extra := NULL::JSON, "
        "import_id := 'bench') FROM staged"
    )
    con.execute("COMMIT")
    rows = int(con.execute("SELECT count(*) FROM content_items").fetchall()[0][0])
    handle.close()
    return rows


def run(kind: str, csv_path: Path, workdir: Path) -> dict[str, float]:
    db = workdir / f"{kind}-{csv_path.stem}.duckdb"
    db.unlink(missing_ok=True)
    return in_fresh_process(__file__, "--measure", kind, str(csv_path), str(db))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument(
        "--large",
        type=int,
        default=2_000_000,
        help="a larger file, to show that peak memory does not grow with size (0: skip)",
    )
    parser.add_argument("--repeat", type=int, default=2, help="runs of each; the best is kept")
    parser.add_argument("--measure", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        _measure(*args.measure)
        return
    workdir = Path(tempfile.mkdtemp(prefix="jauge-bench-"))
    print(f"ingest benchmark in {workdir}")
    try:
        peaks = {
            rows: compare(rows, workdir, args.repeat) for rows in (args.rows, args.large) if rows
        }
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if len(peaks) == 2:
        (small, small_peak), (large, large_peak) = sorted(peaks.items())
        print(
            f"\njauge's peak memory: {small_peak / 2**20:,.0f} MiB for {small:,} posts, "
            f"{large_peak / 2**20:,.0f} MiB for {large:,} ({large_peak / small_peak:.2f}x "
            f"for {large / small:.0f}x the rows)"
        )


def compare(rows: int, workdir: Path, repeat: int) -> float:
    """Generate ``rows`` posts, import them both ways, print the figures and return
    jauge's peak memory in bytes."""
    path = workdir / f"posts-{rows}.csv"
    t0 = time.perf_counter()
    generate(path, rows)
    size_mb = path.stat().st_size / 1e6
    print(f"\n{rows:,} posts, {size_mb:,.0f} MB (generated in {time.perf_counter() - t0:.1f} s)")
    best = {}
    for kind in ("duckdb", "model", "jauge"):
        runs = [run(kind, path, workdir) for _ in range(repeat)]
        best[kind] = min(runs, key=lambda r: r["seconds"])
    for kind, label in (
        ("duckdb", "DuckDB read_csv into a table (ceiling)"),
        ("model", "DuckDB SQL into jauge's tables, unchecked"),
        ("jauge", "jauge import --source posts-csv"),
    ):
        r = best[kind]
        print(
            f"  {label:<42} {r['seconds']:6.2f} s  {rows / r['seconds']:>10,.0f} rows/s  "
            f"peak {r['peak_bytes'] / 2**20:,.0f} MiB"
        )
    ratio = best["duckdb"]["seconds"] / best["jauge"]["seconds"]
    print(f"  jauge speed / ceiling speed: {ratio:.2f} (target >= 0.50)")
    unchecked = best["model"]["seconds"] / best["jauge"]["seconds"]
    print(f"  jauge speed / unchecked SQL into the same tables: {unchecked:.2f}")
    return float(best["jauge"]["peak_bytes"])


if __name__ == "__main__":
    main()
