"""The taakstelling per municipality and half-year: the quota announced, the permit holders
housed against it, and the province's intervention ladder (seed 001, 4.5).

Each municipality's half-year is an organisation-level procedure of the catalogue's
``taakstelling`` type (no person): ``period_start``, ``announced`` carrying ``quota`` (a later
announcement revises it) and ``period_closed`` optionally carrying the established ``housed``.
What was housed is counted from the dossiers: the municipal housing placements in the
municipality that began in the half-year, one per person. Only figures leave this module, no
personal data, so reading it writes no audit record; every change is a recorded event (who,
when, why) like any other procedure's, and an audit record naming the half-year.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import Substr

from keten.catalog.derive import Event, derive
from keten.catalog.loader import get_procedure
from keten.chain.housing_quota import SOURCE, HalfYear, Realisation, distribute, ladder
from keten.server.audit.log import Entry, append
from keten.server.dossiers.models import Handover, Placement, Procedure, ProcedureEvent
from keten.server.organisations.models import Organisation
from keten.server.services.actor import Actor
from keten.server.services.bounds import day_within, latest_day, nl_day
from keten.server.services.commands import validate_events
from keten.server.services.derived import refresh, state_of
from keten.server.services.errors import BadInputError, ConflictError
from keten.server.services.inputs import day, text, version
from keten.server.services.policy import check, policy
from keten.server.services.withdrawals import standing
from keten.server.services.writing import atomic, recorded

TYPE = "taakstelling"
PREFIX = "gemeente-"
# What an event records about a half-year: the announcement its quota, the closing the
# established number housed (optional: without it Keten's count stands).
VALUE_OF = {"announced": "quota", "period_closed": "housed"}
SHOWN_BEFORE = 3  # half-years before the current one shown by default


@dataclass
class _HalfYearFile:
    """One municipality's half-year as its events tell it."""

    municipality: str
    period: HalfYear
    procedure: Procedure | None = None
    events: list[Event] = field(default_factory=list)

    def latest(self, kind: str) -> Event | None:
        found = [e for e in self.events if e.kind == kind]
        return found[-1] if found else None


def municipalities() -> dict[str, str]:
    """Short name ("utrecht") -> name of every municipality organisation in the policy."""
    return {
        o["code"].removeprefix(PREFIX): o["name"]
        for o in policy().organisations
        if o["kind"] == "municipality"
    }


def _visible(actor: Actor) -> dict[str, str]:
    """A municipality sees its own half-years, a province those of its municipalities; the
    other roles that may read, all of them."""
    known = municipalities()
    if actor.organisation_kind == "municipality":
        own = actor.organisation.removeprefix(PREFIX)
        return {own: known[own]} if own in known else {}
    if actor.organisation_kind == "province":
        supervised = {
            o["code"].removeprefix(PREFIX)
            for o in policy().organisations
            if o["kind"] == "municipality" and o.get("province") == actor.organisation
        }
        return {m: name for m, name in known.items() if m in supervised}
    return known


def _files(names: Iterable[str]) -> dict[tuple[str, HalfYear], _HalfYearFile]:
    procs = {
        p.pk: p
        for p in Procedure.objects.filter(
            person__isnull=True, procedure_type=TYPE, municipality__in=list(names)
        )
    }
    events: dict[int, list[Event]] = defaultdict(list)
    rows = ProcedureEvent.objects.filter(procedure_id__in=list(procs))
    for e in standing("event", rows).order_by("day", "id"):
        events[e.procedure_id].append(Event(e.kind, e.day, e.data or {}))
    files: dict[tuple[str, HalfYear], _HalfYearFile] = {}
    for pk, proc in procs.items():
        starts = [e.day for e in events[pk] if e.kind == "period_start"]
        if not starts or proc.municipality is None:
            continue  # not a half-year (never written so by this module or the sample)
        key = (proc.municipality, HalfYear.of(starts[0]))
        files[key] = _HalfYearFile(key[0], key[1], proc, events[pk])
    return files


def _housed(names: list[str], periods: Iterable[HalfYear]) -> dict[tuple[str, HalfYear], int]:
    """Persons whose municipal housing placement in the municipality began in the half-year."""
    counts: dict[tuple[str, HalfYear], int] = {}
    for period in periods:
        rows = (
            standing(
                "placement",
                Placement.objects.filter(
                    kind="municipal_housing",
                    municipality__in=names,
                    start__gte=period.start,
                    start__lte=period.end,
                ),
            )
            .values_list("municipality")
            .annotate(n=Count("person", distinct=True))
        )
        for municipality, n in rows:
            counts[(municipality, period)] = n
    return counts


