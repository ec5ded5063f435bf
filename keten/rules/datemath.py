"""Calendar arithmetic shared by the per-case and the bulk path of a rule.

Both paths must agree to the day, so the scalar functions here mirror what polars does:
adding months or years clamps to the last day of the target month (31 August + 6 months is
28/29 February), and an age is the number of birthdays that have passed.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months, clamped to the end of the target month."""
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


def add_period(
    day: date, *, years: int = 0, months: int = 0, weeks: int = 0, days: int = 0
) -> date:
    """Years and months first (calendar, clamped), then weeks and days (exact)."""
    shifted = add_months(day, years * 12 + months) if (years or months) else day
    return shifted + timedelta(weeks=weeks, days=days)


def polars_offset(*, years: int = 0, months: int = 0, weeks: int = 0, days: int = 0) -> str:
    """The polars ``dt.offset_by`` string for the same period (months first, then days)."""
    total_months = years * 12 + months
    total_days = weeks * 7 + days
    parts = []
    if total_months:
        parts.append(f"{total_months}mo")
    if total_days:
        parts.append(f"{total_days}d")
    return "".join(parts) or "0d"


def age_on(birth: date, day: date) -> int:
    """Completed years on ``day``: one more on each birthday (29 February: on 1 March)."""
    return day.year - birth.year - int((day.month, day.day) < (birth.month, birth.day))
