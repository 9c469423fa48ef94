"""Who is asking: sessions in signed cookies, API tokens, CSRF checks and roles.

A browser logs in with a password and gets a session cookie (HttpOnly, SameSite=Lax,
Secure where the connection allows it) signed with the server's key (JAUGE_SECRET_KEY,
else a key file beside the store, never in it); the cookie
carries the user id, a random session id and the session's CSRF token, which every
form and every state-changing request made with the cookie must echo back (form field
``csrf_token`` or header ``X-CSRF-Token``). Logging out records the session id in the
store as revoked, so a copy of the cookie kept elsewhere stops working too. Programs
send ``Authorization: Bearer TOKEN`` instead and need no CSRF token: a browser never adds
that header on its own.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request

from .. import settings
from ..errors import AuthError, ConfigError, ForbiddenError, NotFoundError
from ..i18n import _
from ..store import access
from ..store.duckdb_store import Store
from ..users import User, load_user, password_stamp, user_for_token

SESSION_COOKIE = "jauge_session"
LOGIN_CSRF_COOKIE = "jauge_login_csrf"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
SESSION_HOURS = 12
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


#: the file beside the store that holds the session key when JAUGE_SECRET_KEY is unset
KEY_SUFFIX = ".session-key"
#: for a store in memory, which has no folder: sessions last as long as the process
_PROCESS_KEY = secrets.token_urlsafe(48)


def signing_key(store: Store) -> str:
    """JAUGE_SECRET_KEY, else the random key in ``STORE.session-key`` beside the store
    (made on first use, readable by its owner only), so sessions survive restarts.

    Never in the store itself: whoever holds a copy of the store (a backup) could sign a
    session cookie for any user with it."""
    given = settings.SECRET_KEY.value()
    if given:
        return given
    if store.path in ("", ":memory:"):
        return _PROCESS_KEY
    return key_file(Path(store.path + KEY_SUFFIX))


def key_file(path: Path) -> str:
    """The key in ``path``, made there first (mode 0600) if there is none."""
    try:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(secrets.token_urlsafe(48) + "\n")
        for _attempt in range(100):
            key = path.read_text("utf-8").strip()
            if key:
                return key
            time.sleep(0.01)  # another server made the file a moment ago and is writing it
    except OSError as exc:
        raise ConfigError(
            _(
                "cannot make or read the session key {path} ({reason}): run the server as "
                "a user who may write beside the store, or set JAUGE_SECRET_KEY",
                path=str(path),
                reason=exc.strerror or exc,
            )
        ) from exc
    raise ConfigError(
        _(
            "the session key {path} is empty: delete it (jauge makes a new one; the "
            "sessions signed with the old one end) or set JAUGE_SECRET_KEY",
            path=str(path),
        )
    )


class Sessions:
    def __init__(self, key: str) -> None:
        self._signer = URLSafeTimedSerializer(key, salt="jauge-session")

    def issue(self, user_id: str, stamp: str | None) -> tuple[str, str]:
        """A new session cookie value and its CSRF token (``stamp``: see
        ``users.password_stamp``)."""
        csrf = secrets.token_urlsafe(24)
        sid = secrets.token_urlsafe(18)
        return self._signer.dumps({"uid": user_id, "sid": sid, "csrf": csrf, "pw": stamp}), csrf

    def read(self, value: str | None) -> dict[str, Any] | None:
        if not value:
            return None
        try:
            data = self._signer.loads(value, max_age=SESSION_HOURS * 3600)
        except BadSignature:
            return None
        # a session without an id (from before sessions had one) could not be ended
        if not isinstance(data, dict) or "uid" not in data or not data.get("sid"):
            return None
        return data


def cookie_secure(request: Request) -> bool:
    mode = settings.COOKIE_SECURE.value().lower()
    if mode in ("true", "1", "yes"):
        return True
    if mode in ("false", "0", "no"):
        return False
    if request.url.scheme == "https":
        return True
    host = request.url.hostname or ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _space, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


@dataclass(frozen=True)
class Caller:
    """The authenticated user of a request, and how they proved it."""

    user: User
    csrf: str | None  # None for API tokens
    session_id: str | None = None  # the session's id, None for API tokens


def authenticate(store: Store, sessions: Callable[[], Sessions], request: Request) -> Caller:
    """The caller of ``request``, or AuthError (the same for a bad token and no token).
    ``sessions`` is only called for a session cookie (its key may have to be made)."""
    token = bearer_token(request)
    if token is not None:
        user = user_for_token(store, token)
        if user is None:
            raise AuthError(_("the API token is not valid: create one with `jauge token create`"))
        return Caller(user, None)
    cookie = request.cookies.get(SESSION_COOKIE)
    session = sessions().read(cookie) if cookie else None
    if session is None:
        raise AuthError(_("log in first, or send an API token as 'Authorization: Bearer TOKEN'"))
    if access.session_revoked(store, str(session["sid"])):
        raise AuthError(_("the session has ended (logged out): log in again"))
    stamp = password_stamp(store, str(session["uid"]))
    if stamp is None or stamp != session.get("pw"):
        raise AuthError(_("the session is no longer valid (password changed?): log in again"))
    try:
        user = load_user(store, str(session["uid"]))
    except NotFoundError as exc:
        raise AuthError(_("the session is no longer valid: log in again")) from exc
    return Caller(user, str(session.get("csrf", "")), str(session["sid"]))


def end_session(store: Store, caller: Caller) -> None:
    """Log out: refuse the caller's session from now on, wherever its cookie is kept."""
    if caller.session_id is not None:
        access.revoke_session(store, caller.session_id, timedelta(hours=SESSION_HOURS))


def check_csrf(caller: Caller, sent: str | None) -> None:
    """Refuse a state-changing request made with a session cookie but without its token."""
    if caller.csrf is None:
        return
    if not sent or not hmac.compare_digest(sent, caller.csrf):
        raise ForbiddenError(_("the form is out of date or was not sent by jauge: reload the page"))


def require_role(user: User, workspace: str, role: str) -> None:
    if not user.may(workspace, role):
        raise ForbiddenError(
            _(
                "this needs the {role} role in workspace {workspace}",
                role=role,
                workspace=repr(workspace),
            )
        )
