"""The canonical data model: vocabularies and the staged-record shape every source produces.

Sources never write to the store directly. Each turns its input into *staged
records* (one row per content item, with its author, its organisation and its
metrics as observed) whose columns are :data:`STAGE_COLUMNS`; the store then
merges them into the entities described in ``docs/data-model.md``.
"""

from __future__ import annotations

from typing import Final

from .errors import ConfigError
from .i18n import _

PLATFORMS: Final = (
    "facebook",
    "instagram",
    "x",
    "linkedin",
    "youtube",
    "mastodon",
    "bluesky",
    "reddit",
    "web",
)
PLATFORM_ALIASES: Final = {"twitter": "x", "fb": "facebook", "rss": "web", "blog": "web"}

#: what a content item is; own posts are "post", everything else is by someone else
ITEM_KINDS: Final = ("post", "reply", "comment", "mention", "article", "repost", "quote")

#: how a person engaged; each row of ``interactions`` has one of these
INTERACTION_KINDS: Final = ("reply", "comment", "mention", "repost", "quote", "reaction")

#: metrics a snapshot may carry; each is a count observed at ``observed_at``
METRICS: Final = (
    "impressions",
    "reach",
    "engaged_users",
    "reactions",
    "comments",
    "shares",
    "saves",
    "clicks",
    "video_views",
    "followers",
)

#: staged-record columns and their DuckDB types, in order
STAGE_COLUMNS: Final[tuple[tuple[str, str], ...]] = (
    ("row_no", "BIGINT"),  # 1-based ordinal of the data row in its file
    ("platform", "VARCHAR"),
    ("native_id", "VARCHAR"),  # the platform's id; NULL when the export has none
    ("identity", "VARCHAR"),  # what tells rows apart when native_id is NULL
    ("org", "VARCHAR"),  # organisation name the item belongs to or mentions
    ("account_handle", "VARCHAR"),  # the organisation's account on that platform
    ("is_own", "BOOLEAN"),  # posted by the organisation's own account
    ("kind", "VARCHAR"),
    ("author_native_id", "VARCHAR"),
    ("author_handle", "VARCHAR"),
    ("author_name", "VARCHAR"),
    ("author_location", "VARCHAR"),
    ("author_followers", "BIGINT"),  # the author's audience, where the source says
    # the author's profile, where the source says (integrity signals, docs/integrity.md)
    ("author_following", "BIGINT"),
    ("author_posts", "BIGINT"),
    ("author_has_avatar", "BOOLEAN"),
    ("author_has_bio", "BOOLEAN"),
    ("author_bot", "BOOLEAN"),
    ("text", "VARCHAR"),
    ("title", "VARCHAR"),
    ("url", "VARCHAR"),
    ("lang", "VARCHAR"),
    ("created_at", "TIMESTAMP"),
    ("reply_to", "VARCHAR"),
    ("quote_of", "VARCHAR"),
    ("repost_of", "VARCHAR"),
    *((m, "BIGINT") for m in METRICS),
    ("observed_at", "TIMESTAMP"),
    ("extra", "JSON"),
    ("annotations", "MAP(VARCHAR, VARCHAR)"),
)
STAGE_NAMES: Final = tuple(name for name, _ in STAGE_COLUMNS)


def normalise_platform(value: str) -> str:
    """Return the canonical platform name for ``value`` (case-insensitive, aliases allowed)."""
    key = value.strip().lower()
    key = PLATFORM_ALIASES.get(key, key)
    if key not in PLATFORMS:
        raise ConfigError(
            _(
                "unknown platform {value}: use one of {platforms} (aliases: {aliases})",
                value=repr(value),
                platforms=", ".join(PLATFORMS),
                aliases=", ".join(PLATFORM_ALIASES),
            )
        )
    return key
