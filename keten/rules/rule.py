"""What a rule is: citation, titles, quoted source, dated versions, checks and outputs.

A rule is data. Each :class:`RuleVersion` lists its checks (named expressions with a citation,
evaluated in order, each may use earlier ones) and its outputs (decisions, plain values and
evidence checklists). :mod:`keten.rules.evaluate` runs a version on one case with a trail, or
on a table in bulk; both read the same objects.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

from keten.rules.errors import NotInForceError
from keten.rules.expr import (
    Contains,
    Expr,
    Fact,
    Kind,
    KindLookup,
    Lit,
    any_of,
    facts_used,
    lift,
    params_on_used,
    params_used,
    refs_used,
)
from keten.rules.facts import FactSpec, RuleFacts, fact_specs
from keten.rules.instruments import instrument


@dataclass(frozen=True)
class Text:
    """Dutch first, English second."""

    nl: str
    en: str

    def to_json(self) -> dict[str, str]:
        return {"nl": self.nl, "en": self.en}


@dataclass(frozen=True)
class Quote:
    """A sentence (or a few) copied from a source document, whitespace normalised."""

    text: str
    source: str  # file name in data/seeds/
    where: str | None = None  # where in the document, e.g. "Artikel I, onderdeel D"


@dataclass(frozen=True)
class Check:
    id: str
    expr: Expr
    label: Text
    citation: str
    only_if: Expr | None = None  # assessed only when this holds; otherwise "not assessed"
    note: str | None = None  # a reading Keten had to make; repeated in every trail


@dataclass(frozen=True)
class Branch:
    when: Expr | None  # None: otherwise
    value: bool | int | str | Expr | None
    citation: str

    @cached_property
    def result(self) -> Expr:
        return lift(self.value)


ValueLabels = Mapping[str, tuple[str, str]]
"""The labels of an output's string values: code to (Dutch, English)."""


@dataclass(frozen=True)
class Decide:
    """An output chosen by the first branch whose condition holds.

    Every string value a branch yields carries a label, Dutch first:
    ``values={"not_eligible": ("komt niet in aanmerking", "not eligible")}``. The case worker
    reads the label; the outcome keeps the code, which clients and stored decisions rely on.
    """

    name: str
    label: Text
    branches: tuple[Branch, ...]
    # not hashed: a mapping is not hashable, and the branches already tell outputs apart
    values: ValueLabels = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if not self.branches or self.branches[-1].when is not None:
            raise ValueError(f"output {self.name}: the last branch must be the 'otherwise' branch")

    @property
    def codes(self) -> tuple[str, ...]:
        """The string values the branches yield, each once, in the order of the branches."""
        found: list[str] = []
        for branch in self.branches:
            if isinstance(branch.value, str) and branch.value not in found:
                found.append(branch.value)
        return tuple(found)

    def value_label(self, value: object) -> Text | None:
        """The label of a value a branch yields, or None for a value that has none."""
        if not isinstance(value, str) or value not in self.values:
            return None
        nl, en = self.values[value]
        return Text(nl, en)

    def refusal(self) -> str | None:
        """Why the labels of the values are not right (one missing, extra or empty), or None.

        Checked when the rule is defined, so a rule whose case worker would read a bare code
        never loads.
        """
        codes = self.codes
        missing = [c for c in codes if c not in self.values]
        if missing:
            return f"output {self.name}: no label for values {missing}"
        extra = sorted(set(self.values) - set(codes))
        if extra:
            return f"output {self.name}: labels {extra}, which no branch yields"
        for code in codes:
            label = self.values[code]
            if len(label) != 2 or not all(isinstance(t, str) and t.strip() for t in label):
                return f"output {self.name}: value {code!r} needs a Dutch and an English label"
        return None


@dataclass(frozen=True)
class Value:
    """An output computed directly (a date, an amount)."""

    name: str
    label: Text
    expr: Expr
    citation: str


@dataclass(frozen=True)
class Item:
    """One piece of evidence a checklist may require."""

    id: str
    when: Expr
    label: Text
    citation: str
    satisfied: Expr | None = None  # default: the item's id is among the provided evidence