def _waiting(names: list[str], on: date) -> dict[str, int]:
    """Permit holders matched to the municipality by COA who were not housed by ``on``."""
    housed = standing(
        "placement",
        Placement.objects.filter(
            person_id=OuterRef("person_id"), kind="municipal_housing", start__lte=on
        ),
    )
    matched = Handover.objects.filter(
        kind="housing_match", to_org_id__in=[PREFIX + n for n in names], day__lte=on
    )
    rows = (
        standing("handover", matched)
        .exclude(Exists(housed))
        .annotate(municipality=Substr("to_org_id", len(PREFIX) + 1))
        .values_list("municipality")
        .annotate(n=Count("person", distinct=True))
    )
    return dict(rows)


def _row(
    f: _HalfYearFile,
    name: str,
    result: Realisation,
    rung: int,
    on: date,
    waiting: int | None,
) -> dict[str, Any]:
    announced = f.latest("announced")
    closed = f.latest("period_closed")
    announcement = None
    if f.procedure is not None:
        deadline = state_of(f.procedure, on, f.events).deadline("announcement")
        announcement = {"due": deadline.date, "status": deadline.status}
    met = result.met(on)
    if result.quota is None:
        status = "not_announced"
    elif met is None:
        status = "upcoming" if on < f.period.start else "running"
    else:
        status = "met" if met else "not_met"
    return {
        "municipality": f.municipality,
        "name": name,
        "period": f.period.label,
        "start": f.period.start,
        "end": f.period.end,
        "procedure": f.procedure.pk if f.procedure is not None else None,
        "quota": result.quota,
        "announced_on": announced.day if announced is not None else None,
        "announcement": announcement,
        "housed": result.housed,
        "established": result.established,
        "realised": result.realised,
        "remaining": result.remaining,
        "status": status,
        "closed_on": closed.day if closed is not None else None,
        "days_left": (f.period.end - on).days if status == "running" else None,
        "rung": rung,
        "waiting": waiting,
    }


def overview(actor: Actor, on: date, period: str = "", municipality: str = "") -> dict[str, Any]:
    """Every visible municipality's half-years: the current one, the three before it and the
    next once it has been announced (or the one ``period`` names), with the ladder's rung."""
    check(actor.role, "taakstelling", "read")
    _on_or_after_first(on)
    visible = _visible(actor)
    if municipality:
        if municipality not in visible:
            raise BadInputError(
                "municipality",
                f"must be one of: {', '.join(sorted(visible)) or 'none'}",
                f"moet een van deze zijn: {', '.join(sorted(visible)) or 'geen'}",
            )
        visible = {municipality: visible[municipality]}
    wanted = _half_year(period, on) if period else None
    names = sorted(visible)
    everyone = _files(municipalities())  # a half-year's version counts every municipality's file
    files = {key: f for key, f in everyone.items() if key[0] in visible}
    current = HalfYear.of(on)
    periods = {p for _, p in files} | {current}
    if wanted is not None:
        periods.add(wanted)
    for m in names:  # a half-year nobody announced still shows, as not announced
        for p in periods:
            files.setdefault((m, p), _HalfYearFile(m, p))
    housed = _housed(names, periods)
    waiting = _waiting(names, on)
    earliest = current
    for _ in range(SHOWN_BEFORE):
        earliest = earliest.previous()
    rows = []
    for m in names:
        mine = sorted((f for (mm, _), f in files.items() if mm == m), key=lambda f: f.period)
        results = [_realisation(f, housed.get((m, f.period), 0)) for f in mine]
        rungs = ladder(results, on)
        for f, result, rung in zip(mine, results, rungs, strict=True):
            shown = (
                f.period == wanted
                if wanted is not None
                else earliest <= f.period <= current
                or (f.period > current and f.procedure is not None)
            )
            if shown:
                row_waiting = waiting.get(m, 0) if f.period == current else None
                rows.append(_row(f, visible[m], result, rung, on, row_waiting))
    rows.sort(key=lambda r: (r["municipality"], r["start"]))
    return {
        "on": on,
        "source": SOURCE,
        "current": current.label,
        "versions": {p.label: half_year_version(p, everyone) for p in sorted(_shown_periods(rows))},
        "totals": _totals(rows),
        "next": _next_announcement(files, names, current, on),
        "results": rows,
    }


