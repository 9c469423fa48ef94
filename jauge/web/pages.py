"""The dashboard's pages, rendered on the server from the same functions as the API."""

from __future__ import annotations

import functools
import inspect
import json
import re
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from .. import __version__
from ..enrich.regions import shown_regions
from ..errors import ConfigError, NotFoundError
from ..i18n import code_spans, day, localised, minus_signs, plural, signed_number
from ..metrics import labels
from . import api, charts, i18n, options
from .auth import (
    SESSION_COOKIE,
)
from .cache import Answer
from .context import Context, Ctx
from .forms import (
    FieldNotFound,
    FormError,
    amount_value,
    day_value,
    field_refused,
    index_version_value,
    index_versions,
    long_enough,
    window_in_order,
)
from .warmup import _orgs_with_items

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
templates.env.filters["code_spans"] = code_spans

# forms send an empty field as "": the pages read dates themselves (the API is strict)
From = Annotated[str | None, Query(alias="from")]
To = Annotated[str | None, Query(alias="to")]


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
            # negative figures with the language's minus sign, as the reports write them
            "number": functools.partial(signed_number, lang=lang),
            "day": functools.partial(day, lang=lang),
            # the key of a count's message, singular or plural as the language has it
            "plural": functools.partial(plural, lang=lang),
            "org_options": options.options,
            "localised": functools.partial(localised, days=True),
            "label": labels.label,
            "note": lambda warning: minus_signs(labels.note(warning), lang),
            "org_suggestions": options.suggestions,
            "version": __version__,
            "messages": i18n.catalogue(lang),
            # a form's values the page could not use, said above its filters (remembered)
            "problems": getattr(request.state, "problems", ()),
            **values,
        },
        status_code=status_code,
    )
    if request.query_params.get("lang") in i18n.LANGUAGES:
        response.set_cookie(
            i18n.COOKIE, request.query_params["lang"], max_age=365 * 86400, samesite="lax"
        )
    return response


@router.get("/")
def home(ctx: Ctx) -> Response:
    return RedirectResponse(f"/overview?workspace={ctx.workspace}", status_code=303)


def translator_of(request: Request) -> Callable[..., str]:
    return i18n.translator(i18n.negotiate(request))


async def _org_names(ctx: Context) -> list[str]:
    return [o["name"] for o in (await api.orgs_of(ctx)).data]


async def _with_posts(ctx: Context, orgs: list[str]) -> list[str]:
    """Those of ``orgs`` that have posts: the index is computed from them (an organisation
    made by `jauge org add`, or known by its web analytics alone, has none yet)."""
    found = await ctx.answer(
        ("orgs with items",), lambda: _orgs_with_items(ctx.store, ctx.workspace)
    )
    posting = {_lower(name) for name in found.data}
    return [o for o in orgs if _lower(o) in posting]


def _lower(name: str) -> str:
    """An organisation's name as the store finds it (whatever its case)."""
    return name.strip().lower()


PageHandler = Callable[..., Awaitable[HTMLResponse]]


#: the parameters of a page's filters by their query names, where they differ
PARAMETERS = {"from": "from_"}
#: what to leave out when a value was refused without naming its field: the window
#: and how to compare (the organisation and the other choices are kept)
WINDOW = ("from", "to", "by", "every")


def remembered(handler: PageHandler) -> PageHandler:
    """A page rendered once per store version for each session, address and language:
    people reload their dashboard far more often than the data changes.

    A value of its form that cannot be used does not replace the page: the page is shown
    without it (its default instead), the reason above its filters, with status 400."""
    defaults = {n: p.default for n, p in inspect.signature(handler).parameters.items()}

    async def shown(request: Request, ctx: Context, params: dict[str, Any]) -> HTMLResponse:
        problems: list[str] = []
        while True:
            try:
                window_in_order(params.get("from_"), params.get("to"))
                response = await handler(request, ctx, **params)
            except ConfigError as exc:
                names = [PARAMETERS.get(f, f) for f in getattr(exc, "fields", None) or WINDOW]
                left = {
                    n: defaults[n]
                    for n in names
                    if params.get(n, defaults.get(n)) != defaults.get(n)
                }
                if not left:
                    raise
                problems.append(localised(str(exc)))
                params = {**params, **left}
                request.state.problems = problems
                continue
            if problems:
                response.status_code = 400
            return response

    @functools.wraps(handler)
    async def page(request: Request, ctx: Context, **params: Any) -> HTMLResponse:
        if "lang" in request.query_params:  # the answer also sets the language cookie
            return await shown(request, ctx, params)
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
        response = await shown(request, ctx, params)
        if response.status_code == 200:
            ctx.state.cache.put(key, Answer(None, bytes(response.body)))
        return response

    return page


