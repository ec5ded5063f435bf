"""The taakstelling's half-years and intervention ladder, from seed 001, 4.5."""

from __future__ import annotations

from datetime import date

import pytest

from keten.chain.housing_quota import HalfYear, Realisation, distribute, ladder

H1, H2 = HalfYear(2026, 1), HalfYear(2026, 2)
AFTER = date(2027, 3, 1)  # both half-years over


def test_the_quota_holds_for_a_calendar_half_year() -> None:
    """ "De taakstelling huisvesting vergunninghouders, die geldt voor een kalenderhalfjaar"."""
    assert (H1.start, H1.end) == (date(2026, 1, 1), date(2026, 6, 30))
    assert (H2.start, H2.end) == (date(2026, 7, 1), date(2026, 12, 31))
    assert H2.next() == HalfYear(2027, 1) and HalfYear(2027, 1).previous() == H2
    assert HalfYear.of(date(2026, 6, 30)) == H1 and HalfYear.of(date(2026, 7, 1)) == H2


def test_half_years_are_written_as_the_seed_writes_them() -> None:
    """The seed's table names the periods "2022-I" and "2022-II"."""
    assert HalfYear.parse("2022-I") == HalfYear(2022, 1)
    assert HalfYear.parse("2022-II").label == "2022-II"
    for bad in ("2022-III", "2022-1", "22-I", ""):
        with pytest.raises(ValueError, match="half-year"):
            HalfYear.parse(bad)


def test_a_half_year_is_judged_only_when_it_is_over() -> None:
    running = Realisation(H2, quota=10, housed=12)
    assert running.met(date(2026, 12, 31)) is None
    assert running.met(date(2027, 1, 1)) is True
    assert Realisation(H2, quota=None, housed=12).met(AFTER) is None


def test_the_established_figure_prevails_over_keten_s_count() -> None:
    result = Realisation(H1, quota=10, housed=8, established=11)
    assert result.realised == 11 and result.remaining == 0 and result.met(AFTER) is True
    assert Realisation(H1, quota=10, housed=8).remaining == 2


def test_not_meeting_the_quota_climbs_the_ladder_and_meeting_it_resets() -> None:
    """ "Indien een gemeente de taakstelling niet behaalt stijgt deze een plek op de ladder.
    Wanneer een gemeente wel de taakstelling behaalt staat men weer op trede 0.\""""
    periods = [HalfYear(2024, 1), HalfYear(2024, 2), HalfYear(2025, 1), HalfYear(2025, 2)]
    missed, missed_again, met, missed_once = (
        Realisation(periods[0], quota=10, housed=6),
        Realisation(periods[1], quota=10, housed=9),
        Realisation(periods[2], quota=10, housed=10),
        Realisation(periods[3], quota=10, housed=0),
    )
    assert ladder([missed, missed_again, met, missed_once], AFTER) == [1, 2, 0, 1]
    # Order of the input does not matter: the ladder follows the calendar.
    assert ladder([missed_once, met, missed_again, missed], AFTER) == [1, 2, 0, 1]


def test_a_half_year_that_cannot_be_judged_leaves_the_rung_as_it_was() -> None:
    """ "Een gemeente moet dus een aantal keer achter elkaar de taakstelling niet behalen":
    a half-year without an announced quota, or one still running, does not break the series."""
    missed = Realisation(HalfYear(2025, 1), quota=10, housed=2)
    unknown = Realisation(HalfYear(2025, 2), quota=None, housed=2)
    running = Realisation(HalfYear(2026, 1), quota=10, housed=0)
    assert ladder([missed, unknown, running], date(2026, 3, 1)) == [1, 1, 1]


def test_the_national_quota_is_split_in_proportion_to_population() -> None:
    """ "De taakstelling per gemeente wordt berekend op basis van de totale taakstelling welke
    evenredig wordt verdeeld naar het inwoneraantal per gemeente." 100 over 600,000 / 300,000
    / 100,000 inhabitants: 60, 30 and 10."""
    shares = distribute(100, {"a": 600_000, "b": 300_000, "c": 100_000})
    assert shares == {"a": 60, "b": 30, "c": 10}


def test_whole_persons_add_up_to_the_national_figure() -> None:
    """10 over three equal municipalities: 3⅓ each; the one person left goes to one of them
    (by name on a full tie), and no one is lost or added."""
    assert distribute(10, {"b": 1, "a": 1, "c": 1}) == {"a": 4, "b": 3, "c": 3}
    # Exact shares 5.7, 2.85 and 1.45: the whole parts 5, 2, 1 and the two left go to the
    # largest fractions, .85 and .7.
    assert distribute(10, {"a": 570, "b": 285, "c": 145}) == {"a": 6, "b": 3, "c": 1}
    for national in range(50):
        assert sum(distribute(national, {"a": 7, "b": 11, "c": 13}).values()) == national


@pytest.mark.parametrize(
    ("national", "populations", "says"),
    [(-1, {"a": 1}, "0 or more"), (5, {}, "no municipalities"), (5, {"a": 0}, "1 or more")],
)
def test_a_split_that_cannot_be_made_is_refused(
    national: int, populations: dict[str, int], says: str
) -> None:
    with pytest.raises(ValueError, match=says):
        distribute(national, populations)
