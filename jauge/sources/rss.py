"""``rss``: an RSS or Atom feed, from a file or a URL; each entry is an article by its author.

Parsing is feedparser's, which copes with RSS 0.9x/1.0/2.0 and Atom and with
the malformed feeds found in the wild. Authors become persons of the ``web``
platform, identified by their name on the feed's site, so that the bloggers who
write about a brand sit next to its social media commenters.
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlparse

from ..errors import InputError
from ..i18n import N_
from ..store.ids import sql_literal
from ..store.stage import StageTable
from .api import stage_rows
from .base import Connector, Fetched, ImportOptions, Source, StageReport
from .convert import expr, literal, text, timestamp
from .file_bytes import Progress
from .files import read_whole

#: the tags that separate words (blocks, line breaks, cells); any other tag is inline and
#: joins what is around it: Mastodon writes a hashtag as ``#<span>tag</span>``
_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt",
    "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
    "img", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot",
    "th", "thead", "tr", "ul"})  # fmt: skip
#: the blocks and HTML's inline tags: the tags that make a text HTML (a code
#: sample's ``<errors>`` or a formula's ``x<y>`` are not among them)
_HTML_TAGS = _BLOCK_TAGS | frozenset({
    "a", "abbr", "b", "bdi", "bdo", "big", "cite", "code", "del", "dfn", "em", "font", "i",
    "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup",
    "time", "tt", "u", "var", "wbr"})  # fmt: skip
_SPACES = re.compile(r"\s+")
#: a feed's last bytes when its root element is closed: </rss>, </feed>, </rdf:RDF>
_ROOT_CLOSED = re.compile(
    rb"</\s*(?:[\w.-]+:)?(?:rss|feed|rdf)\s*>\s*(?:<!--.*?-->\s*)*\Z", re.IGNORECASE | re.DOTALL
)

COLUMNS = (
    "id",
    "author_id",
    "author",
    "title",
    "text",
    "url",
    "lang",
    "published",
    "feed",
    "row_no",
)


class _Words(HTMLParser):
    """The words of an HTML fragment (tags, comments and entities gone), and whether the
    fragment is HTML through and through: it opens with a tag or a comment, closes at
    least one element, and every tag in it is one of HTML's."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.opens_with_markup: bool | None = None
        self.closes_an_element = False
        self.only_html_tags = True
        self.feed(markup)
        self.close()

    @property
    def text(self) -> str:
        return _SPACES.sub(" ", "".join(self.parts)).strip()

    @property
    def is_html(self) -> bool:
        return bool(self.opens_with_markup and self.closes_an_element and self.only_html_tags)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag)

    def handle_endtag(self, tag: str) -> None:
        self.closes_an_element = True
        self._tag(tag)

    def handle_comment(self, data: str) -> None:
        if self.opens_with_markup is None:
            self.opens_with_markup = True

    def handle_data(self, data: str) -> None:
        if self.opens_with_markup is None and data.strip():
            self.opens_with_markup = False
        self.parts.append(data)

    def _tag(self, tag: str) -> None:
        if self.opens_with_markup is None:
            self.opens_with_markup = True
        self.only_html_tags = self.only_html_tags and tag in _HTML_TAGS
        if tag in _BLOCK_TAGS:
            self.parts.append(" ")


def plain_text(markup: str | None) -> str | None:
    """Feed summaries and Mastodon statuses are HTML: keep the words, drop the tags,
    comments and entities. Block tags and ``<br>`` separate words; inline tags (``<a>``,
    ``<span>``, ``<b>``...) do not, so ``#<span>tag</span>`` stays ``#tag``.

    Surprise: HTML escaped twice (Reddit's feeds write ``&amp;lt;p&amp;gt;``) still reads
    as HTML once its tags are gone, so it is read a second time; a text is taken for such
    HTML only when it opens with markup, closes an element and has no tag HTML lacks, so
    ``a < b``, ``x<y>`` or an escaped XML sample stay as they are."""
    if not markup:
        return None
    words = _Words(markup).text
    if words.startswith("<"):
        again = _Words(words)
        if again.is_html:
            words = again.text
    return words or None


