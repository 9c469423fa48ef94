"""Right of access: everything the store holds about one person, and finding a person.

`jauge person export` answers a data subject's request (GDPR art. 15) with one JSON
document (:data:`FORMAT`, its keys documented in docs/people.md): the persons of that
handle (one per platform and workspace), their profile, the items they wrote with the
snapshots, annotations and organisation mentions of each, the interactions they made and
received, and their integrity weight. It matches a person as `jauge person forget` does,
so what it shows is what forgetting erases.

Other people stay out of it: an interaction received says when, what and on which of
their items, not who; a post they answered is named by its own id, or by a keyed
pseudonym (``i-…``) when its author was forgotten. Nothing names a forgotten person: a
handle that was forgotten is refused as such, without an id.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..errors import NotFoundError
from ..i18n import _
from ..model import METRICS
from ..store.duckdb_store import Store, utcnow
from ..store.ids import make_id
from .privacy import FORGOTTEN, Forgotten, handle_condition, is_forgotten

#: the export's ``format``: its version changes when a key changes meaning or goes
FORMAT = "jauge-person-export/1"
#: a person's profile facts, as the export names them (the persons table's columns)
PROFILE = ("followers", "following", "posts", "has_avatar", "has_bio", "declared_bot")
#: an item's snapshot figures (metric_snapshots' columns)
FIGURES = METRICS


def export_person(
    store: Store, workspaces: list[str], handle: str, platform: str | None = None
) -> dict[str, Any]:
    """Every row about the persons of ``handle`` in ``workspaces``, as one document.

    Raises NotFoundError when none is held: saying, when the handle was forgotten, that
    it was (and nothing else)."""
    where, params = handle_condition(handle, platform)
    marks = ", ".join("?" for _ in workspaces)
    found = store.con.execute(
        f"SELECT workspace, person_id FROM persons WHERE workspace IN ({marks}) AND {where} "
        "ORDER BY workspace, platform, native_id",
        [*workspaces, *params],
    ).fetchall()
    forgotten_in = _forgotten_in(store, workspaces, handle, platform)
    if not found:
        if forgotten_in:
            raise NotFoundError(
                _(
                    "{handle} was forgotten (workspaces: {workspaces}): the store keeps none "
                    "of their personal data, only the counts their rows add to",
                    handle=repr(handle),
                    workspaces=", ".join(forgotten_in),
                )
            )
        raise _nobody(handle, workspaces)
    return {
        "format": FORMAT,
        "exported_at": utcnow().isoformat(timespec="seconds"),
        "request": {"handle": handle, "platform": platform, "workspaces": workspaces},
        "forgotten_in": forgotten_in,
        "persons": [_person(store, str(ws), str(pid)) for ws, pid in found],
    }


def find_persons(
    store: Store, workspaces: list[str], text: str, limit: int = 50
) -> list[dict[str, Any]]:
    """The persons whose handle, display name or native id contains ``text``, whatever the
    case and accents, most active first (forgotten persons, who have none, never)."""
    needle = "strip_accents(lower(?))"
    marks = ", ".join("?" for _ in workspaces)
    rows = store.con.execute(
        f"""
        SELECT p.workspace, p.platform, p.handle, p.display_name, p.native_id,
               p.first_seen_at,
               (SELECT count(*) FROM content_items c WHERE c.workspace = p.workspace
                  AND c.author_person_id = p.person_id) AS items
        FROM persons p
        WHERE p.workspace IN ({marks}) AND NOT starts_with(p.native_id, ?)
          AND (contains(strip_accents(lower(coalesce(p.handle, ''))), {needle})
               OR contains(strip_accents(lower(coalesce(p.display_name, ''))), {needle})
               OR contains(strip_accents(lower(p.native_id)), {needle}))
        ORDER BY items DESC, p.workspace, p.platform, p.handle, p.native_id
        LIMIT ?
        """,
        [*workspaces, FORGOTTEN, text, text, text, limit],
    ).fetchall()
    keys = ("workspace", "platform", "handle", "display_name", "native_id", "first_seen_at")
    return [{**dict(zip(keys, _plain(r[:6]), strict=True)), "items": int(r[6])} for r in rows]


def write_atomically(path: str | Path, document: dict[str, Any]) -> None:
    """Write ``document`` as JSON to ``path`` through a file beside it, renamed over it once
    whole: an interrupted export leaves the old file, or none, never half of one."""
    target = Path(path)
    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(document, out, ensure_ascii=False, indent=2, default=str)
            out.write("\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _nobody(handle: str, workspaces: list[str]) -> NotFoundError:
    if len(workspaces) == 1:
        from .privacy import no_person

        return no_person(handle, workspaces[0])
    return NotFoundError(_("no person {handle} in any workspace", handle=repr(handle)))


def _forgotten_in(
    store: Store, workspaces: list[str], handle: str, platform: str | None
) -> list[str]:
    """The workspaces where a person known by this handle (their id is a hash of it) or
    by this pseudonym was forgotten. A person a source keyed by a numeric id is not
    recognised: nothing left in the store links it to the handle."""
    marks = ", ".join("?" for _ in workspaces)
    rows = store.con.execute(
        f"SELECT workspace, platform, person_id, native_id FROM persons "
        f"WHERE workspace IN ({marks}) AND starts_with(native_id, ?)"
        + (" AND platform = ?" if platform else ""),
        [*workspaces, FORGOTTEN, *([platform] if platform else [])],
    ).fetchall()
    where, params = handle_condition(handle, platform)
    # the keys a source may have given them: their handle, or the native id they still
    # have in a workspace where they were not forgotten (a Mastodon account's address)
    keys = {"@" + handle.lstrip("@").lower()} | {
        str(r[0])
        for r in store.con.execute(
            f"SELECT DISTINCT native_id FROM persons WHERE {where}", params
        ).fetchall()
    }
    names = {ws: Forgotten(store, ws) for ws in workspaces}
    found = {
        str(ws)
        for ws, plat, pid, native in rows
        if is_forgotten(native)
        and (
            any(pid == make_id(ws, plat, k) for k in keys)
            or names[str(ws)].person(str(pid)) == handle
        )
    }
    return sorted(found)


def _person(store: Store, workspace: str, person_id: str) -> dict[str, Any]:
    con = store.con
    profile = con.execute(
        "SELECT platform, handle, display_name, native_id, location, first_seen_at, "
        f"{', '.join(PROFILE)} FROM persons WHERE workspace = ? AND person_id = ?",
        [workspace, person_id],
    ).fetchall()[0]
    hidden = Forgotten(store, workspace)
    plain = _plain(profile)
    return {
        "workspace": workspace,
        **dict(
            zip(
                ("platform", "handle", "display_name", "native_id", "location", "first_seen_at"),
                plain[:6],
                strict=True,
            )
        ),
        "profile": dict(zip(PROFILE, plain[6:], strict=True)),
        "authenticity": _authenticity(store, workspace, person_id),
        "items": _items(store, workspace, person_id, hidden),
        "interactions_made": _interactions_made(store, workspace, person_id, hidden),
        "interactions_received": _interactions_received(store, workspace, person_id, hidden),
    }


def _authenticity(store: Store, workspace: str, person_id: str) -> list[dict[str, Any]]:
    rows = store.con.execute(
        "SELECT weight, p_inauthentic, signals, group_id, method, assessed_at "
        "FROM authenticity WHERE workspace = ? AND person_id = ? ORDER BY assessed_at",
        [workspace, person_id],
    ).fetchall()
    keys = ("weight", "p_inauthentic", "signals", "group_id", "method", "assessed_at")
    return [dict(zip(keys, _plain(r), strict=True)) for r in rows]


#: the items a person wrote, in SQL (parameters: workspace, person id)
_THEIRS = "SELECT item_id FROM content_items WHERE workspace = ? AND author_person_id = ?"


def _items(store: Store, workspace: str, person_id: str, hidden: Forgotten) -> list[dict[str, Any]]:
    con, who = store.con, [workspace, person_id]
    # what is attached to their items, read once for all of them (a prolific account)
    snapshots: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in con.execute(
        f"SELECT subject_id, observed_at, {', '.join(FIGURES)}, extra FROM metric_snapshots "
        f"WHERE workspace = ? AND subject_type = 'item' AND subject_id IN ({_THEIRS}) "
        "ORDER BY observed_at",
        [workspace, *who],
    ).fetchall():
        values = _plain(r[1:-1])
        snapshots[r[0]].append(
            {"observed_at": values[0], **dict(zip(FIGURES, values[1:], strict=True)),
             "extra": _json(r[-1])}
        )  # fmt: skip
    annotations: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item, k, value, source in con.execute(
        f"SELECT item_id, key, value, source FROM annotations "
        f"WHERE workspace = ? AND item_id IN ({_THEIRS}) ORDER BY key, source",
        [workspace, *who],
    ).fetchall():
        annotations[item].append({"key": k, "value": value, "source": source})
    mentions: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item, org, term in con.execute(
        f"SELECT m.item_id, o.name, m.term FROM mentions m JOIN organisations o "
        f"ON o.org_id = m.org_id WHERE m.workspace = ? AND m.item_id IN ({_THEIRS}) "
        "ORDER BY o.name, m.term",
        [workspace, *who],
    ).fetchall():
        mentions[item].append({"organisation": org, "term": term})
    # which of `jauge enrich`'s steps read each item, and when
    enriched: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item, step, version, done_at in con.execute(
        f"SELECT item_id, step, version, done_at FROM enrichment_log "
        f"WHERE workspace = ? AND item_id IN ({_THEIRS}) ORDER BY done_at, step",
        [workspace, *who],
    ).fetchall():
        enriched[item].append({"step": step, "version": version, "at": _plain((done_at,))[0]})
    rows = con.execute(
        """
        SELECT c.item_id, c.platform, c.kind, c.native_id, c.created_at, c.text, c.title,
               c.url, c.lang, c.extra, o.name,
               (SELECT min(r.native_id) FROM content_items r WHERE r.item_id = c.reply_to_id),
               (SELECT min(q.native_id) FROM content_items q WHERE q.item_id = c.quote_of_id),
               (SELECT min(s.native_id) FROM content_items s WHERE s.item_id = c.repost_of_id),
               i.source, i.path, i.started_at
        FROM content_items c
        LEFT JOIN organisations o ON o.org_id = c.org_id
        LEFT JOIN imports i ON i.import_id = c.first_import_id
        WHERE c.workspace = ? AND c.author_person_id = ?
        ORDER BY c.created_at, c.native_id
        """,
        who,
    ).fetchall()
    items = []
    for r in rows:
        v = _plain(r)
        concerned = {v[10]} | {m["organisation"] for m in mentions[r[0]]}
        items.append(
            {
                "platform": v[1],
                "kind": v[2],
                "native_id": hidden.item(v[3]),
                "created_at": v[4],
                "text": v[5],
                "title": v[6],
                "url": v[7],
                "lang": v[8],
                "extra": _json(r[9]),
                "organisation": v[10],
                "organisations": sorted(o for o in concerned if o is not None),
                # a post of someone else's: its own id, unless its author was forgotten
                "reply_to": hidden.item(v[11]),
                "quote_of": hidden.item(v[12]),
                "repost_of": hidden.item(v[13]),
                "imported": {"source": v[14], "path": v[15], "at": v[16]},
                "snapshots": snapshots[r[0]],
                "annotations": annotations[r[0]],
                "mentions": mentions[r[0]],
                "enrichment": enriched[r[0]],
            }
        )
    return items


def _interactions_made(
    store: Store, workspace: str, person_id: str, hidden: Forgotten
) -> list[dict[str, Any]]:
    rows = store.con.execute(
        """
        SELECT x.platform, x.kind, x.occurred_at, o.name,
               (SELECT min(c.native_id) FROM content_items c WHERE c.item_id = x.item_id),
               (SELECT min(t.native_id) FROM content_items t WHERE t.item_id = x.target_item_id)
        FROM interactions x LEFT JOIN organisations o ON o.org_id = x.org_id
        WHERE x.workspace = ? AND x.actor_person_id = ?
        ORDER BY x.occurred_at, x.kind
        """,
        [workspace, person_id],
    ).fetchall()
    out = []
    for r in rows:
        v = _plain(r)
        out.append(
            {"platform": v[0], "kind": v[1], "occurred_at": v[2], "organisation": v[3],
             "item": hidden.item(v[4]), "target": hidden.item(v[5])}
        )  # fmt: skip
    return out


def _interactions_received(
    store: Store, workspace: str, person_id: str, hidden: Forgotten
) -> list[dict[str, Any]]:
    # who engaged is someone else's data: when, how and on which of their items only
    rows = store.con.execute(
        f"""
        SELECT x.platform, x.kind, x.occurred_at, o.name, t.native_id
        FROM interactions x
        JOIN content_items t ON t.item_id = x.target_item_id AND t.workspace = x.workspace
        LEFT JOIN organisations o ON o.org_id = x.org_id
        WHERE x.workspace = ? AND x.target_item_id IN ({_THEIRS})
        ORDER BY x.occurred_at, x.kind, t.native_id
        """,
        [workspace, workspace, person_id],
    ).fetchall()
    keys = ("platform", "kind", "occurred_at", "organisation", "target")
    return [{**dict(zip(keys, _plain(r), strict=True)), "target": hidden.item(r[4])} for r in rows]


def _plain(row: tuple[Any, ...]) -> list[Any]:
    """A row's values as JSON has them: dates and times in ISO 8601."""
    return [v.isoformat() if isinstance(v, (date, datetime)) else v for v in row]


def _json(value: Any) -> Any:
    """A JSON column's value as data (DuckDB gives it as text)."""
    if value is None:
        return None
    try:
        return json.loads(value) if isinstance(value, str) else value
    except ValueError:
        return value
