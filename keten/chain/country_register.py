"""The country register: what the rules need to know of a nationality on a day.

Four files under ``data/countries/register/`` (their sources: ``docs/countries.md`` and the
README next to them), each row dated and sourced:

- ``recognition_rates.csv``: the EU-wide first-instance recognition rate per citizenship, per
  year or quarter, on two bases (the Pact's "international protection" measure, Reg. 2024/1348
  art. 42(1)(j), and Eurostat's usual rate with humanitarian status), with the day it was
  published: a rule deciding on day D may only read what was published by then;
- ``world_bank_income.csv``: the World Bank's income classification and GNI per head per
  edition (FY2026 ...); the "top 35 by income per head" of REAN is derived from it, never stored;
- ``safe_countries.csv``: the Dutch list of safe countries of origin, with the groups for which a
  country is not safe;
- ``visa_requirement.csv``: Annex I or II of Regulation (EU) 2018/1806.

A country without a row on a day is *unknown* in that respect, never "no". Every entry knows
the line it was read from (``ref``), so an explanation can point at it, and ``version()`` names
the register as read. Parsing refuses what a rule must not read (an unknown country, a bad
day, overlapping rows, a row without source) with a ``RegisterError`` naming file, row and
column, in Dutch and English.

``KETEN_COUNTRY_REGISTER_DIR`` points the loader at another directory (an installation that
keeps its register up to date outside the package, and the server tests).
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any, ClassVar, NoReturn

from keten._data import data_path
from keten.chain import return_cooperation
from keten.chain.countries import all_countries, country
from keten.chain.kinds import Kind, _index

REGISTER_DIR = ("countries", "register")
ENV_DIR = "KETEN_COUNTRY_REGISTER_DIR"
REF_PREFIX = "data/countries/register"

RATES_FILE = "recognition_rates.csv"
INCOME_FILE = "world_bank_income.csv"
SAFE_FILE = "safe_countries.csv"
VISA_FILE = "visa_requirement.csv"

COLUMNS: dict[str, tuple[str, ...]] = {
    RATES_FILE: (
        "nationality",
        "period",
        "rate_percent",
        "decisions",
        "granted",
        "basis",
        "published",
        "dataset",
        "source",
        "verified",
        "note",
        "note_nl",
    ),
    INCOME_FILE: (
        "country",
        "edition",
        "valid_from",
        "valid_to",
        "income_group",
        "gni_per_capita_usd",
        "data_year",
        "source",
        "verified",
        "note",
        "note_nl",
    ),
    SAFE_FILE: (
        "country",
        "valid_from",
        "valid_to",
        "excepted_groups",
        "exception_nl",
        "exception_en",
        "source",
        "quote",
        "verified",
        "note",
        "note_nl",
    ),
    VISA_FILE: (
        "country",
        "requirement",
        "valid_from",
        "valid_to",
        "legal_act",
        "source",
        "verified",
        "note",
        "note_nl",
    ),
}
FILES = tuple(sorted(COLUMNS))

TOP = 35  # REAN: "top 35 hoogste inkomens per hoofd van de bevolking volgens de Wereldbank"

BASES = _index(
    Kind(
        "international_protection",
        "internationale bescherming (vluchtelingenstatus en subsidiaire bescherming)",
        "international protection (refugee status and subsidiary protection)",
        "Reg. (EU) 2024/1348 art. 42(1)(j)",
    ),
    Kind(
        "all_positive",
        "alle inwilligingen (ook humanitaire status)",
        "all positive decisions (humanitarian status included)",
        "Eurostat",
    ),
)

INCOME_GROUPS = _index(
    Kind("high", "hoog inkomen", "high income"),
    Kind("upper_middle", "hoger middeninkomen", "upper-middle income"),
    Kind("lower_middle", "lager middeninkomen", "lower-middle income"),
    Kind("low", "laag inkomen", "low income"),
    Kind("", "niet ingedeeld", "not classified"),
)

REQUIREMENTS = _index(
    Kind("visa_required", "visumplichtig (bijlage I)", "visa required (Annex I)"),
    Kind("visa_free", "visumvrij (bijlage II)", "visa-free (Annex II)"),
)

_PERIOD = re.compile(r"^(\d{4})(?:-Q([1-4]))?$")
_RATE = re.compile(r"^\d{1,3}(?:\.\d)?$")
_EDITION = re.compile(r"^FY\d{4}$")
_GROUP_ID = re.compile(r"^[a-z][a-z0-9_]*$")


class RegisterError(ValueError):
    """A register file that cannot be read: names the file, the row (line) and the column, in
    Dutch and in English."""

    def __init__(self, file: str, row: int, column: str, en: str, nl: str) -> None:
        self.file, self.row, self.column, self.en, self.nl = file, row, column, en, nl
        where = f"{file}:{row}" if row else file
        if column:
            where += f", {column}"
        super().__init__(f"{where}: {nl} / {en}")


def _names(code: str) -> dict[str, str]:
    named = country(code)
    return {
        "country_name": named.name_nl if named else code,
        "country_name_en": named.name_en if named else code,
    }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


@dataclass(frozen=True, kw_only=True)
class _Entry:
    """What every register row has: its source and whether it was checked, and where it
    stands (``ref``: its file, ``FILE`` of each kind of row, and the line it starts on).
    Keyword-only, so that each kind of row keeps its own fields first."""

    FILE: ClassVar[str] = ""

    source: str
    verified: bool
    note: str
    note_nl: str
    row: int

    @property
    def ref(self) -> str:
        return f"{REF_PREFIX}/{self.FILE}:{self.row}"

    def provenance(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "verified": self.verified,
            "note": self.note,
            "note_nl": self.note_nl or self.note,
            "entry": self.ref,
        }


@dataclass(frozen=True, kw_only=True)
class _Span(_Entry):
    """A row that holds for one country from a day, until a day or for ever."""

    country: str
    valid_from: date
    valid_to: date | None

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def span_json(self) -> dict[str, Any]:
        return {
            "country": self.country,
            **_names(self.country),
            "valid_from": self.valid_from.isoformat(),
            "valid_to": _iso(self.valid_to),
        }


@dataclass(frozen=True, kw_only=True)
class RateFigure(_Entry):
    FILE: ClassVar[str] = RATES_FILE

    nationality: str  # alpha-3
    period: str  # "2025" or "2025-Q2"
    rate_percent: float
    decisions: int | None
    granted: int | None
    basis: str
    published: date
    dataset: str

    @property
    def yearly(self) -> bool:
        return "-Q" not in self.period

    @property
    def period_end(self) -> date:
        return _period_end(self.period)

    def to_json(self) -> dict[str, Any]:
        return {
            "nationality": self.nationality,
            **_names(self.nationality),
            "period": self.period,
            "yearly": self.yearly,
            "rate_percent": self.rate_percent,
            "decisions": self.decisions,
            "granted": self.granted,
            "basis": self.basis,
            "basis_text": BASES[self.basis].nl,
            "basis_text_en": BASES[self.basis].en,
            "published": self.published.isoformat(),
            "dataset": self.dataset,
            **self.provenance(),
        }


@dataclass(frozen=True, kw_only=True)
class IncomeEntry(_Span):
    FILE: ClassVar[str] = INCOME_FILE

    edition: str  # "FY2026"
    income_group: str  # "" when the Bank does not classify the country
    gni_per_capita_usd: int | None
    data_year: int | None
    rank: int | None = None  # by GNI per head within the edition; set by income_on/edition

    @property
    def top35(self) -> bool | None:
        """Among the 35 highest GNI per head of its edition; None without a figure."""
        return None if self.rank is None else self.rank <= TOP

    def to_json(self) -> dict[str, Any]:
        group = INCOME_GROUPS[self.income_group]
        return {
            **self.span_json(),
            "edition": self.edition,
            "income_group": self.income_group,
            "income_group_text": group.nl,
            "income_group_text_en": group.en,
            "gni_per_capita_usd": self.gni_per_capita_usd,
            "data_year": self.data_year,
            "rank": self.rank,
            "top35": self.top35,
            **self.provenance(),
        }


@dataclass(frozen=True, kw_only=True)
class SafeCountryEntry(_Span):
    FILE: ClassVar[str] = SAFE_FILE

    excepted_groups: tuple[str, ...]
    exception_nl: str
    exception_en: str
    quote: str

    def to_json(self) -> dict[str, Any]:
        return {
            **self.span_json(),
            "excepted_groups": list(self.excepted_groups),
            "exception_nl": self.exception_nl,
            "exception_en": self.exception_en,
            "quote": self.quote,
            **self.provenance(),
        }


@dataclass(frozen=True, kw_only=True)
class VisaEntry(_Span):
    FILE: ClassVar[str] = VISA_FILE

    requirement: str
    legal_act: str

    def to_json(self) -> dict[str, Any]:
        return {
            **self.span_json(),
            "requirement": self.requirement,
            "requirement_text": REQUIREMENTS[self.requirement].nl,
            "requirement_text_en": REQUIREMENTS[self.requirement].en,
            "legal_act": self.legal_act,
            **self.provenance(),
        }


# -- reading rows --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    """One record of a register file, with what an error message needs to point at it."""

    file: str
    number: int  # the line the record starts on
    values: dict[str, str] = field(default_factory=dict)

    def fail(self, column: str, en: str, nl: str) -> NoReturn:
        raise RegisterError(self.file, self.number, column, en, nl)

    def text(self, column: str, *, required: bool = False) -> str:
        value = self.values[column].strip()
        if required and not value:
            self.fail(column, "is required", "is verplicht")
        return value

    def day(self, column: str) -> date:
        raw = self.text(column, required=True)
        try:
            return date.fromisoformat(raw)
        except ValueError:
            self.fail(
                column, f"{raw!r} is not a day (YYYY-MM-DD)", f"{raw!r} is geen dag (JJJJ-MM-DD)"
            )

    def optional_day(self, column: str) -> date | None:
        return self.day(column) if self.text(column) else None

    def whole(self, column: str) -> int | None:
        raw = self.text(column)
        if not raw:
            return None
        if not raw.isdigit():
            self.fail(
                column,
                f"{raw!r} is not a whole number (0 or more, no separators)",
                f"{raw!r} is geen geheel getal (0 of meer, zonder scheidingstekens)",
            )
        return int(raw)

    def country(self, column: str) -> str:
        code = self.text(column, required=True)
        named = country(code)
        if named is None or named.alpha_2 is None:
            self.fail(
                column,
                f"{code!r} is not a country's ISO alpha-3 code (Kosovo: XKX)",
                f"{code!r} is geen ISO alpha-3-code van een land (Kosovo: XKX)",
            )
        return code

    def choice(self, column: str, allowed: Iterable[str]) -> str:
        value = self.text(column)
        options = sorted(allowed)
        if value not in options:
            shown = ", ".join(o or "(leeg)" for o in options)
            self.fail(
                column,
                f"{value!r} is not one of {shown}",
                f"{value!r} is niet een van {shown}",
            )
        return value

    def provenance(self) -> dict[str, Any]:
        """source, verified, note, note_nl and the row's line, as an entry takes them: every
        row names its source; an unverified row says in a note what it was checked against;
        a note has its Dutch."""
        source = self.text("source", required=True)
        flag = self.text("verified").lower()
        if flag not in ("true", "false"):
            self.fail(
                "verified", f"{flag!r} is not true or false", f"{flag!r} is niet true of false"
            )
        note, note_nl = self.text("note"), self.text("note_nl")
        if flag == "false" and not note:
            self.fail(
                "note",
                "an unverified row says in a note what it was checked against",
                "een niet-geverifieerde rij zegt in een notitie waartegen ze is gecontroleerd",
            )
        if note and not note_nl:
            self.fail(
                "note_nl", "a note needs its Dutch", "een notitie heeft haar Nederlands nodig"
            )
        if note_nl and not note:
            self.fail("note", "note_nl without note", "note_nl zonder note")
        return {
            "source": source,
            "verified": flag == "true",
            "note": note,
            "note_nl": note_nl,
            "row": self.number,
        }


def _rows(lines: Iterable[str], file: str) -> Iterator[_Row]:
    """The records of a register file, header checked; each with the line it starts on."""
    reader = csv.reader(lines)
    expected = COLUMNS[file]
    header = next(reader, None)
    if header is None:
        raise RegisterError(file, 1, "", "the file is empty", "het bestand is leeg")
    header = [h.strip().lstrip("\ufeff") for h in header]
    if tuple(header) != expected:
        missing = [c for c in expected if c not in header]
        extra = [c for c in header if c not in expected]
        column = (missing or extra or [""])[0]
        raise RegisterError(
            file,
            1,
            column,
            f"the header must be {','.join(expected)}",
            f"de kopregel moet {','.join(expected)} zijn",
        )
    last = reader.line_num
    for record in reader:
        start, last = last + 1, reader.line_num
        if not record or all(not v.strip() for v in record):
            continue
        if len(record) != len(expected):
            raise RegisterError(
                file,
                start,
                "",
                f"{len(record)} fields where the header has {len(expected)}",
                f"{len(record)} velden waar de kopregel er {len(expected)} heeft",
            )
        yield _Row(file, start, dict(zip(expected, record, strict=True)))


def _period_end(period: str) -> date:
    match = _PERIOD.match(period)
    assert match is not None
    year, quarter = int(match.group(1)), match.group(2)
    if quarter is None:
        return date(year, 12, 31)
    q = int(quarter)
    return (date(year + 1, 1, 1) if q == 4 else date(year, 3 * q + 1, 1)) - timedelta(days=1)


def parse_rates(lines: Iterable[str], file: str = RATES_FILE) -> tuple[RateFigure, ...]:
    """``recognition_rates.csv``: one figure per nationality, period and basis; the rate within
    0..100 and, where the counts are given, what they make (to 0.1 point); published after the
    period it counts."""
    out: list[RateFigure] = []
    seen: dict[tuple[str, str, str], int] = {}
    for row in _rows(lines, file):
        code = row.country("nationality")
        period = row.text("period", required=True)
        if not _PERIOD.match(period):
            row.fail(
                "period",
                f"{period!r} is not a year (2025) or a quarter (2025-Q2)",
                f"{period!r} is geen jaar (2025) of kwartaal (2025-Q2)",
            )
        raw_rate = row.text("rate_percent", required=True)
        if not _RATE.match(raw_rate) or float(raw_rate) > 100:
            row.fail(
                "rate_percent",
                f"{raw_rate!r} is not a percentage from 0 to 100 with at most one decimal",
                f"{raw_rate!r} is geen percentage van 0 tot 100 met ten hoogste één decimaal",
            )
        rate = float(raw_rate)
        decisions, granted = row.whole("decisions"), row.whole("granted")
        if decisions is not None and granted is not None:
            if granted > decisions:
                row.fail(
                    "granted",
                    "more granted than decisions",
                    "meer inwilligingen dan beslissingen",
                )
            if decisions == 0 or abs(100 * granted / decisions - rate) > 0.051:
                row.fail(
                    "rate_percent",
                    f"{rate} is not granted/decisions ({granted}/{decisions})",
                    f"{rate} is niet inwilligingen/beslissingen ({granted}/{decisions})",
                )
        basis = row.choice("basis", BASES)
        published = row.day("published")
        if published <= _period_end(period):
            row.fail(
                "published",
                f"{published} is not after the period {period}",
                f"{published} ligt niet na de periode {period}",
            )
        dataset = row.text("dataset", required=True)
        key = (code, period, basis)
        if key in seen:
            row.fail(
                "period",
                f"a second figure for {code} {period} {basis} (first on line {seen[key]})",
                f"een tweede cijfer voor {code} {period} {basis} (het eerste op regel {seen[key]})",
            )
        seen[key] = row.number
        out.append(
            RateFigure(
                nationality=code,
                period=period,
                rate_percent=rate,
                decisions=decisions,
                granted=granted,
                basis=basis,
                published=published,
                dataset=dataset,
                **row.provenance(),
            )
        )
    return tuple(sorted(out, key=lambda f: (f.nationality, f.basis, f.period_end, f.period)))


def _span(row: _Row) -> tuple[date, date | None]:
    start, end = row.day("valid_from"), row.optional_day("valid_to")
    if end is not None and end < start:
        row.fail("valid_to", "before valid_from", "ligt voor valid_from")
    return start, end


def _overlap_free(entries: Iterable[SafeCountryEntry | VisaEntry], file: str) -> None:
    """Rows of one country must not cover a common day; an open row runs on for ever, so a
    later row for the same country needs the earlier one closed."""
    ordered = sorted(entries, key=lambda e: (e.country, e.valid_from))
    for a, b in pairwise(ordered):
        if a.country == b.country and (a.valid_to is None or a.valid_to >= b.valid_from):
            raise RegisterError(
                file,
                b.row,
                "valid_from",
                f"overlaps line {a.row} for {a.country}",
                f"overlapt regel {a.row} voor {a.country}",
            )


def parse_income(lines: Iterable[str], file: str = INCOME_FILE) -> tuple[IncomeEntry, ...]:
    """``world_bank_income.csv``: one row per country and edition; all rows of an edition share
    its dates, and editions do not overlap. Ranks are set when an edition is read
    (``income_edition``)."""
    out: list[IncomeEntry] = []
    spans: dict[str, tuple[date, date | None, int]] = {}
    seen: dict[tuple[str, str], int] = {}
    for row in _rows(lines, file):
        code = row.country("country")
        edition = row.text("edition", required=True)
        if not _EDITION.match(edition):
            row.fail(
                "edition", f"{edition!r} is not like FY2026", f"{edition!r} is niet als FY2026"
            )
        start, end = _span(row)
        if edition in spans and spans[edition][:2] != (start, end):
            row.fail(
                "valid_from",
                f"{edition} has other dates on line {spans[edition][2]}",
                f"{edition} heeft andere data op regel {spans[edition][2]}",
            )
        spans.setdefault(edition, (start, end, row.number))
        group = row.choice("income_group", INCOME_GROUPS)
        gni = row.whole("gni_per_capita_usd")
        data_year = row.whole("data_year")
        if gni is not None and data_year is None:
            row.fail("data_year", "a GNI figure names its year", "een BNI-cijfer noemt zijn jaar")
        if (code, edition) in seen:
            first = seen[code, edition]
            row.fail(
                "edition",
                f"a second row for {code} in {edition} (first on line {first})",
                f"een tweede rij voor {code} in {edition} (de eerste op regel {first})",
            )
        seen[code, edition] = row.number
        out.append(
            IncomeEntry(
                country=code,
                valid_from=start,
                valid_to=end,
                edition=edition,
                income_group=group,
                gni_per_capita_usd=gni,
                data_year=data_year,
                **row.provenance(),
            )
        )

    ordered = sorted(spans.items(), key=lambda kv: kv[1][0])
    for (earlier, (_, end, row_a)), (later, (start, _, row_b)) in pairwise(ordered):
        if end is None or end >= start:
            raise RegisterError(
                file,
                row_b,
                "valid_from",
                f"{later} overlaps {earlier} (line {row_a}): close {earlier} the day before",
                f"{later} overlapt {earlier} (regel {row_a}): sluit {earlier} de dag ervoor af",
            )
    return tuple(sorted(out, key=lambda e: (e.valid_from, e.country)))


def parse_safe(lines: Iterable[str], file: str = SAFE_FILE) -> tuple[SafeCountryEntry, ...]:
    """``safe_countries.csv``: rows of one country do not overlap; an exception names its
    groups and says in Dutch and English what it is."""
    out: list[SafeCountryEntry] = []
    for row in _rows(lines, file):
        code = row.country("country")
        start, end = _span(row)
        raw_groups = row.text("excepted_groups")
        groups = tuple(g.strip() for g in raw_groups.split(";")) if raw_groups else ()
        for group in groups:
            if not _GROUP_ID.match(group):
                row.fail(
                    "excepted_groups",
                    f"{group!r} is not a group id (lower case, digits, _; separated by ;)",
                    f"{group!r} is geen groeps-id (kleine letters, cijfers, _; gescheiden door ;)",
                )
        exception_nl, exception_en = row.text("exception_nl"), row.text("exception_en")
        if groups and not (exception_nl and exception_en):
            row.fail(
                "exception_nl" if not exception_nl else "exception_en",
                "an exception says in Dutch and English for whom",
                "een uitzondering zegt in het Nederlands en Engels voor wie",
            )
        out.append(
            SafeCountryEntry(
                country=code,
                valid_from=start,
                valid_to=end,
                excepted_groups=groups,
                exception_nl=exception_nl,
                exception_en=exception_en,
                quote=" ".join(row.text("quote").split()),
                **row.provenance(),
            )
        )
    _overlap_free(out, file)
    return tuple(sorted(out, key=lambda e: (e.country, e.valid_from)))


def parse_visa(lines: Iterable[str], file: str = VISA_FILE) -> tuple[VisaEntry, ...]:
    """``visa_requirement.csv``: rows of one country do not overlap; each names its act."""
    out: list[VisaEntry] = []
    for row in _rows(lines, file):
        code = row.country("country")
        requirement = row.choice("requirement", REQUIREMENTS)
        start, end = _span(row)
        legal_act = row.text("legal_act", required=True)
        out.append(
            VisaEntry(
                country=code,
                valid_from=start,
                valid_to=end,
                requirement=requirement,
                legal_act=legal_act,
                **row.provenance(),
            )
        )
    _overlap_free(out, file)
    return tuple(sorted(out, key=lambda e: (e.country, e.valid_from)))


# -- the register as a whole ---------------------------------------------------------------------


@dataclass(frozen=True)
class Register:
    rates: tuple[RateFigure, ...]
    income: tuple[IncomeEntry, ...]
    safe: tuple[SafeCountryEntry, ...]
    visa: tuple[VisaEntry, ...]
    version: str


def load_dir(path: Path) -> Register:
    """Parse and check the four files of a directory (the shipped register, or one about to
    replace it); refuses with a ``RegisterError`` on the first fault."""
    digest = hashlib.sha256()
    texts: dict[str, str] = {}
    for name in FILES:
        file = path / name
        if not file.is_file():
            raise RegisterError(name, 0, "", f"missing in {path}", f"ontbreekt in {path}")
        raw = file.read_bytes()
        digest.update(raw)
        try:
            texts[name] = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise RegisterError(name, 0, "", "is not UTF-8", "is geen UTF-8") from None
    return Register(
        parse_rates(texts[RATES_FILE].splitlines(keepends=True)),
        parse_income(texts[INCOME_FILE].splitlines(keepends=True)),
        parse_safe(texts[SAFE_FILE].splitlines(keepends=True)),
        parse_visa(texts[VISA_FILE].splitlines(keepends=True)),
        digest.hexdigest()[:12],
    )


def register_dir() -> Path:
    """Where the register is read from: ``KETEN_COUNTRY_REGISTER_DIR`` or the shipped one."""
    override = os.environ.get(ENV_DIR)
    if override:
        return Path(override)
    return data_path(*REGISTER_DIR, RATES_FILE).parent


@cache
def _register() -> Register:
    return load_dir(register_dir())


def version() -> str:
    """The register as read: the first 12 hex digits of the SHA-256 over its four files'
    bytes, in the order of their names."""
    return _register().version


def rates() -> tuple[RateFigure, ...]:
    return _register().rates


@cache
def _rates_by(code: str, basis: str) -> tuple[RateFigure, ...]:
    return tuple(f for f in rates() if f.nationality == code and f.basis == basis)


def recognition_rate(
    code: str, day: date, *, basis: str = "international_protection", yearly: bool = True
) -> RateFigure | None:
    """The latest figure (by period) for an alpha-3 nationality published on or before ``day``:
    a yearly one (the Pact's "latest available yearly Union-wide average", Reg. 2024/1348 art.
    42(1)(j)), or with ``yearly=False`` a quarterly one. None: no figure was out yet."""
    known = [f for f in _rates_by(code, basis) if f.yearly == yearly and f.published <= day]
    return max(known, key=lambda f: f.period_end, default=None)


def recognition_rates(
    day: date, *, basis: str = "international_protection"
) -> dict[str, RateFigure]:
    """Alpha-3 nationality -> its latest yearly figure published on or before ``day``."""
    out: dict[str, RateFigure] = {}
    for f in rates():
        if f.basis != basis or not f.yearly or f.published > day:
            continue
        held = out.get(f.nationality)
        if held is None or f.period_end > held.period_end:
            out[f.nationality] = f
    return out


def rate_change_days() -> tuple[date, ...]:
    """The days on which a figure was published: where a dated parameter built on the rates
    can change."""
    return tuple(sorted({f.published for f in rates()}))


def _ranked(entries: Iterable[IncomeEntry]) -> tuple[IncomeEntry, ...]:
    """Rank by GNI per head, highest first; equal figures in order of country code, so the
    35th place is never shared. A country without a figure has no rank."""
    listed = list(entries)
    figured = sorted(
        (e for e in listed if e.gni_per_capita_usd is not None),
        key=lambda e: (-(e.gni_per_capita_usd or 0), e.country),
    )
    rank = {e.country: i for i, e in enumerate(figured, start=1)}
    return tuple(
        replace(e, rank=rank.get(e.country)) for e in sorted(listed, key=lambda e: e.country)
    )


def income_editions() -> tuple[str, ...]:
    return tuple(edition for edition, _, _ in income_edition_spans())


@cache
def income_edition(edition: str) -> tuple[IncomeEntry, ...]:
    """One edition's entries, ranked, by country code."""
    return _ranked(e for e in _register().income if e.edition == edition)


