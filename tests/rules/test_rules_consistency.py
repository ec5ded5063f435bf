"""The per-case path and the bulk path agree on every rule, on many generated cases.

Rows are generated from each rule's fact types (booleans, small numbers, amounts, dates around
the rules' boundaries, the allowed values of each choice), evaluated one by one with
``evaluate`` and all at once with ``evaluate_table``; every output must be equal row by row.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keten.rules.errors import NotInForceError
from keten.rules.evaluate import _kinds, evaluate, evaluate_table, render
from keten.rules.facts import FactSpec
from keten.rules.parameters import default_parameters
from keten.rules.registry import all_rules
from keten.rules.rule import Rule
from keten.time.dated import NoValueError

COUNTRIES = ("NL", "DE", "SY", "AF", "ER", "TR", "US", "JP", "LI", "CH", "GB", "TW", "MA", "NO")
FIRST_DAY = date(1994, 1, 1)
LAST_DAY = date(2030, 12, 31)


def money() -> st.SearchStrategy[Decimal]:
    # Amounts around common norms and thresholds, in whole cents.
    return st.integers(min_value=0, max_value=12_000_00).map(lambda c: Decimal(c) / 100)


def value_strategy(spec: FactSpec) -> st.SearchStrategy[Any]:
    base: st.SearchStrategy[Any]
    if spec.kind == "bool":
        base = st.booleans()
    elif spec.kind == "int":
        low = int(spec.minimum) if spec.minimum is not None else -5
        high = int(spec.maximum) if spec.maximum is not None else 400
        base = st.integers(min_value=low, max_value=min(high, low + 400))
    elif spec.kind == "float":
        lo = spec.minimum if spec.minimum is not None else 0.0
        hi = spec.maximum if spec.maximum is not None else 100.0
        base = st.integers(min_value=int(lo * 10), max_value=int(hi * 10)).map(lambda x: x / 10)
    elif spec.kind == "money":
        base = money()
    elif spec.kind == "date":
        base = st.dates(min_value=FIRST_DAY, max_value=LAST_DAY)
    elif spec.kind == "str":
        base = st.sampled_from(spec.choices) if spec.choices else st.sampled_from(COUNTRIES)
    elif spec.kind == "list_str":
        assert spec.choices, f"{spec.name}: list facts need allowed values"
        base = st.lists(st.sampled_from(spec.choices), unique=True, max_size=len(spec.choices))
    elif spec.kind == "list_money":
        size = spec.length or 12
        base = st.lists(money(), min_size=size, max_size=size)
    else:  # pragma: no cover - every kind is listed above
        raise AssertionError(spec.kind)
    return st.one_of(st.none(), base) if spec.nullable else base


def rows_strategy(rule: Rule) -> st.SearchStrategy[list[dict[str, Any]]]:
    row = st.fixed_dictionaries({spec.name: value_strategy(spec) for spec in rule.fact_specs})
    return st.lists(row, min_size=1, max_size=25)


def reference_dates(rule: Rule) -> st.SearchStrategy[date]:
    # Any day; the days around each version boundary; and days inside each version of every
    # parameter the rule reads (so rules whose amounts exist for one year are exercised too).
    picks: list[st.SearchStrategy[date]] = [
        st.dates(min_value=date(2012, 1, 1), max_value=LAST_DAY)
    ]
    for span in rule.spans:
        if span.start:
            eve = date.fromordinal(span.start.toordinal() - 1)
            picks.append(st.sampled_from([span.start, eve]))
    params = default_parameters()
    for version in rule.versions:
        for name in version.parameter_names():
            for v in params.get(name).versions:
                low = max(v.valid_from, FIRST_DAY)
                high = min(v.valid_to or LAST_DAY, LAST_DAY)
                if low <= high:
                    picks.append(st.dates(min_value=low, max_value=high))
    return st.one_of(*picks)


def column(spec: FactSpec, values: list[Any]) -> pl.Series:
    if spec.kind == "money":
        values = [None if v is None else float(v) for v in values]
        return pl.Series(spec.name, values, dtype=pl.Float64)
    if spec.kind == "list_money":
        values = [None if v is None else [float(x) for x in v] for v in values]
        return pl.Series(spec.name, values, dtype=pl.List(pl.Float64))
    return pl.Series(spec.name, values, strict=False)


RULES = list(all_rules().values())


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_bulk_equals_per_case(rule: Rule) -> None:
    scenarios = frozenset({rule.proposed}) if rule.proposed else frozenset()

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(rows=rows_strategy(rule), on=reference_dates(rule))
    def check(rows: list[dict[str, Any]], on: date) -> None:
        try:
            rule.span_at(on, scenarios)
        except NotInForceError:
            with pytest.raises(NotInForceError):
                evaluate(rule, rows[0], on, scenarios=scenarios)
            return
        try:
            singles = [evaluate(rule, row, on, scenarios=scenarios) for row in rows]
        except NoValueError:
            table = pl.DataFrame([column(s, [r[s.name] for r in rows]) for s in rule.fact_specs])
            with pytest.raises(NoValueError):
                evaluate_table(rule, table, on, scenarios=scenarios)
            return
        table = pl.DataFrame([column(s, [r[s.name] for r in rows]) for s in rule.fact_specs])
        bulk = evaluate_table(rule, table, on, scenarios=scenarios, with_checks=True).to_dicts()
        kinds = _kinds(rule, rule.span_at(on, scenarios).version, default_parameters())
        for i, (single, row_out) in enumerate(zip(singles, bulk, strict=True)):
            for name in rule.output_names:
                a, b = single.values[name], row_out[name]
                if isinstance(a, list) and isinstance(b, list):
                    a, b = sorted(a), sorted(b)
                assert a == b, f"row {i} output {name}: per case {a!r}, bulk {b!r}; facts {rows[i]}"
            # every check of the trail, not only the outcome
            for entry in single.trail:
                if entry.check.startswith("outcome.") or f"check.{entry.check}" not in row_out:
                    continue
                b = render(row_out[f"check.{entry.check}"], kinds.check_kind(entry.check))
                assert entry.value == b, (
                    f"row {i} check {entry.check}: per case {entry.value!r}, bulk {b!r}"
                )

    check()
