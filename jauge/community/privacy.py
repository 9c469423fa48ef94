"""Privacy: pseudonyms for persons, and forgetting a person on request.

Pseudonyms are a keyed hash (HMAC-SHA256) of the person's id with a key kept per
workspace (made on first use, or ``JAUGE_PSEUDONYM_KEY``): stable within a workspace, so a
pseudonymised report still tells people apart, and not linkable across workspaces.

Forgetting a person erases their personal data — handle, name, location, the text, title
and link of what they wrote — but keeps the rows, so every count and every figure computed
from counts (the index, share of voice) stays exactly what it was. The rows keep their ids,
which are plain hashes of natural keys (a handle, a tweet's id): anyone holding a candidate
handle would confirm it in one hash, so outputs name what was forgotten by the same keyed
pseudonyms as ``--pseudonymise`` (:class:`Forgotten`), never by those ids.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

import duckdb

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


#: how `jauge person forget` marks the native ids it erased (``forgotten:`` + the row's id)
FORGOTTEN = "forgotten:"


def is_forgotten(native_id: str | None) -> bool:
    """Whether a person's or an item's native id was erased by `jauge person forget`."""
    return native_id is not None and native_id.startswith(FORGOTTEN)


class Forgotten:
    """Names for what `jauge person forget` erased, as every output shows them: a person
    by the pseudonym ``--pseudonymise`` gives them (``p-…``), an item by a keyed
    pseudonym (``i-…``). The key is the workspace's (forgetting makes it); on a read-only
    store that has none yet, a key made for this answer only (pseudonyms that do not
    repeat from one answer to the next, and still name no one)."""

    def __init__(self, store: Store, workspace: str) -> None:
        self.store, self.workspace = store, workspace
        self._key: bytes | None = None

    def key(self) -> bytes:
        if self._key is None:
            try:
                self._key = pseudonym_key(self.store, self.workspace)
            except duckdb.Error:  # a read-only store, without a key to read
                self._key = secrets.token_hex(32).encode()
        return self._key

    def person(self, person_id: str) -> str:
        return pseudonym(self.key(), person_id)

    def item(self, native_id: str | None) -> str | None:
        """The id to show for an item: its own, unless it was forgotten."""
        return item_pseudonym(self.key(), native_id) if is_forgotten(native_id) else native_id

    def persons(self, person_ids: list[str] | None = None) -> set[str]:
        """The forgotten persons of the workspace (among ``person_ids`` when given)."""
        rows = self.store.con.execute(
            "SELECT person_id FROM persons WHERE workspace = ? AND starts_with(native_id, ?)",
            [self.workspace, FORGOTTEN],
        ).fetchall()
        found = {str(r[0]) for r in rows}
        return found if person_ids is None else found & set(person_ids)


def no_person(handle: str, workspace: str) -> NotFoundError:
    return NotFoundError(
        _(
            "no person {handle} in workspace {workspace}",
            handle=repr(handle),
            workspace=repr(workspace),
        )
    )


def handle_condition(handle: str, platform: str | None) -> tuple[str, list[str]]:
    """The SQL condition (and its parameters) matching a person by handle, as `jauge person
    forget` and `jauge person export` both do: ``@`` and case do not matter."""
    where = "lower(handle) = ?"
    params = [handle.lstrip("@").lower()]
    if platform:
        where += " AND platform = ?"
        params.append(platform)
    return where, params


def workspaces_holding(store: Store, handle: str, platform: str | None = None) -> list[str]:
    """The workspaces that hold a person of this handle who is not forgotten, by name."""
    where, params = handle_condition(handle, platform)
    rows = store.con.execute(
        f"SELECT DISTINCT workspace FROM persons WHERE {where} ORDER BY workspace", params
    ).fetchall()
    return [str(r[0]) for r in rows]


def _erase(store: Store, workspace: str, handle: str, platform: str | None) -> int:
    where, params = handle_condition(handle, platform)
    ids = [
        r[0]
        for r in store.con.execute(
            f"SELECT person_id FROM persons WHERE workspace = ? AND {where}", [workspace, *params]
        ).fetchall()
    ]
    if ids:
        # the key their pseudonyms are made with, from now on (see Forgotten)
        key = pseudonym_key(store, workspace)
        store.erase_persons(workspace, {i: pseudonym(key, i) for i in ids})
    return len(ids)


def forget_person(store: Store, workspace: str, handle: str, platform: str | None = None) -> int:
    """Erase a person's personal data (see the module docstring); returns persons forgotten."""
    forgotten = _erase(store, workspace, handle, platform)
    if not forgotten:
        raise no_person(handle, workspace)
    # what was erased would stay in the file's freed blocks: the file is written anew
    store.rewrite()
    return forgotten


def forget_everywhere(store: Store, handle: str, platform: str | None = None) -> dict[str, int]:
    """Erase a person's personal data in every workspace that holds them (a data subject's
    request concerns the whole store); returns persons forgotten per workspace."""
    workspaces = workspaces_holding(store, handle, platform)
    if not workspaces:
        raise NotFoundError(_("no person {handle} in any workspace", handle=repr(handle)))
    forgotten: dict[str, int] = {}
    try:
        for ws in workspaces:
            forgotten[ws] = _erase(store, ws, handle, platform)
    finally:
        # once, for all of them; and if one failed, what the others erased still goes
        if forgotten:
            store.rewrite()
    return forgotten
