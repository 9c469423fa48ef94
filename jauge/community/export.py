"""The interaction graph written out for other tools: CSV (an edges file and a nodes
file), GEXF (Gephi) and GraphML.

CSV and GEXF are written as they come from the store, sorted, without building the
graph: a million edges take seconds and a few hundred megabytes, where building the
networkx graph and its XML tree took half a minute and gigabytes. Their content is
exactly ``interaction_graph``'s (tests read them back and compare). GraphML goes
through networkx, which writes it incrementally when lxml is installed.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any, BinaryIO, TextIO
from xml.sax.saxutils import escape, quoteattr

import networkx as nx
import pyarrow as pa

from .. import __version__
from ..store.duckdb_store import Store
from .graph import edges_sql

CSV_COLUMNS = ("source", "source_handle", "target", "target_handle", "weight", "kinds")
#: a person's attributes in the graph, as interaction_graph sets them
NODE_ATTRIBUTES = ("handle", "platform", "name", "kind")
#: the nodes file next to the edges CSV: a node's id (the edges' source and target), then
#: its attributes, as a nodes table for Gephi's spreadsheet import
NODE_CSV_COLUMNS = ("node", *NODE_ATTRIBUTES)
BATCH = 50_000


class _StoreGraph:
    """The SQL of one organisation's graph in the store: its edges, its nodes with their
    attributes, persons renamed by ``alias`` (pseudonyms) when one is given, and the
    persons `jauge person forget` erased by their keyed pseudonyms in any case."""

    def __init__(
        self,
        store: Store,
        workspace: str,
        org: str,
        start: date | None,
        end: date | None,
        alias: Callable[[str], str] | None,
    ) -> None:
        self.store, self.con, self.workspace, self.org = store, store.con, workspace, org
        self.org_node = f"org:{org}"
        self.sql, self.params = edges_sql(store, workspace, org, start, end, kinds=True)
        self.alias = alias

    @contextmanager
    def aliases(self) -> Iterator[str]:
        """A table (node, alias): the persons' pseudonyms, or the forgotten persons'."""
        if self.alias is None:
            from .privacy import Forgotten

            # the few forgotten persons, whether in this graph or not: the joins pick them
            hidden = Forgotten(self.store, self.workspace)
            named = sorted(hidden.persons())
            rename: Callable[[str], str] = hidden.person
        else:
            nodes = self.con.sql(
                f"SELECT source FROM ({self.sql}) UNION SELECT target FROM ({self.sql})",
                params=self.params * 2,
            ).fetchall()
            named = [n for (n,) in nodes if n != self.org_node]
            rename = self.alias
        if not named:
            yield "(SELECT NULL::VARCHAR AS node, NULL::VARCHAR AS alias WHERE false)"
            return
        table = pa.table({"node": named, "alias": [rename(n) for n in named]})
        self.con.register("jauge_aliases", table)
        try:
            yield "jauge_aliases"
        finally:
            self.con.unregister("jauge_aliases")

    def edges(self, aliases: str) -> Any:
        """(source, source_handle, target, target_handle, weight, kinds), sorted."""
        return self.con.execute(
            f"""
            WITH e AS ({self.sql}), a AS (SELECT * FROM {aliases})
            SELECT coalesce(sa.alias, e.source) AS source,
                   coalesce(sa.alias, nullif(ps.handle, ''), e.source) AS source_handle,
                   coalesce(ta.alias, e.target) AS target,
                   CASE WHEN e.target = ? THEN ?
                        ELSE coalesce(ta.alias, nullif(pt.handle, ''), e.target) END
                       AS target_handle,
                   CAST(e.weight AS DOUBLE) AS weight, e.kinds
            FROM e
            LEFT JOIN a sa ON sa.node = e.source
            LEFT JOIN a ta ON ta.node = e.target
            LEFT JOIN persons ps ON ps.person_id = e.source AND ps.workspace = ?
            LEFT JOIN persons pt ON pt.person_id = e.target AND pt.workspace = ?
            ORDER BY 1, 3
            """,
            [*self.params, self.org_node, self.org, self.workspace, self.workspace],
        )

    def nodes(self, aliases: str) -> Any:
        """(node, handle, platform, name, kind) of every node, the organisation's included,
        sorted."""
        return self.con.execute(
            f"""
            WITH e AS ({self.sql}), a AS (SELECT * FROM {aliases}),
                 n AS (SELECT source AS node FROM e UNION SELECT target FROM e
                       UNION SELECT ?)
            SELECT coalesce(a.alias, n.node),
                   CASE WHEN n.node = ? THEN ?
                        ELSE coalesce(a.alias, nullif(p.handle, ''), n.node) END,
                   CASE WHEN n.node = ? THEN '' ELSE coalesce(p.platform, '') END,
                   CASE WHEN n.node = ? THEN ?
                        WHEN a.alias IS NOT NULL THEN ''
                        ELSE coalesce(p.display_name, '') END,
                   CASE WHEN n.node = ? THEN 'organisation' ELSE 'person' END
            FROM n
            LEFT JOIN a ON a.node = n.node
            LEFT JOIN persons p ON p.person_id = n.node AND p.workspace = ?
            ORDER BY 1
            """,
            [
                *self.params,
                self.org_node,
                self.org_node,
                self.org,
                self.org_node,
                self.org_node,
                self.org,
                self.org_node,
                self.workspace,
            ],
        )


def _batches(result: Any) -> Iterator[list[tuple[Any, ...]]]:
    while batch := result.fetchmany(BATCH):
        yield batch


def write_edges_csv(
    store: Store,
    workspace: str,
    org: str,
    out: TextIO,
    start: date | None = None,
    end: date | None = None,
    alias: Callable[[str], str] | None = None,
) -> dict[str, int]:
    """The weighted edges of ``org``'s graph as CSV, sorted; ``alias`` renames persons
    (handles included). Returns the counts of nodes and edges."""
    graph = _StoreGraph(store, workspace, org, start, end, alias)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    seen = {graph.org_node}  # the organisation is a node of its graph, edges or not
    edges = 0
    with graph.aliases() as aliases:
        for batch in _batches(graph.edges(aliases)):
            writer.writerows(batch)
            seen.update(row[0] for row in batch)
            seen.update(row[2] for row in batch)
            edges += len(batch)
    return {"nodes": len(seen), "edges": edges}


def nodes_csv_path(edges_path: str) -> str:
    """Where the nodes of an edges CSV go: next to it, ``u.csv`` giving ``u.nodes.csv``."""
    stem = edges_path[:-4] if edges_path.lower().endswith(".csv") else edges_path
    return stem + ".nodes.csv"


def write_nodes_csv(
    store: Store,
    workspace: str,
    org: str,
    out: TextIO,
    start: date | None = None,
    end: date | None = None,
    alias: Callable[[str], str] | None = None,
) -> int:
    """The nodes of ``org``'s graph as CSV (``NODE_CSV_COLUMNS``), sorted: those of
    :func:`write_edges_csv` with the same arguments, the organisation's included.
    Returns their count."""
    graph = _StoreGraph(store, workspace, org, start, end, alias)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(NODE_CSV_COLUMNS)
    nodes = 0
    with graph.aliases() as aliases:
        for batch in _batches(graph.nodes(aliases)):
            writer.writerows(batch)
            nodes += len(batch)
    return nodes


def write_gexf(
    store: Store,
    workspace: str,
    org: str,
    out: BinaryIO,
    start: date | None = None,
    end: date | None = None,
    alias: Callable[[str], str] | None = None,
) -> dict[str, int]:
    """``org``'s graph as GEXF 1.2 (Gephi's format), as networkx writes it: the same
    attributes (handle, platform, name, kind; an edge's weight and kinds), nodes and
    edges sorted, no date inside (the same store gives the same file)."""
    graph = _StoreGraph(store, workspace, org, start, end, alias)

    def write(text: str) -> None:
        out.write(text.encode("utf-8"))

    write(
        "<?xml version='1.0' encoding='utf-8'?>\n"
        '<gexf xmlns="http://www.gexf.net/1.2draft" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://www.gexf.net/1.2draft '
        'http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">\n'
        f"  <meta>\n    <creator>jauge {escape(__version__)}</creator>\n  </meta>\n"
        f'  <graph defaultedgetype="directed" mode="static" name={quoteattr(org)}>\n'
        '    <attributes mode="static" class="edge">\n'
        f'      <attribute id="{len(NODE_ATTRIBUTES)}" title="kinds" type="string" />\n'
        "    </attributes>\n"
        '    <attributes mode="static" class="node">\n'
        + "".join(
            f'      <attribute id="{i}" title="{title}" type="string" />\n'
            for i, title in enumerate(NODE_ATTRIBUTES)
        )
        + "    </attributes>\n    <nodes>\n"
    )
    nodes = edges = 0
    kinds_id = len(NODE_ATTRIBUTES)
    with graph.aliases() as aliases:
        for batch in _batches(graph.nodes(aliases)):
            write(
                "".join(
                    f"      <node id={quoteattr(node)} label={quoteattr(node)}>\n"
                    "        <attvalues>\n"
                    + "".join(
                        f'          <attvalue for="{i}" value={quoteattr(value)} />\n'
                        for i, value in enumerate(values)
                    )
                    + "        </attvalues>\n      </node>\n"
                    for node, *values in batch
                )
            )
            nodes += len(batch)
        write("    </nodes>\n    <edges>\n")
        for batch in _batches(graph.edges(aliases)):
            write(
                "".join(
                    f"      <edge source={quoteattr(source)} target={quoteattr(target)} "
                    f'id="{edges + i}" weight="{weight!r}">\n'
                    "        <attvalues>\n"
                    f'          <attvalue for="{kinds_id}" value={quoteattr(kinds)} />\n'
                    "        </attvalues>\n      </edge>\n"
                    for i, (source, _handle, target, _target_handle, weight, kinds) in enumerate(
                        batch
                    )
                )
            )
            edges += len(batch)
    write("    </edges>\n  </graph>\n</gexf>\n")
    return {"nodes": nodes, "edges": edges}


def write_graphml(graph: nx.DiGraph, out: BinaryIO) -> None:
    """The graph as GraphML (networkx's writer: incremental with lxml)."""
    nx.write_graphml(graph, out)
