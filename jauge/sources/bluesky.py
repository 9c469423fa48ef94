"""``bluesky``: posts from the AT Protocol network — an author's feed or a search — synced
with ``jauge connect`` / ``jauge sync``, or imported from a saved ``getAuthorFeed`` or
``searchPosts`` answer with ``jauge import FILE --source bluesky``.

Posts are keyed by their ``at://`` URI, so replies link to the posts they answer. The
service defaults to Bluesky's public AppView; a token, when needed, comes from the
environment variable the connection names and is never stored.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar
from urllib.parse import quote

from ..errors import ConnectorError, InputError
from ..i18n import N_
from ..store.stage import StageTable
from .api import (
    ApiSource,
    answered_something_else,
    bearer,
    load_json,
    social_fields,
    stage_rows,
)
from .base import Fetched, ImportOptions, StageReport
from .convert import flag, text

PUBLIC_SERVICE = "https://public.api.bsky.app"
PAGE = 100
MAX_PAGES = 10
COLUMNS = (
    "id",
    "kind",
    "is_own",
    "author_id",
    "author",
    "author_name",
    "text",
    "url",
    "lang",
    "created_at",
    "reply_to",
    "quote_of",
    "reactions",
    "shares",
    "comments",
    "author_has_avatar",
    "row_no",
)


def post_row(post: dict[str, Any], own_actor: str | None, row_no: int) -> dict[str, Any]:
    """One staged row from a Bluesky post view."""
    author = post.get("author") or {}
    record = post.get("record") or {}
    handle = str(author.get("handle") or "")
    own = own_actor is not None and own_actor.lstrip("@").lower() in (
        handle.lower(),
        str(author.get("did", "")).lower(),
    )
    reply = (record.get("reply") or {}).get("parent") or {}
    embed = record.get("embed") or {}
    quoted = (embed.get("record") or {}).get("uri") or (
        (embed.get("record") or {}).get("record") or {}
    ).get("uri")
    kind = "post" if own else ("reply" if reply else "quote" if quoted else "mention")
    uri = str(post.get("uri") or "")
    rkey = uri.rsplit("/", 1)[-1]
    langs = record.get("langs") or []
    return {
        "id": uri or None,
        "kind": kind,
        "is_own": "true" if own else "false",
        "author_id": author.get("did"),
        "author": handle or None,
        "author_name": author.get("displayName") or None,
        "text": record.get("text") or None,
        "url": f"https://bsky.app/profile/{handle}/post/{rkey}" if handle and rkey else None,
        "lang": langs[0] if langs else None,
        "created_at": record.get("createdAt") or post.get("indexedAt"),
        "reply_to": reply.get("uri"),
        "quote_of": quoted,
        "reactions": _count(post.get("likeCount")),
        "shares": _count(
            (post.get("repostCount") or 0) + (post.get("quoteCount") or 0)
            if post.get("repostCount") is not None
            else None
        ),
        "comments": _count(post.get("replyCount")),
        # a profile view has no "avatar" key when the account has no picture of its own
        "author_has_avatar": None if own or not author else str("avatar" in author).lower(),
        "row_no": row_no,
    }


def _count(value: Any) -> str | None:
    return None if value is None else str(value)


def posts_of(answer: Any) -> list[dict[str, Any]]:
    """The post views of a getAuthorFeed (``feed``) or searchPosts (``posts``) answer;
    reposts by the author (items with a ``reason``) are someone else's posts and skipped."""
    if isinstance(answer, dict) and isinstance(answer.get("feed"), list):
        return [
            i["post"]
            for i in answer["feed"]
            if isinstance(i, dict) and isinstance(i.get("post"), dict) and not i.get("reason")
        ]
    if isinstance(answer, dict) and isinstance(answer.get("posts"), list):
        return [p for p in answer["posts"] if isinstance(p, dict)]
    raise ValueError("expected a getAuthorFeed or searchPosts answer")