class RssSource(Source, Connector):
    name = "rss"
    kind = N_("feed")
    reads = N_("an RSS or Atom feed, as a file or a URL (blog posts and articles)")
    example = "jauge import https://example.org/feed.xml --source rss --org 'Acme'"
    connector_options: ClassVar[dict[str, str]] = {"url": "The feed address (RSS or Atom)."}

    def fetch(self, options: dict[str, str], cursor: dict[str, str], client: Any) -> Fetched:
        """A conditional GET: the feed's ETag and Last-Modified make an unchanged feed cost
        one 304 and no parsing."""
        headers = {}
        if cursor.get("etag"):
            headers["If-None-Match"] = cursor["etag"]
        if cursor.get("last_modified"):
            headers["If-Modified-Since"] = cursor["last_modified"]
        response = client.get(options["url"], headers)
        if response.status == 304:
            return Fetched(None, cursor)
        lowered = {k.lower(): v for k, v in response.headers.items()}
        kept = {
            k: lowered[h]
            for k, h in (("etag", "etag"), ("last_modified", "last-modified"))
            if h in lowered
        }
        return Fetched(response.content, kept)

    def stage_fetched(
        self, fetched: Fetched, label: str, options: ImportOptions, staging: StageTable
    ) -> StageReport:
        assert fetched.data is not None
        return stage_feed(fetched.data, label, options, staging)

    def stage(
        self, path: str, options: ImportOptions, staging: StageTable, progress: Progress | None
    ) -> StageReport:
        is_url = urlparse(path).scheme in ("http", "https")
        if is_url:
            from .http import HttpClient

            with HttpClient() as client:
                data = client.get(path).content
        else:
            data = read_whole(Path(path))  # a saved feed may be gzipped
        report = stage_feed(data, path, options, staging)
        if progress:
            progress(len(data))
        return report


def parse_feed(data: bytes, label: str) -> Any:
    """The feed in ``data``, parsed by feedparser; an InputError if it has no entries."""
    import feedparser  # heavy: only when a feed is read

    parsed = feedparser.parse(data)
    if not parsed.get("entries"):
        reason = parsed.get("bozo_exception")
        detail = f" ({reason})" if reason else ""
        raise InputError(label, N_("this is not an RSS or Atom feed with entries") + detail)
    if parsed.get("bozo") and not _ROOT_CLOSED.search(data[-4096:]):
        # feedparser reads what it can of a cut feed, its last entry half there: a file
        # that broke off is refused whole, like any other (a complete feed with a flaw,
        # an undeclared entity, say, is read with a warning)
        raise InputError(
            label,
            N_("the feed breaks off before its end (a file cut short?): {reason}").format(
                reason=parsed.get("bozo_exception")
            ),
        )
    return parsed


def stage_feed(data: bytes, label: str, options: ImportOptions, staging: StageTable) -> StageReport:
    """Stage every entry of a feed's bytes (from a file, an import URL or a sync)."""
    parsed = parse_feed(data, label)
    entries = parsed.get("entries") or []
    feed = parsed.get("feed", {})
    base = label if urlparse(label).scheme in ("http", "https") else ""
    site = urlparse(feed.get("link") or base).netloc or feed.get("title", "")
    rows = [_row(e, feed, site, n) for n, e in enumerate(entries, start=1)]
    fields = [
        literal("platform", "web"),
        text("native_id", "id"),
        expr("identity", "coalesce(title, '') || '|' || coalesce(published, '')"),
        literal("org", options.org),
        literal("is_own", False),
        literal("kind", "article"),
        text("author_native_id", "author_id"),
        text("author_handle", "author"),
        text("author_name", "author"),
        text("title", "title"),
        text("text", "text"),
        text("url", "url"),
        text("lang", "lang"),
        timestamp("created_at", "published"),
        expr("extra", f"json_object('feed', feed, 'site', {sql_literal(site)})"),
    ]
    report = stage_rows(staging, rows, COLUMNS, fields)
    warnings = []
    if parsed.get("bozo"):
        warnings.append(
            N_("the feed is not well-formed ({reason}); read what could be read").format(
                reason=parsed.get("bozo_exception")
            )
        )
    report.warnings = warnings
    return report


def _row(entry: Any, feed: Any, site: str, row_no: int) -> dict[str, Any]:
    author = entry.get("author") or feed.get("author") or feed.get("title")
    published = entry.get("published_parsed") or entry.get("updated_parsed")
    when = (
        datetime.fromtimestamp(calendar.timegm(published), UTC).replace(tzinfo=None).isoformat()
        if published
        else None
    )
    content = entry.get("content")
    body = content[0].get("value") if content else entry.get("summary")
    return {
        "id": entry.get("id") or entry.get("link"),
        "author_id": f"{site}/{author.strip().lower()}" if author else None,
        "author": author.strip() if author else None,
        "title": plain_text(entry.get("title")),
        "text": plain_text(body),
        "url": entry.get("link"),
        "lang": entry.get("language") or feed.get("language"),
        "published": when,
        "feed": feed.get("title"),
        "row_no": row_no,
    }
