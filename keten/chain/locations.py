"""Kinds of location where the chain houses or holds people, and the placement kinds each takes.

Seed 001 (4.1, 4.2) and seed 002 describe the reception landscape: regular azc's, emergency
locations ("noodopvanglocaties (bijvoorbeeld in evenementenhallen)"), crisis reception as the last
resort ("max. 7 dagen opvang in bijv. lokale sporthallen"), sober reception for track 2, small-scale
units for unaccompanied minors, the application centres, the closed family facility and the
border location at Schiphol where the border procedure is held (seed 004, seed 002).
What each kind allows (who runs it, the placement kinds recorded there, who may be placed, for
how long) is data with its sources in ``data/reception/location_kinds.yaml``; this module names
the kinds, reads that file, and answers the two questions others ask of it: may this person be
placed at a location of this kind (``admits``), and has a stay outlasted its kind's maximum
(``overstay``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

import yaml

from keten._data import data_path
from keten.chain.kinds import SEED_001, SEED_004, Kind, _index

SEED_002 = "002_7c211f7c90b156ae.txt"

LOCATION_KINDS = _index(
    Kind("regular", "Asielzoekerscentrum (azc)", "Regular reception centre (azc)", SEED_001),
    Kind("emergency", "Noodopvanglocatie", "Emergency reception location", SEED_001),
    Kind("crisis", "Crisisnoodopvang", "Crisis emergency reception", SEED_001),
    Kind("sober", "Versoberde opvang (spoor 2)", "Sober reception (track 2)", SEED_001),
    Kind(
        "amv_small_scale",
        "Kleinschalige opvang amv",
        "Small-scale unit for unaccompanied minors",
        SEED_001,
    ),
    Kind("family_location", "Gezinslocatie", "Family location"),
    Kind("application_centre", "Aanmeldcentrum", "Application centre", SEED_004),
    Kind("ggv", "Gesloten gezinsvoorziening (GGV)", "Closed family facility (GGV)", SEED_004),
    Kind("detention_centre", "Detentiecentrum", "Detention centre"),
    Kind(
        "border",
        "Grenslocatie (AC Schiphol, Justitieel Complex Schiphol)",
        "Border location (application centre Schiphol, Justitieel Complex Schiphol)",
        SEED_004,
    ),
)

# The kinds' ids in order, as the API documents them (an enum named LocationKindEnum).
LOCATION_KIND_IDS = tuple(sorted(LOCATION_KINDS))


@dataclass(frozen=True)
class Source:
    seed: str
    quote: str


@dataclass(frozen=True)
class KindRules:
    """What a location of one kind allows (``data/reception/location_kinds.yaml``)."""

    kind: str
    operators: tuple[str, ...]  # organisation kinds that run (and place at) such a location
    placements: tuple[str, ...]  # keten.chain.kinds.PLACEMENT_TYPES recorded there
    max_stay_days: int | None
    who: str  # one of WHO
    sources: tuple[Source, ...]
    uncertain: str = ""


# Who may be placed at a location (``who`` in the data file), in English and Dutch.
WHO: dict[str, tuple[str, str]] = {
    "any": ("anyone", "iedereen"),
    "amv_only": (
        "unaccompanied minors only",
        "alleen alleenstaande minderjarige vreemdelingen (amv)",
    ),
    "not_amv": (
        "anyone but an unaccompanied minor",
        "iedereen behalve een alleenstaande minderjarige vreemdeling (amv)",
    ),
    "amv_or_family": (
        "an unaccompanied minor or a family with minor children",
        "een amv of een gezin met minderjarige kinderen",
    ),
    "family_with_minors": (
        "families with minor children only",
        "alleen gezinnen met minderjarige kinderen",
    ),
    "no_amv_or_family": (
        "anyone but an unaccompanied minor or a family with minor children",
        "iedereen behalve een amv of een gezin met minderjarige kinderen",
    ),
}


def _rules(kind: str, raw: dict[str, Any]) -> KindRules:
    who = str(raw["who"])
    if who not in WHO:
        raise ValueError(f"location_kinds.yaml: {kind}: who {who!r} is not one of {sorted(WHO)}")
    limit = raw.get("max_stay_days")
    return KindRules(
        kind=kind,
        operators=tuple(raw["operators"]),
        placements=tuple(raw["placements"]),
        max_stay_days=int(limit) if limit is not None else None,
        who=who,
        sources=tuple(Source(str(s["seed"]), str(s["quote"])) for s in raw.get("sources") or ()),
        uncertain=str(raw.get("uncertain", "")),
    )


@cache
def location_rules() -> dict[str, KindRules]:
    """Every location kind's rules, read once; the file must cover exactly LOCATION_KINDS."""
    raw = yaml.safe_load(data_path("reception", "location_kinds.yaml").read_text("utf-8"))
    rules = {kind: _rules(kind, body) for kind, body in raw["kinds"].items()}
    if set(rules) != set(LOCATION_KINDS):
        raise ValueError(
            f"location_kinds.yaml covers {sorted(rules)}, not the kinds {sorted(LOCATION_KINDS)}"
        )
    return rules