@dataclass(frozen=True)
class Checklist:
    """Which evidence is required; with ``provided``, also what is missing and whether complete.

    Outputs ``<name>`` (required ids), and with a provided-evidence fact ``<name>_missing`` and
    ``<name>_complete``.
    """

    name: str
    label: Text
    items: tuple[Item, ...]
    provided: str | None = None  # name of a list fact with the evidence ids handed in
    citation: str = ""

    def satisfied(self, item: Item) -> Expr:
        if item.satisfied is not None:
            return item.satisfied
        if self.provided is None:
            raise ValueError(f"checklist {self.name}: item {item.id} cannot be satisfied")
        return Contains(Fact(self.provided), item.id)

    @property
    def output_names(self) -> tuple[str, ...]:
        if self.provided is None:
            return (self.name,)
        return (self.name, f"{self.name}_missing", f"{self.name}_complete")


Output = Decide | Value | Checklist

Boundary = date | str | None  # a date, an instrument id, or unknown


def output_names(outputs: Sequence[Output]) -> tuple[str, ...]:
    names: list[str] = []
    for out in outputs:
        names.extend(out.output_names if isinstance(out, Checklist) else (out.name,))
    return tuple(names)


def either(*evidence: str, provided: str = "evidence_provided") -> Expr:
    """An item satisfied by any one of several kinds of evidence."""
    return any_of(*(Contains(Fact(provided), e) for e in evidence))


@dataclass(frozen=True)
class RuleVersion:
    starts: Boundary
    label: Text
    checks: tuple[Check, ...]
    outputs: tuple[Output, ...]
    quotes: tuple[Quote, ...]
    note: str | None = None

    def expressions(self) -> list[Expr]:
        exprs: list[Expr] = []
        for check in self.checks:
            exprs.append(check.expr)
            if check.only_if is not None:
                exprs.append(check.only_if)
        for out in self.outputs:
            exprs.extend(_output_exprs(out))
        return exprs

    def parameter_names(self) -> tuple[str, ...]:
        """Every parameter the version reads; all are taken on the reference date, used or not."""
        return self._parameter_names

    @cached_property
    def _parameter_names(self) -> tuple[str, ...]:
        found: set[str] = set()
        for expr in self.expressions():
            found |= params_used(expr)
        return tuple(sorted(found))

    def dated_parameter_names(self) -> tuple[str, ...]:
        """Parameters taken on a day of the case (the application day), not the reference date."""
        found: set[str] = set()
        for expr in self.expressions():
            found |= params_on_used(expr)
        return tuple(sorted(found))


@dataclass(frozen=True)
class Span:
    version: RuleVersion
    start: date | None  # None: the sources do not say since when
    end: date | None  # inclusive; None: open


def resolve(boundary: Boundary, *, end: bool = False) -> date | None:
    if boundary is None or isinstance(boundary, date):
        return boundary
    found = instrument(boundary)
    if end:
        if found.expires is None:
            raise ValueError(f"instrument {boundary} has no expiry date")
        return found.expires
    if found.in_force is None:
        raise ValueError(f"instrument {boundary} is not in force: use Rule(proposed=...)")
    return found.in_force


