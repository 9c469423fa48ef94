"""Build the built-in reference panel (jauge/metrics/panels/builtin.json) from real data.

Units are an organisation over a calendar month. The data:
- the UCI 'Facebook metrics' posts bundled with jauge (facebook, 12 months);
- the French media tweets of ../shared/data/french-media-engagement (x, 28 accounts,
  March to June 2022): each account's own tweets (retweets left out), with likes as
  reactions, retweets plus quotes as shares, replies as comments and the account's
  follower count of 2022-06-07.
Only quantiles per stratum are written. Run: python scripts/build_panel.py
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import jauge
from jauge.demo import data_path
from jauge.metrics.panel import build_panel
from jauge.metrics.panels_store import unit_values

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data" / "french-media-engagement"
PANEL_ID = "jauge-panel/builtin-2026.11"


def french_media_posts(out: Path) -> int:
    accounts = json.loads((SHARED / "twitter" / "accounts.json").read_text())
    tweets = json.loads((SHARED / "twitter" / "tweets.json").read_text())
    rows = 0
    with out.open("w", encoding="utf-8") as f:
        for user_id, items in tweets.items():
            account = accounts[user_id]
            for t in items:
                kinds = {r["type"] for r in t.get("referenced_tweets", [])}
                if "retweeted" in kinds:
                    continue
                m = t["public_metrics"]
                f.write(
                    json.dumps(
                        {
                            "id": t["id"],
                            "created_at": t["created_at"],
                            "text": t["text"],
                            "org": account["username"],
                            "account": account["username"],
                            "reactions": m["like_count"],
                            "shares": m["retweet_count"] + m["quote_count"],
                            "comments": m["reply_count"],
                            "followers": account["public_metrics"]["followers_count"],
                        }
                    )
                    + "\n"
                )
                rows += 1
    return rows


def main() -> int:
    if not SHARED.exists():
        print(f"needs the shared data folder: {SHARED}", file=sys.stderr)
        return 1
    folder = Path(tempfile.mkdtemp(prefix="jauge-panel-"))
    handle = jauge.open(folder / "panel.duckdb", workspace="panel")
    handle.import_file(
        data_path("dataset_Facebook.csv"), "facebook-insights", org="UCI cosmetics brand", year=2014
    )
    posts = folder / "french-media.jsonl"
    print(f"french media: {french_media_posts(posts)} own tweets")
    result = handle.import_file(posts, "posts-jsonl", platform="x")
    assert result.ok, result.errors
    units = unit_values(handle.store, every="month")
    panel = build_panel(PANEL_ID, units)
    out = ROOT / "jauge" / "metrics" / "panels" / "builtin.json"
    out.write_text(json.dumps(panel.to_dict(), indent=1) + "\n")
    for key, indicators in sorted(panel.strata.items()):
        counts = ", ".join(f"{k} ({d.units})" for k, d in sorted(indicators.items()))
        print(f"{key}: {counts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
