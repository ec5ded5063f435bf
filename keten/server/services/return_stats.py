"""Departure statistics: departures per month by kind, nationality and destination, counted
from the standing departure events (``keten.chain.departure_kinds``) of standing departure
procedures. Aggregates only: no person is named, so no read of personal data is audited; who may
read them is ``return_statistics`` in policy.yaml (DTenV, IOM, the ministry). They count every
departure in the chain, not only the persons in the reader's scope: a figure is no dossier.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import date, timedelta
from typing import Any

from keten.chain.countries import country
from keten.chain.departure_kinds import DEPARTURE_EVENTS, DEPARTURE_KINDS, kind_of
from keten.server.dossiers.models import ProcedureEvent
from keten.server.services.actor import Actor
from keten.server.services.bounds import (
    EARLIEST_EVENT_DAY,
    day_within,
    latest_day,
    nl_day,
    parse_day,
)
from keten.server.services.errors import BadInputError
from keten.server.services.policy import check
from keten.server.services.withdrawals import standing

# A year by default; at most ten years in one answer (a row per month, kind and country).
DEFAULT_DAYS = 365
MAX_SPAN_DAYS = 3660


def _span(raw_from: str | None, raw_to: str | None, on: date) -> tuple[date, date]:
    end = parse_day(raw_to, "to") if raw_to else on
    start = parse_day(raw_from, "from") if raw_from else end - timedelta(days=DEFAULT_DAYS - 1)
    day_within(start, "from", EARLIEST_EVENT_DAY, latest_day())
    day_within(end, "to", EARLIEST_EVENT_DAY, latest_day())
    if end < start:
        raise BadInputError(
            "to",
            f"must not be before from ({start.isoformat()})",
            f"mag niet vóór from ({nl_day(start)}) liggen",
        )
    if (end - start).days > MAX_SPAN_DAYS:
        raise BadInputError(
            "from",
            f"the period may span at most {MAX_SPAN_DAYS} days",
            f"de periode beslaat ten hoogste {MAX_SPAN_DAYS} dagen",
        )
    return start, end


def _rows(start: date, end: date) -> list[tuple[date, str, dict[str, Any], str]]:
    events = standing(
        "event",
        ProcedureEvent.objects.filter(
            procedure__procedure_type="departure",
            kind__in=DEPARTURE_EVENTS,
            day__gte=start,
            day__lte=end,
        ),
    )
    return list(events.values_list("day", "kind", "data", "procedure__person__nationality"))


def statistics(actor: Actor, raw_from: str | None, raw_to: str | None, on: date) -> dict[str, Any]:
    check(actor.role, "return_statistics", "read")
    start, end = _span(raw_from, raw_to, on)
    counts: Counter[tuple[str, str, str, str]] = Counter()
    escorted: Counter[str] = Counter()
    for day, event_kind, data, nationality in _rows(start, end):
        data = data or {}
        kind = kind_of(event_kind, data)
        if kind is None:
            continue
        month = f"{day.year:04d}-{day.month:02d}"
        counts[(month, kind, nationality or "XXX", data.get("destination") or "")] += 1
        if kind == "forced" and data.get("escorted") is True:
            escorted[month] += 1
    months = sorted({m for m, *_ in counts})
    by_month = []
    for m in months:
        per_kind = dict.fromkeys(DEPARTURE_KINDS, 0)
        for (month, kind, _n, _d), n in counts.items():
            if month == m:
                per_kind[kind] += n
        by_month.append(
            {
                "month": m,
                "total": sum(per_kind.values()),
                "by_kind": per_kind,
                "forced_escorted": escorted[m],
            }
        )
    rows = [
        {
            "month": month,
            "kind": kind,
            "nationality": nat,
            "nationality_name": _name(nat),
            "destination": dest or None,
            "destination_name": _name(dest) if dest else None,
            "departures": n,
        }
        for (month, kind, nat, dest), n in sorted(counts.items())
    ]
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "kinds": {k: {"nl": v.nl, "en": v.en} for k, v in DEPARTURE_KINDS.items()},
        "total": sum(counts.values()),
        "months": by_month,
        "results": rows,
    }


def _name(code: str) -> str:
    found = country(code)
    return found.name_nl if found else code


CSV_COLUMNS = ("month", "kind", "nationality", "destination", "departures")


def statistics_csv(actor: Actor, raw_from: str | None, raw_to: str | None, on: date) -> str:
    data = statistics(actor, raw_from, raw_to, on)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in data["results"]:
        writer.writerow(
            [r["month"], r["kind"], r["nationality"], r["destination"] or "", r["departures"]]
        )
    return out.getvalue()
