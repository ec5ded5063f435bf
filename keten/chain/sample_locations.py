"""The sample chain's location register: tens of real places where COA, Nidos and DJI house or
hold people, which registered location each sample placement is at, and capacities sized to the
sample so that the country is about 90-100 % full, some locations full and some with room.

The locations are real towns with an azc, an emergency or crisis location, a small-scale unit
for minors, a family location, an application centre, the closed family facility, a detention
centre or the border location at Schiphol (municipality and province as they lie); their sizes
are not the real ones, because the sample's size varies from a few hundred persons (the demo)
to a million (the benchmark). A placement's site is chosen from the placement's kind, the
sample's location name and the household's key, without drawing from the generator's random
stream (tests depend on its figures), so the same household always lands at the same site.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class SampleLocation:
    code: str
    name: str
    kind: str  # keten.chain.locations.LOCATION_KINDS
    operator: str  # organisation code in policy.yaml
    municipality: str
    province: str
    opened_year: int


@dataclass(frozen=True)
class SampleCapacity:
    code: str
    change: str  # opening | expansion
    valid_from: date
    places: int
    reserve: int
    note: str


def _loc(
    code: str, name: str, kind: str, municipality: str, province: str, year: int, operator: str
) -> SampleLocation:
    return SampleLocation(code, name, kind, operator, municipality, province, year)


def _azc(code: str, town: str, municipality: str, province: str, year: int) -> SampleLocation:
    return _loc(f"azc-{code}", f"azc {town}", "regular", municipality, province, year, "COA")


# The sample's location names (``keten.chain.sample.COA_LOCATIONS``) stand for a region: a
# household "in azc Zwolle" is housed at one of these azc's.
REGULAR: dict[str, tuple[SampleLocation, ...]] = {
    "azc Ter Apel": (
        _azc("ter-apel", "Ter Apel", "westerwolde", "groningen", 1996),
        _azc("musselkanaal", "Musselkanaal", "stadskanaal", "groningen", 2016),
        _azc("veendam", "Veendam", "veendam", "groningen", 2015),
        _azc("winschoten", "Winschoten", "oldambt", "groningen", 2011),
        _azc("assen", "Assen", "assen", "drenthe", 2014),
        _azc("emmen", "Emmen", "emmen", "drenthe", 2010),
    ),
    "azc Budel": (
        _azc("budel", "Budel-Cranendonck", "cranendonck", "noord-brabant", 2000),
        _azc("weert", "Weert", "weert", "limburg", 2016),
        _azc("venlo", "Venlo", "venlo", "limburg", 2016),
        _azc("maastricht", "Maastricht", "maastricht", "limburg", 2013),
    ),
    "azc Gilze": (
        _azc("gilze", "Gilze", "gilze-en-rijen", "noord-brabant", 2001),
        _azc("oisterwijk", "Oisterwijk", "oisterwijk", "noord-brabant", 1998),
        _azc("grave", "Grave", "land-van-cuijk", "noord-brabant", 2014),
        _azc("overloon", "Overloon", "land-van-cuijk", "noord-brabant", 2000),
        _azc("middelburg", "Middelburg", "middelburg", "zeeland", 2016),
    ),
    "azc Zwolle": (
        _azc("zwolle", "Zwolle", "zwolle", "overijssel", 2016),
        _azc("almelo", "Almelo", "almelo", "overijssel", 2001),
        _azc("leeuwarden", "Leeuwarden", "leeuwarden", "friesland", 2015),
        _azc("burgum", "Burgum", "tytsjerksteradiel", "friesland", 1998),
        _azc("apeldoorn", "Apeldoorn", "apeldoorn", "gelderland", 2015),
        _azc("arnhem", "Arnhem", "arnhem", "gelderland", 2016),
        _azc("nijmegen", "Nijmegen", "nijmegen", "gelderland", 2017),
    ),
    "azc Almere": (
        _azc("almere", "Almere", "almere", "flevoland", 2017),
        _azc("dronten", "Dronten", "dronten", "flevoland", 2000),
        _azc("amersfoort", "Amersfoort", "amersfoort", "utrecht", 2016),
        _azc("utrecht", "Utrecht", "utrecht", "utrecht", 2015),
        _azc("rijswijk", "Rijswijk", "rijswijk", "zuid-holland", 2007),
        _azc("dordrecht", "Dordrecht", "dordrecht", "zuid-holland", 2016),
    ),
    "azc Den Helder": (
        _azc("den-helder", "Den Helder", "den-helder", "noord-holland", 2015),
        _azc("heerhugowaard", "Heerhugowaard", "dijk-en-waard", "noord-holland", 2016),
        _azc("amsterdam", "Amsterdam", "amsterdam", "noord-holland", 2016),
        _azc("hoofddorp", "Hoofddorp", "haarlemmermeer", "noord-holland", 2018),
    ),
    # Seed 001 4.1: "noodopvanglocaties (bijvoorbeeld in evenementenhallen)"; seed 002: "Bijna
    # de helft van de bewoners verblijft in hallen, hotels, schepen en paviljoens".
    "noodopvang Amsterdam": (
        _loc(
            "nood-amsterdam-schip",
            "noodopvang passagiersschip Amsterdam",
            "emergency",
            "amsterdam",
            "noord-holland",
            2022,
            "COA",
        ),
        _loc(
            "nood-velsen-schip",
            "noodopvang cruiseschip Velsen",
            "emergency",
            "velsen",
            "noord-holland",
            2022,
            "COA",
        ),
        _loc(
            "nood-zoetermeer-hotel",
            "noodopvang hotel Zoetermeer",
            "emergency",
            "zoetermeer",
            "zuid-holland",
            2022,
            "COA",
        ),
    ),
    "noodopvang Utrecht": (
        _loc(
            "nood-jaarbeurs",
            "noodopvang Jaarbeurs Utrecht",
            "emergency",
            "utrecht",
            "utrecht",
            2022,
            "COA",
        ),
        _loc(
            "nood-venray-hal",
            "noodopvang evenementenhal Venray",
            "emergency",
            "venray",
            "limburg",
            2022,
            "COA",
        ),
        _loc(
            "nood-hardenberg-hal",
            "noodopvang evenementenhal Hardenberg",
            "emergency",
            "hardenberg",
            "overijssel",
            2022,
            "COA",
        ),
        _loc(
            "nood-doetinchem-paviljoen",
            "noodopvang paviljoen Doetinchem",
            "emergency",
            "doetinchem",
            "gelderland",
            2023,
            "COA",
        ),
    ),
}

# Seed 001 4.1: "crisisnoodopvang ... (max. 7 dagen opvang in bijv. lokale sporthallen)".
CRISIS = (
    _loc(
        "crisis-ter-apel",
        "crisisnoodopvang sporthal Ter Apel",
        "crisis",
        "westerwolde",
        "groningen",
        2022,
        "COA",
    ),
    _loc(
        "crisis-zoutkamp",
        "crisisnoodopvang sporthal Zoutkamp",
        "crisis",
        "het-hogeland",
        "groningen",
        2022,
        "COA",
    ),
)
# Seed 001 4.2: track 2 "opgevangen in Ter Apel en Budel".
SOBER = {
    "azc Ter Apel": _loc(
        "sober-ter-apel",
        "versoberde opvang Ter Apel",
        "sober",
        "westerwolde",
        "groningen",
        2016,
        "COA",
    ),
    "azc Budel": _loc(
        "sober-budel",
        "versoberde opvang Budel-Cranendonck",
        "sober",
        "cranendonck",
        "noord-brabant",
        2016,
        "COA",
    ),
}
APPLICATION_CENTRES = {
    "azc Ter Apel": _loc(
        "ac-ter-apel",
        "aanmeldcentrum Ter Apel",
        "application_centre",
        "westerwolde",
        "groningen",
        1996,
        "COA",
    ),
    "azc Budel": _loc(
        "ac-budel",
        "aanmeldcentrum Budel",
        "application_centre",
        "cranendonck",
        "noord-brabant",
        2022,
        "COA",
    ),
}
AMV_COA = (
    _loc(
        "amv-groningen",
        "kleinschalige woonvoorziening amv Groningen",
        "amv_small_scale",
        "groningen",
        "groningen",
        2017,
        "COA",
    ),
    _loc(
        "amv-eindhoven",
        "kleinschalige woonvoorziening amv Eindhoven",
        "amv_small_scale",
        "eindhoven",
        "noord-brabant",
        2018,
        "COA",
    ),
    _loc(
        "amv-rotterdam",
        "kleinschalige woonvoorziening amv Rotterdam",
        "amv_small_scale",
        "rotterdam",
        "zuid-holland",
        2019,
        "COA",
    ),
    _loc(
        "amv-amersfoort",
        "kleinschalige woonvoorziening amv Amersfoort",
        "amv_small_scale",
        "amersfoort",
        "utrecht",
        2016,
        "COA",
    ),
)
# Seed 001: amv "worden opgevangen (Nidos opvanggezinnen of kleinschalige woonvoorzieningen)".
AMV_NIDOS = (
    _loc(
        "nidos-utrecht",
        "Nidos kleinschalige woonvoorziening Utrecht",
        "amv_small_scale",
        "utrecht",
        "utrecht",
        2017,
        "Nidos",
    ),
    _loc(
        "nidos-tilburg",
        "Nidos kleinschalige woonvoorziening Tilburg",
        "amv_small_scale",
        "tilburg",
        "noord-brabant",
        2018,
        "Nidos",
    ),
)
FAMILY = (
    _loc(
        "gezinslocatie-katwijk",
        "gezinslocatie Katwijk",
        "family_location",
        "katwijk",
        "zuid-holland",
        2011,
        "COA",
    ),
    _loc(
        "gezinslocatie-amersfoort",
        "gezinslocatie Amersfoort",
        "family_location",
        "amersfoort",
        "utrecht",
        2012,
        "COA",
    ),
)
# Seed 004 (Vc A5/2.4): "in de Gesloten Gezinsvoorziening in Zeist".
GGV = (
    _loc(
        "ggv-zeist",
        "Gesloten Gezinsvoorziening Zeist",
        "ggv",
        "zeist",
        "utrecht",
        2014,
        "DJI",
    ),
)
DETENTION = (
    _loc(
        "dc-rotterdam",
        "DC Rotterdam",
        "detention_centre",
        "rotterdam",
        "zuid-holland",
        2010,
        "DJI",
    ),
    _loc(
        "dc-zeist",
        "DC Zeist",
        "detention_centre",
        "zeist",
        "utrecht",
        2013,
        "DJI",
    ),
)

# Seed 004 (Vc A5/2.4): "Aanmeldcentrum Schiphol (gevestigd in het Justitieel Complex
# Schiphol)", where the border procedure is held (seed 002: "Op Schiphol zijn voor de asielgrens-
# en terugkeergrensprocedure altijd voldoende bedden"). Registered so that the border capacity
# shows its places; the sample places nobody there, so its size is the nominal one.
BORDER = (
    _loc(
        "grenslocatie-schiphol",
        "Grenslocatie AC Schiphol (Justitieel Complex Schiphol)",
        "border",
        "haarlemmermeer",
        "noord-holland",
        2012,
        "DJI",
    ),
)

SAMPLE_LOCATIONS: tuple[SampleLocation, ...] = (
    *(loc for group in REGULAR.values() for loc in group),
    *CRISIS,
    *SOBER.values(),
    *APPLICATION_CENTRES.values(),
    *AMV_COA,
    *AMV_NIDOS,
    *FAMILY,
    *GGV,
    *DETENTION,
    *BORDER,
)
BY_CODE = {loc.code: loc for loc in SAMPLE_LOCATIONS}

# Track 2 (seed 001 4.2: "personen uit veilige landen van herkomst"): of the sample's
# nationalities, Morocco, Algeria and Georgia are on the Dutch list of safe countries of origin
# (Georgia: data/countries/dutch_names.csv cites the court; the other two are recalled, not
# sourced here, and only decide which sample households go to a sober location).
SAFE_COUNTRIES = frozenset({"MAR", "DZA", "GEO"})
# Arrivals in their first four weeks stay at the application centre of Ter Apel or Budel
# (an illustrative length of the registration and rest-and-preparation period, not sourced).
APPLICATION_DAYS = 28


def _spread(key: int, n: int) -> int:
    """A household's index among ``n`` sites: Knuth's multiplicative hash, so that consecutive
    keys spread over the sites instead of cycling through them in order."""
    return ((key * 2654435761) % 2**32) % n


def site_for(
    kind: str, location: str, key: int, nationality: str, start: date, on: date
) -> SampleLocation | None:
    """The registered location of a sample placement of ``kind`` at the sample's ``location``
    name, for the household with key ``key``; None for kinds kept as free text (a municipal
    home, a foster family)."""
    if kind == "coa_crisis":
        return CRISIS[_spread(key, len(CRISIS))]
    if kind == "detention_centre":
        return DETENTION[_spread(key, len(DETENTION))]
    if kind == "ggv":
        return GGV[0]
    if kind == "coa_minors":
        return AMV_COA[_spread(key, len(AMV_COA))]
    if kind not in ("coa_regular", "coa_emergency") or location not in REGULAR:
        return None
    if location in APPLICATION_CENTRES and (on - start).days < APPLICATION_DAYS:
        return APPLICATION_CENTRES[location]
    if location in SOBER and nationality in SAFE_COUNTRIES:
        return SOBER[location]
    group = REGULAR[location]
    return group[_spread(key, len(group))]


def opened(loc: SampleLocation, on: date) -> date:
    """The day the location opened: 1 January of its year, but early enough that every sample
    placement (arrivals go back at most 1,100 days) starts after it."""
    return min(date(loc.opened_year, 1, 1), on - timedelta(days=1200))


# Utilisation of the non-reserve places each location is sized to, in turn: some exactly full
# (so the capacity check refuses the next placement there), the rest with some room; the mean
# puts the country at about 90-100 % of its places (tests/chain/test_sample_locations.py).
UTILISATION = (1.0, 0.95, 0.9, 1.0, 0.85, 0.97, 0.92, 1.0, 0.88)
# Locations the sample fills with nobody (the family locations, the closed family facility) or
# hardly anybody at a small size get a nominal size in proportion to the country's occupancy.
NOMINAL_SHARE = 0.002


def capacities(occupied: Mapping[str, int], on: date) -> list[SampleCapacity]:
    """The capacity rows of every sample location given how many persons stay at each on
    ``on`` (location code -> persons): an opening, and for every fourth location a recent
    expansion; every third holds a reserve of 5 % of its places."""
    total = sum(occupied.values())
    nominal = max(2, math.ceil(total * NOMINAL_SHARE))
    rows: list[SampleCapacity] = []
    for i, loc in enumerate(SAMPLE_LOCATIONS):
        staying = occupied.get(loc.code, 0)
        usable = max(math.ceil(staying / UTILISATION[i % len(UTILISATION)]), staying, nominal)
        reserve = math.ceil(usable * 0.05) if i % 3 == 2 else 0
        places = usable + reserve
        start = opened(loc, on)
        if i % 4 == 3 and places >= 10:
            first = math.floor(places * 0.8)
            rows.append(SampleCapacity(loc.code, "opening", start, first, reserve, "opening"))
            rows.append(
                SampleCapacity(
                    loc.code,
                    "expansion",
                    on - timedelta(days=120),
                    places,
                    reserve,
                    "uitbreiding na oproep Landelijke Regietafel",
                )
            )
        else:
            rows.append(SampleCapacity(loc.code, "opening", start, places, reserve, "opening"))
    return rows


def staying_on(start: date, end: date | None, on: date) -> bool:
    """Whether a sample placement holds its place on ``on``: the counting rule of
    ``keten.server.services.occupancy_count`` (started by ``on``, no end or an end after it),
    for the loaders, which size the capacities before the server can count."""
    return start <= on and (end is None or end > on)
