"""The location register: where COA, Nidos and DJI house or hold people, with each location's
places over time, and the checks a placement into a registered location must pass.

A location is registered by an organisation of a kind that runs such locations
(``data/reception/location_kinds.yaml`` ``operators``) and is changed only by its operator.
Its capacity is the step function of its ``CapacityChange`` rows: an opening, expansions
(a temporary one writes its own reduction), reductions, a closing, and changes of the reserve
(seed 001 4.1: "daarnaast wordt eventuele reservecapaciteit ingezet"). Every figure of who
stays there is counted with ``occupancy_count``, the one counting rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import F

from keten.chain.locations import (
    LOCATION_KINDS,
    PLACEMENTS_AT,
    SITED_PLACEMENTS,
    WHO,
    admits,
    location_rules,
)
from keten.server.audit.log import Entry, append
from keten.server.dossiers.models import CapacityChange, Location, Person
from keten.server.organisations.models import Organisation
from keten.server.services import scope
from keten.server.services.actor import Actor
from keten.server.services.bounds import EARLIEST_RECORD_DAY, nl_day, whole_number
from keten.server.services.errors import (
    BadInputError,
    ConflictError,
    ContradictionError,
    ForbiddenError,
    NotFoundError,
)
from keten.server.services.family import minor_in_family
from keten.server.services.inputs import choice, day, text, version
from keten.server.services.occupancy_count import occupied, staying
from keten.server.services.policy import check
from keten.server.services.writing import atomic, reason_of, recorded

# The largest location the COA runs holds some 2,000 people (Ter Apel); a hundred thousand
# places is more than the whole country's reception and bounds a typing error, not a plan.
MAX_PLACES = 100_000
# A code names a location in URLs and forms: lower-case letters, digits and hyphens.
CODE = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")
# Placement kinds whose place may also be outside the register: a Nidos foster family is a
# home, not a location (its small-scale units are registered).
SITE_OPTIONAL = frozenset({"nidos_family"})

CHANGES_NL = {
    "opening": "opening",
    "expansion": "uitbreiding",
    "reduction": "inkrimping",
    "closing": "sluiting",
    "reserve": "reserve gewijzigd",
}


@dataclass(frozen=True)
class Capacity:
    places: int
    reserve: int

    @property
    def usable(self) -> int:
        """Places that may be taken without deploying the reserve."""
        return max(0, self.places - self.reserve)


def capacity_on(rows: Iterable[CapacityChange], on: date) -> Capacity:
    """The capacity that holds on ``on``: the last row (by day, then by entry) from before or
    on it; none before the opening."""
    current = Capacity(0, 0)
    for row in sorted(rows, key=lambda r: (r.valid_from, r.pk)):
        if row.valid_from > on:
            break
        current = Capacity(row.places, row.reserve)
    return current


def _capacities(ids: Iterable[int]) -> dict[int, list[CapacityChange]]:
    out: dict[int, list[CapacityChange]] = {}
    for row in CapacityChange.objects.filter(location_id__in=list(ids)).order_by(
        "valid_from", "id"
    ):
        out.setdefault(row.location_id, []).append(row)
    return out


def is_open(loc: Location, on: date) -> bool:
    return loc.opened <= on and (loc.closes is None or on < loc.closes)


def _kind_names(kind: str) -> tuple[str, str]:
    k = LOCATION_KINDS.get(kind)
    return (k.nl, k.en) if k else (kind, kind)


def row_json(loc: Location, cap: Capacity, staying_n: int) -> dict[str, Any]:
    nl, en = _kind_names(loc.kind)
    return {
        "code": loc.code,
        "name": loc.name,
        "kind": loc.kind,
        "kind_text": nl,
        "kind_text_en": en,
        "operator": loc.operator_id,
        "municipality": loc.municipality,
        "province": loc.province,
        "opened": loc.opened.isoformat(),
        "closes": loc.closes.isoformat() if loc.closes else None,
        "version": loc.version,
        "places": cap.places,
        "reserve": cap.reserve,
        "occupied": staying_n,
        "free": max(0, cap.usable - staying_n),
        "full": staying_n >= cap.usable,
    }


def _found(code: str) -> Location:
    loc = Location.objects.filter(code=code).first() if CODE.match(code) else None
    if loc is None:
        raise NotFoundError(
            f"no location {code!r}",
            field="code",
            rule="must be a registered location",
            detail_nl=f"geen locatie {code!r}",
            rule_nl="moet een geregistreerde locatie zijn",
        )
    return loc


# -- reading -----------------------------------------------------------------------------------


def register(actor: Actor, on: date) -> dict[str, Any]:
    """Every registered location with its capacity, reserve and occupancy on ``on`` (figures
    only: no person is named, so there is nothing personal to audit)."""
    check(actor.role, "location", "read")
    locs = list(Location.objects.order_by("province", "kind", "name"))
    caps = _capacities(loc.pk for loc in locs)
    counts = occupied(on)
    rows = [
        row_json(loc, capacity_on(caps.get(loc.pk, []), on), counts.get(loc.pk, 0)) for loc in locs
    ]
    return {
        "on": on.isoformat(),
        "results": rows,
        "totals": {
            "places": sum(r["places"] for r in rows),
            "reserve": sum(r["reserve"] for r in rows),
            "occupied": sum(r["occupied"] for r in rows),
        },
    }


def location(actor: Actor, code: str, on: date) -> dict[str, Any]:
    """One location on ``on``: its figures, its capacity history (each change with who, when
    and why) and the persons staying there whom the reader may see; reading them is audited
    as every read of personal data is."""
    check(actor.role, "location", "read")
    loc = _found(code)
    caps = _capacities([loc.pk]).get(loc.pk, [])
    here = list(staying(on, [loc.pk]).order_by("start", "id"))
    out = row_json(loc, capacity_on(caps, on), len(here))
    out["on"] = on.isoformat()
    out["history"] = [
        {
            "change": c.change,
            "change_text": CHANGES_NL.get(c.change, c.change),
            "valid_from": c.valid_from.isoformat(),
            "places": c.places,
            "reserve": c.reserve,
            "note": c.note,
            "recorded_by": c.recorded_by,
            "recorded_org": c.recorded_org,
            "recorded_at": c.recorded_at.isoformat(),
            "reason": c.reason,
        }
        for c in caps
    ]
    rules = location_rules()[loc.kind]
    who_en, who_nl = WHO[rules.who]
    out["allows"] = {
        "placements": list(rules.placements),
        "operators": list(rules.operators),
        "max_stay_days": rules.max_stay_days,
        "who": rules.who,
        "who_text": who_nl,
        "who_text_en": who_en,
        "sources": [{"seed": s.seed, "quote": s.quote} for s in rules.sources],
        "uncertain": rules.uncertain,
    }
    out["persons"] = _staying_persons(actor, loc, here)
    return out


def _staying_persons(actor: Actor, loc: Location, here: list[Any]) -> list[dict[str, Any]]:
    if not (actor.role.can("placement", "read") and actor.role.can("identity", "read")):
        return []
    visible = set(
        scope.persons(actor)
        .filter(pk__in=[pl.person_id for pl in here])
        .values_list("pk", flat=True)
    )
    shown = [pl for pl in here if pl.person_id in visible]
    persons = {p.pk: p for p in Person.objects.filter(pk__in=[pl.person_id for pl in shown])}
    out = [
        {
            "person": pl.person_id,
            "v_number": persons[pl.person_id].v_number,
            "name": f"{persons[pl.person_id].given_names} {persons[pl.person_id].surname}",
            "placement": pl.pk,
            "kind": pl.kind,
            "start": pl.start.isoformat(),
            "end": pl.end.isoformat() if pl.end else None,
            "overcapacity": pl.overcapacity,
        }
        for pl in shown
    ]
    if shown:  # one operation: the persons this location's page shows
        append(
            actor.audit,
            [
                Entry(
                    "location.read",
                    "read",
                    "placement",
                    ("v_number", "name", "placement.kind", "placement.start", "placement.end"),
                    tuple((pl.person_id, persons[pl.person_id].v_number) for pl in shown),
                    object_ref=f"location:{loc.pk}",
                )
            ],
        )
    return out


def open_sites(actor: Actor, on: date) -> list[dict[str, Any]]:
    """The actor's organisation's locations open on ``on`` with their free places: what the
    dossier's placement form offers (figures only)."""
    locs = [
        loc
        for loc in Location.objects.filter(operator_id=actor.organisation).order_by("name")
        if is_open(loc, on)
    ]
    caps = _capacities(loc.pk for loc in locs)
    counts = occupied(on, [loc.pk for loc in locs])
    return [
        row_json(loc, capacity_on(caps.get(loc.pk, []), on), counts.get(loc.pk, 0)) for loc in locs
    ]


