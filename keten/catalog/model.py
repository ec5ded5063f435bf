"""Procedure types as data: the schema every file in ``keten/catalog/procedures/`` follows.

A procedure type says which events it accepts and which deadlines follow from them. A deadline
names the event (or earlier deadline) it starts from, its length (with variants chosen by facts),
how its last day is settled (Atw, Reg. 1182/71, or not at all for policy periods), the events
that extend or suspend it, a maximum, and the events that stop the clock. Everything carries a
citation; where a seed document states the term, its sentence is quoted.

The files are validated by these pydantic models, so a mistake in a file is reported with the
file name and the field path.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from keten.time.counting import Counting
from keten.time.periods import Period


def _period(value: Any) -> Period:
    if isinstance(value, Period):
        return value
    return Period.parse(str(value))


PeriodField = Annotated[Period, BeforeValidator(_period)]


class Spec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)


class Text(Spec):
    nl: str
    en: str

    def get(self, lang: str) -> str:
        return self.nl if lang == "nl" else self.en


class Source(Spec):
    """Where a term comes from: a citation, and the quoted sentence when a seed gives it."""

    citation: str
    quote: str | None = None
    document: str | None = None  # seed file name in data/seeds/ or a publication
    uncertain: str | None = None  # what Keten could not verify, repeated in every trail
    # Its Dutch, from uncertain_nl.yaml (filled in by the loader, which refuses a note
    # without one).
    uncertain_nl: str | None = None


class Condition(Spec):
    """A fact equals a value, an event has occurred, or a combination."""

    fact: str | None = None
    equals: str | int | bool | None = None
    event: str | None = None
    all: tuple[Condition, ...] | None = None
    any: tuple[Condition, ...] | None = None
    not_: Condition | None = Field(default=None, alias="not")

    @model_validator(mode="after")
    def _one_form(self) -> Condition:
        forms = [
            self.fact is not None,
            self.event is not None,
            self.all is not None,
            self.any is not None,
            self.not_ is not None,
        ]
        if sum(forms) != 1:
            raise ValueError("a condition is exactly one of: fact/equals, event, all, any, not")
        return self

    def facts(self) -> set[str]:
        """Fact names this condition reads (for input validation)."""
        names = {self.fact} if self.fact else set()
        for sub in (*(self.all or ()), *(self.any or ()), *((self.not_,) if self.not_ else ())):
            names |= sub.facts()
        return names


class FactSpec(Text):
    """A fact the deadlines read: its description (``nl``, ``en``) and the values it takes.

    ``kind: choice`` lists every value with its Dutch and English label, ``kind: bool`` is
    yes or no; a value outside them is refused when the fact is recorded (the server's
    ``procedure_facts``), and a deadline's condition may only compare with a declared value.
    A fact declared by its description only (older types) takes any text, number or yes/no.
    """

    kind: Literal["choice", "bool"] | None = None
    values: dict[str, Text] = Field(default_factory=dict)
    source: Source | None = None  # where the values (their meaning) come from

    @model_validator(mode="after")
    def _values_fit_kind(self) -> FactSpec:
        if (self.kind == "choice") != bool(self.values):
            raise ValueError("a fact lists values exactly when its kind is choice")
        return self


class EventDatum(Spec):
    """A value an event must or may carry, e.g. the number a taakstelling announcement sets.

    Declared values are checked when the event is recorded, so a quota typed as "120 " or
    left out is refused naming the field, instead of being stored and counted as nothing.
    """

    name: Text
    # count: a whole number, 0 or more; flag: yes or no (a screening's finding, which later
    # rules read as a fact, so "ja" or 1 must not pass as true).
    type: Literal["count", "flag"]
    required: bool = True


class EventSpec(Spec):
    kind: str
    name: Text
    description: Text | None = None
    # Values the event carries; an event kind that declares none accepts any (e.g. the length
    # an extension may give), one that declares some accepts only those.
    data: dict[str, EventDatum] = Field(default_factory=dict)


class Variant(Spec):
    """A different length when a condition holds (first matching variant wins)."""

    when: Condition
    length: PeriodField
    source: Source
    counting: Counting | None = None  # e.g. a policy variant of a statutory period


class Extension(Spec):
    """An event that extends the deadline by (at most) ``length``."""

    event: str
    length: PeriodField
    max_times: int = 1
    condition: Text | None = None  # the legal condition, for the officer; not evaluated
    must_precede_end: bool = True  # Awb 4:14: notice of extension before the term expires
    source: Source


class Suspension(Spec):
    """Events between which the clock stands still (e.g. Awb 4:15)."""

    start: str
    end: str
    counting: Literal["awb_4_15", "inclusive"] = "awb_4_15"
    source: Source


class Maximum(Spec):
    length: PeriodField
    source: Source


class StartSpec(Spec):
    """What a deadline is counted from: an event, or another deadline's date."""

    event: str | None = None
    deadline: str | None = None
    first_of: tuple[StartSpec, ...] | None = None  # the earliest of those that happened
    last_of: tuple[StartSpec, ...] | None = None  # the latest of those that happened
    occurrence: Literal["first", "last"] = "first"

    @model_validator(mode="after")
    def _one_form(self) -> StartSpec:
        forms = (self.event, self.deadline, self.first_of, self.last_of)
        if sum(x is not None for x in forms) != 1:
            raise ValueError("start is exactly one of: event, deadline, first_of, last_of")
        return self

    def parts(self) -> tuple[StartSpec, ...]:
        return self.first_of or self.last_of or ()