@dataclass(frozen=True)
class Rule:
    id: str
    citation: str
    title: Text
    facts: type[RuleFacts]
    versions: tuple[RuleVersion, ...]
    ends: Boundary = None
    proposed: str | None = None  # instrument id of a proposed law: evaluated only as scenario
    tags: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        names = {spec.name for spec in fact_specs(self.facts)}
        first_outputs = output_names(self.versions[0].outputs)
        for version in self.versions:
            seen: set[str] = set()
            for check in version.checks:
                if check.id in seen:
                    raise ValueError(f"{self.id}: check {check.id} defined twice")
                exprs = [check.expr] + ([check.only_if] if check.only_if is not None else [])
                for expr in exprs:
                    self._known(expr, names, seen, f"check {check.id}")
                seen.add(check.id)
            for out in version.outputs:
                refused = out.refusal() if isinstance(out, Decide) else None
                if refused is not None:
                    raise ValueError(f"{self.id}: {refused}")
                for expr in _output_exprs(out):
                    self._known(expr, names, seen, f"output {out.name}")
                for name in out.output_names if isinstance(out, Checklist) else (out.name,):
                    if name in seen:
                        raise ValueError(f"{self.id}: output {name} has the name of a check")
                    seen.add(name)  # later outputs may use earlier ones
            if output_names(version.outputs) != first_outputs:
                raise ValueError(f"{self.id}: every version must have the same outputs")
        if self.proposed is not None and len(self.versions) != 1:
            raise ValueError(f"{self.id}: a proposed rule has exactly one version")

    def _known(self, expr: Expr, facts: set[str], checks: set[str], where: str) -> None:
        unknown = facts_used(expr) - facts
        if unknown:
            raise ValueError(f"{self.id}: {where} uses unknown facts {sorted(unknown)}")
        missing = refs_used(expr) - checks
        if missing:
            raise ValueError(
                f"{self.id}: {where} refers to later or unknown checks {sorted(missing)}"
            )

    @property
    def fact_specs(self) -> tuple[FactSpec, ...]:
        return fact_specs(self.facts)

    @property
    def output_names(self) -> tuple[str, ...]:
        return output_names(self.versions[0].outputs)

    @property
    def spans(self) -> list[Span]:
        out: list[Span] = []
        starts = [resolve(v.starts) for v in self.versions]
        last_end = resolve(self.ends, end=True) if self.ends is not None else None
        for i, version in enumerate(self.versions):
            nxt = starts[i + 1] if i + 1 < len(self.versions) else None
            end = (nxt - timedelta(days=1)) if nxt is not None else last_end
            out.append(Span(version, starts[i], end))
        return out

    @property
    def in_force_from(self) -> date | None:
        return self.spans[0].start

    @property
    def in_force_to(self) -> date | None:
        return self.spans[-1].end

    @property
    def sources(self) -> list[str]:
        found: list[str] = []
        for version in self.versions:
            for quote in version.quotes:
                if quote.source not in found:
                    found.append(quote.source)
        return found

    def span_at(self, on: date, scenarios: frozenset[str] = frozenset()) -> Span:
        if self.proposed is not None:
            if self.proposed not in scenarios:
                law = instrument(self.proposed)
                raise NotInForceError(
                    f"rule {self.id} rests on {law.title_en}, a proposed law that is not in force; "
                    f"evaluate it only as a scenario (--scenario {self.proposed})"
                )
            return Span(self.versions[0], None, None)
        for span in self.spans:
            if (span.start is None or span.start <= on) and (span.end is None or on <= span.end):
                return span
        periods = ", ".join(
            f"{s.start.isoformat() if s.start else '…'}..{s.end.isoformat() if s.end else ''}"
            for s in self.spans
        )
        raise NotInForceError(
            f"rule {self.id} is not in force on {on.isoformat()} (in force {periods})"
        )


def _output_exprs(out: Output) -> list[Expr]:
    if isinstance(out, Decide):
        exprs: list[Expr] = []
        for branch in out.branches:
            if branch.when is not None:
                exprs.append(branch.when)
            exprs.append(lift(branch.value))
        return exprs
    if isinstance(out, Value):
        return [out.expr]
    exprs = []
    for item in out.items:
        exprs.append(item.when)
        if out.provided is not None or item.satisfied is not None:
            exprs.append(out.satisfied(item))
    return exprs


class Kinds(KindLookup):
    """Kinds of the facts, parameters, checks and outputs of one rule version."""

    def __init__(self, rule: Rule, version: RuleVersion, param_kind: dict[str, Kind]) -> None:
        self._facts = {spec.name: spec.kind for spec in rule.fact_specs}
        self._params = param_kind
        self._checks: dict[str, Kind] = {}
        for check in version.checks:
            self._checks[check.id] = check.expr.kind(self)
        self.outputs: dict[str, Kind] = {}
        for out in version.outputs:
            for name, kind in self._output_kinds(out).items():
                self.outputs[name] = kind
                self._checks[name] = kind

    def _output_kinds(self, out: Output) -> dict[str, Kind]:
        if isinstance(out, Decide):
            for branch in out.branches:
                is_none = branch.value is None or (
                    isinstance(branch.value, Lit) and branch.value.value is None
                )
                if not is_none:
                    return {out.name: lift(branch.value).kind(self)}
            return {out.name: "str"}
        if isinstance(out, Value):
            return {out.name: out.expr.kind(self)}
        kinds: dict[str, Kind] = {out.name: "list_str"}
        if out.provided is not None:
            kinds[f"{out.name}_missing"] = "list_str"
            kinds[f"{out.name}_complete"] = "bool"
        return kinds

    def fact_kind(self, name: str) -> Kind:
        return self._facts[name]

    def param_kind(self, name: str) -> Kind:
        return self._params[name]

    def check_kind(self, name: str) -> Kind:
        return self._checks[name]