@cache
def income_edition_spans() -> tuple[tuple[str, date, date | None], ...]:
    """Each edition with its first and last day (None: still in force), oldest first."""
    spans = {e.edition: (e.valid_from, e.valid_to) for e in _register().income}
    return tuple(sorted(((k, v[0], v[1]) for k, v in spans.items()), key=lambda s: s[1]))


def _edition_on(day: date) -> str | None:
    for edition, start, end in income_edition_spans():
        if start <= day and (end is None or day <= end):
            return edition
    return None


def income_on(day: date) -> tuple[IncomeEntry, ...]:
    """The edition in force on ``day``, ranked; empty when none is."""
    edition = _edition_on(day)
    return income_edition(edition) if edition else ()


def top35(day: date) -> tuple[IncomeEntry, ...]:
    """The 35 highest GNI per head of the edition in force on ``day``, highest first."""
    return tuple(
        sorted((e for e in income_on(day) if e.rank is not None and e.rank <= TOP), key=_rank)
    )


def _rank(e: IncomeEntry) -> int:
    return e.rank if e.rank is not None else 10**6


def safe_countries() -> tuple[SafeCountryEntry, ...]:
    return _register().safe


def safe_on(day: date) -> tuple[SafeCountryEntry, ...]:
    return tuple(e for e in safe_countries() if e.covers(day))