class DeadlineKind(StrEnum):
    BY = "by"  # something must happen by this day (a decision, a transfer, a filing)
    NOT_BEFORE = "not_before"  # a minimum period that must have passed (rest period)
    ENDS = "ends"  # a measure lapses on this day unless ended earlier (detention)


class DeadlineSpec(Spec):
    id: str
    name: Text
    kind: DeadlineKind = DeadlineKind.BY
    start: StartSpec
    length: PeriodField
    backwards: bool = False  # counted back from the start (e.g. announce 3 months before)
    # The start event's own day is the period's first day (a calendar half-year from 1 July
    # ends on 31 December), where the Awb and Reg. 1182/71 count from the day after. Only for
    # periods that are not moved (counting none): a weekend rule would apply to the wrong day.
    start_day_counts: bool = False
    counting: Counting
    counting_note: Text | None = None  # why counting is 'none' when it is not a policy period
    source: Source
    variants: tuple[Variant, ...] = ()
    extensions: tuple[Extension, ...] = ()
    suspensions: tuple[Suspension, ...] = ()
    maximum: Maximum | None = None
    stop: tuple[str, ...] = ()  # events that meet (or end) the deadline
    applies_if: Condition | None = None
    regimes: tuple[str, ...] | None = None  # only in these regimes (None: all)
    responsible: str | None = None  # organisation that must act (IND, COA, DTenV, ...)
    tacit: Text | None = None  # what follows by law if nothing happens by the date


class RegimeSpec(Spec):
    id: str
    name: Text
    valid_from: date
    valid_to: date | None = None
    why: Text
    source: Source


class DwangsomSpec(Spec):
    """How the dwangsom for not deciding in time attaches to this procedure."""

    dwangsom_class: str
    deadline: str = "decision"
    notice_event: str = "notice_of_default"


