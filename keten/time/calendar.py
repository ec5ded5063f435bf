"""Legal calendars: which days are Saturdays, Sundays or recognised public holidays.

Two calendars are built from ``data/calendar/nl_holidays.yaml``:

* ``atw_calendar()``: the Algemene termijnenwet list (art. 3 lid 1 and 2) plus the days equated
  with it by decree (art. 3 lid 3);
* ``eu_calendar()``: the Dutch public holidays for Regulation (EEC) 1182/71 (no equated days).

Each calendar also keeps dense numpy arrays over its whole coverage so the bulk path can answer
"next open day" and "open days between" for a million dates without a Python loop.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt
import yaml

from keten._data import data_path
from keten._yaml import YamlLoader
from keten.time.dated import as_date

EPOCH = np.datetime64("1970-01-01", "D")


class CalendarSystem(StrEnum):
    ATW = "atw"
    EU_1182_71 = "eu_1182_71"


class CalendarRangeError(ValueError):
    """A date outside the years the calendar covers: never guess a holiday list."""


@dataclass(frozen=True)
class Holiday:
    day: date
    id: str
    name_nl: str
    name_en: str
    basis: str
    verified: bool = True
    note: str | None = None


def easter_sunday(year: int) -> date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _rule_date(rule: Mapping[str, Any], year: int) -> date:
    if "fixed" in rule:
        month, day = (int(part) for part in str(rule["fixed"]).split("-"))
        result = date(year, month, day)
        if result.weekday() == 6 and "if_sunday" in rule:
            result += timedelta(days=int(rule["if_sunday"]))
        return result
    if "easter_offset" in rule:
        return easter_sunday(year) + timedelta(days=int(rule["easter_offset"]))
    raise ValueError(f"unknown holiday rule {dict(rule)!r}")


class LegalCalendar:
    """Saturdays, Sundays and recognised holidays of one counting system, over fixed years."""

    def __init__(
        self,
        system: CalendarSystem,
        holidays: Iterable[Holiday],
        first_year: int,
        last_year: int,
    ) -> None:
        self.system = system
        self.first_year = first_year
        self.last_year = last_year
        self.first_day = date(first_year, 1, 1)
        self.last_day = date(last_year, 12, 31)
        self.holidays: dict[date, Holiday] = {}
        for holiday in holidays:
            # Two reasons for one day (e.g. Ascension on 5 May) keep the statutory holiday first.
            self.holidays.setdefault(holiday.day, holiday)
        # In day order, for the range queries that every deadline's trail asks.
        self._unverified = sorted((d, h) for d, h in self.holidays.items() if not h.verified)
        self._unverified_days = [d for d, _ in self._unverified]
        self._build_arrays()

    # -- dense arrays for the bulk path -------------------------------------------------------
    def _build_arrays(self) -> None:
        n_days = (self.last_day - self.first_day).days + 1
        self.offset = int((np.datetime64(self.first_day, "D") - EPOCH).astype(np.int64))
        weekday = (np.arange(n_days) + self.first_day.weekday()) % 7
        closed = weekday >= 5
        for day in self.holidays:
            closed[(day - self.first_day).days] = True
        self.closed: npt.NDArray[np.bool_] = closed
        # next_open[i]: index of the first open day at or after i (n_days if none in range).
        idx = np.where(~closed, np.arange(n_days), n_days)
        self.next_open: npt.NDArray[np.int64] = np.minimum.accumulate(idx[::-1])[::-1].astype(
            np.int64
        )
        # open_before[i]: number of open days strictly before index i.
        self.open_before: npt.NDArray[np.int64] = np.concatenate(
            ([0], np.cumsum(~closed, dtype=np.int64))
        )

    def index_of(self, days: npt.NDArray[np.datetime64]) -> npt.NDArray[np.int64]:
        """Positions of ``days`` in the dense arrays; raises for dates outside coverage."""
        idx = days.astype("datetime64[D]").astype(np.int64) - self.offset
        if idx.size and (idx.min() < 0 or idx.max() >= self.closed.size):
            bad = days[(idx < 0) | (idx >= self.closed.size)][0]
            raise CalendarRangeError(
                f"{bad} is outside the {self.system.value} calendar "
                f"({self.first_year}-{self.last_year}, data/calendar/nl_holidays.yaml)"
            )
        return idx

    # -- scalar queries -----------------------------------------------------------------------
    def _check(self, day: date) -> None:
        if not self.first_day <= day <= self.last_day:
            raise CalendarRangeError(
                f"{day.isoformat()} is outside the {self.system.value} calendar "
                f"({self.first_year}-{self.last_year}, data/calendar/nl_holidays.yaml)"
            )

    def is_closed(self, day: date) -> bool:
        """Saturday, Sunday or recognised public holiday."""
        self._check(day)
        return day.weekday() >= 5 or day in self.holidays

    def holiday(self, day: date) -> Holiday | None:
        self._check(day)
        return self.holidays.get(day)

    def why_closed(self, day: date) -> dict[str, str]:
        """Reason a day is closed, in Dutch and English (for trails)."""
        holiday = self.holiday(day)
        if holiday is not None:
            return {"nl": holiday.name_nl, "en": holiday.name_en}
        if day.weekday() == 5:
            return {"nl": "zaterdag", "en": "Saturday"}
        if day.weekday() == 6:
            return {"nl": "zondag", "en": "Sunday"}
        return {"nl": "werkdag", "en": "working day"}

    def next_open_day(self, day: date) -> date:
        """The day itself if open, else the first later day that is open."""
        while self.is_closed(day):
            day += timedelta(days=1)
        return day

    def open_days_between(self, first: date, last: date) -> int:
        """Open days in the closed interval [first, last]."""
        if last < first:
            return 0
        self._check(first)
        self._check(last)
        i, j = (first - self.first_day).days, (last - self.first_day).days
        return int(self.open_before[j + 1] - self.open_before[i])

    def unverified_days_between(self, first: date, last: date) -> list[Holiday]:
        """Holidays in [first, last] that rest on a derived (unverified) source."""
        lo = bisect_left(self._unverified_days, first)
        hi = bisect_right(self._unverified_days, last)
        return [h for _, h in self._unverified[lo:hi]]


def _load_yaml() -> dict[str, Any]:
    with data_path("calendar", "nl_holidays.yaml").open(encoding="utf-8") as fh:
        loaded: dict[str, Any] = yaml.load(fh, Loader=YamlLoader)
    return loaded


def _statutory(spec: Mapping[str, Any], year: int, system: CalendarSystem) -> Holiday | None:
    if system.value not in spec["calendars"]:
        return None
    day = _rule_date(spec["rule"], year)
    if "valid_from" in spec and day < as_date(spec["valid_from"]):
        return None
    if "valid_to" in spec and day > as_date(spec["valid_to"]):
        return None
    note = spec.get("eu_note") if system is CalendarSystem.EU_1182_71 else None
    return Holiday(
        day=day,
        id=spec["id"],
        name_nl=spec["name_nl"],
        name_en=spec["name_en"],
        basis=spec["basis"],
        verified=note is None,
        note=note,
    )


def _derived_equated_days(year: int, note: str) -> list[Holiday]:
    """Equated days by the pattern the verified decrees follow (see the YAML for why)."""
    days: list[tuple[date, str, str]] = [
        (
            easter_sunday(year) + timedelta(days=40),
            "vrijdag na Hemelvaartsdag",
            "Friday after Ascension",
        )
    ]
    kings = date(year, 4, 27) if year >= 2014 else date(year, 4, 30)
    for holiday, name_nl, name_en in (
        (date(year, 1, 1), "vrijdag na Nieuwjaarsdag", "Friday after New Year's Day"),
        (kings, "vrijdag na Koningsdag", "Friday after King's Day"),
        (date(year, 12, 26), "vrijdag na Tweede Kerstdag", "Friday after Boxing Day"),
    ):
        if holiday.weekday() == 3:
            days.append((holiday + timedelta(days=1), name_nl, name_en))
    return [
        Holiday(
            day=d,
            id="equated_derived",
            name_nl=f"gelijkgestelde dag ({nl})",
            name_en=f"equated day ({en})",
            basis="Atw art. 3 lid 3 (derived)",
            verified=False,
            note=note,
        )
        for d, nl, en in days
    ]


@cache
def load_calendar(system: CalendarSystem) -> LegalCalendar:
    spec = _load_yaml()
    first, last = int(spec["coverage"]["first_year"]), int(spec["coverage"]["last_year"])
    holidays: list[Holiday] = []
    for year in range(first, last + 1):
        for h in spec["holidays"]:
            holiday = _statutory(h, year, system)
            if holiday is not None:
                holidays.append(holiday)
    if system is CalendarSystem.ATW:
        equated = spec["equated_days"]
        verified_years = set(equated["verified_years"])
        for entry in equated["verified"]:
            holidays.append(
                Holiday(
                    day=as_date(entry["date"]),
                    id="equated",
                    name_nl=f"gelijkgestelde dag ({entry['name_nl']})",
                    name_en="day equated with a recognised holiday",
                    basis=f"Atw art. 3 lid 3; {entry['decree']}",
                )
            )
        for year in range(first, last + 1):
            if year not in verified_years:
                holidays.extend(_derived_equated_days(year, equated["derived_rule_note"].strip()))
    return LegalCalendar(system, holidays, first, last)


def atw_calendar() -> LegalCalendar:
    return load_calendar(CalendarSystem.ATW)


def eu_calendar() -> LegalCalendar:
    return load_calendar(CalendarSystem.EU_1182_71)
