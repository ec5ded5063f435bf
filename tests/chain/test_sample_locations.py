"""The sample's location register: tens of locations, every placement of a registered kind at
a site of the right kind and operator, capacities that put the country at 90-100 % of its places
with some locations full and some with room."""

from __future__ import annotations

from collections import Counter
from datetime import date

from keten.chain.locations import LOCATION_KINDS, PLACEMENTS_AT
from keten.chain.sample import generate_chain
from keten.chain.sample_locations import (
    BY_CODE,
    SAMPLE_LOCATIONS,
    SampleCapacity,
    capacities,
    opened,
    staying_on,
)

ON = date(2026, 11, 25)
REGISTERED = {kind for kinds in PLACEMENTS_AT.values() for kind in kinds}


def _staying(persons: int, seed: int) -> tuple[Counter[str], int]:
    occupied: Counter[str] = Counter()
    placements = 0
    for hh in generate_chain(persons, ON, seed=seed):
        for pl in hh.placements:
            if pl.kind in REGISTERED:
                placements += 1
                assert pl.site is not None, pl
                loc = BY_CODE[pl.site]
                assert pl.kind in PLACEMENTS_AT[loc.kind], (pl.kind, loc.code)
                assert pl.location == loc.name  # the register's name, as the service fills it
                assert opened(loc, ON) <= pl.start
                if staying_on(pl.start, pl.end, ON):
                    occupied[pl.site] += 1
            else:
                assert pl.site is None  # a municipal home keeps its free text
    return occupied, placements


def _latest(rows: list[SampleCapacity]) -> dict[str, SampleCapacity]:
    latest: dict[str, SampleCapacity] = {}
    for row in sorted(rows, key=lambda r: r.valid_from):
        latest[row.code] = row
    return latest


def test_tens_of_locations_of_every_kind_with_real_places() -> None:
    assert 30 <= len(SAMPLE_LOCATIONS) < 100
    assert len(BY_CODE) == len(SAMPLE_LOCATIONS)  # codes are unique
    assert {loc.kind for loc in SAMPLE_LOCATIONS} == set(LOCATION_KINDS)
    assert {loc.operator for loc in SAMPLE_LOCATIONS} == {"COA", "Nidos", "DJI"}
    assert len({loc.province for loc in SAMPLE_LOCATIONS}) >= 10
    # Seed 001 4.2: track 2 "opgevangen in Ter Apel en Budel".
    sober = {loc.municipality for loc in SAMPLE_LOCATIONS if loc.kind == "sober"}
    assert sober == {"westerwolde", "cranendonck"}
    # Seed 004 (Vc A5/2.4): "in de Gesloten Gezinsvoorziening in Zeist".
    assert [loc.municipality for loc in SAMPLE_LOCATIONS if loc.kind == "ggv"] == ["zeist"]


def test_every_placement_is_at_a_site_and_the_country_is_nearly_full() -> None:
    occupied, placements = _staying(20000, seed=7)
    assert placements > 10000
    latest = _latest(capacities(occupied, ON))
    assert set(latest) == set(BY_CODE)
    places = sum(row.places for row in latest.values())
    staying = sum(occupied.values())
    assert 0.90 <= staying / places <= 1.0
    full = [c for c, row in latest.items() if occupied[c] >= row.places - row.reserve]
    room = [c for c, row in latest.items() if occupied[c] < row.places - row.reserve]
    assert len(full) >= 5 and len(room) >= 20
    assert all(occupied[c] <= row.places for c, row in latest.items())
    # Every kind that the sample fills is used somewhere.
    used = {BY_CODE[c].kind for c in occupied}
    assert {"regular", "emergency", "sober", "application_centre"} <= used
    assert {"amv_small_scale", "detention_centre"} <= used


def test_small_samples_still_get_places_everywhere() -> None:
    occupied, _ = _staying(300, seed=0)
    latest = _latest(capacities(occupied, ON))
    assert all(row.places >= 2 for row in latest.values())
    assert all(row.reserve < row.places for row in latest.values())