class ProcedureType(Spec):
    id: str
    name: Text
    owner: str  # organisation that runs the procedure
    legal_basis: tuple[Source, ...]
    description: Text | None = None
    in_force_from: date
    in_force_to: date | None = None
    # The event whose date selects the regime; a list gives fall-backs in order (e.g. the Pact
    # applies to applications lodged from 12 June 2026, but registration comes before lodging).
    regime_event: str | tuple[str, ...] | None = None
    regimes: tuple[RegimeSpec, ...] = ()
    events: tuple[EventSpec, ...]
    deadlines: tuple[DeadlineSpec, ...]
    dwangsom: DwangsomSpec | None = None
    facts: dict[str, FactSpec] = Field(default_factory=dict)  # facts the deadlines read
    # The deadline the work queue sorts on and whose end closes the procedure, when the rule in
    # ``main_deadline`` picks the wrong one: a permit holder's outflow is open until the move
    # (the 14-week norm), not until COA's match with a municipality (its first phase).
    main: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> ProcedureType:
        kinds = {e.kind for e in self.events}
        ids: list[str] = []
        for d in self.deadlines:
            if d.start_day_counts and (
                d.counting is not Counting.NONE or d.backwards or d.variants or d.extensions
            ):
                raise ValueError(
                    f"deadline {d.id!r}: start_day_counts is for a plain period, counting none"
                )
            for kind in self._events_of(d):
                if kind not in kinds:
                    raise ValueError(f"deadline {d.id!r} uses event {kind!r} not in events")
            for other in self._deadlines_of(d.start):
                if other not in ids:
                    raise ValueError(f"deadline {d.id!r} starts from {other!r}, not defined before")
            for fact in self._facts_of(d):
                if fact not in self.facts:
                    raise ValueError(f"deadline {d.id!r} reads fact {fact!r} not in facts")
            for cond in [v.when for v in d.variants] + ([d.applies_if] if d.applies_if else []):
                self._check_compared(d.id, cond)
            if d.regimes:
                unknown = set(d.regimes) - {r.id for r in self.regimes}
                if unknown:
                    raise ValueError(f"deadline {d.id!r} names unknown regimes {sorted(unknown)}")
            ids.append(d.id)
        self._check_ids()
        if self.regimes and self.regime_event is None:
            raise ValueError("regimes need a regime_event whose date selects the regime")
        for kind in self.regime_events:
            if kind not in kinds:
                raise ValueError(f"regime_event {kind!r} not in events")
        if self.main is not None and self.main not in ids:
            raise ValueError(f"main deadline {self.main!r} not defined")
        if self.dwangsom is not None:
            if self.dwangsom.deadline not in ids:
                raise ValueError(f"dwangsom deadline {self.dwangsom.deadline!r} not defined")
            if self.dwangsom.notice_event not in kinds:
                raise ValueError(f"dwangsom notice event {self.dwangsom.notice_event!r} missing")
        return self

    def _check_ids(self) -> None:
        """An id may repeat for alternatives: in disjoint regimes, or each with a condition.

        The first alternative that applies wins (see ``derive``), so 'decision' or 'request'
        means one thing to the work queue whatever regime or branch a case is in.
        """
        seen: dict[str, list[DeadlineSpec]] = {}
        for d in self.deadlines:
            for other in seen.get(d.id, []):
                disjoint = (
                    d.regimes is not None
                    and other.regimes is not None
                    and not set(d.regimes) & set(other.regimes)
                )
                conditional = d.applies_if is not None and other.applies_if is not None
                if not (disjoint or conditional):
                    raise ValueError(
                        f"deadline id {d.id!r} repeats without disjoint regimes or conditions"
                    )
            seen.setdefault(d.id, []).append(d)

    @staticmethod
    def _events_of(d: DeadlineSpec) -> set[str]:
        kinds = set(d.stop) | {e.event for e in d.extensions}
        kinds |= {s.start for s in d.suspensions} | {s.end for s in d.suspensions}

        def walk(start: StartSpec) -> None:
            if start.event:
                kinds.add(start.event)
            for sub in start.parts():
                walk(sub)

        walk(d.start)
        for cond in [v.when for v in d.variants] + ([d.applies_if] if d.applies_if else []):
            kinds |= _condition_events(cond)
        return kinds

    def _check_compared(self, deadline_id: str, cond: Condition) -> None:
        """A condition compares a typed fact only with a value the fact can take: a typo in
        a value would otherwise make the variant silently never apply."""
        spec = self.facts.get(cond.fact or "")
        if spec is not None and spec.kind is not None:
            fits = (
                isinstance(cond.equals, bool)
                if spec.kind == "bool"
                else isinstance(cond.equals, str) and cond.equals in spec.values
            )
            if not fits:
                raise ValueError(
                    f"deadline {deadline_id!r} compares fact {cond.fact!r} with "
                    f"{cond.equals!r}, not one of its values"
                )
        for sub in (*(cond.all or ()), *(cond.any or ()), *((cond.not_,) if cond.not_ else ())):
            self._check_compared(deadline_id, sub)

    @staticmethod
    def _deadlines_of(start: StartSpec) -> set[str]:
        found = {start.deadline} if start.deadline else set()
        for sub in start.parts():
            found |= ProcedureType._deadlines_of(sub)
        return found

    @staticmethod
    def _facts_of(d: DeadlineSpec) -> set[str]:
        conds = [v.when for v in d.variants] + ([d.applies_if] if d.applies_if else [])
        return set().union(*(c.facts() for c in conds)) if conds else set()

    @property
    def regime_events(self) -> tuple[str, ...]:
        if self.regime_event is None:
            return ()
        if isinstance(self.regime_event, str):
            return (self.regime_event,)
        return self.regime_event

    def deadline(self, deadline_id: str) -> DeadlineSpec:
        for d in self.deadlines:
            if d.id == deadline_id:
                return d
        raise KeyError(f"procedure {self.id!r} has no deadline {deadline_id!r}")

    def event_name(self, kind: str) -> Text:
        for e in self.events:
            if e.kind == kind:
                return e.name
        return Text(nl=kind, en=kind)

    def event_spec(self, kind: str) -> EventSpec | None:
        return next((e for e in self.events if e.kind == kind), None)


def _condition_events(cond: Condition) -> set[str]:
    found = {cond.event} if cond.event else set()
    for sub in (*(cond.all or ()), *(cond.any or ()), *((cond.not_,) if cond.not_ else ())):
        found |= _condition_events(sub)
    return found


def main_deadline(pt: ProcedureType) -> DeadlineSpec:
    """The deadline a work queue sorts on: the one the procedure type names as ``main``, else
    'decision' if present, else the first 'by' deadline counted from an event, else the first
    deadline."""
    if pt.main is not None:
        return pt.deadline(pt.main)
    for d in pt.deadlines:
        if d.id == "decision":
            return d
    for d in pt.deadlines:
        if d.kind is DeadlineKind.BY and d.start.event is not None:
            return d
    return pt.deadlines[0]