# Which placement kinds (``keten.chain.kinds.PLACEMENT_TYPES``) are recorded at a location of
# each kind. Kinds not listed here (a municipal home, a foster family) have no register entry.
PLACEMENTS_AT: dict[str, tuple[str, ...]] = {
    kind: rules.placements for kind, rules in location_rules().items()
}
# Placement kinds that name a registered location (``site``): all the others are free text.
SITED_PLACEMENTS = frozenset(kind for kinds in PLACEMENTS_AT.values() for kind in kinds)
# The location kind of a placement kind that only one location kind takes (a crisis placement
# is at a crisis location): what a placement entered as free text before the register counts
# its stay against.
LOCATION_OF_PLACEMENT: dict[str, str] = {
    placement: kinds[0]
    for placement in SITED_PLACEMENTS
    if len(kinds := [k for k, taken in PLACEMENTS_AT.items() if placement in taken]) == 1
}


def admits(kind: str, unaccompanied_minor: bool, family_with_minors: bool) -> bool:
    """Whether a person may be placed at a location of ``kind``: an unaccompanied minor (the
    dossier's amv mark), or a member of a family with minor children, or neither."""
    who = location_rules()[kind].who
    if who == "amv_only":
        return unaccompanied_minor
    if who == "not_amv":
        return not unaccompanied_minor
    if who == "amv_or_family":
        return unaccompanied_minor or family_with_minors
    if who == "family_with_minors":
        return family_with_minors
    if who == "no_amv_or_family":
        return not (unaccompanied_minor or family_with_minors)
    return True


@dataclass(frozen=True)
class Overstay:
    """A stay that has outlasted its kind's maximum: on day ``since`` and every day after."""

    kind: str
    max_days: int
    since: date
    days: int  # calendar days stayed by ``on``, the first day counted as day 1
    source: Source


def overstay(kind: str, start: date, on: date, end: date | None = None) -> Overstay | None:
    """Whether a stay at a location of ``kind`` that began on ``start`` (and ends on ``end``,
    if it does: the last day is the day before) exceeds the kind's maximum on ``on``, and
    since when. Days are counted from the first day as day 1, so a 7-day maximum is exceeded
    on the 8th day, ``start + 7``. None when the kind has no maximum or it is not exceeded."""
    rules = location_rules().get(kind)
    if rules is None or rules.max_stay_days is None:
        return None
    last = on if end is None else min(on, end - timedelta(days=1))
    days = (last - start).days + 1
    if days <= rules.max_stay_days:
        return None
    return Overstay(
        kind=kind,
        max_days=rules.max_stay_days,
        since=start + timedelta(days=rules.max_stay_days),
        days=days,
        source=rules.sources[0],
    )
