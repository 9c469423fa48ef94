"""Logging in and out of the dashboard."""

from __future__ import annotations

import secrets
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ..users import check_password, password_stamp
from .auth import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    SESSION_HOURS,
    Caller,
    cookie_secure,
    end_session,
)
from .context import request_caller, server
from .pages import render

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never an open redirect to another host."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/overview"


@router.get("/login")
def login_page(
    request: Request, next: str | None = None, failed: int = 0, email: str = ""
) -> HTMLResponse:
    token = secrets.token_urlsafe(24)
    response = render(
        request,
        "login.html",
        None,
        next=_safe_next(next),
        login_csrf=token,
        failed=failed,
        email=email,  # typed before a failed try: only the password is typed again
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=cookie_secure(request),
        max_age=3600,
    )
    return response


@router.post("/login")
async def login(
    request: Request,
    email: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/overview",
) -> Response:
    expected = request.cookies.get(LOGIN_CSRF_COOKIE)
    if not expected or not secrets.compare_digest(expected, csrf_token):
        again = urlencode({"email": email, "next": next})
        return RedirectResponse(f"/login?failed=2&{again}", status_code=303)
    state = server(request)

    def check() -> tuple[Any, str | None]:
        with state.gate.store() as store:
            user = check_password(store, email, password)
            if user is None:
                return None, None
            stamp = password_stamp(store, user.user_id)
            return user, state.sessions(store).issue(user.user_id, stamp)[0]

    user, cookie = await run_in_threadpool(check)
    if user is None or cookie is None:
        again = urlencode({"email": email, "next": next})
        return RedirectResponse(f"/login?failed=1&{again}", status_code=303)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        cookie,
        httponly=True,
        samesite="lax",
        secure=cookie_secure(request),
        max_age=SESSION_HOURS * 3600,
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
def logout(request: Request, caller: Annotated[Caller, Depends(request_caller)]) -> Response:
    """End the session on the server too (a copy of the cookie stops working), then
    forget the cookie in this browser."""
    with server(request).gate.store() as store:
        end_session(store, caller)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response
