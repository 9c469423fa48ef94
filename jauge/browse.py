"""Paged reading of content items and of the import history, for the API and the pages."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from .days import after, check_order, midnight
from .store.duckdb_store import Store

MAX_PAGE = 500


@dataclass(frozen=True)
class ItemFilter:
    org: str | None = None
    platform: str | None = None
    kind: str | None = None
    own: bool | None = None
    start: date | None = None
    end: date | None = None
    text: str | None = None


@dataclass
class ItemsPage:
    total: int
    limit: int
    offset: int
    items: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        following = self.offset + self.limit
        return {
            "total": self.total,
            "limit": self.limit,
            "offset": self.offset,
            "next_offset": following if following < self.total else None,
            "items": self.items,
        }


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, (date, datetime)) else value


def list_items(
    store: Store, workspace: str, where: ItemFilter, *, limit: int = 50, offset: int = 0
) -> ItemsPage:
    """Content items of a workspace, newest first, with their sentiment label. An item
    of someone `jauge person forget` erased shows keyed pseudonyms for its ids and author:
    its ids are plain hashes of its own (a tweet's id), which would name its author."""
    from .community.privacy import Forgotten, is_forgotten

    if where.start is not None and where.end is not None:
        check_order(where.start, where.end)
    clauses: list[str] = ["c.workspace = ?"]
    params: list[Any] = [workspace]
    if where.org is not None:
        clauses.append("c.org_id = ?")
        params.append(store.org_id(workspace, where.org))
    for column, value in (("c.platform", where.platform), ("c.kind", where.kind)):
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    if where.own is not None:
        clauses.append("c.is_own = ?")
        params.append(where.own)
    if where.start is not None:
        clauses.append("c.created_at >= ?")
        params.append(midnight(where.start))
    if where.end is not None:
        clauses.append("c.created_at < ?")
        params.append(after(where.end))
    if where.text:
        clauses.append("(c.text ILIKE ? OR c.title ILIKE ?)")
        pattern = "%" + where.text.replace("%", r"\%").replace("_", r"\_") + "%"
        params += [pattern, pattern]
    condition = " AND ".join(clauses)
    total = store.con.execute(
        f"SELECT count(*) FROM content_items c WHERE {condition}", params
    ).fetchall()[0][0]
    limit = max(1, min(int(limit), MAX_PAGE))
    offset = max(0, min(int(offset), int(total)))  # past the end is an empty page
    cursor = store.con.execute(
        f"""
        SELECT c.item_id, c.platform, c.native_id, o.name AS org, a.handle AS account,
               p.handle AS author, c.kind, c.is_own, c.created_at, c.lang, c.title, c.text,
               c.url,
               (SELECT arg_min(n.value, (CASE WHEN n.key = 'sentiment.human' THEN 0 ELSE 1 END,
                                         n.source))
                FROM annotations n
                WHERE n.item_id = c.item_id AND n.key IN ('sentiment', 'sentiment.human'))
                   AS sentiment,
               c.author_person_id, p.native_id AS author_native_id
        FROM content_items c
        LEFT JOIN organisations o ON o.org_id = c.org_id
        LEFT JOIN accounts a ON a.account_id = c.account_id
        LEFT JOIN persons p ON p.person_id = c.author_person_id AND p.workspace = c.workspace
        WHERE {condition}
        ORDER BY c.created_at DESC NULLS LAST, c.item_id
        LIMIT {limit} OFFSET {offset}
        """,
        params,
    )
    names = [d[0] for d in cursor.description]
    rows = [
        {k: _json_value(v) for k, v in zip(names, row, strict=True)} for row in cursor.fetchall()
    ]
    hidden = Forgotten(store, workspace)
    for row in rows:
        author_id, author_native = row.pop("author_person_id"), row.pop("author_native_id")
        if is_forgotten(row["native_id"]):
            row["item_id"] = row["native_id"] = hidden.item(row["native_id"])
        if author_id is not None and is_forgotten(author_native):
            row["author"] = hidden.person(author_id)
    return ItemsPage(int(total), limit, offset, rows)


def list_imports(store: Store, workspace: str, limit: int = 50) -> list[dict[str, Any]]:
    """The latest imports of a workspace, newest first."""
    cursor = store.con.execute(
        """
        SELECT import_id, source, path, org, started_at, finished_at, rows_read,
               inserted, updated, unchanged, invalid, status, errors
        FROM imports WHERE workspace = ? ORDER BY started_at DESC LIMIT ?
        """,
        [workspace, max(1, min(int(limit), MAX_PAGE))],
    )
    names = [d[0] for d in cursor.description]
    found = [
        {k: _json_value(v) for k, v in zip(names, row, strict=True)} for row in cursor.fetchall()
    ]
    for entry in found:
        entry["errors"] = json.loads(entry["errors"]) if entry["errors"] else []
    return found
