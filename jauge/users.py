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


def add_user(store: Store, email: str, password: str, workspace: str, role: str) -> User:
    """Create a user (or reset their password) and give them ``role`` in ``workspace``."""
    email = email.strip()
    if not _EMAIL.match(email):
        raise ConfigError(_("{email} is not an email address", email=repr(email)))
    if role not in ROLES:
        raise ConfigError(
            _("role {role}: choose one of {roles}", role=repr(role), roles=", ".join(ROLES))
        )
    if len(password) < MIN_PASSWORD:
        raise ConfigError(_("the password needs at least {count} characters", count=MIN_PASSWORD))
    if not access.workspace_exists(store, workspace):
        raise NotFoundError(
            _(
                "no workspace {name}: create it first with `jauge workspace add {workspace}`",
                name=repr(workspace),
                workspace=workspace,
            )
        )
    user_id = user_id_of(email)
    access.save_user(store, user_id, email.lower(), _hasher().hash(password))
    access.save_membership(store, user_id, workspace, role)
    return load_user(store, user_id)


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
