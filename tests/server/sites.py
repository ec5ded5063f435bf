"""Registered locations for tests that place people: a fresh one per call, run by the user's
organisation, with room, so that a test does not depend on how full the sample's locations
are (services/locations.py refuses a placement into a full one)."""

from __future__ import annotations

from itertools import count

from tests.server.live import Server

_serial = count(1)
# The organisation kind's usual location kind for each placement kind it records.
KIND_OF = {
    "coa_regular": "regular",
    "coa_emergency": "emergency",
    "coa_crisis": "crisis",
    "coa_minors": "amv_small_scale",
    "nidos_family": "amv_small_scale",
    "ggv": "ggv",
    "detention_centre": "detention_centre",
    "border_detention": "border",
}


def site(
    live: Server,
    user: str = "coa",
    kind: str = "regular",
    places: int = 1000,
    reserve: int = 0,
    opened: str = "2000-01-01",
) -> str:
    """Register a location of ``kind`` as ``user``; its code."""
    port = live.base.rsplit(":", 1)[-1]
    code = f"test-{kind.replace('_', '-')}-{next(_serial)}-{port}"
    reply = live.request(
        "POST",
        "/api/v1/locations",
        user,
        {
            "code": code,
            "name": f"testlocatie {code}",
            "kind": kind,
            "municipality": "utrecht",
            "province": "utrecht",
            "opened": opened,
            "places": places,
            "reserve": reserve,
            "reason": "test",
        },
    )
    assert reply.status == 201, reply.text
    return code


def site_for(live: Server, placement_kind: str, user: str = "coa") -> str:
    """A fresh location that takes ``placement_kind``, run by ``user``'s organisation."""
    return site(live, user, KIND_OF[placement_kind])
