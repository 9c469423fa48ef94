"""The dashboard's pages, rendered on the server from the same functions as the API."""

from __future__ import annotations

import functools
import json
import re
import secrets
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from .. import __version__
from ..browse import list_imports
from ..errors import ConfigError, InputError, NotFoundError
from ..i18n import N_, _, localised, number
from ..metrics import labels
from ..sources import registry
from ..sources.connections import list_connections
from ..users import check_password, password_stamp
from . import api, charts, i18n, options
from .auth import (
    CSRF_FIELD,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    SESSION_HOURS,
    Caller,
    cookie_secure,
    end_session,
)
from .cache import Answer
from .context import Context, Ctx, request_caller, server

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
# templates ship with the package: no need to stat them for changes on every render
templates.env.auto_reload = False


def file_name(path: str) -> str:
    """What a table shows of an import's path: the file's name (the full path is in its
    tooltip), or a feed's whole URL."""
    if "://" in path:
        return path
    return re.split(r"[\\/]", path)[-1] or path


templates.env.filters["file_name"] = file_name

# forms send an empty field as "": the pages read dates themselves (the API is strict)
From = Annotated[str | None, Query(alias="from")]
To = Annotated[str | None, Query(alias="to")]


def _day(value: str | None, name: str) -> date | None:
    if value is None or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise ConfigError(
            _("{name}: a date like 2014-12-31, got {value}", name=name, value=repr(value))
        ) from exc


def _spec_json(spec: dict[str, Any]) -> Markup:
    # safe inside <script type="application/json">: no "</" can close the element
    return Markup(json.dumps(spec, ensure_ascii=False).replace("</", "<\\/"))


def render(
    request: Request,
    name: str,
    ctx: Context | None,
    status_code: int = 200,
    **values: Any,
) -> HTMLResponse:
    """A page in the request's language, with the navigation of the caller's workspace."""
    lang = i18n.negotiate(request)
    t = i18n.translator(lang)
    workspace = ctx.workspace if ctx else None

    def url(path: str, **params: Any) -> str:
        query: list[tuple[str, Any]] = []
        if workspace:
            query.append(("workspace", workspace))
        for key, value in params.items():
            if value is None or value == "":
                continue
            for item in value if isinstance(value, (list, tuple)) else [value]:
                query.append((key, item))
        return path + ("?" + urlencode(query) if query else "")

    def lang_link(code: str) -> str:
        switched = request.url.include_query_params(lang=code)
        return switched.path + "?" + switched.query

    response = templates.TemplateResponse(
        request,
        name,
        {
            "t": t,
            "lang": lang,
            "languages": i18n.LANGUAGES,
            "ctx": ctx,
            "user": ctx.caller.user if ctx else None,
            "workspace": workspace,
            "csrf": ctx.caller.csrf if ctx else None,
            "url": url,
            "lang_link": lang_link,
            "spec": lambda chart: _spec_json(charts.localised(chart, lang)),
            "number": functools.partial(number, lang=lang),
            "org_options": options.options,
            "localised": localised,
            "label": labels.label,
            "note": labels.note,
            "org_suggestions": options.suggestions,
            "version": __version__,
            "messages": i18n.catalogue(lang),
            **values,
        },
        status_code=status_code,
    )
    if request.query_params.get("lang") in i18n.LANGUAGES:
        response.set_cookie(
            i18n.COOKIE, request.query_params["lang"], max_age=365 * 86400, samesite="lax"
        )
    return response


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never an open redirect to another host."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/overview"


