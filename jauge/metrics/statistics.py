"""The sufficient statistics of the index, defined once as SQL and run by any engine.

The index's formulas need five small tables per scope: the organisation's own
items (with their latest counts), the people who engaged (with what tells if
they came back), the threads others started (with whether and when the
organisation answered), the opinions others expressed, and the web analytics'
sessions (which of them social media sent, what they converted and earned). They
are written here once, in DuckDB's dialect, in the portable subset of SQL; the
Spark engine runs the same text transpiled by SQLGlot. Everything after these tables (bootstrap,
shrinkage, percentiles, aggregation) is the same Python code for both engines,
so two engines give identical figures when they give identical statistics.

The SQL reads the scopes to measure from two tables the engine registers,
``jauge_scopes`` and ``jauge_scope_terms`` (see :func:`scope_tables`), so one
statement measures one scope or a thousand: every output row carries its
``scope_id``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pyarrow as pa

from ..days import earlier
from ..integrity import FLAGGED
from ..store.ids import sql_literal
from ..value.channels import platform_sql, with_host
from .spec import StatisticsRules

#: statistic table -> its columns, in order (the engines return them so)
COLUMNS: dict[str, tuple[str, ...]] = {
    "items": (
        "scope_id",
        "item_id",
        "platform",
        "comments",
        "shares",
        "reactions",
        "saves_clicks",
        "reach",
        "followers",
    ),
    "engagers": (
        "scope_id",
        "person_id",
        "authenticity",
        "in_previous",
        "first_ever",
        "first_in_first_half",
        "returned",
    ),
    "threads": ("scope_id", "item_id", "platform", "answered", "answered_in_sla", "hours_to_first"),
    "opinions": ("scope_id", "item_id", "positive", "neutral", "negative"),
    # web analytics rows of the window (docs/value.md); social: 1 when a social platform
    # sent them
    "sessions": ("scope_id", "platform", "social", "sessions", "conversions", "revenue"),
}
TEXT_COLUMNS = ("item_id", "person_id", "platform")
#: the columns of one scope's statistic tables (scope_id dropped)
SCOPE_STAT_COLUMNS = {name: columns[1:] for name, columns in COLUMNS.items()}


def weighed(flagged_persons: str) -> str:
    """The persons `jauge integrity` weighed down (anyone else counts 1), of the scopes'
    workspaces (person ids are unique across workspaces), with the weight they count by:
    joining only them keeps the statistics as fast as before when most people are
    assessed as genuine. Flagged persons count by their weight up to index 1.0.2
    (``"weighed"``), as no one from 1.0.3 (``"excluded"``)."""
    weight = (
        f"CASE WHEN weight > {FLAGGED} THEN weight ELSE 0.0 END"
        if flagged_persons == "excluded"
        else "weight"
    )
    return (
        f"(SELECT person_id, {weight} AS weight FROM authenticity WHERE weight < 1 "
        "AND workspace IN (SELECT workspace FROM jauge_scopes))"
    )


ENGAGING_KINDS = ("reply", "comment", "mention", "repost", "quote", "reaction")
INBOUND_KINDS = ("mention", "reply", "comment")
SENTIMENT_KEYS = ("sentiment", "sentiment.human")


@dataclass(frozen=True)
class Scope:
    """What is measured: an organisation, optionally one account or one campaign, over a
    window [start, end) in UTC."""

    workspace: str
    org_id: str
    start: datetime
    end: datetime
    account_id: str | None = None
    campaign_terms: tuple[str, ...] | None = None  # hashtags and keywords, lower-cased
    #: the account's platform: its social sessions are those that platform sent
    account_platform: str | None = None
    #: the campaign's name and UTM campaign, lower-cased: its sessions carry one of them
    campaign_keys: tuple[str, ...] | None = None

    @property
    def previous_start(self) -> datetime:
        """The start of the period of the same length just before this one (from year 1
        at the earliest: a period starting in year 1008 has no earlier twin)."""
        return earlier(self.start, self.end - self.start)

    @property
    def middle(self) -> datetime:
        return self.start + (self.end - self.start) / 2


def scope_tables(scopes: list[Scope]) -> dict[str, pa.Table]:
    """The ``jauge_scopes`` and ``jauge_scope_terms`` tables the statistics SQL reads;
    scope ids are positions in ``scopes``."""
    ts = pa.timestamp("us")
    scopes_table = pa.table(
        {
            "scope_id": pa.array(range(len(scopes)), pa.int64()),
            "workspace": pa.array([s.workspace for s in scopes], pa.string()),
            "org_id": pa.array([s.org_id for s in scopes], pa.string()),
            "account_id": pa.array([s.account_id for s in scopes], pa.string()),
            "start_at": pa.array([s.start for s in scopes], ts),
            "end_at": pa.array([s.end for s in scopes], ts),
            "previous_at": pa.array([s.previous_start for s in scopes], ts),
            "middle_at": pa.array([s.middle for s in scopes], ts),
            "has_terms": pa.array([bool(s.campaign_terms) for s in scopes], pa.bool_()),
            "account_platform": pa.array([s.account_platform for s in scopes], pa.string()),
            "campaign_name": pa.array([_key(s, 0) for s in scopes], pa.string()),
            "campaign_utm": pa.array([_key(s, 1) for s in scopes], pa.string()),
        }
    )
    pairs = [(i, t) for i, s in enumerate(scopes) for t in (s.campaign_terms or ())]
    terms_table = pa.table(
        {
            "scope_id": pa.array([p[0] for p in pairs], pa.int64()),
            # LIKE wildcards in a term would match more than the term
            "pattern": pa.array(
                ["%" + t.replace("%", "").replace("_", "") + "%" for _, t in pairs], pa.string()
            ),
        }
    )
    return {"jauge_scopes": scopes_table, "jauge_scope_terms": terms_table}


def _key(scope: Scope, i: int) -> str | None:
    keys = scope.campaign_keys or ()
    return keys[i] if len(keys) > i else None


def split_by_scope(stats: dict[str, pa.Table], count: int) -> list[dict[str, pa.Table]]:
    """Per-scope statistic tables, without ``scope_id``, from tables sorted by scope."""
    import numpy as np

    bounds = {}
    for name, table in stats.items():
        ids = table.column("scope_id").to_numpy(zero_copy_only=False).astype(np.int64)
        bounds[name] = np.searchsorted(ids, np.arange(count + 1), side="left")
    per_scope = []
    for i in range(count):
        per_scope.append(
            {
                name: table.slice(
                    int(bounds[name][i]), int(bounds[name][i + 1] - bounds[name][i])
                ).drop_columns(["scope_id"])
                for name, table in stats.items()
            }
        )
    return per_scope


# Filters that narrow a scope to one account or one campaign (see statistics_sql).
LEFT_JOIN_MATCHED = "LEFT JOIN matched m ON m.scope_id = sc.scope_id AND m.item_id = c.item_id"
NARROW_OWN = """AND (sc.account_id IS NULL OR c.account_id = sc.account_id)
              AND (NOT sc.has_terms OR m.item_id IS NOT NULL)"""
JOIN_ANSWERED = "LEFT JOIN own_items o ON o.scope_id = sc.scope_id AND o.item_id = c.reply_to_id"
NARROW_OTHERS = """AND (NOT sc.has_terms OR m.item_id IS NOT NULL)
          AND (sc.account_id IS NULL OR c.account_id = sc.account_id OR o.item_id IS NOT NULL)"""
JOIN_TOUCHED = """LEFT JOIN own_items o ON o.scope_id = sc.scope_id AND o.item_id = i.target_item_id
            LEFT JOIN matched m ON m.scope_id = sc.scope_id AND m.item_id = i.item_id"""
NARROW_TOUCHES = """AND ((sc.account_id IS NULL AND NOT sc.has_terms)
                   OR o.item_id IS NOT NULL OR m.item_id IS NOT NULL)"""


def shares_organisations(scopes: list[Scope]) -> bool:
    """Whether several scopes measure the same organisation (periods or campaigns
    compared): their engagers are then read without one pass over its history each."""
    orgs = [(s.workspace, s.org_id) for s in scopes]
    return len(set(orgs)) < len(orgs)


def needs_narrowing(scopes: list[Scope]) -> bool:
    """Whether any scope is an account or a campaign (the SQL then filters by them): a
    campaign known only by its name or UTM campaign, without hashtags or keywords, still
    narrows the web sessions to those tagged with it."""
    return any(s.account_id or s.campaign_terms or s.campaign_keys for s in scopes)


#: the counts an own item's metric snapshots give the statistics
SNAPSHOT_COUNTED = ("comments", "shares", "reactions", "saves", "clicks", "reach", "followers")


def _latest_counts(snapshot_counts: str) -> str:
    """The ``latest`` CTE: each own item's counts, as the index version reads them."""
    if snapshot_counts == "latest_snapshot":  # up to 1.0.1: the latest snapshot, whole
        counts = ", ".join(f"s.{c}" for c in SNAPSHOT_COUNTED)
        return f"""
        ranked AS (
            SELECT o.scope_id, o.item_id, {counts},
                   ROW_NUMBER() OVER (PARTITION BY o.scope_id, o.item_id
                                      ORDER BY s.observed_at DESC) AS recency
            FROM own_items o
            JOIN metric_snapshots s ON s.subject_id = o.item_id AND s.subject_type = 'item'
        ),
        latest AS (SELECT * FROM ranked WHERE recency = 1)"""
    # each count from the latest snapshot that gives it: a newer export lacking a column
    # says nothing of that count, so the value an earlier export gave still holds
    counts = ",\n                   ".join(
        f"ARG_MAX(s.{c}, s.observed_at) FILTER (WHERE s.{c} IS NOT NULL) AS {c}"
        for c in SNAPSHOT_COUNTED
    )
    return f"""
        latest AS (
            SELECT o.scope_id, o.item_id,
                   {counts}
            FROM own_items o
            JOIN metric_snapshots s ON s.subject_id = o.item_id AND s.subject_type = 'item'
            GROUP BY o.scope_id, o.item_id
        )"""


