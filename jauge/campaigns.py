"""Campaigns: a named period of an organisation, with the hashtags, keywords and UTM
campaign that tell its items apart."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from .errors import UsageError
from .i18n import _
from .store.duckdb_store import Store
from .store.ids import make_id


@dataclass(frozen=True)
class Campaign:
    name: str
    org: str
    starts_on: date
    ends_on: date
    hashtags: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    utm_campaign: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["starts_on"], data["ends_on"] = self.starts_on.isoformat(), self.ends_on.isoformat()
        data["hashtags"], data["keywords"] = list(self.hashtags), list(self.keywords)
        return data


def add_campaign(store: Store, workspace: str, campaign: Campaign) -> Campaign:
    """Define (or redefine) a campaign; items match by date and by tags or keywords."""
    if campaign.ends_on < campaign.starts_on:
        raise UsageError(
            _(
                "campaign {name} ends ({end}) before it starts ({start})",
                name=repr(campaign.name),
                end=campaign.ends_on,
                start=campaign.starts_on,
            )
        )
    if not campaign.name.strip():
        raise UsageError(_("a campaign needs a name: give one that is not blank"))
    utm = campaign.utm_campaign.strip() if campaign.utm_campaign is not None else None
    if utm == "":
        raise UsageError(
            _(
                "the UTM campaign of {name} is blank: give the utm_campaign its links carry, "
                "or none",
                name=repr(campaign.name.strip()),
            )
        )
    org_id = store.org_id(workspace, campaign.org)
    hashtags = tuple(sorted({"#" + h.lstrip("#").lower() for h in campaign.hashtags if h.strip()}))
    keywords = tuple(sorted({k.lower() for k in campaign.keywords if k.strip()}))
    campaign_id = make_id(workspace, org_id, campaign.name.strip().lower())
    store.save_campaign(
        campaign_id,
        workspace,
        org_id,
        {
            "name": campaign.name.strip(),
            "starts_on": campaign.starts_on,
            "ends_on": campaign.ends_on,
            "hashtags": hashtags,
            "keywords": keywords,
            "utm_campaign": utm,
        },
    )
    return Campaign(
        campaign.name.strip(),
        campaign.org,
        campaign.starts_on,
        campaign.ends_on,
        hashtags,
        keywords,
        utm,
    )


def list_campaigns(store: Store, workspace: str, org: str | None = None) -> list[Campaign]:
    where, params = "WHERE c.workspace = ?", [workspace]
    if org:
        where += " AND c.org_id = ?"
        params.append(store.org_id(workspace, org))
    rows = store.con.execute(
        "SELECT c.name, o.name, c.starts_on, c.ends_on, c.hashtags, c.keywords, c.utm_campaign "
        f"FROM campaigns c JOIN organisations o USING (org_id) {where} "
        "ORDER BY o.name, c.starts_on",
        params,
    ).fetchall()
    # a UTM campaign stored before add_campaign trimmed it is read as it now would be
    return [
        Campaign(r[0], r[1], r[2], r[3], tuple(r[4] or ()), tuple(r[5] or ()),
                 (r[6] or "").strip() or None)
        for r in rows
    ]  # fmt: skip
