"""Community benchmark: the interaction graph and the people ranking for 1,000,000
interactions among 100,000 persons, next to a plain networkx computation of the same
PageRank in the same run.

jauge's people ranking computes PageRank from the store's edges in Arrow and SciPy
arrays (networkx's algorithm, without a graph object). The GEXF export (`jauge graph
export`, written from the store) is timed next to networkx building the graph with every
attribute and writing it.

The store is generated from real data's distributions: each person's activity follows
the number of tweets per author in the airline sample (tests/data), so a few people are
very active and most appear once; 20% of the people write items about the organisation
(the airline tweets' texts, resampled), and interactions (replies, reposts, quotes in the
mix of the airline data's mentions) go from a person to an item of another person or to
the organisation's posts. Each measurement runs in a fresh process (peak memory).
Run: python benchmarks/community.py [--persons 100000 --interactions 1000000]
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.fresh import in_fresh_process  # noqa: E402

TWEETS = ROOT / "tests" / "data" / "twitter-us-airline-sentiment" / "Tweets_sample.csv"
WORKSPACE, ORG = "bench", "Acme"


def generate(db: Path, persons: int, interactions: int) -> None:
    import jauge

    with TWEETS.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    weights = sorted(Counter(r["name"] for r in rows).values())
    texts = [r["text"].replace("'", "''") for r in rows][:500]
    with jauge.open(db, workspace=WORKSPACE) as j:
        con = j.store.con
        org_id = j.store.ensure_org(WORKSPACE, ORG)
        # one thread: random() and row_number() OVER () then give the same store each run
        con.execute("SET threads = 1")
        con.execute("SELECT setseed(0.7)")
        con.execute(
            "CREATE TEMP TABLE w AS SELECT * FROM (VALUES "
            + ", ".join(f"({i}, {c})" for i, c in enumerate(weights))
            + ") t(k, c)"
        )
        con.execute(
            "CREATE TEMP TABLE tx AS SELECT * FROM (VALUES "
            + ", ".join(f"({i}, '{t}')" for i, t in enumerate(texts))
            + ") t(k, text)"
        )
        con.execute(f"""
            INSERT INTO persons (person_id, workspace, platform, native_id, handle,
                                 display_name, location, first_seen_at, followers)
            SELECT md5('p' || p), '{WORKSPACE}', 'x', 'p' || p, 'user' || p, NULL, NULL,
                   TIMESTAMP '2024-01-01', NULL
            FROM range({persons}) r(p);
            CREATE TEMP TABLE activity AS
            SELECT p, w.c AS c FROM range({persons}) r(p)
            JOIN w ON w.k = CAST(hash(p) % {len(weights)} AS INTEGER);
            CREATE TEMP TABLE tickets AS
            SELECT p, row_number() OVER () - 1 AS t FROM activity, range(c) x(i);
            INSERT INTO content_items
            SELECT 'it' || p || '-' || i, '{WORKSPACE}', 'x', 'it' || p || '-' || i, false,
                   'mention', '{org_id}', NULL, md5('p' || p), false, tx.text, NULL, NULL, 'en',
                   TIMESTAMP '2024-01-01' + to_seconds(CAST(random() * 86400 * 89 AS BIGINT)),
                   NULL, NULL, NULL, NULL, 'bench', 'bench', NULL, NULL
            FROM activity a, range(a.c) r(i)
            JOIN tx ON tx.k = CAST(hash(a.p, i) % {len(texts)} AS INTEGER)
            WHERE hash(a.p) % 5 = 0;
            INSERT INTO content_items
            SELECT 'own' || i, '{WORKSPACE}', 'x', 'own' || i, false, 'post', '{org_id}', NULL,
                   NULL, true, 'news', NULL, NULL, 'en', TIMESTAMP '2024-01-01' + INTERVAL (i) DAY,
                   NULL, NULL, NULL, NULL, 'bench', 'bench', NULL, NULL
            FROM range(90) r(i);
            CREATE TEMP TABLE targets AS
            SELECT item_id, row_number() OVER () - 1 AS t FROM content_items
            WHERE workspace = '{WORKSPACE}';
        """)
        n_tickets = con.execute("SELECT count(*) FROM tickets").fetchall()[0][0]
        n_targets = con.execute("SELECT count(*) FROM targets").fetchall()[0][0]
        con.execute(f"""
            INSERT INTO standalone_interactions
            SELECT 'i' || r.i, '{WORKSPACE}', 'x',
                   CASE WHEN random() < 0.6 THEN 'reply' WHEN random() < 0.8 THEN 'repost'
                        ELSE 'quote' END,
                   md5('p' || k.p), '{org_id}', g.item_id, NULL,
                   TIMESTAMP '2024-01-01' + to_seconds(CAST(random() * 86400 * 89 AS BIGINT)),
                   'bench'
            FROM (SELECT i, CAST(floor(random() * {n_tickets}) AS BIGINT) AS kt,
                         CAST(floor(random() * {n_targets}) AS BIGINT) AS gt
                  FROM range({interactions}) r(i)) r
            JOIN tickets k ON k.t = r.kt
            JOIN targets g ON g.t = r.gt;
        """)


def measure(kind: str, db: str) -> None:
    import jauge

    started = time.perf_counter()
    figures: dict[str, float] = {}
    with jauge.open(db, workspace=WORKSPACE) as j:
        if kind == "jauge":
            from jauge.community.graph import community_pagerank, interaction_graph
            from jauge.community.people import rank_people

            ranks = community_pagerank(j.store, WORKSPACE, ORG)
            figures["pagerank_s"] = time.perf_counter() - started
            t = time.perf_counter()
            people = rank_people(j.store, WORKSPACE, ORG, limit=100, ranks=ranks)
            figures["ranking_s"] = time.perf_counter() - t
            figures["people"] = len(people)
            figures["total_s"] = time.perf_counter() - started
            figures["people_peak_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
            # `jauge graph export --format gexf`: written from the store...
            import os
            import tempfile

            import networkx as nx

            from jauge.community.export import write_gexf

            folder = tempfile.mkdtemp(prefix="jauge-gexf-")
            t = time.perf_counter()
            with open(os.path.join(folder, "jauge.gexf"), "wb") as out:
                write_gexf(j.store, WORKSPACE, ORG, out)
            figures["gexf_s"] = time.perf_counter() - t
            # ... next to the graph with every attribute, written by networkx (the baseline)
            t = time.perf_counter()
            graph = interaction_graph(j.store, WORKSPACE, ORG)
            figures["graph_s"] = time.perf_counter() - t
            t = time.perf_counter()
            with open(os.path.join(folder, "networkx.gexf"), "wb") as out:
                nx.write_gexf(graph, out)
            figures["nx_gexf_s"] = time.perf_counter() - t
            shutil.rmtree(folder)
        else:
            import networkx as nx

            edges = j.sql(
                "SELECT i.actor_person_id AS u, coalesce(t.author_person_id, 'org') AS v "
                "FROM interactions i LEFT JOIN content_items t ON t.item_id = i.target_item_id"
            ).to_pandas()
            graph = nx.DiGraph()
            for (u, v), w in edges.groupby(["u", "v"]).size().items():
                if u != v:
                    graph.add_edge(u, v, weight=float(w))
            figures["graph_s"] = time.perf_counter() - started
            t = time.perf_counter()
            ranks = nx.pagerank(graph, alpha=0.85, weight="weight", tol=1e-10, max_iter=500)
            figures["pagerank_s"] = time.perf_counter() - t
    figures.setdefault("total_s", time.perf_counter() - started)
    figures["nodes"] = graph.number_of_nodes()
    figures["edges"] = graph.number_of_edges()
    top = sorted(ranks, key=lambda n: -ranks[n])[:5]
    figures["top"] = ["org" if n.startswith("org:") else n for n in top]  # type: ignore[assignment]
    figures["peak_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps(figures))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--interactions", type=int, default=1_000_000)
    parser.add_argument("--measure", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(*args.measure)
        return
    db = Path(tempfile.mkdtemp(prefix="jauge-community-bench-")) / "bench.duckdb"
    t0 = time.perf_counter()
    generate(db, args.persons, args.interactions)
    print(
        f"community benchmark: {args.persons:,} persons, {args.interactions:,} interactions "
        f"(store built in {time.perf_counter() - t0:.1f} s)"
    )
    results = {}
    for kind in ("jauge", "networkx"):
        results[kind] = in_fresh_process(__file__, "--measure", kind, str(db))
    ours, plain = results["jauge"], results["networkx"]
    mib = 2**20
    print(
        f"  jauge people: PageRank from the store {ours['pagerank_s']:.2f} s + "
        f"people ranking {ours['ranking_s']:.2f} s = {ours['total_s']:.2f} s, "
        f"peak {ours['people_peak_bytes'] / mib:,.0f} MiB ({ours['nodes']:,} nodes, "
        f"{ours['edges']:,} edges)"
    )
    networkx_gexf = ours["graph_s"] + ours["nx_gexf_s"]
    print(
        f"  GEXF export: jauge from the store {ours['gexf_s']:.2f} s; networkx (the graph with "
        f"every attribute {ours['graph_s']:.2f} s + its writer {ours['nx_gexf_s']:.2f} s) "
        f"{networkx_gexf:.2f} s: {networkx_gexf / ours['gexf_s']:.1f}x as fast"
    )
    print(
        f"  plain networkx (pandas edges + nx.pagerank): graph {plain['graph_s']:.2f} s + "
        f"PageRank {plain['pagerank_s']:.2f} s = {plain['total_s']:.2f} s, "
        f"peak {plain['peak_bytes'] / mib:,.0f} MiB"
    )
    print(f"  same top 5 by PageRank: {ours['top'] == plain['top']}")
    print(
        f"  PageRank: jauge {plain['total_s'] / ours['pagerank_s']:.1f}x as fast as networkx; "
        f"with the people ranking, {plain['total_s'] / ours['total_s']:.1f}x"
    )


if __name__ == "__main__":
    main()
