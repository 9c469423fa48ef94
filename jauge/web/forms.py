"""The values of the dashboard's forms: read as the CLI reads them, and refused with the
field named by its label, so that the page can show itself again without it."""

from __future__ import annotations

import math
from datetime import date

from ..errors import ConfigError, NotFoundError
from ..i18n import _, language
from ..metrics.scope import too_short
from ..metrics.spec import LATEST, load_spec, spec_files
from . import i18n

#: the label of each form field a page reads itself, by its query parameter
FIELD_LABELS = {
    "from": "form.from",
    "to": "form.to",
    "conversion_value": "value.conversion_value",
    "index_version": "form.index_version",
    "campaign": "value.campaign",
    "org": "form.org",
}


class FormError(ConfigError):
    """A value of a page's form that cannot be used. The message names the field by its
    label; ``fields`` are the query parameters to leave out to show the page again."""

    def __init__(self, message: str, *fields: str) -> None:
        super().__init__(message)
        self.fields = fields


class FieldNotFound(NotFoundError):
    """A value of a page's form that names nothing there is (a campaign unknown): the
    message names the field; ``fields`` are the query parameters to leave out."""

    def __init__(self, message: str, *fields: str) -> None:
        super().__init__(message)
        self.fields = fields


def field_refused(name: str, reason: str) -> str:
    """``reason`` (a message in the reader's language) said of a form field: "Campaign
    (field campaign): no campaign ..."."""
    t = i18n.translator(language())
    return t("form.refused", field=field_name(name), reason=reason)


def field_name(name: str) -> str:
    """A form field as a message names it, in the reader's language: its label and its
    parameter ("From (field from)")."""
    t = i18n.translator(language())
    return t("form.field", label=t(FIELD_LABELS[name]), name=name)


def day_value(value: str | None, name: str) -> date | None:
    if value is None or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise FormError(
            _(
                "{name}: a date like 2014-12-31, got {value}",
                name=field_name(name),
                value=repr(value),
            ),
            name,
        ) from exc


def window_in_order(from_: str | None, to: str | None) -> None:
    """Refuse a window that ends before it starts, naming both fields."""
    start, end = day_value(from_, "from"), day_value(to, "to")
    if start is not None and end is not None and start > end:
        t = i18n.translator(language())
        raise FormError(
            t("form.window_order", start=start, end=end,
              first=field_name("from"), last=field_name("to")),
            "from", "to",
        )  # fmt: skip


def long_enough(start: date | None, end: date | None, version: str) -> None:
    """Refuse a window too short for the index, naming its fields (the library's message
    names no field)."""
    short = too_short(load_spec(version), start, end) if start and end else None
    if short:
        t = i18n.translator(language())
        raise FormError(
            t("form.window_short", first=field_name("from"), last=field_name("to"), **short),
            "from", "to",
        )  # fmt: skip


def index_version_value(value: str | None) -> str:
    """The index version a page computes with: the latest unless chosen among the known."""
    if not value:
        return LATEST
    if value not in spec_files():
        t = i18n.translator(language())
        raise FormError(
            t("form.unknown_version", field=field_name("index_version"), value=repr(value),
              known=", ".join(sorted(spec_files()))),
            "index_version",
        )  # fmt: skip
    return value


def index_versions() -> list[str]:
    """The known index versions, newest first (the pages' choice)."""
    return sorted(spec_files(), key=lambda v: tuple(int(p) for p in v.split("/")[1].split(".")),
                  reverse=True)  # fmt: skip


def amount_value(value: str | None, name: str) -> float | None:
    """A form's amount (empty: none), as the CLI reads it; a French comma is accepted."""
    if value is None or not value.strip():
        return None
    try:
        amount = float(value.strip().replace(",", "."))
    except ValueError:
        amount = -1.0
    if not math.isfinite(amount) or amount < 0:
        raise FormError(
            _(
                "{name} takes an amount of 0 or more, got {value}",
                name=field_name(name),
                value=repr(value),
            ),
            name,
        )
    return amount


def mapping_pairs(value: str) -> list[str]:
    """The form's column renamings, ``COLUMN=FIELD`` one a line or separated by commas,
    as the pairs ``--map`` takes (see :func:`jauge.sources.base.parse_mapping`)."""
    return [pair.strip() for line in value.splitlines() for pair in line.split(",") if pair.strip()]


def whole_value(value: str, message: str) -> int | None:
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
