"""Weekend and holiday rules: Algemene termijnenwet and Regulation 1182/71, from their text."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from keten.time.calendar import atw_calendar, eu_calendar
from keten.time.counting import Counting, count_period, count_period_array, settle_end
from keten.time.periods import Period, Unit, period_end

ATW_1_1 = (
    "Een in een wet gestelde termijn die op een zaterdag, zondag of algemeen erkende feestdag "
    "eindigt, wordt verlengd tot en met de eerstvolgende dag die niet een zaterdag, zondag of "
    "algemeen erkende feestdag is."
)
ATW_1_2 = "Het vorige lid geldt niet voor termijnen, bepaald door terugrekening vanaf een tijdstip of een gebeurtenis."  # noqa: E501
ATW_2 = (
    "Een in een wet gestelde termijn van ten minste drie dagen wordt, zo nodig, verlengd, dat "
    "daarin ten minste twee dagen voorkomen, die niet een zaterdag, zondag of algemeen erkende "
    "feestdag zijn."
)
ATW_4 = "uitgesloten voor termijnen omschreven in uren en termijnen die langer zijn dan 90 dagen, 12 weken, drie maanden"  # noqa: E501
REG_3_4 = (
    "Where the last day of a period expressed otherwise than in hours is a public holiday, Sunday "
    "or Saturday, the period shall end with the expiry of the last hour of the following working "
    "day."
)
REG_3_5 = "Any period of two days or more shall include at least two working days."


@pytest.mark.parametrize(
    ("event", "period", "counting", "end", "source"),
    [
        # The issue's own example: ends Sunday 27 Dec, runs on to Monday 28 Dec.
        (date(2026, 12, 20), "7 days", Counting.ATW, date(2026, 12, 28), ATW_1_1),
        # Ends on Christmas Day (Friday): Boxing Day, Saturday, Sunday -> Monday.
        (date(2026, 11, 27), "4 weeks", Counting.ATW, date(2026, 12, 28), ATW_1_1),
        # Three days from Thursday 24 Dec hold no working day: two are needed -> Tuesday 29.
        (date(2026, 12, 24), "3 days", Counting.ATW, date(2026, 12, 29), ATW_2),
        # Two days is below the Atw art. 2 threshold: only art. 1 -> Monday 28.
        (date(2026, 12, 24), "2 days", Counting.ATW, date(2026, 12, 28), ATW_1_1),
        # Reg. 1182/71 asks two working days from two days on -> Tuesday 29.
        (date(2026, 12, 24), "2 days", Counting.EU_1182_71, date(2026, 12, 29), REG_3_5),
        # Ends on Ascension Thursday 14 May 2026; Friday 15 is equated for the Atw only.
        (date(2026, 4, 30), "14 days", Counting.ATW, date(2026, 5, 18), ATW_1_1),
        (date(2026, 4, 30), "14 days", Counting.EU_1182_71, date(2026, 5, 15), REG_3_4),
        # Six months ending on a Sunday under a regulation -> Monday (no long-period exception).
        (date(2026, 8, 31), "6 months", Counting.EU_1182_71, date(2027, 3, 1), REG_3_4),
        # Atw art. 4: six months ending on Sunday 28 Feb 2027 is not moved.
        (date(2026, 8, 31), "6 months", Counting.ATW, date(2027, 2, 28), ATW_4),
        # Three months is not longer than three months: moved (Sat 18 Apr -> Mon 20 Apr).
        (date(2026, 1, 18), "3 months", Counting.ATW, date(2026, 4, 20), ATW_4),
        # 12 weeks moved, 13 weeks not (Sat 28 Feb / Sat 7 Mar 2026 from Sat 6 Dec 2025).
        (date(2025, 12, 6), "12 weeks", Counting.ATW, date(2026, 3, 2), ATW_4),
        (date(2025, 12, 6), "13 weeks", Counting.ATW, date(2026, 3, 7), ATW_4),
        # 90 days moved, 91 days not.
        (date(2025, 12, 1), "90 days", Counting.ATW, date(2026, 3, 2), ATW_4),
        (date(2025, 12, 1), "96 days", Counting.ATW, date(2026, 3, 7), ATW_4),
        # Periods in years are excluded too.
        (date(2025, 11, 28), "1 year", Counting.ATW, date(2026, 11, 28), ATW_4),
        # Policy periods (Vc) are not "in een wet gesteld": never moved.
        (date(2026, 12, 20), "7 days", Counting.NONE, date(2026, 12, 27), ATW_1_1),
    ],
)
def test_counting(event: date, period: str, counting: Counting, end: date, source: str) -> None:
    assert source
    assert count_period(event, Period.parse(period), counting).end == end


def test_backward_periods_are_not_moved() -> None:
    # Announce at least three months before 1 Jan 2022: 1 Oct 2021 is a Friday anyway; take a
    # Saturday: three months before Sunday 1 Jan 2023 is Saturday 1 Oct 2022.
    assert ATW_1_2
    settled = settle_end(
        date(2023, 1, 1), date(2022, 10, 1), Period(3, Unit.MONTHS), Counting.ATW, backwards=True
    )
    assert settled.end == date(2022, 10, 1)
    assert settled.trail[0].citation == "Algemene termijnenwet art. 1 lid 2"


def test_trail_explains_the_shift() -> None:
    result = count_period(date(2026, 12, 20), Period(7, Unit.DAYS), Counting.ATW)
    texts = [step.text("en") for step in result.trail]
    assert "Ends Sunday 27 Dec 2026 (Sunday), runs on to Monday 28 Dec 2026" in texts
    assert result.trail[-1].citation == "Algemene termijnenwet art. 1"
    nl = [step.text("nl") for step in result.trail]
    assert "Eindigt zondag 27 dec 2026 (zondag), loopt door tot maandag 28 dec 2026" in nl


def test_trail_says_when_the_atw_does_not_apply_and_why_it_is_unsure() -> None:
    result = count_period(date(2026, 8, 31), Period(6, Unit.MONTHS), Counting.ATW)
    last = result.trail[-1]
    assert last.code == "no_shift_long"
    assert last.uncertain and "secondary sources" in last.uncertain


def test_trail_flags_an_unverified_equated_day() -> None:
    # Ascension 2030 is Thursday 30 May; Friday 31 May is equated by the derived pattern only.
    result = count_period(date(2030, 5, 16), Period(14, Unit.DAYS), Counting.ATW)
    assert result.end == date(2030, 6, 3)
    assert any(step.code == "uncertain" for step in result.trail)


# Periods inside the Atw's scope (art. 4: not longer than 90 days, 12 weeks or 3 months).
statutory = (
    st.builds(Period, st.integers(min_value=1, max_value=90), st.just(Unit.DAYS))
    | st.builds(Period, st.integers(min_value=1, max_value=12), st.just(Unit.WEEKS))
    | st.builds(Period, st.integers(min_value=1, max_value=3), st.just(Unit.MONTHS))
)
days = st.dates(min_value=date(2001, 1, 1), max_value=date(2070, 12, 31))
countings = st.sampled_from([Counting.ATW, Counting.EU_1182_71])


@given(days, statutory, countings)
def test_a_settled_deadline_is_never_a_closed_day(
    event: date, period: Period, counting: Counting
) -> None:
    cal = atw_calendar() if counting is Counting.ATW else eu_calendar()
    assert not cal.is_closed(count_period(event, period, counting).end)


@given(days, st.integers(min_value=1, max_value=200), statutory, countings)
def test_a_later_start_never_gives_an_earlier_deadline(
    event: date, delta: int, period: Period, counting: Counting
) -> None:
    later = event + timedelta(days=delta)
    assert count_period(later, period, counting).end >= count_period(event, period, counting).end


@given(days, statutory, countings)
def test_art2_two_open_days_inside_the_period(
    event: date, period: Period, counting: Counting
) -> None:
    cal = atw_calendar() if counting is Counting.ATW else eu_calendar()
    end = count_period(event, period, counting).end
    threshold = 3 if counting is Counting.ATW else 2
    if period.approx_days() >= threshold:
        assert cal.open_days_between(event + timedelta(days=1), end) >= 2


@settings(max_examples=60)
@given(
    st.lists(days, min_size=1, max_size=40),
    statutory | st.just(Period(6, Unit.MONTHS)),
    st.sampled_from(list(Counting)),
)
def test_bulk_counting_equals_scalar(
    events: list[date], period: Period, counting: Counting
) -> None:
    arr = np.array(events, dtype="datetime64[D]")
    expected = [count_period(d, period, counting).end for d in events]
    assert [d.astype(object) for d in count_period_array(arr, period, counting)] == expected


def test_raw_end_before_shift_matches_plain_arithmetic() -> None:
    assert period_end(date(2026, 12, 20), Period(7, Unit.DAYS)).end == date(2026, 12, 27)
