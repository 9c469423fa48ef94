"""The web application: the dashboard's pages, the REST API, static files, one error handler.

Errors become responses here and only here: API routes answer the CLI's JSON error
shape (``jauge.errors.error_object``, declared for the OpenAPI document in
web/errors.py) with a status per kind; pages answer a page in the user's language, and
send anyone not logged in to the login page.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__
from ..errors import (
    AuthError,
    ConfigError,
    ForbiddenError,
    InputError,
    JaugeError,
    NotFoundError,
    StoreError,
    error_object,
)
from ..i18n import _, localised, speaking, worded
from . import api, login_page, pages, sources_page
from .cache import ResultCache
from .context import Context, ServerState, request_caller, server
from .errors import invalid_values
from .gate import StoreGate
from .i18n import negotiate, translator, wording

STATUS: dict[type[JaugeError], int] = {
    AuthError: 401,
    ForbiddenError: 403,
    NotFoundError: 404,
    ConfigError: 400,
    InputError: 422,
    StoreError: 503,
}

#: Vega compiles its expressions with Function(), hence 'unsafe-eval' for scripts
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
)


class HttpMiddleware:
    """A plain ASGI middleware (no per-request task) for HTTP requests; the others (the
    server's lifespan) pass through."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.http(scope, receive, send)

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        raise NotImplementedError


class SpokenLanguage(HttpMiddleware):
    """Messages made while answering (errors, mostly) speak the request's language: the
    page's, as the dashboard negotiates it (see jauge/i18n.py and web/i18n.py), in the
    web's words where a message would name a CLI option."""

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        with speaking(negotiate(Request(scope))), worded(wording()):
            await self.app(scope, receive, send)


class SecurityHeaders(HttpMiddleware):
    """Headers every answer carries."""

    COMMON = (
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"same-origin"),
    )
    PAGES = (
        (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
        (b"cache-control", b"no-store"),
    )

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                html = any(
                    k.lower() == b"content-type" and v.startswith(b"text/html") for k, v in headers
                )
                for name, value in self.COMMON + (self.PAGES if html else ()):
                    if name not in names:
                        headers.append((name, value))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


def status_of(exc: JaugeError) -> int:
    for kind in type(exc).__mro__:
        if kind in STATUS:
            return STATUS[kind]
    return 500


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def create_app(db: str, *, lock_wait: float | None = None) -> FastAPI:
    """The application serving the store at ``db``."""

    state = ServerState(StoreGate(db, lock_wait=lock_wait), ResultCache())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        state.gate.close()

    app = FastAPI(
        title="jauge",
        version=__version__,
        description="The Jauge Index and the data behind it, for your own tools. "
        "Authenticate with `Authorization: Bearer TOKEN` (`jauge token create`).",
        # served by api.py behind authentication, like every other API route
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.jauge = state

    @app.get("/healthz", include_in_schema=False, response_model=None)
    def healthz() -> dict[str, Any] | JSONResponse:
        """Readiness, without authentication (it tells nothing of the data): ``warm`` is
        true once every organisation's default answers are ready for the store as it is
        now. Asking starts the warm-up if the store changed. A store that cannot be
        opened answers 503 with the JSON error, never "ok"."""
        if db != ":memory:" and not Path(db).exists():
            # no file to answer from (its folder moved, a typo): opening makes it, or says
            # why it cannot; while the file is there, opening it is left to the requests,
            # as a command holding it would make this wait
            try:
                with state.gate.store():
                    pass
            except JaugeError as exc:
                body = {"status": "unavailable", "warm": False, **error_object(exc)}
                return JSONResponse(body, status_code=503, headers={"Retry-After": "5"})
        version = state.gate.data_version()
        state.warmer.ensure(version)
        return {"status": "ok", "warm": state.warmer.ready(version)}

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> RedirectResponse:
        """For clients that ask for the icon without reading the pages' ``<link rel=icon>``."""
        return RedirectResponse("/static/favicon.svg", status_code=301)

    app.include_router(api.router)
    app.include_router(login_page.router)
    app.include_router(pages.router)
    app.include_router(sources_page.router)
    app.mount(
        "/static", StaticFiles(directory=str(Path(__file__).parent / "static")), name="static"
    )

    app.add_middleware(SecurityHeaders)
    app.add_middleware(SpokenLanguage)

    @app.exception_handler(JaugeError)
    async def jauge_error(request: Request, exc: JaugeError) -> Response:
        status = status_of(exc)
        if _is_api(request):
            headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
            if status == 503:
                headers = {"Retry-After": "5"}
            body = error_object(exc)
            # the parameters to change, named as a 422 names them
            for name in getattr(exc, "parameters", ()):
                item = {"file": None, "line": None, "field": name}
                body["error"].setdefault("errors", []).append(
                    {**item, "message": body["error"]["message"]}
                )
            return JSONResponse(body, status_code=status, headers=headers)
        if status == 401:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
        return await _error_page(request, localised(str(exc)), status, getattr(exc, "fields", ()))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        # pydantic's words are English: jauge's name the parameter in the reader's language
        errors = invalid_values(exc.errors(), translator(negotiate(request)))
        message = "; ".join(e["message"] for e in errors)
        if not _is_api(request):
            fields = [f.partition(".")[2] for e in errors if (f := e["field"] or "")]
            return await _error_page(request, message, 422, fields)
        body = {"error": {"code": "invalid_request", "message": message, "errors": errors}}
        return JSONResponse(body, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http")
        # Starlette's "Not Found" and "Method Not Allowed" are English whatever the
        # reader's language: jauge says what was asked, in the reader's language
        path = request.url.path
        if exc.status_code == 404:
            message = _("there is no page at {path}", path=path)
        elif exc.status_code == 405:
            message = _("{method} is not allowed at {path}", method=request.method, path=path)
        else:
            message = str(exc.detail)
        if _is_api(request):
            body = {"error": {"code": code, "message": message}}
            return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)
        # a page's address is answered with a page, whatever went wrong (a form's
        # address opened again is a 405)
        return await _error_page(request, message, exc.status_code)

    return app


#: pages that cannot be shown without a value they need (the organisation of a report, the
#: handle of a person): a refused value leads back to the page that links to them, with
#: the query parameters that page takes
BACK_TO = {
    "/report": ("/overview", ("workspace", "org", "from", "to", "index_version")),
    "/person": ("/people", ("workspace", "org")),
}


async def _error_page(
    request: Request, message: str, status: int, fields: Sequence[str] = ()
) -> Response:
    """The error in the page's language (what happened, by its status) with jauge's own
    message, which names the exact cause, beneath it; for someone logged in, inside the
    dashboard's header. A value refused on a page links back to that page without it."""
    ctx = await _reader(request)
    back = None
    if (status in (400, 422) or fields) and request.method == "GET" and ctx is not None:
        left_out = {*fields, "lang"}
        kept = [(k, v) for k, v in request.query_params.multi_items() if k not in left_out]
        path = request.url.path
        if path in BACK_TO:
            # a page that needs what was refused would refuse it again: back to the page
            # that links to it, with the filters that page takes
            path, taken = BACK_TO[path]
            kept = [(k, v) for k, v in kept if k in taken]
        back = f"{path}?{urlencode(kept)}" if kept else path
    response: Response = pages.render(
        request, "error.html", ctx, status, message=message, status=status, back=back
    )
    return response


async def _reader(request: Request) -> Context | None:
    """Who reads an error page, for its header: None when not logged in. Their workspace
    is the one asked for when they hold it, else their first."""
    try:
        # the header needs who asks, not the form's CSRF token: read as a GET
        caller = await request_caller(Request({**request.scope, "method": "GET"}))
    except JaugeError:
        return None
    roles = caller.user.roles
    if not roles:
        return None
    asked = request.query_params.get("workspace")
    return Context(caller, asked if asked in roles else sorted(roles)[0], server(request))
