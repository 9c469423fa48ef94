"""Privacy: pseudonyms for persons, and forgetting a person on request.

Pseudonyms are a keyed hash (HMAC-SHA256) of the person's id with a key kept per
workspace (made on first use, or ``JAUGE_PSEUDONYM_KEY``): stable within a workspace, so a
pseudonymised report still tells people apart, and not linkable across workspaces.

Forgetting a person erases their personal data — handle, name, location, the text, title
and link of what they wrote — but keeps the rows, so every count and every figure computed
from counts (the index, share of voice) stays exactly what it was.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from .. import settings
from ..errors import NotFoundError
from ..i18n import _
from ..store.duckdb_store import Store


def pseudonym_key(store: Store, workspace: str) -> bytes:
    given = settings.PSEUDONYM_KEY.value()
    if given:
        return given.encode()
    rows = store.con.execute(
        "SELECT pseudonym_key FROM workspace_secrets WHERE workspace = ?", [workspace]
    ).fetchall()
    if rows:
        return str(rows[0][0]).encode()
    key = secrets.token_hex(32)
    store.save_pseudonym_key(workspace, key)
    return key.encode()


def pseudonym(key: bytes, person_id: str) -> str:
    return "p-" + hmac.new(key, person_id.encode(), hashlib.sha256).hexdigest()[:12]


def item_pseudonym(key: bytes, native_id: str | None) -> str | None:
    """A post's id under the same key: a public post's own id would name its author."""
    if native_id is None:
        return None
    digest = hmac.new(key, b"item\x1f" + native_id.encode(), hashlib.sha256).hexdigest()
    return "i-" + digest[:12]


def no_person(handle: str, workspace: str) -> NotFoundError:
    return NotFoundError(
        _(
            "no person {handle} in workspace {workspace}",
            handle=repr(handle),
            workspace=repr(workspace),
        )
    )


def forget_person(store: Store, workspace: str, handle: str, platform: str | None = None) -> int:
    """Erase a person's personal data (see the module docstring); returns persons forgotten."""
    params = [workspace, handle.lstrip("@").lower()]
    where = "workspace = ? AND lower(handle) = ?"
    if platform:
        where += " AND platform = ?"
        params.append(platform)
    ids = [
        r[0]
        for r in store.con.execute(
            f"SELECT person_id FROM persons WHERE {where}", params
        ).fetchall()
    ]
    if not ids:
        raise no_person(handle, workspace)
    store.erase_persons(workspace, ids)
    return len(ids)
