"""The rules read what the country register says of a nationality on a day, and follow it.

Each test builds a small register (the four files, in the shipped format), evaluates a rule
for one nationality on one day, then changes one register row and evaluates again: the outcome
moves with the register, and the trail names the register version and the row it read.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

from keten.chain.country_register import (
    COLUMNS,
    INCOME_FILE,
    RATES_FILE,
    SAFE_FILE,
    VISA_FILE,
    load_dir,
)
from keten.rules.evaluate import evaluate
from keten.rules.parameters import default_parameters, with_country_register
from keten.rules.registry import get_rule
from keten.time.dated import NoValueError

SOURCE = "a test register row"


def _register(tmp: Path, rows: dict[str, list[dict[str, str]]]) -> Any:
    tmp.mkdir(parents=True, exist_ok=True)
    for name, columns in COLUMNS.items():
        with (tmp / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            for row in rows.get(name, []):
                writer.writerow({c: row.get(c, "") for c in columns})
    return with_country_register(default_parameters(), load_dir(tmp))


def _rate(code: str, rate: str, published: str) -> dict[str, str]:
    return {
        "nationality": code,
        "period": "2025",
        "rate_percent": rate,
        "basis": "international_protection",
        "published": published,
        "dataset": "Eurostat migr_asydcfsta",
        "source": SOURCE,
        "verified": "true",
    }


def _income(code: str, gni: str) -> dict[str, str]:
    return {
        "country": code,
        "edition": "FY2026",
        "valid_from": "2025-07-01",
        "valid_to": "2026-06-30",
        "income_group": "high",
        "gni_per_capita_usd": gni,
        "data_year": "2024",
        "source": SOURCE,
        "verified": "true",
    }


def _trail(outcome: Any) -> dict[str, Any]:
    return {entry.check: entry.value for entry in outcome.trail}


def _cited(outcome: Any, name: str) -> str:
    return str(next(p.version.citation for p in outcome.parameters if p.name == name))


def test_pact_reads_the_latest_yearly_rate_published_by_the_day(tmp_path: Path) -> None:
    """Seed 002: "afkomstig zijn uit een land met een Europees breed inwilligingspercentage van
    20% of lager" is "verplicht" in the border procedure."""
    rule = get_rule("pact-border-procedure")
    facts = {"applicant": "adult", "nationality": "MA", "application_date": "2026-07-01"}
    low = _register(tmp_path / "a", {RATES_FILE: [_rate("MAR", "4.2", "2026-06-20")]})
    ran = evaluate(rule, facts, date(2026, 7, 1), params=low)
    assert _trail(ran)["eu_recognition_rate"] == 4.2
    assert ran.outcome["border_procedure"] == "mandatory"
    assert "recognition_rates.csv:2" in _cited(ran, "countries.eu_recognition_rate_percent")
    # Before the figure was published it is not known: not mandatory on that ground.
    early = evaluate(rule, {**facts, "application_date": "2026-06-15"}, date(2026, 6, 15),
                     params=low)  # fmt: skip
    assert early.outcome["border_procedure"] == "not_mandatory"
    # The register changes (a revised figure): the outcome follows it.
    high = _register(tmp_path / "b", {RATES_FILE: [_rate("MAR", "31.0", "2026-06-20")]})
    again = evaluate(rule, facts, date(2026, 7, 1), params=high)
    assert _trail(again)["eu_recognition_rate"] == 31.0
    assert again.outcome["border_procedure"] == "not_mandatory"


def test_rean_reads_the_world_bank_top_35_by_nationality(tmp_path: Path) -> None:
    """Vc A3/5.1: no REAN for a national of "een land dat behoort tot de top 35 van de hoogste
    inkomens per hoofd van de bevolking volgens de Wereldbank"."""
    rule = get_rule("vc-a3-5.1-rean")
    facts = {"applied_to_iom": True, "signed_consent": True, "nationality": "US"}
    poorer = [_income(c, str(10000 + i)) for i, c in enumerate(_thirty_five_others()[:34])]
    listed = _register(tmp_path / "a", {INCOME_FILE: [_income("USA", "85000"), *poorer]})
    ran = evaluate(rule, facts, date(2026, 3, 1), params=listed)
    assert _trail(ran)["nationality_top35"] is True
    assert ran.outcome["eligibility"] == "not_eligible"
    assert "FY2026" in _cited(ran, "countries.world_bank_top35_income")
    # 35 richer countries in the next register: the United States falls to 36th.
    richer = [_income(c, str(90000 + i)) for i, c in enumerate(_thirty_five_others())]
    moved = _register(tmp_path / "b", {INCOME_FILE: [_income("USA", "85000"), *richer]})
    again = evaluate(rule, facts, date(2026, 3, 1), params=moved)
    assert _trail(again)["nationality_top35"] is False
    assert again.outcome["eligibility"] == "eligible"


