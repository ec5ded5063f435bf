"""Deriving a procedure's regime, deadlines and dwangsom from its dated events.

This is the scalar path: one procedure, every step explained. ``keten.catalog.bulk`` computes
the same dates for arrays of procedures; tests hold the two paths to each other.

The order in which a deadline is built is fixed, whatever the order of the events: the base
length (or the variant the facts select), then extensions in catalogue order, then suspensions,
then the maximum, then the calendar rules of the counting system. A fixed order makes the result
independent of how events were entered and lets the bulk path reproduce it exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from keten.catalog.model import (
    Condition,
    DeadlineKind,
    DeadlineSpec,
    ProcedureType,
    RegimeSpec,
    Source,
    StartSpec,
    Text,
)
from keten.time.counting import Counting, raw_period, settle_end
from keten.time.dwangsom import DwangsomResult, compute_dwangsom
from keten.time.periods import Period, PeriodError, period_end, period_start_backwards
from keten.time.trail import Trail, TrailStep

FactValue = str | int | bool


class InputError(ValueError):
    """Bad input: ``field`` names what was wrong, ``rule`` says which rule it breaks."""

    def __init__(self, field: str, rule: str, rule_nl: str | None = None) -> None:
        super().__init__(f"{field}: {rule}")
        self.field = field
        self.rule = rule
        self.rule_nl = rule_nl  # the rule in Dutch, as a person at the chain reads it


@dataclass(frozen=True)
class Event:
    kind: str
    day: date
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DeadlineResult:
    id: str
    name: Text
    kind: DeadlineKind
    date: date | None
    status: str
    citation: str
    trail: Trail
    days_left: int | None
    responsible: str | None
    # The length and source that applied: the base term's or the variant's the facts chose
    # (what the detention overview quotes as the reason for a limit).
    length: Period | None = None
    source: Source | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name.nl,
            "name_en": self.name.en,
            "kind": self.kind.value,
            "date": self.date.isoformat() if self.date else None,
            "status": self.status,
            "days_left": self.days_left,
            "responsible": self.responsible,
            "citation": self.citation,
            "trail": [step.to_json() for step in self.trail],
        }


@dataclass(frozen=True)
class ProcedureState:
    procedure: ProcedureType
    on: date
    regime: RegimeSpec | None
    regime_trail: Trail
    deadlines: tuple[DeadlineResult, ...]
    dwangsom: DwangsomResult | None

    def deadline(self, deadline_id: str) -> DeadlineResult:
        for d in self.deadlines:
            if d.id == deadline_id:
                return d
        raise KeyError(deadline_id)

    def to_json(self) -> dict[str, Any]:
        return {
            "procedure": self.procedure.id,
            "on": self.on.isoformat(),
            "regime": self.regime.id if self.regime else None,
            "regime_name": self.regime.name.nl if self.regime else None,
            "regime_trail": [s.to_json() for s in self.regime_trail],
            "deadlines": [d.to_json() for d in self.deadlines],
            "dwangsom": self.dwangsom.to_json() if self.dwangsom else None,
        }


# -- validation -----------------------------------------------------------------------------------


def validate_inputs(
    pt: ProcedureType, events: Iterable[Event], facts: Mapping[str, FactValue]
) -> list[Event]:
    accepted = {e.kind for e in pt.events}
    checked = []
    for event in events:
        if event.kind not in accepted:
            raise InputError(
                "event",
                f"{event.kind!r} is not an event of procedure {pt.id!r}; accepted: "
                f"{', '.join(sorted(accepted))}",
                f"{event.kind!r} is geen gebeurtenis van procedure {pt.id!r}; toegestaan: "
                f"{', '.join(sorted(accepted))}",
            )
        if event.day < pt.in_force_from or (pt.in_force_to and event.day > pt.in_force_to):
            span = f"{pt.in_force_from}..{pt.in_force_to or ''}"
            raise InputError(
                "event",
                f"{event.kind}={event.day.isoformat()} lies outside the period procedure "
                f"{pt.id!r} is in force ({span})",
                f"{event.kind}={event.day.isoformat()} ligt buiten de periode waarin procedure "
                f"{pt.id!r} geldt ({span})",
            )
        checked.append(event)
    for name in facts:
        if name not in pt.facts:
            known = ", ".join(sorted(pt.facts)) or "none"
            raise InputError(
                "fact",
                f"{name!r} is not a fact of procedure {pt.id!r}; known: {known}",
                f"{name!r} is geen feit van procedure {pt.id!r}; bekend: {known}",
            )
    return sorted(checked, key=lambda e: e.day)


def check_event_data(pt: ProcedureType, event: Event) -> None:
    """The values an event carries, against those its kind declares: checked when an event is
    recorded. ``derive`` does not check them, so a history recorded before a kind declared its
    values still reads (an announcement without a quota is one whose quota is unknown)."""
    spec = pt.event_spec(event.kind)
    if spec is None or not spec.data:
        return
    for key in event.data:
        if key not in spec.data:
            raise InputError(
                f"data.{key}",
                f"{event.kind} carries {', '.join(sorted(spec.data))}; {key!r} is not one of them",
                f"{event.kind} bevat {', '.join(sorted(spec.data))}; {key!r} hoort daar niet bij",
            )
    for key, datum in spec.data.items():
        value = event.data.get(key)
        if value is None:
            if datum.required:
                raise InputError(
                    f"data.{key}",
                    f"{event.kind} requires {key} ({datum.name.en})",
                    f"{event.kind} vereist {key} ({datum.name.nl})",
                )
            continue
        if datum.type == "flag":
            if not isinstance(value, bool):
                raise InputError(
                    f"data.{key}",
                    f"must be true or false ({datum.name.en}); got {value!r}",
                    f"moet waar of onwaar zijn ({datum.name.nl}); gegeven: {value!r}",
                )
            continue
        # bool is an int in Python; "yes" is not a number of people.
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise InputError(
                f"data.{key}",
                f"must be a whole number, 0 or more ({datum.name.en}); got {value!r}",
                f"moet een geheel getal zijn, 0 of meer ({datum.name.nl}); gegeven: {value!r}",
            )


# -- helpers -------------------------------------------------------------------------------------


class _Context:
    def __init__(
        self,
        pt: ProcedureType,
        events: list[Event],
        facts: Mapping[str, FactValue],
        on: date,
    ) -> None:
        self.pt = pt
        self.events = events
        self.facts = facts
        self.on = on
        self.results: dict[str, DeadlineResult] = {}

    def of_kind(self, kind: str, since: date | None = None) -> list[Event]:
        return [e for e in self.events if e.kind == kind and (since is None or e.day >= since)]

    def holds(self, cond: Condition, trail: Trail) -> bool:
        if cond.fact is not None:
            if cond.fact not in self.facts:
                if any(s.code == "note" and s.args.get("fact") == cond.fact for s in trail):
                    return False  # said once per trail is enough
                # Named by the fact's description in the catalogue, as the officer knows it
                # from the facts form, not by its key (issue 16: "feit 'group' niet vastgelegd").
                spec = self.pt.facts.get(cond.fact)
                label_nl = spec.nl if spec is not None else cond.fact
                label_en = spec.en if spec is not None else cond.fact
                trail.append(
                    TrailStep(
                        "note",
                        {
                            "fact": cond.fact,
                            "text": f"not recorded ({label_en}): treated as not met",
                            "text_nl": f"niet vastgelegd ({label_nl}): geldt als niet vervuld",
                        },
                    )
                )
                return False
            return self.facts[cond.fact] == cond.equals
        if cond.event is not None:
            return bool(self.of_kind(cond.event))
        if cond.all is not None:
            return all(self.holds(c, trail) for c in cond.all)
        if cond.any is not None:
            return any(self.holds(c, trail) for c in cond.any)
        assert cond.not_ is not None
        return not self.holds(cond.not_, trail)

    def start(self, spec: StartSpec, trail: Trail) -> date | None:
        if spec.event is not None:
            found = self.of_kind(spec.event)
            if not found:
                return None
            event = found[0] if spec.occurrence == "first" else found[-1]
            trail.append(
                TrailStep(
                    "start",
                    {"event": self.pt.event_name(spec.event).model_dump(), "day": event.day},
                    None,
                )
            )
            return event.day
        if spec.deadline is not None:
            other = self.results.get(spec.deadline)
            if other is None or other.date is None:
                return None
            trail.append(
                TrailStep(
                    "derived_from",
                    {"other": other.name.model_dump(), "day": other.date},
                    other.citation,
                )
            )
            return other.date
        candidates: list[tuple[date, Trail]] = []
        for sub in spec.parts():
            sub_trail: Trail = []
            day = self.start(sub, sub_trail)
            if day is not None:
                candidates.append((day, sub_trail))
        if not candidates:
            return None
        pick = min if spec.first_of is not None else max
        day, sub_trail = pick(candidates, key=lambda c: c[0])
        trail.extend(sub_trail)
        return day

    def missing_start_text(self, spec: StartSpec) -> dict[str, str]:
        if spec.event is not None:
            return self.pt.event_name(spec.event).model_dump()
        if spec.deadline is not None:
            name = self.pt.deadline(spec.deadline).name
            return {"nl": f"datum '{name.nl}'", "en": f"date of '{name.en}'"}
        parts = [self.missing_start_text(s) for s in spec.parts()]
        return {
            "nl": " of ".join(p["nl"] for p in parts),
            "en": " or ".join(p["en"] for p in parts),
        }


def _event_length(event: Event, cap: Period) -> Period:
    """An extension event may carry a shorter length than the maximum the law allows."""
    if "length" not in event.data:
        return cap
    try:
        length = Period.parse(str(event.data["length"]))
    except PeriodError as exc:
        raise InputError(
            "event", f"{event.kind}: {exc}", f"{event.kind}: ongeldige duur ({exc})"
        ) from exc
    if length.unit != cap.unit or length.amount > cap.amount:
        raise InputError(
            "event",
            f"{event.kind}: length {length} exceeds the maximum {cap}",
            f"{event.kind}: duur {length} is langer dan het maximum {cap}",
        )
    return length


def _status(
    kind: DeadlineKind, due: date, stopped: date | None, on: date, tacit: bool = False
) -> str:
    if kind is DeadlineKind.NOT_BEFORE:
        return "elapsed" if on > due else "waiting"
    if kind is DeadlineKind.ENDS:
        if stopped is not None:
            return "ended" if stopped <= due else "ended_late"
        return "running" if on <= due else "expired"
    if stopped is not None:
        return "met" if stopped <= due else "late"
    if on > due:
        return "lapsed" if tacit else "overdue"  # the law settled what follows
    return "open"


STATUS_TEXT = {
    "met": {"nl": "op tijd", "en": "in time"},
    "late": {"nl": "te laat", "en": "late"},
    "ended": {"nl": "beëindigd binnen de termijn", "en": "ended within the period"},
    "ended_late": {"nl": "beëindigd na de termijn", "en": "ended after the period"},
}


def _deadline(
    ctx: _Context, d: DeadlineSpec, regime: RegimeSpec | None, regime_trail: Trail
) -> DeadlineResult | None:
    if d.regimes is not None and (regime is None or regime.id not in d.regimes):
        return None
    trail: Trail = list(regime_trail)
    if d.applies_if is not None and not ctx.holds(d.applies_if, trail):
        return None

    citation = d.source.citation
    length, source, counting = d.length, d.source, d.counting

    def result(day: date | None, status: str, days_left: int | None) -> DeadlineResult:
        return DeadlineResult(
            d.id,
            d.name,
            d.kind,
            day,
            status,
            citation,
            trail,
            days_left,
            d.responsible,
            length,
            source,
        )

    start = ctx.start(d.start, trail)
    if start is None:
        trail.append(TrailStep("start_missing", {"event": ctx.missing_start_text(d.start)}, None))
        return result(None, "not_started", None)

    for variant in d.variants:
        if ctx.holds(variant.when, trail):
            length, source = variant.length, variant.source
            counting = variant.counting or d.counting
            citation = source.citation
            trail.append(TrailStep("variant", {"length": length.label()}, source.citation))
            break

    if d.backwards:
        due = _backward_end(d, start, length, counting, source, trail)
    else:
        forward = _forward_end(ctx, d, start, length, counting, source, trail)
        if forward is None:
            return result(None, "suspended", None)
        due = forward
        if d.start_day_counts:
            due -= timedelta(days=1)
            trail.append(
                TrailStep(
                    "note",
                    {
                        "text": f"The period includes the day it starts ({start.isoformat()}), "
                        f"so it ends the day before: {due.isoformat()}.",
                        "text_nl": f"De periode omvat haar begindag ({start.isoformat()}) en "
                        f"eindigt dus een dag eerder: {due.isoformat()}.",
                    },
                    source.citation,
                )
            )

    # A backward deadline falls before its reference event, so its stop can come before it too.
    since = None if d.backwards else start
    stops = sorted((e for k in d.stop for e in ctx.of_kind(k, since=since)), key=lambda e: e.day)
    stopped = stops[0].day if stops else None
    status = _status(d.kind, due, stopped, ctx.on, tacit=d.tacit is not None)
    if stops:
        trail.append(
            TrailStep(
                "closed",
                {
                    "event": ctx.pt.event_name(stops[0].kind).model_dump(),
                    "day": stops[0].day,
                    "status": STATUS_TEXT[status],
                },
                None,
            )
        )
    if d.tacit is not None and status == "lapsed":
        trail.append(
            TrailStep("note", {"text": d.tacit.en, "text_nl": d.tacit.nl}, source.citation)
        )
    return result(due, status, None if stopped is not None else (due - ctx.on).days)


def _backward_end(
    d: DeadlineSpec,
    reference: date,
    length: Period,
    counting: Counting,
    source: Source,
    trail: Trail,
) -> date:
    raw = period_start_backwards(reference, length)
    trail.append(
        TrailStep(
            "period",
            {"length": length.label(), "day": reference, "end": raw.end},
            source.citation,
            uncertain=source.uncertain,
            uncertain_nl=source.uncertain_nl,
        )
    )
    settled = settle_end(
        reference, raw.end, length, counting, backwards=True, policy_source=source.citation
    )
    trail.extend(_settlement_steps(d, settled.trail, source.citation))
    return settled.end


def _forward_end(
    ctx: _Context,
    d: DeadlineSpec,
    start: date,
    length: Period,
    counting: Counting,
    source: Source,
    trail: Trail,
) -> date | None:
    """Base length, extensions, suspensions, maximum, calendar; ``None`` while suspended."""
    raw_end, steps = raw_period(
        start, length, source.citation, source.uncertain, source.uncertain_nl
    )
    trail.extend(steps)
    end = _extend(ctx, d, start, raw_end, length, counting, trail)
    suspended = _suspend(ctx, d, start, end, trail)
    if suspended is None:
        return None
    end = suspended
    if d.maximum is not None:
        cap = period_end(start, d.maximum.length).end
        if end > cap:
            end = cap
            trail.append(
                TrailStep(
                    "maximum",
                    {"length": d.maximum.length.label(), "day": start, "end": cap},
                    d.maximum.source.citation,
                    uncertain=d.maximum.source.uncertain,
                    uncertain_nl=d.maximum.source.uncertain_nl,
                )
            )
    settled = settle_end(start, end, length, counting, policy_source=source.citation)
    trail.extend(_settlement_steps(d, settled.trail, source.citation))
    return settled.end


def _extend(
    ctx: _Context,
    d: DeadlineSpec,
    start: date,
    end: date,
    length: Period,
    counting: Counting,
    trail: Trail,
) -> date:
    for ext in d.extensions:
        reason = ctx.pt.event_name(ext.event).model_dump()
        applied = 0
        for event in ctx.of_kind(ext.event, since=start):
            current = settle_end(start, end, length, counting).end
            why = None
            if applied >= ext.max_times:
                why = {
                    "nl": f"ten hoogste {ext.max_times} keer",
                    "en": f"at most {ext.max_times} times",
                }
            elif ext.must_precede_end and event.day > current:
                why = {
                    "nl": f"besloten na het einde van de termijn ({current.isoformat()})",
                    "en": f"decided after the period had ended ({current.isoformat()})",
                }
            if why is not None:
                trail.append(
                    TrailStep(
                        "extension_refused",
                        {"reason": reason, "day": event.day, "why": why},
                        ext.source.citation,
                    )
                )
                continue
            ext_length = _event_length(event, ext.length)
            end = period_end(end, ext_length).end
            applied += 1
            trail.append(
                TrailStep(
                    "extension",
                    {"length": ext_length.label(), "reason": reason, "end": end},
                    ext.source.citation,
                    uncertain=ext.source.uncertain,
                    uncertain_nl=ext.source.uncertain_nl,
                )
            )
    return end


def _suspend(ctx: _Context, d: DeadlineSpec, start: date, end: date, trail: Trail) -> date | None:
    for susp in d.suspensions:
        awb = susp.counting == "awb_4_15"
        for begin in ctx.of_kind(susp.start, since=start):
            resumed = [e for e in ctx.of_kind(susp.end) if e.day >= begin.day]
            if not resumed:
                trail.append(
                    TrailStep("suspension_open", {"from_day": begin.day}, susp.source.citation)
                )
                return None
            until = resumed[0].day
            # Awb 4:15: "met ingang van de dag na die waarop ... tot de dag waarop": both ends out.
            days = max((until - begin.day).days - 1 if awb else (until - begin.day).days + 1, 0)
            end = end + timedelta(days=days)
            trail.append(
                TrailStep(
                    "suspension",
                    {
                        "days": days,
                        "from_day": begin.day + timedelta(days=1 if awb else 0),
                        "to_day": until,
                        "end": end,
                    },
                    susp.source.citation,
                    uncertain=susp.source.uncertain,
                    uncertain_nl=susp.source.uncertain_nl,
                )
            )
    return end


def _settlement_steps(d: DeadlineSpec, steps: Trail, citation: str) -> Trail:
    if d.counting_note is None:
        return steps
    return [
        TrailStep("note", {"text": d.counting_note.en, "text_nl": d.counting_note.nl}, citation)
    ]


def select_regime(pt: ProcedureType, events: Sequence[Event]) -> tuple[RegimeSpec | None, Trail]:
    if not pt.regimes:
        return None, []
    kinds = pt.regime_events
    found = next(((k, e) for k in kinds for e in events if e.kind == k), None)
    if found is None:
        return None, [TrailStep("start_missing", {"event": pt.event_name(kinds[0]).model_dump()})]
    kind, event = found
    name = pt.event_name(kind)
    for regime in pt.regimes:
        if regime.valid_from <= event.day and (
            regime.valid_to is None or event.day <= regime.valid_to
        ):
            why = {
                "nl": f"{name.nl} op {event.day.isoformat()}: {regime.why.nl}",
                "en": f"{name.en} on {event.day.isoformat()}: {regime.why.en}",
            }
            steps: Trail = []
            if kind != kinds[0]:
                first = pt.event_name(kinds[0])
                steps.append(
                    TrailStep(
                        "note",
                        {
                            "text": f"no '{first.en}' yet: the regime follows '{name.en}'",
                            "text_nl": f"nog geen '{first.nl}': het regime volgt '{name.nl}'",
                        },
                    )
                )
            steps.insert(
                0,
                TrailStep(
                    "regime",
                    {"regime": regime.name.model_dump(), "why": why},
                    regime.source.citation,
                    uncertain=regime.source.uncertain,
                    uncertain_nl=regime.source.uncertain_nl,
                ),
            )
            return regime, steps
    raise InputError(
        "event",
        f"{kind}={event.day.isoformat()}: no regime of procedure {pt.id!r} is in force on that "
        "date",
        f"{kind}={event.day.isoformat()}: op die datum geldt geen regime van procedure {pt.id!r}",
    )


def derive(
    pt: ProcedureType,
    events: Iterable[Event],
    *,
    facts: Mapping[str, FactValue] | None = None,
    on: date | None = None,
) -> ProcedureState:
    """Regime, every deadline with its trail, and the dwangsom running on ``on``."""
    facts = dict(facts or {})
    checked = validate_inputs(pt, events, facts)
    if on is None:
        on = date.today()
    regime, regime_trail = select_regime(pt, checked)
    ctx = _Context(pt, checked, facts, on)
    results: list[DeadlineResult] = []
    for spec in pt.deadlines:
        if spec.id in ctx.results:
            continue  # an earlier alternative for this id applied
        res = _deadline(ctx, spec, regime, regime_trail)
        if res is not None:
            ctx.results[spec.id] = res
            results.append(res)
    return ProcedureState(pt, on, regime, regime_trail, tuple(results), _dwangsom(ctx, on))


def _dwangsom(ctx: _Context, on: date) -> DwangsomResult | None:
    spec = ctx.pt.dwangsom
    if spec is None:
        return None
    decision = ctx.results.get(spec.deadline)
    if decision is None or decision.date is None:
        return None
    # The state on ``on``: a notice given later has not been given yet, and before the term
    # ended nobody is in default (Awb art. 4:17 lid 1), so nothing runs.
    if on < decision.date:
        return None
    notices = [e for e in ctx.of_kind(spec.notice_event) if decision.date < e.day <= on]
    if not notices:
        return None
    stop_kinds = ctx.pt.deadline(spec.deadline).stop
    stops = [e.day for e in ctx.events if e.kind in stop_kinds]
    decided = stops[0] if stops else None
    start_events = ctx.of_kind(ctx.pt.deadline(spec.deadline).start.event or "")
    lodged = start_events[0].day if start_events else None
    return compute_dwangsom(
        decision.date,
        notices[0].day,
        on,
        decided=decided,
        dwangsom_class=spec.dwangsom_class,
        lodged=lodged,
    )
