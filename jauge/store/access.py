"""The store's SQL for users, roles, API tokens and ended sessions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from .duckdb_store import Store, utcnow


def workspace_exists(store: Store, workspace: str) -> bool:
    rows = store.con.execute(
        "SELECT count(*) FROM workspaces WHERE workspace = ?", [workspace]
    ).fetchall()
    return bool(rows[0][0])


def workspace_names(store: Store) -> list[str]:
    rows = store.con.execute("SELECT workspace FROM workspaces ORDER BY workspace").fetchall()
    return [str(r[0]) for r in rows]


def save_user(store: Store, user_id: str, email: str, password_hash: str) -> None:
    """Create the user, or set a new password for an existing one."""
    with store.transaction() as con:
        con.execute("DELETE FROM users WHERE user_id = ?", [user_id])
        con.execute(
            "INSERT INTO users VALUES (?, ?, ?, ?)", [user_id, email, password_hash, utcnow()]
        )


def save_membership(store: Store, user_id: str, workspace: str, role: str) -> None:
    with store.transaction() as con:
        con.execute(
            "DELETE FROM memberships WHERE user_id = ? AND workspace = ?", [user_id, workspace]
        )
        con.execute(
            "INSERT INTO memberships VALUES (?, ?, ?, ?)", [user_id, workspace, role, utcnow()]
        )


def user_row(store: Store, user_id: str) -> dict[str, Any] | None:
    rows = store.con.execute(
        "SELECT user_id, email, password_hash FROM users WHERE user_id = ?", [user_id]
    ).fetchall()
    if not rows:
        return None
    return {"user_id": rows[0][0], "email": rows[0][1], "password_hash": rows[0][2]}


def memberships(store: Store, user_id: str) -> dict[str, str]:
    """workspace -> role for one user."""
    rows = store.con.execute(
        "SELECT workspace, role FROM memberships WHERE user_id = ? ORDER BY workspace",
        [user_id],
    ).fetchall()
    return {str(w): str(r) for w, r in rows}


def save_token(store: Store, token_hash: str, user_id: str, prefix: str) -> None:
    store.con.execute(
        "INSERT INTO api_tokens VALUES (?, ?, ?, ?)", [token_hash, user_id, prefix, utcnow()]
    )


def token_user(store: Store, token_hash: str) -> str | None:
    rows = store.con.execute(
        "SELECT user_id FROM api_tokens WHERE token_hash = ?", [token_hash]
    ).fetchall()
    return str(rows[0][0]) if rows else None


def revoke_session(store: Store, session_id: str, lifetime: timedelta) -> None:
    """Refuse the session from now on, until ``lifetime`` from now (when its cookie
    expires anyway); rows whose session has expired go."""
    now = utcnow()
    with store.transaction() as con:
        con.execute("DELETE FROM revoked_sessions WHERE expires_at < ?", [now])
        con.execute(
            "INSERT INTO revoked_sessions SELECT ?, ? WHERE NOT EXISTS "
            "(SELECT 1 FROM revoked_sessions WHERE session_id = ?)",
            [session_id, now + lifetime, session_id],
        )
    # settle the file now, so the store's version (which keys the server's cached answers,
    # the callers of sessions among them) changes here
    store.con.execute("CHECKPOINT")


def session_revoked(store: Store, session_id: str) -> bool:
    rows = store.con.execute(
        "SELECT count(*) FROM revoked_sessions WHERE session_id = ?", [session_id]
    ).fetchall()
    return bool(rows[0][0])


def users_with_roles(store: Store) -> list[tuple[str, str, dict[str, str]]]:
    """(user id, email, workspace -> role) of every user, by email."""
    rows = store.con.execute("SELECT user_id, email FROM users ORDER BY email").fetchall()
    roles: dict[str, dict[str, str]] = {str(r[0]): {} for r in rows}
    for user_id, workspace, role in store.con.execute(
        "SELECT user_id, workspace, role FROM memberships ORDER BY workspace"
    ).fetchall():
        roles.setdefault(str(user_id), {})[str(workspace)] = str(role)
    return [(str(u), str(e), roles[str(u)]) for u, e in rows]


def delete_membership(store: Store, user_id: str, workspace: str) -> None:
    store.con.execute(
        "DELETE FROM memberships WHERE user_id = ? AND workspace = ?", [user_id, workspace]
    )


def delete_user(store: Store, user_id: str) -> None:
    """The user, their roles and their API tokens: their sessions end with them (a session
    is valid only while its user's password hash is in the store)."""
    with store.transaction() as con:
        for table in ("api_tokens", "memberships", "users"):
            con.execute(f"DELETE FROM {table} WHERE user_id = ?", [user_id])


def tokens(store: Store, user_id: str | None = None) -> list[dict[str, Any]]:
    """The API tokens (digest, user id, email, prefix, created), oldest first."""
    rows = store.con.execute(
        "SELECT t.token_hash, t.user_id, u.email, t.prefix, t.created_at "
        "FROM api_tokens t LEFT JOIN users u USING (user_id) "
        "WHERE CAST(? AS VARCHAR) IS NULL OR t.user_id = ? ORDER BY t.created_at, t.token_hash",
        [user_id, user_id],
    ).fetchall()
    keys = ("token_hash", "user_id", "email", "prefix", "created_at")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def delete_tokens(store: Store, token_hashes: list[str]) -> None:
    store.con.execute("DELETE FROM api_tokens WHERE list_contains(?, token_hash)", [token_hashes])
