"""``mastodon``: statuses from a Mastodon instance — a hashtag's timeline, a keyword search
or an account's posts — synced with ``jauge connect`` / ``jauge sync``, or imported from a
saved API answer (a JSON array of statuses, or of notifications: the statuses they carry,
and the boosts they tell of) with ``jauge import FILE --source mastodon``.

Statuses are keyed by their ``uri`` (the same on every instance). An account's own posts
are the organisation's posts; everyone else's are mentions (replies as such). A boost
(reblog) says nothing of its own: it is a text-less repost by the booster, linked to the
original it carries, and that original is stored once as its author's own status, however
many boosts of it a batch holds. The account's own boosts are skipped: what they carry is
the original status, counted as its author's. With a token, an account's notifications
bring who boosted its statuses: each such boost is a repost too, keyed by who boosted
what (the API does not give the boost's own id).
The token, when one is needed, comes from the environment variable the connection names
(``--token-env``); it is never stored, printed or logged.
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
from .convert import count, flag, text
from .http import permanent_error  # the words of a 404, to tell it
from .rss import plain_text

PAGE = 40
MAX_PAGES = 25  # per sync: a backlog larger than 1,000 statuses is caught up over syncs
#: the author's profile facts that integrity checks read (docs/integrity.md)
PROFILE = ("author_following", "author_posts", "author_has_avatar", "author_has_bio", "author_bot")
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
    "repost_of",
    "reactions",
    "shares",
    "comments",
    "followers",
    "author_followers",
    *PROFILE,
    "row_no",
)


def status_key(status: dict[str, Any]) -> Any:
    """How jauge keys a status: its ``uri`` (the same on every instance), else its address,
    else the instance's id."""
    return status.get("uri") or status.get("url") or status.get("id")


def status_row(status: dict[str, Any], own_account: str | None, row_no: int) -> dict[str, Any]:
    """One staged row from a Mastodon status. A reblog (boost) becomes a repost of its
    original, without a text or a language: those are the original's (``status_rows``
    stores the original)."""
    account = status.get("account") or {}
    acct = str(account.get("acct") or "")
    original = status.get("reblog") or {}
    is_own = bool(own_account) and acct.lower() == str(own_account).lstrip("@").lower()
    kind = (
        "post"
        if is_own
        else ("repost" if original else "reply" if status.get("in_reply_to_id") else "mention")
    )
    return {
        "id": status_key(status),
        "kind": kind,
        "is_own": "true" if is_own else "false",
        "author_id": account.get("url") or account.get("uri") or acct,
        "author": acct,
        "author_name": account.get("display_name") or None,
        "text": None if original else plain_text(status.get("content")),
        "url": status.get("url"),
        "lang": None if original else status.get("language"),
        "created_at": status.get("created_at"),
        "repost_of": status_key(original) if original else None,
        "reactions": _count(status.get("favourites_count")),
        "shares": _count(status.get("reblogs_count")),
        "comments": _count(status.get("replies_count")),
        "followers": _count(account.get("followers_count")) if is_own else None,
        "author_followers": None if is_own else _count(account.get("followers_count")),
        **(dict.fromkeys(PROFILE) if is_own else profile(account)),
        "row_no": row_no,
    }


def status_rows(statuses: list[dict[str, Any]], own_account: str | None) -> list[dict[str, Any]]:
    """The staged rows of a batch of statuses (a sync's or a saved answer's). A boost
    brings the original it carries as a row of its own, once: not when the batch has the
    original on its own (that copy is the status itself) nor for a second boost of it, as
    the merge would count each extra row as a repeated one. The account's own boosts are
    left out (``_own_reblog``). Rows are numbered in order, each its own number: the stage
    keys rows by it (an API answer's errors name no line, so no position is lost)."""
    kept = [s for s in statuses if not _own_reblog(s, own_account)]
    seen = {status_key(s) for s in kept if not s.get("reblog")}
    rows: list[dict[str, Any]] = []
    for status in kept:
        original = status.get("reblog")
        if isinstance(original, dict) and status_key(original) not in seen:
            seen.add(status_key(original))
            rows.append(status_row(original, own_account, len(rows) + 1))
        rows.append(status_row(status, own_account, len(rows) + 1))
    return rows


def profile(account: dict[str, Any]) -> dict[str, str | None]:
    """The profile facts of a Mastodon account that integrity checks read."""
    avatar, note = account.get("avatar"), account.get("note")
    return {
        "author_following": _count(account.get("following_count")),
        "author_posts": _count(account.get("statuses_count")),
        # servers serve ".../avatars/original/missing.png" to accounts without a picture
        "author_has_avatar": None if avatar is None else _flag("missing.png" not in avatar),
        "author_has_bio": None if note is None else _flag(bool(plain_text(note))),
        "author_bot": None if "bot" not in account else _flag(bool(account["bot"])),
    }


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _count(value: Any) -> str | None:
    return None if value is None else str(value)


