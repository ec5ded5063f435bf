"""A hand-built province of reception and detention locations, written with the ORM into the
database the live server reads (the register's own service is built elsewhere): five
locations of five kinds, their capacity changes, and residents chosen so that every figure of
the occupancy table has a known value on ``DAY``.

Each call builds a province of its own (a fresh name), so tests on the shared server count
only what they wrote.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import count
from typing import Any

DAY = date(2024, 3, 15)  # the day the figures are known for
_serial = count(1)

RECORDED = {
    "recorded_by": "occupancy-test",
    "recorded_org": "COA",
    "recorded_role": "coa_planner",
    "reason": "occupancy fixture",
}


@dataclass
class Province:
    name: str
    codes: dict[str, str]  # A (regular), B (emergency), C (crisis), M (amv), J (detention)
    ids: dict[str, int]
    expected: dict[str, dict[str, int]] = field(default_factory=dict)


def _years_before(day: date, years: int) -> str:
    return day.replace(year=day.year - years).isoformat()


def build() -> Province:
    from keten.server.dossiers.models import (
        CapacityChange,
        FamilyLink,
        Location,
        Person,
        Placement,
        Procedure,
        Withdrawal,
    )

    tag = uuid.uuid4().hex[:8]
    province = f"testprovincie-{tag}"
    d = DAY

    def location(letter: str, kind: str, operator: str, opened: date) -> Location:
        return Location.objects.create(
            code=f"occ-{tag}-{letter.lower()}",
            name=f"Locatie {letter} {tag}",
            kind=kind,
            operator_id=operator,
            municipality="westerwolde",
            province=province,
            opened=opened,
        )

    def capacity(loc: Location, change: str, day: date, places: int, reserve: int = 0) -> None:
        CapacityChange.objects.create(
            location=loc, change=change, valid_from=day, places=places, reserve=reserve, **RECORDED
        )

    def person(birth: str = "1990-05-01", *, amv: bool = False) -> Person:
        n = next(_serial)
        return Person.objects.create(
            v_number=f"8{tag[:5]}{n:04d}"[:10],
            given_names="Test",
            surname=f"Bewoner {n}",
            birth_date=birth,
            nationality="SYR",
            unaccompanied_minor=amv,
        )

    def place(p: Person, loc: Location, start: date, end: date | None = None) -> Placement:
        kind = {
            "regular": "coa_regular",
            "emergency": "coa_emergency",
            "crisis": "coa_crisis",
            "amv_small_scale": "coa_minors",
            "detention_centre": "detention_centre",
        }[loc.kind]
        return Placement.objects.create(
            person=p, kind=kind, location=loc.name, site=loc, start=start, end=end, **RECORDED
        )

    def outflow(p: Person, started: date, closed: date | None = None) -> None:
        Procedure.objects.create(
            person=p,
            procedure_type="permit_holder_outflow",
            queue="coa",
            team="opvang",
            status="closed" if closed else "open",
            started_on=started,
            closed_on=closed,
        )

    def parent(of: Person, child: Person) -> None:
        FamilyLink.objects.create(parent_or_partner=of, other=child, relation="parent", **RECORDED)

    a = location("A", "regular", "COA", d - timedelta(days=400))
    b = location("B", "emergency", "COA", d - timedelta(days=30))
    c = location("C", "crisis", "COA", d - timedelta(days=20))
    m = location("M", "amv_small_scale", "Nidos", d - timedelta(days=50))
    j = location("J", "detention_centre", "DJI", d - timedelta(days=400))

    capacity(a, "opening", d - timedelta(days=100), 10, 2)
    capacity(a, "expansion", d - timedelta(days=10), 12, 2)
    capacity(a, "reduction", d + timedelta(days=5), 8, 2)  # still to come on DAY
    capacity(b, "opening", d - timedelta(days=30), 3)
    capacity(c, "opening", d - timedelta(days=20), 5)
    capacity(m, "opening", d - timedelta(days=50), 4, 1)
    capacity(j, "opening", d - timedelta(days=100), 6)

    # A: two permit holders waiting (one past the 14-week norm), one whose outflow closed,
    # a parent with a minor child, a parent of an adult child, a child with a partly known
    # birth date whose parent lives elsewhere; and rows that must not count.
    p1, p2, p3 = person(), person(), person()
    outflow(p1, d - timedelta(days=20))
    outflow(p2, d - timedelta(days=120))
    outflow(p3, d - timedelta(days=200), closed=d - timedelta(days=1))
    f1, f2 = person(), person(_years_before(d, 5))
    parent(f1, f2)
    f3, f4 = person("1960-01-01"), person("1990-00-00")
    parent(f3, f4)
    # Born some time in the year 18 years back: perhaps still 17 on DAY, and the benefit of
    # the doubt goes to minority (identity.eighteenth_birthday).
    f5, f6 = person(f"{d.year - 18}-00-00"), person()
    parent(f6, f5)
    for p in (p1, p2, p3, f1, f2, f3, f5):
        place(p, a, d - timedelta(days=30))
    withdrawn = place(person(), a, d - timedelta(days=30))
    Withdrawal.objects.create(
        person=withdrawn.person, resource="placement", record_id=withdrawn.pk, **RECORDED
    )
    place(person(), a, d - timedelta(days=30), end=d)  # left on DAY: no longer counted
    place(person(), a, d + timedelta(days=1))  # still to come
    # B: four in three places.
    for _ in range(4):
        place(person(), b, d - timedelta(days=3))
    # C: stays in their 10th, 7th and 2nd day (the first day is day 1, as
    # keten.chain.locations.overstay counts): one past the 7 days, one of exactly 7, one of 2.
    for days in (10, 7, 2):
        place(person(), c, d - timedelta(days=days - 1))
    # M: two unaccompanied minors.
    for _ in range(2):
        place(person(_years_before(d, 15), amv=True), m, d - timedelta(days=40))
    # J: one detainee.
    place(person(), j, d - timedelta(days=5))

    locs = {"A": a, "B": b, "C": c, "M": m, "J": j}
    zero = {
        "permit_holders": 0,
        "permit_holders_over_norm": 0,
        "amv": 0,
        "families": 0,
        "crisis_over_7": 0,
    }
    expected: dict[str, dict[str, Any]] = {
        "A": {
            **zero,
            "occupancy": 7,
            "places": 12,
            "reserve": 2,
            "free": 3,
            "permit_holders": 2,
            "permit_holders_over_norm": 1,
            "families": 3,
        },
        "B": {**zero, "occupancy": 4, "places": 3, "reserve": 0, "free": -1},
        "C": {**zero, "occupancy": 3, "places": 5, "reserve": 0, "free": 2, "crisis_over_7": 1},
        "M": {**zero, "occupancy": 2, "places": 4, "reserve": 1, "free": 1, "amv": 2},
        "J": {**zero, "occupancy": 1, "places": 6, "reserve": 0, "free": 5},
    }
    return Province(
        province,
        {k: v.code for k, v in locs.items()},
        {k: v.pk for k, v in locs.items()},
        expected,
    )
