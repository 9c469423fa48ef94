"""How well free-text profile locations are read as places, on real tweets.

The Twitter US Airline Sentiment tweets (tests' copy, or the fuller one in
../shared/data with --tweets) carry each author's profile location as they typed it
and, for some tweets, the coordinates the tweet was sent from. This prints:

- coverage: the share of non-empty locations read as a place, and of tweets;
- agreement: for tweets with both, how often the location's country (and region) is
  that of the coordinates. Coordinates say where the tweet was sent, the profile where
  its author lives: a traveller tweeting from an airport disagrees without either being
  wrong, so agreement is a floor on accuracy, not accuracy;
- speed: locations read per second;

each next to a baseline in the same run: the whole location matched against country and
US state names only (what a lookup table without cities or parts gives).
"""

from __future__ import annotations

import argparse
import ast
import csv
import time
from pathlib import Path

from jauge.enrich.places import Place, fold, gazetteer, place_at, place_of

ROOT = Path(__file__).resolve().parent.parent
TWEETS = ROOT / "tests" / "data" / "twitter-us-airline-sentiment" / "Tweets_sample.csv"


def baseline(location: str | None) -> Place | None:
    """The whole location as a country or US state name, nothing else."""
    if not location:
        return None
    places = gazetteer()
    name = fold(location)
    if name in places.countries:
        return Place(places.countries[name])
    named = [p for p in places.subdivisions.get(name, []) if p.country == "US"]
    if named:
        return named[0]
    return None


def coordinates(raw: str) -> tuple[float, float] | None:
    if not raw:
        return None
    try:
        lat, lon = ast.literal_eval(raw)
    except (ValueError, SyntaxError):
        return None
    return float(lat), float(lon)


def evaluate(rows: list[dict[str, str]], read: object) -> dict[str, float]:
    assert callable(read)
    located = [r for r in rows if (r.get("tweet_location") or "").strip()]
    distinct = sorted({r["tweet_location"] for r in located})
    started = time.perf_counter()
    places = {loc: read(loc) for loc in distinct}
    seconds = time.perf_counter() - started
    resolved = [r for r in located if places[r["tweet_location"]]]
    pairs = []
    for r in resolved:
        point = coordinates(r.get("tweet_coord") or "")
        truth = place_at(*point) if point else None
        if truth:
            pairs.append((places[r["tweet_location"]], truth))
    same_country = sum(p.country == t.country for p, t in pairs)
    with_states = [(p, t) for p, t in pairs if p.subdivision and t.subdivision]
    same_state = sum(p.subdivision == t.subdivision for p, t in with_states)
    return {
        "locations": len(distinct),
        "read": sum(1 for p in places.values() if p) / max(len(distinct), 1),
        "tweets_read": len(resolved) / max(len(located), 1),
        "pairs": len(pairs),
        "country_agrees": same_country / max(len(pairs), 1),
        "state_pairs": len(with_states),
        "state_agrees": same_state / max(len(with_states), 1),
        "per_second": len(distinct) / seconds if seconds else float("inf"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tweets", type=Path, default=TWEETS, help="a Tweets CSV")
    args = parser.parse_args()
    with args.tweets.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    gazetteer()  # loaded once, before timing
    ours, base = evaluate(rows, place_of), evaluate(rows, baseline)
    print(f"{args.tweets.name}: {len(rows):,} tweets, {ours['locations']:,} distinct locations")
    for label, r in (("jauge places", ours), ("baseline: country and state names", base)):
        print(
            f"  {label:<34} read {r['read']:6.1%} of locations ({r['tweets_read']:6.1%} of "
            f"tweets with one); country agrees with coordinates {r['country_agrees']:6.1%} "
            f"of {r['pairs']}; region {r['state_agrees']:6.1%} of {r['state_pairs']}; "
            f"{r['per_second']:,.0f} locations/s"
        )
    print(
        f"  tweets read, jauge / baseline: {ours['tweets_read'] / base['tweets_read']:.2f}x; "
        f"speed, jauge / baseline: {ours['per_second'] / base['per_second']:.2f}x"
    )


if __name__ == "__main__":
    main()
