"""Rounding and differences as the IND annual report prints them (seed 003):

    "De cijfers zijn in principe afgerond op 50-tallen. Deze wijze van afronden kan zorgen voor
    verschillen met andere externe rapportages. De verschilpercentages in de diverse tabellen
    zijn overigens berekend met de onafgeronde cijfers."

So a figure is shown rounded to the nearest 50 (half up: 25 becomes 50), and its difference with
the year before is computed from the two unrounded figures. The seed's tables print a difference
with one decimal below 10 % ("6,3%", "+1,2%", "0,7%") and as a whole percent from 10 % on
("15%", "+26%", "39%"), with "+" for a rise. The text extraction of the seed lost the minus
signs (a fall of 49.700 to 46.600 reads "6,3%"); Keten prints a fall with "-" ("-6,3%"), so a
reader need not compare the two columns to know the direction. Percentages of a share
(within the term, upheld in court) are whole percents, and their difference with the target is
in percentage points, printed the same way ("+3%", "-11%", seed 003 "Doorlooptijden").
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

ROUND_TO = 50  # seed 003: "afgerond op 50-tallen"
WHOLE_FROM = Decimal(10)  # seed 003 tables: one decimal below 10 %, whole percents from 10 %


def round_to(value: int, step: int = ROUND_TO) -> int:
    """``value`` to the nearest multiple of ``step``, halves away from zero (25 -> 50)."""
    if step <= 1:
        return value
    sign = -1 if value < 0 else 1
    q, r = divmod(abs(value), step)
    return sign * (q + (1 if 2 * r >= step else 0)) * step


def thousands(value: int) -> str:
    """Dutch digit grouping: 46600 -> "46.600"."""
    return f"{value:,}".replace(",", ".")


def difference(previous: int | float | None, current: int | float | None) -> float | None:
    """The change from ``previous`` to ``current`` in percent of ``previous``, computed on the
    unrounded figures; None when there is nothing to compare with (no or a zero previous)."""
    if previous is None or current is None or previous == 0:
        return None
    return (float(current) - float(previous)) / float(previous) * 100.0


def _half_up(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def percent_text(value: float | None, *, signed: bool = True) -> str:
    """A percentage as the seed prints it: one decimal with a decimal comma below 10 %, whole
    from 10 % (decided on the rounded magnitude, so 9.96 prints "10%"); "+" for a rise and
    "-" for a fall when ``signed``. None (nothing to compare) prints "n.v.t."."""
    if value is None:
        return "n.v.t."
    magnitude = Decimal(repr(abs(value)))
    one = _half_up(magnitude, 1)
    text = (
        thousands(int(_half_up(magnitude, 0))) if one >= WHOLE_FROM else f"{one}".replace(".", ",")
    )
    if not signed or _half_up(magnitude, 1) == 0:
        return f"{text}%"
    return f"{'+' if value > 0 else '-'}{text}%"


def share_text(value: float | None) -> str:
    """A share (0..100) as a whole percent, as the seed's "Doorlooptijden" table: "88%"."""
    if value is None:
        return "n.v.t."
    return f"{_half_up(Decimal(repr(value)), 0)}%"


def points_text(value: float | None) -> str:
    """A difference in percentage points, whole, signed: "+3%", "-11%", "0%"."""
    if value is None:
        return "n.v.t."
    whole = _half_up(Decimal(repr(abs(value))), 0)
    if whole == 0:
        return "0%"
    return f"{'+' if value > 0 else '-'}{whole}%"
