"""The keten.rules adapter: real rules when the rules package is installed, an explicit
'not available' (never made-up advice) when it is not."""

from __future__ import annotations

import importlib.util
from datetime import date

import pytest

from keten.server import decision_support
from keten.server.services.errors import BadInputError

HAVE_RULES = importlib.util.find_spec("keten.rules") is not None


@pytest.mark.skipif(HAVE_RULES, reason="keten.rules is installed: see the test below")
def test_without_rules_the_panel_says_so() -> None:
    found = decision_support.availability()
    assert not found.available and "keten.rules" in found.reason
    assert decision_support.rules() == []
    with pytest.raises(BadInputError) as err:
        decision_support.run("vc-a5-2.4-detention-amv", {}, date(2026, 11, 25))
    assert err.value.field == "rule"


@pytest.mark.skipif(not HAVE_RULES, reason="keten.rules (branch rules) not installed yet")
def test_with_rules_the_trail_carries_citations() -> None:
    assert decision_support.availability().available
    ids = {r["id"] for r in decision_support.rules()}
    assert "vc-a5-2.4-detention-amv" in ids
    out = decision_support.run(
        "vc-a5-2.4-detention-amv",
        {
            "detention_start": "2026-11-20",
            "first_encountered_in_supervision": True,
            "departure_within_days": 20,
        },
        date(2026, 11, 25),
    )
    assert out["citation"] == "Vc 2000 A5/2.4"
    assert all(step["citation"] for step in out["trail"])
    with pytest.raises(BadInputError) as err:
        decision_support.run("vc-a5-2.4-detention-amv", {}, date(2026, 11, 25))
    assert err.value.field == "facts.detention_start"