# Pages are async: with their answers ready (the usual case) they render without a
# worker thread; an answer to compute goes to one (see Context.answer).
@router.get("/overview")
@remembered
async def overview(
    request: Request,
    ctx: Ctx,
    org: str | None = None,
    from_: From = None,
    to: To = None,
    index_version: str | None = None,
) -> HTMLResponse:
    start, end = day_value(from_, "from"), day_value(to, "to")
    version = index_version_value(index_version)
    orgs = await _org_names(ctx)
    if not orgs:
        return render(request, "overview.html", ctx, orgs=[], org=None)
    posting = await _with_posts(ctx, orgs)
    org, t = org or (posting or orgs)[0], translator_of(request)
    shown: dict[str, Any] = {
        "orgs": orgs,
        "org": org,
        "start": start,
        "end": end,
        "index_version": version,
        "index_versions": index_versions(),
    }
    if _lower(org) in {_lower(o) for o in orgs} - {_lower(o) for o in posting}:
        # no index without posts: said in the page, as the other pages do
        return render(request, "overview.html", ctx, no_posts=True, **shown)
    long_enough(start, end, version)
    result = (await api.score_of(ctx, org, start, end, index_version=version)).data
    trend = (await api.compare_of(ctx, "period", [org], "quarter", index_version=version)).data
    return render(
        request,
        "overview.html",
        ctx,
        **shown,
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
    org: str | None = None,
    from_: From = None,
    to: To = None,
    vs: Annotated[list[str] | None, Query()] = None,
    campaign: str | None = None,
    names: bool = False,
    index_version: str | None = None,
    conversion_value: str | None = None,
) -> Response:
    """The executive report of ``jauge report``, in the page's language, to share, by the
    index version the page that links to it shows; ``conversion_value`` is ``jauge report
    --conversion-value``."""
    start, end = day_value(from_, "from"), day_value(to, "to")
    version = index_version_value(index_version)
    worth = amount_value(conversion_value, "conversion_value")
    # refused as the overview that links here refuses them, naming the fields
    window_in_order(from_, to)
    long_enough(start, end, version)
    orgs = await _org_names(ctx)
    if not orgs:  # nothing to report on: what the overview says then
        return render(request, "overview.html", ctx, orgs=[], org=None)
    posting = await _with_posts(ctx, orgs)
    # without org, the organisation the overview that links here shows first
    org = org or (posting or orgs)[0]
    idle = {_lower(o) for o in orgs} - {_lower(o) for o in posting}
    if _lower(org) in idle:
        # nothing wrong with the request: there is nothing to report yet, said as the
        # overview says it
        return render(request, "error.html", ctx, 400, status=400, no_posts=org, back=None)
    lang, versus = i18n.negotiate(request), tuple(v for v in (vs or ()) if v)
    made = await ctx.answer(
        ("report", org, start, end, versus, campaign, names, lang, version, worth),
        lambda: ctx.jauge.report(
            org,
            start=start,
            end=end,
            versus=versus or None,
            lang=lang,
            names=names,
            campaign=campaign or None,
            version=version,
            conversion_value=worth,
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
    index_version: str | None = None,
) -> HTMLResponse:
    start, end = day_value(from_, "from"), day_value(to, "to")
    version = index_version_value(index_version)
    orgs = await _org_names(ctx)
    posting = await _with_posts(ctx, orgs)
    asked = [o for o in (org or []) if o]
    # organisations without posts have no index: left out and named, with where to import
    # them (the CLI lists them without a score, its note saying why)
    idle = {_lower(o) for o in orgs} - {_lower(o) for o in posting}
    without = [o for o in asked or orgs if _lower(o) in idle]
    chosen = [o for o in asked if o not in without]
    if not asked:  # as the menu opens it: every organisation with posts, or the first one
        chosen = posting if by == "org" else posting[:1]
    # only organisations without posts asked for: nothing is compared, and the line under
    # the table says why (not the others, which nobody asked for)
    if by == "org":
        long_enough(start, end, version)
    t = translator_of(request)
    try:
        answer = (
            await api.compare_of(ctx, by, chosen, every, start, end, version) if chosen else None
        )
    except ConfigError as exc:
        if by != "campaign" or isinstance(exc, FormError):
            raise
        # no campaign defined, or none in the window: the field to change
        raise FormError(
            localised(str(exc)), *(("from", "to") if start or end else ("by",))
        ) from exc
    result = answer.data if answer else None
    return render(
        request,
        "compare.html",
        ctx,
        orgs=orgs,
        chosen=chosen,
        selected=chosen or asked,
        without_posts=without,
        by=by,
        every=every,
        start=start,
        end=end,
        index_version=version,
        index_versions=index_versions(),
        result=result,
        compare_chart=charts.comparison(result["rows"], t) if result else None,
    )


#: how many people the People page lists unless asked for more
PEOPLE_SHOWN = 50
#: regions in the listening page's chart and table: the API gives them all
REGIONS_SHOWN = 12


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
    limit: Annotated[int, Query(ge=1)] = PEOPLE_SHOWN,
) -> HTMLResponse:
    start, end = day_value(from_, "from"), day_value(to, "to")
    orgs = await _org_names(ctx)
    if not orgs:
        return render(request, "people.html", ctx, orgs=[], org=None)
    from ..community.people import DIMENSIONS, count_people

    org = org or orgs[0]
    # the form's one field: words separated by commas (or spaces), as --topic repeated
    words = tuple(dict.fromkeys(w for w in re.split(r"[,\s]+", topics.lower()) if w))
    found = (await api.people_of(ctx, org, words, start, end, limit, pseudonymise)).data
    # the page says of how many it shows the first ones, and links to them all
    total = (
        await ctx.answer(
            ("people-count", org, words, start, end),
            lambda: count_people(ctx.store, ctx.workspace, org, topics=words, start=start, end=end),
        )
    ).data
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
        total=max(total, len(found)),
        topic_filter=", ".join(words),
        pseudonymise=pseudonymise,
        dimensions=DIMENSIONS,
        assessment=assessment,
        can_assess=ctx.caller.user.may(ctx.workspace, "analyst"),
    )


