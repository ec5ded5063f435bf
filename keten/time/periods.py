"""Periods in days, weeks, months and years, counted as Dutch and EU law count them.

Awb art. 6:8 and Regulation 1182/71 art. 3(1) agree on the start: the day of the event is not
counted, the period runs from the next day. They agree on the end too:

* days: the n-th day after the event;
* weeks: the same weekday, n weeks later;
* months and years: the day with the same number as the event day, n months later; when that
  month has no such day (31 August + 6 months), the last day of the month (Reg. 1182/71 art.
  3(2)(c); the same rule Dutch courts apply to Awb periods).

Hours are a unit too, only so that the calendar rules can refuse them explicitly (Atw).
"""

from __future__ import annotations

import calendar as _pycal
import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any, cast

import numpy as np
import numpy.typing as npt


class Unit(StrEnum):
    HOURS = "hours"
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"
    YEARS = "years"


_UNIT_WORDS = {
    "hour": Unit.HOURS,
    "hours": Unit.HOURS,
    "uur": Unit.HOURS,
    "uren": Unit.HOURS,
    "day": Unit.DAYS,
    "days": Unit.DAYS,
    "dag": Unit.DAYS,
    "dagen": Unit.DAYS,
    "week": Unit.WEEKS,
    "weeks": Unit.WEEKS,
    "weken": Unit.WEEKS,
    "month": Unit.MONTHS,
    "months": Unit.MONTHS,
    "maand": Unit.MONTHS,
    "maanden": Unit.MONTHS,
    "year": Unit.YEARS,
    "years": Unit.YEARS,
    "jaar": Unit.YEARS,
    "jaren": Unit.YEARS,
}

_NL = {
    Unit.HOURS: ("uur", "uur"),
    Unit.DAYS: ("dag", "dagen"),
    Unit.WEEKS: ("week", "weken"),
    Unit.MONTHS: ("maand", "maanden"),
    Unit.YEARS: ("jaar", "jaar"),
}


class PeriodError(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Period:
    amount: int
    unit: Unit

    @classmethod
    def parse(cls, text: str) -> Period:
        """``"6 months"``, ``"2 weken"``, ``"14 days"``."""
        match = re.fullmatch(r"\s*(\d+)\s*([a-zA-Z]+)\s*", text)
        if not match or match.group(2).lower() not in _UNIT_WORDS:
            raise PeriodError(
                f"period {text!r}: expected '<number> <unit>', unit one of days, weeks, months, "
                "years, hours (or the Dutch words)"
            )
        return cls(int(match.group(1)), _UNIT_WORDS[match.group(2).lower()])

    def __str__(self) -> str:
        unit = self.unit.value[:-1] if self.amount == 1 else self.unit.value
        return f"{self.amount} {unit}"

    def label(self) -> dict[str, str]:
        singular, plural = _NL[self.unit]
        return {"en": str(self), "nl": f"{self.amount} {singular if self.amount == 1 else plural}"}

    def approx_days(self) -> float:
        """For comparisons only (e.g. 'longer than three months'), never for arithmetic."""
        per = {
            Unit.HOURS: 1 / 24,
            Unit.DAYS: 1,
            Unit.WEEKS: 7,
            Unit.MONTHS: 30.44,
            Unit.YEARS: 365.25,
        }
        return self.amount * per[self.unit]


@dataclass(frozen=True)
class PeriodEnd:
    """The end of a period and whether the month-end rule was used."""

    end: date
    clipped_from_day: int | None = None


def add_months(day: date, months: int) -> PeriodEnd:
    total = day.year * 12 + (day.month - 1) + months
    year, month = divmod(total, 12)
    month += 1
    last = _pycal.monthrange(year, month)[1]
    if day.day > last:
        return PeriodEnd(date(year, month, last), clipped_from_day=day.day)
    return PeriodEnd(date(year, month, day.day))


def period_end(event_day: date, period: Period) -> PeriodEnd:
    """Last day of ``period`` counted from the day after ``event_day``."""
    if period.amount < 0:
        raise PeriodError(f"period {period}: length must not be negative")
    match period.unit:
        case Unit.DAYS:
            return PeriodEnd(event_day + timedelta(days=period.amount))
        case Unit.WEEKS:
            return PeriodEnd(event_day + timedelta(weeks=period.amount))
        case Unit.MONTHS:
            return add_months(event_day, period.amount)
        case Unit.YEARS:
            return add_months(event_day, 12 * period.amount)
        case Unit.HOURS:
            raise PeriodError("periods in hours end at a moment, not on a day; use days")


def period_start_backwards(reference_day: date, period: Period) -> PeriodEnd:
    """The latest day by which something must happen ``period`` before ``reference_day``.

    Used for periods counted backwards ("at least three months before the half-year starts").
    """
    match period.unit:
        case Unit.DAYS:
            return PeriodEnd(reference_day - timedelta(days=period.amount))
        case Unit.WEEKS:
            return PeriodEnd(reference_day - timedelta(weeks=period.amount))
        case Unit.MONTHS:
            return add_months(reference_day, -period.amount)
        case Unit.YEARS:
            return add_months(reference_day, -12 * period.amount)
        case Unit.HOURS:
            raise PeriodError("periods in hours end at a moment, not on a day; use days")


# -- vectorised ----------------------------------------------------------------------------------


def period_end_array(
    event_days: npt.NDArray[np.datetime64], period: Period
) -> npt.NDArray[np.datetime64]:
    """:func:`period_end` for a whole array of event days (``datetime64[D]``)."""
    days = event_days.astype("datetime64[D]")
    match period.unit:
        case Unit.DAYS:
            return _as_days(days + np.timedelta64(period.amount, "D"))
        case Unit.WEEKS:
            return _as_days(days + np.timedelta64(7 * period.amount, "D"))
        case Unit.MONTHS | Unit.YEARS:
            months = period.amount * (12 if period.unit is Unit.YEARS else 1)
            return add_months_array(days, months)
        case Unit.HOURS:
            raise PeriodError("periods in hours end at a moment, not on a day; use days")


def add_months_array(
    days: npt.NDArray[np.datetime64], months: int | npt.NDArray[np.int64]
) -> npt.NDArray[np.datetime64]:
    """Month arithmetic with the month-end rule, without a Python loop."""
    month_start = days.astype("datetime64[M]")
    day_of_month = (days - month_start.astype("datetime64[D]")).astype(np.int64)
    target_month = month_start + np.asarray(months).astype("timedelta64[M]")
    target_start = target_month.astype("datetime64[D]")
    month_length = (target_month + np.timedelta64(1, "M")).astype("datetime64[D]") - target_start
    offset = np.minimum(day_of_month, month_length.astype(np.int64) - 1)
    return _as_days(target_start + offset.astype("timedelta64[D]"))


def _as_days(values: Any) -> npt.NDArray[np.datetime64]:
    """numpy's stubs lose the dtype of datetime arithmetic; the values are days."""
    return cast(npt.NDArray[np.datetime64], np.asarray(values, dtype="datetime64[D]"))
