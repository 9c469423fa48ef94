"""Index benchmark: the Jauge Index of 1,000 accounts over 10,000,000 interactions, on the
embedded engine, next to a straightforward pandas implementation of the same statistics.

The store is generated from real data's distributions:
- each organisation has 60 own posts over 180 days whose counts (reach, reactions,
  comments, shares, clicks, page likes) are copied from posts of the UCI Facebook metrics
  file, picked at random; followers and reach are scaled by an organisation size factor;
- interactions follow the UCI file's mix of actions (likes dominate: 80% reactions, 12%
  reposts, 4% comments; plus 2% replies and 2% mentions, which carry items);
- each person's share of an organisation's interactions follows the number of tweets per
  author in the Twitter US Airline Sentiment sample (tests/data), so a few people come back
  often and most once;
- 25% of the threads others start are answered; 40% of them carry a sentiment label drawn
  with the airline tweets' label frequencies.

Both implementations then share the same scoring code (bootstrap, shrinkage, percentiles,
aggregation); the figures compared are the statistics stage and the whole run, each in a
fresh process for its peak memory. Usage:

    python benchmarks/index.py                      # 1,000 accounts, 10,000,000 interactions
    python benchmarks/index.py --accounts 200 --interactions 1000000
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import sys
import tempfile
import time
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.fresh import in_fresh_process  # noqa: E402

TWEETS = ROOT / "tests" / "data" / "twitter-us-airline-sentiment" / "Tweets_sample.csv"
FACEBOOK = ROOT / "jauge" / "demo" / "data" / "dataset_Facebook.csv"
WORKSPACE = "bench"
START = datetime(2024, 1, 1)
DAYS = 180
WINDOW = (date(2024, 4, 1), date(2024, 6, 29))


def generate(db: Path, accounts: int, interactions: int, seed: float = 0.42) -> None:
    import jauge
    from jauge.store.ids import make_id

    with FACEBOOK.open(newline="") as f:
        posts = [r for r in csv.DictReader(f, delimiter=";") if r["like"] and r["share"]]
    with TWEETS.open(newline="", encoding="utf-8") as f:
        tweets = list(csv.DictReader(f))
    per_author = sorted(Counter(t["name"] for t in tweets).values())
    labels = Counter(t["airline_sentiment"] for t in tweets)
    handle = jauge.open(db, workspace=WORKSPACE)
    con = handle.store.con
    # one thread: random() and row_number() OVER () then give the same store each run
    con.execute("SET threads = 1")
    con.execute(f"SELECT setseed({seed})")
    per_org = interactions // accounts
    persons_per_org = max(10, per_org // 3)
    con.execute(
        "CREATE TEMP TABLE uci AS SELECT * FROM (VALUES "
        + ", ".join(
            f"({i}, {r['Lifetime Post Total Reach']}, {r['like']}, {r['comment']}, {r['share']}, "
            f"{r['Lifetime Post Consumptions']}, {r['Page total likes']})"
            for i, r in enumerate(posts)
        )
        + ") AS t(k, reach, likes, comments, shares, clicks, followers)"
    )
    con.execute(
        "CREATE TEMP TABLE authors AS SELECT * FROM (VALUES "
        + ", ".join(f"({i}, {c})" for i, c in enumerate(per_author))
        + ") AS t(k, tweets)"
    )
    total = sum(labels.values())
    cut_neg = labels["negative"] / total
    cut_neu = cut_neg + labels["neutral"] / total
    orgs = [(make_id(WORKSPACE, f"brand {i:04d}"), f"brand {i:04d}") for i in range(accounts)]
    con.execute("CREATE TEMP TABLE orgs (n INTEGER, org_id VARCHAR, name VARCHAR, size DOUBLE)")
    con.executemany(
        "INSERT INTO orgs VALUES (?, ?, ?, pow(10, random() * 2 - 1))",
        [(i, o, n) for i, (o, n) in enumerate(orgs)],
    )
    start = f"TIMESTAMP '{START:%Y-%m-%d}'"
    con.execute(f"""
        INSERT INTO workspaces VALUES ('{WORKSPACE}', now()::TIMESTAMP);
        INSERT INTO organisations SELECT org_id, '{WORKSPACE}', name, 'own', now()::TIMESTAMP
        FROM orgs;
        CREATE TEMP TABLE own AS
        SELECT o.n, o.org_id, o.size, 'own-' || o.n || '-' || p.k AS item_id,
               {start} + to_seconds(CAST(random() * {DAYS} * 86400 AS BIGINT)) AS created_at,
               CAST(floor(random() * {len(posts)}) AS INTEGER) AS uci
        FROM orgs o, range(60) p(k);
        -- each own post with its snapshot in its row, as an import writes a new item
        INSERT INTO content_items
        SELECT item_id, '{WORKSPACE}', 'facebook', item_id, false, 'post', org_id, NULL, NULL,
               true, 'post', NULL, NULL, NULL, created_at, NULL, NULL, NULL, NULL, 'bench',
               'bench', struct_pack(observed_at := created_at + INTERVAL 30 DAY,
               impressions := NULL::BIGINT, reach := CAST(u.reach * size AS BIGINT),
               engaged_users := NULL::BIGINT, reactions := u.likes, comments := u.comments,
               shares := u.shares, saves := NULL::BIGINT, clicks := u.clicks,
               video_views := NULL::BIGINT, followers := CAST(u.followers * size AS BIGINT),
               extra := NULL::JSON, import_id := 'bench'), NULL
        FROM own JOIN uci u ON u.k = own.uci;
        CREATE TEMP TABLE tickets AS
        SELECT o.n, row_number() OVER (PARTITION BY o.n ORDER BY p.k, r.r) - 1 AS ticket,
               p.k AS person
        FROM orgs o CROSS JOIN range({persons_per_org}) p(k)
        JOIN authors a ON a.k = CAST(hash(o.n, p.k) % {len(per_author)} AS INTEGER)
        CROSS JOIN LATERAL range(a.tweets) r(r);
        CREATE TEMP TABLE ticket_counts AS SELECT n, count(*) AS tickets FROM tickets GROUP BY n;
        CREATE TEMP TABLE picks AS
        SELECT o.n, o.org_id, i.k AS j,
               CAST(floor(random() * c.tickets) AS BIGINT) AS ticket,
               random() AS kind_draw,
               CAST(floor(random() * 60) AS INTEGER) AS post,
               {start} + to_seconds(CAST(random() * {DAYS} * 86400 AS BIGINT)) AS occurred_at
        FROM orgs o JOIN ticket_counts c USING (n), range({per_org}) i(k);
        CREATE TEMP TABLE acts AS
        SELECT p.n, p.org_id, 'act-' || p.n || '-' || p.j AS interaction_id,
               md5('{WORKSPACE}' || chr(31) || 'facebook' || chr(31) || 'person-' || p.n || '-'
                   || t.person) AS person_id,
               CASE WHEN kind_draw < 0.80 THEN 'reaction' WHEN kind_draw < 0.92 THEN 'repost'
                    WHEN kind_draw < 0.96 THEN 'comment' WHEN kind_draw < 0.98 THEN 'reply'
                    ELSE 'mention' END AS kind,
               'own-' || p.n || '-' || p.post AS target, p.occurred_at
        FROM picks p JOIN tickets t ON t.n = p.n AND t.ticket = p.ticket;
        -- reactions and reposts stand alone; comments, replies and mentions are items
        -- (below), which the interactions view reads
        INSERT INTO standalone_interactions
        SELECT interaction_id, '{WORKSPACE}', 'facebook', kind, person_id, org_id, target,
               NULL, occurred_at, 'bench'
        FROM acts WHERE kind NOT IN ('comment', 'reply', 'mention');
        INSERT INTO content_items
        SELECT interaction_id, '{WORKSPACE}', 'facebook', interaction_id, false, kind, org_id,
               NULL, person_id, false, 'text', NULL, NULL, NULL, occurred_at,
               CASE WHEN kind <> 'mention' THEN target END, NULL, NULL, NULL, 'bench', 'bench',
               NULL, NULL
        FROM acts WHERE kind IN ('comment', 'reply', 'mention');
        INSERT INTO content_items
        SELECT 'answer-' || interaction_id, '{WORKSPACE}', 'facebook', 'answer-' || interaction_id,
               false, 'reply', org_id, NULL, NULL, true, 'thanks', NULL, NULL, NULL,
               occurred_at + to_seconds(CAST(-ln(1 - random()) * 10 * 3600 AS BIGINT)),
               interaction_id, NULL, NULL, NULL, 'bench', 'bench', NULL, NULL
        FROM acts WHERE kind IN ('comment', 'reply', 'mention') AND random() < 0.25;
        INSERT INTO annotations
        SELECT interaction_id, '{WORKSPACE}', 'sentiment.human',
               CASE WHEN d < {cut_neg} THEN 'negative' WHEN d < {cut_neu} THEN 'neutral'
                    ELSE 'positive' END, 'bench', 'bench'
        FROM (SELECT interaction_id, random() AS d FROM acts
              WHERE kind IN ('comment', 'reply', 'mention') AND random() < 0.4);
        INSERT INTO imports (import_id, workspace, source, path, sha256, org, started_at,
                             finished_at, rows_read, inserted, updated, unchanged, invalid)
        VALUES ('bench', '{WORKSPACE}', 'benchmark', 'generated', NULL, NULL,
                now()::TIMESTAMP, now()::TIMESTAMP, 0, 0, 0, 0, 0);
    """)
    # the engine's own order helps both implementations alike: rows by organisation
    counts = con.execute("SELECT count(*) FROM interactions").fetchall()[0][0]
    handle.close()
    print(f"  generated {accounts:,} organisations, {counts:,} interactions")


def pandas_statistics(tables: dict, scopes: list) -> dict:
    """The five statistic tables, for all scopes, the straightforward pandas way."""
    import numpy as np
    import pandas as pd

    items_t, inter, snaps, notes = (
        tables[k] for k in ("content_items", "interactions", "metric_snapshots", "annotations")
    )
    sc = pd.DataFrame(
        {
            "scope_id": range(len(scopes)),
            "org_id": [s.org_id for s in scopes],
            "start_at": [s.start for s in scopes],
            "end_at": [s.end for s in scopes],
            "previous_at": [s.previous_start for s in scopes],
            "middle_at": [s.middle for s in scopes],
        }
    )
    own = items_t[items_t.is_own].merge(sc, on="org_id")
    own = own[(own.created_at >= own.start_at) & (own.created_at < own.end_at)]
    latest = (
        snaps[snaps.subject_type == "item"]
        .sort_values("observed_at")
        .groupby("subject_id")
        .tail(1)
        .set_index("subject_id")
    )
    answers = (
        inter[inter.target_item_id.isin(own.item_id)]
        .assign(
            replies=lambda d: d.kind.isin(["reply", "comment"]).astype(int),
            reposts=lambda d: d.kind.isin(["repost", "quote"]).astype(int),
        )
        .groupby("target_item_id")[["replies", "reposts"]]
        .sum()
    )
    it = (
        own[["scope_id", "item_id", "platform"]]
        .join(latest, on="item_id")
        .join(answers, on="item_id")
    )
    items = pd.DataFrame(
        {
            "scope_id": it.scope_id,
            "item_id": it.item_id,
            "platform": it.platform,
            # a count is unknown (NaN) where neither the snapshot nor a stored answer gives it
            "comments": np.where(
                it.comments.isna() & (it.replies.fillna(0) == 0),
                np.nan,
                np.maximum(it.comments.fillna(0), it.replies.fillna(0)),
            ),
            "shares": np.where(
                it.shares.isna() & (it.reposts.fillna(0) == 0),
                np.nan,
                np.maximum(it.shares.fillna(0), it.reposts.fillna(0)),
            ),
            "reactions": it.reactions,
            "saves_clicks": np.where(
                it.saves.isna() & it.clicks.isna(), np.nan, it.saves.fillna(0) + it.clicks.fillna(0)
            ),
            "reach": it.reach,
            "followers": it.followers,
        }
    ).sort_values(["scope_id", "item_id"])
    kinds = ["reply", "comment", "mention", "repost", "quote", "reaction"]
    t = inter[inter.actor_person_id.notna() & inter.kind.isin(kinds)].merge(sc, on="org_id")
    in_prev = (t.occurred_at >= t.previous_at) & (t.occurred_at < t.start_at)
    in_win = (t.occurred_at >= t.start_at) & (t.occurred_at < t.end_at)
    t["prev_at"] = t.occurred_at.where(in_prev)
    t["win_at"] = t.occurred_at.where(in_win)
    g = t.groupby(["scope_id", "actor_person_id"])
    per = pd.DataFrame(
        {
            "first_ever": g.occurred_at.min(),
            "first_in_previous": g.prev_at.min(),
            "last_in_window": g.win_at.max(),
            "start_at": g.start_at.min(),
            "middle_at": g.middle_at.min(),
        }
    ).reset_index()
    per = per[per.last_in_window.notna()]
    # coming back takes two touches a day apart at least (index 1.0.3)
    day = pd.Timedelta(hours=24)
    engagers = pd.DataFrame(
        {
            "scope_id": per.scope_id,
            "person_id": per.actor_person_id,
            "authenticity": 1.0,
            "in_previous": (per.last_in_window - per.first_in_previous >= day).astype(int),
            "first_ever": (per.first_ever >= per.start_at).astype(int),
            "first_in_first_half": (
                (per.first_ever >= per.start_at) & (per.first_ever < per.middle_at)
            ).astype(int),
            "returned": (per.last_in_window - per.first_ever >= day).astype(int),
        }
    ).sort_values(["scope_id", "person_id"])
    others = items_t[~items_t.is_own].merge(sc, on="org_id")
    others = others[(others.created_at >= others.start_at) & (others.created_at < others.end_at)]
    inbound = others[others.kind.isin(["mention", "reply", "comment"])]
    answered = (
        items_t[items_t.is_own & items_t.reply_to_id.isin(inbound.item_id)]
        .groupby("reply_to_id")
        .created_at.min()
    )
    th = inbound.join(answered.rename("answered_at"), on="item_id")
    hours = (th.answered_at - th.created_at).dt.total_seconds() / 3600
    threads = pd.DataFrame(
        {
            "scope_id": th.scope_id,
            "item_id": th.item_id,
            "platform": th.platform,
            "answered": th.answered_at.notna().astype(int),
            "answered_in_sla": (th.answered_at.notna() & (hours <= 24)).astype(int),
            "hours_to_first": hours,
        }
    ).sort_values(["scope_id", "item_id"])
    labelled = others[["scope_id", "item_id"]].merge(
        notes[notes.key.isin(["sentiment", "sentiment.human"])]
        .sort_values("key")
        .drop_duplicates("item_id")[["item_id", "value"]],
        on="item_id",
    )
    opinions = pd.DataFrame(
        {
            "scope_id": labelled.scope_id,
            "item_id": labelled.item_id,
            "positive": (labelled.value == "positive").astype(int),
            "neutral": (labelled.value == "neutral").astype(int),
            "negative": (labelled.value == "negative").astype(int),
        }
    ).sort_values(["scope_id", "item_id"])
    sessions = _pandas_sessions(tables["web_traffic"], sc)
    return {
        "items": items,
        "engagers": engagers,
        "threads": threads,
        "opinions": opinions,
        "sessions": sessions,
    }


def _pandas_sessions(traffic: Any, sc: Any) -> Any:
    """The web analytics rows of each scope's window, with the platform that sent them
    (the rules of jauge/value/channels.py, written with pandas string methods)."""
    import pandas as pd

    from jauge.model import PLATFORMS
    from jauge.value.channels import (
        MASTODON_HOST_WORDS,
        SOCIAL_CHANNELS,
        SOCIAL_MEDIA,
        SOURCES,
    )

    host = (
        traffic.source.str.strip()
        .str.lower()
        .str.replace(r"^[a-z]+://", "", regex=True)
        .str.replace(r"^(www[0-9]?|m|l|lm|mobile|out|old|web)[.]", "", regex=True)
        .str.extract(r"^([^/?#]*)", expand=False)
    )
    by_host = {h: p for p, hosts in SOURCES.items() for h in hosts}
    platform = traffic.platform.where(traffic.platform.isin([p for p in PLATFORMS if p != "web"]))
    platform = platform.fillna(host.map(by_host))
    mastodon = host.str.contains("|".join(MASTODON_HOST_WORDS), na=False)
    platform = platform.where(platform.notna() | ~mastodon, "mastodon")
    social = traffic.medium.str.strip().str.lower().isin(SOCIAL_MEDIA) | (
        traffic.channel.str.strip().str.lower().isin(SOCIAL_CHANNELS)
    )
    platform = platform.where(platform.notna() | ~social, "other")
    rows = traffic.assign(platform=platform).merge(sc, on="org_id")
    day = pd.to_datetime(rows.day)
    rows = rows[(day >= rows.start_at.dt.normalize()) & (day < rows.end_at.dt.normalize())]
    return (
        pd.DataFrame(
            {
                "scope_id": rows.scope_id,
                "platform": rows.platform,
                "social": rows.platform.notna().astype(int),
                "sessions": rows.sessions.astype(float),
                "conversions": rows.conversions.astype(float),
                "revenue": rows.revenue.astype(float),
                "row_id": rows.row_id,
            }
        )
        .sort_values(["scope_id", "row_id"])
        .drop(columns="row_id")
    )


def measure(kind: str, db: str) -> None:
    """One run in this process; prints a JSON line of timings and peak memory."""
    import pyarrow as pa

    import jauge
    from jauge.metrics.engines import _normalised
    from jauge.metrics.index import compute_many, score_statistics
    from jauge.metrics.panels_store import reference_panel
    from jauge.metrics.scope import ScopeRequest, resolve_scope
    from jauge.metrics.spec import load_spec
    from jauge.metrics.statistics import split_by_scope

    handle = jauge.open(db, workspace=WORKSPACE)
    names = [
        r[0]
        for r in handle.store.con.execute(
            "SELECT name FROM organisations WHERE workspace = ? ORDER BY name", [WORKSPACE]
        ).fetchall()
    ]
    requests = [ScopeRequest(org=n, start=WINDOW[0], end=WINDOW[1]) for n in names]
    started = time.perf_counter()
    figures = {}
    if kind == "duckdb":
        results = compute_many(handle.store, WORKSPACE, requests)
        figures["total_s"] = time.perf_counter() - started
    else:
        spec = load_spec()
        panel = reference_panel(handle.store)
        resolved = [resolve_scope(handle.store, WORKSPACE, r, spec) for r in requests]
        t0 = time.perf_counter()
        tables = {
            t: handle.store.con.sql(f"SELECT * FROM {t}").df()
            for t in (
                "content_items",
                "interactions",
                "metric_snapshots",
                "annotations",
                "web_traffic",
            )
        }
        figures["load_s"] = time.perf_counter() - t0
        t1 = time.perf_counter()
        frames = pandas_statistics(tables, [s for s, _ in resolved])
        figures["statistics_s"] = time.perf_counter() - t1
        stats = {
            k: _normalised(pa.Table.from_pandas(v, preserve_index=False), k)
            for k, v in frames.items()
        }
        results = [
            score_statistics(spec, panel, s, d)
            for (_, d), s in zip(resolved, split_by_scope(stats, len(resolved)), strict=True)
        ]
        figures["total_s"] = time.perf_counter() - started
    figures["peak_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    figures["scores"] = [r.score for r in results]
    handle.close()
    print(json.dumps(figures))


def statistics_only(db: str) -> float:
    """Seconds the embedded engine takes for the statistics stage alone."""
    import jauge
    from jauge.metrics.engines import get_engine
    from jauge.metrics.scope import ScopeRequest, resolve_scope
    from jauge.metrics.spec import load_spec

    handle = jauge.open(db, workspace=WORKSPACE)
    spec = load_spec()
    names = [
        r[0]
        for r in handle.store.con.execute(
            "SELECT name FROM organisations WHERE workspace = ? ORDER BY name", [WORKSPACE]
        ).fetchall()
    ]
    scopes = [
        resolve_scope(
            handle.store, WORKSPACE, ScopeRequest(n, start=WINDOW[0], end=WINDOW[1]), spec
        )[0]
        for n in names
    ]
    t0 = time.perf_counter()
    get_engine("duckdb").statistics(handle.store, scopes, spec.statistics_rules)
    seconds = time.perf_counter() - t0
    handle.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--interactions", type=int, default=10_000_000)
    parser.add_argument("--measure", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--statistics-only", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(*args.measure)
        return
    if args.statistics_only:
        print(json.dumps({"statistics_s": statistics_only(args.statistics_only)}))
        return
    db = Path(tempfile.mkdtemp(prefix="jauge-index-bench-")) / "bench.duckdb"
    print(f"index benchmark: {args.accounts:,} accounts, {args.interactions:,} interactions")
    t0 = time.perf_counter()
    generate(db, args.accounts, args.interactions)
    print(f"  store built in {time.perf_counter() - t0:.1f} s: {db}")

    def run(*extra: str) -> dict:
        return in_fresh_process(__file__, *extra)

    ours = run("--measure", "duckdb", str(db))
    stats_s = run("--statistics-only", str(db))["statistics_s"]
    theirs = run("--measure", "pandas", str(db))
    same = all(
        (a is None and b is None) or (a is not None and b is not None and abs(a - b) < 1e-9)
        for a, b in zip(ours["scores"], theirs["scores"], strict=True)
    )
    mib = 2**20
    print(
        f"  jauge (DuckDB engine), whole index:     {ours['total_s']:7.2f} s   "
        f"peak {ours['peak_bytes'] / mib:,.0f} MiB   (statistics stage {stats_s:.2f} s)"
    )
    print(
        f"  pandas, whole index:                    {theirs['total_s']:7.2f} s   "
        f"peak {theirs['peak_bytes'] / mib:,.0f} MiB   (statistics stage "
        f"{theirs['statistics_s']:.2f} s, plus {theirs['load_s']:.2f} s loading the tables)"
    )
    print(
        f"  speed-up, whole index: {theirs['total_s'] / ours['total_s']:.1f}x; "
        f"statistics stage: {theirs['statistics_s'] / stats_s:.1f}x (target >= 10x, "
        f"< 2 GiB peak)"
    )
    print(f"  same scores from both: {same}")


if __name__ == "__main__":
    main()