def _totals(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per half-year over the municipalities shown: the quotas announced, what was realised
    against them, and how many municipalities met theirs (the figures reported upwards)."""
    out = []
    for period in sorted(_shown_periods(rows)):
        mine = [r for r in rows if r["period"] == period.label]
        announced = [r for r in mine if r["quota"] is not None]
        out.append(
            {
                "period": period.label,
                "municipalities": len(mine),
                "announced": len(announced),
                "quota": sum(r["quota"] for r in announced),
                "realised": sum(r["realised"] for r in announced),
                "met": sum(r["status"] == "met" for r in mine),
                "not_met": sum(r["status"] == "not_met" for r in mine),
            }
        )
    return out


def _shown_periods(rows: list[dict[str, Any]]) -> set[HalfYear]:
    return {HalfYear.parse(r["period"]) for r in rows}


def _realisation(f: _HalfYearFile, housed: int) -> Realisation:
    announced, closed = f.latest("announced"), f.latest("period_closed")
    quota = announced.data.get("quota") if announced is not None else None
    established = closed.data.get("housed") if closed is not None else None
    return Realisation(f.period, quota, housed, established)


def _next_announcement(
    files: dict[tuple[str, HalfYear], _HalfYearFile], names: list[str], current: HalfYear, on: date
) -> dict[str, Any]:
    """The half-year after the current one: by when it must be announced, and for how many of
    the visible municipalities it has been."""
    upcoming = current.next()
    state = derive(get_procedure(TYPE), [Event("period_start", upcoming.start)], facts={}, on=on)
    deadline = state.deadline("announcement")
    done = sum(
        1
        for m in names
        if (f := files.get((m, upcoming))) is not None and f.latest("announced") is not None
    )
    return {
        "period": upcoming.label,
        "due": deadline.date,
        "days_left": deadline.days_left,
        "citation": deadline.citation,
        "announced": done,
        "municipalities": len(names),
    }


# -- recording -------------------------------------------------------------------------------


def half_year_version(
    period: HalfYear, files: dict[tuple[str, HalfYear], _HalfYearFile] | None = None
) -> int:
    """The half-year's version: the sum of its files' versions (0 before any announcement).

    Every event on a file raises that file's version and every new file starts at 1, so any
    change to the half-year raises the sum: one version for the whole half-year, which is what
    a form or a client announcing for all municipalities at once has read. ``files``: already
    read (every municipality's), else read here.
    """
    if files is None:
        files = _files(municipalities())
    return sum(f.procedure.version for (_, p), f in files.items() if p == period and f.procedure)


def record(actor: Actor, data: dict[str, Any], expected: int | None, on: date) -> dict[str, Any]:
    """Announce a half-year's quotas (or revise them), or establish its result, for one or more
    municipalities at once: all of them or none. Quotas are given per municipality
    (``figures``), or as the national figure and the municipalities' populations, split as the
    seed says (``national``, ``populations``).

    ``expected`` is the half-year's version the caller read (optimistic concurrency, as on every
    other write): a write based on an older reading gets 409 and the current version.
    """
    check(actor.role, "taakstelling", "write")
    kind = text(data, "kind", max_len=32)
    if kind not in VALUE_OF:
        raise BadInputError(
            "kind",
            f"must be one of: {', '.join(VALUE_OF)}",
            f"moet een van deze zijn: {', '.join(VALUE_OF)}",
        )
    period = _half_year(text(data, "period", max_len=16), on)
    when = day(data, "day", earliest=FIRST_ANNOUNCEMENT_DAY)
    assert when is not None
    if kind == "announced" and when > period.end:
        raise BadInputError(
            "day",
            f"a quota for {period} is announced before the half-year ends ({period.end})",
            f"een taakstelling voor {period} wordt bekendgemaakt vóór het einde van het "
            f"halfjaar ({nl_day(period.end)})",
        )
    if kind == "period_closed" and when <= period.end:
        raise BadInputError(
            "day",
            f"the result of {period} is established after it ends ({period.end})",
            f"de realisatie van {period} wordt vastgesteld na afloop ervan ({nl_day(period.end)})",
        )
    if "national" in data or "populations" in data:
        if kind != "announced" or "figures" in data:
            raise BadInputError(
                "national",
                "only to announce, and instead of figures: one or the other",
                "alleen bij bekendmaken, en in plaats van de cijfers per gemeente: het een of "
                "het ander",
            )
        figures = _distributed(data.get("national"), data.get("populations"))
    else:
        figures = _figures(data.get("figures"), kind)
    reason = text(data, "reason", max_len=2000)
    expected = version(expected)

    def run() -> dict[str, Any]:
        # Every municipality's row locked, in one order: two writes to one half-year wait for
        # each other, and the second finds the version the first left.
        list(Organisation.objects.select_for_update().filter(kind="municipality").order_by("code"))
        files = _files(municipalities())  # read once, under the lock
        current = half_year_version(period, files)
        if current != expected:
            raise ConflictError(
                f"half-year {period} is at version {current}, not {expected}",
                current_version=current,
                current={"period": period.label, "version": current},
            )
        written = [
            _record_one(actor, kind, files.get((m, period)), period, when, m, value, i, reason)
            for i, (m, value) in enumerate(figures)
        ]
        # No person's data, but a change to what municipalities are held to: who announced or
        # established what is in the audit log too, committed with the write.
        append(
            actor.audit,
            [
                Entry(
                    f"taakstelling.{kind}",
                    "write",
                    "taakstelling",
                    tuple(f"{m}.{VALUE_OF[kind]}" for m, _ in figures),
                    object_ref=f"taakstelling:{period}",
                )
            ],
        )
        return {
            "period": period.label,
            "kind": kind,
            "version": half_year_version(period),
            "results": written,
        }

    result: dict[str, Any] = atomic(run)
    return result


def _whole(value: Any, least: int, most: int) -> bool:
    """A whole number within [least, most]; JSON's true is not one, though Python's bool is."""
    return isinstance(value, int) and not isinstance(value, bool) and least <= value <= most


# The taakstelling exists since the Huisvestingswet 2014 came into force (catalog:
# taakstelling.yaml, in_force_from 2014-07-01); a half-year is announced at most ten years
# ahead, like any other planned day (bounds.YEARS_AHEAD).
FIRST_HALF_YEAR = HalfYear(2014, 2)
# The first taakstelling is announced in the half-year before it: no taakstelling day, and no
# overview, lies earlier.
FIRST_ANNOUNCEMENT_DAY = FIRST_HALF_YEAR.previous().start
# Upper bounds that no real figure comes near, so that a typing error (or 10**30) is refused
# before it is stored and breaks the sums every reader sees: a municipality's half-year quota
# (Amsterdam's is some hundreds), the national half-year figure (about ten thousand in recent
# years), a municipality's inhabitants (the whole country has under twenty million).
MAX_QUOTA = 100_000
MAX_NATIONAL = 1_000_000
MAX_POPULATION = 20_000_000


def _on_or_after_first(on: date) -> None:
    """The overview shows the half-year ``on`` lies in and the next one's announcement: from
    the half-year before the first taakstelling on (the first is announced in it). Before,
    the next half-year's deadline could not be derived and the page answered 500."""
    day_within(
        on,
        "on",
        FIRST_ANNOUNCEMENT_DAY,
        on,
        why=(
            f": the first taakstelling is {FIRST_HALF_YEAR} (the Huisvestingswet 2014)",
            f": de eerste taakstelling is {FIRST_HALF_YEAR} (de Huisvestingswet 2014)",
        ),
    )


def _half_year(label: str, on: date) -> HalfYear:
    try:
        found = HalfYear.parse(label)
    except ValueError as exc:
        raise BadInputError(
            "period", str(exc), f"{label!r} is geen halfjaar zoals 2027-I of 2027-II"
        ) from None
    last = HalfYear.of(latest_day(on))
    if not FIRST_HALF_YEAR <= found <= last:
        raise BadInputError(
            "period",
            f"must lie between {FIRST_HALF_YEAR} (the Huisvestingswet 2014) and {last}",
            f"moet tussen {FIRST_HALF_YEAR} (de Huisvestingswet 2014) en {last} liggen",
        )
    return found


def _distributed(national: Any, populations: Any) -> list[tuple[str, int | None]]:
    """The quotas of a national figure split by population (seed 001, 4.5)."""
    if not _whole(national, 0, MAX_NATIONAL):
        raise BadInputError(
            "national",
            f"the national quota: a whole number of persons, 0 to {MAX_NATIONAL}",
            f"de landelijke taakstelling: een geheel aantal personen, 0 tot en met {MAX_NATIONAL}",
        )
    if not isinstance(populations, dict) or not populations:
        raise BadInputError(
            "populations",
            "an object of municipality: number of inhabitants",
            "een object van gemeente naar aantal inwoners",
        )
    known = municipalities()
    for municipality, n in populations.items():
        if municipality not in known:
            raise BadInputError(
                f"populations.{municipality}",
                f"must be one of: {', '.join(sorted(known))}",
                f"moet een van deze zijn: {', '.join(sorted(known))}",
            )
        if not _whole(n, 1, MAX_POPULATION):
            raise BadInputError(
                f"populations.{municipality}",
                f"inhabitants: a whole number, 1 to {MAX_POPULATION}",
                f"inwoners: een geheel getal, 1 tot en met {MAX_POPULATION}",
            )
    return list(distribute(national, populations).items())


def _figures(raw: Any, kind: str) -> list[tuple[str, int | None]]:
    if not isinstance(raw, list) or not raw:
        raise BadInputError(
            "figures",
            "must be a non-empty list of {municipality, value}",
            "moet een niet-lege lijst van {municipality, value} zijn",
        )
    known = municipalities()
    seen: set[str] = set()
    out = []
    for i, item in enumerate(raw):
        where = f"figures[{i}]"
        if not isinstance(item, dict):
            raise BadInputError(
                where,
                "must be an object with municipality and value",
                "moet een object met gemeente (municipality) en waarde (value) zijn",
            )
        municipality = item.get("municipality")
        if municipality not in known:
            raise BadInputError(
                f"{where}.municipality",
                f"must be one of: {', '.join(sorted(known))}",
                f"moet een van deze zijn: {', '.join(sorted(known))}",
            )
        if municipality in seen:
            raise BadInputError(
                f"{where}.municipality",
                f"{municipality} is given twice",
                f"{municipality} staat er twee keer in",
            )
        seen.add(municipality)
        value = item.get("value")
        if value is None and kind == "announced":
            raise BadInputError(
                f"{where}.value",
                f"{municipality}: the quota is required",
                f"{municipality}: de taakstelling is verplicht",
            )
        if value is not None and not _whole(value, 0, MAX_QUOTA):
            raise BadInputError(
                f"{where}.value",
                f"{municipality}: a whole number of persons, 0 to {MAX_QUOTA}",
                f"{municipality}: een geheel aantal personen, 0 tot en met {MAX_QUOTA}",
            )
        out.append((municipality, value))
    return out


def _record_one(
    actor: Actor,
    kind: str,
    f: _HalfYearFile | None,
    period: HalfYear,
    when: date,
    municipality: str,
    value: int | None,
    index: int,
    reason: str,
) -> dict[str, Any]:
    """One municipality's event on its half-year's file ``f``, as read under the write's lock;
    its first announcement opens the file."""
    event = Event(kind, when, {} if value is None else {VALUE_OF[kind]: value})
    if f is None or f.procedure is None:
        if kind != "announced":
            raise BadInputError(
                f"figures[{index}].municipality",
                f"{municipality} has no quota announced for {period}: announce it first",
                f"voor {municipality} is geen taakstelling voor {period} bekendgemaakt: maak "
                "die eerst bekend",
            )
        written = [Event("period_start", period.start), event]
        validate_events(TYPE, written, {}, new=[event])
        proc = Procedure.objects.create(
            person=None, procedure_type=TYPE, municipality=municipality, facts={}
        )
    else:
        proc = f.procedure
        validate_events(TYPE, [*f.events, event], proc.facts, new=[event])
        proc.version += 1
        Procedure.objects.filter(pk=proc.pk).update(version=proc.version)
        written = [event]
    for e in written:
        ProcedureEvent.objects.create(
            procedure=proc, kind=e.kind, day=e.day, data=dict(e.data), **recorded(actor, reason)
        )
    refresh(proc)
    return {
        "municipality": municipality,
        "procedure": proc.pk,
        "event": kind,
        VALUE_OF[kind]: value,
    }
