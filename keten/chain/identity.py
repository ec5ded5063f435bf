"""Who a person is in the chain: V-number, a birth date that may be partly unknown, nationality.

The BRP convention for a partly unknown birth date is kept: ``00`` for an unknown month or day
("1990-00-00" is "some day in 1990"). Nationality uses ICAO Doc 9303 codes, which include codes
for the stateless (``XXA``) and for an unspecified nationality (``XXX``), because the chain meets
both daily and neither is an ISO 3166 country; the codes are those of ``keten.chain.countries``.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from keten.chain.countries import STATELESS, UNKNOWN_NATIONALITY, country

# The nationalities the chain meets most (the synthetic chain draws from them and the register
# form lists them first), named as adjectives; any other code is named by its country.
NATIONALITY_NAMES: dict[str, tuple[str, str]] = {
    "SYR": ("Syrisch", "Syrian"),
    "AFG": ("Afghaans", "Afghan"),
    "ERI": ("Eritrees", "Eritrean"),
    "TUR": ("Turks", "Turkish"),
    "IRQ": ("Iraaks", "Iraqi"),
    "YEM": ("Jemenitisch", "Yemeni"),
    "SOM": ("Somalisch", "Somali"),
    "IRN": ("Iraans", "Iranian"),
    "MAR": ("Marokkaans", "Moroccan"),
    "DZA": ("Algerijns", "Algerian"),
    "NGA": ("Nigeriaans", "Nigerian"),
    "GEO": ("Georgisch", "Georgian"),
    "IND": ("Indiaas", "Indian"),
    "CHN": ("Chinees", "Chinese"),
    "USA": ("Amerikaans", "American"),
    "GBR": ("Brits", "British"),
    "POL": ("Pools", "Polish"),
    "ROU": ("Roemeens", "Romanian"),
    STATELESS: ("staatloos", "stateless"),
    UNKNOWN_NATIONALITY: ("onbekend", "unknown"),
}

# EU/EEA/Swiss nationals hold a 'verblijfsdocument gemeenschapsonderdaan', not a permit.
EU_EEA_CH = frozenset(
    {
        *("AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC"),
        *("HUN", "IRL", "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK"),
        *("SVN", "ESP", "SWE", "ISL", "LIE", "NOR", "CHE"),
    }
)

_NATIONALITY = re.compile(r"^[A-Z]{3}$")
_V_NUMBER = re.compile(r"^\d{10}$")
_PARTIAL = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


class IdentityError(ValueError):
    """Bad identity input: ``field`` names what was wrong, ``rule`` the rule it breaks."""

    def __init__(self, field: str, rule: str, rule_nl: str | None = None) -> None:
        super().__init__(f"{field}: {rule}")
        self.field = field
        self.rule = rule
        self.rule_nl = rule_nl  # the rule in Dutch, as a person at the chain reads it


def check_v_number(value: str) -> str:
    """The vreemdelingennummer: ten digits (the BVV's key for a foreign national)."""
    if not _V_NUMBER.match(value):
        raise IdentityError(
            "v_number",
            f"{value!r} is not a V-number: expected ten digits",
            f"{value!r} is geen V-nummer: verwacht tien cijfers",
        )
    return value


# Codes printed in travel documents' machine-readable zone that are not the code Keten keeps for
# the nationality: an officer copying the passport gets told which code to use.
_DOCUMENT_CODES = {
    "D": ("DEU", "D is the code German documents print (ICAO Doc 9303)"),
    "RKS": ("XKX", "RKS is the code Kosovo passports print; it is not ISO 3166"),
}
_DOCUMENT_CODES_NL = {
    "D": "D is de code in Duitse documenten (ICAO Doc 9303)",
    "RKS": "RKS is de code in Kosovaarse paspoorten; die is geen ISO 3166",
}


def check_nationality(value: str) -> str:
    value = value.strip().upper()
    if value in _DOCUMENT_CODES:
        code, why = _DOCUMENT_CODES[value]
        raise IdentityError(
            "nationality",
            f"{why}: register the nationality as {code}",
            f"{_DOCUMENT_CODES_NL[value]}: registreer de nationaliteit als {code}",
        )
    if not _NATIONALITY.match(value):
        raise IdentityError(
            "nationality",
            f"{value!r} is not an ICAO/ISO alpha-3 code (use {STATELESS} for stateless, "
            f"{UNKNOWN_NATIONALITY} for unknown)",
            f"{value!r} is geen ICAO/ISO-code van drie letters (gebruik {STATELESS} voor "
            f"staatloos, {UNKNOWN_NATIONALITY} voor onbekend)",
        )
    if country(value) is None:
        raise IdentityError(
            "nationality",
            f"{value!r} is not an ISO 3166-1 country (use {STATELESS} for stateless, "
            f"{UNKNOWN_NATIONALITY} for unknown)",
            f"{value!r} is geen land volgens ISO 3166-1 (gebruik {STATELESS} voor staatloos, "
            f"{UNKNOWN_NATIONALITY} voor onbekend)",
        )
    return value


def nationality_name(code: str, lang: str = "nl") -> str:
    names = NATIONALITY_NAMES.get(code)
    if names is not None:
        return names[0] if lang == "nl" else names[1]
    found = country(code)
    return found.name(lang) if found else code


@dataclass(frozen=True, order=True)
class PartialDate:
    """A birth date whose month and/or day may be unknown (0)."""

    year: int
    month: int = 0
    day: int = 0

    @classmethod
    def parse(cls, value: str, field: str = "birth_date") -> PartialDate:
        match = _PARTIAL.match(value.strip())
        if not match:
            raise IdentityError(
                field,
                f"{value!r}: expected YYYY-MM-DD, with 00 for an unknown month or day",
                f"{value!r}: verwacht JJJJ-MM-DD, met 00 voor een onbekende maand of dag",
            )
        year, month, day = (int(g) for g in match.groups())
        if not 1880 <= year <= 2100:
            raise IdentityError(
                field,
                f"{value!r}: year {year} is out of range 1880-2100",
                f"{value!r}: jaar {year} ligt buiten 1880-2100",
            )
        if not 0 <= month <= 12:
            raise IdentityError(
                field,
                f"{value!r}: month {month} is not 00-12",
                f"{value!r}: maand {month} ligt niet tussen 00 en 12",
            )
        if month == 0 and day != 0:
            raise IdentityError(
                field,
                f"{value!r}: a day without a month is not a date",
                f"{value!r}: een dag zonder maand is geen datum",
            )
        if day and day > calendar.monthrange(year, month)[1]:
            raise IdentityError(
                field,
                f"{value!r}: {year}-{month:02d} has no day {day}",
                f"{value!r}: {year}-{month:02d} heeft geen dag {day}",
            )
        return cls(year, month, day)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    @property
    def complete(self) -> bool:
        return self.month != 0 and self.day != 0

    def earliest(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> date:
        month = self.month or 12
        return date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    def display(self, lang: str = "nl") -> str:
        unknown = "onbekend" if lang == "nl" else "unknown"
        if self.complete:
            return f"{self.day:02d}-{self.month:02d}-{self.year}"
        if self.month:
            return f"??-{self.month:02d}-{self.year} ({'dag' if lang == 'nl' else 'day'} {unknown})"
        return (
            f"??-??-{self.year} ({'dag en maand' if lang == 'nl' else 'day and month'} {unknown})"
        )


def eighteenth_birthday(birth: PartialDate) -> date:
    """The latest day the person can turn 18: with an unknown day or month the benefit of the
    doubt goes to minority (an age assessment, Vc C1/2.1, settles it and is entered as a
    corrected birth date)."""
    latest = birth.latest()
    try:
        return latest.replace(year=latest.year + 18)
    except ValueError:  # 29 February
        return date(latest.year + 18, 3, 1)


def is_minor(birth: PartialDate, on: date) -> bool:
    return on < eighteenth_birthday(birth)


def bsn_check_digit_ok(bsn: str) -> bool:
    """The elfproef on a 9-digit BSN (the server checks with python-stdnum; the generator uses
    this to make valid numbers without that dependency)."""
    if len(bsn) != 9 or not bsn.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(bsn[:8], range(9, 1, -1), strict=True)) - int(bsn[8])
    return total % 11 == 0 and bsn != "000000000"
