"""The framework itself: expressions, dates, facts, versions, outcomes."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from keten.rules.build import check, decide
from keten.rules.datemath import add_period, age_on
from keten.rules.errors import FactsError, NotInForceError, UnknownRuleError
from keten.rules.evaluate import evaluate, evaluate_table
from keten.rules.expr import Age, And, Fact, Lit, Not, Or, Shift
from keten.rules.facts import RuleFacts, fact
from keten.rules.registry import all_rules, get_rule
from keten.rules.rule import Quote, Rule, RuleVersion, Text
from tests.rules.rules_support import top35_register  # noqa: F401

TRUTH = [True, False, None]


class _Env:
    """A minimal environment that serves facts both per case and as columns."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.on = date(2025, 1, 1)
        self.values = values

    def fact(self, name: str) -> Any:
        return self.values[name]

    def fact_column(self, name: str) -> pl.Expr:
        return pl.col(name)

    def param(self, name: str) -> Any:
        raise AssertionError(name)

    def param_on(self, name: str, day: date) -> Any:
        raise AssertionError(name)

    def param_on_column(self, name: str, day: Fact) -> pl.Expr:
        raise AssertionError(name)

    def check(self, name: str) -> Any:
        raise AssertionError(name)

    def check_column(self, name: str) -> pl.Expr:
        raise AssertionError(name)


@pytest.mark.parametrize("a", TRUTH)
@pytest.mark.parametrize("b", TRUTH)
def test_three_valued_logic_is_the_same_per_case_and_in_polars(a: Any, b: Any) -> None:
    frame = pl.DataFrame({"a": [a], "b": [b]}, schema={"a": pl.Boolean, "b": pl.Boolean})
    env = _Env({"a": a, "b": b})
    for expr in (
        And((Fact("a"), Fact("b"))),
        Or((Fact("a"), Fact("b"))),
        Not(Fact("a")),
        Fact("a").eq(Fact("b")),
    ):
        scalar = expr.eval(env)
        bulk = frame.select(expr.to_polars(env).alias("x")).item()
        assert scalar == bulk, f"{expr.text()} with a={a}, b={b}: {scalar} vs {bulk}"


@settings(max_examples=300, deadline=None)
@given(
    day=st.dates(min_value=date(1950, 1, 1), max_value=date(2060, 12, 31)),
    years=st.integers(-20, 20),
    months=st.integers(-30, 30),
    days=st.integers(-60, 60),
)
def test_calendar_shifts_match_polars(day: date, years: int, months: int, days: int) -> None:
    expr = Shift(Fact("d"), years, months, 0, days)
    env = _Env({"d": day})
    bulk = pl.DataFrame({"d": [day]}).select(expr.to_polars(env).alias("x")).item()
    assert add_period(day, years=years, months=months, days=days) == bulk


@settings(max_examples=300, deadline=None)
@given(
    birth=st.dates(min_value=date(1940, 1, 1), max_value=date(2030, 12, 31)),
    day=st.dates(min_value=date(1940, 1, 1), max_value=date(2060, 12, 31)),
)
def test_age_matches_polars_and_counts_birthdays(birth: date, day: date) -> None:
    env = _Env({"b": birth, "d": day})
    bulk = (
        pl.DataFrame({"b": [birth], "d": [day]})
        .select(Age(Fact("b"), Fact("d")).to_polars(env).alias("x"))
        .item()
    )
    assert age_on(birth, day) == bulk


def test_age_on_birthdays() -> None:
    assert age_on(date(2007, 9, 1), date(2025, 8, 31)) == 17
    assert age_on(date(2007, 9, 1), date(2025, 9, 1)) == 18
    # born on 29 February: a year older on 1 March in a common year
    assert age_on(date(2008, 2, 29), date(2026, 2, 28)) == 17
    assert age_on(date(2008, 2, 29), date(2026, 3, 1)) == 18


def test_month_arithmetic_clamps_to_the_end_of_the_month() -> None:
    assert add_period(date(2023, 8, 31), months=6) == date(2024, 2, 29)
    assert add_period(date(2024, 2, 29), years=1) == date(2025, 2, 28)


# -- facts --------------------------------------------------------------------------------------

INCOME = get_rule("vc-b1-4.3.3.1-income")
TWELVE = [2000] * 12


def test_an_unknown_fact_is_an_error_naming_it_and_the_rule() -> None:
    with pytest.raises(FactsError) as info:
        evaluate(
            INCOME, {"monthly_income": TWELVE, "monthly_norm": 1900, "bonus": 5}, date(2025, 9, 1)
        )
    assert info.value.fields == ["bonus"]
    assert "vc-b1-4.3.3.1-income" in str(info.value)