@router.post("/people/integrity")
def assess_integrity(
    request: Request, ctx: Ctx, org: Annotated[str, Form()] = ""
) -> RedirectResponse:
    """Assess the workspace again (`jauge integrity`), then show the people page as it was
    (its window, topics and pseudonyms: the page that sent the form says them)."""
    ctx.require("analyst")
    ctx.jauge.integrity(limit=0)
    query = [("workspace", ctx.workspace), *([("org", org)] if org else [])]
    query += _people_filters(request)
    return RedirectResponse(f"/people?{urlencode(query)}", status_code=303)


def _people_filters(request: Request) -> list[tuple[str, str]]:
    """The people page's filters other than its organisation, from the address of the
    page on this site that sent the request (none from anywhere else)."""
    sent = urlsplit(request.headers.get("referer") or "")
    if sent.path != "/people" or (sent.netloc and sent.netloc != request.url.netloc):
        return []
    kept = ("from", "to", "topics", "pseudonymise")
    return [(k, v) for k, v in parse_qsl(sent.query) if k in kept]


@router.get("/person")
@remembered
async def person(request: Request, ctx: Ctx, org: str, handle: str) -> HTMLResponse:
    from ..community.people import person_timeline
    from ..integrity.profile import description

    # the API's answer, with each post's text: the page shows their first words
    found = (
        await ctx.answer(
            ("person-page", org, handle),
            lambda: person_timeline(ctx.store, ctx.workspace, org, handle, texts=True),
        )
    ).data
    assessed = found.get("authenticity") or {}
    # what each signal means, in English: the template shows it in the reader's language
    signals = [description(s) for s in assessed.get("signals") or []]
    return render(request, "person.html", ctx, org=org, person=found, signals=signals)


