"""``facebook-insights``: a Facebook Page (or Instagram) post-level insights export.

Reads the columns of the two layouts Meta has exported posts in: the Insights export
(``Post ID``, ``Posted``, ``Lifetime Post Total Reach``...), whose columns the UCI
'Facebook metrics' file keeps, and Meta Business Suite's (``Post ID``, ``Publish time``,
``Reach``, ``Reactions``..., with ``Account username`` in Instagram's). The UCI file
has no post ids and keeps only the month, weekday and hour of each post: for such
files ``--year`` is required and dates are rebuilt (see :mod:`post_dates`). The
Insights export describes each metric in a second row, read as part of the header.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import pyarrow as pa

from ..errors import ConfigError
from ..i18n import N_, _
from ..model import normalise_platform
from ..store.ids import sql_literal
from ..store.stage import StageTable
from .base import ImportOptions, TabularSource
from .convert import (
    Field,
    col,
    counts,
    expr,
    extra_object,
    identifier,
    literal,
    pick,
    text,
    timestamp,
    whole_in_range,
)
from .post_dates import rebuild_dates
from .tabular import TabularReader

#: staged metric -> column names in Meta's exports (Insights, then Business Suite, where
#: "Views" is its newer name for impressions) and in the UCI file
METRIC_COLUMNS: dict[str, tuple[str, ...]] = {
    "reach": ("Lifetime Post Total Reach", "Reach"),
    "impressions": ("Lifetime Post Total Impressions", "Impressions", "Views"),
    "engaged_users": ("Lifetime Engaged Users",),
    "clicks": ("Lifetime Post Consumptions", "Total clicks"),
    "saves": ("Saves",),
    "reactions": (
        "like",
        "Likes",
        "Reactions",
        "Lifetime Talking About This (Post) by action type - like",
    ),
    "comments": (
        "comment",
        "Comments",
        "Lifetime Talking About This (Post) by action type - comment",
    ),
    "shares": ("share", "Shares", "Lifetime Talking About This (Post) by action type - share"),
    "video_views": ("Lifetime Post Total Video Views",),
    "followers": ("Page total likes",),
}
#: kept in ``extra`` under the given key
EXTRA_COLUMNS: dict[str, tuple[str, ...]] = {
    "type": ("Type", "Post type"),
    "category": ("Category",),
    "paid": ("Paid",),
    "consumers": ("Lifetime Post Consumers",),
    "impressions_by_fans": ("Lifetime Post Impressions by people who have liked your Page",),
    "reach_by_fans": ("Lifetime Post reach by people who like your Page",),
    "engaged_fans": ("Lifetime People who have liked your Page and engaged with your post",),
    "total_interactions": ("Total Interactions",),
}
POSTED_FORMATS = ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M", "%d/%m/%Y %H:%M")
#: how Insights exports begin the description of a column, in the row under the header
_DESCRIBED_PERIOD = re.compile(r"^(Lifetime|Daily|Weekly|28 Days)\s*:")


def is_description_row(record: Mapping[str, str | None]) -> bool:
    """Whether ``record`` is the row of column descriptions that Insights exports put
    under their header ("Lifetime: The number of people who..."), not a post."""
    values = [v for v in record.values() if v is not None]
    return len(values) >= 3 and all(_DESCRIBED_PERIOD.match(v.strip()) for v in values)


class FacebookInsightsSource(TabularSource):
    name = "facebook-insights"
    reads = N_(
        "a Facebook Page's or Instagram account's post-level export, from Insights or "
        "Meta Business Suite (CSV, XLSX or XLS)"
    )
    example = (
        "jauge import dataset_Facebook.csv --source facebook-insights --org 'Brand' --year 2014"
    )
    required = (
        ("Lifetime Post Total Reach", "Reach"),
        ("Posted", "Created", "Publish time", "Post Month"),
    )

    def open(self, path: Path, options: ImportOptions) -> TabularReader:
        reader = super().open(path, options)
        first = reader.first_record()
        if first is not None and is_description_row(first):
            reader.take_first_record_as_header()
        return reader

    def fields(self, columns: set[str], options: ImportOptions) -> list[Field]:
        if not options.org:
            raise ConfigError(_("facebook-insights needs the Page's organisation: pass --org NAME"))
        posted = pick(columns, "Posted", "Created", "Publish time")
        if posted is None and options.year is None:
            raise ConfigError(
                _(
                    "this export gives each post's month, weekday and hour but not its date: "
                    "pass --year YEAR so that dates can be rebuilt (see docs/sources.md)"
                )
            )
        # Business Suite's Instagram export names the account; its Page export, the Page
        instagram = pick(columns, "Account username")
        platform = normalise_platform(
            options.platform or ("instagram" if instagram else "facebook")
        )
        account = pick(columns, "Account username", "Page name")
        fields: list[Field] = [
            literal("platform", platform),
            literal("org", options.org),
            expr(
                "account_handle",
                f"coalesce({col(account)}, {sql_literal(options.org)})"
                if account and not options.account
                else sql_literal(options.account or options.org),
            ),
            literal("is_own", True),
            literal("kind", "post"),
        ]
        if post_id := pick(columns, "Post ID", "post_id"):
            fields.append(identifier("native_id", post_id))
        if url := pick(columns, "Permalink"):
            fields.append(text("url", url))
        # a post's words: Business Suite puts a Page post's in Title, an Instagram
        # caption in Description
        said = ("Description", "Title") if instagram else ("Title", "Description")
        if words := [
            c for c in (pick(columns, n) for n in ("Post Message", "Message", *said)) if c
        ]:
            fields.append(expr("text", f"coalesce({', '.join(col(c) for c in words)})"))
        if posted:
            fields.append(timestamp("created_at", posted, formats=POSTED_FORMATS, required=True))
        else:
            parts = [("Post Month", 1, 12), ("Post Weekday", 1, 7), ("Post Hour", 0, 23)]
            for name, low, high in parts:
                found = pick(columns, name)
                if found is None:
                    raise ConfigError(
                        _(
                            "this export lacks the column {column} needed to rebuild dates",
                            column=repr(name),
                        )
                    )
                fields.append(whole_in_range(found, low, high, required=True))
            month, weekday, hour = (col(pick(columns, n) or n) for n, _, _ in parts)
            kind = col(pick(columns, "Type") or "Type") if pick(columns, "Type") else "''"
            # what tells posts apart when the export has no ids (see merge.py)
            fields.append(
                expr(
                    "identity",
                    f"concat_ws('|', CAST(TRY_CAST({month} AS DOUBLE) AS INTEGER), "
                    f"CAST(TRY_CAST({weekday} AS DOUBLE) AS INTEGER), "
                    f"CAST(TRY_CAST({hour} AS DOUBLE) AS INTEGER), coalesce({kind}, ''))",
                )
            )
        return [*fields, *counts(columns, METRIC_COLUMNS), extra_object(columns, EXTRA_COLUMNS)]

    def finish(self, staging: StageTable, options: ImportOptions, path: str) -> list[str]:
        if options.year is None:
            return []
        staged = staging.fetch(["identity", "created_at", "_errors IS NULL AS ok"]).to_pylist()
        todo = [r for r in staged if r["ok"] and r["created_at"] is None and r["identity"]]
        if not todo:
            return []
        parts = [tuple(int(p) for p in r["identity"].split("|")[:3]) for r in todo]
        rebuilt = rebuild_dates(options.year, parts)  # type: ignore[arg-type]
        staging.update_from(
            pa.table(
                {
                    "row_no": pa.array([r["row_no"] for r in todo], pa.int64()),
                    "created_at": pa.array(rebuilt.dates, pa.timestamp("us")),
                }
            ),
            ["created_at"],
        )
        warnings = [
            N_("dates of {count} posts were rebuilt from month, weekday and hour").format(
                count=len(todo)
            )
        ]
        if rebuilt.approximate:
            warnings.append(
                N_(
                    "{count} posts are not listed newest first: their dates are the last "
                    "matching day of their month"
                ).format(count=rebuilt.approximate)
            )
        return warnings