def visa_entries() -> tuple[VisaEntry, ...]:
    return _register().visa


def visa_on(day: date) -> tuple[VisaEntry, ...]:
    return tuple(e for e in visa_entries() if e.covers(day))


def change_days() -> tuple[date, ...]:
    """Every day on which the safe-country list, the visa list or the income edition changes
    (a row starts, or starts to have ended)."""
    days: set[date] = set()
    spans: list[tuple[date, date | None]] = [(e.valid_from, e.valid_to) for e in safe_countries()]
    spans += [(e.valid_from, e.valid_to) for e in visa_entries()]
    spans += [(start, end) for _, start, end in income_edition_spans()]
    for start, end in spans:
        days.add(start)
        if end is not None:
            days.add(end + timedelta(days=1))
    return tuple(sorted(days))


# -- one country, and all of them -----------------------------------------------------------------


def _json(entry: Any) -> dict[str, Any] | None:
    return entry.to_json() if entry is not None else None


def profile(code: str, day: date) -> dict[str, Any]:
    """One country on a day: its names, recognition rates (yearly and quarterly, on both bases),
    income entry with rank and top-35 membership, safe-country entry, visa entry and the return
    cooperation entries; each with its ``entry`` (file and line). A fact without an entry is
    None: unknown. The ICAO codes for stateless (XXA) and unspecified (XXX) have no country
    facts (``is_country`` false). Raises ``KeyError`` for a code the country table lacks."""
    named = country(code)
    if named is None:
        raise KeyError(code)
    is_country = named.alpha_2 is not None
    income = next((e for e in income_on(day) if e.country == code), None) if is_country else None
    safe = next((e for e in safe_on(day) if e.country == code), None) if is_country else None
    visa = next((e for e in visa_on(day) if e.country == code), None) if is_country else None
    rates_now = {
        basis: {
            "yearly": _json(recognition_rate(code, day, basis=basis)) if is_country else None,
            "quarterly": _json(recognition_rate(code, day, basis=basis, yearly=False))
            if is_country
            else None,
        }
        for basis in BASES
    }
    return {
        "code": code,
        "alpha_2": named.alpha_2,
        "name_nl": named.name_nl,
        "name_en": named.name_en,
        "is_country": is_country,
        "on": day.isoformat(),
        "register": REF_PREFIX,
        "register_version": version(),
        "unknown_otherwise": True,
        "recognition_rate": rates_now,
        "income_edition": _edition_on(day),
        "income": _json(income),
        "top35": income.top35 if income is not None else None,
        "safe_country": _json(safe),
        "visa": _json(visa),
        "return_cooperation": [e.to_json() for e in return_cooperation.on(day, code)]
        if is_country
        else [],
        "return_cooperation_version": return_cooperation.version(),
    }


