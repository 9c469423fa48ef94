"""``tweets-csv``: tweets or posts that mention organisations, one per row.

Modelled on the columns of the Twitter US Airline Sentiment file (Crowdflower,
2015) and of most tweet exports: each row is a mention of an organisation by a
person, so a file without an author column is refused (naming the source its columns
fit). The organisation comes from ``--org`` or from an ``airline``, ``org``,
``organisation`` or ``brand`` column. A human sentiment label, when present, is
kept as the ``sentiment.human`` annotation for later evaluation.
"""

from __future__ import annotations

from dataclasses import replace

from ..errors import ConfigError, InputError
from ..i18n import N_, _
from ..model import normalise_platform
from ..store.ids import sql_literal
from .base import ImportOptions, TabularSource
from .convert import (
    Field,
    check,
    col,
    count,
    counts,
    expected_one_of,
    expr,
    extra_object,
    flag,
    identifier,
    literal,
    pick,
    shown_value,
    text,
    timestamp,
)
from .tabular import TabularReader

ORG_COLUMNS = ("airline", "org", "organisation", "organization", "brand", "company")
#: who wrote a tweet: a handle, else an id; each row is a mention by that person
AUTHOR_HANDLES = ("name", "screen_name", "user", "author", "username")
AUTHOR_IDS = ("user_id", "author_id")
#: the author's profile counts, as Twitter's API (v1.1) names them, flattened
PROFILE_COUNTS = {
    "author_following": ("user_friends_count", "friends_count", "author_following"),
    "author_posts": ("user_statuses_count", "statuses_count", "author_posts"),
}
TWEET_TIME_FORMATS = ("%Y-%m-%d %H:%M:%S %z", "%a %b %d %H:%M:%S %z %Y")


def html_unescaped(sql: str) -> str:
    """Tweet texts come with &amp; &lt; &gt; escaped; ``&amp;`` must be undone last."""
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&#39;", "'")):
        sql = f"replace({sql}, {sql_literal(entity)}, {sql_literal(char)})"
    return f"replace({sql}, '&amp;', '&')"


class TweetsCsvSource(TabularSource):
    name = "tweets-csv"
    reads = N_(
        "a CSV of tweets or posts mentioning organisations (e.g. Twitter US Airline Sentiment)"
    )
    # a command only: an example is shown as it is written, in every language
    example = "jauge import Tweets.csv --source tweets-csv"
    required = (("tweet_id", "id"), ("text",))

    def fields(self, columns: set[str], options: ImportOptions) -> list[Field]:
        id_col = pick(columns, "tweet_id", "id")
        assert id_col is not None  # checked by `required`
        org_col = pick(columns, *ORG_COLUMNS)
        if options.org is None and org_col is None:
            raise ConfigError(
                _(
                    "tweets-csv needs the organisation each tweet mentions: pass --org NAME, "
                    "or give the file a column named one of: {columns}",
                    columns=", ".join(ORG_COLUMNS),
                )
            )
        platform = normalise_platform(options.platform or "x")
        org = sql_literal(options.org) if options.org else col(org_col or "")
        fields = [
            literal("platform", platform),
            identifier("native_id", id_col),
            expr("org", org),
            literal("is_own", False),
            literal("kind", "mention"),
            expr("text", html_unescaped(col("text"))),
        ]
        if author := pick(columns, *AUTHOR_HANDLES):
            fields.append(text("author_handle", author))
        if author_id := pick(columns, *AUTHOR_IDS):
            fields.append(text("author_native_id", author_id))
        if created := pick(columns, "tweet_created", "created_at", "date"):
            fields.append(timestamp("created_at", created, formats=TWEET_TIME_FORMATS))
        if followers := pick(
            columns, "user_followers_count", "followers_count", "author_followers"
        ):
            fields.append(count("author_followers", followers))
        fields += counts(columns, PROFILE_COUNTS)
        if default_picture := pick(columns, "default_profile_image"):
            # Twitter's exports write "1" for a default picture and leave it empty
            # otherwise; others write 0/1 or False/True: empty is a picture of one's own
            has_avatar = flag("author_has_avatar", default_picture, negate=True)
            fields.append(replace(has_avatar, sql=f"coalesce({has_avatar.sql}, true)"))
        if bio := pick(columns, "description", "user_description"):
            # blank is no bio, whatever the space (an ideographic one, U+3000, in a real
            # Cresci profile); nor is the "NULL" some exports write
            said = col(bio)
            blank = f"regexp_matches({said}, '^[\\s\\pZ]*$')"
            has_bio = f"coalesce(NOT {blank} AND trim({said}) != 'NULL', false)"
            fields.append(expr("author_has_bio", has_bio))
        if location := pick(columns, "tweet_location", "user_location", "location"):
            fields.append(text("author_location", location))
        if shares := pick(columns, "retweet_count", "retweets"):
            fields.append(count("shares", shares))
        if likes := pick(columns, "favorite_count", "like_count", "likes"):
            fields.append(count("reactions", likes))
        if replies := pick(columns, "reply_count", "replies"):
            fields.append(count("comments", replies))
        if reply_to := pick(columns, "in_reply_to_status_id", "reply_to"):
            fields.append(text("reply_to", reply_to))
        if lang := pick(columns, "lang", "language"):
            fields.append(text("lang", lang))
        fields += _annotations(columns)
        fields.append(extra_object(columns, EXTRA_COLUMNS))
        return fields

    def _check_columns(
        self, path: str, columns: set[str], options: ImportOptions, reader: TabularReader
    ) -> None:
        """Its required columns, and an author: without one, every row would become a
        mention by nobody, and a file of an organisation's own posts (posts-csv's, its
        counts unread) would pass for what people say of it."""
        super()._check_columns(path, columns, options, reader)
        if pick(columns, *AUTHOR_HANDLES, *AUTHOR_IDS) is None:
            raise InputError(path, _no_author(columns), line=reader.header_line)