# -- writing -----------------------------------------------------------------------------------


def _places(data: dict[str, Any], field: str, *, required: bool = True) -> int | None:
    raw = data.get(field)
    if raw in (None, ""):
        if required:
            raise BadInputError(field, "is required", "is verplicht")
        return None
    return whole_number(raw, field, low=0, high=MAX_PLACES)


def _reserve(data: dict[str, Any], places: int, default: int = 0) -> int:
    reserve = _places(data, "reserve", required=False)
    if reserve is None:
        reserve = min(default, places)
    if reserve > places:
        raise BadInputError(
            "reserve",
            f"must not exceed the places ({places})",
            f"mag niet groter zijn dan het aantal plaatsen ({places})",
        )
    return reserve


def _operator_kind(actor: Actor, kind: str) -> None:
    operators = location_rules()[kind].operators
    if actor.organisation_kind not in operators:
        nl, _ = _kind_names(kind)
        listed = ", ".join(operators)
        raise ForbiddenError(
            f"{actor.organisation} does not run locations of kind {kind}",
            field="kind",
            rule=f"data/reception/location_kinds.yaml: {kind} is run by {listed}",
            detail_nl=f"{actor.organisation} beheert geen locaties van de soort ‘{nl}’",
            rule_nl=f"locatiesoorten: ‘{nl}’ wordt beheerd door {listed}",
        )


