"""The people who talk about an organisation, ranked by relevance and relationship.

Each person gets separate dimensions, never one opaque score (docs/people.md):
topical relevance, persistence, activated audience, network position, relationship with
the organisation and sentiment toward it, each with the posts that earned it (``why``).
The default order is lexicographic: persistence, then activated audience, then
relationship, then topical relevance, then network position; ties go to who talked about it
on more days, then in more items, then first. Follower counts are shown where known, and
never used to order.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import pyarrow as pa

from ..enrich.mentions import normalise
from ..store.duckdb_store import Store
from ..store.ids import sql_literal
from .graph import community_pagerank, window

WHY_LIMIT = 5
#: how a forgotten person is named (see jauge.community.privacy.pseudonym)
PSEUDONYM = re.compile(r"p-[0-9a-f]{12}")
#: a person's dimensions, in the ranking's documented order (docs/people.md); network
#: position only breaks ties, and sentiment is shown, never ranked on
DIMENSIONS = (
    "persistence",
    "activated_audience",
    "relationship",
    "topical_relevance",
    "network_position",
    "sentiment",
)


@dataclass
class Person:
    person_id: str
    handle: str
    platform: str
    name: str | None
    followers: int | None
    topical_relevance: float
    persistence: int
    activated_audience: int
    network_position: float
    relationship: dict[str, int]
    sentiment: float | None
    why: dict[str, list[dict[str, str | None]]] = field(default_factory=dict)
    #: from `jauge integrity` (1 when never assessed); see docs/integrity.md
    authenticity: float = 1.0
    #: what breaks the remaining ties (not shown): their items about the organisation in
    #: the window, on how many distinct days, and when the first was
    items: int = 0
    active_days: int = 0
    first_seen: datetime = datetime.min

    def order_key(self) -> tuple[Any, ...]:
        return (
            # an account weighed down by half or more (a pod member, a bought account) is
            # listed after everyone else, however persistent it looks
            self.authenticity <= 0.5,
            -self.persistence,
            -self.activated_audience,
            -self.relationship["exchanges"],
            -self.topical_relevance,
            -self.network_position,
            # a regular who keeps talking with the organisation before a one-off author
            # (in a star graph every leaf has the same network position)
            -self.active_days,
            -self.items,
            # then neutral and stable: who came first, and the person's id (a hash: not
            # alphabetical, and the same once they are forgotten)
            self.first_seen,
            self.person_id,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "handle": self.handle,
            "platform": self.platform,
            "name": self.name,
            "followers": self.followers,
            "topical_relevance": round(self.topical_relevance, 6),
            "persistence": self.persistence,
            "activated_audience": self.activated_audience,
            "network_position": round(self.network_position, 6),
            "relationship": self.relationship,
            "sentiment": None if self.sentiment is None else round(self.sentiment, 4),
            "authenticity": round(self.authenticity, 3),
            "why": self.why,
        }

    def __repr__(self) -> str:
        return (
            f"<Person {self.handle} on {self.platform}: persistence {self.persistence}, "
            f"activated audience {self.activated_audience:,}, "
            f"exchanges {self.relationship.get('exchanges', 0):,}>"
        )

    def _repr_html_(self) -> str:  # what Jupyter shows: their row of `jauge people`
        from ..i18n import _, number, percent, signed_number
        from ..metrics.notebook import plain_table, shown

        cells = {
            _("persistence"): number(self.persistence, ","),
            _("activated audience"): number(self.activated_audience, ","),
            _("relationship"): number(self.relationship.get("exchanges", 0), ","),
            _("topical relevance"): percent(self.topical_relevance, ".0f"),
            _("network position"): number(self.network_position, ".2f"),
            _("sentiment"): signed_number(self.sentiment, "+.2f"),
            _("followers"): number(self.followers, ","),
            _("authenticity"): number(self.authenticity, ".2f"),
        }
        table = plain_table(list(cells), [list(cells.values())])
        return shown(f"{self.handle} ({self.platform})", table)


def rank_people(
    store: Store,
    workspace: str,
    org: str,
    *,
    topics: tuple[str, ...] = (),
    start: date | None = None,
    end: date | None = None,
    limit: int = 20,
    window_days: int = 7,
    ranks: dict[str, float] | None = None,
) -> list[Person]:
    """The people talking about ``org`` over a window, in the documented default order
    (``ranks``: the interaction graph's PageRank, when already computed). Persons and
    posts that `jauge person forget` erased are named by keyed pseudonyms."""
    from .privacy import Forgotten, is_forgotten

    org_id = store.org_id(workspace, org)
    begin, finish = window(store, org_id, start, end)
    items = _items_about(store, workspace, org_id, begin, finish)
    totals = dict(
        store.con.execute(
            "SELECT author_person_id, count(*) FROM content_items WHERE workspace = ? "
            "AND author_person_id IS NOT NULL AND created_at >= ? AND created_at < ? GROUP BY 1",
            [workspace, begin, finish],
        ).fetchall()
    )
    answered = {
        r[0]
        for r in store.con.execute(
            "SELECT DISTINCT reply_to_id FROM content_items WHERE workspace = ? AND is_own "
            "AND org_id = ? AND reply_to_id IS NOT NULL",
            [workspace, org_id],
        ).fetchall()
    }
    to_org = dict(
        store.con.execute(
            """
        SELECT i.actor_person_id, count(*) FROM interactions i
        JOIN content_items t ON t.item_id = i.target_item_id
        WHERE i.workspace = ? AND t.is_own AND t.org_id = ? AND i.occurred_at >= ?
          AND i.occurred_at < ? GROUP BY 1
        """,
            [workspace, org_id, begin, finish],
        ).fetchall()
    )
    labels = dict(
        store.con.execute(
            """
        SELECT item_id, arg_min(value, (CASE WHEN key = 'sentiment.human' THEN 0 ELSE 1 END,
                                        source))
        FROM annotations WHERE workspace = ? AND key IN ('sentiment', 'sentiment.human')
        GROUP BY item_id
        """,
            [workspace],
        ).fetchall()
    )
    profiles = {
        r[0]: r[1:]
        for r in store.con.execute(
            "SELECT p.person_id, p.handle, p.platform, p.display_name, p.followers, "
            "coalesce(a.weight, 1.0), p.native_id FROM persons p LEFT JOIN authenticity a "
            "ON a.workspace = p.workspace AND a.person_id = p.person_id WHERE p.workspace = ?",
            [workspace],
        ).fetchall()
    }
    wanted = _wanted(topics)
    by_person: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for row in items:
        if _topical(row, wanted):
            by_person[row[1]].append(row)
    audience_of, audience = _audiences(store, workspace, by_person)
    if ranks is None:
        ranks = community_pagerank(store, workspace, org, start, end)
    scale = len(ranks) or 1
    hidden = Forgotten(store, workspace)
    people = []
    evidence: dict[str, tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]] = {}
    for person_id, topical in by_person.items():
        # persistence: the fewest spans of window_days that hold all their items, each
        # opened by the first item after the last span (two posts a minute apart are one
        # week, wherever the calendar's weeks fall); ``firsts``: the item opening each
        firsts: list[tuple[Any, ...]] = []
        for r in topical:
            if not firsts or r[2] - firsts[-1][2] >= timedelta(days=window_days):
                firsts.append(r)
        replied = sum(1 for r in topical if r[0] in answered)
        opinions = [labels[r[0]] for r in topical if r[0] in labels]
        net = (
            (opinions.count("positive") - opinions.count("negative")) / len(opinions)
            if opinions
            else None
        )
        handle, platform, name, followers, weight, native_id = profiles.get(
            person_id, (None, "", None, None, 1.0, None)
        )
        if is_forgotten(native_id):
            # their id is a plain hash of their handle: shown, it would name them again
            handle = hidden.person(person_id)
        evidence[person_id] = (topical, firsts)
        people.append(
            Person(
                person_id=person_id,
                handle=handle or person_id,
                platform=platform,
                name=name,
                followers=None if followers is None else int(followers),
                topical_relevance=len(topical) / max(totals.get(person_id, len(topical)), 1),
                persistence=len(firsts),
                activated_audience=audience.get(person_id, 0),
                network_position=ranks.get(person_id, 0.0) * scale,
                relationship={
                    "answered_by_org": replied,
                    "engaged_with_org_posts": int(to_org.get(person_id, 0)),
                    "exchanges": replied + int(to_org.get(person_id, 0)),
                },
                sentiment=net,
                authenticity=float(weight),
                items=len(topical),
                active_days=len({r[2].date() for r in topical}),
                first_seen=topical[0][2],
            )
        )
    people.sort(key=Person.order_key)
    chosen = people[:limit]
    # the evidence is gathered for the people shown only: it is the costly part

    def cite(rows: list[tuple[Any, ...]]) -> list[dict[str, str | None]]:
        # the text, for a reader to see what earned the figure (None once forgotten)
        return [
            {"id": hidden.item(r[4]), "url": r[3], "text": r[5].strip() or None}
            for r in rows[:WHY_LIMIT]
        ]

    for person in chosen:
        topical, firsts = evidence[person.person_id]
        by_audience = sorted(topical, key=lambda r: -audience_of.get(r[0], 0))
        person.why = {
            "topical_relevance": cite(topical),
            "persistence": cite(firsts),
            "activated_audience": cite([r for r in by_audience if audience_of.get(r[0])]),
            "relationship": cite([r for r in topical if r[0] in answered]),
            "sentiment": cite([r for r in topical if r[0] in labels]),
        }
    return chosen


def count_people(
    store: Store,
    workspace: str,
    org: str,
    *,
    topics: tuple[str, ...] = (),
    start: date | None = None,
    end: date | None = None,
) -> int:
    """How many people :func:`rank_people` finds over the window, before its ``limit``
    (a page showing the first ones says of how many)."""
    org_id = store.org_id(workspace, org)
    begin, finish = window(store, org_id, start, end)
    wanted = _wanted(topics)
    return len(
        {r[1] for r in _items_about(store, workspace, org_id, begin, finish) if _topical(r, wanted)}
    )


def _audiences(
    store: Store, workspace: str, topical: dict[str, list[tuple[Any, ...]]]
) -> tuple[dict[str, int], dict[str, int]]:
    """Who engaged with the items each person wrote on the topics: per item, how many
    people (to cite the items that drew most); per person, how many people over all
    their items, each counted once (their activated audience), never themselves, nor
    anyone `jauge integrity` weighed down by half or more (a bought or pod account
    activates no one)."""
    pairs = pa.table(
        {
            "person_id": [p for p, rows in topical.items() for _ in rows],
            "item_id": [r[0] for rows in topical.values() for r in rows],
        },
        schema=pa.schema([("person_id", pa.string()), ("item_id", pa.string())]),
    )
    store.con.register("jauge_topical_items", pairs)
    try:
        touched = f"""
            SELECT t.person_id, t.item_id, i.actor_person_id
            FROM jauge_topical_items t
            JOIN interactions i ON i.target_item_id = t.item_id
            LEFT JOIN authenticity a ON a.workspace = i.workspace
                 AND a.person_id = i.actor_person_id
            WHERE i.workspace = {sql_literal(workspace)} AND i.actor_person_id IS NOT NULL
              AND i.actor_person_id <> t.person_id AND coalesce(a.weight, 1.0) > 0.5"""
        # one pass over the touches, counted both ways
        counted = store.con.execute(
            f"SELECT item_id, person_id, count(DISTINCT actor_person_id) FROM ({touched}) "
            "GROUP BY GROUPING SETS ((item_id), (person_id))"
        ).fetchall()
    finally:
        store.con.unregister("jauge_topical_items")
    per_item = {item: n for item, person, n in counted if item is not None}
    per_person = {person: n for item, person, n in counted if person is not None}
    return per_item, per_person


def _items_about(
    store: Store, workspace: str, org_id: str, begin: Any, finish: Any
) -> list[tuple[Any, ...]]:
    """The items others wrote about the organisation in the window: id, author, time, url,
    native id, and text with title (what topics are looked for in)."""
    return store.con.execute(
        """
        SELECT c.item_id, c.author_person_id, c.created_at, c.url, c.native_id,
               coalesce(c.text, '') || ' ' || coalesce(c.title, '')
        FROM content_items c
        WHERE c.workspace = ? AND NOT c.is_own AND c.author_person_id IS NOT NULL
          AND c.created_at >= ? AND c.created_at < ?
          AND (c.org_id = ? OR c.item_id IN (SELECT item_id FROM mentions WHERE org_id = ?))
        ORDER BY c.created_at, c.item_id
        """,
        [workspace, begin, finish, org_id, org_id],
    ).fetchall()


def _wanted(topics: tuple[str, ...]) -> re.Pattern[str] | None:
    """The topics as one pattern, matched as the dictionary matches a name: whole words,
    case and accents folded ("art" is not found in "party"); a word also finds itself
    followed by an s ("bag" finds "bags"). None: no topic."""
    words = sorted({w for w in (normalise(t).strip() for t in topics) if w}, key=len, reverse=True)
    if not words:
        return None
    return re.compile("|".join(rf"(?<!\w){re.escape(w)}s?(?!\w)" for w in words))


def _topical(row: tuple[Any, ...], wanted: re.Pattern[str] | None) -> bool:
    """Whether an item of :func:`_items_about` is on one of the topics (any, without)."""
    return wanted is None or wanted.search(normalise(row[5])) is not None


def pseudonymised(people: list[Person], key: bytes) -> list[Person]:
    """The same people under stable keyed pseudonyms: no handle, name, link or text left,
    and no follower count (with the platform, an exact count often names an account)."""
    from .privacy import item_pseudonym, pseudonym

    for p in people:
        p.handle, p.name, p.followers = pseudonym(key, p.person_id), None, None
        p.why = {
            dim: [{"id": item_pseudonym(key, w["id"]), "url": None, "text": None} for w in cited]
            for dim, cited in p.why.items()
        }
    return people


def person_timeline(
    store: Store,
    workspace: str,
    org: str,
    handle: str,
    window_days: int = 7,
    *,
    texts: bool = False,
) -> dict[str, Any]:
    """A person's relationship with ``org`` over time: when they first engaged, their
    activity and sentiment per window, and the exchanges with the organisation. With
    ``texts``, each item also has its ``text`` (the dashboard shows it): the answer of
    ``jauge person``, which a pseudonymised answer is made from, has none."""
    from .privacy import Forgotten, no_person

    org_id = store.org_id(workspace, org)
    hidden = Forgotten(store, workspace)
    ids = [
        r[0]
        for r in store.con.execute(
            "SELECT person_id FROM persons WHERE workspace = ? AND lower(handle) = lower(?)",
            [workspace, handle.lstrip("@")],
        ).fetchall()
    ]
    if not ids and PSEUDONYM.fullmatch(handle):
        # a forgotten person, as every list names them (the dashboard links to them so)
        ids = [pid for pid in sorted(hidden.persons()) if hidden.person(pid) == handle]
    if not ids:
        raise no_person(handle, workspace)
    marks = ", ".join("?" for _ in ids)
    items = store.con.execute(
        f"""
        SELECT c.item_id, c.native_id, c.url, c.created_at,
               (SELECT arg_min(value, (CASE WHEN key = 'sentiment.human' THEN 0 ELSE 1 END,
                                       source))
                FROM annotations a WHERE a.item_id = c.item_id
                  AND a.key IN ('sentiment', 'sentiment.human')) AS label,
               EXISTS (SELECT 1 FROM content_items r WHERE r.reply_to_id = c.item_id
                       AND r.is_own AND r.org_id = ?) AS answered,
               nullif(trim(coalesce(c.text, '') || ' ' || coalesce(c.title, '')), '')
        FROM content_items c
        WHERE c.workspace = ? AND c.author_person_id IN ({marks})
          AND (c.org_id = ? OR c.item_id IN (SELECT item_id FROM mentions WHERE org_id = ?))
        ORDER BY c.created_at
        """,
        [org_id, workspace, *ids, org_id, org_id],
    ).fetchall()
    touches = store.con.execute(
        f"SELECT occurred_at, kind FROM interactions WHERE workspace = ? AND org_id = ? "
        f"AND actor_person_id IN ({marks}) ORDER BY occurred_at",
        [workspace, org_id, *ids],
    ).fetchall()
    assessed = store.con.execute(
        f"SELECT weight, signals, group_id FROM authenticity WHERE workspace = ? "
        f"AND person_id IN ({marks}) ORDER BY weight LIMIT 1",
        [workspace, *ids],
    ).fetchall()
    # what `jauge integrity` made of them (None: never assessed, or nothing to read)
    authenticity = (
        {"weight": round(assessed[0][0], 3), "signals": assessed[0][1], "group_id": assessed[0][2]}
        if assessed
        else None
    )
    moments = [r[3] for r in items] + [t[0] for t in touches]
    if not moments:
        return {
            "handle": handle,
            "org": org,
            "first_engaged": None,
            "windows": [],
            "exchanges": {"answered_by_org": 0, "interactions": 0},
            "items": [],
            "authenticity": authenticity,
        }
    first = min(moments)
    windows: dict[int, dict[str, Any]] = {}
    for item in items:
        w = windows.setdefault(
            (item[3] - first).days // window_days, {"items": 0, "interactions": 0, "labels": []}
        )
        w["items"] += 1
        if item[4]:
            w["labels"].append(item[4])
    for occurred, _kind in touches:
        windows.setdefault(
            (occurred - first).days // window_days, {"items": 0, "interactions": 0, "labels": []}
        )["interactions"] += 1
    timeline = []
    for index in sorted(windows):
        w = windows[index]
        labels = w.pop("labels")
        start = (first + timedelta(days=index * window_days)).date()
        timeline.append(
            {
                "from": start.isoformat(),
                "to": (start + timedelta(days=window_days - 1)).isoformat(),
                **w,
                "net_sentiment": (
                    round((labels.count("positive") - labels.count("negative")) / len(labels), 4)
                    if labels
                    else None
                ),
            }
        )
    return {
        "handle": handle,
        "org": org,
        "first_engaged": first.isoformat(),
        "windows": timeline,
        "exchanges": {
            "answered_by_org": sum(1 for r in items if r[5]),
            "interactions": len(touches),
        },
        "items": [
            {
                "id": hidden.item(r[1]),
                "url": r[2],
                "created_at": r[3].isoformat(),
                "sentiment": r[4],
                **({"text": r[6]} if texts else {}),
            }
            for r in items[:20]
        ],
        "authenticity": authenticity,
    }
