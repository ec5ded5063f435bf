"""Running a rule: one case with its trail, or a whole table in bulk.

Both paths take the same :class:`~keten.rules.rule.RuleVersion` (the one in force on the
reference date) and walk the same checks and outputs; only the execution differs (Python values
here, polars expressions there). Parameters are taken at the reference date.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import polars as pl

from keten.rules.expr import Fact, Kind, lift, polars_literal
from keten.rules.facts import RuleFacts, prepare_table, validate_case
from keten.rules.instruments import instrument
from keten.rules.parameters import ParameterSet, default_parameters
from keten.rules.rule import Branch, Checklist, Decide, Kinds, Rule, RuleVersion, Span, Text, Value
from keten.time.dated import Version

CHECK_PREFIX = "check."


def render(value: Any, kind: Kind) -> Any:
    """A value as JSON shows it: euros for money, ISO dates, lists as lists."""
    if value is None:
        return None
    if kind == "money":
        return round(value / 100, 2)
    if kind == "list_money":
        return [round(v / 100, 2) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


@dataclass(frozen=True)
class TrailEntry:
    check: str
    value: Any  # as JSON shows it
    citation: str
    label: Text
    assessed: bool = True
    note: str | None = None
    value_label: Text | None = None  # an outcome's code as the case worker reads it

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "check": self.check,
            "value": self.value,
            "citation": self.citation,
            "label": self.label.to_json(),
        }
        if self.value_label is not None:
            out["value_label"] = self.value_label.to_json()
        if not self.assessed:
            out["assessed"] = False
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class UsedParameter:
    name: str
    version: Version[Any]
    kind: Kind
    title: Text | None = None

    def to_json(self) -> dict[str, Any]:
        v = self.version
        return {
            "name": self.name,
            **({"title": self.title.to_json()} if self.title else {}),
            "value": render(v.value, self.kind),
            "valid_from": None if v.valid_from == date.min else v.valid_from.isoformat(),
            "valid_to": v.valid_to.isoformat() if v.valid_to else None,
            "citation": v.citation,
            "source": v.source,
            "verified": v.verified,
            **({"publication": v.publication} if v.publication else {}),
            **({"published": v.published.isoformat()} if v.published else {}),
            **({"note": v.note} if v.note else {}),
        }


@dataclass(frozen=True)
class Outcome:
    rule: Rule
    on: date
    span: Span
    values: dict[str, Any]  # internal values (dates, cents)
    kinds: dict[str, Kind]
    trail: list[TrailEntry]
    parameters: list[UsedParameter]
    scenarios: frozenset[str] = field(default_factory=frozenset)

    @property
    def outcome(self) -> dict[str, Any]:
        return {name: render(value, self.kinds[name]) for name, value in self.values.items()}

    def to_json(self) -> dict[str, Any]:
        span = self.span
        return {
            "rule": self.rule.id,
            "citation": self.rule.citation,
            "on": self.on.isoformat(),
            "outcome": self.outcome,
            "trail": [entry.to_json() for entry in self.trail],
            "version": {
                "label": span.version.label.to_json(),
                "from": span.start.isoformat() if span.start else None,
                "to": span.end.isoformat() if span.end else None,
                **({"note": span.version.note} if span.version.note else {}),
            },
            "parameters": [p.to_json() for p in self.parameters],
            "scenario": sorted(self.scenarios),
        }


class _Params:
    """The parameters a rule version reads, all taken on the reference date before it runs.

    Resolving them up front (rather than when a branch first needs one) makes a parameter
    without a value on that date an error for every case, in the per-case and the bulk path
    alike, instead of only for the cases that happen to reach it.
    """

    def __init__(
        self, params: ParameterSet, version: RuleVersion, on: date, scenarios: frozenset[str]
    ) -> None:
        self.used: dict[str, Version[Any]] = {
            name: params.version_at(name, on, scenarios) for name in version.parameter_names()
        }
        self._params, self._scenarios = params, scenarios
        # Parameters taken on a day of the case: the versions read, in the order first read.
        self.used_on: dict[tuple[str, date], Version[Any]] = {}

    def value(self, name: str) -> Any:
        return self.used[name].value

    def version_on(self, name: str, day: date) -> Version[Any]:
        """The version in force on ``day``; no version there refuses as on the reference date
        would, naming the last known value."""
        version = self._params.version_at(name, day, self._scenarios)
        self.used_on.setdefault((name, version.valid_from), version)
        return version

    def column_on(self, name: str, day: pl.Expr, days: pl.Series) -> pl.Expr:
        """A column of the parameter's value on each row's day; every day in the table must
        have a value (the per-case path refuses the same rows)."""
        versions = {}
        for value in days.drop_nulls().unique().sort():
            version = self.version_on(name, value)
            versions[version.valid_from] = version
        expr: pl.Expr = pl.lit(None)
        for version in sorted(versions.values(), key=lambda v: v.valid_from, reverse=True):
            covered = day >= pl.lit(version.valid_from)
            if version.valid_to is not None:
                covered = covered & (day <= pl.lit(version.valid_to))
            expr = pl.when(covered).then(polars_literal(version.value)).otherwise(expr)
        return expr


class _CaseEnv:
    def __init__(self, on: date, facts: Mapping[str, Any], params: _Params) -> None:
        self.on = on
        self._facts = facts
        self._params = params
        self.checks: dict[str, Any] = {}

    def fact(self, name: str) -> Any:
        return self._facts[name]

    def param(self, name: str) -> Any:
        return self._params.value(name)

    def param_on(self, name: str, day: date) -> Any:
        return self._params.version_on(name, day).value

    def check(self, name: str) -> Any:
        return self.checks[name]


class _TableEnv:
    def __init__(self, on: date, params: _Params, frame: pl.DataFrame) -> None:
        self.on = on
        self._params = params
        self._frame = frame

    def param_on_column(self, name: str, day: Fact) -> pl.Expr:
        days = self._frame.get_column(day.name)
        return self._params.column_on(name, day.to_polars(self), days)

    def fact_column(self, name: str) -> pl.Expr:
        return pl.col(name)

    def param(self, name: str) -> Any:
        return self._params.value(name)

    def check_column(self, name: str) -> pl.Expr:
        return pl.col(CHECK_PREFIX + name)


_KINDS: dict[tuple[str, int, tuple[tuple[str, Kind], ...]], tuple[RuleVersion, Kinds]] = {}


def _kinds(rule: Rule, version: RuleVersion, params: ParameterSet) -> Kinds:
    """Kinds of a version's checks and outputs (cached: they depend only on the definitions)."""
    names = (*version.parameter_names(), *version.dated_parameter_names())
    param_kinds = tuple((name, params.get(name).kind) for name in names)
    key = (rule.id, id(version), param_kinds)
    cached = _KINDS.get(key)
    if cached is None or cached[0] is not version:  # an id can be reused after collection
        cached = (version, Kinds(rule, version, dict(param_kinds)))
        _KINDS[key] = cached
    return cached[1]


