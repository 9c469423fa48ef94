"""``youtube-studio``: a YouTube channel's videos, as YouTube Studio's analytics export them.

YouTube Studio (Analytics, Advanced mode, Content, Export current view) gives a
``Table data.csv`` with one video per row: ``Content`` (the video id), ``Video
title``, ``Video publish time``, then the metrics the user chose (``Views``,
``Likes``, ``Comments added``, ``Shares``, ``Impressions``, ``Watch time
(hours)``...). Its first row is the channel's ``Total``, which is no video. A
French Studio names its columns in French (``Contenu``, ``Titre de la vidéo``...),
groups digits with spaces (``44 531``) and writes dates as ``28 sept. 2026``.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ConfigError
from ..i18n import N_, _
from ..model import normalise_platform
from ..store.ids import sql_literal
from .base import ImportOptions, TabularSource
from .convert import (
    Field,
    col,
    count,
    expr,
    extra_object,
    literal,
    missing_value,
    pick,
    text,
    timestamp,
)
from .tabular import TabularReader

ID_COLUMNS = ("Content", "Contenu")
TITLE_COLUMNS = ("Video title", "Titre de la vidéo")
PUBLISHED_COLUMNS = ("Video publish time", "Heure de publication de la vidéo")
#: staged metric -> its column, in English then French where the French name is known
METRIC_COLUMNS: dict[str, tuple[str, ...]] = {
    "video_views": ("Views", "Vues"),
    "impressions": ("Impressions", "Thumbnail impressions"),
    "reactions": ("Likes",),
    "comments": ("Comments added",),
    "shares": ("Shares",),
}
#: kept in ``extra`` under the given key; "Subscribers" counts the subscribers a video
#: brought (gained less lost), not the channel's audience
EXTRA_COLUMNS: dict[str, tuple[str, ...]] = {
    "duration_seconds": ("Duration", "Durée"),
    "watch_time_hours": ("Watch time (hours)",),
    "subscribers_gained": ("Subscribers",),
    "dislikes": ("Dislikes",),
    "engaged_views": ("Engaged views", "Vues engagées"),
    "impressions_ctr_percent": (
        "Impressions click-through rate (%)",
        "Thumbnail click-through rate (%)",
    ),
    "average_view_duration": ("Average view duration", "Durée moyenne de visionnage"),
    "average_percentage_viewed": ("Average percentage viewed (%)", "Pourcentage moyen regardé (%)"),
    "new_viewers": ("New viewers",),
    "returning_viewers": ("Returning viewers",),
    "estimated_revenue_usd": ("Estimated revenue (USD)",),
}
#: Studio's English dates ("Jan 6, 2024"); ISO dates are read too
PUBLISHED_FORMATS = ("%b %d, %Y", "%b %d %Y")
_FRENCH_MONTHS = (
    "janv", "févr", "mars", "avr", "mai", "juin", "juil", "août", "sept", "oct", "nov", "déc",
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
    "octobre", "novembre", "décembre",
)  # fmt: skip
#: Studio's French dates ("28 sept. 2026"), which strptime cannot read. Plain expressions
#: of the row, no subquery: the engine would turn one into a join, which loses the
#: file's order and so the line numbers of errors (see convert.one_of)
_FRENCH_DAY = r"'^(\d{{1,2}})\s+(\pL+)\.?\s+(\d{{4}})$'"
_FRENCH_PART = "regexp_extract(lower(trim({{raw}})), {pattern}, {group})"
FRENCH_DATE = (
    "28 sept. 2026",
    "try(make_date(TRY_CAST({year} AS INTEGER), (list_position([{months}], {month}) - 1) "
    "% 12 + 1, TRY_CAST({day} AS INTEGER)))::TIMESTAMP".format(
        year=_FRENCH_PART.format(pattern=_FRENCH_DAY, group=3),
        month=_FRENCH_PART.format(pattern=_FRENCH_DAY, group=2),
        day=_FRENCH_PART.format(pattern=_FRENCH_DAY, group=1),
        months=", ".join(map(sql_literal, _FRENCH_MONTHS)).replace("{", "{{").replace("}", "}}"),
    ),
)


class YoutubeStudioSource(TabularSource):
    name = "youtube-studio"
    reads = N_("a YouTube channel's videos from YouTube Studio's analytics export (CSV)")
    example = "jauge import 'Table data.csv' --source youtube-studio --org Acme"
    required = (ID_COLUMNS, PUBLISHED_COLUMNS)

    def open(self, path: Path, options: ImportOptions) -> TabularReader:
        reader = super().open(path, options)
        first = reader.first_record() or {}
        video = pick(set(first), *ID_COLUMNS)
        if video and (first[video] or "").strip() == "Total":
            reader.take_first_record_as_header()  # the channel's total, not a video
        return reader

    def fields(self, columns: set[str], options: ImportOptions) -> list[Field]:
        if not options.org:
            raise ConfigError(_("youtube-studio needs the channel's organisation: pass --org NAME"))
        video = pick(columns, *ID_COLUMNS) or ID_COLUMNS[0]
        # ids that begin with "-" come with a space before them, so that spreadsheets
        # do not read them as formulas
        native_id = f"nullif(trim({col(video)}), '')"
        fields: list[Field] = [
            literal("platform", normalise_platform(options.platform or "youtube")),
            literal("org", options.org),
            literal("account_handle", options.account or options.org),
            literal("is_own", True),
            literal("kind", "post"),
            Field("native_id", native_id, video, f"{native_id} IS NULL", missing_value()),
            expr("url", f"'https://www.youtube.com/watch?v=' || {native_id}"),
            timestamp(
                "created_at",
                pick(columns, *PUBLISHED_COLUMNS) or PUBLISHED_COLUMNS[0],
                formats=PUBLISHED_FORMATS,
                parsers=(FRENCH_DATE,),
                required=True,
            ),
        ]
        if title := pick(columns, *TITLE_COLUMNS):
            fields.append(text("title", title))
        metrics = {t: pick(columns, *names) for t, names in METRIC_COLUMNS.items()}
        fields += [count(t, c, grouped=True) for t, c in metrics.items() if c]
        return [*fields, extra_object(columns, EXTRA_COLUMNS)]
