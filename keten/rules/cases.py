"""Case files a lawyer can read: facts, reference date, expected outcome, the quoted sentence.

A case file (``tests/rules/cases/<rule id>.yaml``) holds the cases of one rule::

    rule: vc-a3-5.1-rean
    cases:
      - name: Departed with IOM support exactly five years ago: eligible again
        reference_date: 2025-08-01
        source: 004_cbc7489b66a820d5.txt
        quote: Een vreemdeling komt ook niet in aanmerking voor het REAN-programma als ...
        boundary: date (five years)
        facts: {...}
        expect: {eligibility: eligible}

``expect`` lists some or all outputs (as ``keten rules eval --json`` shows them);
``expect_error`` instead names the error: ``{type: FactsError, field: nationality}`` or
``{type: NotInForceError}``; ``trail`` optionally pins the value of named checks; ``scenario``
lists proposed laws to evaluate as if in force; ``register`` gives a country-register parameter
the value a case needs (``{countries.eu_recognition_rate_percent: {SY: 20.0}}``), so that a
boundary in the rule is tested at the boundary whatever the shipped register holds today.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from keten.rules.errors import FactsError, RuleError
from keten.rules.evaluate import evaluate, evaluate_table, output_kinds, render
from keten.rules.parameters import ParameterSet, default_parameters
from keten.rules.registry import get_rule
from keten.rules.rule import Kinds
from keten.time.dated import NoValueError, Version, as_date


@dataclass(frozen=True)
class Case:
    file: Path
    rule_id: str
    name: str
    on: date
    facts: Mapping[str, Any]
    quote: str
    source: str
    boundary: str | None = None
    expect: Mapping[str, Any] | None = None
    expect_error: Mapping[str, Any] | None = None
    trail: Mapping[str, Any] = field(default_factory=dict)
    scenarios: frozenset[str] = frozenset()
    register: Mapping[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"{self.rule_id}: {self.name}"


def load_case_file(path: Path) -> list[Case]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    rule_id = str(raw["rule"])
    cases = []
    for entry in raw["cases"]:
        if ("expect" in entry) == ("expect_error" in entry):
            raise ValueError(
                f"{path.name}: case {entry.get('name')!r} needs expect or expect_error"
            )
        cases.append(
            Case(
                file=path,
                rule_id=rule_id,
                name=str(entry["name"]),
                on=as_date(entry["reference_date"]),
                facts=entry.get("facts") or {},
                quote=" ".join(str(entry["quote"]).split()),
                source=str(entry["source"]),
                boundary=entry.get("boundary"),
                expect=entry.get("expect"),
                expect_error=entry.get("expect_error"),
                trail=entry.get("trail") or {},
                scenarios=frozenset(entry.get("scenario") or ()),
                register=entry.get("register") or {},
            )
        )
    return cases


def _same(expected: Any, actual: Any) -> bool:
    if isinstance(expected, date):
        expected = expected.isoformat()
    if isinstance(expected, float | int) and not isinstance(expected, bool):
        return (
            isinstance(actual, float | int)
            and not isinstance(actual, bool)
            and abs(expected - actual) < 1e-9
        )
    if isinstance(expected, list) and isinstance(actual, list):
        return sorted(map(str, expected)) == sorted(map(str, actual))
    return bool(expected == actual)


def _error_problems(case: Case, exc: BaseException) -> list[str]:
    assert case.expect_error is not None
    problems = []
    wanted_type = case.expect_error.get("type")
    if wanted_type and type(exc).__name__ != wanted_type:
        problems.append(f"expected {wanted_type}, got {type(exc).__name__}: {exc}")
    wanted_field = case.expect_error.get("field")
    if wanted_field:
        if not isinstance(exc, FactsError) or wanted_field not in exc.fields:
            problems.append(f"expected an error naming field {wanted_field!r}, got: {exc}")
        elif case.rule_id not in str(exc):
            problems.append(f"the error does not name the rule: {exc}")
    return problems


def case_parameters(case: Case) -> ParameterSet:
    """The shipped parameters, with the case's own register values from its reference date."""
    params = default_parameters()
    for name, value in case.register.items():
        if not name.startswith("countries."):
            raise ValueError(f"{case.label}: register may set country-register parameters only")
        shaped = (
            {str(k): float(v) for k, v in value.items()}
            if isinstance(value, dict)
            else (tuple(sorted(map(str, value))))
        )
        params = params.with_version(
            name, Version(shaped, case.on, None, f"registerregel van deze casus ({case.name})")
        )
    return params


def check_case(case: Case) -> list[str]:
    """What differs between the case's expectation and the per-case evaluation (empty: pass)."""
    rule = get_rule(case.rule_id)
    try:
        outcome = evaluate(
            rule, case.facts, case.on, params=case_parameters(case), scenarios=case.scenarios
        )
    except (RuleError, NoValueError) as exc:
        if case.expect_error is None:
            return [f"unexpected error: {exc}"]
        return _error_problems(case, exc)
    if case.expect_error is not None:
        return [f"expected an error {dict(case.expect_error)}, got outcome {outcome.outcome}"]
    problems = []
    assert case.expect is not None
    got = outcome.outcome
    for name, wanted in case.expect.items():
        if name not in got:
            problems.append(f"no output {name!r} (outputs: {sorted(got)})")
        elif not _same(wanted, got[name]):
            problems.append(f"{name}: expected {wanted!r}, got {got[name]!r}")
    trail = {entry.check: entry.value for entry in outcome.trail}
    for name, wanted in case.trail.items():
        if name not in trail:
            problems.append(f"no check {name!r} in the trail")
        elif not _same(wanted, trail[name]):
            problems.append(f"check {name}: expected {wanted!r}, got {trail[name]!r}")
    return problems


def check_case_in_bulk(case: Case) -> list[str]:
    """The same case as a one-row table through the bulk path."""
    if case.expect is None:
        return []
    rule = get_rule(case.rule_id)
    table = pl.DataFrame({name: [value] for name, value in case.facts.items()}, strict=False)
    if table.width == 0:
        table = pl.DataFrame({"_": [None]})
    params = case_parameters(case)
    result = evaluate_table(rule, table, case.on, params=params, scenarios=case.scenarios)
    version = rule.span_at(case.on, case.scenarios).version
    kinds = output_kinds(Kinds(rule, version, {p.name: p.kind for p in params}))
    row = result.row(0, named=True)
    problems = []
    for name, wanted in case.expect.items():
        got = render(row[name], kinds[name])
        if not _same(wanted, got):
            problems.append(f"bulk {name}: expected {wanted!r}, got {got!r}")
    return problems