def _own(actor: Actor, loc: Location) -> None:
    if loc.operator_id != actor.organisation:
        raise ForbiddenError(
            f"{actor.organisation} does not run location {loc.code} ({loc.operator_id} does)",
            field="code",
            rule="a location's capacity is changed by its operator only",
            detail_nl=f"{actor.organisation} beheert locatie {loc.code} niet "
            f"({loc.operator_id} wel)",
            rule_nl="de capaciteit van een locatie wijzigt alleen haar beheerder",
        )


def _audit(actor: Actor, name: str, fields: tuple[str, ...], loc: Location) -> None:
    # No person's data, but a change to the register: who changed what is in the audit log,
    # committed with the write.
    append(actor.audit, [Entry(name, "write", "location", fields, object_ref=f"location:{loc.pk}")])


def register_location(actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    """Register a location run by the actor's organisation, opening on ``opened`` with
    ``places`` places of which ``reserve`` are held back (the opening capacity row)."""
    check(actor.role, "location", "write")
    code = text(data, "code", max_len=64)
    if not CODE.match(code):
        raise BadInputError(
            "code",
            "lower-case letters, digits and hyphens, 2 to 64, starting with a letter or digit",
            "kleine letters, cijfers en koppeltekens, 2 tot 64, beginnend met letter of cijfer",
        )
    kind = choice(data, "kind", LOCATION_KINDS)
    _operator_kind(actor, kind)
    name = text(data, "name", max_len=200)
    municipality = text(data, "municipality", max_len=64)
    province = text(data, "province", max_len=64)
    opened = day(data, "opened", earliest=EARLIEST_RECORD_DAY)
    assert opened is not None  # required
    places = _places(data, "places")
    assert places is not None
    reserve = _reserve(data, places)
    note = text(data, "note", required=False, max_len=2000)
    reason = reason_of(data)

    def run() -> dict[str, Any]:
        if Location.objects.filter(code=code).exists():
            raise ContradictionError(
                "code",
                f"location {code} is registered already: change its capacity instead",
                f"locatie {code} is al geregistreerd: wijzig haar capaciteit",
            )
        loc = Location.objects.create(
            code=code,
            name=name,
            kind=kind,
            operator=Organisation.objects.get(code=actor.organisation),
            municipality=municipality,
            province=province,
            opened=opened,
        )
        CapacityChange.objects.create(
            location=loc,
            change="opening",
            valid_from=opened,
            places=places,
            reserve=reserve,
            note=note,
            **recorded(actor, reason),
        )
        _audit(
            actor,
            "location.register",
            ("code", "name", "kind", "municipality", "province", "opened", "places", "reserve"),
            loc,
        )
        return location(actor, code, max(opened, date.today()))

    result: dict[str, Any] = atomic(run)
    return result


def _bump(loc: Location, expected: int | None) -> Location:
    expected = version(expected)
    if not Location.objects.filter(pk=loc.pk, version=expected).update(version=F("version") + 1):
        current = Location.objects.get(pk=loc.pk)
        raise ConflictError(
            f"location {loc.code} is at version {current.version}, not {expected}",
            current_version=current.version,
            current={"code": current.code, "version": current.version},
        )
    loc.refresh_from_db()
    return loc


def change_capacity(
    actor: Actor, code: str, data: dict[str, Any], expected: int | None
) -> dict[str, Any]:
    """Record a change of a location's capacity from ``valid_from`` on: ``expansion`` or
    ``reduction`` to ``places`` (an expansion with ``until`` is temporary and writes the
    reduction back on that day too), ``reserve`` deployed or restored, ``closing`` (refused
    while anyone still stays there on that day: move them first) or a new ``opening`` of a
    closed location."""
    check(actor.role, "location", "write")
    change = choice(data, "change", dict(CapacityChange.CHANGES))
    valid_from = day(data, "valid_from", earliest=EARLIEST_RECORD_DAY)
    assert valid_from is not None
    until = day(data, "until", required=False, earliest=EARLIEST_RECORD_DAY)
    if until is not None and change != "expansion":
        raise BadInputError(
            "until", "only a temporary expansion ends", "alleen een tijdelijke uitbreiding eindigt"
        )
    if until is not None and until <= valid_from:
        raise BadInputError(
            "until",
            f"must be after valid_from ({valid_from.isoformat()})",
            f"moet na de ingangsdatum ({nl_day(valid_from)}) liggen",
        )
    places = _places(data, "places", required=change in ("expansion", "reduction", "opening"))
    note = text(data, "note", required=False, max_len=2000)
    reason = reason_of(data)

    def run() -> dict[str, Any]:
        loc = _found(code)
        _own(actor, loc)
        loc = _bump(loc, expected)
        rows = list(CapacityChange.objects.filter(location=loc))
        before = capacity_on(rows, valid_from)
        if valid_from < loc.opened:
            raise ContradictionError(
                "valid_from",
                f"the location opened on {loc.opened.isoformat()}",
                f"de locatie is geopend op {nl_day(loc.opened)}",
            )
        written: list[tuple[str, date, int, int]] = []
        if change == "opening":
            if loc.closes is None or valid_from < loc.closes:
                raise ContradictionError(
                    "change",
                    "the location is open: only a closed location opens again",
                    "de locatie is open: alleen een gesloten locatie gaat opnieuw open",
                )
            assert places is not None
            written.append(("opening", valid_from, places, _reserve(data, places)))
            loc.closes = None
        elif loc.closes is not None and valid_from >= loc.closes:
            raise ContradictionError(
                "valid_from",
                f"the location closes on {loc.closes.isoformat()}",
                f"de locatie sluit op {nl_day(loc.closes)}",
            )
        elif change == "expansion":
            assert places is not None
            if places <= before.places:
                raise ContradictionError(
                    "places",
                    f"an expansion raises the places above {before.places}",
                    f"een uitbreiding verhoogt het aantal plaatsen boven {before.places}",
                )
            reserve = _reserve(data, places, before.reserve)
            written.append(("expansion", valid_from, places, reserve))
            if until is not None:
                back = capacity_on(rows, until)
                written.append(("reduction", until, back.places, min(back.reserve, back.places)))
        elif change == "reduction":
            assert places is not None
            if places >= before.places:
                raise ContradictionError(
                    "places",
                    f"a reduction lowers the places below {before.places}",
                    f"een inkrimping verlaagt het aantal plaatsen onder {before.places}",
                )
            written.append(
                ("reduction", valid_from, places, _reserve(data, places, before.reserve))
            )
        elif change == "reserve":
            if "reserve" not in data:
                raise BadInputError("reserve", "is required", "is verplicht")
            written.append(("reserve", valid_from, before.places, _reserve(data, before.places)))
        else:  # closing
            still = staying(valid_from, [loc.pk]).count()
            if still:
                raise ContradictionError(
                    "valid_from",
                    f"{still} persons still stay at {loc.code} on {valid_from.isoformat()}: "
                    "move them (a placement with move: true) before it closes",
                    f"{still} personen verblijven op {nl_day(valid_from)} nog in {loc.name}: "
                    "verhuis hen eerst (plaatsing met ‘verhuizing’)",
                )
            written.append(("closing", valid_from, 0, 0))
            loc.closes = valid_from
        for kind, when, n, reserve in written:
            CapacityChange.objects.create(
                location=loc,
                change=kind,
                valid_from=when,
                places=n,
                reserve=reserve,
                note=note,
                **recorded(actor, reason),
            )
        if change in ("opening", "closing"):
            Location.objects.filter(pk=loc.pk).update(closes=loc.closes)
        _audit(actor, f"location.{change}", ("valid_from", "places", "reserve"), loc)
        return location(actor, loc.code, valid_from)

    result: dict[str, Any] = atomic(run)
    return result


# -- placing -----------------------------------------------------------------------------------


def place(actor: Actor, p: Person, values: dict[str, Any], today: date) -> dict[str, Any]:
    """A placement's values with its registered location resolved and checked: the location
    exists, is open on the start day, is of a kind that takes this placement kind, is run by
    the placing organisation, admits this person, and has a usable place on the start day
    (else refused, unless ``overcapacity`` says the placer places over capacity knowingly).
    The placement's ``location`` text becomes the register's name."""
    kind = values["kind"]
    code = values["site"]
    if code is None:
        if kind in SITED_PLACEMENTS and kind not in SITE_OPTIONAL:
            raise BadInputError(
                "site",
                f"a placement of kind {kind} names its registered location (site)",
                "een plaatsing van deze soort noemt haar geregistreerde locatie (site)",
            )
        if not values["location"]:
            raise BadInputError("location", "is required", "is verplicht")
        if values["overcapacity"]:
            raise BadInputError(
                "overcapacity",
                "only a placement at a registered location is over its capacity",
                "alleen een plaatsing in een geregistreerde locatie kan boven capaciteit zijn",
            )
        return {**values, "site": None}
    if kind not in SITED_PLACEMENTS:
        raise BadInputError(
            "site",
            f"a placement of kind {kind} is not at a registered location: describe it in location",
            "deze soort plaatsing is niet in een geregistreerde locatie: beschrijf haar bij "
            "locatie",
        )
    # Locked until the command commits: two placements into a location's last place are
    # counted one after the other, so the second sees the first and is refused.
    found = Location.objects.select_for_update().filter(code=code) if CODE.match(code) else None
    loc = found.first() if found is not None else None
    if loc is None:
        raise BadInputError("site", f"no location {code!r}", f"geen locatie {code!r}")
    start: date = values["start"]
    nl, _ = _kind_names(loc.kind)
    if not is_open(loc, start):
        when = f"opened {loc.opened.isoformat()}" + (
            f", closes {loc.closes.isoformat()}" if loc.closes else ""
        )
        when_nl = f"geopend {nl_day(loc.opened)}" + (
            f", sluit {nl_day(loc.closes)}" if loc.closes else ""
        )
        raise ContradictionError(
            "site",
            f"{loc.name} is not open on {start.isoformat()} ({when})",
            f"{loc.name} is niet open op {nl_day(start)} ({when_nl})",
        )
    if kind not in PLACEMENTS_AT[loc.kind]:
        listed = ", ".join(PLACEMENTS_AT[loc.kind])
        raise ContradictionError(
            "site",
            f"{loc.name} is a location of kind {loc.kind}, which takes {listed}, not {kind}",
            f"{loc.name} is een locatie van de soort ‘{nl}’, die {listed} opneemt, niet {kind}",
        )
    if loc.operator_id != actor.organisation:
        raise ContradictionError(
            "site",
            f"{loc.name} is run by {loc.operator_id}: {actor.organisation} places only in its "
            "own locations",
            f"{loc.name} wordt beheerd door {loc.operator_id}: {actor.organisation} plaatst "
            "alleen in eigen locaties",
        )
    rules = location_rules()[loc.kind]
    if not admits(loc.kind, p.unaccompanied_minor, minor_in_family(p, start) is not None):
        who_en, who_nl = WHO[rules.who]
        quote = rules.sources[-1].quote if rules.sources else ""
        raise ContradictionError(
            "site",
            f"{loc.name} takes {who_en}"
            + (f" (source: {rules.sources[-1].seed}: “{quote}”)" if quote else ""),
            f"{loc.name} neemt op: {who_nl}" + (f" (bron: “{quote}”)" if quote else ""),
        )
    cap = capacity_on(CapacityChange.objects.filter(location=loc), start)
    # The person's own place does not count: a move within the location frees it that day.
    taken = staying(start, [loc.pk]).exclude(person=p).count()
    if taken >= cap.usable and not values["overcapacity"]:
        raise ContradictionError(
            "site",
            f"{loc.name} is full on {start.isoformat()}: {taken} staying, {cap.places} places "
            f"of which {cap.reserve} reserve; send overcapacity: true to place over capacity",
            f"{loc.name} is vol op {nl_day(start)}: {taken} bewoners, {cap.places} plaatsen "
            f"waarvan {cap.reserve} reserve; kies ‘boven capaciteit’ om toch te plaatsen",
        )
    # Marked only when it is so: a request that allowed overcapacity where there was room
    # is an ordinary placement.
    over = taken >= cap.usable
    return {**values, "site": loc, "location": loc.name, "overcapacity": over}
