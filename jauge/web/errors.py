"""The web's error answers: jauge's JSON error object as the OpenAPI document describes
it, and the request's values FastAPI could not read, told in the reader's language.

The handlers in app.py turn exceptions into these answers; this module says what the
answers are (for ``/api/v1/openapi.json``) and words what pydantic found wrong with a
parameter as jauge words its own refusals: the parameter, what it takes, the value sent.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel, Field

from ..i18n import number, plural


class ErrorItem(BaseModel):
    """One refused value: where it is and why."""

    file: str | None = Field(description="The file, for a file's value; else null.")
    line: int | None = Field(description="The line in the file, when known.")
    field: str | None = Field(
        description="The column, or the request's parameter (`query.from`, `body.name`)."
    )
    message: str = Field(description="Why it was refused, in the client's language.")


class ErrorBody(BaseModel):
    code: str = Field(
        description="What kind of error: `unauthorised`, `forbidden`, `not_found`, "
        "`config` (a value refused), `invalid_request` (a parameter that cannot be read), "
        "`input` or `invalid_rows` (a file), `store`, ...",
        examples=["not_found"],
    )
    message: str = Field(description="What went wrong and what to do, in the client's language.")
    errors: list[ErrorItem] = Field(
        default_factory=list, description="Each refused value, when there are several."
    )


class ErrorAnswer(BaseModel):
    """Every error of the API, as the CLI's ``--format json`` writes it."""

    error: ErrorBody


class ImportRefused(BaseModel):
    """An upload refused because rows are invalid: the import's result, nothing written."""

    inserted: int
    updated: int
    unchanged: int
    invalid: int
    errors: list[ErrorItem]
    files: list[dict[str, Any]]


def _answer(description: str) -> dict[str, Any]:
    return {"model": ErrorAnswer, "description": description}


#: what every /api route may answer besides its own success
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _answer("A value was refused (`config`): the message says which and why."),
    401: _answer("No valid session or API token (`unauthorised`)."),
    403: _answer("The caller's role does not allow this, or a form lacks its CSRF token."),
    404: _answer("No such workspace, organisation, campaign or person the caller can see."),
    422: _answer(
        "A parameter or the body cannot be read (`invalid_request`: each in `errors`), "
        "or a file cannot be read as asked (`input`)."
    ),
    503: _answer("The store is busy with another jauge command: retry after `Retry-After`."),
}

#: POST /imports also answers 422 with the import's result when rows are invalid
IMPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    422: {
        "model": ImportRefused | ErrorAnswer,
        "description": "Invalid rows, nothing was written (the import's result, its "
        "`errors` each with file, line and field), or a request or file that cannot be read "
        "(an error).",
    }
}

#: pydantic's error types -> the web catalogue's message for them (others: invalid.value)
MESSAGES = {
    "missing": "invalid.missing",
    "date_type": "invalid.date",
    "date_parsing": "invalid.date",
    "date_from_datetime_parsing": "invalid.date",
    "date_from_datetime_inexact": "invalid.date",
    "int_type": "invalid.int",
    "int_parsing": "invalid.int",
    "int_from_float": "invalid.int",
    "float_type": "invalid.number",
    "float_parsing": "invalid.number",
    "finite_number": "invalid.number",
    "bool_type": "invalid.bool",
    "bool_parsing": "invalid.bool",
    "greater_than_equal": "invalid.ge",
    "greater_than": "invalid.gt",
    "less_than_equal": "invalid.le",
    "less_than": "invalid.lt",
    "literal_error": "invalid.choice",
    "enum": "invalid.choice",
    "string_too_short": "invalid.empty",
    "too_short": "invalid.too_few",
    "string_type": "invalid.text",
    "list_type": "invalid.list",
    "json_invalid": "invalid.json",
    "model_type": "invalid.object",
    "model_attributes_type": "invalid.object",
    "dict_type": "invalid.object",
}
#: the bound a message names, as pydantic's error context gives it
LIMITS = {
    "invalid.ge": "ge",
    "invalid.gt": "gt",
    "invalid.le": "le",
    "invalid.lt": "lt",
    "invalid.too_few": "min_length",
}
#: where a parameter is: the first part of pydantic's location, left out of its name
PLACES = ("query", "path", "header", "cookie", "body")
SHOWN = 40


def _name(loc: Sequence[Any]) -> str:
    parts = [str(p) for p in loc]
    if len(parts) > 1 and parts[0] in PLACES:
        parts = parts[1:]
    return ".".join(parts) or "body"


def _shown(value: Any) -> str:
    """The value sent, as jauge's messages show one (quoted), cut if long."""
    text = repr(value)
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


def _bound(limit: Any) -> Any:
    """A parameter's bound as a sentence writes it in the reader's language: 0, not 0.0
    (the float a bound is declared with), and 0,5 in French."""
    if isinstance(limit, float):
        return number(limit, ".0f" if limit.is_integer() else "g")
    return limit


def _choices(expected: str) -> str:
    # pydantic lists them in English ("'a', 'b' or 'c'"): only the values are kept
    found = re.findall(r"'[^']*'", expected)
    return ", ".join(found) if found else expected


def invalid_values(
    errors: Sequence[Mapping[str, Any]], t: Callable[..., str]
) -> list[dict[str, Any]]:
    """pydantic's ``errors`` as jauge's error items, each message in ``t``'s language
    (``web.i18n.translator``) naming the parameter, what it takes and the value sent."""
    items = []
    for error in errors:
        loc = error.get("loc", ())
        key = MESSAGES.get(str(error.get("type")), "invalid.value")
        ctx = error.get("ctx") or {}
        bound = ctx.get(LIMITS.get(key, ""), "")
        limit = _bound(bound)
        if key == "invalid.too_few" and isinstance(bound, int | float):
            key = plural(f"{key}.one", key, bound)  # "at least 1 value"
        message = t(
            key,
            name=_name(loc),
            value=_shown(error.get("input")),
            limit=limit,
            choices=_choices(str(ctx.get("expected", ""))),
        )
        field = ".".join(str(p) for p in loc if p != "body") or None
        items.append({"file": None, "line": None, "field": field, "message": message})
    return items
