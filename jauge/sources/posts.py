"""``posts-csv`` and ``posts-jsonl``: jauge's documented generic format, for any platform.

Columns (see docs/sources.md): ``id``, ``created_at`` (required), ``platform``,
``org``, ``account``, ``author``, ``author_id``, ``author_name``,
``author_location``, ``kind``, ``text``, ``title``, ``url``, ``lang``,
``reply_to``, ``quote_of``, ``repost_of``, ``observed_at`` and the metrics
``impressions``, ``reach``, ``engaged_users``, ``reactions``, ``comments``,
``shares``, ``saves``, ``clicks``, ``video_views``, ``followers`` (the account's),
``author_followers`` (the author's audience, shown next to people, never used to rank
them) and the author's profile, read by integrity checks: ``author_following``,
``author_posts``, ``author_has_avatar``, ``author_has_bio``, ``author_bot``. Other
columns are kept in ``extra``. ``--map column=field`` renames a column to a field.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..errors import ConfigError
from ..i18n import N_, _
from ..model import ITEM_KINDS, METRICS, PLATFORM_ALIASES, PLATFORMS, normalise_platform
from ..store.ids import sql_literal
from .base import ImportOptions, TabularSource
from .convert import (
    Field,
    col,
    count,
    expected_one_of,
    expr,
    flag,
    got,
    identifier,
    literal,
    missing_value,
    one_of,
    shown_value,
    text,
    timestamp,
)
from .jsonl_reader import JsonlReader
from .tabular import TabularReader

TEXT_FIELDS = ("text", "title", "url", "lang", "author_name", "author_location")
LINK_FIELDS = ("reply_to", "quote_of", "repost_of")
PROFILE_COUNTS = ("author_following", "author_posts")
PROFILE_FLAGS = ("author_has_avatar", "author_has_bio", "author_bot")
KNOWN = {
    "id",
    "created_at",
    "platform",
    "org",
    "account",
    "author",
    "author_id",
    "kind",
    "observed_at",
    "author_followers",
    *PROFILE_COUNTS,
    *PROFILE_FLAGS,
    *TEXT_FIELDS,
    *LINK_FIELDS,
    *METRICS,
}


def platform_field(columns: set[str], options: ImportOptions, *, required: bool = True) -> Field:
    """The platform from ``--platform``, else from a ``platform`` column (aliases allowed);
    when not ``required``, NULL without either."""
    if options.platform:
        return literal("platform", normalise_platform(options.platform))
    if "platform" not in columns and not required:
        return expr("platform", "NULL")
    if "platform" not in columns:
        raise ConfigError(
            _("this file has no platform column: pass --platform (e.g. --platform x)")
        )
    raw = col("platform")
    cases = " ".join(
        f"WHEN {sql_literal(a)} THEN {sql_literal(p)}" for a, p in PLATFORM_ALIASES.items()
    )
    value = col("__platform")
    return Field(
        "platform",
        value,
        "platform",
        f"{value} IS NULL OR NOT {one_of(value, PLATFORMS)}"
        if required
        else f"{value} IS NOT NULL AND NOT {one_of(value, PLATFORMS)}",
        f"CASE WHEN {raw} IS NULL THEN {missing_value()} "
        f"ELSE {expected_one_of(PLATFORMS, raw)} END",
        prepare=((value, f"CASE lower(trim({raw})) {cases} ELSE lower(trim({raw})) END"),),
    )


def extra_field(columns: set[str], known: set[str]) -> Field:
    """Columns nobody maps are kept, as a JSON object, rather than silently dropped."""
    others = sorted(c for c in columns - known if c != "row_no" and c.strip())
    if not others:
        return expr("extra", "NULL")
    pairs = ", ".join(f"{sql_literal(c)}, {col(c)}" for c in others)
    return expr("extra", f"json_object({pairs})")


class PostsCsvSource(TabularSource):
    name = "posts-csv"
    reads = N_("jauge's generic posts format as CSV (any platform; rename columns with --map)")
    example = "jauge import posts.csv --source posts-csv --org 'Acme' --platform mastodon"
    required = (("id",), ("created_at",))

    def fields(self, columns: set[str], options: ImportOptions) -> list[Field]:
        org = col("org") if "org" in columns else "NULL"
        account = col("account") if "account" in columns else "NULL"
        author = col("author") if "author" in columns else "NULL"
        own_account = f"coalesce({account}, {sql_literal(options.account)})"
        by_account = f"lower({author}) = lower({own_account})"
        own_default = f"({author} IS NULL OR {by_account})"
        default_kind = f"CASE WHEN {own_default} THEN 'post' ELSE 'mention' END"
        if "kind" in columns:
            raw_kind = col("kind")
            kind = Field(
                "kind",
                f"coalesce(lower(trim({raw_kind})), {default_kind})",
                "kind",
                f"{raw_kind} IS NOT NULL AND NOT {one_of(f'lower(trim({raw_kind}))', ITEM_KINDS)}",
                expected_one_of(ITEM_KINDS, raw_kind),
            )
        else:
            kind = expr("kind", default_kind)
        fields = [
            platform_field(columns, options),
            identifier("native_id", "id"),
            timestamp("created_at", "created_at", required=True),
            expr("org", f"coalesce({org}, {sql_literal(options.org)})"),
            expr("account_handle", own_account),
            kind,
            # the account's own replies, quotes and reposts are its own too, not mentions:
            # those its author wrote, and those with no author (the organisation's, as
            # for posts), except a mention, which is always someone else's
            expr(
                "is_own",
                f"({kind.sql}) = 'post' OR coalesce({by_account}, false) "
                f"OR ({author} IS NULL AND ({kind.sql}) <> 'mention')",
            ),
            expr("author_handle", author),
            extra_field(columns, KNOWN),
        ]
        if "author_id" in columns:
            fields.append(text("author_native_id", "author_id"))
        if "observed_at" in columns:
            fields.append(_observed_at())
        fields += [text(f, f) for f in (*TEXT_FIELDS, *LINK_FIELDS) if f in columns]
        fields += [count(m, m) for m in METRICS if m in columns]
        fields += [count(c, c) for c in ("author_followers", *PROFILE_COUNTS) if c in columns]
        fields += [flag(c, c) for c in PROFILE_FLAGS if c in columns]
        return fields


def _observed_at() -> Field:
    """A row's ``observed_at``, refused more than a day after now (as ``--observed-at``
    is, see jauge.ingest.check_observed_at): the counts of a row dated 2099 would stay the
    latest for ever, whatever is imported after them."""
    observed = timestamp("observed_at", "observed_at")
    ahead = f"coalesce({observed.sql} > now()::TIMESTAMP + INTERVAL 1 DAY, false)"
    future = got(
        N_("expected a time of observation no later than a day after now, got {value}"),
        shown_value(col("observed_at")),
    )
    return replace(
        observed,
        invalid=f"({observed.invalid}) OR {ahead}",
        message=f"CASE WHEN {ahead} THEN {future} ELSE {observed.message} END",
    )


class PostsJsonlSource(PostsCsvSource):
    name = "posts-jsonl"
    reads = N_("jauge's generic posts format as JSON lines; nested keys read as a.b")
    example = "jauge import posts.jsonl --source posts-jsonl --platform bluesky --map uri=id"

    def open(self, path: Path, options: ImportOptions) -> TabularReader:
        return JsonlReader(path, encoding=options.encoding)
