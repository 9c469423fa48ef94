"""Topics: the terms and phrases most used about an organisation, and the fastest rising.

Words and two-word phrases are counted once per item (so one long post cannot dominate),
after removing French and English stop words (the ``stop-words`` lists), links, user
handles and the organisation's own names (also as hashtags, and a name of several words
wherever those words follow each other). French elided articles and pronouns are taken off
the word they stand before ("l'espace" counts as "espace"), and the typographic apostrophe
counts as the straight one. A term is counted whatever its accents and whether it is
written as a hashtag (``élisabeth``, ``elisabeth``, ``#elisabeth``: one term), as mentions
are matched, and is shown as most of its items spell it. Rising terms compare each term's
share of items with its share in the previous period of the same length, smoothed so that
a term seen once before and twice now does not top the list.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from functools import cache
from typing import Any

from ..days import after, check_order, earlier, first_day, midnight
from ..store.duckdb_store import Store
from .mentions import normalise

DEFAULT_DAYS = 90
MIN_ITEMS = 3  # a term must be in at least this many items to be listed
_TOKEN = re.compile(r"#?[^\W\d_][\w'’-]*[^\W_]|#?[^\W\d_]{2,}", re.UNICODE)
_NOISE = {"http", "https", "www", "com", "amp", "rt", "via", "user"}
#: French elisions (l'espace, d'un, qu'il, jusqu'à): the word is what follows
_ELIDED = re.compile(r"^(?:c|d|j|l|m|n|s|t|qu|jusqu|lorsqu|puisqu|quoiqu)'(?=\w)")


@cache
def stop_words() -> frozenset[str]:
    from stop_words import get_stop_words

    words = set(get_stop_words("english")) | set(get_stop_words("french"))
    return frozenset(normalise(w) for w in words) | _NOISE


@cache
def _names(exclude: frozenset[str]) -> tuple[frozenset[str], tuple[tuple[str, ...], ...]]:
    """The words to leave out (stop words and one-word names) and the names of several
    words, as the words they are made of."""
    phrases = tuple(sorted({tuple(n.split()) for n in exclude if len(n.split()) > 1}))
    return stop_words() | exclude, phrases


def terms_of(text: str, exclude: frozenset[str]) -> set[str]:
    """The distinct words and two-word phrases of a text worth counting, as it spells them;
    ``exclude``: normalised names to leave out (one word or several)."""
    return {spelling for spellings in _spellings(text, exclude).values() for spelling in spellings}


def _spellings(text: str, exclude: frozenset[str]) -> dict[str, set[str]]:
    """The terms of a text worth counting, each as the term it counts for (accents folded,
    a hashtag as its word) -> the spellings the text gives it."""
    # NFKC folds styled letters (𝗚𝘂𝗲𝗿𝗿𝗲, 𝐔𝐊𝐑𝐀𝐈𝐍𝐄: the "bold" some accounts post in) into
    # plain ones, so they count as the same word; accents stay in the spelling shown
    folded = unicodedata.normalize("NFKC", text).lower().replace("\u2019", "'")
    cleaned = re.sub(r"https?://\S+|@\w+", " ", folded)
    blocked, phrases = _names(exclude)
    tokens = [_ELIDED.sub("", t.strip("'-")) for t in _TOKEN.findall(cleaned)]
    # as matched: accents folded, and a hashtag as its word (#unitedairlines is a name)
    keys = [normalise(t).lstrip("#") for t in tokens]
    kept = [len(t) > 2 and k not in blocked for t, k in zip(tokens, keys, strict=True)]
    for phrase in phrases:  # a name of several words, wherever it is written
        for i in range(len(keys) - len(phrase) + 1):
            if tuple(keys[i : i + len(phrase)]) == phrase:
                kept[i : i + len(phrase)] = [False] * len(phrase)
    found: dict[str, set[str]] = {}
    for token, key, keep in zip(tokens, keys, kept, strict=True):
        if keep:
            found.setdefault(key, set()).add(token)
    for i, (a, b) in enumerate(itertools.pairwise(tokens)):
        if kept[i] and kept[i + 1] and keys[i] != keys[i + 1]:
            found.setdefault(f"{keys[i]} {keys[i + 1]}", set()).add(f"{a} {b}")
    return found


@dataclass
class Topics:
    org: str
    start: date
    end: date
    items: int
    previous_items: int
    top: list[dict[str, Any]] = field(default_factory=list)
    rising: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["from"], data["to"] = data.pop("start").isoformat(), data.pop("end").isoformat()
        return data

    def __repr__(self) -> str:
        return (
            f"<Topics {self.org}, {self.start} to {self.end}: {self.items:,} items, "
            f"{len(self.top)} top terms, {len(self.rising)} rising>"
        )

    def _repr_html_(self) -> str:  # what Jupyter shows: `jauge topics`'s tables
        from ..i18n import _, elided, number, percent
        from ..metrics.notebook import plain_table, shown

        title = elided(
            _(
                "{org}, {start} to {end}: {items} items ({previous} in the previous period)",
                org=self.org,
                start=self.start,
                end=self.end,
                items=number(self.items, ","),
                previous=number(self.previous_items, ","),
            ),
            self.org,
        )
        top = plain_table(
            [_("term"), _("items"), _("share")],
            [(t["term"], number(t["items"], ","), percent(t["share"])) for t in self.top],
            _("Top terms"),
        )
        rising = plain_table(
            [_("term"), _("items"), _("before"), _("growth")],
            [
                (
                    t["term"],
                    number(t["items"], ","),
                    number(t["previous"], ","),
                    "x" + number(t["growth"], ".1f"),
                )
                for t in self.rising
            ],
            _("Rising against the previous period"),
        )
        none = (
            []
            if self.top
            else [_("No term comes up again in these items (they may have no text).")]
        )
        return shown(title, top, rising, notes=none)


def _texts(store: Store, org_id: str, start: datetime, end: datetime) -> list[str]:
    rows = store.con.execute(
        """
        SELECT DISTINCT c.item_id, coalesce(c.title || ' ', '') || coalesce(c.text, '')
        FROM content_items c
        WHERE c.created_at >= ? AND c.created_at < ?
          AND (c.org_id = ? OR c.item_id IN (SELECT item_id FROM mentions WHERE org_id = ?))
          -- a repost without words of its own (a Mastodon boost) is no item of the talk:
          -- its original is counted, once
          AND NOT (c.kind = 'repost' AND c.text IS NULL)
        """,
        [start, end, org_id, org_id],
    ).fetchall()
    return [r[1] for r in rows]


def _count(texts: Iterable[str], exclude: frozenset[str]) -> tuple[Counter[str], dict[str, str]]:
    """The items each term is in, and how it is shown: the spelling most of them use.
    In a tie, accents win (capitals and styled letters are what lose them), then the word
    over its hashtag."""
    counts: Counter[str] = Counter()
    spelt: dict[str, Counter[str]] = {}
    for text in texts:
        for key, spellings in _spellings(text, exclude).items():
            counts[key] += 1
            spelt.setdefault(key, Counter()).update(spellings)
    shown = {
        key: max(used, key=lambda s: (used[s], normalise(s) != s, "#" not in s, s))
        for key, used in spelt.items()
    }
    return counts, shown


def topics(
    store: Store,
    workspace: str,
    org: str,
    start: date | None = None,
    end: date | None = None,
    limit: int = 20,
) -> Topics:
    """Top and rising terms about ``org`` (default window: 90 days up to its latest item)."""
    org_id = store.org_id(workspace, org)
    latest = None if end else store.latest_item_day([org_id], mentions=True)
    end = end or latest or date.today()
    start = start or first_day(end, DEFAULT_DAYS)
    check_order(start, end, end_by_default=latest is not None)
    window_start, window_end = midnight(start), after(end)
    previous_start = earlier(window_start, window_end - window_start)
    names = {
        normalise(r[0]).lstrip("@#")
        for r in store.con.execute(
            "SELECT normalised FROM org_terms WHERE org_id = ? AND kind <> 'exclude'", [org_id]
        ).fetchall()
    } | {normalise(w) for w in org.split()}
    exclude = frozenset(names)
    now_texts = _texts(store, org_id, window_start, window_end)
    before_texts = _texts(store, org_id, previous_start, window_start)
    (now, shown), (before, _) = _count(now_texts, exclude), _count(before_texts, exclude)
    result = Topics(org, start, end, len(now_texts), len(before_texts))
    n_now, n_before = max(len(now_texts), 1), max(len(before_texts), 1)
    listed = [(t, c) for t, c in now.items() if c >= MIN_ITEMS]
    for term, count in sorted(listed, key=lambda tc: (-tc[1], shown[tc[0]]))[:limit]:
        result.top.append({"term": shown[term], "items": count, "share": round(count / n_now, 6)})
    if before_texts:
        growth = {
            t: ((c + 1) / (n_now + 1)) / ((before.get(t, 0) + 1) / (n_before + 1))
            for t, c in listed
        }
        for term in sorted(growth, key=lambda t: (-growth[t], shown[t]))[:limit]:
            if growth[term] <= 1:
                break
            result.rising.append(
                {
                    "term": shown[term],
                    "items": now[term],
                    "previous": before.get(term, 0),
                    "growth": round(growth[term], 4),
                }
            )
    return result
