"""How many asylum border procedures run on a day, against the adequate capacity of 211.

Seed 002 (par. 2.3): "Op Schiphol zijn voor de asielgrens- en terugkeergrensprocedure altijd
voldoende bedden beschikbaar om te voldoen aan de toegewezen toereikende capaciteit van 211",
and the IND and DTenV expect "om op elk gegeven moment te voldoen aan de verplichting om 211
procedures tegelijk te voeren". The Pact's prioritisation rule (``pact-prioritisation``) asks
how many run (``border_procedures_running``); this module counts them from the dossiers instead
of a number typed in.

A border procedure runs on a day when it has begun (the application made at the border, or
lodged when that was not recorded) and has not ended: no entry granted, no departure, and no
decision, unless an appeal against it is pending (the Pact's twelve weeks include the appeal,
seed 002: "De maximale duur van de gehele asielgrensprocedure, inclusief beroep"). Events
withdrawn as mistaken do not count. Only figures leave it, so a read is not audited.

Next to the procedures it counts the places (issue 18 item 6: "reads the open border
procedures and places"): the places registered at the border locations open on the day
(location kind ``border``, AC Schiphol in the Justitieel Complex Schiphol, seed 004) and the
persons placed there. The two are different measures: the beds serve the asylum and the return
border procedure alike ("voor de asielgrens- en terugkeergrensprocedure"), and the 211 is a
number of procedures. So both are shown, and a register that differs from the 211 says so
instead of one silently standing in for the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q

from keten.rules.parameters import default_parameters
from keten.server.dossiers.models import CapacityChange, Location, Procedure, ProcedureEvent
from keten.server.services.locations import capacity_on, is_open
from keten.server.services.occupancy_count import occupied
from keten.server.services.withdrawals import standing

BORDER_PROCEDURE = "border_procedure"
STARTS = ("made_at_border", "lodged")
ENDS = ("entry_granted", "departed")
CAPACITY_PARAMETER = "pact.adequate_capacity"
BORDER_LOCATION = "border"  # keten.chain.locations.LOCATION_KINDS


def _happened(kinds: tuple[str, ...], on: date) -> Exists:
    rows = ProcedureEvent.objects.filter(procedure=OuterRef("pk"), kind__in=kinds, day__lte=on)
    return Exists(standing("event", rows))


def running(on: date) -> int:
    """The number of border procedures running on ``on`` (see the module's note)."""
    decided_without_appeal = _happened(("decided",), on) & ~(
        _happened(("appeal_lodged",), on) & ~_happened(("court_decided",), on)
    )
    return (
        Procedure.objects.filter(procedure_type=BORDER_PROCEDURE)
        .filter(_happened(STARTS, on))
        .exclude(Q(_happened(ENDS, on)) | Q(decided_without_appeal))
        .count()
    )


@dataclass(frozen=True)
class Places:
    """The border locations open on a day: how many, their places and reserve as registered,
    and the persons staying there (the occupancy's one counting rule)."""

    locations: int
    registered: int
    reserve: int
    occupied: int

    @property
    def free(self) -> int:
        return max(0, self.registered - self.reserve - self.occupied)


def places(on: date) -> Places:
    """The places at the border locations open on ``on`` and who occupies them."""
    locs = [loc for loc in Location.objects.filter(kind=BORDER_LOCATION) if is_open(loc, on)]
    ids = [loc.pk for loc in locs]
    rows = list(CapacityChange.objects.filter(location_id__in=ids))
    caps = [capacity_on([r for r in rows if r.location_id == pk], on) for pk in ids]
    return Places(
        locations=len(locs),
        registered=sum(c.places for c in caps),
        reserve=sum(c.reserve for c in caps),
        occupied=sum(occupied(on, ids).values()) if ids else 0,
    )


@dataclass(frozen=True)
class Margin:
    """The border procedures running on a day, the adequate capacity in force then, and what
    is left (negative when the capacity is exceeded)."""

    on: date
    running: int
    capacity: int
    citation: str
    places: Places

    @property
    def margin(self) -> int:
        return self.capacity - self.running

    def to_json(self) -> dict[str, Any]:
        return {
            "on": self.on.isoformat(),
            "running": self.running,
            "capacity": self.capacity,
            "margin": self.margin,
            "reached": self.running >= self.capacity,
            "source": f"open grensprocedures in Keten op {self.on.isoformat()}",
            "source_en": f"open border procedures in Keten on {self.on.isoformat()}",
            "capacity_citation": self.citation,
            "places": {
                "locations": self.places.locations,
                "registered": self.places.registered,
                "reserve": self.places.reserve,
                "occupied": self.places.occupied,
                "free": self.places.free,
                "source": f"grenslocaties in het locatieregister op {self.on.isoformat()}",
                "source_en": f"border locations in the location register on {self.on.isoformat()}",
            },
            # The register's places and the 211 are different measures: when they differ,
            # both stand, and this says so.
            "places_differ": self.places.registered != self.capacity,
        }


def margin(on: date) -> Margin | None:
    """Running against the adequate capacity on ``on``; None before the Pact, when the
    parameter has no version (there was no adequate capacity to compare with)."""
    try:
        version = default_parameters().version_at(CAPACITY_PARAMETER, on)
    except LookupError:  # NoValueError: before the Pact
        return None
    return Margin(on, running(on), int(version.value), version.citation, places(on))