def test_rean_refuses_when_the_register_cannot_rank_35_countries(tmp_path: Path) -> None:
    """Fewer than 35 figures in an edition: which countries are the 35 highest cannot be told,
    so REAN refuses and names the value it lacks instead of admitting everyone."""
    few = _register(tmp_path, {INCOME_FILE: [_income("USA", "85000")]})
    facts = {"applied_to_iom": True, "signed_consent": True, "nationality": "SY"}
    try:
        evaluate(get_rule("vc-a3-5.1-rean"), facts, date(2026, 3, 1), params=few)
    except NoValueError as refused:
        assert "countries.world_bank_top35_income" in str(refused)
        assert "Wereldbank" in refused.message_nl
    else:
        raise AssertionError("REAN decided without a top 35")


def _thirty_five_others() -> list[str]:
    return [
        "NOR", "CHE", "LUX", "IRL", "ISL", "QAT", "SGP", "DNK", "AUS", "SWE",
        "NLD", "AUT", "FIN", "DEU", "BEL", "CAN", "ISR", "NZL", "GBR", "JPN",
        "FRA", "ARE", "KOR", "MLT", "ITA", "KWT", "BHR", "ESP", "SVN", "CYP",
        "CZE", "EST", "PRT", "SAU", "LTU",
    ]  # fmt: skip


def test_c1_routes_a_safe_country_national_to_the_3_109ca_procedure(tmp_path: Path) -> None:
    """Vc C1/2.1: "Onderzoek of de vreemdeling afkomstig is uit een veilig land van herkomst"."""
    rule = get_rule("vc-c1-2.1-aanmeldfase")
    facts = {
        "lodged_with": "disa_ter_apel",
        "birth_date": "1990-01-01",
        "nationality": "MA",
    }
    safe_row = {
        "country": "MAR",
        "valid_from": "2026-06-12",
        "excepted_groups": "lhbti",
        "exception_nl": "niet veilig voor lhbti",
        "exception_en": "not safe for LGBTI persons",
        "source": SOURCE,
        "quote": "a test quote",
        "verified": "true",
    }
    safe = _register(tmp_path / "a", {SAFE_FILE: [safe_row]})
    ran = evaluate(rule, facts, date(2026, 7, 1), params=safe)
    assert _trail(ran)["safe_country_of_origin"] is True
    assert _trail(ran)["expected_track"] == "procedure_3_109ca"
    excepted = evaluate(rule, {**facts, "in_excepted_group": True}, date(2026, 7, 1), params=safe)
    assert _trail(excepted)["expected_track"] == "general"
    # Taken off the list in the next register: the general procedure.
    off = _register(tmp_path / "b", {SAFE_FILE: [{**safe_row, "valid_to": "2026-06-30"}]})
    again = evaluate(rule, facts, date(2026, 7, 1), params=off)
    assert _trail(again)["expected_track"] == "general"


def test_a1_4_10_needs_no_visa_for_an_exempt_nationality(tmp_path: Path) -> None:
    """Vc A1/4.10: "De visumplichtige vreemdeling moet, om in aanmerking te komen voor de
    toepassing van de gunstigere regels ..."; an exempt nationality needs no visa at all."""
    rule = get_rule("vc-a1-4.10-eu-family-visa")
    facts = {"relation": "family_member", "shown_convincingly": True, "nationality": "BR"}
    row = {
        "country": "BRA",
        "requirement": "visa_free",
        "valid_from": "2018-12-18",
        "legal_act": "Reg. (EU) 2018/1806",
        "source": SOURCE,
        "verified": "true",
    }
    free = _register(tmp_path / "a", {VISA_FILE: [row]})
    ran = evaluate(rule, facts, date(2026, 7, 1), params=free)
    assert ran.outcome["decision"] == "no_visa_needed"
    needed = _register(tmp_path / "b", {VISA_FILE: [{**row, "requirement": "visa_required"}]})
    again = evaluate(rule, facts, date(2026, 7, 1), params=needed)
    assert again.outcome["decision"] == "issue"
