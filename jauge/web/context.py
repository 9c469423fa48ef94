"""What every request needs: the store, the caller, the workspace and the server's state.

Pages and API routes take a ``Context`` through FastAPI's dependencies. The workspace is
the ``workspace`` query parameter or, when absent, the caller's first workspace; a
workspace the caller holds no role in answers 404, exactly like one that does not exist.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable, Hashable
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from starlette.concurrency import run_in_threadpool

from ..api import Jauge
from ..errors import ForbiddenError, NotFoundError
from ..i18n import _
from ..store.duckdb_store import Store
from .auth import (
    CSRF_FIELD,
    CSRF_HEADER,
    SAFE_METHODS,
    SESSION_COOKIE,
    Caller,
    Sessions,
    authenticate,
    check_csrf,
    require_role,
    signing_key,
)
from .cache import Answer, ResultCache
from .gate import StoreGate
from .warmup import Warmer


class ServerState:
    """Shared by all requests of one server."""

    def __init__(self, gate: StoreGate, cache: ResultCache) -> None:
        self.gate = gate
        self.cache = cache
        self.warmer = Warmer(gate, cache)
        self._sessions: Sessions | None = None
        self._lock = threading.Lock()

    def sessions(self, store: Store) -> Sessions:
        """The session signer, with its key (``auth.signing_key``) read on first use."""
        with self._lock:
            if self._sessions is None:
                self._sessions = Sessions(signing_key(store))
            return self._sessions


def server(request: Request) -> ServerState:
    state: ServerState = request.app.state.jauge
    return state


def _authenticate(state: ServerState, request: Request, key: tuple[Hashable, ...]) -> Caller:
    store = state.gate.acquire()
    try:
        caller: Caller = state.cache.get(
            key, lambda: authenticate(store, lambda: state.sessions(store), request)
        )
        return caller
    finally:
        state.gate.release(store)


async def request_caller(request: Request) -> Caller:
    """The authenticated caller. Who holds a token or a session changes only when the
    store does, so a known caller costs no query (and no worker thread)."""
    state = server(request)
    key = (
        "caller",
        state.gate.data_version(),
        request.headers.get("authorization"),
        request.cookies.get(SESSION_COOKIE),
    )
    caller: Caller | None = state.cache.peek(key)
    if caller is None:
        caller = await run_in_threadpool(_authenticate, state, request, key)
    if request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER)
        content_type = request.headers.get("content-type", "")
        if sent is None and caller.csrf is not None and "form" in content_type:
            form = await request.form()
            value = form.get(CSRF_FIELD)
            sent = value if isinstance(value, str) else None
        check_csrf(caller, sent)
    return caller


WorkspaceQuery = Annotated[
    str | None,
    Query(description="Workspace to read (default: the caller's first workspace)."),
]


class Context:
    """One request's view: its caller and workspace, and a store cursor opened only when
    an answer is not ready (a cached answer needs no cursor and no worker thread)."""

    def __init__(self, caller: Caller, workspace: str, state: ServerState) -> None:
        self.caller = caller
        self.workspace = workspace
        self.state = state
        self._store: Store | None = None
        self._version: tuple[int, ...] | None = None

    @property
    def store(self) -> Store:
        """The request's cursor, opened on first use (from a worker thread: it may wait)."""
        if self._store is None:
            self._store = self.state.gate.acquire()
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self.state.gate.release(self._store)
            self._store = None

    @property
    def jauge(self) -> Jauge:
        return Jauge(self.store, self.workspace)

    def require(self, role: str) -> None:
        require_role(self.caller.user, self.workspace, role)

    @property
    def version(self) -> tuple[int, ...]:
        """The store's version for this request (read once)."""
        if self._version is None:
            self._version = self.state.gate.data_version()
            self.state.warmer.ensure(self._version)
        return self._version

    def key(self, key: tuple[Hashable, ...]) -> tuple[Hashable, ...]:
        """The full cache key of an answer: workspace and store version first (the version
        read once per request, so a page's answers all come from the same data)."""
        return (self.workspace, self.version, *key)

    async def answer(self, key: tuple[Hashable, ...], compute: Callable[[], Any]) -> Answer:
        """For async routes: the ready answer at once, else computed in a worker thread."""
        ready: Answer | None = self.state.cache.peek(self.key(key))
        if ready is not None:
            return ready
        return await run_in_threadpool(self.cached, key, compute)

    def cached(self, key: tuple[Hashable, ...], compute: Callable[[], Any]) -> Answer:
        """``compute()``'s answer, or the one computed earlier (or by the warm-up) on the
        same data."""
        answer: Answer = self.state.cache.get(self.key(key), lambda: Answer.of(compute()))
        return answer


def resolve_workspace(caller: Caller, asked: str | None) -> str:
    roles = caller.user.roles
    if asked is not None:
        if asked not in roles:
            raise NotFoundError(_("no workspace {name}", name=repr(asked)))
        return asked
    if not roles:
        raise ForbiddenError(
            _(
                "your account belongs to no workspace yet: ask an owner to add you "
                "(`jauge user add EMAIL --workspace NAME --role viewer`)"
            )
        )
    return sorted(roles)[0]


async def request_context(
    request: Request,
    caller: Annotated[Caller, Depends(request_caller)],
    workspace: WorkspaceQuery = None,
) -> AsyncIterator[Context]:
    ctx = Context(caller, resolve_workspace(caller, workspace), server(request))
    try:
        yield ctx
    finally:
        ctx.close()


Ctx = Annotated[Context, Depends(request_context)]
