"""The return-cooperation register (data/return/cooperation.csv) and the stoplight rule reading it.

Every expectation comes from the seed sentence it quotes, not from what the code returns."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from keten.chain import return_cooperation as register
from keten.rules.evaluate import evaluate
from keten.rules.return_stoplights import STOPLIGHTS

SEEDS = Path(__file__).resolve().parents[2] / "data" / "seeds"

GREEN = {
    "no_procedure_blocks_departure": True,
    "whereabouts_known": True,
    "absconding_or_no_cooperation": True,
    "lighter_measure_ineffective": True,
    "not_disproportionate": True,
    "prospect_of_removal": True,
    "valid_travel_document": True,
    "travel_possible": True,
}


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_every_entry_quotes_its_seed_word_for_word() -> None:
    for entry in register.entries():
        seed = _flat((SEEDS / entry.source).read_text(encoding="utf-8"))
        assert entry.quote in seed, entry.ref


def test_morocco_after_april_2021_has_no_prospect_of_removal() -> None:
    """Seed 001, par. 5, footnote 12: "Na april 2021 is het aantal bewaringen van Marokkanen
    sterk gedaald door ontbreken zicht op uitzetting"."""
    after = register.status("MAR", "forced_return", date(2021, 5, 1))
    assert after is not None and after.status == "no_prospect_of_removal"
    assert register.status("MAR", "forced_return", date(2021, 4, 30)) is None  # unknown before


def test_algeria_only_after_september_2021() -> None:
    """Footnote 13: "Na september 2021 is het aantal bewaringen van Algerijnen sterk gedaald
    door ontbreken zicht op uitzetting"."""
    assert register.status("DZA", "forced_return", date(2021, 9, 30)) is None
    found = register.status("DZA", "forced_return", date(2021, 10, 1))
    assert found is not None and found.status == "no_prospect_of_removal"


def test_a_country_no_source_names_is_unknown_not_cooperating() -> None:
    """Seed 001 says "Een groot gedeelte van de landen van herkomst werkt gewoon en goed mee
    aan de identiteitsvaststelling" without naming them: no row says so of any one country."""
    assert register.on(date(2022, 1, 1), "ALB") == ()
    assert register.GENERAL[0] in _flat((SEEDS / register.GENERAL[1]).read_text("utf-8"))


def test_eu_visa_measures_gambia_taken_iraq_bangladesh_pending() -> None:
    """ "Via dit instrument zijn ten aanzien van Gambia inmiddels visummaatregelen getroffen
    ... Over Irak en Bangladesh zal nog besluitvorming plaatsvinden." """
    day = date(2022, 1, 1)
    assert register.status("GMB", "eu_visa_measure", day).status == "measure_taken"  # type: ignore[union-attr]
    for code in ("IRQ", "BGD"):
        assert register.status(code, "eu_visa_measure", day).status == "under_consideration"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("day", "red"),
    [(date(2021, 3, 1), []), (date(2021, 5, 3), ["cannot_be_detained"])],
)
def test_stoplights_read_the_register_by_nationality_and_day(day: date, red: list[str]) -> None:
    """A Moroccan national, every person-level stoplight green: before May 2021 the register
    has nothing on Morocco and detention is possible; after April 2021 ("ontbreken zicht op
    uitzetting") the detention stoplight turns red, and the trail names the register entry."""
    outcome = evaluate(STOPLIGHTS, {**GREEN, "nationality": "MA"}, day)
    assert outcome.outcome["red_lights"] == red
    used = {p["name"]: p for p in outcome.to_json()["parameters"]}
    cited = used[register.NO_PROSPECT]["citation"]
    assert (register.version() in cited) and (("cooperation.csv:2" in cited) == bool(red))


def test_a_person_of_another_nationality_is_not_touched_by_the_moroccan_entry() -> None:
    outcome = evaluate(STOPLIGHTS, {**GREEN, "nationality": "AL"}, date(2021, 6, 1))
    assert outcome.outcome["red_lights"] == []
    stateless = evaluate(STOPLIGHTS, GREEN, date(2021, 6, 1))  # no nationality: no register row
    assert stateless.outcome["red_lights"] == []


def test_a_malformed_row_is_refused_naming_it() -> None:
    header = "country,aspect,status,valid_from,valid_to,source,quote,verified,note\n"
    with pytest.raises(register.RegisterError, match="row 2"):
        register.parse([header, "XYZ,forced_return,cooperates,2021-01-01,,s,q,true,\n"])
    with pytest.raises(register.RegisterError, match="cites its source"):
        register.parse([header, "MAR,forced_return,cooperates,2021-01-01,,,,true,\n"])