def _came_back(rules: StatisticsRules) -> tuple[str, str]:
    """SQL of ``in_previous`` and ``returned`` over a ``per_person`` row (``p``): whether
    the person engaged in the previous window too, and whether one who engaged for the
    first time came back within the window, as the index version reads them."""
    if not rules.return_gap_hours:  # up to 1.0.2: any touch before, any later day
        return (
            "CASE WHEN p.first_in_previous IS NOT NULL THEN 1 ELSE 0 END",
            "CASE WHEN CAST(p.last_in_window AS DATE) > CAST(p.first_ever AS DATE) "
            "THEN 1 ELSE 0 END",
        )
    # from 1.0.3 two touches a day apart at least: two minutes either side of midnight, or
    # of the window's start, made a returning engager (what bought reposts did)
    gap = float(rules.return_gap_hours) * 3600

    def apart(earlier: str) -> str:
        return f"EPOCH(p.last_in_window) - EPOCH({earlier}) >= {gap}"

    return (
        f"CASE WHEN p.first_in_previous IS NOT NULL AND {apart('p.first_in_previous')} "
        "THEN 1 ELSE 0 END",
        f"CASE WHEN {apart('p.first_ever')} THEN 1 ELSE 0 END",
    )


def engager_rows(rules: StatisticsRules, where: str = "") -> str:
    """Each engager's row from ``per_person`` (one group per scope and person, with their
    first touch ever, their first in the previous window and their last in the window):
    what both engagers' statements end with."""
    in_previous, returned = _came_back(rules)
    return f"""
        SELECT p.scope_id, p.person_id,
               -- 1 for anyone `jauge integrity` never assessed
               COALESCE(w.weight, 1.0) AS authenticity,
               {in_previous} AS in_previous,
               CASE WHEN p.first_ever >= sc.start_at THEN 1 ELSE 0 END AS first_ever,
               CASE WHEN p.first_ever >= sc.start_at AND p.first_ever < sc.middle_at
                    THEN 1 ELSE 0 END AS first_in_first_half,
               -- engaged again, within the window, after their first touch ever
               {returned} AS returned
        FROM per_person p
        JOIN jauge_scopes sc ON sc.scope_id = p.scope_id
        LEFT JOIN {weighed(rules.flagged_persons)} w ON w.person_id = p.person_id
        {where}
        ORDER BY p.scope_id, p.person_id
    """


