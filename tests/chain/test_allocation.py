"""Where the next arrivals go, in the order seed 001 (4.1 Opvang algemeen) gives:

"Wanneer de bezetting toeneemt beziet het COA eerst welke interne ruimte zij extra kan
benutten, daarnaast wordt eventuele reservecapaciteit ingezet. Wanneer de opvang vol zit, en
er geen andere mogelijkheden voorhanden zijn organiseert het COA noodopvanglocaties
(bijvoorbeeld in evenementenhallen), wanneer ook dit niet langer toereikend is kan als
uiterste redmiddel crisisnoodopvang worden ingezet (max. 7 dagen opvang in bijv. lokale
sporthallen)."
"""

from __future__ import annotations

import pytest

from keten.chain.allocation import Room, allocate, room

ROOMS = [
    Room("azc-1", "regular", free=3, reserve=2),
    Room("azc-2", "regular", free=5, reserve=0),
    Room("nood-1", "emergency", free=4, reserve=0),
    Room("crisis-1", "crisis", free=10, reserve=0),
    Room("amv-1", "amv_small_scale", free=2, reserve=1),
    Room("ggv-1", "ggv", free=9, reserve=0),
]


def test_free_regular_places_first() -> None:
    """ "eerst welke interne ruimte zij extra kan benutten": 6 arrivals fit in the regular
    locations' free places, the most room first; nothing else is touched."""
    done = allocate(6, 0, ROOMS)
    assert done.placed == [("regular", "azc-2", 5), ("regular", "azc-1", 1)]
    assert done.unplaced == 0


def test_then_the_reserve_then_emergency_then_crisis() -> None:
    """ "daarnaast wordt eventuele reservecapaciteit ingezet. Wanneer de opvang vol zit ...
    noodopvanglocaties ... als uiterste redmiddel crisisnoodopvang": 8 free regular places,
    2 in reserve, 4 emergency, then crisis for the remaining 6 of 20."""
    done = allocate(20, 0, ROOMS)
    assert done.by_step() == {"regular": 8, "reserve": 2, "emergency": 4, "crisis": 6}
    assert [step for step, _, _ in done.placed] == [
        "regular",
        "regular",
        "reserve",
        "emergency",
        "crisis",
    ]


def test_who_finds_no_place_is_counted_and_the_closed_family_facility_takes_none() -> None:
    done = allocate(30, 0, ROOMS)
    assert done.unplaced == 30 - (8 + 2 + 4 + 10)
    assert all(location != "ggv-1" for _, location, _ in done.placed)


def test_unaccompanied_minors_only_in_places_for_them() -> None:
    """Seed 001 (3.3 Alleenstaande minderjarige vreemdelingen): amv are received "(Nidos
    opvanggezinnen of kleinschalige woonvoorzieningen)": of 5 amv, 3 fit in the amv unit (2
    free, 1 reserve), 2 find no place even though regular places are free; and no adult
    takes an amv place."""
    done = allocate(9, 5, ROOMS)
    amv = [(s, loc, n) for s, loc, n in done.placed if loc == "amv-1"]
    assert amv == [("amv", "amv-1", 2), ("amv_reserve", "amv-1", 1)]
    assert done.unplaced_amv == 2
    assert done.unplaced == 0
    assert sum(n for s, _, n in done.placed if s == "regular") == 4


def test_a_location_over_its_ordinary_places_is_using_its_reserve() -> None:
    assert room("a", "regular", places=10, reserve=2, occupancy=5) == Room("a", "regular", 3, 2)
    assert room("a", "regular", places=10, reserve=2, occupancy=9) == Room("a", "regular", 0, 1)
    assert room("a", "regular", places=10, reserve=2, occupancy=12) == Room("a", "regular", 0, 0)


def test_more_amv_than_arrivals_is_refused() -> None:
    with pytest.raises(ValueError, match="amv"):
        allocate(3, 4, ROOMS)
