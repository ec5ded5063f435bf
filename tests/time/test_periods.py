"""Period arithmetic as the Awb and Regulation 1182/71 count it."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from keten.time.periods import Period, PeriodError, Unit, period_end, period_end_array

AWB_6_8 = (
    "De termijn vangt aan met ingang van de dag na die waarop het besluit op de voorgeschreven "
    "wijze is bekendgemaakt."
)
REG_1182_3_2_C = (
    "if, in a period expressed in months or in years, the day on which it should expire does not "
    "occur in the last month, the period shall end with the expiry of the last hour of the last "
    "day of that month"
)


@pytest.mark.parametrize(
    ("event", "period", "end", "source"),
    [
        (date(2026, 11, 2), "4 weeks", date(2026, 11, 30), AWB_6_8),  # same weekday
        (date(2026, 11, 25), "14 days", date(2026, 12, 9), AWB_6_8),
        (date(2026, 1, 15), "1 month", date(2026, 2, 15), AWB_6_8),
        (date(2026, 8, 31), "6 months", date(2027, 2, 28), REG_1182_3_2_C),
        (date(2027, 8, 31), "6 months", date(2028, 2, 29), REG_1182_3_2_C),  # leap year
        (date(2026, 1, 31), "1 month", date(2026, 2, 28), REG_1182_3_2_C),
        (date(2024, 2, 29), "1 year", date(2025, 2, 28), REG_1182_3_2_C),
        (date(2026, 3, 31), "3 months", date(2026, 6, 30), REG_1182_3_2_C),
        (date(2025, 3, 3), "21 months", date(2026, 12, 3), AWB_6_8),
    ],
)
def test_period_end(event: date, period: str, end: date, source: str) -> None:
    assert source
    assert period_end(event, Period.parse(period)).end == end


def test_month_end_clipping_is_reported() -> None:
    result = period_end(date(2026, 8, 31), Period(6, Unit.MONTHS))
    assert result.clipped_from_day == 31
    assert period_end(date(2026, 8, 28), Period(6, Unit.MONTHS)).clipped_from_day is None


def test_parse_accepts_dutch_and_english_units() -> None:
    assert Period.parse("2 weken") == Period(2, Unit.WEEKS)
    assert Period.parse("6 maanden") == Period(6, Unit.MONTHS)
    assert Period.parse("1 year") == Period(1, Unit.YEARS)


@pytest.mark.parametrize("text", ["six months", "6 moons", "", "-3 days", "3"])
def test_parse_rejects_with_the_rule(text: str) -> None:
    with pytest.raises(PeriodError, match="expected '<number> <unit>'"):
        Period.parse(text)


def test_hours_have_no_day_end() -> None:
    with pytest.raises(PeriodError, match="hours"):
        period_end(date(2026, 1, 1), Period(48, Unit.HOURS))


days = st.dates(min_value=date(2000, 1, 1), max_value=date(2070, 12, 31))
periods = st.builds(
    Period,
    st.integers(min_value=0, max_value=40),
    st.sampled_from([Unit.DAYS, Unit.WEEKS, Unit.MONTHS, Unit.YEARS]),
)


@given(st.lists(days, min_size=1, max_size=50), periods)
def test_vectorised_equals_scalar(events: list[date], period: Period) -> None:
    arr = np.array(events, dtype="datetime64[D]")
    expected = [period_end(d, period).end for d in events]
    assert [d.astype(object) for d in period_end_array(arr, period)] == expected


@given(days, st.integers(min_value=1, max_value=400), periods)
def test_a_later_event_never_ends_earlier(event: date, delta: int, period: Period) -> None:
    later = event + timedelta(days=delta)
    assert period_end(later, period).end >= period_end(event, period).end


@given(days, periods)
def test_the_period_starts_the_day_after_the_event(event: date, period: Period) -> None:
    # Awb 6:8: the event day itself is never inside a period of one or more units.
    if period.amount >= 1:
        assert period_end(event, period).end > event