def test_a_negative_amount_is_an_error() -> None:
    with pytest.raises(FactsError) as info:
        evaluate(INCOME, {"monthly_income": TWELVE, "monthly_norm": -1}, date(2025, 9, 1))
    assert info.value.fields == ["monthly_norm"]


def test_a_table_without_a_required_column_is_an_error_naming_the_column() -> None:
    table = pl.DataFrame({"monthly_income": [[2000.0] * 12]})
    with pytest.raises(FactsError) as info:
        evaluate_table(INCOME, table, date(2025, 9, 1))
    assert info.value.fields == ["monthly_norm"]
    assert "column missing" in str(info.value)


def test_a_bad_value_in_a_table_names_the_column_and_the_row() -> None:
    table = pl.DataFrame(
        {
            "nationality": ["SY", "AF", "IQ"],
            "applied_to_iom": ["true", "ja", "perhaps"],
            "signed_consent": ["true", "true", "true"],
        }
    )
    with pytest.raises(FactsError) as info:
        evaluate_table(get_rule("vc-a3-5.1-rean"), table, date(2025, 9, 1))
    assert info.value.fields == ["applied_to_iom"]
    assert "row 3" in str(info.value)
    assert "vc-a3-5.1-rean" in str(info.value)


def test_a_choice_outside_the_allowed_values_is_an_error_in_both_paths() -> None:
    with pytest.raises(FactsError):
        evaluate(get_rule("pact-border-procedure"), {"applicant": "child"}, date(2026, 7, 1))
    table = pl.DataFrame({"applicant": ["adult", "child"], "application_date": ["2026-07-01"] * 2})
    with pytest.raises(FactsError) as info:
        evaluate_table(get_rule("pact-border-procedure"), table, date(2026, 7, 1))
    assert "row 2" in str(info.value)


def test_csv_text_is_parsed_by_declared_type() -> None:
    table = pl.DataFrame(
        {
            "monthly_income": ["2000;2000;2000;2000;2000;2000;2000;2000;2000;2000;2000;2000"],
            "monthly_norm": ["1999.99"],
        }
    )
    result = evaluate_table(INCOME, table, date(2025, 9, 1))
    assert result.get_column("income_sufficient").to_list() == [True]


# -- versions and outcomes ----------------------------------------------------------------------


def test_the_version_in_force_on_the_reference_date_is_used() -> None:
    rule = get_rule("vc-b1-4.3.3.1-income")
    wbv_day = rule.spans[1].start
    assert wbv_day == date(2025, 6, 27)
    assert rule.span_at(date(2025, 6, 26)).version.label.en.startswith("before")
    assert rule.span_at(wbv_day).version.label.en.startswith("after")


def test_a_rule_not_in_force_says_when_it_is() -> None:
    with pytest.raises(NotInForceError) as info:
        get_rule("pact-prioritisation").span_at(date(2026, 6, 11))
    assert "2026-06-12" in str(info.value)


def test_an_unknown_rule_suggests_close_ids() -> None:
    with pytest.raises(UnknownRuleError, match=r"vc-a3-5\.1-rean"):
        get_rule("rean")


@pytest.mark.usefixtures("top35_register")
def test_outcome_json_has_the_trail_of_every_check() -> None:
    outcome = evaluate(
        get_rule("vc-a3-5.1-rean"),
        {"applied_to_iom": True, "signed_consent": True, "nationality": "SY"},
        date(2025, 9, 1),
    )
    payload = outcome.to_json()
    assert payload["rule"] == "vc-a3-5.1-rean"
    assert payload["citation"] == "Vc 2000 A3/5.1"
    assert payload["on"] == "2025-09-01"
    checks = [entry["check"] for entry in payload["trail"]]
    version = get_rule("vc-a3-5.1-rean").versions[0]
    assert checks[0] == "version"
    assert checks[1 : 1 + len(version.checks)] == [c.id for c in version.checks]
    for entry in payload["trail"]:
        assert set(entry) >= {"check", "value", "citation"}
        assert entry["citation"]
    names = {p["name"] for p in payload["parameters"]}
    assert "countries.eu_member_states" in names


def test_the_trail_opens_with_the_version_and_the_unverified_wbv_date() -> None:
    facts = {"monthly_income": TWELVE, "monthly_norm": 1900}
    after = evaluate(INCOME, facts, date(2025, 9, 1)).trail[0]
    assert after.check == "version"
    assert after.citation == "WBV 2025/14, artikel II"
    assert after.note is not None and "unverified" in after.note
    before = evaluate(INCOME, facts, date(2025, 6, 1)).trail[0]
    assert before.value.startswith("before WBV 2025/14")


def test_a_check_guarded_by_only_if_is_reported_as_not_assessed() -> None:
    outcome = evaluate(
        get_rule("1f-exclusion-before-inclusion"),
        {"evidence_level": "serious_reasons", "knowing_and_personal_participation": True},
        date(2021, 11, 1),
    )
    inclusion = next(e for e in outcome.trail if e.check == "inclusion")
    assert inclusion.assessed is False