def history(code: str) -> dict[str, list[dict[str, Any]]]:
    """Every entry the register holds for one country, oldest first per kind (income entries
    ranked within their edition)."""
    return {
        "recognition_rates": [
            f.to_json()
            for f in sorted(rates(), key=lambda f: (f.period_end, f.period, f.basis))
            if f.nationality == code
        ],
        "income": [
            e.to_json()
            for edition in income_editions()
            for e in income_edition(edition)
            if e.country == code
        ],
        "safe_country": [e.to_json() for e in safe_countries() if e.country == code],
        "visa": [e.to_json() for e in visa_entries() if e.country == code],
        "return_cooperation": [
            e.to_json() for e in return_cooperation.entries() if e.country == code
        ],
    }


def overview(day: date) -> list[dict[str, Any]]:
    """Every country (not the ICAO special codes) on a day in one line each, by Dutch name:
    the Pact's recognition rate, income group and top-35 membership, safe country, visa. None
    where the register has no entry (unknown)."""
    rates_now = recognition_rates(day)
    income = {e.country: e for e in income_on(day)}
    safe = {e.country: e for e in safe_on(day)}
    visa = {e.country: e for e in visa_on(day)}
    out: list[dict[str, Any]] = []
    for named in all_countries("nl"):
        if named.alpha_2 is None:
            continue
        code = named.alpha_3
        rate, inc, sc, vi = rates_now.get(code), income.get(code), safe.get(code), visa.get(code)
        out.append(
            {
                "code": code,
                "name_nl": named.name_nl,
                "name_en": named.name_en,
                "rate_percent": rate.rate_percent if rate else None,
                "rate_period": rate.period if rate else None,
                "rate_verified": rate.verified if rate else None,
                "rate_entry": rate.ref if rate else None,
                "income_group": inc.income_group if inc else None,
                "income_group_text": INCOME_GROUPS[inc.income_group].nl if inc else None,
                "income_group_text_en": INCOME_GROUPS[inc.income_group].en if inc else None,
                "gni_per_capita_usd": inc.gni_per_capita_usd if inc else None,
                "income_rank": inc.rank if inc else None,
                "top35": inc.top35 if inc else None,
                "income_entry": inc.ref if inc else None,
                # Never False: a country not on the list on a day is unknown here.
                "safe": True if sc else None,
                "safe_excepted_groups": list(sc.excepted_groups) if sc else [],
                "safe_exception_nl": sc.exception_nl if sc else "",
                "safe_exception_en": sc.exception_en if sc else "",
                "safe_entry": sc.ref if sc else None,
                "visa": vi.requirement if vi else None,
                "visa_text": REQUIREMENTS[vi.requirement].nl if vi else None,
                "visa_text_en": REQUIREMENTS[vi.requirement].en if vi else None,
                "visa_entry": vi.ref if vi else None,
            }
        )
    return out


def has_entry(row: dict[str, Any]) -> bool:
    """Whether an ``overview`` line holds any fact of the register."""
    return any(row[k] is not None for k in ("rate_percent", "income_group", "safe", "visa"))


def clear_cache() -> None:
    """Forget what was read (after the register's files were replaced in this process)."""
    for cached in (_register, _rates_by, income_edition, income_edition_spans):
        cached.cache_clear()


def current() -> Register:
    """The register as shipped (or as ``KETEN_COUNTRY_REGISTER_DIR`` points at), read once."""
    return _register()
