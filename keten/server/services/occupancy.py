"""Occupancy, live: the day's figures per location, province, location kind and nationally.

Every figure counts the residents of ``occupancy_count.staying`` (the one counting rule), in
one set-based statement over the running placements at registered locations
(``occupancy_sql.counted``), never a query per location: the occupancy column counts exactly
the rows ``occupancy_count.occupied`` counts. On PostgreSQL the figures of a day are counted
once per change of the chain and served from memory between changes
(``occupancy_sql.counted_cached``). Per location and day:

- ``places`` and ``reserve``: the location's capacity on the day, the last ``CapacityChange``
  with ``valid_from`` on or before it (a step function; a location without one has none);
- ``free`` = places - reserve - occupancy (negative: over capacity);
- ``permit_holders`` waiting: residents with a ``permit_holder_outflow`` procedure open on the
  day (``started_on``, the permit day, on or before it and not closed by then), and of them
  ``permit_holders_over_norm``: more than 14 weeks since the permit (seed 001 4.1:
  "Tegelijkertijd verblijven 12.000 vergunninghouders in de opvang waarvan 7.000
  vergunninghouders langer dan de afgesproken 14 weken na vergunningverlening");
- ``amv``: residents registered as unaccompanied minors (``Person.unaccompanied_minor``);
- ``families``: residents in a family with minor children: a resident who is a minor with a
  parent (a ``FamilyLink`` of relation ``parent`` naming them as the child), or a parent (a
  ``parent`` link naming them as the parent) of a minor. Minor on the day: not yet 18, the
  benefit of the doubt going to minority where the birth date is partly unknown
  (``identity.eighteenth_birthday``). A partner linked only as partner is not counted (the
  chain records the parent link for each parent); a family link is never withdrawn;
- ``crisis_over_7``: residents of a crisis location whose stay has passed 7 days (seed 001
  4.1: "als uiterste redmiddel crisisnoodopvang ... (max. 7 dagen opvang in bijv. lokale
  sporthallen)"), i.e. placed more than 7 days before the day.

Who sees which locations (``occupancy`` read in policy.yaml): the COA and the ministry every
location; an organisation that runs locations of its own (DJI its detention centres and the
GGV, Nidos its small-scale units) those it operates. The figures are counts without names, like
the dashboard's, and like it are not written to the audit log.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import QuerySet

from keten.chain.allocation import AMV_STEPS, SEED_001_ESCALATION, STEPS, allocate, room
from keten.chain.kinds import SEED_001
from keten.chain.locations import LOCATION_KINDS
from keten.server.dossiers.models import CapacityChange, Location
from keten.server.services import occupancy_sql
from keten.server.services.actor import Actor
from keten.server.services.bounds import whole_number
from keten.server.services.errors import BadInputError
from keten.server.services.policy import check

# Who sees every location rather than those its organisation operates.
NATIONAL = frozenset({"coa", "ministry"})


FIGURES = (
    "occupancy",
    "places",
    "reserve",
    "free",
    "permit_holders",
    "permit_holders_over_norm",
    "amv",
    "families",
    "crisis_over_7",
)
COUNTED = ("occupancy", "permit_holders", "permit_holders_over_norm", "amv", "families")
BY = ("location", "province", "kind")


@dataclass
class Figures:
    """One row of the day's table: a location, a province, a kind or the nation."""

    key: str
    name: str
    occupancy: int = 0
    places: int = 0
    reserve: int = 0
    permit_holders: int = 0
    permit_holders_over_norm: int = 0
    amv: int = 0
    families: int = 0
    crisis_over_7: int = 0
    locations: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def free(self) -> int:
        return self.places - self.reserve - self.occupancy

    def add(self, other: Figures) -> None:
        for name in (*COUNTED, "places", "reserve", "crisis_over_7", "locations"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            **self.extra,
            "locations": self.locations,
            **{name: getattr(self, name) for name in FIGURES},
        }


def visible_locations(actor: Actor) -> QuerySet[Location]:
    """The locations whose figures the actor may read (403 for a role without the right)."""
    check(actor.role, "occupancy", "read")
    rows = Location.objects.all()
    if actor.role.organisation_kind not in NATIONAL:
        rows = rows.filter(operator_id=actor.organisation)
    return rows.order_by("code")


