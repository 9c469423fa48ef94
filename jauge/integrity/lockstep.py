"""Lockstep groups: accounts that engage together, within minutes of posting, post after post.

Engagement pods (Weerasinghe et al., "The Pod People", WWW 2020) and bought
amplification share one trace: the same accounts turn up on the same posts, early,
again and again (CopyCatch, Beutel et al. 2013, finds such lockstep groups on
Facebook likes). Here: an engagement is *early* when it comes within ``minutes`` of
the organisation's post; two accounts are *in step* when each has engaged early with
at least ``min_items`` posts and their sets of such posts overlap by a Jaccard index
of at least ``min_overlap``; a *lockstep group* is a connected set of at least
``min_group`` accounts in step. Loyal fans engage often but not always first, nor
always on the same posts as the same others; the thresholds are set so that a group
must do all of it.

The defaults weigh a pod's cheapest variants against real fans (QA findings F3, then
F2 of the next pass): 30 minutes finds a pod that waits 11 to 25 minutes, which escaped
10; an overlap of 0.5 keeps apart independent fans who each answer within the hour half of
the posts (their chance overlap is p / (2 - p), a third at p = 0.5), where 0.2 grouped
fans answering a fifth of them. A pod that sends a few of its members to each post shares
no more than chance: pairs cannot tell it from active fans (docs/integrity.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from ..store import Store
from ..store.ids import make_id


@dataclass(frozen=True)
class LockstepRules:
    minutes: int = 30
    min_items: int = 5
    min_overlap: float = 0.5
    min_group: int = 3


@dataclass(frozen=True)
class LockstepGroup:
    group_id: str
    members: tuple[str, ...]  # person ids, sorted
    items: int  # the most posts two of its members engaged with early, together


#: pairs of early engagements on the same posts compared at most: beyond, the comparison
#: would take minutes and gigabytes (thousands of accounts engaging early on every post,
#: a celebrity's audience rather than a pod), so it is not made and the report says so
PAIR_LIMIT = 20_000_000


class TooManyPairs(Exception):
    """More early engagements to compare pairwise than PAIR_LIMIT allows."""

    def __init__(self, pairs: int, limit: int) -> None:
        super().__init__(pairs, limit)
        self.pairs, self.limit = pairs, limit


def in_step_pairs(store: Store, workspace: str, rules: LockstepRules) -> list[tuple[str, str, int]]:
    """Pairs of persons in step, with the number of posts both engaged with early;
    raises :class:`TooManyPairs` rather than compare more than :data:`PAIR_LIMIT`."""
    con = store.con
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE jauge_early AS
        WITH early AS (
            SELECT DISTINCT i.actor_person_id AS person_id, o.item_id
            FROM content_items o
            JOIN interactions i ON i.target_item_id = o.item_id
            WHERE o.workspace = $ws AND o.is_own AND i.actor_person_id IS NOT NULL
              AND i.occurred_at >= o.created_at
              AND i.occurred_at < o.created_at + to_minutes(CAST($minutes AS BIGINT))
        ),
        active AS (
            SELECT person_id, count(*) AS n FROM early
            GROUP BY person_id HAVING count(*) >= $min_items
        )
        SELECT e.person_id, e.item_id, a.n FROM early e JOIN active a USING (person_id)
        """,
        {"ws": workspace, "minutes": rules.minutes, "min_items": rules.min_items},
    )
    try:
        pairs = con.execute(
            "SELECT coalesce(sum(k * (k - 1) // 2), 0) FROM "
            "(SELECT count(*) AS k FROM jauge_early GROUP BY item_id)"
        ).fetchall()[0][0]
        if pairs > PAIR_LIMIT:
            raise TooManyPairs(int(pairs), PAIR_LIMIT)
        found = con.execute(
            """
            WITH pairs AS (
                SELECT x.person_id AS a, y.person_id AS b, count(*) AS shared,
                       min(x.n) AS na, min(y.n) AS nb
                FROM jauge_early x JOIN jauge_early y
                  ON x.item_id = y.item_id AND x.person_id < y.person_id
                GROUP BY x.person_id, y.person_id
                HAVING count(*) >= $min_items
            )
            SELECT a, b, shared FROM pairs
            WHERE shared >= $min_overlap * (na + nb - shared)
            ORDER BY a, b
            """,
            {"min_items": rules.min_items, "min_overlap": rules.min_overlap},
        ).fetchall()
    finally:
        con.execute("DROP TABLE IF EXISTS jauge_early")
    return [(str(a), str(b), int(n)) for a, b, n in found]


def lockstep_groups(store: Store, workspace: str, rules: LockstepRules) -> list[LockstepGroup]:
    """The lockstep groups of a workspace, largest first."""
    graph = nx.Graph()
    for a, b, shared in in_step_pairs(store, workspace, rules):
        graph.add_edge(a, b, shared=shared)
    groups = []
    for component in nx.connected_components(graph):
        if len(component) < rules.min_group:
            continue
        members = tuple(sorted(component))
        shared = max(d["shared"] for _a, _b, d in graph.subgraph(component).edges(data=True))
        groups.append(LockstepGroup(make_id("lockstep", *members)[:12], members, shared))
    return sorted(groups, key=lambda g: (-len(g.members), g.group_id))