def output_kinds(kinds: Kinds) -> dict[str, Kind]:
    return dict(kinds.outputs)


def version_entry(rule: Rule, span: Span) -> TrailEntry:
    """The first line of a trail: which version of the rule applied, and on what authority."""
    version = span.version
    citation, notes = rule.citation, [version.note] if version.note else []
    if isinstance(version.starts, str):
        law = instrument(version.starts)
        citation = law.citation
        if not law.verified and law.note:
            notes.append(f"in force from {law.in_force} (unverified): {law.note}")
    if rule.proposed is not None:
        law = instrument(rule.proposed)
        citation = law.citation
        notes.append(f"{law.title_en}: proposed law, evaluated as a scenario")
    return TrailEntry("version", version.label.en, citation, version.label,
                      note=" ".join(notes) or None)  # fmt: skip


def evaluate(
    rule: Rule,
    facts: Mapping[str, Any] | RuleFacts,
    on: date,
    *,
    params: ParameterSet | None = None,
    scenarios: frozenset[str] = frozenset(),
) -> Outcome:
    """One case: the outcome and the trail of every check with its value and citation."""
    params = params or default_parameters()
    span = rule.span_at(on, scenarios)
    version = span.version
    values = validate_case(rule.id, rule.facts, facts)
    resolved = _Params(params, version, on, scenarios)
    env = _CaseEnv(on, values, resolved)
    kinds = _kinds(rule, version, params)
    trail: list[TrailEntry] = [version_entry(rule, span)]
    for check in version.checks:
        assessed = check.only_if is None or check.only_if.eval(env) is True
        value = check.expr.eval(env) if assessed else None
        env.checks[check.id] = value
        trail.append(
            TrailEntry(
                check.id,
                render(value, kinds.check_kind(check.id)),
                check.citation,
                check.label,
                assessed,
                check.note,
            )
        )
    out_kinds = output_kinds(kinds)
    results: dict[str, Any] = {}
    for output in version.outputs:
        if isinstance(output, Decide):
            for branch in output.branches:
                if branch.when is None or branch.when.eval(env) is True:
                    results[output.name] = branch.result.eval(env)
                    citation = branch.citation
                    chosen = branch
                    break
            env.checks[output.name] = results[output.name]
            trail.append(
                TrailEntry(
                    f"outcome.{output.name}",
                    render(results[output.name], out_kinds[output.name]),
                    citation,
                    output.label,
                    value_label=_value_label(rule, output, chosen, results[output.name]),
                )
            )
        elif isinstance(output, Value):
            results[output.name] = output.expr.eval(env)
            env.checks[output.name] = results[output.name]
            trail.append(
                TrailEntry(
                    f"outcome.{output.name}",
                    render(results[output.name], out_kinds[output.name]),
                    output.citation,
                    output.label,
                )
            )
        else:
            _checklist_case(output, env, results, trail)
    taken = [*resolved.used.items(), *((name, v) for (name, _), v in resolved.used_on.items())]
    used = [
        UsedParameter(name, v, p.kind, Text(p.title_nl, p.title_en))
        for name, v in taken
        for p in (params.get(name),)
    ]
    return Outcome(rule, on, span, results, out_kinds, trail, used, scenarios)


