"""Dated parameters built from the country register (``keten.chain.country_register``).

The rules never ask a case worker for what the register knows about a nationality: whether the
country is among the World Bank's 35 highest incomes per head (REAN, Vc A3/5.1), its EU-wide
recognition rate (the Pact's border procedure), whether it is a safe country of origin (Vc
C1/2.1, art. 3.109ca Vb) or its nationals need a visa (Vc A1/4.10, Reg. (EU) 2018/1806). Each
of these is a parameter like any other, with one version per period in which the register says
the same, so a rule's trail names the version it read: the register's version (its files'
SHA-256) and the entries, with their sources, that made the value.

Countries are ISO alpha-2 here, as the rules' facts are; the register keeps ICAO alpha-3, as
the dossier does. A country the register has no entry for on the day is simply absent: unknown,
never "no".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from keten.chain.countries import country
from keten.chain.country_register import (
    TOP,
    IncomeEntry,
    RateFigure,
    Register,
    SafeCountryEntry,
    VisaEntry,
)
from keten.time.dated import DatedValue, Version

RATE = "countries.eu_recognition_rate_percent"
TOP35 = "countries.world_bank_top35_income"
SAFE = "countries.safe_countries_of_origin"
SAFE_WITH_EXCEPTIONS = "countries.safe_countries_with_excepted_groups"
VISA_REQUIRED = "countries.visa_required"
VISA_FREE = "countries.visa_free"
# The Pact's measure (Reg. 2024/1348 art. 42(1)(j)): refugee status and subsidiary protection
# over all first-instance decisions, "the latest available yearly Union-wide average".
PACT_BASIS = "international_protection"

TITLES: dict[str, tuple[str, str]] = {
    RATE: (
        "EU-breed erkenningspercentage per nationaliteit (laatste jaarcijfer, landenregister)",
        "EU-wide recognition rate per nationality (latest yearly figure, country register)",
    ),
    TOP35: (
        "Top 35 hoogste inkomens per hoofd volgens de Wereldbank (landenregister)",
        "Top 35 incomes per head according to the World Bank (country register)",
    ),
    SAFE: (
        "Veilige landen van herkomst (landenregister)",
        "Safe countries of origin (country register)",
    ),
    SAFE_WITH_EXCEPTIONS: (
        "Veilige landen van herkomst met uitgezonderde groepen (landenregister)",
        "Safe countries of origin with excepted groups (country register)",
    ),
    VISA_REQUIRED: (
        "Visumplichtige nationaliteiten, bijlage I Verordening (EU) 2018/1806 (landenregister)",
        "Nationalities needing a visa, Annex I Reg. (EU) 2018/1806 (country register)",
    ),
    VISA_FREE: (
        "Visumvrije nationaliteiten, bijlage II Verordening (EU) 2018/1806 (landenregister)",
        "Visa-exempt nationalities, Annex II Reg. (EU) 2018/1806 (country register)",
    ),
}

Entry = RateFigure | IncomeEntry | SafeCountryEntry | VisaEntry


def _alpha2(code: str) -> str | None:
    named = country(code)
    return named.alpha_2 if named else None


def _version(
    value: Any, start: date, end: date | None, register: Register, what: str, used: Sequence[Entry]
) -> Version[Any]:
    """One period's value, citing the register's version and the entries it was built from
    (all of them when few; the count and the sources otherwise, so a trail stays readable)."""
    refs = [e.ref for e in used]
    shown = "; ".join(refs) if len(refs) <= 6 else f"{len(refs)} regels ({refs[0]} ...)"
    sources = sorted({e.source for e in used})
    unchecked = [e for e in used if not e.verified]
    note = None
    if unchecked:
        note = (
            f"unverified: {len(unchecked)} of the {len(used)} register entries this value rests "
            f"on were not checked against their source (first: {unchecked[0].ref}: "
            f"{unchecked[0].note})"
        )
    return Version(
        value=value,
        valid_from=start,
        valid_to=end,
        citation=f"Landenregister versie {register.version}: {what}; {shown}"
        if refs
        else f"Landenregister versie {register.version}: {what}; geen regel",
        source=sources[0] if len(sources) == 1 else None,
        note=note,
        publication="; ".join(sources[:3]) + (" ..." if len(sources) > 3 else "") or None,
        published=max((e.published for e in used if isinstance(e, RateFigure)), default=None),
        verified=not unchecked,
    )


def _periods(days: Iterable[date]) -> list[tuple[date, date | None]]:
    ordered = sorted(set(days))
    return [
        (day, ordered[i + 1] - timedelta(days=1) if i + 1 < len(ordered) else None)
        for i, day in enumerate(ordered)
    ]


def _merged(versions: list[Version[Any]]) -> list[Version[Any]]:
    """Adjacent periods with the same value and the same entries become one version."""
    out: list[Version[Any]] = []
    for v in versions:
        prev = out[-1] if out else None
        if prev and prev.value == v.value and prev.citation == v.citation:
            out[-1] = replace(prev, valid_to=v.valid_to)
        else:
            out.append(v)
    return out


def _spans(entries: Sequence[SafeCountryEntry] | Sequence[VisaEntry]) -> list[date]:
    days: list[date] = []
    for e in entries:
        days.append(e.valid_from)
        if e.valid_to is not None:
            days.append(e.valid_to + timedelta(days=1))
    return days


def _listed(
    register: Register,
    entries: Sequence[SafeCountryEntry] | Sequence[VisaEntry],
    keep: Callable[[Any], bool],
    what: str,
) -> list[Version[Any]]:
    versions = []
    for start, end in _periods(_spans(entries)):
        used = [e for e in entries if e.covers(start) and keep(e)]
        codes = tuple(sorted({c for e in used if (c := _alpha2(e.country))}))
        versions.append(_version(codes, start, end, register, what, used))
    return _merged(versions)


def rate_versions(register: Register) -> list[Version[Any]]:
    figures = [f for f in register.rates if f.basis == PACT_BASIS and f.yearly]
    versions = []
    for start, end in _periods(f.published for f in figures):
        latest: dict[str, RateFigure] = {}
        for f in figures:
            held = latest.get(f.nationality)
            if f.published <= start and (held is None or f.period_end > held.period_end):
                latest[f.nationality] = f
        table = {c: f.rate_percent for code, f in latest.items() if (c := _alpha2(code))}
        periods = ", ".join(sorted({f.period for f in latest.values()}))
        what = f"EU27-erkenningspercentage, jaarcijfers over {periods}, gepubliceerd t/m {start}"
        versions.append(_version(table, start, end, register, what, list(latest.values())))
    return versions


def top35_versions(register: Register) -> list[Version[Any]]:
    versions = []
    editions = sorted({(e.edition, e.valid_from, e.valid_to) for e in register.income})
    for edition, start, end in sorted(editions, key=lambda x: x[1]):
        figured = sorted(
            (e for e in register.income if e.edition == edition and e.gni_per_capita_usd),
            key=lambda e: (-(e.gni_per_capita_usd or 0), e.country),
        )[:TOP]
        if len(figured) < TOP:
            # Fewer figures than places: the 35 highest cannot be told, so the edition gives
            # no value and REAN refuses rather than admit a national of a rich country.
            continue
        codes = tuple(sorted({c for e in figured if (c := _alpha2(e.country))}))
        what = f"Wereldbank {edition}, BNI per hoofd (Atlas-methode), de {TOP} hoogste"
        versions.append(_version(codes, start, end, register, what, figured))
    return versions


def _backfilled(
    versions: list[Version[Any]], empty: Any, register: Register, carry_first: bool = False
) -> list[Version[Any]]:
    """A version for the days before the register's first entry, so a rule can still answer:
    nothing listed there (a country is unknown, as for any country without an entry), or, for
    the World Bank's top 35, the first edition carried back and marked as such: its members
    change little from year to year and REAN would otherwise admit every rich country."""
    if not versions and carry_first:
        return []  # no edition can rank 35 countries: no value, the rule refuses
    if not versions:
        return [
            Version(
                empty,
                date.min,
                None,
                f"Landenregister versie {register.version}: geen regels",
                note="unverified: the country register holds no entries for this list",
                verified=False,
            )
        ]
    first = versions[0]
    if first.valid_from == date.min:
        return versions
    before = first.valid_from - timedelta(days=1)
    if carry_first:
        carried = replace(
            first,
            valid_from=date.min,
            valid_to=before,
            note=(
                f"unverified: the register holds no World Bank edition before "
                f"{first.valid_from}; Keten carries that edition's top {TOP} back to earlier days"
            ),
            verified=False,
        )
        return [carried, *versions]
    nothing = Version(
        empty,
        date.min,
        before,
        f"Landenregister versie {register.version}: geen regels voor {first.valid_from}",
    )
    return [nothing, *versions]


def country_versions(register: Register) -> dict[str, list[Version[Any]]]:
    """Every register parameter's versions, by parameter name."""
    built = _built(register)
    return {
        name: _backfilled(vs, {} if name == RATE else (), register, carry_first=name == TOP35)
        for name, vs in built.items()
    }


def _built(register: Register) -> dict[str, list[Version[Any]]]:
    safe, visa = register.safe, register.visa
    return {
        RATE: rate_versions(register),
        TOP35: top35_versions(register),
        SAFE: _listed(register, safe, lambda e: True, "veilige landen van herkomst"),
        SAFE_WITH_EXCEPTIONS: _listed(
            register,
            safe,
            lambda e: bool(e.excepted_groups),
            "veilige landen van herkomst met uitgezonderde groepen",
        ),
        VISA_REQUIRED: _listed(
            register,
            visa,
            lambda e: e.requirement == "visa_required",
            "visumplicht (bijlage I Verordening (EU) 2018/1806)",
        ),
        VISA_FREE: _listed(
            register,
            visa,
            lambda e: e.requirement == "visa_free",
            "vrijstelling van de visumplicht (bijlage II Verordening (EU) 2018/1806)",
        ),
    }


def dated(register: Register) -> dict[str, DatedValue[Any]]:
    return {name: DatedValue(name, vs) for name, vs in country_versions(register).items()}


def unit(name: str) -> str:
    return "table" if name == RATE else "list"
