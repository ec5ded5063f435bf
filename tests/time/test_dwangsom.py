"""Dwangsom bij niet tijdig beslissen, from the text of Awb art. 4:17 and seed 003."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import pytest

from keten.time.dwangsom import (
    DwangsomInputError,
    compute_dwangsom,
    dwangsom_amount_array,
    dwangsom_exposure_array,
    first_dwangsom_day,
    params,
)

LID_1 = (
    "Indien een beschikking op aanvraag niet tijdig wordt gegeven, verbeurt het bestuursorgaan aan "
    "de aanvrager een dwangsom voor elke dag dat het in gebreke is, doch voor ten hoogste 42 dagen."
)
LID_2 = (
    "De dwangsom bedraagt de eerste veertien dagen € 23 per dag, de daaropvolgende veertien dagen "
    "€ 35 per dag en de overige dagen € 45 per dag."
)
LID_3 = (
    "De eerste dag waarover de dwangsom verschuldigd is, is de dag waarop twee weken zijn "
    "verstreken na de dag waarop de termijn voor het geven van de beschikking is verstreken en het "
    "bestuursorgaan van de aanvrager een schriftelijke ingebrekestelling heeft ontvangen."
)
SEED_003 = (
    "Sinds 1 oktober 2012 geldt er een automatische dwangsomregeling voor visum-aanvragen, "
    "mvv-aanvragen, aanvragen om een verblijfsvergunning (asiel en regulier) en bezwaarschriften, "
    "ingediend op of na 1 oktober 2012."
)

DUE = date(2026, 1, 10)
NOTICE = date(2026, 2, 2)
FIRST = date(2026, 2, 16)  # two weeks after the day the notice was received


def test_quotes_are_the_ones_in_the_parameter_file() -> None:
    quote = params().amounts.at(date(2026, 1, 1))
    version = params().amounts.version_at(date(2026, 1, 1))
    assert quote.max_days == 42
    assert version.quote is not None
    for sentence in (LID_1, LID_2, LID_3):
        assert sentence in version.quote


def test_first_day_is_two_weeks_after_receipt() -> None:
    assert first_dwangsom_day(DUE, NOTICE, params().amounts.at(NOTICE)) == FIRST


@pytest.mark.parametrize(
    ("on", "days", "amount", "source"),
    [
        (FIRST - timedelta(days=1), 0, 0, LID_3),
        (FIRST, 1, 23, LID_2),
        (FIRST + timedelta(days=13), 14, 14 * 23, LID_2),  # 322
        (FIRST + timedelta(days=14), 15, 14 * 23 + 35, LID_2),
        (FIRST + timedelta(days=27), 28, 14 * 23 + 14 * 35, LID_2),  # 812
        (FIRST + timedelta(days=28), 29, 14 * 23 + 14 * 35 + 45, LID_2),
        (FIRST + timedelta(days=41), 42, 1442, LID_1),  # the statutory maximum
        (FIRST + timedelta(days=300), 42, 1442, LID_1),
    ],
)
def test_amount_by_band(on: date, days: int, amount: int, source: str) -> None:
    assert source
    result = compute_dwangsom(DUE, NOTICE, on)
    assert (result.days, result.amount_eur) == (days, Decimal(amount))


def test_42_days_are_not_extended_by_the_atw() -> None:
    # "De Algemene termijnenwet is op laatstgenoemde termijn niet van toepassing."
    result = compute_dwangsom(DUE, NOTICE, date(2027, 1, 1))
    assert result.last_day == FIRST + timedelta(days=41)


def test_notice_before_the_term_expired_is_premature() -> None:
    result = compute_dwangsom(DUE, DUE, date(2026, 6, 1))
    assert result.days == 0 and result.first_day is None
    assert result.trail[-1].code == "dwangsom_premature"
    assert compute_dwangsom(DUE, DUE + timedelta(days=1), date(2026, 6, 1)).first_day == (
        DUE + timedelta(days=15)
    )


def test_a_decision_stops_the_dwangsom() -> None:
    result = compute_dwangsom(DUE, NOTICE, date(2026, 6, 1), decided=FIRST + timedelta(days=5))
    assert (result.days, result.amount_eur) == (5, Decimal(5 * 23))
    assert compute_dwangsom(DUE, NOTICE, date(2026, 6, 1), decided=FIRST).days == 0


def test_on_before_due_is_an_input_error_naming_the_field() -> None:
    with pytest.raises(DwangsomInputError) as info:
        compute_dwangsom(DUE, NOTICE, DUE - timedelta(days=1))
    assert info.value.field == "on"


@pytest.mark.parametrize(
    ("dwangsom_class", "lodged", "notice", "regime", "runs"),
    [
        ("awb_application", date(2012, 9, 30), date(2013, 3, 1), "awb_4_17", True),
        ("awb_application", date(2012, 10, 1), date(2013, 3, 1), "ind_automatic", True),
        ("asylum_application", date(2015, 1, 5), date(2016, 1, 5), "ind_automatic", True),
        # Tijdelijke wet opschorting dwangsommen IND, in force 10 July 2020.
        ("asylum_application", date(2019, 11, 1), date(2020, 7, 1), "court_only", False),
        ("asylum_application", date(2023, 1, 2), date(2024, 1, 2), "court_only", False),
        ("none", date(2023, 1, 2), date(2024, 1, 2), "none", False),
    ],
)
def test_regime_by_procedure_class_and_date(
    dwangsom_class: str, lodged: date, notice: date, regime: str, runs: bool
) -> None:
    assert SEED_003
    due = notice - timedelta(days=20)
    result = compute_dwangsom(
        due, notice, notice + timedelta(days=60), dwangsom_class=dwangsom_class, lodged=lodged
    )
    assert result.regime.id == regime
    assert (result.amount_eur > 0) is runs


def test_seed_003_quote_is_carried_in_the_regime() -> None:
    regime = params().regimes["ind_automatic"]
    assert regime.quote == SEED_003


def test_json_shape() -> None:
    payload = compute_dwangsom(DUE, NOTICE, FIRST + timedelta(days=20)).to_json()
    assert payload["days"] == 21
    assert payload["amount_eur"] == 14 * 23 + 7 * 35
    assert {"step", "text", "text_en", "citation"} <= set(payload["trail"][0])


def test_array_path_equals_scalar() -> None:
    rng = np.random.default_rng(4)
    firsts = np.datetime64("2026-01-01") + rng.integers(0, 200, 500).astype("timedelta64[D]")
    on = date(2026, 5, 1)
    amounts = dwangsom_amount_array(firsts, on)
    for first, amount in zip(firsts, amounts, strict=True):
        f = first.astype(object)
        notice = f - timedelta(weeks=2)
        assert compute_dwangsom(notice - timedelta(days=1), notice, max(on, notice)).amount_eur == (
            Decimal(int(amount))
        )


def test_exposure_array_equals_scalar_per_case() -> None:
    rng = np.random.default_rng(11)
    n = 400
    lodged = np.datetime64("2011-01-01") + rng.integers(0, 5000, n).astype("timedelta64[D]")
    due = lodged + np.timedelta64(180, "D")
    notice = np.where(
        rng.random(n) < 0.8,
        due + rng.integers(-5, 60, n).astype("timedelta64[D]"),
        np.datetime64("NaT"),
    ).astype("datetime64[D]")
    decided = np.where(
        rng.random(n) < 0.4,
        due + rng.integers(10, 120, n).astype("timedelta64[D]"),
        np.datetime64("NaT"),
    ).astype("datetime64[D]")
    on = date(2026, 11, 25)
    for klass in ("awb_application", "asylum_application"):
        owed = dwangsom_exposure_array(
            due, notice, on, dwangsom_class=klass, lodged=lodged, decided=decided
        )
        for i in range(n):
            if np.isnat(notice[i]):
                assert owed[i] == 0
                continue
            result = compute_dwangsom(
                due[i].astype(object),
                notice[i].astype(object),
                on,
                decided=None if np.isnat(decided[i]) else decided[i].astype(object),
                dwangsom_class=klass,
                lodged=lodged[i].astype(object),
            )
            assert Decimal(int(owed[i])) == result.amount_eur, (klass, i)
    assert owed.sum() > 0
