"""Occupancy and capacity over time: a daily (or weekly) series per location, province, kind or
nationally, from the placements' starts and ends and the capacity changes.

Not a query per day: the occupancy of the first day is ``occupancy_count.occupied`` (the one
counting rule); after it, a day's occupancy is the day before's plus the placements that start
on it less those that end on it (a placement runs until its end day, ``access.running``, so it
no longer counts on its end day). Both are read as counts per (location, day) in two GROUP BY
queries over the same standing placements, so the series equals ``occupied`` on every day.
Capacity is the step function of the ``CapacityChange`` rows, read once.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from django.db.models import Count

from keten.server.dossiers.models import CapacityChange, Location, Placement
from keten.server.services import withdrawals
from keten.server.services.actor import Actor
from keten.server.services.bounds import day_within
from keten.server.services.errors import BadInputError
from keten.server.services.occupancy import BY, kind_name, visible_locations
from keten.server.services.occupancy_count import occupied
from keten.server.services.occupancy_sql import remembered
from keten.time.dated import as_date

MAX_DAYS = 400  # about thirteen months: a year and its month before
WEEKLY_FROM = 120  # longer spans are shown per week (the Monday of each), short ones per day
DEFAULT_DAYS = 90


def _changes(first: date, last: date, ids: list[int]) -> dict[int, dict[date, int]]:
    """Per location, the day-to-day change in occupancy on each day in (first, last]."""
    rows = withdrawals.standing(
        "placement", Placement.objects.filter(site_id__in=ids, site__isnull=False)
    )
    delta: dict[int, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    starts = (
        rows.filter(start__gt=first, start__lte=last)
        .values_list("site_id", "start")
        .annotate(n=Count("id"))
        .order_by()
    )
    for site, day, n in starts:
        delta[site][as_date(day)] += n
    # Only those that had started by their end day (a placement ending the day it starts
    # counts on no day: +1 and -1 the same day).
    ends = (
        rows.filter(end__gt=first, end__lte=last)
        .values_list("site_id", "end")
        .annotate(n=Count("id"))
        .order_by()
    )
    for site, day, n in ends:
        delta[site][as_date(day)] -= n
    return delta


def _capacity(last: date, ids: list[int]) -> dict[int, list[tuple[date, int, int]]]:
    """Per location, its capacity changes up to ``last`` in the order they take effect."""
    rows = (
        CapacityChange.objects.filter(location_id__in=ids, valid_from__lte=last)
        .order_by("location_id", "valid_from", "id")
        .values_list("location_id", "valid_from", "places", "reserve")
    )
    out: dict[int, list[tuple[date, int, int]]] = defaultdict(list)
    for site, day, places, reserve in rows:
        out[site].append((as_date(day), places, reserve))
    return out


def series(
    actor: Actor,
    first: date,
    last: date,
    by: str = "national",
    key: str = "",
) -> dict[str, Any]:
    """Occupancy, places and reserve from ``first`` to ``last`` (at most 400 days), per day or,
    for spans over 120 days, per week; ``by`` location, province, kind or national, ``key``
    narrowing it to one of them (a location's code, a province, a kind)."""
    if by not in (*BY, "national"):
        options = ", ".join((*BY, "national"))
        raise BadInputError(
            "by", f"{by!r} is not one of: {options}", f"{by!r} is geen van: {options}"
        )
    day_within(
        last,
        "to",
        first,
        first + timedelta(days=MAX_DAYS - 1),
        why=(
            f" (a series spans at most {MAX_DAYS} days)",
            f" (een reeks beslaat hoogstens {MAX_DAYS} dagen)",
        ),
    )
    locations = list(visible_locations(actor))
    if key:
        attribute = {"location": "code", "province": "province", "kind": "kind"}.get(by)
        if attribute is None:
            raise BadInputError(
                "key",
                "only with by=location, province or kind",
                "alleen bij by=location, province of kind",
            )
        locations = [loc for loc in locations if getattr(loc, attribute) == key]
    ids = [loc.pk for loc in locations]
    group_of = {
        loc.pk: (
            "NL"
            if by == "national"
            else {"location": loc.code, "province": loc.province, "kind": loc.kind}[by]
        )
        for loc in locations
    }
    # Counted for every location once per change of the chain (occupancy_sql.remembered),
    # then narrowed to the reader's locations and the asked group.
    every = list(Location.objects.values_list("pk", flat=True))
    now = dict(remembered("occupied", (first,), lambda: occupied(first, every))) if ids else {}
    delta = (
        remembered("changes", (first, last), lambda: _changes(first, last, every)) if ids else {}
    )
    capacity = _capacity(last, ids) if ids else {}
    weekly = (last - first).days + 1 > WEEKLY_FROM
    groups = sorted(set(group_of.values()))
    points: dict[str, list[dict[str, Any]]] = {g: [] for g in groups}
    step = dict.fromkeys(ids, 0)  # index of the next capacity change to take effect
    held = dict.fromkeys(ids, (0, 0))
    day = first
    while day <= last:
        if day > first:
            for site in ids:
                now[site] = now.get(site, 0) + delta.get(site, {}).get(day, 0)
        for site in ids:
            changes = capacity.get(site, [])
            while step[site] < len(changes) and changes[step[site]][0] <= day:
                held[site] = changes[step[site]][1:]
                step[site] += 1
        if not weekly or day in (first, last) or day.weekday() == 0:
            sums: dict[str, list[int]] = {g: [0, 0, 0] for g in groups}
            for site in ids:
                s = sums[group_of[site]]
                s[0] += now.get(site, 0)
                s[1] += held[site][0]
                s[2] += held[site][1]
            for g in groups:
                occ, places, reserve = sums[g]
                points[g].append(
                    {"day": day.isoformat(), "occupancy": occ, "places": places, "reserve": reserve}
                )
        day += timedelta(days=1)
    return {
        "from": first.isoformat(),
        "to": last.isoformat(),
        "by": by,
        "key": key or None,
        "step": "week" if weekly else "day",
        "results": [
            {
                "key": g,
                "name": kind_name(g) if by == "kind" else ("Nederland" if g == "NL" else g),
                "points": points[g],
            }
            for g in groups
        ],
    }
