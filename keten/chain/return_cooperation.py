"""Return cooperation per country: a dated register with its source.

The register is ``data/return/cooperation.csv``.

Seed 001 (par. 5, "Samenwerking landen van herkomst") says how some countries of origin cooperate
on return: after April 2021 no prospect of removal for Moroccans, after September 2021 for
Algerians, EU visa measures taken against Gambia and under consideration for Iraq and Bangladesh,
and "Een groot gedeelte van de landen van herkomst werkt gewoon en goed mee aan de
identiteitsvaststelling" (which names no country, so it is ``GENERAL`` here, not a row). The
register holds only what a source says; a country or aspect without an entry on a day is
*unknown*, never "cooperates".

Each entry is one country, one aspect (identification, laissez-passers, forced return, EU visa
measures) and one status from a day (until the day before the next entry for that country and
aspect, or its own ``valid_to``). ``version()`` names the register as read (its file's SHA-256),
so an explanation can say which version of the register it used.

The return-stoplights rule (``keten.rules.return_stoplights``) reads the forced-return entries as
the dated list parameter ``return.cooperation.no_prospect_of_removal`` (``as_parameter``).
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache
from itertools import pairwise

from keten._data import data_path
from keten.chain.countries import country
from keten.chain.kinds import Kind, _index

REGISTER = ("return", "cooperation.csv")
SEED_001 = "001_7423ba70eed50d30.txt"

ASPECTS = _index(
    Kind("identification", "Identiteitsvaststelling", "Establishing identity", SEED_001),
    Kind("laissez_passer", "Afgifte laissez-passer", "Issuing laissez-passers", SEED_001),
    Kind("forced_return", "Gedwongen terugkeer", "Forced return", SEED_001),
    Kind(
        "eu_visa_measure", "EU-visummaatregel (art. 25bis Visumcode)", "EU visa measure", SEED_001
    ),
)

STATUSES = _index(
    Kind("cooperates", "werkt mee", "cooperates"),
    Kind(
        "no_prospect_of_removal",
        "geen zicht op uitzetting",
        "no prospect of removal",
        SEED_001,
    ),
    Kind("measure_taken", "maatregel getroffen", "measure taken", SEED_001),
    Kind("under_consideration", "besluitvorming nog gaande", "under consideration", SEED_001),
)

# What seed 001 says of all countries at once: shown with the register, not a row of it.
GENERAL = (
    "Een groot gedeelte van de landen van herkomst werkt gewoon en goed mee aan de "
    "identiteitsvaststelling.",
    SEED_001,
)


class RegisterError(ValueError):
    """A row of the register that cannot be read: names the row and the column."""


@dataclass(frozen=True)
class Entry:
    country: str  # ICAO/ISO alpha-3, as the dossier records a nationality
    aspect: str
    status: str
    valid_from: date
    valid_to: date | None  # inclusive; None: until a later entry
    source: str
    quote: str
    verified: bool
    note: str
    row: int  # the line in the CSV, so an explanation can point at it
    note_nl: str = ""  # the note in Dutch (column note_nl); the English stands in without one

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    @property
    def ref(self) -> str:
        """How an explanation names this entry: file and line."""
        return f"data/return/cooperation.csv:{self.row}"

    def to_json(self) -> dict[str, object]:
        named = country(self.country)
        return {
            "country": self.country,
            "country_name": named.name_nl if named else self.country,
            "country_name_en": named.name_en if named else self.country,
            "aspect": self.aspect,
            "aspect_text": ASPECTS[self.aspect].nl,
            "aspect_text_en": ASPECTS[self.aspect].en,
            "status": self.status,
            "status_text": STATUSES[self.status].nl,
            "status_text_en": STATUSES[self.status].en,
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            "source": self.source,
            "quote": self.quote,
            "verified": self.verified,
            "note": self.note,
            "note_nl": self.note_nl or self.note,
            "entry": self.ref,
        }


def _day(raw: str, row: int, column: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise RegisterError(f"row {row}: {column} {raw!r} is not a day (YYYY-MM-DD)") from None


def parse(lines: Iterable[str]) -> tuple[Entry, ...]:
    """The register's entries, checked: known country, aspect and status, a source and quote
    for every entry, no two entries for one country and aspect covering the same day."""
    out: list[Entry] = []
    for number, raw in enumerate(csv.DictReader(lines), start=2):
        code = raw["country"]
        named = country(code)
        if named is None or named.alpha_2 is None:
            raise RegisterError(f"row {number}: country {code!r} is not an ISO alpha-3 country")
        if raw["aspect"] not in ASPECTS:
            raise RegisterError(f"row {number}: unknown aspect {raw['aspect']!r}")
        if raw["status"] not in STATUSES:
            raise RegisterError(f"row {number}: unknown status {raw['status']!r}")
        if not raw["source"] or not raw["quote"]:
            raise RegisterError(f"row {number}: every entry cites its source and quote")
        start = _day(raw["valid_from"], number, "valid_from")
        end = _day(raw["valid_to"], number, "valid_to") if raw["valid_to"] else None
        if end is not None and end < start:
            raise RegisterError(f"row {number}: valid_to before valid_from")
        out.append(
            Entry(
                code,
                raw["aspect"],
                raw["status"],
                start,
                end,
                raw["source"],
                " ".join(raw["quote"].split()),
                raw["verified"].strip().lower() != "false",
                raw["note"],
                number,
                raw.get("note_nl") or "",
            )
        )
    entries = tuple(sorted(out, key=lambda e: (e.country, e.aspect, e.valid_from)))
    for a, b in pairwise(entries):
        same = (a.country, a.aspect) == (b.country, b.aspect)
        if same and a.valid_to is not None and a.valid_to >= b.valid_from:
            raise RegisterError(f"rows {a.row} and {b.row} overlap for {a.country} {a.aspect}")
    return entries


def _effective(entries: tuple[Entry, ...]) -> tuple[Entry, ...]:
    """An open-ended entry ends the day before the next one for its country and aspect."""
    out: list[Entry] = []
    for i, e in enumerate(entries):
        nxt = entries[i + 1] if i + 1 < len(entries) else None
        if (
            e.valid_to is None
            and nxt is not None
            and (nxt.country, nxt.aspect)
            == (
                e.country,
                e.aspect,
            )
        ):
            e = replace(e, valid_to=nxt.valid_from - timedelta(days=1))
        out.append(e)
    return tuple(out)


@cache
def entries() -> tuple[Entry, ...]:
    with data_path(*REGISTER).open(encoding="utf-8", newline="") as handle:
        return _effective(parse(handle))


@cache
def version() -> str:
    """The register as read: the first 12 hex digits of its file's SHA-256."""
    return hashlib.sha256(data_path(*REGISTER).read_bytes()).hexdigest()[:12]


