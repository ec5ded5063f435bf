"""The legal calendars, checked against the Atw text and the published decrees."""

from __future__ import annotations

from datetime import date

import pytest

from keten.time.calendar import CalendarRangeError, atw_calendar, easter_sunday, eu_calendar

ATW_ART3 = (
    "Algemeen erkende feestdagen in de zin van deze wet zijn: de Nieuwjaarsdag, de Christelijke "
    "tweede Paas- en Pinksterdag, de beide Kerstdagen, de Hemelvaartsdag, de dag waarop de "
    "verjaardag van de Koning wordt gevierd en de vijfde mei."
)
ATW_ART3_2 = "Voor de toepassing van deze wet wordt Goede Vrijdag met de in het vorige lid genoemde dagen gelijkgesteld."  # noqa: E501
DECREE_2026 = "Besluit gelijkstelling van 2 januari 2026, 15 mei 2026, 7 mei 2027, 28 april 2028 en 26 mei 2028 met een algemeen erkende feestdag"  # noqa: E501


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2027, date(2027, 3, 28)),
        (2000, date(2000, 4, 23)),
    ],
)
def test_easter_sunday(year: int, easter: date) -> None:
    assert easter_sunday(year) == easter


@pytest.mark.parametrize(
    ("day", "closed", "source"),
    [
        (date(2026, 1, 1), True, ATW_ART3),  # Nieuwjaarsdag
        (date(2026, 4, 3), True, ATW_ART3_2),  # Goede Vrijdag
        (date(2026, 4, 6), True, ATW_ART3),  # tweede Paasdag
        (date(2026, 4, 27), True, ATW_ART3),  # Koningsdag on a Monday
        (date(2025, 4, 26), True, ATW_ART3),  # 27 April 2025 a Sunday: celebrated Saturday 26
        (date(2013, 4, 30), True, ATW_ART3),  # Koninginnedag before 2014
        (date(2014, 4, 30), False, ATW_ART3),  # no longer a holiday from 2014
        (date(2026, 5, 5), True, ATW_ART3),  # "de vijfde mei", not a lustrum year
        (date(2027, 5, 5), True, ATW_ART3),  # every year under the Atw
        (date(2026, 5, 14), True, ATW_ART3),  # Hemelvaartsdag
        (date(2026, 5, 25), True, ATW_ART3),  # tweede Pinksterdag
        (date(2026, 12, 25), True, ATW_ART3),
        (date(2026, 12, 26), True, ATW_ART3),
        (date(2026, 5, 15), True, DECREE_2026),  # Friday after Ascension, equated by decree
        (date(2026, 1, 2), True, DECREE_2026),  # Friday after New Year's Day
        (date(2026, 5, 4), False, DECREE_2026),  # Monday before Tuesday 5 May: not equated
        (date(2026, 11, 25), False, ATW_ART3),  # an ordinary Wednesday
        (date(2026, 11, 28), True, ATW_ART3),  # Saturday (art. 1)
    ],
)
def test_atw_closed_days(day: date, closed: bool, source: str) -> None:
    assert source
    assert atw_calendar().is_closed(day) is closed


def test_equated_days_are_not_public_holidays_under_1182_71() -> None:
    # Reg. 1182/71 art. 2(1): public holidays are those designated in the Member State; the Atw
    # decrees equate days only "voor de toepassing van deze wet".
    assert atw_calendar().is_closed(date(2026, 5, 15))
    assert not eu_calendar().is_closed(date(2026, 5, 15))
    assert eu_calendar().is_closed(date(2026, 5, 14))


def test_years_without_a_decree_are_marked_unverified() -> None:
    # Ascension 2030 is 30 May; the Friday after is derived, not from a shipped decree.
    cal = atw_calendar()
    friday = cal.holiday(date(2030, 5, 31))
    assert friday is not None and not friday.verified
    assert "Check the decree" in (friday.note or "")
    verified = cal.holiday(date(2026, 5, 15))
    assert verified is not None and verified.verified


def test_outside_coverage_is_an_error_not_a_guess() -> None:
    with pytest.raises(CalendarRangeError, match="1999-12-31"):
        atw_calendar().is_closed(date(1999, 12, 31))
    with pytest.raises(CalendarRangeError):
        atw_calendar().is_closed(date(2076, 1, 1))


def test_why_closed_names_the_day() -> None:
    cal = atw_calendar()
    assert cal.why_closed(date(2026, 12, 27)) == {"nl": "zondag", "en": "Sunday"}
    assert cal.why_closed(date(2026, 12, 25))["nl"] == "Eerste Kerstdag"


def test_dense_arrays_agree_with_scalar_queries() -> None:
    cal = atw_calendar()
    for offset in range(0, 3000, 7):
        i = offset
        day = date.fromordinal(cal.first_day.toordinal() + i)
        assert bool(cal.closed[i]) == cal.is_closed(day)
        nxt = date.fromordinal(cal.first_day.toordinal() + int(cal.next_open[i]))
        assert nxt == cal.next_open_day(day)
