"""The keten.rules adapter: the dossier's decision support runs the real rules with their trail."""

from __future__ import annotations

from datetime import date

import pytest

from keten.server import decision_support
from keten.server.services.errors import BadInputError


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