def on(day: date, country_code: str | None = None) -> tuple[Entry, ...]:
    """The entries in force on ``day`` (for one alpha-3 country, or all)."""
    return tuple(
        e
        for e in entries()
        if e.covers(day) and (country_code is None or e.country == country_code)
    )


def status(country_code: str, aspect: str, day: date) -> Entry | None:
    """The entry that says how ``country_code`` cooperates on ``aspect`` on ``day``; None when
    no source says (unknown)."""
    return next((e for e in on(day, country_code) if e.aspect == aspect), None)


# -- the rule's view: a dated list of countries ------------------------------------------------

NO_PROSPECT = "return.cooperation.no_prospect_of_removal"


@dataclass(frozen=True)
class ListVersion:
    """One period in which the set of countries without prospect of removal does not change:
    the alpha-2 codes (what the rules compare nationalities with) and the entries they come
    from."""

    valid_from: date
    valid_to: date | None
    countries: tuple[str, ...]
    entries: tuple[Entry, ...]


def no_prospect_versions() -> tuple[ListVersion, ...]:
    """The forced-return entries with status ``no_prospect_of_removal`` as consecutive periods
    from the earliest day (an empty list before the first entry)."""
    chosen = [
        e for e in entries() if e.aspect == "forced_return" and e.status == "no_prospect_of_removal"
    ]
    cuts = sorted(
        {e.valid_from for e in chosen}
        | {e.valid_to + timedelta(days=1) for e in chosen if e.valid_to is not None}
    )
    starts = [date.min, *cuts]
    out: list[ListVersion] = []
    for i, start in enumerate(starts):
        end = starts[i + 1] - timedelta(days=1) if i + 1 < len(starts) else None
        active = tuple(e for e in chosen if e.covers(start))
        codes = tuple(sorted(alpha_2(e.country) for e in active))
        out.append(ListVersion(start, end, codes, active))
    return tuple(out)


def alpha_2(alpha_3: str) -> str:
    """The rules' code for a register country (``parse`` refused any without one)."""
    named = country(alpha_3)
    if named is None or named.alpha_2 is None:
        raise RegisterError(f"{alpha_3!r} has no alpha-2 code")
    return named.alpha_2
