from __future__ import annotations

from datetime import date

import pytest

from keten.chain.identity import (
    IdentityError,
    PartialDate,
    bsn_check_digit_ok,
    check_nationality,
    check_v_number,
    eighteenth_birthday,
    is_minor,
)


def test_partial_birth_date_parses_and_bounds() -> None:
    d = PartialDate.parse("1990-00-00")
    assert not d.complete
    assert d.earliest() == date(1990, 1, 1) and d.latest() == date(1990, 12, 31)
    m = PartialDate.parse("2008-02-00")
    assert m.latest() == date(2008, 2, 29)
    assert str(m) == "2008-02-00"


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        ("1990-13-01", "month 13"),
        ("1990-00-05", "day without a month"),
        ("2023-02-29", "has no day 29"),
        ("1990/01/01", "expected YYYY-MM-DD"),
        ("1700-01-01", "out of range"),
    ],
)
def test_bad_birth_dates_name_the_rule(value: str, rule: str) -> None:
    with pytest.raises(IdentityError) as err:
        PartialDate.parse(value)
    assert err.value.field == "birth_date" and rule in err.value.rule


def test_unknown_parts_give_the_benefit_of_minority() -> None:
    year_only = PartialDate.parse("2008-00-00")
    assert eighteenth_birthday(year_only) == date(2026, 12, 31)
    assert is_minor(year_only, date(2026, 6, 1))
    assert not is_minor(PartialDate.parse("2008-01-01"), date(2026, 6, 1))


def test_v_number_nationality_and_bsn() -> None:
    assert check_v_number("1234567890") == "1234567890"
    with pytest.raises(IdentityError):
        check_v_number("12345")
    assert check_nationality("xxa") == "XXA"
    with pytest.raises(IdentityError):
        check_nationality("Syria")
    assert bsn_check_digit_ok("111222333")
    assert not bsn_check_digit_ok("123456789")
