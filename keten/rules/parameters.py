"""Dated parameters of the rules, read from ``keten/rules/params/*.yaml``.

Each parameter is a :class:`keten.time.dated.DatedValue`: non-overlapping versions with a
validity interval, a citation and, where a seed document gave it, the file name and the quoted
sentence. Asking for a date no version covers raises :class:`keten.time.dated.NoValueError`
naming the parameter and the date. A parameter that belongs to a proposed law carries
``scenario``: it has a value only when that scenario is asked for explicitly.

:class:`ParameterSet` is immutable; :meth:`ParameterSet.with_version` returns a copy with one
value changed from a date, which is how tests (and what-if runs) show that a change moves
outcomes only from that date.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from keten.rules.errors import NotInForceError, UnknownParameterError
from keten.rules.expr import Kind, cents
from keten.time.dated import DatedValue, NoValueError, Version, as_optional_date

PARAMS_DIR = Path(__file__).with_name("params")

# unit in the YAML -> kind of the value inside expressions
UNITS: Mapping[str, Kind] = {
    "eur": "money",
    "int": "int",
    "count": "int",
    "percent": "int",
    "years": "int",
    "months": "int",
    "weeks": "int",
    "days": "int",
    "bool": "bool",
    "date": "date",
    "str": "str",
    "list": "list_str",
    # country code -> number, built from a register (never written in a parameter file)
    "table": "map_float",
}


@dataclass(frozen=True)
class Parameter:
    name: str
    unit: str
    title_nl: str
    title_en: str
    dated: DatedValue[Any]
    scenario: str | None = None  # instrument id of a proposed law; None: ordinary law or policy
    file: str | None = None
    # How often the source publishes a new value ("yearly": indexed every 1 January), so that
    # `keten rules stale` can say a value is due before it lapses; None: changes with the law.
    review: str | None = None
    # Why the parameter has no value after its last version by design (the pilot it belongs to
    # ended): the law watch then does not list it as lapsed. None: a lapse means a value is due.
    ended: str | None = None

    @property
    def kind(self) -> Kind:
        return UNITS[self.unit]

    @property
    def versions(self) -> list[Version[Any]]:
        return list(self.dated)


def _flat(text: Any) -> str | None:
    return " ".join(str(text).split()) or None if text is not None else None


def _value(unit: str, raw: Any) -> Any:
    if unit == "eur":
        return cents(Decimal(str(raw)))
    if unit == "date":
        return as_optional_date(raw)
    if unit == "list":
        # YAML reads a bare NO (Norway) or ON as a boolean: insist on text.
        if not all(isinstance(x, str) for x in raw):
            raise ValueError(f"list items must be text (quote them in the YAML): {raw!r}")
        return tuple(raw)
    if UNITS[unit] == "int":
        return int(raw)
    if unit == "bool":
        return bool(raw)
    return str(raw)


def _parameter(name: str, spec: Mapping[str, Any], file: str) -> Parameter:
    unit = str(spec["unit"])
    if unit not in UNITS:
        raise ValueError(f"{file}: {name}: unknown unit {unit!r} (known: {sorted(UNITS)})")
    scenario = spec.get("scenario")
    versions = []
    for raw in spec["versions"]:
        # No valid_from: the sources do not say since when (or a proposal, gated by its
        # scenario). The version then reaches back indefinitely.
        start = as_optional_date(raw.get("valid_from")) or date.min
        note = _flat(raw.get("note"))
        if raw.get("verified") is False:
            note = "unverified" + (f": {note}" if note else "")
        versions.append(
            Version(
                value=_value(unit, raw["value"]),
                valid_from=start,
                valid_to=as_optional_date(raw.get("valid_to")),
                citation=str(raw["citation"]),
                source=raw.get("source"),
                quote=_flat(raw.get("quote")),
                note=note,
                publication=_flat(raw.get("publication")),
                published=as_optional_date(raw.get("published")),
                verified=raw.get("verified") is not False,
            )
        )
    title = spec.get("title", {})
    review = spec.get("review")
    if review not in (None, "yearly"):
        raise ValueError(f"{file}: {name}: review must be 'yearly' or absent, not {review!r}")
    return Parameter(
        ended=_flat(spec.get("ended")),
        review=review,
        name=name,
        unit=unit,
        title_nl=str(title.get("nl", name)),
        title_en=str(title.get("en", name)),
        dated=DatedValue(name, versions),
        scenario=scenario,
        file=file,
    )


def _cut(versions: Iterable[Version[Any]], start: date, end: date | None) -> list[Version[Any]]:
    """Versions with the interval [start, end] removed (splitting one that straddles it)."""
    out: list[Version[Any]] = []
    for v in versions:
        if v.valid_from < start:
            left_end = start - timedelta(days=1)
            out.append(
                replace(v, valid_to=left_end if v.valid_to is None else min(v.valid_to, left_end))
            )
        if end is not None and (v.valid_to is None or v.valid_to > end):
            right_start = end + timedelta(days=1)
            out.append(replace(v, valid_from=max(v.valid_from, right_start)))
    return out


class ParameterSet:
    """All parameters by name; immutable."""

    def __init__(self, parameters: Mapping[str, Parameter]) -> None:
        self._parameters = dict(parameters)

    def __contains__(self, name: object) -> bool:
        return name in self._parameters

    def __iter__(self) -> Iterator[Parameter]:
        return iter(self._parameters[name] for name in sorted(self._parameters))

    def get(self, name: str) -> Parameter:
        try:
            return self._parameters[name]
        except KeyError:
            raise UnknownParameterError(f"no parameter named {name!r}") from None

    def version_at(
        self, name: str, day: date, scenarios: frozenset[str] = frozenset()
    ) -> Version[Any]:
        parameter = self.get(name)
        if parameter.scenario is not None and parameter.scenario not in scenarios:
            raise NotInForceError(
                f"parameter {name} belongs to the proposed {parameter.scenario}: it has a value "
                f"only in that scenario (--scenario {parameter.scenario})"
            )
        try:
            return parameter.dated.version_at(day)
        except NoValueError as exc:
            raise _lapsed(parameter, day, exc) from None

    def value_at(self, name: str, day: date, scenarios: frozenset[str] = frozenset()) -> Any:
        return self.version_at(name, day, scenarios).value

    def with_version(self, name: str, version: Version[Any]) -> ParameterSet:
        """A copy in which ``version`` replaces whatever was in force during its interval."""
        parameter = self.get(name)
        kept = _cut(parameter.dated, version.valid_from, version.valid_to)
        changed = replace(parameter, dated=DatedValue(name, [*kept, version]))
        return ParameterSet({**self._parameters, name: changed})


def _shown(unit: str, value: Any) -> str:
    if unit == "eur":
        return f"EUR {Decimal(value) / 100:.2f}"
    return str(value)


def _lapsed(parameter: Parameter, day: date, exc: NoValueError) -> NoValueError:
    """No version on ``day``: say so, and which value was last known, from when and where it
    comes from, in the parameter's unit. Nothing is decided on a lapsed value: a yearly amount
    not yet entered for this year must be entered, not assumed."""
    last = exc.last
    en = f"{parameter.name} ({parameter.title_en}) has no value in force on {day.isoformat()}"
    nl = f"{parameter.name} ({parameter.title_nl}) heeft geen waarde die geldt op {day.isoformat()}"
    if last is not None:
        until = last.valid_to.isoformat() if last.valid_to else "..."
        shown = _shown(parameter.unit, last.value)
        en += (
            f"; the last known value, {shown}, held from {last.valid_from.isoformat()} to "
            f"{until} ({last.citation}). Keten decides nothing on it: the value in force "
            "must be added to the parameter file"
        )
        nl += (
            f"; de laatst bekende waarde, {shown}, gold van {last.valid_from.isoformat()} tot "
            f"en met {until} ({last.citation}). Keten beslist daar niets op: de geldende "
            "waarde moet aan het parameterbestand worden toegevoegd"
        )
    return NoValueError(en, nl, last)


@cache
def default_parameters() -> ParameterSet:
    """Every parameter file shipped with Keten."""
    found: dict[str, Parameter] = {}
    for path in sorted(PARAMS_DIR.glob("*.yaml")):
        if path.name == "instruments.yaml":
            continue
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for name, spec in raw.items():
            if name in found:
                raise ValueError(
                    f"parameter {name} defined twice ({found[name].file}, {path.name})"
                )
            found[name] = _parameter(name, spec, path.name)
    for parameter in _register_parameters():
        found[parameter.name] = parameter
    from keten.chain import country_register  # local: the register reads data/

    for parameter in country_parameters(country_register.current()):
        found[parameter.name] = parameter
    return ParameterSet(found)


def country_parameters(register: Any) -> list[Parameter]:
    """The parameters the rules read from a country register (``keten.rules.country_params``);
    a test builds them from a changed copy of the register to show a rule following it."""
    from keten.rules import country_params

    return [
        Parameter(
            name=name,
            unit=country_params.unit(name),
            title_nl=country_params.TITLES[name][0],
            title_en=country_params.TITLES[name][1],
            dated=value,
            file="data/countries/register",
        )
        for name, value in country_params.dated(register).items()
    ]


def with_country_register(params: ParameterSet, register: Any) -> ParameterSet:
    """``params`` with the country-register parameters rebuilt from ``register``."""
    return ParameterSet(
        {**{p.name: p for p in params}, **{p.name: p for p in country_parameters(register)}}
    )


def _register_parameters() -> list[Parameter]:
    """Parameters read from a dated register rather than a parameter file: the countries
    without prospect of removal (``keten.chain.return_cooperation``). Each version's citation
    names the register entries (file and line) it was built from, so a rule's trail says which
    entry it read."""
    from keten.chain import return_cooperation as register  # local: the register reads data/

    versions = []
    for v in register.no_prospect_versions():
        cited = "; ".join(f"{e.ref} ({e.country} vanaf {e.valid_from})" for e in v.entries)
        notes = " ".join(e.note for e in v.entries if e.note)
        unverified = any(not e.verified for e in v.entries)
        opened = next((e for e in v.entries if e.valid_from == v.valid_from), None)
        versions.append(
            Version(
                value=list(v.countries),
                valid_from=v.valid_from,
                valid_to=v.valid_to,
                citation=f"Terugkeerregister versie {register.version()}: "
                + (cited or "geen land zonder zicht op uitzetting geregistreerd"),
                # The quote of the entry that opened this period (the citation names all).
                source=opened.source if opened else None,
                quote=opened.quote if opened else None,
                note=(("unverified: " if unverified else "") + notes) or None,
            )
        )
    return [
        Parameter(
            name=register.NO_PROSPECT,
            unit="list",
            title_nl="Landen zonder zicht op uitzetting (terugkeerregister)",
            title_en="Countries without prospect of removal (return register)",
            dated=DatedValue(register.NO_PROSPECT, versions),
            file="data/return/cooperation.csv",
        )
    ]