def _engagers_of_many(own_items: str, kinds: str, narrowed: bool, rules: StatisticsRules) -> str:
    """The engagers' statement for scopes that share organisations (a comparison month by
    month): the same rows as the one-pass statement, without grouping an organisation's
    whole history once per scope, which grew as scopes times history."""
    # a scope narrowed to an account or a campaign's terms counts only its own touches; a
    # whole organisation's scope counts every touch of the organisation
    plain = "(sc.account_id IS NULL AND NOT sc.has_terms)" if narrowed else "TRUE"
    narrowed_first = (
        f"""
        -- the first touch ever of each person engaged with a narrowed scope, over its touches
        narrowed_first AS (
            SELECT e.scope_id, e.person_id, MIN(i.occurred_at) AS first_ever
            FROM engaged e
            JOIN jauge_scopes sc ON sc.scope_id = e.scope_id
            JOIN interactions i ON i.workspace = sc.workspace AND i.org_id = sc.org_id
                 AND i.actor_person_id = e.person_id
            {JOIN_TOUCHED}
            WHERE NOT {plain} AND i.kind IN ({kinds}) {NARROW_TOUCHES}
            GROUP BY e.scope_id, e.person_id
        ),"""
        if narrowed
        else ""
    )
    return f"""
        WITH {own_items},
        -- one group per person and scope, over the touches of the scope's window and the
        -- window before it; how long each person has engaged is read apart, once per
        -- organisation, so that many scopes of one organisation (a comparison month by
        -- month) do not each group its whole history
        in_windows AS (
            SELECT sc.scope_id, i.actor_person_id AS person_id,
                   MIN(CASE WHEN i.occurred_at < sc.start_at THEN i.occurred_at END)
                       AS first_in_previous,
                   -- when they last engaged within the window (NULL if they did not)
                   MAX(CASE WHEN i.occurred_at >= sc.start_at THEN i.occurred_at END)
                       AS last_in_window
            FROM jauge_scopes sc
            JOIN interactions i ON i.workspace = sc.workspace AND i.org_id = sc.org_id
            {JOIN_TOUCHED if narrowed else ""}
            WHERE i.actor_person_id IS NOT NULL AND i.kind IN ({kinds})
              AND i.occurred_at >= sc.previous_at AND i.occurred_at < sc.end_at
              {NARROW_TOUCHES if narrowed else ""}
            GROUP BY sc.scope_id, i.actor_person_id
        ),
        engaged AS (SELECT * FROM in_windows WHERE last_in_window IS NOT NULL),
        -- each person's first touch ever of each organisation the scopes measure
        org_first AS (
            SELECT i.workspace, i.org_id, i.actor_person_id AS person_id,
                   MIN(i.occurred_at) AS first_ever
            FROM interactions i
            WHERE i.actor_person_id IS NOT NULL AND i.kind IN ({kinds})
              AND i.actor_person_id IN (SELECT person_id FROM engaged)
              AND EXISTS (SELECT 1 FROM jauge_scopes sc
                          WHERE sc.workspace = i.workspace AND sc.org_id = i.org_id)
            GROUP BY i.workspace, i.org_id, i.actor_person_id
        ),{narrowed_first}
        per_person AS (
            SELECT p.scope_id, p.person_id, p.first_in_previous, p.last_in_window,
                   {
        "CASE WHEN " + plain + " THEN g.first_ever ELSE n.first_ever END"
        if narrowed
        else "g.first_ever"
    } AS first_ever
            FROM engaged p
            JOIN jauge_scopes sc ON sc.scope_id = p.scope_id
            LEFT JOIN org_first g ON g.workspace = sc.workspace AND g.org_id = sc.org_id
                 AND g.person_id = p.person_id
            {
        "LEFT JOIN narrowed_first n ON n.scope_id = p.scope_id AND n.person_id = p.person_id"
        if narrowed
        else ""
    }
        )
{engager_rows(rules)}"""


