"""The law watch (`keten rules stale`): which parameters are out of date on a day.

labour.yaml: "The salary criteria are indexed every 1 January ... A year without its amount has
no value: `keten rules stale` lists it and the rules refuse." The 2026 amounts must show up as
lapsed on the first day of 2027, and an amount entered open-ended for a year must show up as due
once the next year has begun."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from keten.cli import cli
from keten.rules.expr import cents
from keten.rules.parameters import ParameterSet, default_parameters
from keten.rules.stale import DUE, LAPSED, stale_parameters
from keten.time.dated import Version

UNDER_30 = "labour.knowledge_migrant.salary_under_30"


def _why(params: ParameterSet, on: date) -> dict[str, str]:
    return {s.name: s.why for s in stale_parameters(params, on)}


def test_the_2026_amounts_lapse_in_2027_and_proposals_are_left_out() -> None:
    assert UNDER_30 not in _why(default_parameters(), date(2026, 12, 4))
    found = _why(default_parameters(), date(2027, 1, 1))
    assert found[UNDER_30] == LAPSED
    today = _why(default_parameters(), date(2026, 12, 4))
    assert today["resettlement.national_quota_per_year"] == LAPSED  # last version ends 2025
    assert not any(name.startswith("asielnood.") for name in found)  # a bill: by design
    assert _why(default_parameters(), date(2021, 6, 1)).get(UNDER_30) is None


def test_an_amount_entered_for_this_year_is_current_and_due_when_the_next_year_begins() -> None:
    params = default_parameters().with_version(
        UNDER_30,
        Version(cents("9999"), date(2026, 1, 1), None, "a test amount for 2026"),
    )
    assert UNDER_30 not in _why(params, date(2026, 12, 4))
    assert _why(params, date(2027, 1, 1))[UNDER_30] == DUE
    # Not published yearly: an open-ended value stays current.
    assert "labour.knowledge_migrant.age_threshold" not in _why(
        default_parameters().with_version(
            "labour.knowledge_migrant.age_threshold",
            Version(30, date(2022, 1, 1), None, "a test version"),
        ),
        date(2027, 1, 1),
    )


def test_the_command_lists_them_with_their_last_dates() -> None:
    result = CliRunner().invoke(cli, ["rules", "stale", "--on", "2027-01-02", "--json"])
    assert result.exit_code == 0, result.output
    rows = {r["parameter"]: r for r in json.loads(result.output)["stale"]}
    assert rows[UNDER_30]["why"] == "lapsed"
    assert rows[UNDER_30]["last_to"] == "2026-12-31"


def test_a_pilot_that_ended_is_not_listed_as_lapsed() -> None:
    """labour.yaml: the pilot "ran four years from 1 June 2021"; its parameters end with it."""
    found = _why(default_parameters(), date(2026, 12, 4))
    assert not any(name.startswith("labour.startup_pilot.") for name in found)
    assert "resettlement.framework_cap" not in found


def test_every_seed_is_in_the_source_manifest() -> None:
    from keten._data import data_dir
    from keten.rules.stale_sources import documents

    seeds = {p.name for p in (data_dir() / "seeds").glob("*.txt")}
    assert seeds <= set(documents())


def test_a_newer_text_for_a_paragraph_lists_the_rules_that_quote_the_older_one() -> None:
    """A WBV published after WBV 2025/14 that rewrites Vc A3/5.1: REAN, which quotes WBV
    2025/14, must be re-read; the rules of other paragraphs are not listed."""
    from keten.rules.registry import all_rules
    from keten.rules.stale_sources import Document, documents, stale_rules

    assert stale_rules(all_rules().values(), documents()) == []
    newer = Document("005_0000000000000000.txt", "WBV 2027/1", date(2027, 2, 1), ("Vc 2000 A3",))
    found = stale_rules(all_rules().values(), {**documents(), newer.id: newer})
    assert [s.rule for s in found] == ["vc-a3-5.1-rean"]
    assert found[0].citation == "Vc 2000 A3/5.1" and found[0].newer is newer


def test_the_command_lists_rules_too() -> None:
    result = CliRunner().invoke(cli, ["rules", "stale", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["rules"] == []


def test_an_empty_register_shows_up_in_the_law_watch(tmp_path: Path) -> None:
    """A register without World Bank figures cannot say which 35 countries have the highest
    income per head, and one without rates knows none: both are listed, so the gap is seen
    before a REAN case is refused for it."""
    import csv

    from keten.chain.country_register import COLUMNS, load_dir
    from keten.rules.parameters import with_country_register
    from keten.rules.stale import EMPTY, MISSING

    for name, columns in COLUMNS.items():
        with (tmp_path / name).open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerow(columns)
    params = with_country_register(default_parameters(), load_dir(tmp_path))
    found = _why(params, date(2026, 12, 4))
    assert found["countries.world_bank_top35_income"] == MISSING
    assert found["countries.eu_recognition_rate_percent"] == EMPTY
