"""The REST API under /api/v1: the same answers, with the same JSON fields, as the CLI's
``--format json``. Every route needs a session or ``Authorization: Bearer TOKEN``."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from ..browse import ItemFilter, list_imports, list_items
from ..days import check_order
from ..enrich.voice import sentiment_trend
from ..errors import ConfigError, UsageError
from ..i18n import _
from ..ingest import check_observed_at, parse_when
from ..metrics.scope import SHORT_WINDOW, too_short
from ..metrics.spec import LATEST, load_spec
from ..sources import registry
from ..sources.base import parse_mapping
from ..sources.connections import list_connections
from .cache import Answer
from .context import Context, Ctx
from .errors import ERROR_RESPONSES, IMPORT_RESPONSES

# every route declares jauge's error answers (web/errors.py), which is what it sends
router = APIRouter(prefix="/api/v1", tags=["jauge"], responses=ERROR_RESPONSES)
CROWD = 2


class WindowRefused(ConfigError):
    """A window the API refuses, as the library words it: ``parameters`` are the query
    parameters to change, which the error's ``errors`` name as a 422's do."""

    parameters = ("query.from", "query.to")


def checked_window(start: date | None, end: date | None, index_version: str | None = None) -> None:
    """Refuse a window that ends before it starts or, for the index (``index_version``),
    that is too short, naming ``from`` and ``to``: a script can tell what to change."""
    if start is None or end is None:
        return
    try:
        check_order(start, end)
        short = too_short(load_spec(index_version), start, end) if index_version else None
        if short:
            raise ConfigError(_(SHORT_WINDOW, **short))
    except ConfigError as exc:
        raise WindowRefused(str(exc)) from exc


def json_answer(answer: Answer) -> Response:
    """The cached answer's JSON, sent as is."""
    return Response(answer.body, media_type="application/json")


From = Annotated[date | None, Query(alias="from", description="First day (YYYY-MM-DD).")]
To = Annotated[date | None, Query(alias="to", description="Last day (YYYY-MM-DD).")]
Org = Annotated[str, Query(description="Organisation name.", min_length=1)]
Json = dict[str, Any]


@router.get("/openapi.json", include_in_schema=False)
def openapi(ctx: Ctx, request: Request) -> Json:
    schema: Json = request.app.openapi()
    return schema


@router.get("/me", summary="The caller and their workspaces")
def me(ctx: Ctx) -> Json:
    return {**ctx.caller.user.to_dict(), "workspace": ctx.workspace}


@router.get("/orgs", summary="Organisations of the workspace, with their dictionaries")
async def orgs(ctx: Ctx) -> Response:
    return json_answer(await orgs_of(ctx))


async def orgs_of(ctx: Context) -> Answer:
    return await ctx.answer(("orgs",), lambda: ctx.jauge.org_dictionaries())


@router.get("/stats", summary="Counts per entity, organisation and platform")
def stats(ctx: Ctx) -> Json:
    return dict(ctx.jauge.stats().to_dict())


@router.get("/score", summary="The Jauge Index, as `jauge score --format json`")
async def score(
    ctx: Ctx,
    org: Org,
    start: From = None,
    end: To = None,
    account: str | None = None,
    campaign: str | None = None,
    index_version: str = LATEST,
) -> Response:
    checked_window(start, end, index_version)
    return json_answer(await score_of(ctx, org, start, end, account, campaign, index_version))


async def score_of(
    ctx: Context,
    org: str,
    start: date | None = None,
    end: date | None = None,
    account: str | None = None,
    campaign: str | None = None,
    index_version: str = LATEST,
) -> Answer:
    # the same key as the warm-up's (warmup.score_key)
    key = ("score", org, start, end, account, campaign, index_version)
    default_window = (start, end, account, campaign, index_version) == (
        None,
        None,
        None,
        None,
        LATEST,
    )
    if default_window:
        await _join_the_warm_up(ctx, key, scores_only=True)
    return await ctx.answer(
        key,
        lambda: ctx.jauge.score(
            org, account=account, campaign=campaign, start=start, end=end, version=index_version
        ).to_dict(),
    )