class _Facts(RuleFacts):
    x: int = fact("x", "x")


def _rule(*checks: Any, outputs: Any = None) -> Rule:
    return Rule(
        id="test-rule",
        citation="test",
        title=Text("t", "t"),
        facts=_Facts,
        versions=(
            RuleVersion(
                None,
                Text("v", "v"),
                tuple(checks),
                outputs or (decide("out", "o", "o", otherwise=(True, "test")),),
                (Quote("q", "000_0000000000000000.txt"),),
            ),
        ),
    )


def test_a_rule_using_an_unknown_fact_is_rejected_when_defined() -> None:
    with pytest.raises(ValueError, match="unknown facts"):
        _rule(check("c", Fact("y") > 1, "c", "c", "test"))


def test_an_output_may_not_reuse_a_check_name() -> None:
    with pytest.raises(ValueError, match="name of a check"):
        _rule(check("out", Fact("x") > 1, "c", "c", "test"))


def test_every_listed_paragraph_is_covered() -> None:
    citations = {rule.citation for rule in all_rules().values()}
    wanted = [
        "A1/4.10", "A1/7.3", "A3/5.1", "A4/3.10", "A5/2.4", "B1/4.3.3.1", "B1/8.2.2", "B5/2.3",
        "B7/3.6.2", "B9/6.5", "B10/4.4.2", "B13/2.2", "B13/2.4", "B13/3.2", "B13/3.5", "B13/4.2",
        "B13/4.3", "C1/2.1", "C1/2.11", "C1/4.9",
    ]  # fmt: skip
    for paragraph in wanted:
        assert f"Vc 2000 {paragraph}" in citations, paragraph
    ids = set(all_rules())
    for rule_id in (
        "dublin-visa", "dublin-unaccompanied-minor", "1f-exclusion-before-inclusion",
        "labour-knowledge-migrant", "labour-blue-card", "labour-startup-pilot",
        "labour-rvo-points", "resettlement-quota", "return-stoplights", "pact-border-procedure",
        "pact-prioritisation", "anmw-nareis", "anmw-core-family",
    ):  # fmt: skip
        assert rule_id in ids


def test_the_wbv_rewrite_changes_outcomes_only_where_expected() -> None:
    """Rules with a version before and after WBV 2025/14 start the new one on its in-force day."""
    two_versions = [
        r for r in all_rules().values() if len(r.versions) == 2 and r.id != "labour-blue-card"
    ]
    assert {r.id for r in two_versions} == {
        "vc-a1-7.3-border-routing",
        "vc-b1-4.3.3.1-income",
        "vc-c1-2.11-hearing",
    }
    for rule in two_versions:
        assert rule.spans[0].end == date(2025, 6, 26)
        assert rule.spans[1].start == date(2025, 6, 27)


def test_literal_helpers() -> None:
    assert Lit(date(2025, 1, 1)).text() == "2025-01-01"


@pytest.mark.parametrize(
    ("monthly", "width"),
    [(2_000.00, pl.Int32), (12_000_000.00, pl.Int64)],  # a salary, and more than 32 bits allow
)
def test_amount_lists_are_narrowed_only_when_every_sum_stays_exact(
    monthly: float, width: pl.DataType
) -> None:
    from keten.rules.facts import prepare_table

    table = pl.DataFrame(
        {
            "monthly_income": [[monthly] * 12, [monthly] * 11 + [0.0]],
            "monthly_ww_zw_benefit": [[monthly] * 12, [0.0] * 12],
            "monthly_norm": [monthly * 2, monthly],
        }
    )
    prepared = prepare_table(INCOME.id, INCOME.facts, table)
    assert prepared.schema["monthly_income"] == pl.Array(width, 12)
    day = date(2025, 9, 1)
    bulk = evaluate_table(INCOME, table, day, with_checks=True)
    for i, row in enumerate(table.iter_rows(named=True)):
        case = evaluate(INCOME, row, day)
        assert bulk.get_column("income_sufficient")[i] == case.values["income_sufficient"]
    # Twelve months of income plus twelve of benefit, in whole cents, without wrapping.
    total = bulk.get_column("check.total_12_months")[0]
    assert total == round(monthly * 100) * 24


def test_the_recast_blue_card_directive_starts_on_12_june_2024() -> None:
    """Everaert Advocaten: "The new EU Blue Card Directive has been fully implemented in the
    Netherlands since 12 June 2024." """
    rule = all_rules()["labour-blue-card"]
    assert [s.end for s in rule.spans] == [date(2024, 6, 11), None]
    assert rule.spans[1].start == date(2024, 6, 12)
