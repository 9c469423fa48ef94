"""Counts per entity, organisation and platform: what ``jauge stats`` shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import settings
from .errors import NotFoundError
from .i18n import _
from .store.duckdb_store import ENTITIES, Store


@dataclass(frozen=True)
class Stats:
    entities: dict[str, int]
    organisations: list[dict[str, Any]] = field(default_factory=list)
    platforms: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "entities": dict(self.entities),
            "organisations": list(self.organisations),
            "platforms": list(self.platforms),
        }


def known_workspace(store: Store, workspace: str) -> None:
    """Refuse a workspace the store does not have, naming those it has."""
    from .store.access import workspace_exists, workspace_names

    if workspace != settings.WORKSPACE.default and not workspace_exists(store, workspace):
        names = workspace_names(store)
        raise NotFoundError(
            _(
                "no workspace {name} in this store (it has: {names})",
                name=repr(workspace),
                names=", ".join(names) or "-",
            )
        )


def collect_stats(store: Store, workspace: str | None = None) -> Stats:
    """Counts for one workspace, or for the whole store when ``workspace`` is None."""
    where = "" if workspace is None else "WHERE workspace = $ws"
    params = {} if workspace is None else {"ws": workspace}
    entities = {}
    for name, (table, _kind) in ENTITIES.items():
        row = store.con.execute(f"SELECT count(*) FROM {table} {where}", params).fetchall()[0]
        entities[name] = int(row[0]) if row else 0
    org_where = "" if workspace is None else "WHERE o.workspace = $ws"
    orgs = store.con.execute(
        f"""
        SELECT o.workspace, o.name,
               (SELECT count(*) FROM accounts a WHERE a.org_id = o.org_id) AS accounts,
               (SELECT count(*) FROM content_items c WHERE c.org_id = o.org_id AND c.is_own)
                   AS own_items,
               (SELECT count(*) FROM content_items c WHERE c.org_id = o.org_id AND NOT c.is_own)
                   AS items_by_others,
               (SELECT count(*) FROM interactions i WHERE i.org_id = o.org_id) AS interactions,
               (SELECT min(created_at) FROM content_items c WHERE c.org_id = o.org_id)::VARCHAR
                   AS first_item_at,
               (SELECT max(created_at) FROM content_items c WHERE c.org_id = o.org_id)::VARCHAR
                   AS last_item_at
        FROM organisations o {org_where}
        ORDER BY o.workspace, o.name
        """,
        params,
    )
    names = [d[0] for d in orgs.description]
    organisations = [dict(zip(names, row, strict=True)) for row in orgs.fetchall()]
    plat = store.con.execute(
        f"""
        SELECT platform, count(*) AS items,
               count(DISTINCT author_person_id) AS persons
        FROM content_items {where} GROUP BY platform ORDER BY platform
        """,
        params,
    )
    names = [d[0] for d in plat.description]
    platforms = [dict(zip(names, row, strict=True)) for row in plat.fetchall()]
    return Stats(entities, organisations, platforms)
