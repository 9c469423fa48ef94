"""``reddit``: a subreddit's (or a search's) submissions and comments, synced with
``jauge connect`` / ``jauge sync``, or imported from a saved Listing answer with
``jauge import FILE`` (a Listing is recognised: ``--source reddit`` is not needed).

Reddit's API needs an application's credentials: ``REDDIT_CLIENT_ID`` and
``REDDIT_CLIENT_SECRET`` (environment variables, never stored) are exchanged for a token
at each sync (the client-credentials grant). Items are keyed by their fullnames
(``t3_…`` submissions, ``t1_…`` comments), so a comment links to what it answers.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from typing import Any, ClassVar
from urllib.parse import quote

from ..errors import ConnectorError, InputError
from ..i18n import N_
from ..store.stage import StageTable
from .api import ApiSource, answered_something_else, load_json, stage_rows
from .base import Fetched, ImportOptions, StageReport
from .convert import count, expr, literal, text, timestamp
from .http import permanent_error, redacted

API = "https://oauth.reddit.com"
AUTH_URL = "https://www.reddit.com/api/v1/access_token"
ID_ENV, SECRET_ENV = "REDDIT_CLIENT_ID", "REDDIT_CLIENT_SECRET"
PAGE = 100
MAX_PAGES = 10
COLUMNS = (
    "id",
    "kind",
    "author",
    "title",
    "text",
    "url",
    "created_at",
    "reply_to",
    "reactions",
    "comments",
    "row_no",
)


def thing_row(thing: dict[str, Any], row_no: int) -> dict[str, Any] | None:
    """One staged row from a Listing child (t3 submission or t1 comment); others: None."""
    kind, data = thing.get("kind"), thing.get("data") or {}
    if kind not in ("t3", "t1"):
        return None
    created = data.get("created_utc")
    author = data.get("author")
    return {
        "id": data.get("name"),
        "kind": "mention" if kind == "t3" else "comment",
        "author": None if author in (None, "[deleted]") else author,
        "title": data.get("title") if kind == "t3" else None,
        "text": (data.get("selftext") if kind == "t3" else data.get("body")) or None,
        "url": "https://www.reddit.com" + data["permalink"] if data.get("permalink") else None,
        "created_at": (
            datetime.fromtimestamp(float(created), UTC).replace(tzinfo=None).isoformat()
            if created is not None
            else None
        ),
        "reply_to": data.get("parent_id") if kind == "t1" else None,
        "reactions": _applause(data.get("score")),
        "comments": None if data.get("num_comments") is None else str(data["num_comments"]),
        "row_no": row_no,
    }


def _applause(score: Any) -> str | None:
    """Reddit's score is net votes (up minus down): a negative one is no applause, 0."""
    if score is None:
        return None
    try:
        return str(max(int(score), 0))
    except (TypeError, ValueError):
        return str(score)  # not a number: the count's check names it


def is_listing(value: Any) -> bool:
    """Whether ``value`` is a Listing: ``{"kind": "Listing", "data": {"children": [...]}}``."""
    if not isinstance(value, dict) or value.get("kind") != "Listing":
        return False
    data = value.get("data")
    return isinstance(data, dict) and isinstance(data.get("children"), list)


def children(answer: Any) -> list[dict[str, Any]]:
    """The things of a Listing answer (or of a list of Listings, as /comments/ answers),
    with the replies nested under each comment of a thread, depth first."""
    listings = answer if isinstance(answer, list) else [answer]
    things: list[dict[str, Any]] = []
    for listing in listings:
        if not isinstance(listing, dict) or listing.get("kind") != "Listing":
            raise ValueError("expected a Reddit Listing")
        for thing in listing["data"].get("children", []):
            if not isinstance(thing, dict):
                continue
            things.append(thing)
            replies = (thing.get("data") or {}).get("replies")
            if is_listing(replies):  # a comment without replies has "" there
                things += children(replies)
    return things


