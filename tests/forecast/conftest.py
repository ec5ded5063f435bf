from __future__ import annotations

import pytest

from keten.forecast.scenario import Scenario, load_scenario, with_overrides


@pytest.fixture(scope="session")
def baseline() -> Scenario:
    return load_scenario("baseline.yaml")


@pytest.fixture(scope="session")
def short(baseline: Scenario) -> Scenario:
    """The baseline over three years: enough to see every lever act, fast to simulate."""
    return with_overrides(baseline, {"years": 3})
