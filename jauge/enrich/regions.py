"""Where the talk about organisations comes from: mentions per country (or region), with
each organisation's share of voice and net sentiment there.

A mention counts as in ``jauge voice`` (see :mod:`.voice`). Its place is where the post
was sent from, when the platform gave coordinates, else where its author's profile says
they are (:mod:`.places`); a mention whose place cannot be told is counted as such, never
guessed. Places are read at query time from what the store holds, so every figure can be
recomputed from the imports and the gazetteer's version (:data:`.places.GAZETTEER`).
"""

from __future__ import annotations

import gettext
import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import cache
from typing import Any

from ..errors import ConfigError
from ..i18n import _
from ..store.duckdb_store import Store
from .places import GAZETTEER, Place, french, place_at, place_of, subdivision_names
from .voice import _TALK_AND_LABELS, OrgVoice, _window, org_ids, org_voice

#: how places are grouped: countries, or countries by their regions where jauge knows them
#: (US states, French and Belgian regions, Canadian provinces, Swiss cantons, UK nations:
#: see :mod:`.places`)
GROUPINGS = ("country", "region")


@dataclass
class Region:
    code: str  # "BE", or "US-TX", "FR-IDF" when grouped by region
    country: str  # ISO 3166 alpha-2
    subdivision: str | None  # "TX", "IDF" (the ISO 3166-2 code's end), by region
    name: str  # in English; the CLI and the dashboard show it in the reader's language
    mentions: int
    orgs: list[OrgVoice] = field(default_factory=list)  # each organisation there


@dataclass
class Regions:
    start: date
    end: date
    by: str
    mentions: int  # every mention of the organisations in the window
    located: int  # those whose place could be told
    regions: list[Region] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "by": self.by,
            "gazetteer": GAZETTEER,
            "mentions": self.mentions,
            "located": self.located,
            "regions": [asdict(r) for r in self.regions],
        }

    def __repr__(self) -> str:
        return (
            f"<Regions by {self.by}, {self.start} to {self.end}: {len(self.regions)} places, "
            f"{self.located:,} of {self.mentions:,} mentions located>"
        )

    def _repr_html_(self) -> str:  # what Jupyter shows: `jauge regions`'s table, whole
        from ..i18n import language, number, percent, signed_number
        from ..metrics.notebook import plain_table, shown

        orgs = [o.org for o in self.regions[0].orgs] if self.regions else []
        headers = [
            _("region"),
            _("mentions"),
            *(_("{org}: share, net sentiment", org=org) for org in orgs),
        ]
        lang = language()
        rows = [
            (
                place_name(Place(r.country, r.subdivision), lang),
                number(r.mentions, ","),
                *(
                    f"{percent(o.share_of_voice, '.0f')}  {signed_number(o.net_sentiment, '+.1f')}"
                    for o in r.orgs
                ),
            )
            for r in self.regions
        ]
        located = _(
            "{located} of {mentions} mentions have a place (their coordinates, or their "
            "author's profile location)",
            located=number(self.located, ","),
            mentions=number(self.mentions, ","),
        )
        title = _("Where the mentions come from, {start} to {end}", start=self.start, end=self.end)
        return shown(title, plain_table(headers, rows), notes=[located])


def regions(
    store: Store,
    workspace: str,
    orgs: list[str],
    start: date | None = None,
    end: date | None = None,
    by: str = "country",
) -> Regions:
    """Mentions of the organisations per place over a window (default: the 90 days up to the
    latest item about any of them), most mentions first."""
    if by not in GROUPINGS:
        raise ConfigError(_("by: choose country or region, not {value}", value=repr(by)))
    ids = org_ids(store, workspace, orgs)
    marks = ", ".join("?" for _ in ids)
    start, end, window = _window(store, list(ids.values()), start, end)
    rows = store.con.execute(
        f"""
        {_TALK_AND_LABELS.format(marks=marks)}
        SELECT t.org_id, p.location, json_extract_string(c.extra, '$.coordinates') AS point,
               l.label, count(*) AS n
        FROM talk t JOIN content_items c USING (item_id)
        LEFT JOIN persons p ON p.person_id = c.author_person_id
        LEFT JOIN labels l USING (item_id)
        GROUP BY ALL
        """,
        [workspace, *ids.values(), *window, workspace, *ids.values(), *window],
    ).fetchall()
    # per place, per organisation: mentions, labelled, positive, negative
    counts: dict[Place, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0] * 4))
    total = located = 0
    for org_id, location, point, label, n in rows:
        total += n
        place = _place(location, point)
        if place is None:
            continue
        located += n
        if by == "country":
            place = Place(place.country)
        tally = counts[place][org_id]
        tally[0] += n
        if label is not None:
            tally[1] += n
            tally[2] += n if label == "positive" else 0
            tally[3] += n if label == "negative" else 0
    result = Regions(start, end, by, total, located)
    for place, by_org in counts.items():
        heard = sum(t[0] for t in by_org.values())
        region = Region(place.code, place.country, place.subdivision, place_name(place), heard)
        for org, org_id in ids.items():
            region.orgs.append(org_voice(org, *by_org.get(org_id, [0, 0, 0, 0]), total=heard))
        result.regions.append(region)
    result.regions.sort(key=lambda r: (-r.mentions, r.code))
    return result


