"""Workspaces, users, roles and API tokens: who may read and change which client's data.

An agency keeps one workspace per client. A user holds a role in each workspace they
may see: ``viewer`` reads, ``analyst`` also imports and defines campaigns, ``owner``
also manages the workspace's connections. A user never sees a workspace they hold no
role in: to them it does not exist.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import secrets
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from .errors import ConfigError, NotFoundError
from .i18n import _
from .store import access
from .store.duckdb_store import Store
from .store.ids import make_id

if TYPE_CHECKING:
    from argon2 import PasswordHasher

ROLES = ("viewer", "analyst", "owner")
TOKEN_PREFIX = "jauge_"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_WORKSPACE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$")
MIN_PASSWORD = 8


@dataclass(frozen=True)
class User:
    """A user and their role per workspace."""

    user_id: str
    email: str
    roles: dict[str, str] = field(default_factory=dict)

    def role(self, workspace: str) -> str | None:
        return self.roles.get(workspace)

    def may(self, workspace: str, needed: str) -> bool:
        """Whether the user holds ``needed`` or a higher role in ``workspace``."""
        held = self.roles.get(workspace)
        return held is not None and ROLES.index(held) >= ROLES.index(needed)

    def to_dict(self) -> dict[str, object]:
        return {
            "email": self.email,
            "workspaces": [{"workspace": w, "role": r} for w, r in sorted(self.roles.items())],
        }


def _hasher() -> PasswordHasher:
    from argon2 import PasswordHasher

    return PasswordHasher()


def user_id_of(email: str) -> str:
    return make_id("user", email.strip().lower())


def add_workspace(store: Store, name: str) -> bool:
    """Create a workspace; False when it already existed."""
    if not _WORKSPACE.match(name):
        raise ConfigError(
            _(
                "workspace name {name}: use letters, digits, '.', '_' or '-' "
                "(at most 63 characters, starting with a letter or digit)",
                name=repr(name),
            )
        )
    existed = access.workspace_exists(store, name)
    store.ensure_workspace(name)
    return not existed


def require_workspace(store: Store, workspace: str) -> None:
    if not access.workspace_exists(store, workspace):
        raise NotFoundError(
            _(
                "no workspace {name}: create it first with `jauge workspace add {workspace}`",
                name=repr(workspace),
                workspace=workspace,
            )
        )


def user_exists(store: Store, email: str) -> bool:
    return access.user_row(store, user_id_of(email)) is not None


def add_user(store: Store, email: str, password: str | None, workspace: str, role: str) -> User:
    """Create a user, or give an existing one ``role`` in ``workspace``.

    ``password`` None keeps an existing user's password (a new user needs one). A new
    password ends the user's sessions and API tokens; the password they already have
    changes nothing, so a script that adds roles with it logs nobody out."""
    email = email.strip()
    if not _EMAIL.match(email):
        raise ConfigError(_("{email} is not an email address", email=repr(email)))
    if role not in ROLES:
        raise ConfigError(
            _("role {role}: choose one of {roles}", role=repr(role), roles=", ".join(ROLES))
        )
    if password is not None and len(password) < MIN_PASSWORD:
        raise ConfigError(_("the password needs at least {count} characters", count=MIN_PASSWORD))
    require_workspace(store, workspace)
    user_id = user_id_of(email)
    row = access.user_row(store, user_id)
    if row is None and password is None:
        raise ConfigError(
            _("{email} is a new user: give them a password", email=repr(email.lower()))
        )
    if password is not None and (row is None or not _verifies(row["password_hash"], password)):
        access.save_user(store, user_id, email.lower(), _hasher().hash(password))
        # a new password is what an admin sets when an account may be in other hands:
        # the tokens made with the old one end as its sessions do
        access.delete_tokens(store, [t["token_hash"] for t in access.tokens(store, user_id)])
    access.save_membership(store, user_id, workspace, role)
    return load_user(store, user_id)


def _verifies(password_hash: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return bool(_hasher().verify(password_hash, password))
    except (VerificationError, InvalidHashError):
        return False


def list_users(store: Store, workspace: str | None = None) -> list[User]:
    """Every user, by email, or those holding a role in ``workspace`` (with that role
    only)."""
    if workspace is not None:
        require_workspace(store, workspace)
    found = []
    for user_id, email, roles in access.users_with_roles(store):
        if workspace is None:
            found.append(User(user_id, email, roles))
        elif workspace in roles:
            found.append(User(user_id, email, {workspace: roles[workspace]}))
    return found


def remove_user(store: Store, email: str, workspace: str | None = None) -> User | None:
    """Take the user's role in ``workspace`` away, or (``workspace`` None) the user.

    Returns the user as they remain, None when they are gone: a user left without a role
    is removed, since they could open nothing. Either way it takes effect at their next
    request: their sessions and API tokens end with the user, and a role taken away is
    no longer theirs."""
    user = find_user(store, email)
    if workspace is not None:
        require_workspace(store, workspace)
        if workspace not in user.roles:
            raise NotFoundError(
                _(
                    "{email} holds no role in workspace {workspace} (theirs: {roles})",
                    email=repr(user.email),
                    workspace=repr(workspace),
                    roles=", ".join(sorted(user.roles)) or "-",
                )
            )
        if len(user.roles) > 1:
            access.delete_membership(store, user.user_id, workspace)
            store.con.execute("CHECKPOINT")
            return load_user(store, user.user_id)
    access.delete_user(store, user.user_id)
    # settle the file now: the store's version keys the server's cached callers
    store.con.execute("CHECKPOINT")
    return None


def password_stamp(store: Store, user_id: str) -> str | None:
    """A short digest of the user's password hash: sessions carry it, so setting a new
    password ends every session opened with the old one."""
    row = access.user_row(store, user_id)
    if row is None:
        return None
    return hashlib.sha256(row["password_hash"].encode("utf-8")).hexdigest()[:16]


def load_user(store: Store, user_id: str) -> User:
    row = access.user_row(store, user_id)
    if row is None:
        raise NotFoundError(_("no such user"))
    return User(row["user_id"], row["email"], access.memberships(store, user_id))


def find_user(store: Store, email: str) -> User:
    row = access.user_row(store, user_id_of(email))
    if row is None:
        raise NotFoundError(
            _(
                "no user {name}: add one with `jauge user add {email} ...`",
                name=repr(email),
                email=email,
            )
        )
    return load_user(store, row["user_id"])


def check_password(store: Store, email: str, password: str) -> User | None:
    """The user if the password is theirs, else None (the same for an unknown email)."""
    from argon2.exceptions import InvalidHashError, VerificationError

    row = access.user_row(store, user_id_of(email))
    hasher = _hasher()
    if row is None:
        # spend the same time as for a real user, so timing does not reveal who exists
        with contextlib.suppress(VerificationError, InvalidHashError):
            hasher.verify(_dummy_hash(), password)
        return None
    try:
        hasher.verify(row["password_hash"], password)
    except (VerificationError, InvalidHashError):
        return None
    return load_user(store, row["user_id"])


@cache
def _dummy_hash() -> str:
    return str(_hasher().hash(secrets.token_hex(16)))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(store: Store, email: str) -> str:
    """A new API token for the user; only its digest is kept, so show it once."""
    user = find_user(store, email)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    access.save_token(store, _digest(token), user.user_id, token[:10])
    return token


def user_for_token(store: Store, token: str) -> User | None:
    user_id = access.token_user(store, _digest(token))
    return None if user_id is None else load_user(store, user_id)


#: characters of a token's digest that name it in lists (a digest tells nothing of the
#: token; twelve characters tell tokens apart)
TOKEN_ID_LENGTH = 12


@dataclass(frozen=True)
class TokenInfo:
    """An API token as the store knows it: never the token itself."""

    token_id: str
    prefix: str
    email: str
    created_at: object

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.token_id,
            "prefix": self.prefix,
            "user": self.email,
            "created_at": self.created_at,
        }


def _token_info(row: dict[str, object]) -> TokenInfo:
    digest = str(row["token_hash"])
    return TokenInfo(digest[:TOKEN_ID_LENGTH], str(row["prefix"]), str(row["email"]),
                     row["created_at"])  # fmt: skip


def list_tokens(store: Store, email: str | None = None) -> list[TokenInfo]:
    """The API tokens, oldest first, or those of one user. The store knows no last use:
    recording one would write to the store at every API request."""
    user_id = None if email is None else find_user(store, email).user_id
    return [_token_info(row) for row in access.tokens(store, user_id)]


def revoke_token(store: Store, which: str) -> TokenInfo:
    """Revoke the token named by its id (``jauge token list``), its prefix when no other
    token shares it, or the token itself; refused when it names none or several."""
    which = which.strip()
    rows = access.tokens(store)
    digest = _digest(which)
    found = [
        r
        for r in rows
        if r["token_hash"] == digest
        or r["prefix"] == which
        or (len(which) >= 6 and str(r["token_hash"]).startswith(which.lower()))
    ]
    if not found:
        raise NotFoundError(
            _(
                "no API token {name}: `jauge token list` shows each token's id and prefix",
                name=repr(which),
            )
        )
    if len(found) > 1:
        raise ConfigError(
            _(
                "{name} names {count} tokens: revoke one by its id ({ids})",
                name=repr(which),
                count=len(found),
                ids=", ".join(_token_info(r).token_id for r in found),
            )
        )
    access.delete_tokens(store, [str(found[0]["token_hash"])])
    store.con.execute("CHECKPOINT")
    return _token_info(found[0])