@router.get("/listening")
@remembered
async def listening(
    request: Request, ctx: Ctx, org: str | None = None, from_: From = None, to: To = None
) -> HTMLResponse:
    start, end = day_value(from_, "from"), day_value(to, "to")
    orgs = await _org_names(ctx)
    if not orgs:
        return render(request, "listening.html", ctx, orgs=[], org=None)
    org, t = org or orgs[0], translator_of(request)
    trend = (await api.sentiment_of(ctx, org, start, end)).data
    topics = (await api.topics_of(ctx, org, start, end, 15)).data
    # share of voice over the selected organisation's window, as the topics beside it:
    # left to itself it would end on the latest item of any organisation
    window = (start or date.fromisoformat(topics["from"]), end or date.fromisoformat(topics["to"]))
    voice = (await api.voice_of(ctx, orgs, *window)).data
    # no mentions of anyone: a sentence says so, not a chart of empty bars
    heard = any(o["mentions"] for o in voice["orgs"])
    regions = (await api.regions_of(ctx, [org], *window, by="region")).data
    places = shown_regions(regions, i18n.negotiate(request), REGIONS_SHOWN)
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
        trend_chart=charts.sentiment_over_time(trend, t, window=window),
        voice_chart=charts.share_of_voice(voice["orgs"], t) if heard else None,
        regions=regions,
        places=places,
        regions_chart=charts.regions(places, t) if places else None,
    )


def _named_other(platforms: list[dict[str, Any]], t: Callable[..., str]) -> list[dict[str, Any]]:
    """The platforms as the chart labels them: ``other`` in words, as the table says it."""
    return [
        {**p, "platform": t("value.other")} if p["platform"] == "other" else p for p in platforms
    ]


@router.get("/value")
@remembered
async def value(
    request: Request,
    ctx: Ctx,
    org: str | None = None,
    from_: From = None,
    to: To = None,
    conversion_value: str | None = None,
    campaign: str | None = None,
) -> HTMLResponse:
    start, end = day_value(from_, "from"), day_value(to, "to")
    orgs = await _org_names(ctx)
    if not orgs:
        return render(request, "value.html", ctx, orgs=[], org=None)
    org, t = org or orgs[0], translator_of(request)
    worth = amount_value(conversion_value, "conversion_value")
    campaign = (campaign or "").strip() or None
    try:
        report = (await api.value_of(ctx, org, campaign, start, end, worth)).data
    except NotFoundError as exc:
        if campaign is None or _lower(org) not in {_lower(o) for o in orgs}:
            raise
        # the organisation is known: the campaign is what was not found, named by its field
        raise FieldNotFound(field_refused("campaign", localised(str(exc))), "campaign") from exc
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
        campaign=campaign or "",
        campaigns=(
            await ctx.answer(
                ("campaign names", org),
                lambda: sorted({c.name for c in ctx.jauge.campaign_list(org)}),
            )
        ).data,
        report=report,
        # negative amounts and returns written as the reports write them (U+2212 in French)
        number=functools.partial(signed_number, lang=i18n.negotiate(request)),
        # no sessions nor conversions anywhere (no web analytics): a chart of empty bars
        # would say nothing the table and its note do not
        funnel_chart=charts.value_funnel(_named_other(report["platforms"], t), t)
        if any(p["sessions"] or p["conversions"] for p in report["platforms"])
        else None,
        returns_chart=charts.campaign_returns(
            [{**c, "name": c["label"]} for c in report["campaigns"]], t
        )
        if returned
        else None,
    )
