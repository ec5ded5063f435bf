"""policy.yaml's per-role ``events``: the shape is checked when the policy loads, and the
municipality may record exactly the lease and the move on a permit holder's outflow."""

from __future__ import annotations

import pytest

from keten.server.services.policy import _role_events, policy


def test_the_municipality_records_the_lease_and_the_move_and_nothing_else() -> None:
    """Seed 001, 4.5: "fase 2: huisvesting regelen door gemeente: loopt van het moment van
    koppelen tot de ingangsdatum van het huurcontract": the lease's start is the municipality's
    to record, the match ("fase 1:koppeling door COA") is COA's."""
    municipality = policy().roles["municipality_officer"]
    assert municipality.procedures == frozenset()
    for kind in ("lease_start", "moved_out"):
        assert municipality.records_event("permit_holder_outflow", kind)
    for kind in ("matched", "permit_granted"):
        assert not municipality.records_event("permit_holder_outflow", kind)
    assert not municipality.records_event("crisis_reception", "lease_start")
    coa = policy().roles["coa_planner"]
    assert coa.records_event("permit_holder_outflow", "matched")  # it handles the type


WRITE = {"procedure": frozenset({"read", "write"})}


@pytest.mark.parametrize(
    ("raw", "allow", "message"),
    [
        ({"no_such_type": ["x"]}, WRITE, "unknown procedure type"),
        ({"permit_holder_outflow": ["signed"]}, WRITE, "unknown events"),
        ({"permit_holder_outflow": ["lease_start"]}, {"procedure": frozenset({"read"})}, "write"),
    ],
)
def test_a_malformed_events_entry_stops_the_policy_loading(
    raw: dict[str, list[str]], allow: dict[str, frozenset[str]], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        _role_events("a_role", raw, allow)