class RedditSource(ApiSource):
    name = "reddit"
    reads = N_(
        "Reddit submissions and comments: a subreddit or a search (connect/sync), "
        "or a saved Listing"
    )
    example = "jauge connect add r-acme --kind reddit --subreddit acme --org Acme"
    connector_options: ClassVar[dict[str, str]] = {
        "subreddit": "Collect this subreddit's new submissions and comments.",
        "query": "Collect the submissions matching this search.",
        "service": f"The API address (default {API}).",
        "auth_url": f"The token address (default {AUTH_URL}).",
    }
    required_options: ClassVar[tuple[str, ...]] = ()
    #: what the connection follows: one of them is needed
    follow_options: ClassVar[tuple[str, ...]] = ("subreddit", "query")

    def recognises_answer(self, answer: Any) -> bool:
        """A Listing (``/new.json``, ``/comments.json``, a search), or a thread's list of
        Listings (its submission, then its comments)."""
        listings = answer if isinstance(answer, list) else [answer]
        return bool(listings) and all(map(is_listing, listings))

    def _token(self, options: dict[str, str], client: Any) -> str:
        client_id, secret = os.environ.get(ID_ENV), os.environ.get(SECRET_ENV)
        if not client_id or not secret:
            raise ConnectorError(
                N_("Reddit needs an application's credentials: set {id} and {secret}").format(
                    id=ID_ENV, secret=SECRET_ENV
                )
            )
        auth_url = options.get("auth_url") or AUTH_URL
        try:
            answer = client.post(
                auth_url, {"grant_type": "client_credentials"}, auth=(client_id, secret)
            )
        except ConnectorError as exc:
            # the token address refuses the application's credentials, not a token (the
            # user has none) nor an account's privacy, as a refusal elsewhere would mean
            if str(exc) not in (permanent_error(401, auth_url), permanent_error(403, auth_url)):
                raise
            raise ConnectorError(
                N_(
                    "{url} refused the application's credentials: check the client id "
                    "and secret in {id} and {secret}"
                ).format(url=redacted(auth_url), id=ID_ENV, secret=SECRET_ENV)
            ) from exc
        # a proxy, a captive portal or a maintenance page may answer 200 with HTML
        try:
            granted = json.loads(answer.content)
        except ValueError as exc:  # not JSON, or not UTF-8
            raise answered_something_else(auth_url, exc) from exc
        if not isinstance(granted, dict):
            raise answered_something_else(auth_url, ValueError(N_("not a JSON object")))
        token = granted.get("access_token")
        if not token:
            raise ConnectorError(
                N_("Reddit refused the credentials: check the client id and secret")
            )
        return str(token)

    def fetch(self, options: dict[str, str], cursor: dict[str, str], client: Any) -> Fetched:
        service = (options.get("service") or API).rstrip("/")
        if options.get("subreddit"):
            sub = quote(options["subreddit"].removeprefix("r/"))
            streams = {"new": f"{service}/r/{sub}/new", "comments": f"{service}/r/{sub}/comments"}
        elif options.get("query"):
            streams = {"search": f"{service}/search?q={quote(options['query'])}&sort=new"}
        else:
            raise ConnectorError(N_("a reddit connection needs --subreddit or --query"))
        headers = {"Authorization": f"bearer {self._token(options, client)}"}
        cursor = dict(cursor)
        collected: list[dict[str, Any]] = []
        for stream, endpoint in streams.items():
            # created_utc counts whole seconds, and a busy subreddit has several items in
            # one: the cursor is inclusive, and the names already taken at its second
            # (kept beside it) are left out, so an item of that second listed later is
            # still collected (an older cursor without them: the merge drops repeats)
            newest = float(cursor.get(stream, "0"))
            seen = set(cursor.get(f"{stream}_names", "").split())
            after = None
            top, at_top = newest, set(seen)
            for _page in range(MAX_PAGES):
                joiner = "&" if "?" in endpoint else "?"
                url = f"{endpoint}{joiner}limit={PAGE}&raw_json=1" + (
                    f"&after={after}" if after else ""
                )
                try:
                    answer = json.loads(client.get(url, headers).content)
                    things = children(answer)
                except (ValueError, KeyError) as exc:
                    raise answered_something_else(endpoint, exc) from exc
                fresh = [
                    t
                    for t in things
                    if float(t["data"].get("created_utc", 0)) >= newest
                    and t["data"].get("name") not in seen
                ]
                collected += fresh
                for thing in fresh:
                    created = float(thing["data"].get("created_utc", 0))  # none: refused
                    if created > top:
                        top, at_top = created, set()
                    if created == top:
                        at_top.add(str(thing["data"].get("name")))
                after = answer.get("data", {}).get("after") if isinstance(answer, dict) else None
                if len(fresh) < len(things) or not after:
                    break
            cursor[stream] = repr(top)
            cursor[f"{stream}_names"] = " ".join(sorted(at_top))
        if not collected:
            return Fetched(None, cursor)
        listing = {"kind": "Listing", "data": {"children": collected}}
        return Fetched(json.dumps(listing).encode(), cursor)

    def stage_answer(
        self, data: bytes, label: str, options: ImportOptions, staging: StageTable
    ) -> StageReport:
        try:
            things = children(load_json(data, label))
        except (ValueError, KeyError) as exc:
            raise InputError(label, str(exc)) from exc
        rows = [r for n, t in enumerate(things, start=1) if (r := thing_row(t, n))]
        fields = [
            literal("platform", "reddit"),
            text("native_id", "id", required=True),
            literal("org", options.org),
            literal("is_own", False),
            expr("kind", "kind"),
            text("author_handle", "author"),
            text("title", "title"),
            text("text", "text"),
            text("url", "url"),
            timestamp("created_at", "created_at", required=True),
            text("reply_to", "reply_to"),
            count("reactions", "reactions"),
            count("comments", "comments"),
        ]
        return stage_rows(staging, rows, COLUMNS, fields)
