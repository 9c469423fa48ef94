"""What every request needs: the store, the caller, the workspace and the server's state.

Pages and API routes take a ``Context`` through FastAPI's dependencies. The workspace is
the ``workspace`` query parameter or, when absent, the caller's first workspace; a
workspace the caller holds no role in answers 404, exactly like one that does not exist.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from starlette.concurrency import run_in_threadpool

from ..api import Jauge
from ..errors import ForbiddenError, NotFoundError
from ..store.duckdb_store import Store
from .auth import (
    CSRF_FIELD,
    CSRF_HEADER,
    SAFE_METHODS,
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
        """The session signer, with the key read from the store on first use."""
        with self._lock:
            if self._sessions is None:
                self._sessions = Sessions(signing_key(store))
            return self._sessions


def server(request: Request) -> ServerState:
    state: ServerState = request.app.state.jauge
    return state


def request_store(request: Request) -> Iterator[Store]:
    """A cursor on the store for this request (sync: FastAPI runs it in a worker thread,
    since it may wait for another process to release the store)."""
    with server(request).gate.store() as store:
        yield store


async def request_caller(
    request: Request, store: Annotated[Store, Depends(request_store)]
) -> Caller:
    state = server(request)
    caller = await run_in_threadpool(lambda: authenticate(store, state.sessions(store), request))
    if request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER)
        content_type = request.headers.get("content-type", "")
        if sent is None and caller.csrf is not None and "form" in content_type:
            form = await request.form()
            value = form.get(CSRF_FIELD)
            sent = value if isinstance(value, str) else None
        check_csrf(caller, sent)
    request.state.caller = caller
    return caller


WorkspaceQuery = Annotated[
    str | None,
    Query(description="Workspace to read (default: the caller's first workspace)."),
]


@dataclass
class Context:
    store: Store
    caller: Caller
    workspace: str
    state: ServerState

    @property
    def jauge(self) -> Jauge:
        return Jauge(self.store, self.workspace)

    def require(self, role: str) -> None:
        require_role(self.caller.user, self.workspace, role)

    def cached(self, key: tuple[Hashable, ...], compute: Callable[[], Any]) -> Answer:
        """``compute()``'s answer, or the one computed earlier (or by the warm-up) on the
        same data."""
        version = self.state.gate.data_version()
        self.state.warmer.ensure(version)
        answer: Answer = self.state.cache.get(
            (self.workspace, version, *key), lambda: Answer.of(compute())
        )
        return answer


def resolve_workspace(caller: Caller, asked: str | None) -> str:
    roles = caller.user.roles
    if asked is not None:
        if asked not in roles:
            raise NotFoundError(f"no workspace {asked!r}")
        return asked
    if not roles:
        raise ForbiddenError(
            "your account belongs to no workspace yet: ask an owner to add you "
            "(`jauge user add EMAIL --workspace NAME --role viewer`)"
        )
    return sorted(roles)[0]


def request_context(
    request: Request,
    store: Annotated[Store, Depends(request_store)],
    caller: Annotated[Caller, Depends(request_caller)],
    workspace: WorkspaceQuery = None,
) -> Context:
    return Context(store, caller, resolve_workspace(caller, workspace), server(request))


Ctx = Annotated[Context, Depends(request_context)]
