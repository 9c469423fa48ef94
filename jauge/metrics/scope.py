"""The scope of an index: which organisation, account or campaign, over which days, as
asked (:class:`ScopeRequest`) and as the engine measures it (:class:`Scope`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ..days import after, check_order, first_day, midnight
from ..errors import ConfigError, NotFoundError, UsageError
from ..i18n import N_, _
from ..store.duckdb_store import Store
from .result import IndexResult
from .spec import IndexSpec
from .statistics import Scope

SHORT_WINDOW = N_(
    "the index needs at least {least} days, and the window {start} to {end} "
    "has {days} (it measures slow things: relationships, returns)"
)

#: why an organisation has no index: said by `jauge score` and `jauge compare`
NO_ITEMS = N_(
    "it has no items imported as its own or as about it; the items that only name it "
    "(matched by its dictionary) count in `jauge voice`, not in the index "
    "(see docs/index-spec.md)"
)


def too_short(spec: IndexSpec, start: date, end: date) -> dict[str, Any] | None:
    """The values of :data:`SHORT_WINDOW` when ``start``..``end`` (inclusive) is shorter
    than the index allows, else None."""
    days = (end - start).days + 1
    if days >= spec.min_days:
        return None
    return {"start": start, "end": end, "days": days, "least": spec.min_days}


@dataclass(frozen=True)
class ScopeRequest:
    org: str
    account: str | None = None
    campaign: str | None = None
    start: date | None = None  # inclusive
    end: date | None = None  # inclusive


def organisations_known(store: Store, workspace: str) -> dict[str, tuple[str, date | None]]:
    """Lower-cased organisation name -> (id, day of its latest item), in one query."""
    rows = store.con.execute(
        "SELECT lower(o.name), o.org_id, max(c.created_at) FROM organisations o "
        "LEFT JOIN content_items c USING (org_id) WHERE o.workspace = ? GROUP BY 1, 2",
        [workspace],
    ).fetchall()
    return {name: (org_id, latest.date() if latest else None) for name, org_id, latest in rows}


def _account(store: Store, org_id: str, request: ScopeRequest) -> tuple[str, str, str]:
    """The one account ``request.account`` names: its handle, or ``PLATFORM:HANDLE``
    where the organisation has that handle on several platforms (brands keep one
    handle everywhere). Returns its id, its platform and its name as the store spells
    it (``PLATFORM:HANDLE`` only where the handle alone is ambiguous)."""
    asked = (request.account or "").strip()
    rows = store.con.execute(
        "SELECT account_id, platform, handle FROM accounts WHERE org_id = ? "
        "AND lower(handle) = lower(?) ORDER BY platform",
        [org_id, asked.lstrip("@")],
    ).fetchall()
    platform, colon, handle = asked.partition(":")
    asked_whole = bool(rows)  # a handle with a colon in it, or no platform named
    if not rows and colon:
        rows = store.con.execute(
            "SELECT account_id, platform, handle FROM accounts WHERE org_id = ? "
            "AND lower(platform) = lower(?) AND lower(handle) = lower(?)",
            [org_id, platform.strip(), handle.strip().lstrip("@")],
        ).fetchall()
    if not rows:
        raise NotFoundError(
            _("no account {account} for {org}", account=repr(asked), org=repr(request.org))
        )
    if len(rows) > 1:
        raise ConfigError(
            _(
                "{org} has the account {account} on several platforms ({platforms}): name "
                "the one to measure as PLATFORM:HANDLE, for example {example}",
                org=repr(request.org),
                account=repr(asked),
                platforms=", ".join(str(r[1]) for r in rows),
                example=f"{rows[0][1]}:{rows[0][2]}",
            )
        )
    account_id, platform, handle = (str(v) for v in rows[0])
    if asked_whole:
        return account_id, platform, handle
    # PLATFORM:HANDLE is the account's name only where the handle alone is ambiguous
    same = store.con.execute(
        "SELECT count(*) FROM accounts WHERE org_id = ? AND lower(handle) = lower(?)",
        [org_id, handle],
    ).fetchall()[0][0]
    return account_id, platform, f"{platform}:{handle}" if same > 1 else handle


def resolve_scope(
    store: Store,
    workspace: str,
    request: ScopeRequest,
    spec: IndexSpec,
    known: dict[str, tuple[str, date | None]] | None = None,
) -> tuple[Scope | None, dict[str, Any]]:
    """The scope to measure, with the window's defaults filled in and checked, and its
    description (the result's ``scope``). A window shorter than the index allows is
    refused, except a campaign's own days: its scope is then None, and the campaign is
    shown unscored (:func:`unscored_campaign`), as `jauge compare --by campaign` lists it."""
    found = (known or {}).get(request.org.strip().lower())
    org_id = found[0] if found else store.org_id(workspace, request.org)
    account_id = account_platform = None
    # the account and the campaign as the store spells them, however they were typed:
    # the scope seeds the interval's bootstrap through the fingerprint (as the org's name,
    # resolved by the API), so "brand" and "Brand" must give the same interval
    account, campaign = request.account, request.campaign
    if request.account:
        account_id, account_platform, account = _account(store, org_id, request)
    start, end, terms, keys = request.start, request.end, None, None
    if request.campaign:
        rows = store.con.execute(
            "SELECT starts_on, ends_on, hashtags, keywords, name, utm_campaign FROM campaigns "
            "WHERE org_id = ? AND lower(name) = lower(?)",
            [org_id, request.campaign],
        ).fetchall()
        if not rows:
            raise NotFoundError(
                _(
                    "no campaign {campaign} for {org}: define it with `jauge campaign add`",
                    campaign=repr(request.campaign),
                    org=repr(request.org),
                )
            )
        c_start, c_end, hashtags, keywords, name, utm = rows[0]
        campaign = str(name)
        keys = (name.strip().lower(), (utm or name).strip().lower())
        start, end = start or c_start, end or c_end
        terms = tuple(
            sorted({t.lower() for t in [*(hashtags or []), *(keywords or [])] if t.strip()})
        )
        terms = terms or None
    # the window's end, when neither --to nor a campaign gave it: said so if --from is after it
    end_by_default = end is None and not request.campaign
    if end is None:
        end = found[1] if found else store.latest_item_day([org_id])
        if end is None:
            raise ConfigError(
                _("{org} cannot be scored: {reason}", org=repr(request.org), reason=_(NO_ITEMS))
            )
    if start is None:
        start = first_day(end, spec.default_days)
    check_order(start, end, end_by_default=end_by_default)
    described = {
        "org": request.org,
        "account": account,
        "campaign": campaign,
        "from": start.isoformat(),
        "to": end.isoformat(),
    }
    short = too_short(spec, start, end)
    if short is not None:
        if request.campaign and request.start is None and request.end is None:
            return None, described  # the campaign's own days: see unscored_campaign
        # a value that cannot be used, as a window that ends before it starts (exit 2)
        raise UsageError(_(SHORT_WINDOW, **short))
    scope = Scope(
        workspace=workspace,
        org_id=org_id,
        start=midnight(start),
        end=after(end),
        account_id=account_id,
        campaign_terms=terms,
        account_platform=account_platform,
        campaign_keys=keys,
    )
    return scope, described


def unscored_campaign(spec: IndexSpec, panel_id: str, described: dict[str, Any]) -> IndexResult:
    """The result of a campaign too short for the index: its scope, no score, and why in
    ``warnings`` (as a result keeps them, in English); compared with nothing."""
    first, last = date.fromisoformat(described["from"]), date.fromisoformat(described["to"])
    short = too_short(spec, first, last) or {}
    why = N_("campaign {campaign} is not scored: {reason}").format(
        campaign=described["campaign"], reason=SHORT_WINDOW.format(**short)
    )
    return IndexResult(spec.version, panel_id, described, None, None, {}, {}, {}, 0.0,
                       [why], {}, "")  # fmt: skip
