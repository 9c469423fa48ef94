"""``rss``: an RSS or Atom feed, from a file or a URL; each entry is an article by its author.

Parsing is feedparser's, which copes with RSS 0.9x/1.0/2.0 and Atom and with
the malformed feeds found in the wild. Authors become persons of the ``web``
platform, identified by their name on the feed's site, so that the bloggers who
write about a brand sit next to its social media commenters.
"""

from __future__ import annotations

import calendar
import html
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pyarrow as pa

from ..errors import InputError
from ..store.ids import sql_literal
from ..store.merge import Staging
from .base import ImportOptions, Source, StageReport
from .convert import build_select, expr, literal, text, timestamp
from .files import Progress, check_readable

_TAGS = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"\s+")

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


def plain_text(markup: str | None) -> str | None:
    """Feed summaries are HTML: keep the words, drop the tags and entities."""
    if not markup:
        return None
    words = _SPACES.sub(" ", html.unescape(_TAGS.sub(" ", markup))).strip()
    return words or None


class RssSource(Source):
    name = "rss"
    kind = "feed"
    reads = "an RSS or Atom feed, as a file or a URL (blog posts and articles)"
    example = "jauge import https://example.org/feed.xml --source rss --org 'Acme'"

    def stage(
        self, path: str, options: ImportOptions, staging: Staging, progress: Progress | None
    ) -> StageReport:
        import feedparser  # heavy: only when a feed is read

        is_url = urlparse(path).scheme in ("http", "https")
        if not is_url:
            check_readable(Path(path))
        parsed = feedparser.parse(path)
        entries = parsed.get("entries") or []
        if not entries:
            reason = parsed.get("bozo_exception")
            detail = f" ({reason})" if reason else ""
            raise InputError(path, f"this is not an RSS or Atom feed with entries{detail}")
        feed = parsed.get("feed", {})
        site = urlparse(feed.get("link") or (path if is_url else "")).netloc or feed.get(
            "title", ""
        )
        rows = [_row(e, feed, site, n) for n, e in enumerate(entries, start=1)]
        raw = pa.table(
            {
                c: pa.array([r[c] for r in rows], pa.int64() if c == "row_no" else pa.string())
                for c in COLUMNS
            }
        )
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
        staging.append(raw, build_select(fields))
        if progress and not is_url:
            progress(Path(path).stat().st_size)
        warnings = []
        if parsed.get("bozo"):
            warnings.append(
                f"the feed is not well-formed ({parsed.get('bozo_exception')}); "
                "read what could be read"
            )
        return StageReport(warnings=warnings)


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