@router.get("/login")
def login_page(request: Request, next: str | None = None, failed: int = 0) -> HTMLResponse:
    token = secrets.token_urlsafe(24)
    response = render(
        request, "login.html", None, next=_safe_next(next), login_csrf=token, failed=failed
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
        return RedirectResponse("/login?failed=2&" + urlencode({"next": next}), status_code=303)
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
        return RedirectResponse("/login?failed=1&" + urlencode({"next": next}), status_code=303)
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


@router.get("/")
def home(ctx: Ctx) -> Response:
    return RedirectResponse(f"/overview?workspace={ctx.workspace}", status_code=303)


def _translator(request: Request) -> Callable[..., str]:
    return i18n.translator(i18n.negotiate(request))


async def _org_names(ctx: Context) -> list[str]:
    return [o["name"] for o in (await api.orgs_of(ctx)).data]


PageHandler = Callable[..., Awaitable[HTMLResponse]]


def remembered(handler: PageHandler) -> PageHandler:
    """A page rendered once per store version for each session, address and language:
    people reload their dashboard far more often than the data changes."""

    @functools.wraps(handler)
    async def page(request: Request, ctx: Context, **params: Any) -> HTMLResponse:
        if "lang" in request.query_params:  # the answer also sets the language cookie
            return await handler(request, ctx, **params)
        key = ctx.key(
            (
                "page",
                request.url.path,
                request.url.query,
                i18n.negotiate(request),
                request.cookies.get(SESSION_COOKIE),
                request.headers.get("authorization"),
            )
        )
        ready: Answer | None = ctx.state.cache.peek(key)
        if ready is not None:
            return HTMLResponse(ready.body)
        response = await handler(request, ctx, **params)
        if response.status_code == 200:
            ctx.state.cache.put(key, Answer(None, bytes(response.body)))
        return response

    return page


# Pages are async: with their answers ready (the usual case) they render without a
# worker thread; an answer to compute goes to one (see Context.answer).
@router.get("/overview")
@remembered
async def overview(
    request: Request, ctx: Ctx, org: str | None = None, from_: From = None, to: To = None
) -> HTMLResponse:
    start, end = _day(from_, "from"), _day(to, "to")
    orgs = await _org_names(ctx)
    if not orgs:
        return render(request, "overview.html", ctx, orgs=[], org=None)
    org, t = org or orgs[0], _translator(request)
    result = (await api.score_of(ctx, org, start, end)).data
    trend = (await api.compare_of(ctx, "period", [org], "quarter")).data
    return render(
        request,
        "overview.html",
        ctx,
        orgs=orgs,
        org=org,
        start=start,
        end=end,
        result=result,
        trend=trend,
        trend_chart=charts.index_trend(trend["rows"], t),
        breakdown_chart=charts.breakdown(result["components"], t),
    )


#: a report is a document: its own styles, and nothing to load or run
REPORT_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


@router.get("/report")
async def report(
    request: Request,
    ctx: Ctx,
    org: str,
    from_: From = None,
    to: To = None,
    vs: Annotated[list[str] | None, Query()] = None,
    campaign: str | None = None,
    names: bool = False,
) -> Response:
    """The executive report of ``jauge report``, in the page's language, to share."""
    start, end = _day(from_, "from"), _day(to, "to")
    lang, versus = i18n.negotiate(request), tuple(v for v in (vs or ()) if v)
    made = await ctx.answer(
        ("report", org, start, end, versus, campaign, names, lang),
        lambda: ctx.jauge.report(
            org,
            start=start,
            end=end,
            versus=versus or None,
            lang=lang,
            names=names,
            campaign=campaign or None,
        ),
    )
    name = made.data.default_name()
    # headers are Latin-1: an ASCII name for every browser, the exact one for those that
    # read RFC 6266's filename*
    plain = name.encode("ascii", "replace").decode().replace("?", "-")
    return HTMLResponse(
        made.data.html,
        headers={
            "content-disposition": f"inline; filename=\"{plain}\"; filename*=UTF-8''{quote(name)}",
            "content-security-policy": REPORT_POLICY,
        },
    )


@router.get("/compare")
@remembered
async def compare(
    request: Request,
    ctx: Ctx,
    by: Literal["period", "campaign", "org"] = "org",
    org: Annotated[list[str] | None, Query()] = None,
    every: Literal["month", "quarter"] = "quarter",
    from_: From = None,
    to: To = None,
) -> HTMLResponse:
    start, end = _day(from_, "from"), _day(to, "to")
    orgs = await _org_names(ctx)
    chosen = [o for o in (org or []) if o] or (orgs if by == "org" else orgs[:1])
    t = _translator(request)
    result = (await api.compare_of(ctx, by, chosen, every, start, end)).data if orgs else None
    return render(
        request,
        "compare.html",
        ctx,
        orgs=orgs,
        chosen=chosen,
        by=by,
        every=every,
        start=start,
        end=end,
        result=result,
        compare_chart=charts.comparison(result["rows"], t) if result else None,
    )


@router.get("/people")
@remembered
async def people(
    request: Request,
    ctx: Ctx,
    org: str | None = None,
    from_: From = None,
    to: To = None,
    topics: str = "",
    pseudonymise: bool = False,
) -> HTMLResponse:
    start, end = _day(from_, "from"), _day(to, "to")
    orgs = await _org_names(ctx)
    if not orgs:
        return render(request, "people.html", ctx, orgs=[], org=None)
    from ..community.people import DIMENSIONS

    org = org or orgs[0]
    # the form's one field: words separated by commas (or spaces), as --topic repeated
    words = tuple(dict.fromkeys(w for w in re.split(r"[,\s]+", topics.lower()) if w))
    found = (await api.people_of(ctx, org, words, start, end, 50, pseudonymise)).data
    assessment = (await ctx.answer(("assessment",), lambda: ctx.jauge.assessment(limit=0))).data
    return render(
        request,
        "people.html",
        ctx,
        orgs=orgs,
        org=org,
        start=start,
        end=end,
        people=found,
        topic_filter=", ".join(words),
        pseudonymise=pseudonymise,
        dimensions=DIMENSIONS,
        assessment=assessment,
        can_assess=ctx.caller.user.may(ctx.workspace, "analyst"),
    )


@router.post("/people/integrity")
def assess_integrity(ctx: Ctx, org: Annotated[str, Form()] = "") -> RedirectResponse:
    """Assess the workspace again (`jauge integrity`), then show the people page."""
    ctx.require("analyst")
    ctx.jauge.integrity(limit=0)
    query = urlencode({"workspace": ctx.workspace, **({"org": org} if org else {})})
    return RedirectResponse(f"/people?{query}", status_code=303)


@router.get("/person")
@remembered
async def person(request: Request, ctx: Ctx, org: str, handle: str) -> HTMLResponse:
    from ..integrity.profile import description

    found = (await api.person_of(ctx, org, handle)).data
    assessed = found.get("authenticity") or {}
    # what each signal means, in English: the template shows it in the reader's language
    signals = [description(s) for s in assessed.get("signals") or []]
    return render(request, "person.html", ctx, org=org, person=found, signals=signals)


@router.get("/listening")
@remembered
async def listening(
    request: Request, ctx: Ctx, org: str | None = None, from_: From = None, to: To = None
) -> HTMLResponse:
    start, end = _day(from_, "from"), _day(to, "to")
    orgs = await _org_names(ctx)
    if not orgs:
        return render(request, "listening.html", ctx, orgs=[], org=None)
    org, t = org or orgs[0], _translator(request)
    trend = (await api.sentiment_of(ctx, org, start, end)).data
    topics = (await api.topics_of(ctx, org, start, end, 15)).data
    # share of voice over the selected organisation's window, as the topics beside it:
    # left to itself it would end on the latest item of any organisation
    window = (start or date.fromisoformat(topics["from"]), end or date.fromisoformat(topics["to"]))
    voice = (await api.voice_of(ctx, orgs, *window)).data
    return render(
        request,
        "listening.html",
        ctx,
        orgs=orgs,
        org=org,
        start=start,
        end=end,
        trend=trend,
        voice=voice,
        topics=topics,
        trend_chart=charts.sentiment_over_time(trend, t),
        voice_chart=charts.share_of_voice(voice["orgs"], t),
    )


@router.get("/value")
@remembered
async def value(
    request: Request,
    ctx: Ctx,
    org: str | None = None,
    from_: From = None,
    to: To = None,
    conversion_value: str | None = None,
) -> HTMLResponse:
    start, end = _day(from_, "from"), _day(to, "to")
    orgs = await _org_names(ctx)
    if not orgs:
        return render(request, "value.html", ctx, orgs=[], org=None)
    org, t = org or orgs[0], _translator(request)
    worth = _amount(conversion_value, "conversion_value")
    report = (await api.value_of(ctx, org, None, start, end, worth)).data
    returned = any(
        c["roi"] is not None or c["platform_roi"] is not None for c in report["campaigns"]
    )
    return render(
        request,
        "value.html",
        ctx,
        orgs=orgs,
        org=org,
        start=start,
        end=end,
        conversion_value=conversion_value or "",
        report=report,
        funnel_chart=charts.value_funnel(report["platforms"], t) if report["platforms"] else None,
        returns_chart=charts.campaign_returns(report["campaigns"], t) if returned else None,
    )


def _amount(value: str | None, name: str) -> float | None:
    """A form's amount (empty: none), as the CLI reads it; a French comma is accepted."""
    if value is None or not value.strip():
        return None
    try:
        amount = float(value.strip().replace(",", "."))
    except ValueError:
        amount = -1.0
    if amount < 0:
        raise ConfigError(
            _("{name} takes an amount of 0 or more, got {value}", name=name, value=repr(value))
        )
    return amount


def _sources_page(
    request: Request, ctx: Context, status_code: int = 200, **values: Any
) -> HTMLResponse:
    return render(
        request,
        "sources.html",
        ctx,
        status_code,
        orgs=[o["name"] for o in ctx.jauge.org_dictionaries()],
        sources=registry.names(),
        connections=list_connections(ctx.store, ctx.workspace),
        imports=list_imports(ctx.store, ctx.workspace, 20),
        can_import=ctx.caller.user.may(ctx.workspace, "analyst"),
        **{"chosen_source": None, **values},
    )


@router.get("/sources")
def sources(request: Request, ctx: Ctx) -> HTMLResponse:
    return _sources_page(request, ctx)


@router.post("/sources/upload")
def upload(
    request: Request,
    ctx: Ctx,
    file: Annotated[UploadFile, File()],
    source: Annotated[str, Form()] = "",
    org: Annotated[str, Form()] = "",
    platform: Annotated[str, Form()] = "",
    year: Annotated[str, Form()] = "",
    followers: Annotated[str, Form()] = "",
    skip_invalid: Annotated[bool, Form()] = False,
    csrf_token: Annotated[str, Form(alias=CSRF_FIELD)] = "",
) -> HTMLResponse:
    ctx.require("analyst")
    try:
        result = api.run_upload(
            ctx,
            file,
            source or None,
            org or None,
            platform or None,
            _whole(year, N_("year: a year like 2014, got {value}")),
            skip_invalid,
            _whole(followers, N_("followers: a whole number like 12500, got {value}")),
        )
    except (ConfigError, NotFoundError, InputError) as exc:
        # what to change in the form is said beside it, not on a page of its own
        body = {"inserted": 0, "updated": 0, "unchanged": 0, "invalid": 0, "files": []}
        body["errors"] = [{"file": file.filename, "line": None, "field": None,
                           "message": str(exc)}]  # fmt: skip
        return _sources_page(request, ctx, 422, result=body, ok=False, chosen_source=source)
    body = result.to_dict()
    return _sources_page(
        request, ctx, 200 if result.ok else 422, result=body, ok=result.ok, chosen_source=source
    )


def _whole(value: str, message: str) -> int | None:
    """A form's whole number of 0 or more, or None when left empty."""
    if not value.strip():
        return None
    try:
        number = int(value)
        if number < 0:
            raise ValueError(value)
    except ValueError as exc:
        raise ConfigError(_(message, value=repr(value))) from exc
    return number
