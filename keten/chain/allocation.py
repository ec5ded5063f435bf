"""Where the next arrivals go: a number of arrivals spread over the free places of today, in the
COA's order of escalation.

Seed 001 (4.1 Opvang algemeen): "Wanneer de bezetting toeneemt beziet het COA eerst welke
interne ruimte zij extra kan benutten, daarnaast wordt eventuele reservecapaciteit ingezet.
Wanneer de opvang vol zit ... noodopvanglocaties ... als uiterste redmiddel crisisnoodopvang".
So: first the free places of the regular locations ("interne ruimte"), then their reserve, then
the emergency locations, and only then crisis reception. Unaccompanied minors are placed only
in places for them (seed 001, 3.3 Alleenstaande minderjarige vreemdelingen: "(Nidos
opvanggezinnen of kleinschalige woonvoorzieningen)"), and nobody else is placed there.

Pure arithmetic on figures the caller supplies (the server feeds it today's figures from the
register and the placements); it knows nothing of the database.

Choices that are ours, not the seed's (``verified: false``): within a step the locations with
the most room are filled first (fewest moves later, and the same answer every time); sober
reception, the family location, the application centres, the GGV and detention centres take
no arrivals here, because who goes there is decided by the case (track 2, a family that must
leave, detention) or, for the application centre, the first days only, not by free room.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The steps in the seed's order; each names the location kinds it draws on and whether it
# uses the places held in reserve or the free places outside the reserve.
SEED_001_ESCALATION = (
    "Wanneer de bezetting toeneemt beziet het COA eerst welke interne ruimte zij extra kan "
    "benutten, daarnaast wordt eventuele reservecapaciteit ingezet. Wanneer de opvang vol zit "
    "... noodopvanglocaties ... als uiterste redmiddel crisisnoodopvang"
)


@dataclass(frozen=True)
class Step:
    id: str
    kinds: tuple[str, ...]
    reserve: bool  # draws on the reserve places rather than the free ones
    nl: str
    en: str


# For adults and accompanied children (everyone but an amv).
STEPS = (
    Step("regular", ("regular",), False, "Vrije plaatsen regulier", "Free regular places"),
    Step("reserve", ("regular",), True, "Reservecapaciteit", "Reserve capacity"),
    Step(
        "emergency",
        ("emergency",),
        False,
        "Noodopvang",
        "Emergency reception",
    ),
    Step("emergency_reserve", ("emergency",), True, "Reserve noodopvang", "Emergency reserve"),
    Step("crisis", ("crisis",), False, "Crisisnoodopvang", "Crisis reception"),
    Step("crisis_reserve", ("crisis",), True, "Reserve crisisnoodopvang", "Crisis reserve"),
)
# For unaccompanied minors: only the places for them, free ones before the reserve.
AMV_STEPS = (
    Step("amv", ("amv_small_scale",), False, "Vrije plaatsen amv", "Free places for amv"),
    Step("amv_reserve", ("amv_small_scale",), True, "Reserve amv", "Reserve for amv"),
)


@dataclass(frozen=True)
class Room:
    """A location's room today: ``free`` places outside the reserve (never below 0) and the
    ``reserve`` places still unused (the reserve less any occupancy beyond the other places)."""

    location: str  # its code
    kind: str
    free: int
    reserve: int


def room(location: str, kind: str, places: int, reserve: int, occupancy: int) -> Room:
    """A location's room from its capacity and occupancy: residents fill the ordinary places
    first, then the reserve (an azc over its ordinary places is using its reserve)."""
    ordinary = max(places - reserve, 0)
    reserve = min(reserve, places)
    over = max(occupancy - ordinary, 0)
    return Room(location, kind, max(ordinary - occupancy, 0), max(reserve - over, 0))


@dataclass
class Allocation:
    arrivals: int
    amv: int
    # (step id, location code, number placed), in the order they were filled
    placed: list[tuple[str, str, int]] = field(default_factory=list)
    unplaced: int = 0  # arrivals (not amv) for whom no place was found
    unplaced_amv: int = 0

    def by_step(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for step, _, n in self.placed:
            out[step] = out.get(step, 0) + n
        return out


def allocate(arrivals: int, amv: int, rooms: list[Room]) -> Allocation:
    """Spread ``arrivals`` (of whom ``amv`` are unaccompanied minors) over ``rooms``."""
    if not 0 <= amv <= arrivals:
        raise ValueError("amv must lie between 0 and the number of arrivals")
    result = Allocation(arrivals, amv)
    result.unplaced_amv = _fill(amv, AMV_STEPS, rooms, result)
    result.unplaced = _fill(arrivals - amv, STEPS, rooms, result)
    return result


def _fill(n: int, steps: tuple[Step, ...], rooms: list[Room], result: Allocation) -> int:
    """Place ``n`` arrivals step by step; the number left without a place."""
    for step in steps:
        if n == 0:
            break
        here = [r for r in rooms if r.kind in step.kinds]
        # Most room first, then by code: one answer for the same figures.
        here.sort(key=lambda r: (-(r.reserve if step.reserve else r.free), r.location))
        for r in here:
            space = r.reserve if step.reserve else r.free
            take = min(space, n)
            if take > 0:
                result.placed.append((step.id, r.location, take))
                n -= take
            if n == 0:
                break
    return n
