"""Enrichment benchmark: `jauge enrich` throughput per backend on 100,000 real texts, next
to plain VADER over the same texts in the same run.

The texts are real tweets, resampled to 100,000: the airline tweets (English) and the
French media tweets in tests/data, and the XLM-T validation tweets (French and English).
Each run enriches a fresh copy of the same store (language, sentiment, mentions of two
organisations' dictionaries, all written to the store). Run: python benchmarks/enrich.py
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"


def real_texts() -> list[tuple[str, str]]:
    texts = []
    with (DATA / "twitter-us-airline-sentiment" / "Tweets_sample.csv").open(encoding="utf-8") as f:
        texts += [(r["text"], "United") for r in csv.DictReader(f)]
    with (DATA / "french-media-engagement" / "Tweets_sample.csv").open(encoding="utf-8") as f:
        texts += [(r["text"], "Le Monde") for r in csv.DictReader(f)]
    for language in ("english", "french"):
        path = DATA / "xlmt-sentiment-fr-en" / language / "val_text.txt"
        texts += [(t, "United") for t in path.read_text("utf-8").split("\n") if t]
    return texts


def build(db: Path, rows: int) -> list[str]:
    import jauge

    rng = random.Random(7)
    pool = real_texts()
    posts = db.parent / "posts.csv"
    chosen = []
    with posts.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "created_at", "org", "author", "text"])
        for i in range(rows):
            text, org = rng.choice(pool)
            chosen.append(text)
            w.writerow([f"t{i}", f"2024-01-{1 + i % 28:02d}T12:00:00Z", org, f"p{i % 5000}", text])
    with jauge.open(db) as j:
        assert j.import_file(posts, "posts-csv", platform="x").ok
        j.add_org("United", handles=["united"], aliases=["united airlines"])
        j.add_org("Le Monde", handles=["lemondefr"])
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    import jauge
    from jauge.enrich.sentiment.vader import polarity

    folder = Path(tempfile.mkdtemp(prefix="jauge-enrich-bench-"))
    base = folder / "base.duckdb"
    texts = build(base, args.rows)
    print(f"enrich benchmark: {args.rows:,} real texts (resampled), store {base}")
    started = time.perf_counter()
    for text in texts:
        polarity(text, "en")
    vader_s = time.perf_counter() - started
    print(f"  plain VADER (English lexicon), in memory: {args.rows / vader_s:>10,.0f} texts/s")
    for backend in ("accurate", "fast", "vader"):
        db = folder / f"{backend}.duckdb"
        shutil.copy(base, db)
        with jauge.open(db) as j:
            started = time.perf_counter()
            result = j.enrich(backend=backend)
            seconds = time.perf_counter() - started
        print(
            f"  jauge enrich --backend {backend:<8} (language, sentiment, mentions, stored): "
            f"{result.processed / seconds:>8,.0f} texts/s  ({seconds:.1f} s; "
            f"{result.mentions:,} mentions; ratio to plain VADER {vader_s / seconds:.2f})"
        )


if __name__ == "__main__":
    main()