async def _join_the_warm_up(ctx: Context, key: tuple[Any, ...], *, scores_only: bool) -> None:
    """Alone, a request computes its answer (a fraction of a second); in a crowd of
    different questions, it waits for the warm-up pass that answers them all at once."""
    cache = ctx.state.cache
    if cache.computing() >= CROWD and cache.peek(ctx.key(key)) is None:
        await run_in_threadpool(ctx.state.warmer.wait, ctx.version, scores_only=scores_only)


@router.get("/compare", summary="The index side by side, as `jauge compare --format json`")
async def compare(
    ctx: Ctx,
    by: Literal["period", "campaign", "org"] = "period",
    org: Annotated[list[str] | None, Query(description="Organisations (repeat).")] = None,
    every: Literal["month", "quarter"] = "quarter",
    start: From = None,
    end: To = None,
    index_version: str = LATEST,
) -> Response:
    # organisations are compared over the one window, which the index must be able to read
    checked_window(start, end, index_version if by == "org" else None)
    return json_answer(await compare_of(ctx, by, org or [], every, start, end, index_version))


async def compare_of(
    ctx: Context,
    by: str,
    orgs: list[str],
    every: str = "quarter",
    start: date | None = None,
    end: date | None = None,
    index_version: str = LATEST,
) -> Answer:
    names = tuple(orgs)
    key = ("compare", by, names, every, start, end, index_version)
    if (by, len(names), every, start, end, index_version) == (
        "period",
        1,
        "quarter",
        None,
        None,
        LATEST,
    ):  # an organisation's trend, as the overview shows it (warmup.trend_key)
        await _join_the_warm_up(ctx, key, scores_only=False)
    return await ctx.answer(
        key,
        lambda: ctx.jauge.compare(
            by, names, every=every, start=start, end=end, version=index_version
        ).to_dict(),
    )


@router.get("/campaigns", summary="Campaigns, as `jauge campaign list --format json`")
def campaigns(ctx: Ctx, org: str | None = None) -> list[Json]:
    return [c.to_dict() for c in ctx.jauge.campaign_list(org)]


class CampaignIn(BaseModel):
    name: str = Field(min_length=1)
    org: str = Field(min_length=1)
    start: date = Field(alias="from")
    end: date = Field(alias="to")
    hashtags: list[str] = []
    keywords: list[str] = []
    utm_campaign: str | None = None


@router.post("/campaigns", status_code=201, summary="Define a campaign (analyst or owner)")
def add_campaign(ctx: Ctx, body: CampaignIn) -> Json:
    ctx.require("analyst")
    campaign = ctx.jauge.add_campaign(
        body.name,
        org=body.org,
        start=body.start,
        end=body.end,
        hashtags=body.hashtags,
        keywords=body.keywords,
        utm_campaign=body.utm_campaign,
    )
    return dict(campaign.to_dict())


