"""``linkedin-page``: a LinkedIn Page's own posts, as its analytics export them.

LinkedIn (Page admin view, Analytics, Content, Export) gives an Excel workbook
(``<page>_content_<timestamp>.xls``): a sheet of daily metrics, then ``All posts``, one post
per row under a row of notes: ``Post title`` (the post's text, as far as LinkedIn shows
it), ``Post link`` (``https://www.linkedin.com/feed/update/urn:li:activity:…``), ``Post
type`` (organic or sponsored), ``Campaign name``, ``Posted by``, ``Created date``
(``MM/DD/YYYY``), ``Audience``, ``Impressions``, ``Views`` (of a video), ``Clicks``,
``Click through rate (CTR)``, ``Likes``, ``Comments``, ``Reposts``, ``Follows``,
``Engagement rate``, ``Content Type``. Older exports name their posts "updates"
(``Update title``, ``Update link``, ``Update type``, ``Video views``, ``Shares``). The same
sheet saved as CSV is read too.

A post is known by the URN in its link, so that a later export of the same posts adds
snapshots, not posts; the organisation is ``--org``.
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
    literal,
    missing_value,
    pick,
    text,
    timestamp,
)
from .workbook_reader import SheetLayout

LINK_COLUMNS = ("Post link", "Update link")
TITLE_COLUMNS = ("Post title", "Update title")
CREATED_COLUMNS = ("Created date", "Date")
#: staged metric -> the columns LinkedIn names it by, newest exports first
METRIC_COLUMNS: dict[str, tuple[str, ...]] = {
    "impressions": ("Impressions",),
    "video_views": ("Views (excluding off-site video views)", "Views", "Video views"),
    "clicks": ("Clicks",),
    "reactions": ("Likes", "Reactions"),
    "comments": ("Comments",),
    "shares": ("Reposts", "Shares"),
}
#: kept in ``extra`` under the given key; "Follows" counts the followers a post brought,
#: not the page's audience
EXTRA_COLUMNS: dict[str, tuple[str, ...]] = {
    "post_type": ("Post type", "Update type"),
    "content_type": ("Content Type",),
    "campaign_name": ("Campaign name",),
    "campaign_start": ("Campaign start date",),
    "campaign_end": ("Campaign end date",),
    "posted_by": ("Posted by",),
    "audience": ("Audience",),
    "offsite_views": ("Off-site views",),
    "follows": ("Follows",),
    "click_through_rate": ("Click through rate (CTR)",),
    "engagement_rate": ("Engagement rate",),
}
#: LinkedIn writes US dates in English; a workbook's date cells come as ISO 8601
CREATED_FORMATS = ("%m/%d/%Y", "%m/%d/%Y %H:%M", "%d/%m/%Y")
#: the URN that names a post in its link: urn:li:activity:…, urn:li:share:…, urn:li:ugcPost:…
_URN = r"urn:li:[A-Za-z]+:[0-9]+"


class LinkedinPageSource(TabularSource):
    name = "linkedin-page"
    reads = N_(
        "a LinkedIn Page's posts from its content analytics export (the All posts sheet of the "
        "XLS or XLSX workbook, or the sheet saved as CSV)"
    )
    example = "jauge import acme_content_1732000000000.xls --source linkedin-page --org Acme"
    required = (LINK_COLUMNS, CREATED_COLUMNS)
    #: "Date" alone names the daily metrics' column too: posts are told by their link
    recognised_by = (LINK_COLUMNS,)
    layout = SheetLayout(sheets=("All posts",), header_with=LINK_COLUMNS)

    def fields(self, columns: set[str], options: ImportOptions) -> list[Field]:
        if not options.org:
            raise ConfigError(_("linkedin-page needs the page's organisation: pass --org NAME"))
        link = pick(columns, *LINK_COLUMNS) or LINK_COLUMNS[0]
        # the URN, else the whole link: a link LinkedIn shortened still names one post
        native_id = (
            f"nullif(coalesce(nullif(regexp_extract({col(link)}, {sql_literal(_URN)}), ''), "
            f"trim({col(link)})), '')"
        )
        fields: list[Field] = [
            literal("platform", normalise_platform(options.platform or "linkedin")),
            literal("org", options.org),
            literal("account_handle", options.account or options.org),
            literal("is_own", True),
            literal("kind", "post"),
            Field("native_id", native_id, link, f"{native_id} IS NULL", missing_value()),
            expr("url", f"nullif(trim({col(link)}), '')"),
            timestamp(
                "created_at",
                pick(columns, *CREATED_COLUMNS) or CREATED_COLUMNS[0],
                formats=CREATED_FORMATS,
                required=True,
            ),
        ]
        if title := pick(columns, *TITLE_COLUMNS):
            fields.append(text("text", title))
        return [*fields, *counts(columns, METRIC_COLUMNS), extra_object(columns, EXTRA_COLUMNS)]
