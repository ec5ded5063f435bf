"""The taakstelling: a municipality's half-year quota of permit holders to house, and the
province's intervention ladder over the half-years it was or was not met.

Seed 001 (Introductiedossier Migratie, 4.5 Huisvesting/taakstelling): "De taakstelling
huisvesting vergunninghouders, die geldt voor een kalenderhalfjaar, geeft hier praktische
uitvoering aan." and "Indien een gemeente de taakstelling niet behaalt stijgt deze een plek op
de ladder. Wanneer een gemeente wel de taakstelling behaalt staat men weer op trede 0."

Pure functions on numbers; the server counts what was housed and the catalogue's
``taakstelling`` procedure carries the announced quota (event ``announced``, value ``quota``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import total_ordering

SOURCE = "Introductiedossier Migratie, 4.5 Huisvesting/taakstelling"

_LABEL = re.compile(r"^(\d{4})-(I|II)$")


@total_ordering
@dataclass(frozen=True)
class HalfYear:
    """A taakstelling period: the calendar half-year, written as the chain writes it ("2027-I")."""

    year: int
    half: int  # 1: January-June, 2: July-December

    def __post_init__(self) -> None:
        if self.half not in (1, 2):
            raise ValueError(f"half must be 1 or 2, not {self.half}")

    @classmethod
    def of(cls, day: date) -> HalfYear:
        return cls(day.year, 1 if day.month <= 6 else 2)

    @classmethod
    def parse(cls, text: str) -> HalfYear:
        found = _LABEL.match(text.strip())
        if found is None:
            raise ValueError(f"{text!r} is not a half-year such as 2027-I or 2027-II")
        return cls(int(found[1]), 1 if found[2] == "I" else 2)

    @property
    def label(self) -> str:
        return f"{self.year}-{'I' if self.half == 1 else 'II'}"

    @property
    def start(self) -> date:
        return date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def end(self) -> date:
        """The last day (30 June or 31 December)."""
        return self.next().start - timedelta(days=1)

    def next(self) -> HalfYear:
        return HalfYear(self.year, 2) if self.half == 1 else HalfYear(self.year + 1, 1)

    def previous(self) -> HalfYear:
        return HalfYear(self.year, 1) if self.half == 2 else HalfYear(self.year - 1, 2)

    def __lt__(self, other: HalfYear) -> bool:
        return (self.year, self.half) < (other.year, other.half)

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class Realisation:
    """One municipality's half-year: what it was asked to house and what it housed.

    ``housed`` is Keten's own count (housing placements begun in the half-year);
    ``established`` the figure recorded when the result was established, which prevails.
    """

    period: HalfYear
    quota: int | None  # None: not announced (yet)
    housed: int
    established: int | None = None

    @property
    def realised(self) -> int:
        return self.established if self.established is not None else self.housed

    @property
    def remaining(self) -> int | None:
        return None if self.quota is None else max(self.quota - self.realised, 0)

    def met(self, on: date) -> bool | None:
        """Whether the quota was met; None while the half-year runs or without a quota."""
        if self.quota is None or on <= self.period.end:
            return None
        return self.realised >= self.quota


def ladder(results: Iterable[Realisation], on: date) -> list[int]:
    """The rung ("trede") of the intervention ladder after each half-year, in order.

    A half-year not met moves the municipality one rung up; one met puts it back on rung 0. A
    half-year that cannot be judged (still running, or without an announced quota) leaves it
    where it was.
    """
    rung = 0
    rungs = []
    for result in sorted(results, key=lambda r: r.period):
        met = result.met(on)
        if met is True:
            rung = 0
        elif met is False:
            rung += 1
        rungs.append(rung)
    return rungs


def distribute(national: int, populations: Mapping[str, int]) -> dict[str, int]:
    """Each municipality's share of the national quota, in proportion to its population.

    Seed 001, 4.5: "De taakstelling per gemeente wordt berekend op basis van de totale
    taakstelling welke evenredig wordt verdeeld naar het inwoneraantal per gemeente." Whole
    persons by the largest remainder: every municipality gets the whole part of its exact
    share, and the persons left go one each to the largest fractions (the larger population
    first on a tie, then the name), so the shares add up to the national figure exactly.
    """
    if national < 0:
        raise ValueError("the national quota is a number of persons, 0 or more")
    if not populations:
        raise ValueError("no municipalities to distribute over")
    if any(n <= 0 for n in populations.values()):
        raise ValueError("every population must be 1 or more")
    total = sum(populations.values())
    # Integer arithmetic: the exact share is national * population / total.
    whole = {m: national * n // total for m, n in populations.items()}
    remainder = {m: national * n % total for m, n in populations.items()}
    left = national - sum(whole.values())
    order = sorted(populations, key=lambda m: (-remainder[m], -populations[m], m))
    for m in order[:left]:
        whole[m] += 1
    return whole