def statistics_sql(
    rules: StatisticsRules, narrowed: bool = True, shared: bool = False
) -> dict[str, str]:
    """The SQL of each statistic table (DuckDB dialect, portable subset), by the
    ``rules`` of an index version.

    ``narrowed=False`` leaves out the account and campaign filters, for scopes that
    are whole organisations: the same definitions, without joins that would keep
    every row anyway.
    """
    sla_hours = rules.sla_hours
    kinds = ", ".join(sql_literal(k) for k in ENGAGING_KINDS)
    inbound_kinds = ", ".join(sql_literal(k) for k in INBOUND_KINDS)
    sentiment_keys = ", ".join(sql_literal(k) for k in SENTIMENT_KEYS)
    sla_seconds = float(sla_hours) * 3600
    weighed_persons = weighed(rules.flagged_persons)

    # items whose text matches one of their campaign scope's hashtags or keywords
    matched = """
        matched AS (
            SELECT DISTINCT t.scope_id, c.item_id
            FROM jauge_scope_terms t
            JOIN jauge_scopes sc ON sc.scope_id = t.scope_id
            JOIN content_items c ON c.workspace = sc.workspace AND c.org_id = sc.org_id
            WHERE LOWER(c.text) LIKE t.pattern
        )"""
    join_matched = LEFT_JOIN_MATCHED if narrowed else ""
    narrow_own = NARROW_OWN if narrowed else ""
    own_items = f"""{matched},
        own_items AS (
            SELECT sc.scope_id, c.item_id, c.platform, c.created_at
            FROM jauge_scopes sc
            JOIN content_items c ON c.workspace = sc.workspace AND c.org_id = sc.org_id
            {join_matched}
            WHERE c.is_own AND c.created_at >= sc.start_at AND c.created_at < sc.end_at
              {narrow_own}
        )"""
    # items by others about the scope: the account's own, or answering its items; an
    # author `jauge integrity` weighed down by half or more starts no thread and carries
    # no opinion
    others = f"""
        SELECT sc.scope_id, c.item_id, c.platform, c.created_at, c.kind
        FROM jauge_scopes sc
        JOIN content_items c ON c.workspace = sc.workspace AND c.org_id = sc.org_id
        {join_matched} {JOIN_ANSWERED if narrowed else ""}
        LEFT JOIN {weighed_persons} w ON w.person_id = c.author_person_id
        WHERE NOT c.is_own AND c.created_at >= sc.start_at AND c.created_at < sc.end_at
          AND COALESCE(w.weight, 1.0) > 0.5
          {NARROW_OTHERS if narrowed else ""}
    """
    latest = _latest_counts(rules.snapshot_counts)
    items = f"""
        WITH {own_items},
{latest},
        answers AS (
            -- each stored reply and repost counts by its author's authenticity weight;
            -- NULL where none is stored. Weights are summed as exact decimals: a sum of
            -- floating-point numbers depends on the order the engine adds them in, which
            -- would move the figures' last bits, and so the fingerprint, from run to run
            SELECT scope_id, item_id,
                   CAST(SUM(CASE WHEN kind IN ('reply', 'comment') THEN w END) AS DOUBLE)
                       AS replies,
                   CAST(SUM(CASE WHEN kind IN ('reply', 'comment') THEN 1 - w END) AS DOUBLE)
                       AS unreal_replies,
                   CAST(SUM(CASE WHEN kind IN ('repost', 'quote') THEN w END) AS DOUBLE)
                       AS reposts,
                   CAST(SUM(CASE WHEN kind IN ('repost', 'quote') THEN 1 - w END) AS DOUBLE)
                       AS unreal_reposts
            FROM (
                SELECT o.scope_id, o.item_id, i.kind,
                       CAST(COALESCE(a.weight, 1.0) AS DECIMAL(18, 9)) AS w
                FROM own_items o
                JOIN interactions i ON i.target_item_id = o.item_id
                LEFT JOIN {weighed_persons} a ON a.person_id = i.actor_person_id
            ) x
            GROUP BY scope_id, item_id
        )
        -- the platform's counts include the stored replies and reposts: what their authors'
        -- weights take away is taken from those counts too. A count is NULL (unknown,
        -- never zero) where the source reports none and stores none of what it counts.
        SELECT o.scope_id, o.item_id, o.platform,
               CASE WHEN l.comments IS NOT NULL OR a.replies IS NOT NULL
                    THEN GREATEST(COALESCE(l.comments, 0) - COALESCE(a.unreal_replies, 0),
                                  COALESCE(a.replies, 0)) END AS comments,
               CASE WHEN l.shares IS NOT NULL OR a.reposts IS NOT NULL
                    THEN GREATEST(COALESCE(l.shares, 0) - COALESCE(a.unreal_reposts, 0),
                                  COALESCE(a.reposts, 0)) END AS shares,
               l.reactions AS reactions,
               CASE WHEN l.saves IS NULL AND l.clicks IS NULL THEN NULL
                    ELSE COALESCE(l.saves, 0) + COALESCE(l.clicks, 0) END AS saves_clicks,
               l.reach, l.followers
        FROM own_items o
        LEFT JOIN latest l ON l.scope_id = o.scope_id AND l.item_id = o.item_id
        LEFT JOIN answers a ON a.scope_id = o.scope_id AND a.item_id = o.item_id
        ORDER BY o.scope_id, o.item_id
    """
    # one scope per organisation (a score, organisations compared): one pass over the
    # touches; several (periods compared): see _engagers_of_many
    engagers = (
        _engagers_of_many(own_items, kinds, narrowed, rules)
        if shared
        else f"""
        WITH {own_items},
        touches AS (
            SELECT sc.scope_id, sc.start_at, sc.end_at, sc.previous_at,
                   i.actor_person_id AS person_id, i.occurred_at
            FROM jauge_scopes sc
            JOIN interactions i ON i.workspace = sc.workspace AND i.org_id = sc.org_id
            {JOIN_TOUCHED if narrowed else ""}
            WHERE i.actor_person_id IS NOT NULL AND i.kind IN ({kinds})
              {NARROW_TOUCHES if narrowed else ""}
        ),
        -- one group per person and scope, over every touch (millions): the scope's own
        -- dates are joined back afterwards, as extra aggregates would make the groups
        -- too wide to stay in memory
        per_person AS (
            SELECT scope_id, person_id,
                   MIN(occurred_at) AS first_ever,
                   MIN(CASE WHEN occurred_at >= previous_at AND occurred_at < start_at
                            THEN occurred_at END) AS first_in_previous,
                   -- when they last engaged within the window (NULL if they did not)
                   MAX(CASE WHEN occurred_at >= start_at AND occurred_at < end_at
                            THEN occurred_at END) AS last_in_window
            FROM touches GROUP BY scope_id, person_id
        )
{engager_rows(rules, "WHERE p.last_in_window IS NOT NULL")}"""
    )
    threads = f"""
        WITH {own_items},
        inbound AS (SELECT * FROM ({others}) x WHERE kind IN ({inbound_kinds})),
        first_answer AS (
            SELECT b.scope_id, b.item_id, MIN(c.created_at) AS answered_at
            FROM inbound b
            JOIN jauge_scopes sc ON sc.scope_id = b.scope_id
            JOIN content_items c ON c.reply_to_id = b.item_id
            WHERE c.is_own AND c.workspace = sc.workspace AND c.org_id = sc.org_id
            GROUP BY b.scope_id, b.item_id
        )
        SELECT b.scope_id, b.item_id, b.platform,
               CASE WHEN f.answered_at IS NOT NULL THEN 1 ELSE 0 END AS answered,
               CASE WHEN f.answered_at IS NOT NULL
                     AND EPOCH(f.answered_at) - EPOCH(b.created_at) <= {sla_seconds}
                    THEN 1 ELSE 0 END AS answered_in_sla,
               CASE WHEN f.answered_at IS NOT NULL
                    THEN (EPOCH(f.answered_at) - EPOCH(b.created_at)) / 3600.0 END
                   AS hours_to_first
        FROM inbound b
        LEFT JOIN first_answer f ON f.scope_id = b.scope_id AND f.item_id = b.item_id
        ORDER BY b.scope_id, b.item_id
    """
    opinions = f"""
        WITH {own_items},
        about AS ({others}),
        labelled AS (
            SELECT b.scope_id, b.item_id, a.value,
                   -- a human label, when the data has one, wins over a model's
                   ROW_NUMBER() OVER (PARTITION BY b.scope_id, b.item_id
                                      ORDER BY CASE WHEN a.key = 'sentiment.human' THEN 0
                                                    ELSE 1 END, a.source) AS preference
            FROM about b JOIN annotations a ON a.item_id = b.item_id
            WHERE a.key IN ({sentiment_keys})
        )
        SELECT scope_id, item_id,
               CASE WHEN value = 'positive' THEN 1 ELSE 0 END AS positive,
               CASE WHEN value = 'neutral' THEN 1 ELSE 0 END AS neutral,
               CASE WHEN value = 'negative' THEN 1 ELSE 0 END AS negative
        FROM labelled WHERE preference = 1
        ORDER BY scope_id, item_id
    """
    exact = rules.social_hosts == "exact"
    platform = platform_sql("t", exact)
    scopes_orgs = "WHERE org_id IN (SELECT org_id FROM jauge_scopes)"
    narrow_sessions = (
        """AND (sc.account_platform IS NULL OR sp.social_platform = sc.account_platform)
              AND (sc.campaign_name IS NULL
                   OR LOWER(TRIM(sp.campaign)) IN (sc.campaign_name, sc.campaign_utm))"""
        if narrowed
        else ""
    )
    # an account's sessions are the social ones its platform sent; a campaign's, those
    # tagged with its name or UTM campaign
    sessions = f"""
        WITH hosted AS ({with_host("web_traffic", scopes_orgs, exact)}),
        sp AS (SELECT t.*, {platform} AS social_platform FROM hosted t)
        SELECT sc.scope_id, sp.social_platform AS platform,
               CASE WHEN sp.social_platform IS NOT NULL THEN 1 ELSE 0 END AS social,
               CAST(sp.sessions AS DOUBLE) AS sessions,
               CAST(sp.conversions AS DOUBLE) AS conversions,
               CAST(sp.revenue AS DOUBLE) AS revenue
        FROM jauge_scopes sc
        JOIN sp ON sp.workspace = sc.workspace AND sp.org_id = sc.org_id
        WHERE sp.day >= CAST(sc.start_at AS DATE) AND sp.day < CAST(sc.end_at AS DATE)
          {narrow_sessions}
        ORDER BY sc.scope_id, sp.row_id
    """
    return {
        "items": items,
        "engagers": engagers,
        "threads": threads,
        "opinions": opinions,
        "sessions": sessions,
    }
