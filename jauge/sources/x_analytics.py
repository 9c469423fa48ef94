"""``x-analytics``: an X (Twitter) account's own posts, as X Analytics exports them.

The "tweet activity" export (``tweet_activity_metrics_<account>_<dates>.csv``) lists
the account's posts one per row: ``Tweet id``, ``Tweet permalink``, ``Tweet text``,
``time`` (``2015-09-30 18:42 +0000``), then organic metrics (``impressions``,
``engagements``, ``retweets``, ``replies``, ``likes`` — ``favorites`` in older files —,
``url clicks``...) and the same metrics for promotion, ``-`` when a post was not
promoted. The account is read from the permalink; the organisation is ``--org``.
"""

from __future__ import annotations

from ..errors import ConfigError
from ..i18n import N_, _
from ..model import normalise_platform
from ..store.ids import sql_literal
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
)

#: staged metric -> the organic column X names it by (promoted ones are not read: they
#: count the same posts again, for the paid part of their audience)
METRIC_COLUMNS: dict[str, tuple[str, ...]] = {
    "impressions": ("impressions",),
    "shares": ("retweets",),
    "comments": ("replies",),
    "reactions": ("likes", "favorites"),
    "clicks": ("url clicks",),
    "saves": ("bookmarks",),
}
#: kept in ``extra`` under the given key
EXTRA_COLUMNS: dict[str, tuple[str, ...]] = {
    key: (key.replace("_", " "),)
    for key in (
        "engagements",
        "user_profile_clicks",
        "hashtag_clicks",
        "detail_expands",
        "permalink_clicks",
        "media_views",
        "media_engagements",
        "follows",
        "app_opens",
        "app_installs",
        "email_tweet",
        "dial_phone",
    )
}
TIME_FORMATS = ("%Y-%m-%d %H:%M %z",)
#: the account in a permalink: https://twitter.com/<account>/status/<id> (or x.com)
_PERMALINK_ACCOUNT = r"^https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/([^/?#]+)/status"


class XAnalyticsSource(TabularSource):
    name = "x-analytics"
    reads = N_("an X (Twitter) account's post activity export from X Analytics (CSV)")
    example = "jauge import tweet_activity_metrics_acme.csv --source x-analytics --org Acme"
    required = (("Tweet id",), ("time",))

    def fields(self, columns: set[str], options: ImportOptions) -> list[Field]:
        if not options.org:
            raise ConfigError(_("x-analytics needs the account's organisation: pass --org NAME"))
        permalink = pick(columns, "Tweet permalink")
        if options.account or not permalink:
            account = sql_literal(options.account or options.org)
        else:
            pattern = sql_literal(_PERMALINK_ACCOUNT)
            found = f"nullif(regexp_extract({col(permalink)}, {pattern}, 1), '')"
            account = f"coalesce({found}, {sql_literal(options.org)})"
        fields: list[Field] = [
            literal("platform", normalise_platform(options.platform or "x")),
            literal("org", options.org),
            expr("account_handle", account),
            literal("is_own", True),
            literal("kind", "post"),
            identifier("native_id", pick(columns, "Tweet id") or "Tweet id"),
            timestamp(
                "created_at", pick(columns, "time") or "time", formats=TIME_FORMATS, required=True
            ),
        ]
        if permalink:
            fields.append(text("url", permalink))
        if words := pick(columns, "Tweet text"):
            fields.append(text("text", words))
        return [*fields, *counts(columns, METRIC_COLUMNS), extra_object(columns, EXTRA_COLUMNS)]
