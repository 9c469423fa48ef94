"""Follower jumps: days an account gained followers far faster than it ever does.

Bought followers arrive in bulk, in a day or two, and most never engage, so no profile
signal sees them; the account's follower count does. The index never rewards follower
counts (they are only a denominator, so bought followers lower reach per follower), but
an agency auditing its own accounts, or a rival's claims, wants to know when it happened.

The series is each account's follower count per day, from the snapshots of its own
posts (followers at posting time) and of the account itself. Between two observed days,
the gain is compared with what the account had and with its typical day: a **jump**
gains at least ``min_gain`` followers (100; sellers' smallest packages) and
``min_share`` of the followers it had (5%), at a pace per day at least ``times`` (3)
the median of its positive daily gains, in a series of at least ``min_days`` (10)
observed days. On the real UCI page (81,370 to 139,441 fans over 2014) no day comes
near: its largest gain is 4.4% in two days. A viral post or an advertising campaign
can also make a jump: it is something to look at, and it changes no weight.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..store import Store


@dataclass(frozen=True)
class JumpRules:
    min_share: float = 0.05
    times: float = 3.0
    min_gain: int = 100
    min_days: int = 10


@dataclass(frozen=True)
class FollowerJump:
    org: str
    platform: str
    account: str | None  # the account's handle, when the data names it
    day: date
    followers_before: int
    gained: int  # between the day before it was observed and this day
    days: int  # how many days that took
    typical_daily_gain: float  # the account's median positive daily gain


def follower_jumps(
    store: Store, workspace: str, rules: JumpRules | None = None
) -> list[FollowerJump]:
    """The follower jumps of every account of ``workspace``, biggest first."""
    rules = rules or JumpRules()
    rows = store.con.execute(
        """
        WITH observed AS (
            SELECT c.org_id, c.platform, c.account_id,
                   CAST(c.created_at AS DATE) AS day, max(s.followers) AS followers
            FROM content_items c
            JOIN metric_snapshots s ON s.subject_type = 'item' AND s.subject_id = c.item_id
            WHERE c.workspace = $ws AND c.is_own AND s.followers IS NOT NULL
              AND c.created_at IS NOT NULL
            GROUP BY ALL
            UNION ALL
            SELECT a.org_id, a.platform, a.account_id,
                   CAST(s.observed_at AS DATE) AS day, max(s.followers) AS followers
            FROM accounts a
            JOIN metric_snapshots s ON s.subject_type = 'account' AND s.subject_id = a.account_id
            WHERE a.workspace = $ws AND s.followers IS NOT NULL
            GROUP BY ALL
        ),
        daily AS (
            SELECT org_id, platform, account_id, day, max(followers) AS followers
            FROM observed GROUP BY ALL
        ),
        steps AS (
            SELECT *,
                   lag(followers) OVER w AS before,
                   day - lag(day) OVER w AS days
            FROM daily
            WINDOW w AS (PARTITION BY org_id, platform, account_id ORDER BY day)
        ),
        typical AS (
            SELECT org_id, platform, account_id, count(*) AS n,
                   median((followers - before) / days) FILTER (WHERE followers > before)
                       AS daily_gain
            FROM steps WHERE days IS NOT NULL
            GROUP BY ALL
        )
        SELECT o.name, s.platform, a.handle, s.day, s.before, s.followers - s.before, s.days,
               t.daily_gain
        FROM steps s
        JOIN typical t USING (org_id, platform, account_id)
        JOIN organisations o ON o.org_id = s.org_id
        LEFT JOIN accounts a ON a.account_id = s.account_id
        WHERE s.days IS NOT NULL AND t.n >= $min_days AND s.before > 0
          AND s.followers - s.before >= greatest($min_share * s.before, $min_gain)
          AND (s.followers - s.before) / s.days >= $times * coalesce(t.daily_gain, 0)
        ORDER BY (s.followers - s.before) DESC, o.name, s.day
        """,
        {
            "ws": workspace,
            "min_share": rules.min_share,
            "times": rules.times,
            "min_gain": rules.min_gain,
            "min_days": rules.min_days,
        },
    ).fetchall()
    return [
        FollowerJump(
            org=str(org),
            platform=str(platform),
            account=handle,
            day=day,
            followers_before=int(before),
            gained=int(gained),
            days=int(days),
            typical_daily_gain=float(typical or 0.0),
        )
        for org, platform, handle, day, before, gained, days, typical in rows
    ]
