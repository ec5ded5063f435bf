"""Rounding to 50 and differences on the unrounded figures, from seed 003's own sentence:

"De cijfers zijn in principe afgerond op 50-tallen. ... De verschilpercentages in de diverse
tabellen zijn overigens berekend met de onafgeronde cijfers."
"""

from __future__ import annotations

from keten.reports.rounding import (
    difference,
    percent_text,
    points_text,
    round_to,
    share_text,
    thousands,
)


def test_rounded_to_fifties_half_up() -> None:
    assert [round_to(n) for n in (0, 24, 25, 49, 74, 75, 46_588, 46_624, 46_625)] == [
        0,
        0,
        50,
        50,
        50,
        100,
        46_600,
        46_600,
        46_650,
    ]
    assert thousands(46_600) == "46.600" and thousands(218_700) == "218.700"


def test_the_difference_is_computed_on_the_unrounded_figures() -> None:
    """mvv applications: the seed prints 49.700 and 46.600 with 6,3 %. The rounded figures give
    6,2 %; unrounded figures that round to them (49.712 and 46.588) give the seed's 6,3 %, so the
    seed computed on the unrounded ones, and so does Keten."""
    assert round_to(49_712) == 49_700 and round_to(46_588) == 46_600
    assert percent_text(difference(49_700, 46_600)) == "-6,2%"
    assert percent_text(difference(49_712, 46_588)) == "-6,3%"


def test_one_decimal_below_ten_percent_whole_from_ten() -> None:
    """As the seed's tables print them: "+1,2%" (53.150 -> 53.800), "0,7%", "+26%", "39%"."""
    assert percent_text(difference(53_150, 53_800)) == "+1,2%"
    assert percent_text(difference(58_950, 58_500)) == "-0,8%"  # rounded figures; seed: 0,7%
    assert percent_text(difference(3_050, 3_800)) == "+25%"  # rounded; seed (unrounded): +26%
    assert percent_text(difference(2_424, 1_476)) == "-39%"  # 2.400 -> 1.500, seed: 39%
    assert percent_text(9.96) == "+10%" and percent_text(9.94) == "+9,9%"
    assert percent_text(0.04) == "0,0%"
    assert percent_text(difference(1, 25)) == "+2.400%"  # Dutch digit grouping
    assert percent_text(difference(0, 5)) == "n.v.t."  # nothing to compare with


def test_shares_and_points_as_the_target_tables() -> None:
    """Seed 003, Doorlooptijden: "Asiel 88% 85% +3%", "Regulier 89% 100% 11%" (a fall)."""
    assert share_text(88.4) == "88%" and share_text(None) == "n.v.t."
    assert points_text(88 - 85) == "+3%"
    assert points_text(89 - 100) == "-11%"
    assert points_text(0.2) == "0%"
