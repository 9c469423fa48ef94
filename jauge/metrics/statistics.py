"""The sufficient statistics of the index, defined once as SQL and run by any engine.

The index's formulas need four small tables per scope: the organisation's own
items (with their latest counts), the people who engaged (with what tells if
they came back), the threads others started (with whether and when the
organisation answered), and the opinions others expressed. They are written here
once, in DuckDB's dialect, in the portable subset of SQL; the Spark engine runs
the same text transpiled by SQLGlot. Everything after these tables (bootstrap,
shrinkage, percentiles, aggregation) is the same Python code for both engines,
so two engines give identical figures when they give identical statistics.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..store.ids import sql_literal

#: statistic table -> its columns, in order (the engines return them so)
COLUMNS: dict[str, tuple[str, ...]] = {
    "items": (
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
        "person_id",
        "authenticity",
        "in_previous",
        "first_ever",
        "first_in_first_half",
        "returned",
    ),
    "threads": ("item_id", "platform", "answered", "answered_in_sla", "hours_to_first"),
    "opinions": ("item_id", "positive", "neutral", "negative"),
}

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

    @property
    def previous_start(self) -> datetime:
        return self.start - (self.end - self.start)

    @property
    def middle(self) -> datetime:
        return self.start + (self.end - self.start) / 2


def _ts(value: datetime) -> str:
    return f"CAST('{value.strftime('%Y-%m-%d %H:%M:%S')}' AS TIMESTAMP)"


def _text_matches(column: str, terms: tuple[str, ...]) -> str:
    likes = " OR ".join(
        f"LOWER({column}) LIKE {sql_literal('%' + t.replace('%', '').replace('_', '') + '%')}"
        for t in terms
    )
    return f"({likes})"


def statistics_sql(scope: Scope, sla_hours: float) -> dict[str, str]:
    """The SQL of each statistic table for ``scope`` (DuckDB dialect, portable subset)."""
    ws, org = sql_literal(scope.workspace), sql_literal(scope.org_id)
    start, end = _ts(scope.start), _ts(scope.end)
    prev, middle = _ts(scope.previous_start), _ts(scope.middle)
    account = f"AND c.account_id = {sql_literal(scope.account_id)}" if scope.account_id else ""
    terms = scope.campaign_terms
    own_campaign = f"AND {_text_matches('c.text', terms)}" if terms else ""
    kinds = ", ".join(sql_literal(k) for k in ENGAGING_KINDS)
    inbound = ", ".join(sql_literal(k) for k in INBOUND_KINDS)
    sentiment_keys = ", ".join(sql_literal(k) for k in SENTIMENT_KEYS)

    own_items = f"""
        SELECT c.item_id, c.platform, c.created_at
        FROM content_items c
        WHERE c.workspace = {ws} AND c.org_id = {org} AND c.is_own
          AND c.created_at >= {start} AND c.created_at < {end} {account} {own_campaign}
    """
    # interactions with the organisation; narrowed to the account's or the campaign's items
    if scope.account_id or terms:
        carried = f"AND {_text_matches('ci.text', terms)}" if terms else "AND FALSE"
        narrow = f"""AND (i.target_item_id IN (SELECT item_id FROM ({own_items}) scoped)
                         OR i.item_id IN (SELECT ci.item_id FROM content_items ci
                                          WHERE ci.workspace = {ws} {carried}))"""
    else:
        narrow = ""
    interactions = f"""
        SELECT i.actor_person_id AS person_id, i.occurred_at, i.kind, i.target_item_id
        FROM interactions i
        WHERE i.workspace = {ws} AND i.org_id = {org} AND i.actor_person_id IS NOT NULL
          AND i.kind IN ({kinds}) {narrow}
    """
    items = f"""
        WITH scoped AS ({own_items}),
        ranked AS (
            SELECT s.subject_id, s.comments, s.shares, s.reactions, s.saves, s.clicks,
                   s.reach, s.followers,
                   ROW_NUMBER() OVER (PARTITION BY s.subject_id ORDER BY s.observed_at DESC)
                       AS recency
            FROM metric_snapshots s
            WHERE s.workspace = {ws} AND s.subject_type = 'item'
              AND s.subject_id IN (SELECT item_id FROM scoped)
        ),
        latest AS (SELECT * FROM ranked WHERE recency = 1),
        answers AS (
            SELECT i.target_item_id AS item_id,
                   SUM(CASE WHEN i.kind IN ('reply', 'comment') THEN 1 ELSE 0 END) AS replies,
                   SUM(CASE WHEN i.kind IN ('repost', 'quote') THEN 1 ELSE 0 END) AS reposts
            FROM interactions i
            WHERE i.workspace = {ws} AND i.target_item_id IN (SELECT item_id FROM scoped)
            GROUP BY i.target_item_id
        )
        SELECT o.item_id, o.platform,
               GREATEST(COALESCE(l.comments, 0), COALESCE(a.replies, 0)) AS comments,
               GREATEST(COALESCE(l.shares, 0), COALESCE(a.reposts, 0)) AS shares,
               COALESCE(l.reactions, 0) AS reactions,
               CASE WHEN l.saves IS NULL AND l.clicks IS NULL THEN NULL
                    ELSE COALESCE(l.saves, 0) + COALESCE(l.clicks, 0) END AS saves_clicks,
               l.reach, l.followers
        FROM scoped o
        LEFT JOIN latest l ON l.subject_id = o.item_id
        LEFT JOIN answers a ON a.item_id = o.item_id
        ORDER BY o.item_id
    """
    engagers = f"""
        WITH touches AS ({interactions}),
        per_person AS (
            SELECT person_id,
                   MIN(occurred_at) AS first_ever,
                   MAX(CASE WHEN occurred_at >= {prev} AND occurred_at < {start}
                            THEN 1 ELSE 0 END) AS in_previous,
                   MAX(CASE WHEN occurred_at >= {start} AND occurred_at < {end}
                            THEN 1 ELSE 0 END) AS in_window
            FROM touches GROUP BY person_id
        ),
        later_days AS (
            SELECT t.person_id, COUNT(DISTINCT CAST(t.occurred_at AS DATE)) AS days
            FROM touches t JOIN per_person p ON p.person_id = t.person_id
            WHERE t.occurred_at >= {start} AND t.occurred_at < {end}
              AND CAST(t.occurred_at AS DATE) > CAST(p.first_ever AS DATE)
            GROUP BY t.person_id
        )
        SELECT p.person_id, 1.0 AS authenticity, p.in_previous,
               CASE WHEN p.first_ever >= {start} THEN 1 ELSE 0 END AS first_ever,
               CASE WHEN p.first_ever >= {start} AND p.first_ever < {middle}
                    THEN 1 ELSE 0 END AS first_in_first_half,
               CASE WHEN COALESCE(d.days, 0) > 0 THEN 1 ELSE 0 END AS returned
        FROM per_person p LEFT JOIN later_days d ON d.person_id = p.person_id
        WHERE p.in_window = 1
        ORDER BY p.person_id
    """
    inbound_campaign = f"AND {_text_matches('c.text', terms)}" if terms else ""
    inbound_account = (
        f"AND (c.account_id = {sql_literal(scope.account_id)} OR c.reply_to_id IN "
        f"(SELECT item_id FROM ({own_items}) scoped))"
        if scope.account_id
        else ""
    )
    threads = f"""
        WITH inbound AS (
            SELECT c.item_id, c.platform, c.created_at
            FROM content_items c
            WHERE c.workspace = {ws} AND c.org_id = {org} AND NOT c.is_own
              AND c.kind IN ({inbound})
              AND c.created_at >= {start} AND c.created_at < {end}
              {inbound_campaign} {inbound_account}
        ),
        first_answer AS (
            SELECT c.reply_to_id AS item_id, MIN(c.created_at) AS answered_at
            FROM content_items c
            WHERE c.workspace = {ws} AND c.org_id = {org} AND c.is_own
              AND c.reply_to_id IN (SELECT item_id FROM inbound)
            GROUP BY c.reply_to_id
        )
        SELECT b.item_id, b.platform,
               CASE WHEN f.answered_at IS NOT NULL THEN 1 ELSE 0 END AS answered,
               CASE WHEN f.answered_at IS NOT NULL
                     AND EPOCH(f.answered_at) - EPOCH(b.created_at) <= {float(sla_hours) * 3600}
                    THEN 1 ELSE 0 END AS answered_in_sla,
               CASE WHEN f.answered_at IS NOT NULL
                    THEN (EPOCH(f.answered_at) - EPOCH(b.created_at)) / 3600.0 END
                   AS hours_to_first
        FROM inbound b LEFT JOIN first_answer f ON f.item_id = b.item_id
        ORDER BY b.item_id
    """
    opinions = f"""
        WITH about AS (
            SELECT c.item_id
            FROM content_items c
            WHERE c.workspace = {ws} AND c.org_id = {org} AND NOT c.is_own
              AND c.created_at >= {start} AND c.created_at < {end}
              {inbound_campaign} {inbound_account}
        ),
        labelled AS (
            SELECT a.item_id, a.value,
                   ROW_NUMBER() OVER (PARTITION BY a.item_id ORDER BY a.key) AS preference
            FROM annotations a
            WHERE a.workspace = {ws} AND a.key IN ({sentiment_keys})
              AND a.item_id IN (SELECT item_id FROM about)
        )
        SELECT item_id,
               CASE WHEN value = 'positive' THEN 1 ELSE 0 END AS positive,
               CASE WHEN value = 'neutral' THEN 1 ELSE 0 END AS neutral,
               CASE WHEN value = 'negative' THEN 1 ELSE 0 END AS negative
        FROM labelled WHERE preference = 1
        ORDER BY item_id
    """
    return {"items": items, "engagers": engagers, "threads": threads, "opinions": opinions}