@router.get("/items", summary="Content items, newest first, paged and filterable")
def items(
    ctx: Ctx,
    org: str | None = None,
    platform: str | None = None,
    kind: str | None = None,
    own: bool | None = None,
    start: From = None,
    end: To = None,
    q: Annotated[str | None, Query(description="Text contained (case-insensitive).")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Json:
    where = ItemFilter(org, platform, kind, own, start, end, q)
    checked_window(start, end)
    return list_items(ctx.store, ctx.workspace, where, limit=limit, offset=offset).to_dict()


@router.get("/voice", summary="Share of voice, as `jauge voice --format json`")
async def voice(
    ctx: Ctx,
    org: Annotated[list[str], Query(description="Organisations (repeat).", min_length=1)],
    start: From = None,
    end: To = None,
) -> Response:
    checked_window(start, end)
    return json_answer(await voice_of(ctx, org, start, end))


async def voice_of(
    ctx: Context, orgs: list[str], start: date | None = None, end: date | None = None
) -> Answer:
    return await ctx.answer(
        ("voice", tuple(orgs), start, end),
        lambda: ctx.jauge.voice(orgs, start=start, end=end).to_dict(),
    )


#: what a region is, as the API describes it
REGIONS_ARE = (
    "US states, French and Belgian regions, Canadian provinces, Swiss cantons, UK nations, "
    "other countries whole"
)


@router.get("/regions", summary="Where the mentions come from, as `jauge regions --format json`")
async def regions(
    ctx: Ctx,
    org: Annotated[list[str], Query(description="Organisations (repeat).", min_length=1)],
    start: From = None,
    end: To = None,
    by: Annotated[
        Literal["country", "region"],
        Query(description=f"Countries, or regions: {REGIONS_ARE}."),
    ] = "country",
) -> Response:
    checked_window(start, end)
    return json_answer(await regions_of(ctx, org, start, end, by))


async def regions_of(
    ctx: Context,
    orgs: list[str],
    start: date | None = None,
    end: date | None = None,
    by: str = "country",
) -> Answer:
    return await ctx.answer(
        ("regions", tuple(orgs), start, end, by),
        lambda: ctx.jauge.regions(orgs, start=start, end=end, by=by).to_dict(),
    )


@router.get("/topics", summary="Top and rising terms, as `jauge topics --format json`")
async def topics(
    ctx: Ctx,
    org: Org,
    start: From = None,
    end: To = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Response:
    checked_window(start, end)
    return json_answer(await topics_of(ctx, org, start, end, limit))


async def topics_of(
    ctx: Context, org: str, start: date | None = None, end: date | None = None, limit: int = 20
) -> Answer:
    return await ctx.answer(
        ("topics", org, start, end, limit),
        lambda: ctx.jauge.topics(org, start=start, end=end, limit=limit).to_dict(),
    )


@router.get("/people", summary="The people who talk about an organisation, as `jauge people`")
async def people(
    ctx: Ctx,
    org: Org,
    topic: Annotated[list[str] | None, Query(description="Topic words (repeat).")] = None,
    start: From = None,
    end: To = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    pseudonymise: Annotated[bool, Query(description="Stable keyed pseudonyms.")] = False,
) -> Response:
    checked_window(start, end)
    topics = tuple(topic or ())
    return json_answer(await people_of(ctx, org, topics, start, end, limit, pseudonymise))


async def people_of(
    ctx: Context,
    org: str,
    topics: tuple[str, ...] = (),
    start: date | None = None,
    end: date | None = None,
    limit: int = 20,
    pseudonymise: bool = False,
) -> Answer:
    return await ctx.answer(
        ("people", org, topics, start, end, limit, pseudonymise),
        lambda: [
            p.to_dict()
            for p in ctx.jauge.people(
                org, topics=topics, start=start, end=end, limit=limit, pseudonymise=pseudonymise
            )
        ],
    )


@router.get("/integrity", summary="The latest integrity assessment and who it weighed down")
def integrity(
    ctx: Ctx,
    limit: Annotated[int, Query(ge=0, le=500, description="Accounts listed.")] = 20,
) -> Json:
    return ctx.jauge.assessment(limit=limit)


@router.post(
    "/integrity",
    summary="Assess the workspace again, as `jauge integrity --format json` (analyst or owner)",
)
def assess_integrity(
    ctx: Ctx,
    limit: Annotated[int, Query(ge=0, le=500, description="Accounts listed.")] = 20,
) -> Json:
    ctx.require("analyst")
    return ctx.jauge.integrity(limit=limit).to_dict()


@router.get("/value", summary="From reach to sales, and ROI per campaign, as `jauge value`")
async def value(
    ctx: Ctx,
    org: Org,
    campaign: Annotated[str | None, Query(description="Campaign name or UTM campaign.")] = None,
    start: From = None,
    end: To = None,
    conversion_value: Annotated[
        float | None,
        # inf and nan (1e400 reads as inf) are no amount: refused as -1 is, naming the field
        Query(
            ge=0,
            allow_inf_nan=False,
            description="What one conversion is worth, without revenue.",
        ),
    ] = None,
) -> Response:
    checked_window(start, end)
    return json_answer(await value_of(ctx, org, campaign, start, end, conversion_value))


async def value_of(
    ctx: Context,
    org: str,
    campaign: str | None = None,
    start: date | None = None,
    end: date | None = None,
    conversion_value: float | None = None,
) -> Answer:
    return await ctx.answer(
        ("value", org, campaign, start, end, conversion_value),
        lambda: ctx.jauge.value(
            org, campaign=campaign, start=start, end=end, conversion_value=conversion_value
        ).to_dict(),
    )


@router.get("/person", summary="One person's relationship with an organisation, as `jauge person`")
async def person(
    ctx: Ctx,
    org: Org,
    handle: Annotated[str, Query(description="The person's handle.", min_length=1)],
    pseudonymise: Annotated[bool, Query(description="A stable keyed pseudonym.")] = False,
) -> Response:
    return json_answer(await person_of(ctx, org, handle, pseudonymise))


async def person_of(ctx: Context, org: str, handle: str, pseudonymise: bool = False) -> Answer:
    return await ctx.answer(
        ("person", org, handle, pseudonymise),
        lambda: ctx.jauge.person(handle, org, pseudonymise=pseudonymise),
    )


@router.get("/sentiment", summary="Mentions and their sentiment per week, day or month")
async def sentiment(
    ctx: Ctx,
    org: Org,
    start: From = None,
    end: To = None,
    every: Literal["day", "week", "month"] = "week",
) -> Response:
    checked_window(start, end)
    return json_answer(await sentiment_of(ctx, org, start, end, every))


async def sentiment_of(
    ctx: Context,
    org: str,
    start: date | None = None,
    end: date | None = None,
    every: str = "week",
) -> Answer:
    return await ctx.answer(
        ("sentiment", org, start, end, every),
        lambda: sentiment_trend(ctx.store, ctx.workspace, org, start, end, every),
    )


@router.get("/connections", summary="Live connections with their last sync and error")
def connections(ctx: Ctx) -> list[Json]:
    return list_connections(ctx.store, ctx.workspace)


@router.get("/imports", summary="The latest imports")
def imports(ctx: Ctx, limit: Annotated[int, Query(ge=1, le=500)] = 50) -> list[Json]:
    found = list_imports(ctx.store, ctx.workspace, limit)
    if ctx.caller.user.may(ctx.workspace, "analyst"):
        return found
    # the folder a file was imported from is the server's: as on the Sources page, only
    # those who may import see it, a viewer gets the file's name
    from .pages import file_name

    for entry in found:
        entry["path"] = file_name(str(entry["path"] or "")) or entry["path"]
        for error in entry["errors"]:
            if isinstance(error, dict) and error.get("file"):
                error["file"] = file_name(str(error["file"]))
    return found


class FieldRefused(ConfigError):
    """A form field of an upload that cannot be used: the API answers 422 naming
    ``field``, as it does a form field it cannot read (see :func:`field_refused`)."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def observed_value(value: str | None) -> datetime | None:
    """An upload's ``observed_at``, read as ``jauge import --observed-at`` reads it (an ISO
    date or date-time, naive UTC; empty: the import is dated now). Refused (FieldRefused)
    when unreadable or in the future."""
    if value is None or not value.strip():
        return None
    try:
        when = parse_when(value.strip())
    except ValueError as exc:
        said = _(
            "observed_at: an ISO date or date-time like 2015-01-12 or 2015-01-12T18:00, "
            "got {value}",
            value=repr(value),
        )
        raise FieldRefused(said, "observed_at") from exc
    try:
        # the import refuses it too (jauge.ingest.import_files, the one rule every import
        # goes through): checked here first only to name the field in the answer
        check_observed_at(when)
    except UsageError as exc:
        raise FieldRefused(str(exc), "observed_at") from exc
    return when


def field_refused(exc: FieldRefused) -> JSONResponse:
    """A refused form field as a 422 answers a field it cannot read: ``invalid_request``,
    with the field named in ``errors``."""
    message = str(exc)
    item = {"file": None, "line": None, "field": exc.field, "message": message}
    body = {"error": {"code": "invalid_request", "message": message, "errors": [item]}}
    return JSONResponse(body, status_code=422)


def run_upload(
    ctx: Ctx,
    upload: UploadFile,
    source: str | None,
    org: str | None,
    platform: str | None,
    year: int | None,
    skip_invalid: bool,
    followers: int | None = None,
    mapping: Sequence[str] = (),
    observed_at: datetime | None = None,
) -> Any:
    """Import an uploaded export exactly as ``jauge import`` would (same checks, same
    all-or-nothing rule); the file keeps its name so errors can name it. Without a
    source, the one its content fits reads it. ``mapping`` renames columns as
    ``--map COLUMN=FIELD`` does, one pair per item; ``observed_at`` dates its counts as
    ``--observed-at`` does (None: now)."""
    ctx.require("analyst")
    if source is not None and source not in registry.names():
        raise ConfigError(
            _(
                "unknown source {source}: choose one of {names}",
                source=repr(source),
                names=", ".join(registry.names()),
            )
        )
    renamed = parse_mapping(mapping)
    name = Path(upload.filename or "upload").name or "upload"
    with tempfile.TemporaryDirectory(prefix="jauge-upload-") as folder:
        path = Path(folder) / name
        with path.open("wb") as out:
            shutil.copyfileobj(upload.file, out)
        try:
            result = ctx.jauge.import_file(
                path,
                source,
                org=org,
                platform=platform,
                year=year,
                followers=followers,
                skip_invalid=skip_invalid,
                mapping=renamed,
                observed_at=observed_at,
                label=name,
            )
        except ConfigError as exc:
            if str(path) not in str(exc):
                raise
            # the server's temporary folder means nothing to the user: their file's name
            raise type(exc)(str(exc).replace(str(path), name)) from exc
    for file in result.files:
        file.errors = [
            replace(e, file=name, message=e.message.replace(str(path), name))
            if e.file == str(path)
            else e
            for e in file.errors
        ]
    return result


@router.post(
    "/imports",
    status_code=201,
    summary="Upload an export file, as `jauge import --format json` (analyst or owner)",
    responses=IMPORT_RESPONSES,
)
def upload_import(
    ctx: Ctx,
    file: Annotated[UploadFile, File(description="The export file (CSV, XLSX, JSONL, feed)")],
    source: Annotated[
        str | None,
        Form(
            description="Importer name (see `jauge sources`); without it, the one the "
            "file's content fits."
        ),
    ] = None,
    org: Annotated[str | None, Form()] = None,
    platform: Annotated[str | None, Form()] = None,
    year: Annotated[int | None, Form(ge=1990, le=2100)] = None,
    skip_invalid: Annotated[bool, Form()] = False,
    followers: Annotated[
        int | None,
        Form(ge=0, description="The account's followers when the posts were made."),
    ] = None,
    map: Annotated[
        list[str] | None,
        Form(description="COLUMN=FIELD: read the file's COLUMN as FIELD, as `--map` (repeatable)."),
    ] = None,
    observed_at: Annotated[
        str | None,
        Form(
            description="When the export's counts were observed, as `--observed-at`: an ISO "
            "date (the day it was downloaded) or date-time, UTC unless it has an offset; "
            "without it, the time of the upload. Not more than a day after now."
        ),
    ] = None,
) -> Any:
    try:
        when = observed_value(observed_at)
    except FieldRefused as exc:
        return field_refused(exc)
    result = run_upload(
        ctx, file, source, org, platform, year, skip_invalid, followers, map or (), when
    )
    body = result.to_dict()
    return body if result.ok else JSONResponse(body, status_code=422)