def _no_author(columns: set[str]) -> str:
    """Why a file without an author column is refused, in English (said later in the
    reader's language), with the source its columns fit when there is one."""
    from .detect import fitting_sources  # detect.py reads the registry, which holds this

    wanted = ", ".join(repr(c) for c in (*AUTHOR_HANDLES, *AUTHOR_IDS))
    fits = [s for s in fitting_sources(columns) if s != TweetsCsvSource.name]
    if len(fits) == 1:
        return N_(
            "tweets-csv reads each row as a mention by its author, and this file has no "
            "author column (one of {wanted}): import it with --source {fits}, the source "
            "its columns fit"
        ).format(wanted=wanted, fits=fits[0])
    return N_(
        "tweets-csv reads each row as a mention by its author, and this file has no "
        "author column (one of {wanted}): name the column that holds it with --map "
        "COLUMN=author, or choose another --source (see `jauge sources`)"
    ).format(wanted=wanted)


#: the human sentiment labels the index and voice read, and how files write them
SENTIMENTS = ("positive", "neutral", "negative")
SENTIMENT_WORDS = {
    "positive": "positive", "positif": "positive", "pos": "positive",
    "neutral": "neutral", "neutre": "neutral", "neu": "neutral",
    "negative": "negative", "négatif": "negative", "negatif": "negative", "neg": "negative",
}  # fmt: skip


def _annotations(columns: set[str]) -> list[Field]:
    """The human labels a file carries, as annotations; a sentiment label is one of
    :data:`SENTIMENTS` (any case, English or French), else the row is refused: a label
    read wrong would silently change net sentiment."""
    pairs, checks = [], []
    for key, names in (
        ("sentiment.human", ("airline_sentiment", "sentiment")),
        ("sentiment.human.confidence", ("airline_sentiment_confidence", "sentiment_confidence")),
        ("sentiment.human.reason", ("negativereason", "negative_reason")),
    ):
        if found := pick(columns, *names):
            value = col(found)
            if key == "sentiment.human":
                words = " ".join(
                    f"WHEN {sql_literal(w)} THEN {sql_literal(s)}"
                    for w, s in SENTIMENT_WORDS.items()
                )
                value = f"CASE lower(trim({col(found)})) {words} END"
                unread = f"{col(found)} IS NOT NULL AND ({value}) IS NULL"
                checks.append(
                    check(found, unread, expected_one_of(SENTIMENTS, shown_value(col(found))))
                )
            pairs.append((key, value))
    if not pairs:
        return [expr("annotations", "NULL")]
    # map_from_entries drops nothing, so filter out keys whose value is empty
    entries = ", ".join(f"{{'k': {sql_literal(k)}, 'v': {v}}}" for k, v in pairs)
    return [
        expr(
            "annotations",
            f"map_from_entries(list_transform(list_filter([{entries}], "
            "lambda e: e.v IS NOT NULL), lambda e: {'key': e.k, 'value': e.v}))",
        ),
        *checks,
    ]


#: kept in ``extra`` under the given key
EXTRA_COLUMNS = {"coordinates": ("tweet_coord", "coordinates"), "timezone": ("user_timezone",)}
