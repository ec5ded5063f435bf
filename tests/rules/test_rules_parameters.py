"""Dated parameters: a changed value moves outcomes only from its date; a gap is an error."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from keten.rules.errors import NotInForceError, UnknownParameterError
from keten.rules.evaluate import evaluate, evaluate_table
from keten.rules.expr import cents
from keten.rules.parameters import ParameterSet, default_parameters
from keten.rules.registry import all_rules, get_rule
from keten.time.dated import NoValueError, Version
from tests.rules.rules_support import top35_register  # noqa: F401

KM = get_rule("labour-knowledge-migrant")
REAN = get_rule("vc-a3-5.1-rean")
CHANGE = date(2021, 7, 1)


def km_facts(salary: Decimal, lodged: date = date(2021, 1, 10)) -> dict[str, object]:
    """A knowledge migrant aged over 30; the criterion is the one of the day ``lodged``."""
    return {
        "birth_date": date(1980, 1, 1),
        "application_date": lodged,
        "monthly_salary": salary,
        "employer_recognised_sponsor": True,
    }


def raised_criterion() -> ParameterSet:
    """The 30-plus criterion raised to EUR 5,000 from 1 July 2021 (a what-if, not the law)."""
    return default_parameters().with_version(
        "labour.knowledge_migrant.salary_30_plus",
        Version(cents(5000), CHANGE, date(2021, 12, 31), "test: raised criterion"),
    )


def test_a_raised_criterion_changes_the_outcome_from_its_date_and_not_before() -> None:
    params = raised_criterion()
    before = CHANGE - timedelta(days=1)
    decided = date(2021, 9, 1)  # decided after the change either way: the lodging day counts
    lodged_before = evaluate(KM, km_facts(Decimal("4800"), before), decided, params=params)
    lodged_on = evaluate(KM, km_facts(Decimal("4800"), CHANGE), decided, params=params)
    assert lodged_before.outcome["eligible"] is True
    assert lodged_on.outcome["eligible"] is False
    # the unchanged parameters give the 2021 amount throughout the year
    assert evaluate(KM, km_facts(Decimal("4800"), CHANGE), decided).outcome["eligible"] is True
    # the trail names the version of the lodging day, not of the reference date
    used = {p.name: p.version for p in lodged_before.parameters}
    assert used["labour.knowledge_migrant.salary_30_plus"].valid_from == date(2021, 1, 1)


@settings(max_examples=80, deadline=None)
@given(
    day=st.dates(min_value=date(2021, 1, 1), max_value=date(2021, 12, 31)),
    salary=st.integers(min_value=3000_00, max_value=6000_00).map(lambda c: Decimal(c) / 100),
)
def test_outcomes_differ_only_on_or_after_the_change(day: date, salary: Decimal) -> None:
    params = raised_criterion()
    facts = km_facts(salary, day)
    changed = evaluate(KM, facts, date(2021, 12, 31), params=params).outcome
    original = evaluate(KM, facts, date(2021, 12, 31)).outcome
    if day < CHANGE:
        assert changed == original
    elif Decimal("4752") <= salary < Decimal("5000"):
        assert changed != original


def test_the_bulk_path_sees_the_same_change() -> None:
    params = raised_criterion()
    table = pl.DataFrame(
        {
            "birth_date": [date(1980, 1, 1)] * 4,
            "application_date": [date(2021, 6, 30), CHANGE, date(2021, 6, 30), CHANGE],
            "monthly_salary": [4800.0, 4800.0, 5200.0, 5200.0],
            "employer_recognised_sponsor": [True] * 4,
        }
    )
    decided = evaluate_table(KM, table, date(2021, 9, 1), params=params)
    assert decided.get_column("eligible").to_list() == [True, False, True, True]


@pytest.mark.usefixtures("top35_register")
def test_a_country_list_change_moves_rean_eligibility_from_that_day() -> None:
    params = default_parameters()
    eu = params.get("countries.eu_member_states").dated.at(date(2025, 1, 1))
    widened = params.with_version(
        "countries.eu_member_states",
        Version((*eu, "UA"), date(2030, 1, 1), None, "test: a member state joins"),
    )
    facts = {"applied_to_iom": True, "signed_consent": True, "nationality": "UA"}
    day_before = evaluate(REAN, facts, date(2029, 12, 31), params=widened)
    day_of = evaluate(REAN, facts, date(2030, 1, 1), params=widened)
    assert day_before.outcome["eligibility"] == "eligible"
    assert day_of.outcome["eligibility"] == "not_eligible"


def test_asking_a_date_without_a_value_names_the_parameter_and_the_date() -> None:
    with pytest.raises(NoValueError) as info:
        evaluate(KM, km_facts(Decimal("5000"), date(2027, 1, 1)), date(2027, 1, 5))
    message = str(info.value)
    assert "labour.knowledge_migrant" in message
    assert "2027-01-01" in message


def test_a_lapsed_amount_names_the_last_known_value_and_decides_nothing() -> None:
    """labour.yaml: "Younger than 30 years EUR 4,357 excluding vacation allowance" (Meijburg & Co,
    the 2026 amount), indexed every 1 January. Before the 2027 amount is entered the answer on
    a 2027 day is a refusal that says which amount was last known and until when, in both
    languages, never that amount applied to the new year."""
    with pytest.raises(NoValueError) as info:
        default_parameters().value_at("labour.knowledge_migrant.salary_under_30", date(2027, 3, 1))
    said = info.value
    assert "2027-03-01" in str(said) and "EUR 4357.00" in str(said)
    assert "2026-01-01 to 2026-12-31" in str(said)
    assert "laatst bekende waarde, EUR 4357.00" in said.message_nl
    assert "tot en met 2026-12-31" in said.message_nl
    assert said.last is not None and said.last.value == 435700  # cents, as stored


def test_before_the_first_version_there_is_no_last_known_value() -> None:
    with pytest.raises(NoValueError) as info:
        default_parameters().value_at("labour.knowledge_migrant.salary_under_30", date(2020, 6, 1))
    assert info.value.last is None
    assert "last known" not in str(info.value)


def test_a_proposal_parameter_has_no_value_outside_its_scenario() -> None:
    params = default_parameters()
    with pytest.raises(NotInForceError, match="asielnoodmaatregelenwet"):
        params.value_at("asielnood.nareis_waiting_years", date(2025, 9, 1))
    value = params.value_at(
        "asielnood.nareis_waiting_years", date(2025, 9, 1), frozenset({"asielnoodmaatregelenwet"})
    )
    assert value == 2


def test_with_version_splits_a_version_that_straddles_the_new_interval() -> None:
    params = default_parameters().with_version(
        "pact.border_procedure_max_weeks",
        Version(10, date(2026, 1, 1), date(2026, 3, 31), "test"),
    )
    weeks = params.get("pact.border_procedure_max_weeks")
    assert weeks.dated.at(date(2025, 12, 31)) == 9
    assert weeks.dated.at(date(2026, 1, 1)) == 10
    assert weeks.dated.at(date(2026, 3, 31)) == 10
    assert weeks.dated.at(date(2026, 4, 1)) == 9
    assert weeks.dated.at(date(2026, 6, 12)) == 12


def test_unknown_parameter_is_an_error() -> None:
    with pytest.raises(UnknownParameterError, match=r"no\.such"):
        default_parameters().get("no.such.parameter")


def test_every_parameter_version_has_a_citation_and_money_is_whole_cents() -> None:
    for parameter in default_parameters():
        for version in parameter.versions:
            assert version.citation
            if parameter.unit == "eur":
                assert isinstance(version.value, int)


def test_every_rule_in_force_today_has_its_values_or_names_the_one_it_lacks() -> None:
    """Issue 17: "Every rule evaluates on today's date or refuses with a clear reason naming
    the missing value." Each parameter a rule in force today reads has a value today, or asking
    for it refuses naming the parameter and the day, in Dutch and English."""
    today = date.today()
    params = default_parameters()
    refused = []
    for rule in all_rules().values():
        try:
            version = rule.span_at(today).version
        except NotInForceError:
            continue  # ended or not yet in force: refused as such, naming the dates
        for name in version.parameter_names():
            try:
                params.version_at(name, today)
            except NoValueError as exc:
                assert name in str(exc) and today.isoformat() in str(exc)
                assert name in exc.message_nl and "geen waarde" in exc.message_nl
                refused.append(name)
    # What is refused today is what the law watch lists today, nothing else.
    from keten.rules.stale import stale_parameters

    watched = {s.name for s in stale_parameters(params, today)}
    assert set(refused) <= watched
