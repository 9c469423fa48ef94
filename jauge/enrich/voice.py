"""Share of voice: how much of what others say names each organisation, and in what tone.

An item by someone else counts for an organisation when the item was imported as being
about it (a mention in an export) or when `jauge enrich` found the organisation's
dictionary in its text. Someone else may be another organisation: a competitor's or a
news medium's own post that names the organisation is talk about it; only the
organisation's own posts are not, nor a repost without words of its own (a boost). Net
sentiment = (positive − negative) / labelled × 100, from the human label stored at import
when there is one, else the enrichment's ``sentiment``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from ..days import after, check_order, first_day, midnight
from ..errors import ConfigError
from ..i18n import _
from ..store.duckdb_store import Store

DEFAULT_DAYS = 90


@dataclass
class OrgVoice:
    org: str
    mentions: int
    share_of_voice: float | None
    labelled: int
    net_sentiment: float | None


@dataclass
class Voice:
    start: date
    end: date
    orgs: list[OrgVoice] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "orgs": [asdict(o) for o in self.orgs],
        }

    def __repr__(self) -> str:
        mentions = sum(o.mentions for o in self.orgs)
        return (
            f"<Voice {self.start} to {self.end}: {len(self.orgs)} organisations, "
            f"{mentions:,} mentions>"
        )

    def _repr_html_(self) -> str:  # what Jupyter shows: `jauge voice`'s table
        from ..i18n import number, percent
        from ..metrics.notebook import plain_table, shown

        headers = [_("org"), _("mentions"), _("share"), _("labelled"), _("net sentiment")]
        rows = [
            (
                o.org,
                number(o.mentions, ","),
                percent(o.share_of_voice),
                number(o.labelled, ","),
                number(o.net_sentiment, "+.1f"),
            )
            for o in self.orgs
        ]
        title = _("Share of voice, {start} to {end}", start=self.start, end=self.end)
        return shown(title, plain_table(headers, rows))


#: what others said about the organisations (by dictionary match or as imported) and
#: each item's sentiment label: a human label, when the data has one, wins over a model's
_TALK_AND_LABELS = """
    WITH talk AS (
        SELECT m.org_id, m.item_id, c.created_at
        FROM mentions m JOIN content_items c USING (item_id)
        WHERE c.workspace = ? AND m.org_id IN ({marks})
          AND NOT (c.is_own AND c.org_id IS NOT DISTINCT FROM m.org_id)
          AND c.created_at >= ? AND c.created_at < ?
        UNION
        SELECT c.org_id, c.item_id, c.created_at FROM content_items c
        WHERE c.workspace = ? AND NOT c.is_own AND c.org_id IN ({marks})
          AND c.created_at >= ? AND c.created_at < ?
          -- a repost without words of its own (a Mastodon boost) amplifies the original,
          -- which counts on its own: the index measures amplification, not the voice
          AND NOT (c.kind = 'repost' AND c.text IS NULL)
    ),
    labels AS (
        SELECT item_id,
               arg_min(value, (CASE WHEN key = 'sentiment.human' THEN 0 ELSE 1 END,
                               source)) AS label
        FROM annotations
        WHERE key IN ('sentiment', 'sentiment.human')
          AND item_id IN (SELECT item_id FROM talk)
        GROUP BY item_id
    )
"""


def _window(
    store: Store, ids: list[str], start: date | None, end: date | None
) -> tuple[date, date, list[datetime]]:
    latest = None if end else store.latest_item_day(ids, mentions=True)
    end = end or latest or date.today()
    start = start or first_day(end, DEFAULT_DAYS)
    check_order(start, end, end_by_default=latest is not None)
    bounds = [midnight(start), after(end)]
    return start, end, bounds


def org_ids(store: Store, workspace: str, orgs: list[str]) -> dict[str, str]:
    """Each named organisation's id (at least one, each known to the workspace)."""
    if not orgs:
        raise ConfigError(_("name the organisations to compare with --org (at least one)"))
    return {org: store.org_id(workspace, org) for org in orgs}


def share_of_voice(
    store: Store,
    workspace: str,
    orgs: list[str],
    start: date | None = None,
    end: date | None = None,
) -> Voice:
    """Share of voice and net sentiment per organisation over a window (default: the 90
    days up to the latest item about any of them)."""
    ids = org_ids(store, workspace, orgs)
    marks = ", ".join("?" for _ in ids)
    start, end, window = _window(store, list(ids.values()), start, end)
    rows = store.con.execute(
        f"""
        {_TALK_AND_LABELS.format(marks=marks)}
        SELECT t.org_id, count(*) AS mentions, count(l.label) AS labelled,
               count(*) FILTER (WHERE l.label = 'positive') AS positive,
               count(*) FILTER (WHERE l.label = 'negative') AS negative
        FROM talk t LEFT JOIN labels l USING (item_id)
        GROUP BY t.org_id
        """,
        [workspace, *ids.values(), *window, workspace, *ids.values(), *window],
    ).fetchall()
    by_org = {r[0]: r[1:] for r in rows}
    total = sum(r[0] for r in by_org.values())
    voice = Voice(start, end)
    for org, org_id in ids.items():
        voice.orgs.append(org_voice(org, *by_org.get(org_id, (0, 0, 0, 0)), total=total))
    return voice


def org_voice(
    org: str, mentions: int, labelled: int, positive: int, negative: int, *, total: int
) -> OrgVoice:
    """An organisation's share of ``total`` mentions and its net sentiment."""
    return OrgVoice(
        org=org,
        mentions=int(mentions),
        share_of_voice=round(mentions / total, 6) if total else None,
        labelled=int(labelled),
        net_sentiment=round((positive - negative) / labelled * 100, 4) if labelled else None,
    )


def sentiment_trend(
    store: Store,
    workspace: str,
    org: str,
    start: date | None = None,
    end: date | None = None,
    every: str = "week",
) -> list[dict[str, Any]]:
    """Mentions of ``org`` per week (or day, month) with their sentiment labels."""
    if every not in ("day", "week", "month"):
        raise ConfigError(_("every: choose day, week or month, not {value}", value=repr(every)))
    org_id = store.org_id(workspace, org)
    start, end, window = _window(store, [org_id], start, end)
    rows = store.con.execute(
        f"""
        {_TALK_AND_LABELS.format(marks="?")}
        SELECT date_trunc('{every}', t.created_at)::DATE AS period, count(*) AS mentions,
               count(*) FILTER (WHERE l.label = 'positive') AS positive,
               count(*) FILTER (WHERE l.label = 'neutral') AS neutral,
               count(*) FILTER (WHERE l.label = 'negative') AS negative
        FROM talk t LEFT JOIN labels l USING (item_id)
        GROUP BY period ORDER BY period
        """,
        [workspace, org_id, *window, workspace, org_id, *window],
    ).fetchall()
    names = ("period", "mentions", "positive", "neutral", "negative")
    return [
        {
            k: (v.isoformat() if isinstance(v, date) else int(v))
            for k, v in zip(names, r, strict=True)
        }
        for r in rows
    ]
