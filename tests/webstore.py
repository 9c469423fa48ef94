"""A store for the web tests: two workspaces, real data, users of every role.

- workspace ``brands``: the UCI cosmetics brand's Facebook posts and the six airlines'
  tweets (tests/data), with airline dictionaries and enrichment, so that the overview,
  the comparison and the listening pages all have something real to show;
- also in ``brands``, for the value page: the UCI online shop's sessions (their traffic
  codes named as test_value.py says) as the brand's site traffic in 2014, and the Kaggle
  ad campaigns as its spend: two real data sets paired only for these tests;
- workspace ``rival``: another client with the French media sample, and its own owner,
  who must never see anything of ``brands``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import jauge
from jauge.users import add_user, add_workspace, create_token

from .conftest import AIRLINE_TWEETS, FRENCH_MAP, FRENCH_TWEETS_CSV, UCI_FACEBOOK
from .test_value import AD_MAP, ADS, write_named_sessions

PASSWORD = "correct horse battery"
AIRLINES = ("United", "Delta", "Southwest", "US Airways", "American", "Virgin America")
HANDLES = {
    "United": "@united",
    "Delta": "@delta",
    "Southwest": "@southwestair",
    "US Airways": "@usairways",
    "American": "@americanair",
    "Virgin America": "@virginamerica",
}
USERS = {
    "owner": ("owner@brands.example", "brands", "owner"),
    "analyst": ("analyst@brands.example", "brands", "analyst"),
    "viewer": ("viewer@brands.example", "brands", "viewer"),
    "rival": ("owner@rival.example", "rival", "owner"),
}


@dataclass
class WebStore:
    path: Path
    tokens: dict[str, str] = field(default_factory=dict)

    def email(self, who: str) -> str:
        return USERS[who][0]

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}


def build(path: Path) -> WebStore:
    brands = jauge.open(path, workspace="brands")
    assert brands.import_file(
        UCI_FACEBOOK, "facebook-insights", org="Cosmetics brand", year=2014
    ).ok
    assert brands.import_file(AIRLINE_TWEETS, "tweets-csv").ok
    for airline in AIRLINES:
        brands.add_org(airline, aliases=[airline], handles=[HANDLES[airline]])
    brands.enrich(backend="fast")
    sessions = path.parent / "ga4-2014.csv"
    write_named_sessions(sessions, 2014)
    assert brands.import_file(
        sessions, "web-analytics-csv", org="Cosmetics brand", mapping={"Revenue": "converted"}
    ).ok
    assert brands.import_file(
        ADS, "costs-csv", org="Cosmetics brand", platform="facebook", mapping=AD_MAP
    ).ok
    store = brands.store
    add_workspace(store, "rival")
    french = jauge.Jauge(store, "rival").import_file(
        FRENCH_TWEETS_CSV, "posts-csv", org="Le Monde", platform="twitter", mapping=FRENCH_MAP
    )
    assert french.ok
    made = WebStore(path)
    for who, (email, workspace, role) in USERS.items():
        add_workspace(store, workspace)
        add_user(store, email, PASSWORD, workspace, role)
        made.tokens[who] = create_token(store, email)
    brands.close()
    return made
