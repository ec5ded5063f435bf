"""Vc B1/4.3.3.1 income (after WBV 2025/14) and A3/5.1 REAN eligibility, written for OpenFisca.

A small OpenFisca tax-benefit system written the way OpenFisca's country template writes
variables: one entity (a person), monthly variables, the twelve months before the decision
month summed with ``ADD``, categorical outcomes as ``Enum``. It exists only to compare Keten's
bulk path with OpenFisca on the same rules (``benchmarks/rules.py``); Keten itself does not
depend on OpenFisca.
"""

from __future__ import annotations

import datetime
from typing import Any

import numpy as np
from openfisca_core import periods
from openfisca_core.entities import build_entity
from openfisca_core.indexed_enums import Enum
from openfisca_core.populations import ADD
from openfisca_core.simulations import Simulation, SimulationBuilder
from openfisca_core.taxbenefitsystems import TaxBenefitSystem
from openfisca_core.variables import Variable

Person = build_entity(key="person", plural="persons", label="Person", is_person=True)
MONTH = periods.DateUnit.MONTH

# Country groups as on 1 September 2025 (Keten keeps them as dated parameters).
EU = ["AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE",
      "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"]  # fmt: skip
EEA_EFTA = ["CH", "IS", "LI", "NO"]
MICROSTATES = ["AD", "LI", "MC", "SM", "VA"]
EXCLUDED = np.array(sorted({*EU, *EEA_EFTA, *MICROSTATES, "TW"}), dtype=object)
# A World Bank top 35 for the benchmark only (no ranked edition ships: the register's income file
# has no GNI figures yet). benchmarks/rules.py writes the same list into a register copy that
# Keten reads; here it is a constant, as an OpenFisca country package would hold a parameter.
TOP35 = ["US", "NO", "CH", "LU", "IE", "IS", "QA", "SG", "DK", "AU", "SE", "AT", "FI", "DE", "BE",
         "CA", "IL", "NZ", "GB", "JP", "FR", "AE", "KR", "MT", "IT", "KW", "BH", "ES", "SI", "CY",
         "CZ", "EE", "PT", "SA", "LT"]  # fmt: skip
EXCLUDED_OR_TOP35 = np.array(sorted({*EXCLUDED, *TOP35}), dtype=object)


def _var(name: str, value_type: type, label: str, formula: Any = None, **extra: Any) -> type:
    attrs: dict[str, Any] = {
        "value_type": value_type,
        "entity": Person,
        "definition_period": MONTH,
        "label": label,
        **extra,
    }
    if formula is not None:
        attrs["formula"] = formula
    return type(name, (Variable,), attrs)


# -- B1/4.3.3.1: income from employment over the twelve months before the decision month -------


def _last_12_months(period: Any) -> Any:
    return periods.Period((MONTH, period.start.offset(-12, "month"), 12))


def _income_sufficient(person: Any, period: Any, parameters: Any) -> Any:
    months = _last_12_months(period)
    total = person("monthly_income", months, options=[ADD]) + person(
        "monthly_ww_zw_benefit", months, options=[ADD]
    )
    return total >= 12 * person("monthly_norm", period)


def _income_sufficient_cents(person: Any, period: Any, parameters: Any) -> Any:
    # The same rule on whole cents (OpenFisca ``int`` is int32: exact, but a total above
    # EUR 21.4 million would overflow).
    months = _last_12_months(period)
    total = person("monthly_income_cents", months, options=[ADD]) + person(
        "monthly_ww_zw_benefit_cents", months, options=[ADD]
    )
    return total >= 12 * person("monthly_norm_cents", period)


# -- A3/5.1: REAN eligibility and objections ------------------------------------------------------


class Eligibility(Enum):
    incomplete_application = "incomplete application"
    not_eligible = "not eligible"
    eligible = "eligible"


class Objection(Enum):
    none = "none"
    ind = "IND"
    dtenv = "DTenV"


class Departure(Enum):
    not_via_iom = "not via IOM"
    via_dtenv = "via DTenV"
    via_iom_rean = "via IOM (REAN)"
    via_iom_by_exception = "via IOM by exception"


def _excluded(codes: Any) -> Any:
    return np.isin(codes, EXCLUDED_OR_TOP35)


def _rean_eligibility(person: Any, period: Any, parameters: Any) -> Any:
    actions = person("applied_to_iom", period) & person("signed_consent", period)
    excluded_nationality = _excluded(person("nationality", period))
    permit = person("permit_country", period)
    excluded_permit = (permit != "") & _excluded(permit)
    # "de afgelopen vijf jaar": counted back from the application to the IOM, or from the
    # reference day when that is not given (the default 1900-01-01 stands for "not given").
    applied = person("iom_application_date", period)
    start = np.datetime64(period.start.date, "D")
    counted_from = np.where(applied == np.datetime64("1900-01-01"), start, applied)
    five_years_ago = _years_back(counted_from, 5)
    departed = person("last_supported_departure", period) > five_years_ago
    return np.select(
        [~actions, excluded_nationality | excluded_permit | departed],
        [Eligibility.incomplete_application, Eligibility.not_eligible],
        Eligibility.eligible,
    )