def _value_label(rule: Rule, output: Decide, branch: Branch, value: Any) -> Text | None:
    """The label of the value an output took: the output's own for a code a branch names, the
    fact's choice label for a branch that passes a fact's choice on."""
    if isinstance(branch.value, Fact) and isinstance(value, str):
        for spec in rule.fact_specs:
            if spec.name == branch.value.name:
                for choice in spec.choice_labels:
                    if choice.code == value:
                        return Text(choice.nl, choice.en)
        return None
    return output.value_label(value)


def _checklist_case(
    output: Checklist, env: _CaseEnv, results: dict[str, Any], trail: list[TrailEntry]
) -> None:
    required = [item for item in output.items if item.when.eval(env) is True]
    results[output.name] = [item.id for item in required]
    for item in required:
        trail.append(TrailEntry(f"{output.name}.{item.id}", True, item.citation, item.label))
    if output.provided is not None:
        missing = [item.id for item in required if output.satisfied(item).eval(env) is not True]
        results[f"{output.name}_missing"] = missing
        results[f"{output.name}_complete"] = not missing
        trail.append(
            TrailEntry(f"outcome.{output.name}_missing", missing, output.citation, output.label)
        )
    for name in output.output_names:
        env.checks[name] = results[name]


def _checklist_table(output: Checklist, env: _TableEnv) -> list[pl.Expr]:
    def ids(select: list[tuple[str, pl.Expr]]) -> pl.Expr:
        if not select:
            return pl.lit([], dtype=pl.List(pl.String))
        return pl.concat_list(
            [pl.when(cond).then(pl.lit(name, dtype=pl.String)) for name, cond in select]
        ).list.drop_nulls()

    required = [(item.id, item.when.to_polars(env)) for item in output.items]
    exprs = [ids(required).alias(output.name)]
    if output.provided is not None:
        missing = [
            (
                item.id,
                item.when.to_polars(env)
                & output.satisfied(item).to_polars(env).fill_null(False).not_(),
            )
            for item in output.items
        ]
        missing_list = ids(missing)
        exprs.append(missing_list.alias(f"{output.name}_missing"))
        exprs.append((missing_list.list.len() == 0).alias(f"{output.name}_complete"))
    return exprs


def evaluate_table(
    rule: Rule,
    table: pl.DataFrame,
    on: date,
    *,
    params: ParameterSet | None = None,
    scenarios: frozenset[str] = frozenset(),
    with_checks: bool = False,
    prepared: bool = False,
) -> pl.DataFrame:
    """Many cases at once: one row of outputs per row of facts (internal values: cents, dates).

    ``prepared``: the table already holds the facts as :func:`prepare_table` returns them
    (benchmarks prepare once and time the rule alone).
    """
    params = params or default_parameters()
    version = rule.span_at(on, scenarios).version
    frame = table if prepared else prepare_table(rule.id, rule.facts, table)
    env = _TableEnv(on, _Params(params, version, on, scenarios), frame)
    lazy = frame.lazy()
    for check in version.checks:
        expr = check.expr.to_polars(env)
        if check.only_if is not None:
            expr = pl.when(check.only_if.to_polars(env)).then(expr).otherwise(None)
        lazy = lazy.with_columns(expr.alias(CHECK_PREFIX + check.id))
    for output in version.outputs:
        # Each output becomes a column before the next, so later outputs can read it.
        if isinstance(output, Decide):
            chain: Any = None
            for branch in output.branches:
                value = lift(branch.value).to_polars(env)
                if branch.when is None:
                    chain = value if chain is None else chain.otherwise(value)
                else:
                    cond = branch.when.to_polars(env)
                    chain = (
                        pl.when(cond).then(value) if chain is None else chain.when(cond).then(value)
                    )
            exprs = [chain.alias(output.name)]
        elif isinstance(output, Value):
            exprs = [output.expr.to_polars(env).alias(output.name)]
        else:
            exprs = _checklist_table(output, env)
        lazy = lazy.with_columns(e.name.prefix(CHECK_PREFIX) for e in exprs)
    outputs = [pl.col(CHECK_PREFIX + name).alias(name) for name in rule.output_names]
    checks = [pl.col(CHECK_PREFIX + c.id) for c in version.checks] if with_checks else []
    return lazy.select(*outputs, *checks).collect()


def render_table(
    rule: Rule,
    result: pl.DataFrame,
    on: date,
    params: ParameterSet | None = None,
    scenarios: frozenset[str] = frozenset(),
) -> pl.DataFrame:
    """Bulk outputs as a file shows them: money in euros."""
    params = params or default_parameters()
    version = rule.span_at(on, scenarios).version
    kinds = output_kinds(_kinds(rule, version, params))
    money = [name for name, kind in kinds.items() if kind == "money" and name in result.columns]
    return result.with_columns([(pl.col(name) / 100).round(2) for name in money])


__all__ = ["Outcome", "TrailEntry", "evaluate", "evaluate_table", "render", "render_table"]