class MastodonSource(ApiSource):
    name = "mastodon"
    reads = N_(
        "Mastodon statuses: a hashtag's timeline, a keyword search or an account's posts "
        "(connect/sync), or a saved JSON array of statuses"
    )
    example = (
        "jauge connect add masto --kind mastodon --instance https://example.social --hashtag acme"
    )
    connector_options: ClassVar[dict[str, str]] = {
        "instance": "The instance's address, e.g. https://mastodon.social.",
        "hashtag": "Collect this hashtag's public timeline.",
        "query": "Collect the statuses matching this search (the instance may need a token).",
        "account": "Collect this account's statuses (the organisation's own account).",
        "token_env": "Name of the environment variable holding an access token.",
    }
    required_options: ClassVar[tuple[str, ...]] = ("instance",)
    #: what the connection follows: one of them is needed
    follow_options: ClassVar[tuple[str, ...]] = ("hashtag", "query", "account")

    def recognises_answer(self, answer: Any) -> bool:
        """A timeline, an account's statuses, a search's or notifications: an array whose
        every item is a status (``content`` and ``account``) or a notification; or one
        status (``/api/v1/statuses/ID``)."""
        if _is_status(answer):
            return True
        return (
            isinstance(answer, list)
            and bool(answer)
            and all(
                _is_status(s) or (isinstance(s, dict) and _is_notification(s) and "account" in s)
                for s in answer
            )
        )

    # -- live --------------------------------------------------------------------------

    def fetch(self, options: dict[str, str], cursor: dict[str, str], client: Any) -> Fetched:
        instance = options["instance"].rstrip("/")
        headers = bearer(options)
        cursor = dict(cursor)
        unwrap = None
        if options.get("hashtag"):
            endpoint = f"{instance}/api/v1/timelines/tag/{quote(options['hashtag'].lstrip('#'))}"
        elif options.get("query"):
            endpoint = f"{instance}/api/v2/search?type=statuses&q={quote(options['query'])}"
            unwrap = _search_statuses
        elif options.get("account"):
            if "account_id" not in cursor:
                handle = quote(options["account"].lstrip("@"))
                lookup = f"{instance}/api/v1/accounts/lookup?acct={handle}"
                try:
                    found = client.get(lookup, headers)
                except ConnectorError as exc:
                    if str(exc) != permanent_error(404, lookup):
                        raise
                    # the lookup address exists: it is the account the instance does not know
                    raise ConnectorError(
                        N_(
                            "the account {handle} does not exist on {instance}: check --account"
                        ).format(handle=options["account"], instance=instance)
                    ) from exc
                try:
                    cursor["account_id"] = str(json.loads(found.content)["id"])
                except (ValueError, KeyError, TypeError) as exc:  # TypeError: not an object
                    raise ConnectorError(
                        N_("{instance} did not find {handle}").format(
                            instance=instance, handle=handle
                        )
                    ) from exc
            endpoint = f"{instance}/api/v1/accounts/{cursor['account_id']}/statuses"
        else:
            raise ConnectorError(N_("a mastodon connection needs --hashtag, --query or --account"))
        statuses, newest = _pages(client, endpoint, headers, cursor.get("min_id"), None, unwrap)
        cursor["min_id"] = newest or ""
        if options.get("account") and "Authorization" in headers:
            # with a token, the account's notifications bring the mentions of it too, and
            # who boosted its statuses
            mentioned, newest_mention = _pages(
                client,
                f"{instance}/api/v1/notifications?types[]=mention&types[]=reblog",
                headers,
                cursor.get("mentions_min_id"),
                _notified,
            )
            statuses += mentioned
            cursor["mentions_min_id"] = newest_mention or ""
        cursor = {k: v for k, v in cursor.items() if v}
        if not statuses:
            return Fetched(None, cursor)
        return Fetched(json.dumps(statuses).encode(), cursor)

    def stage_answer(
        self, data: bytes, label: str, options: ImportOptions, staging: StageTable
    ) -> StageReport:
        answer = load_json(data, label)
        if _is_status(answer):  # one status, as /api/v1/statuses/ID answers
            answer = [answer]
        if not isinstance(answer, list) or any(not isinstance(s, dict) for s in answer):
            raise InputError(label, N_("expected a JSON array of Mastodon statuses"))
        # a saved notifications answer brings the statuses its notifications carry
        # (a follow's carries none); anything else (accounts, an instance...) is refused
        statuses = [_notified(s) if _is_notification(s) else s for s in answer]
        if any(s is not None and not _is_status(s) for s in statuses):
            raise InputError(label, N_("expected a JSON array of Mastodon statuses"))
        rows = status_rows([s for s in statuses if s is not None], options.account)
        fields = social_fields("mastodon", options, options.account)
        fields.append(text("repost_of", "repost_of"))
        fields += [count(c, c) for c in ("followers", "author_followers", *PROFILE[:2])]
        fields += [flag(c, c) for c in PROFILE[2:]]
        return stage_rows(staging, rows, COLUMNS, fields)


