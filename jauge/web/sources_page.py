"""The Sources page: what was imported and connected, and a file to upload."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from ..browse import list_imports
from ..errors import ConfigError, InputError, NotFoundError
from ..i18n import N_
from ..sources import registry
from ..sources.connections import list_connections
from . import api
from .auth import (
    CSRF_FIELD,
)
from .context import Context, Ctx
from .forms import mapping_pairs, whole_value
from .pages import file_name, render, translator_of

router = APIRouter(include_in_schema=False)


def _sources_page(
    request: Request, ctx: Context, status_code: int = 200, **values: Any
) -> HTMLResponse:
    t = translator_of(request)

    def where(error: dict[str, Any], with_file: bool = True) -> str:
        """Where an import error is (file, line, field), as text: the sentence around it
        is escaped once, as a whole. The history names no file, on the row of its file."""
        # the file's name, as the table of imports shows it: never a folder of the server
        parts = [file_name(str(error.get("file") or ""))] if with_file else []
        if error.get("line"):
            parts.append(f"{t('error.line')} {error['line']}")
        if error.get("field"):
            parts.append(f"{t('error.field')} {error['field']}")
        # an error of the whole file (it cannot be read) still names the file
        return ", ".join(parts) or file_name(str(error.get("file") or ""))

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
        where=where,
        **{"chosen_source": None, "form": {}, **values},
    )


@router.get("/sources")
def sources(request: Request, ctx: Ctx) -> HTMLResponse:
    return _sources_page(request, ctx)


@router.get("/sources/upload")
def upload_address(ctx: Ctx, lang: str | None = None) -> RedirectResponse:
    """The upload's answer is shown at the form's address: opened again (reloaded, or in
    another language or workspace), that address is the Sources page."""
    query = {"workspace": ctx.workspace, **({"lang": lang} if lang else {})}
    return RedirectResponse(f"/sources?{urlencode(query)}", status_code=303)


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
    map: Annotated[str, Form()] = "",
    observed_at: Annotated[str, Form()] = "",
    skip_invalid: Annotated[bool, Form()] = False,
    csrf_token: Annotated[str, Form(alias=CSRF_FIELD)] = "",
) -> HTMLResponse:
    ctx.require("analyst")
    typed = {
        "org": org,
        "platform": platform,
        "year": year,
        "followers": followers,
        "map": map,
        "observed_at": observed_at,
        "skip_invalid": skip_invalid,
    }
    try:
        result = api.run_upload(
            ctx,
            file,
            source or None,
            org or None,
            platform or None,
            whole_value(year, N_("year: a year like 2014, got {value}")),
            skip_invalid,
            whole_value(followers, N_("followers: a whole number like 12500, got {value}")),
            mapping_pairs(map),
            api.observed_value(observed_at),
        )
    except (ConfigError, NotFoundError, InputError) as exc:
        # what to change in the form is said beside it, not on a page of its own
        body = {"inserted": 0, "updated": 0, "unchanged": 0, "invalid": 0, "files": []}
        body["errors"] = [{"file": file.filename, "line": None, "field": None,
                           "message": str(exc)}]  # fmt: skip
        return _sources_page(
            request, ctx, 422, result=body, ok=False, chosen_source=source, form=typed
        )
    body = result.to_dict()
    return _sources_page(
        request,
        ctx,
        200 if result.ok else 422,
        result=body,
        ok=result.ok,
        chosen_source=source,
        # a refused file is tried again with what was typed (only the file is chosen again)
        form={} if result.ok else typed,
    )