def capacity_on(on: date, site_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
    """(places, reserve) of each location on ``on``: its last capacity change by then."""
    rows = (
        CapacityChange.objects.filter(location_id__in=list(site_ids), valid_from__lte=on)
        .order_by("location_id", "valid_from", "id")
        .values_list("location_id", "places", "reserve")
    )
    return {site: (places, reserve) for site, places, reserve in rows}  # the last one wins


def per_location(actor: Actor, on: date) -> list[Figures]:
    """The day's figures of every location the actor may see, in code order."""
    locations = list(visible_locations(actor))
    ids = [loc.pk for loc in locations]
    every = occupancy_sql.counted_cached(on) if ids else {}
    counts = {site: every[site] for site in ids if site in every}
    capacity = capacity_on(on, ids) if ids else {}
    out = []
    for loc in locations:
        places, reserve = capacity.get(loc.pk, (0, 0))
        row = Figures(
            key=loc.code,
            name=loc.name,
            places=places,
            reserve=reserve,
            locations=1,
            extra={
                "id": loc.pk,
                "kind": loc.kind,
                "province": loc.province,
                "municipality": loc.municipality,
                "operator": loc.operator_id,
                "open": loc.opened <= on and (loc.closes is None or loc.closes > on),
            },
        )
        for name, n in counts.get(loc.pk, {}).items():
            setattr(row, name, n)
        out.append(row)
    return out


def kind_name(kind: str, lang: str = "nl") -> str:
    found = LOCATION_KINDS.get(kind)
    return (found.nl if lang == "nl" else found.en) if found else kind


def group(rows: list[Figures], by: str) -> list[Figures]:
    """The location rows summed per province or per kind (sorted by key)."""
    groups: dict[str, Figures] = {}
    for row in rows:
        key = str(row.extra[by])
        if key not in groups:
            groups[key] = Figures(key, kind_name(key) if by == "kind" else key)
            if by == "kind":
                groups[key].extra["name_en"] = kind_name(key, "en")
        groups[key].add(row)
    return [groups[k] for k in sorted(groups)]


def national(rows: list[Figures]) -> Figures:
    total = Figures("NL", "Nederland")
    for row in rows:
        total.add(row)
    return total


def day_figures(actor: Actor, on: date, by: str = "location") -> dict[str, Any]:
    """The day's figures ``by`` location, province or kind, with the national line."""
    if by not in BY:
        raise BadInputError(
            "by",
            f"{by!r} is not one of: {', '.join(BY)}",
            f"{by!r} is geen van: {', '.join(BY)}",
        )
    rows = per_location(actor, on)
    shown = rows if by == "location" else group(rows, by)
    return {
        "on": on.isoformat(),
        "by": by,
        "results": [r.as_json() for r in shown],
        "national": national(rows).as_json(),
    }


def totals(rows: list[Figures]) -> dict[str, list[dict[str, Any]]]:
    """Per province and per kind, for the page beside the location table."""
    return {
        "province": [r.as_json() for r in group(rows, "province")],
        "kind": [r.as_json() for r in group(rows, "kind")],
    }


MAX_ARRIVALS = 100_000  # more than a year's asylum inflow (seed 001: tens of thousands a year)
DEFAULT_ARRIVALS = 500


def allocation(
    actor: Actor,
    on: date,
    arrivals: Any = None,
    amv: Any = None,
    rows: list[Figures] | None = None,
) -> dict[str, Any]:
    """Where the next ``arrivals`` (default 500) go over the room of ``on``, in the COA's order
    of escalation (``keten.chain.allocation``). ``amv``: how many of them are unaccompanied
    minors; by default today's share of amv among the residents of reception (every location
    kind but detention and the GGV), rounded. ``rows``: the day's ``per_location`` when the
    caller has read them already."""
    n = (
        DEFAULT_ARRIVALS
        if arrivals in (None, "")
        else whole_number(arrivals, "arrivals", low=1, high=MAX_ARRIVALS)
    )
    if rows is None:
        rows = per_location(actor, on)
    reception = [r for r in rows if r.extra["kind"] in RECEPTION_KINDS]
    if amv in (None, ""):
        residents = sum(r.occupancy for r in reception)
        minors = round(n * sum(r.amv for r in reception) / residents) if residents else 0
    else:
        minors = whole_number(amv, "amv", low=0, high=n)
    rooms = [
        room(r.key, str(r.extra["kind"]), r.places, r.reserve, r.occupancy)
        for r in rows
        if r.extra["open"]
    ]
    done = allocate(n, minors, rooms)
    names = {r.key: r.name for r in rows}
    steps = {s.id: s for s in (*AMV_STEPS, *STEPS)}
    by_step = done.by_step()
    return {
        "on": on.isoformat(),
        "arrivals": n,
        "amv": minors,
        "placed": n - done.unplaced - done.unplaced_amv,
        "unplaced": done.unplaced,
        "unplaced_amv": done.unplaced_amv,
        "steps": [
            {"step": s.id, "name": s.nl, "name_en": s.en, "placed": by_step.get(s.id, 0)}
            for s in (*STEPS, *AMV_STEPS)
        ],
        "results": [
            {
                "step": step,
                "step_name": steps[step].nl,
                "step_name_en": steps[step].en,
                "location": code,
                "name": names[code],
                "placed": placed,
            }
            for step, code, placed in done.placed
        ],
        "source": {"document": SEED_001, "quote": SEED_001_ESCALATION},
    }


# The kinds whose residents are the COA's and Nidos's reception (the forecast's occupancy and
# the amv share); detention centres, the closed family facility and the border location hold,
# they do not receive.
RECEPTION_KINDS = frozenset(LOCATION_KINDS) - {"detention_centre", "ggv", "border"}