def _pages(
    client: Any,
    endpoint: str,
    headers: dict[str, str],
    newest: str | None,
    pick: Any = None,
    unwrap: Any = None,
) -> tuple[list[dict[str, Any]], str | None]:
    """Everything newer than ``newest`` (by id), or, on a first sync, the latest
    ``MAX_PAGES`` pages. Mastodon pages: ``min_id`` gives the page just after an id,
    ``max_id`` the page just before one. ``pick`` takes the status out of each item
    (notifications carry one)."""
    found: list[dict[str, Any]] = []
    newest_seen = newest
    floor, ceiling = newest, None
    for _page in range(MAX_PAGES):
        joiner = "&" if "?" in endpoint else "?"
        query = f"{joiner}limit={PAGE}"
        query += f"&min_id={floor}" if floor else (f"&max_id={ceiling}" if ceiling else "")
        try:
            page = json.loads(client.get(endpoint + query, headers).content)
            if unwrap is not None:
                page = unwrap(page)
        except (ValueError, KeyError, TypeError) as exc:
            raise ConnectorError(
                N_("{url} answered invalid JSON: {reason}").format(
                    url=endpoint.split("?")[0], reason=exc
                )
            ) from exc
        if not isinstance(page, list):
            raise ConnectorError(
                N_("{url} did not answer a list").format(url=endpoint.split("?")[0])
            )
        if any(not isinstance(s, dict) or s.get("id") is None for s in page):
            raise answered_something_else(
                endpoint.split("?")[0], ValueError(N_("an item of the list is not a status"))
            )
        fresh = [s for s in page if not newest or _newer(str(s.get("id")), newest)]
        if not fresh:
            break
        found += [pick(s) if pick else s for s in fresh]
        ids = sorted((str(s["id"]) for s in fresh), key=lambda i: (len(i), i))
        if not newest_seen or _newer(ids[-1], newest_seen):
            newest_seen = ids[-1]
        if len(page) < PAGE:
            break
        if floor:
            floor = ids[-1]  # forward: the next page after the newest of this one
        else:
            ceiling = ids[0]  # first sync: back in time, before the oldest of this one
    return [s for s in found if s], newest_seen


def _own_reblog(status: dict[str, Any], own_account: str | None) -> bool:
    """Whether ``status`` is the organisation's account boosting a status: skipped, as
    Bluesky skips the author's reposts, so that a boost of its own toot does not count
    the toot twice, nor a boost of someone else's count their words as its post."""
    acct = str((status.get("account") or {}).get("acct") or "")
    return (
        bool(status.get("reblog"))
        and bool(own_account)
        and acct.lower() == str(own_account).lstrip("@").lower()
    )


def _is_status(item: Any) -> bool:
    return isinstance(item, dict) and "content" in item and isinstance(item.get("account"), dict)


def _is_notification(item: dict[str, Any]) -> bool:
    return "type" in item and "content" not in item


def _notified(notification: dict[str, Any]) -> Any:
    """The status a notification carries, or None (a follow, a follow request...). A
    reblog notification (someone boosted the account's status) becomes that boost: the
    API does not give the boost's own id, so it is keyed by who boosted what, which a
    person does once."""
    status = notification.get("status") or None
    booster = notification.get("account")
    if notification.get("type") != "reblog" or not isinstance(status, dict):
        return status
    if not isinstance(booster, dict):
        return None  # a boost by no one known: nothing to count
    who = booster.get("url") or booster.get("uri") or booster.get("acct")
    return {
        "id": notification.get("id"),
        "uri": f"{status_key(status)}#boosted-by:{who}",
        "url": None,
        "account": booster,
        "created_at": notification.get("created_at"),
        "content": "",
        "reblog": status,
    }


def _search_statuses(answer: Any) -> list[dict[str, Any]]:
    statuses = answer["statuses"]
    if not isinstance(statuses, list):
        raise TypeError("statuses is not a list")
    return statuses


def _newer(candidate: str, than: str) -> bool:
    # Mastodon ids are decimal snowflakes: longer is newer, then lexical order
    return (len(candidate), candidate) > (len(than), than)