def _place(location: str | None, point: str | None) -> Place | None:
    """Where a mention was made: its coordinates' place, else its author's location's."""
    if point:
        try:
            latitude, longitude = (float(v) for v in json.loads(point))
        except (ValueError, TypeError):
            pass  # coordinates written otherwise: the author's location tells
        else:
            if found := place_at(latitude, longitude):
                return found
    return _place_of(location) if location else None


@cache
def _place_of(location: str) -> Place | None:
    return place_of(location)


@cache
def place_name(place: Place, lang: str = "en") -> str:
    """A place's name: its region and country, or the country, in ``lang`` (en or fr)."""
    import pycountry

    country = pycountry.countries.get(alpha_2=place.country)
    name = getattr(country, "common_name", None) or (country.name if country else place.country)
    if lang == "fr" and country is not None:
        name = french("iso3166-1").gettext(country.name)
    if place.subdivision:
        # pycountry types its countries' lookup, not its subdivisions'
        code = f"{place.country}-{place.subdivision}"
        found = pycountry.subdivisions.get(code=code)  # type: ignore[no-untyped-call]
        region = region_name(code, found.name, lang) if found else place.subdivision
        return f"{region}, {name}"
    return str(name)


#: region names pycountry misspells in a language (its French "Turinge"), or gives in a
#: form people do not write ("Vlaams Gewest" in English, two names where people use one:
#: "Catalunya [Cataluña]"), by ISO 3166-2 code
REGION_NAMES = {
    "en": {
        "BE-BRU": "Brussels-Capital Region", "BE-VLG": "Flanders", "BE-WAL": "Wallonia",
        "CH-FR": "Fribourg", "ES-CT": "Catalonia", "ES-IB": "Balearic Islands",
        "FR-NAQ": "Nouvelle-Aquitaine",
    },
    "fr": {
        "BE-VLG": "Flandre", "BE-WAL": "Wallonie", "BR-SP": "São Paulo",
        "CA-NB": "Nouveau-Brunswick", "CA-PE": "Île-du-Prince-Édouard", "CH-BE": "Berne",
        "DE-NW": "Rhénanie-du-Nord-Westphalie", "DE-TH": "Thuringe",
        "ES-CL": "Castille-et-León", "ES-CT": "Catalogne", "ES-EX": "Estrémadure",
        "ES-GA": "Galice", "ES-IB": "Îles Baléares", "ES-MC": "Région de Murcie",
        "ES-NC": "Navarre", "ES-PV": "Pays basque", "ES-VC": "Communauté valencienne",
        "GB-ENG": "Angleterre", "GB-NIR": "Irlande du Nord", "GB-SCT": "Écosse",
        "GB-WLS": "Pays de Galles", "IT-32": "Trentin-Haut-Adige",
        "MX-BCN": "Basse-Californie", "MX-BCS": "Basse-Californie-du-Sud",
        "MX-COA": "Coahuila", "NL-LI": "Limbourg",
    },
}  # fmt: skip


def region_name(code: str, name: str, lang: str = "en") -> str:
    """A region's name as people write it in ``lang`` (en or fr), from pycountry's
    ``name`` of the ISO 3166-2 ``code``: its name in the language where pycountry has one
    ("Bayern" is Bavaria, Bavière), the first of two names ("Wales [Cymru GB-CYM]"), an
    inverted one put right ("Madrid, Comunidad de": Comunidad de Madrid), and
    :data:`REGION_NAMES` where pycountry is wrong."""
    corrected = REGION_NAMES.get(lang, {}).get(code)
    if corrected is not None:
        return corrected
    said = _subdivisions(lang).gettext(name)
    written = subdivision_names(said)[0]
    # put right, an inverted name may begin with its lower-case word ("principauté des")
    return written[:1].upper() + written[1:]


@cache
def _subdivisions(lang: str) -> gettext.NullTranslations:
    """pycountry's names of subdivisions in ``lang``: its English ones too (Bavaria)."""
    import pycountry

    if lang == "fr":
        return french("iso3166-2")
    return gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[lang], fallback=True)


def shown_regions(data: dict[str, Any], lang: str, limit: int) -> list[dict[str, Any]]:
    """The first ``limit`` regions of one organisation's :meth:`Regions.to_dict`, each with
    its name in ``lang`` and the organisation's figures there, as pages and reports show
    them."""
    return [
        {**r, "name": place_name(Place(r["country"], r["subdivision"]), lang), **r["orgs"][0]}
        for r in data["regions"][:limit]
    ]
