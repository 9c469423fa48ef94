"""Counts per entity, organisation and platform: what ``jauge stats`` shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import settings
from .errors import NotFoundError
from .i18n import N_, _, number
from .store.duckdb_store import ENTITIES, Store

#: the entities counted -> their label, as `jauge stats` shows them (JSON keeps the names)
ENTITY_LABELS = {
    "workspaces": N_("workspaces"),
    "organisations": N_("organisations"),
    "accounts": N_("accounts"),
    "persons": N_("persons"),
    "items": N_("items"),
    "interactions": N_("interactions"),
    "snapshots": N_("snapshots"),
    "annotations": N_("annotations"),
    "campaigns": N_("campaigns"),
    "imports": N_("imports"),
    "mentions": N_("mentions"),
    "org_terms": N_("dictionary terms"),
    "authenticity": N_("authenticity weights"),
    "web_traffic": N_("web traffic rows"),
    "costs": N_("spend rows"),
}


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

    def __repr__(self) -> str:
        counts = ", ".join(
            f"{n:,} {name}" for name, n in self.entities.items() if name in ("items", "persons")
        )
        return f"<Stats {len(self.organisations)} organisations, {counts}>"

    def _repr_html_(self) -> str:  # what Jupyter shows: `jauge stats`'s tables
        from .metrics.notebook import plain_table, shown

        entities = plain_table(
            [_("entity"), _("rows")],
            [(_(ENTITY_LABELS.get(k, k)), number(n, ",")) for k, n in self.entities.items()],
        )
        several = len({o["workspace"] for o in self.organisations}) > 1
        orgs = plain_table(
            [
                *([_("workspace")] if several else []),
                *(_(c) for c in ("name", "accounts", "own items", "by others", "interactions")),
                _("from"),
                _("to"),
            ],
            [
                (
                    *([o["workspace"]] if several else []),
                    o["name"],
                    *(
                        number(o[k], ",")
                        for k in ("accounts", "own_items", "items_by_others", "interactions")
                    ),
                    (o["first_item_at"] or "")[:10],
                    (o["last_item_at"] or "")[:10],
                )
                for o in self.organisations
            ],
            _("Organisations"),
        )
        platforms = plain_table(
            [_("platform"), _("items"), _("persons")],
            [
                (p["platform"], number(p["items"], ","), number(p["persons"], ","))
                for p in self.platforms
            ],
            _("Platforms"),
        )
        return shown(_("Entities"), entities, orgs, platforms)


def known_workspace(store: Store, workspace: str) -> None:
    """Refuse a workspace the store does not have, naming those it has. The default
    workspace is the exception only while the store has none: a new store reads as
    empty, but a store of named workspaces (an agency's, one per client) would otherwise
    read as empty too, hiding all it holds. The CLI and the Python API both ask this."""
    from .store.access import workspace_exists, workspace_names

    if workspace_exists(store, workspace):
        return
    names = workspace_names(store)
    if workspace == settings.WORKSPACE.default:
        if not names:
            return
        raise NotFoundError(
            _(
                "no workspace {name} in this store (it has: {names}): pass --workspace NAME",
                name=repr(workspace),
                names=", ".join(names),
            )
        )
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