def _years_back(days: Any, years: int) -> Any:
    """The same calendar day ``years`` earlier, clamped to the month's end (29 February to
    28 February), as Keten's ``shifted`` counts; vectorised in month arithmetic."""
    day = days.astype("datetime64[D]")
    month = day.astype("datetime64[M]")
    day_of_month = day - month.astype("datetime64[D]")
    back = month - 12 * years
    last_day = (back + 1).astype("datetime64[D]") - np.timedelta64(1, "D")
    return np.minimum(back.astype("datetime64[D]") + day_of_month, last_day)


def _by_exception(person: Any, period: Any, parameters: Any) -> Any:
    exception = (
        person("trafficking_victim", period)
        | person("unaccompanied_minor", period)
        | person("distressing_case", period)
    )
    return (person("rean_eligibility", period) == Eligibility.not_eligible) & exception


def _objection(person: Any, period: Any, parameters: Any) -> Any:
    dtenv = person("planned_removal_or_transfer", period) | person(
        "dtenv_started_and_objects", period
    )
    return np.select(
        [person("signalled_for_investigation", period), dtenv],
        [Objection.ind, Objection.dtenv],
        Objection.none,
    )


def _departure(person: Any, period: Any, parameters: Any) -> Any:
    return np.select(
        [
            person("rean_objection", period) != Objection.none,
            person("rean_eligibility", period) == Eligibility.eligible,
            person("iom_may_assist_by_exception", period),
        ],
        [Departure.via_dtenv, Departure.via_iom_rean, Departure.via_iom_by_exception],
        Departure.not_via_iom,
    )


VARIABLES = [
    _var("monthly_income", float, "Income from employment in the month"),
    _var("monthly_ww_zw_benefit", float, "WW/ZW benefit in the month"),
    _var("monthly_norm", float, "Income norm per month"),
    _var("income_sufficient", bool, "Income sufficient (B1/4.3.3.1.6)", _income_sufficient),
    _var("monthly_income_cents", int, "Income from employment in the month, cents"),
    _var("monthly_ww_zw_benefit_cents", int, "WW/ZW benefit in the month, cents"),
    _var("monthly_norm_cents", int, "Income norm per month, cents"),
    _var("income_sufficient_cents", bool, "Income sufficient, on cents", _income_sufficient_cents),
    _var("applied_to_iom", bool, "Applied to IOM"),
    _var("signed_consent", bool, "Signed the application form"),
    _var("nationality", str, "Nationality"),
    _var("permit_country", str, "Country of a permit held"),
    _var("iom_application_date", datetime.date, "Day of the application to the IOM",
         default_value=datetime.date(1900, 1, 1)),
    _var("last_supported_departure", datetime.date, "Last supported departure",
         default_value=datetime.date(1900, 1, 1)),
    _var("trafficking_victim", bool, "Trafficking victim"),
    _var("unaccompanied_minor", bool, "Unaccompanied minor"),
    _var("distressing_case", bool, "Distressing case"),
    _var("signalled_for_investigation", bool, "Signalled for investigation"),
    _var("planned_removal_or_transfer", bool, "Planned removal or transfer"),
    _var("dtenv_started_and_objects", bool, "DTenV started and objects"),
    _var("rean_eligibility", Enum, "REAN eligibility (A3/5.1)", _rean_eligibility,
         possible_values=Eligibility, default_value=Eligibility.eligible),
    _var("iom_may_assist_by_exception", bool, "IOM may assist by exception", _by_exception),
    _var("rean_objection", Enum, "Objection to departure via IOM", _objection,
         possible_values=Objection, default_value=Objection.none),
    _var("rean_departure", Enum, "Departure", _departure,
         possible_values=Departure, default_value=Departure.not_via_iom),
]  # fmt: skip


# openfisca_core.taxbenefitsystems ships no py.typed, so TaxBenefitSystem is Any to mypy.
class KetenBenchmarkSystem(TaxBenefitSystem):  # type: ignore[misc]
    def __init__(self) -> None:
        super().__init__([Person])
        for variable in VARIABLES:
            self.add_variable(variable)


def simulation(system: TaxBenefitSystem, count: int) -> Simulation:
    return SimulationBuilder().build_default_simulation(system, count)


def previous_months(month: str, n: int = 12) -> list[str]:
    start = periods.period(month).start.offset(-n, "month")
    return [str(periods.Period((MONTH, start.offset(i, "month"), 1))) for i in range(n)]
