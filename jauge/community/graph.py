"""The interaction graph of an organisation's community, built on networkx.

Nodes are persons (and the organisation itself, ``org:NAME``); a directed edge goes from
whoever engaged (a reply, a comment, a mention, a repost, a quote) to the author of what
they engaged with — the organisation when it is one of its posts or when they mention
it. Edge weights add up each engager's authenticity weight (1 unless ``jauge integrity``
weighed them down), so inauthentic activity counts for little or nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import duckdb
import networkx as nx
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import scipy.sparse as sp

from ..days import after, check_order, first_day, midnight
from ..store.duckdb_store import Store

DAMPING = 0.85
#: networkx's convergence test: the ranks moved by less than nodes × TOLERANCE in all
TOLERANCE = 1e-10
MAX_ITERATIONS = 500


def window(
    store: Store, org_id: str, start: date | None, end: date | None, days: int = 90
) -> tuple[datetime, datetime]:
    latest = None if end else store.latest_item_day([org_id], mentions=True)
    end = end or latest or date.today()
    start = start or first_day(end, days)
    check_order(start, end, end_by_default=latest is not None)
    return midnight(start), after(end)


def interaction_graph(
    store: Store,
    workspace: str,
    org: str,
    start: date | None = None,
    end: date | None = None,
    alias: Callable[[str], str] | None = None,
) -> nx.DiGraph:
    """The weighted, directed interaction graph of ``org``'s community over a window.
    ``alias`` renames every person (pseudonyms); persons `jauge person forget` erased
    are renamed by their keyed pseudonym in any case (their id would name them)."""
    from .privacy import Forgotten

    org_node = f"org:{org}"
    rows = _edges(store, workspace, org, start, end, kinds=True).fetchall()
    used = {node for row in rows for node in row[:2]} - {org_node}
    people = {
        r[0]: {"kind": "person", "handle": r[1] or r[0], "platform": r[2], "name": r[3] or ""}
        for r in store.con.execute(
            "SELECT person_id, handle, platform, display_name FROM persons WHERE workspace = ?",
            [workspace],
        ).fetchall()
        if r[0] in used
    }
    if alias is None:
        hidden = Forgotten(store, workspace)
        renamed = {n: hidden.person(n) for n in hidden.persons() & used}
    else:
        renamed = {n: alias(n) for n in used}
    graph = nx.DiGraph(org=org)
    graph.add_node(org_node, handle=org, platform="", name=org, kind="organisation")
    graph.add_nodes_from(
        (n, people.get(n, {"kind": "person", "handle": n, "platform": "", "name": ""}))
        for n in used
    )
    graph.add_edges_from(
        (source, target, {"weight": float(weight), "kinds": kinds})
        for source, target, weight, kinds in rows
    )
    for node, name in renamed.items():
        graph.nodes[node].update(handle=name, name="")
    return nx.relabel_nodes(graph, renamed) if renamed else graph


def edges_sql(
    store: Store, workspace: str, org: str, start: date | None, end: date | None, kinds: bool
) -> tuple[str, list[Any]]:
    """SQL for the weighted edges (source, target, weight[, kinds]) of ``org``'s graph.

    The touches are the organisation's interactions, and the items others wrote that its
    dictionary found (``jauge enrich``: the mentions table), each a mention of it: the
    items `jauge people` counts as about it, whichever organisation they were imported
    for. An item that already carries an interaction with the organisation counts once."""
    org_id = store.org_id(workspace, org)
    begin, finish = window(store, org_id, start, end)
    kinds_column = ", string_agg(DISTINCT e.kind, ',' ORDER BY e.kind) AS kinds" if kinds else ""
    sql = f"""
        WITH touches AS (
            SELECT i.actor_person_id AS actor, coalesce(t.author_person_id, ?) AS target,
                   i.kind
            FROM interactions i
            LEFT JOIN content_items t ON t.item_id = i.target_item_id
            WHERE i.workspace = ? AND i.org_id = ? AND i.actor_person_id IS NOT NULL
              AND i.occurred_at >= ? AND i.occurred_at < ?
            UNION ALL
            SELECT c.author_person_id, ?, 'mention'
            FROM content_items c
            WHERE c.workspace = ? AND NOT c.is_own AND c.author_person_id IS NOT NULL
              AND c.created_at >= ? AND c.created_at < ?
              AND c.item_id IN (SELECT item_id FROM mentions WHERE workspace = ? AND org_id = ?)
              AND NOT EXISTS (SELECT 1 FROM interactions x WHERE x.item_id = c.item_id
                              AND x.workspace = ? AND x.org_id = ?)
        )
        SELECT e.actor AS source, e.target,
               sum(coalesce(w.weight, 1.0)) AS weight{kinds_column}
        FROM touches e
        LEFT JOIN authenticity w ON w.person_id = e.actor AND w.weight < 1
        GROUP BY 1, 2
        HAVING source <> e.target AND sum(coalesce(w.weight, 1.0)) > 0
        """
    org_node = f"org:{org}"
    return sql, [
        *(org_node, workspace, org_id, begin, finish),
        *(org_node, workspace, begin, finish, workspace, org_id, workspace, org_id),
    ]


def _edges(
    store: Store, workspace: str, org: str, start: date | None, end: date | None, kinds: bool
) -> duckdb.DuckDBPyRelation:
    sql, params = edges_sql(store, workspace, org, start, end, kinds)
    return store.con.sql(sql, params=params)


def weighted_pagerank(graph: nx.DiGraph) -> dict[str, float]:
    """PageRank with edge weights (damping 0.85, dangling nodes spread uniformly)."""
    if graph.number_of_nodes() == 0:
        return {}
    ranks: dict[str, float] = nx.pagerank(
        graph, alpha=DAMPING, weight="weight", tol=TOLERANCE, max_iter=MAX_ITERATIONS
    )
    return ranks


def community_pagerank(
    store: Store, workspace: str, org: str, start: date | None = None, end: date | None = None
) -> dict[str, float]:
    """``weighted_pagerank(interaction_graph(...))`` without building the graph.

    The ranking of people needs only the ranks, and building a networkx graph of a
    million edges (each with its attributes) took 6 of its 11 seconds. Here the
    edges stay in Arrow arrays, and their nodes are numbered by Arrow's compute kernels.
    """
    table = _edges(store, workspace, org, start, end, kinds=False).to_arrow_table()
    if table.num_rows == 0:
        return {}
    nodes = pc.unique(pa.chunked_array(table["source"].chunks + table["target"].chunks))
    ranks = pagerank_of_edges(
        pc.index_in(table["source"], nodes).to_numpy(),
        pc.index_in(table["target"], nodes).to_numpy(),
        table["weight"].to_numpy().astype(float),
        len(nodes),
    )
    return dict(zip(nodes.to_pylist(), ranks.tolist(), strict=True))


def pagerank_of_edges(
    sources: np.ndarray, targets: np.ndarray, weights: np.ndarray, nodes: int
) -> np.ndarray:
    """The PageRank of nodes ``0..nodes-1`` linked by weighted edges, computed as networkx
    does (its SciPy power iteration: the same damping, dangling nodes spread uniformly,
    the same convergence test), from arrays rather than from a graph object."""
    adjacency = sp.csr_array((weights, (sources, targets)), shape=(nodes, nodes))
    out = adjacency.sum(axis=1)
    dangling = out == 0
    # each row divided by its node's total out-weight: the transition matrix
    scale = np.divide(1.0, out, out=np.zeros(nodes), where=~dangling)
    transition = (sp.dia_array((scale, 0), shape=(nodes, nodes)) @ adjacency).T.tocsr()
    teleport = (1.0 - DAMPING) / nodes
    ranks = np.full(nodes, 1.0 / nodes)
    for _ in range(MAX_ITERATIONS):
        last = ranks
        ranks = DAMPING * (transition @ last + last[dangling].sum() / nodes) + teleport
        if np.abs(ranks - last).sum() < nodes * TOLERANCE:
            break
    return ranks


def summary(graph: nx.DiGraph) -> dict[str, Any]:
    return {
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "weight": sum(d["weight"] for _, _, d in graph.edges(data=True)),
    }