class BlueskySource(ApiSource):
    name = "bluesky"
    reads = N_("Bluesky posts: an author's feed or a search (connect/sync), or a saved answer")
    example = "jauge connect add acme-bsky --kind bluesky --actor acme.bsky.social --org Acme"
    connector_options: ClassVar[dict[str, str]] = {
        "service": f"The AppView or PDS address (default {PUBLIC_SERVICE}).",
        "actor": "Collect this author's posts (handle or DID).",
        "query": "Collect the posts matching this search.",
        "token_env": "Name of the environment variable holding an access token.",
    }
    required_options: ClassVar[tuple[str, ...]] = ()
    #: what the connection follows: one of them is needed
    follow_options: ClassVar[tuple[str, ...]] = ("actor", "query")

    def recognises_answer(self, answer: Any) -> bool:
        """A getAuthorFeed (``feed``) or searchPosts (``posts``) answer: post views whose
        ``uri`` is an AT URI, which no other API gives."""
        if not isinstance(answer, dict):
            return False
        feed, posts = answer.get("feed"), answer.get("posts")
        if isinstance(feed, list) and feed:
            views = [i.get("post") if isinstance(i, dict) else None for i in feed]
        elif isinstance(posts, list) and posts:
            views = posts
        else:
            return False
        return all(isinstance(v, dict) and str(v.get("uri", "")).startswith("at://") for v in views)

    def fetch(self, options: dict[str, str], cursor: dict[str, str], client: Any) -> Fetched:
        service = (options.get("service") or PUBLIC_SERVICE).rstrip("/")
        headers = bearer(options)
        if options.get("actor"):
            endpoint = (
                f"{service}/xrpc/app.bsky.feed.getAuthorFeed?actor="
                f"{quote(options['actor'].lstrip('@'))}&limit={PAGE}"
            )
        elif options.get("query"):
            endpoint = (
                f"{service}/xrpc/app.bsky.feed.searchPosts?q="
                f"{quote(options['query'])}&sort=latest&limit={PAGE}"
            )
        else:
            raise ConnectorError(N_("a bluesky connection needs --actor or --query"))
        # inclusive, as Reddit's: posts indexed in the same instant as the newest one kept
        # and listed only later are still collected; the ones taken then are left out
        seen_until = cursor.get("newest", "")
        seen = set(cursor.get("newest_uris", "").split())
        collected: list[dict[str, Any]] = []
        page_cursor = None
        for _page in range(MAX_PAGES):
            url = endpoint + (f"&cursor={quote(page_cursor)}" if page_cursor else "")
            try:
                answer = json.loads(client.get(url, headers).content)
                posts = posts_of(answer)
            except (ValueError, KeyError) as exc:
                raise answered_something_else(endpoint, exc) from exc
            fresh = [
                p
                for p in posts
                if str(p.get("indexedAt", "")) >= seen_until and str(p.get("uri")) not in seen
            ]
            collected += fresh
            page_cursor = answer.get("cursor")
            # pages go back in time: stop at the first already-seen post
            if len(fresh) < len(posts) or not page_cursor:
                break
        if not collected:
            return Fetched(None, cursor)
        newest = max(str(p.get("indexedAt", "")) for p in collected)
        at_newest = {str(p.get("uri")) for p in collected if str(p.get("indexedAt", "")) == newest}
        if newest == seen_until:
            at_newest |= seen
        kept = {"newest": newest, "newest_uris": " ".join(sorted(at_newest))}
        return Fetched(json.dumps({"posts": collected}).encode(), {**cursor, **kept})

    def stage_answer(
        self, data: bytes, label: str, options: ImportOptions, staging: StageTable
    ) -> StageReport:
        try:
            posts = posts_of(load_json(data, label))
        except ValueError as exc:
            raise InputError(label, str(exc)) from exc
        rows = [post_row(p, options.account, n) for n, p in enumerate(posts, start=1)]
        fields = social_fields("bluesky", options, options.account)
        fields += [text("reply_to", "reply_to"), text("quote_of", "quote_of")]
        fields.append(flag("author_has_avatar", "author_has_avatar"))
        return stage_rows(staging, rows, COLUMNS, fields)
