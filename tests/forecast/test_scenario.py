"""Scenario files: the shipped ones are valid, broken ones fail naming the field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from keten.forecast.scenario import (
    Scenario,
    ScenarioError,
    load_scenario,
    scenario_dir,
    value_at,
    with_overrides,
)


def test_every_shipped_scenario_is_valid() -> None:
    files = sorted(scenario_dir().glob("*.yaml"))
    assert {f.name for f in files} >= {"baseline.yaml", "asielnoodmaatregelenwet.yaml"}
    for path in files:
        assert isinstance(load_scenario(path), Scenario)


def test_every_baseline_source_has_a_date_and_kind(baseline: Scenario) -> None:
    assert len(baseline.sources) >= 20
    kinds = {s.kind for s in baseline.sources}
    assert kinds == {"seed", "published", "assumption"}
    for s in baseline.sources:
        assert s.date and s.source and s.used_for


def test_shipped_scenarios_load_by_name() -> None:
    assert load_scenario("baseline") == load_scenario("baseline.yaml")


def test_extends_merges_mappings_and_replaces_values() -> None:
    act = load_scenario("asielnoodmaatregelenwet.yaml")
    base = load_scenario("baseline.yaml")
    assert act.emergency_measures_act.in_force is not None
    assert (
        act.emergency_measures_act.core_family_share
        == base.emergency_measures_act.core_family_share
    )
    assert act.ind == base.ind


def _write(tmp_path: Path, raw: dict[str, object]) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    return path


def _baseline_raw() -> dict[str, object]:
    raw = yaml.safe_load((scenario_dir() / "baseline.yaml").read_text(encoding="utf-8"))
    assert isinstance(raw, dict)
    return raw


def _set(raw: Any, path: str, value: object) -> None:
    """Set (or with ``value=DELETE`` remove) a dotted path in raw YAML data."""
    *parents, last = path.split(".")
    node = raw
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if value is DELETE:
        del node[last]
    elif isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value


DELETE = object()


@pytest.mark.parametrize(
    ("path", "value", "field", "words"),
    [
        ("groups.1.recognition_rate", 1.4, "groups[1].recognition_rate", "less than or equal"),
        ("ind.decisions_per_fte_year", DELETE, "ind.decisions_per_fte_year", "Field required"),
        ("ind.staff", 3, "ind.staff", "Extra inputs"),
        ("inflow.first_applications.0.low", 99999, "inflow.first_applications[0]", "low <= mid"),
        ("groups.0.share", 0.9, "(scenario)", "shares must sum to 1"),
        ("initial_state.ind_waiting.age_weeks", [[0, 10, 0.5]], "initial_state.ind_waiting",
         "sum to 1"),
        ("dublin.abscond_share", 0.9, "dublin", "exceed 1"),
        ("step_days", 3, "step_days", "Input should be 1 or 7"),
    ],
)  # fmt: skip
def test_errors_name_the_field(
    tmp_path: Path, path: str, value: object, field: str, words: str
) -> None:
    raw = _baseline_raw()
    _set(raw, path, value)
    with pytest.raises(ScenarioError) as info:
        load_scenario(_write(tmp_path, raw))
    fields = [f for f, _ in info.value.problems]
    messages = " ".join(m for _, m in info.value.problems)
    assert field in fields, info.value.problems
    assert words in messages
    assert field in str(info.value)


def test_not_yaml_and_not_a_mapping(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [unclosed", encoding="utf-8")
    with pytest.raises(ScenarioError, match="not valid YAML"):
        load_scenario(bad)
    bad.write_text("- just a list", encoding="utf-8")
    with pytest.raises(ScenarioError, match="mapping"):
        load_scenario(bad)
    with pytest.raises(ScenarioError, match="cannot read"):
        load_scenario(tmp_path / "missing.yaml")


def test_overrides_are_validated(baseline: Scenario) -> None:
    with pytest.raises(ScenarioError, match="no such field"):
        with_overrides(baseline, {"ind.no_such_lever": 1})
    with pytest.raises(ScenarioError, match=r"groups\[0\]\.share"):
        with_overrides(baseline, {"groups.0.share": 2})


def test_dated_paths_are_step_functions(baseline: Scenario) -> None:
    from datetime import date

    path = baseline.ind.productivity_index
    assert value_at(path, date(2024, 6, 1)) == 1.0
    assert value_at(path, date(2028, 1, 1)) == 1.25
    assert value_at(path, date(2035, 1, 1)) == 1.25
