"""Countries and nationality codes: the dossier's ICAO alpha-3, the rules' ISO alpha-2.

The dossier records a nationality as ICAO Doc 9303 writes it in a travel document: the ISO 3166-1
alpha-3 code of a country, or ``XXA`` for a stateless person and ``XXX`` for an unspecified
nationality. The rules of ``keten.rules`` test a nationality against country groups in ISO
3166-1 alpha-2 (``countries.yaml``). Both come from one table, ``data/countries/iso_3166_1.csv``
(Debian's iso-codes; see ``data/README.md``), so a code the table does not know is refused at
registration instead of being carried through the chain as an unreadable string.

ISO 3166-1 has no code for Kosovo, a nationality the chain meets, so the table also holds it
under the user-assigned pair the EU uses, ``XKX``/``XK`` (``data/countries/additional_codes.csv``
says why those and not RKS, the code in the MRZ of Kosovo passports): Kosovo is a country
like any other here, with an alpha-2 code the rules can name.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from keten._data import data_path

STATELESS = "XXA"
UNKNOWN_NATIONALITY = "XXX"


@dataclass(frozen=True)
class Country:
    alpha_3: str
    alpha_2: str | None  # None for the ICAO codes that name no country
    name_nl: str
    name_en: str

    def name(self, lang: str = "nl") -> str:
        return self.name_nl if lang == "nl" else self.name_en


# ICAO Doc 9303 part 3: codes for a holder without a (known) nationality. They are not ISO
# 3166-1 countries and have no alpha-2 code, so no rule's country group can contain them.
_ICAO_SPECIAL = (
    Country(STATELESS, None, "staatloos", "stateless"),
    Country(UNKNOWN_NATIONALITY, None, "onbekend", "unknown"),
)


@cache
def _table() -> dict[str, Country]:
    table = {c.alpha_3: c for c in _ICAO_SPECIAL}
    with data_path("countries", "iso_3166_1.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            table[row["alpha_3"]] = Country(
                row["alpha_3"], row["alpha_2"], row["name_nl"], row["name_en"]
            )
    return table


def country(alpha_3: str) -> Country | None:
    """The country (or ICAO special code) of an alpha-3 code; None when the table lacks it."""
    return _table().get(alpha_3)


def alpha_2(alpha_3: str) -> str | None:
    """The ISO alpha-2 code the rules use; None for stateless, unknown or an unlisted code."""
    found = _table().get(alpha_3)
    return found.alpha_2 if found else None


@cache
def all_countries(lang: str = "nl") -> tuple[Country, ...]:
    """Every code a nationality may take: the special codes, then countries by name in ``lang``."""
    countries = sorted(
        (c for c in _table().values() if c.alpha_2 is not None),
        key=lambda c: c.name(lang).casefold(),
    )
    return (*_ICAO_SPECIAL, *countries)
