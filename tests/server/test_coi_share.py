"""The exchange payloads of COI and return cooperation (``services/coi_share.py``,
``services/return_cooperation_share.py``): what a body holds, that nothing personal rides
along, and what a received body becomes on the other side. No transport: the bodies are
built and read in this process against the live server's database, and what was stored is
then read over HTTP as the partner's officer would see it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.server.live import Server


def _actor(username: str) -> Any:
    from django.contrib.auth import get_user_model

    from keten.server.services.actor import actor_for

    return actor_for(get_user_model().objects.get(username=username))


def _report(live: Server, **extra: Any) -> dict[str, Any]:
    body = {
        "country": "IRQ",
        "title": "COI Focus Irak (deelbaar)",
        "publisher": "IND",
        "kind": "other",
        "published_on": "2026-05-04",
        "reference": "share-1",
        "summary": "Korte samenvatting.",
        "language": "nl",
        "shareable": True,
        "reason": "geregistreerd door K. de Vries na overleg met aanvrager V-0001",
        **extra,
    }
    reply = live.request("POST", "/api/v1/coi", "ind", body)
    assert reply.status == 201, reply.text
    made: dict[str, Any] = reply.body
    return made


def test_a_coi_report_carries_metadata_and_summary_only(live: Server) -> None:
    from keten.server.services import coi_share
    from keten.server.services.errors import BadInputError, ContradictionError

    doc = _report(live)
    body = coi_share.build_for(_actor("ind"), doc["id"])
    assert body["kind"] == "coi_report" and body["version"] == 1
    assert set(body["document"]) == {
        "source_id",
        "country",
        "title",
        "publisher",
        "kind",
        "published_on",
        "valid_until",
        "superseded_on",
        "reference",
        "summary",
        "language",
    }
    assert body["document"]["source_id"] == str(doc["id"])
    assert body["document"]["summary"] == "Korte samenvatting."
    text = json.dumps(body)
    # Who registered it and why (here naming a person) never leave.
    assert "V-0001" not in text and "de Vries" not in text

    closed = _report(live, title="Niet deelbaar", reference="share-2", shareable=False)
    with pytest.raises(ContradictionError) as refused:
        coi_share.build_for(_actor("ind"), closed["id"])
    assert "niet gemarkeerd als deelbaar" in (refused.value.rule_nl or "")

    # Received on the other side: stored as the partner's, not shareable, once.
    received = coi_share.receive(_actor("ind"), body, "be-cgvs", "ontvangen van het CGVS")
    assert received["received_from"] == "be-cgvs"
    assert received["received_ref"] == str(doc["id"])
    assert received["shareable"] is False and received["id"] != doc["id"]
    again = coi_share.receive(_actor("ind"), body, "be-cgvs", "nogmaals bezorgd")
    assert again["id"] == received["id"]
    read = live.get(f"/api/v1/coi/{received['id']}", "ind-1f")
    assert read.status == 200 and read.body["received_from"] == "be-cgvs", read.text
    # ... and never passed on.
    with pytest.raises(ContradictionError):
        coi_share.build_for(_actor("ind"), received["id"])

    # A body carrying anything else is refused whole.
    smuggled = {**body, "document": {**body["document"], "applicant": "V-0001"}}
    with pytest.raises(BadInputError) as extra:
        coi_share.read(smuggled)
    assert "document.applicant" in str(extra.value)
    with pytest.raises(BadInputError):
        coi_share.read({**body, "version": 2})
    garbled = {**body, "document": {**body["document"], "published_on": "morgen"}}
    with pytest.raises(BadInputError):
        coi_share.read(garbled)


def test_special_flight_programme_and_seats(live: Server) -> None:
    from keten.server.services import return_cooperation_share as share
    from keten.server.services.errors import ContradictionError, ForbiddenError

    planned = live.request(
        "POST",
        "/api/v1/return/operations",
        "dtenv",
        {
            "kind": "special_flight",
            "destination": "GEO",
            "day": "2031-05-12",
            "seats_offered": 5,
            "reason": "charter Tbilisi",
        },
    )
    assert planned.status == 201, planned.text
    own = planned.body
    dtenv = _actor("dtenv")
    programme = share.build_programme(dtenv, _day("2031-05-01"))
    listed = {o["source_id"]: o for o in programme["operations"]}
    assert listed[str(own["id"])] == {
        "source_id": str(own["id"]),
        "kind": "special_flight",
        "destination": "GEO",
        "day": "2031-05-12",
        "seats_offered": 5,
        "seats_free": 5,
    }

    # The partner's programme arrives: its flight with 3 free seats, stored as received.
    theirs = {
        "kind": "return_operation_programme",
        "version": 1,
        "operations": [
            {
                "source_id": "dvz-77",
                "kind": "special_flight",
                "destination": "ALB",
                "day": "2031-06-02",
                "seats_offered": 8,
                "seats_free": 3,
            }
        ],
    }
    stored = share.receive_programme(dtenv, theirs, "be-dvz", "programma DVZ")
    assert [(s["received_from"], s["seats_offered"]) for s in stored] == [("be-dvz", 3)]
    again = share.receive_programme(dtenv, theirs, "be-dvz", "nogmaals bezorgd")
    assert again[0]["id"] == stored[0]["id"]
    ask = share.build_seat_request(dtenv, stored[0]["id"], 2, "nl-req-1")
    assert ask == {
        "kind": "return_operation_seats",
        "version": 1,
        "operation": "dvz-77",
        "seats": 2,
        "request_ref": "nl-req-1",
    }

    # The partner asks seats on our flight: given, once per request, never beyond the offer.
    request = {
        "kind": "return_operation_seats",
        "version": 1,
        "operation": str(own["id"]),
        "seats": 3,
        "request_ref": "be-req-1",
    }
    after = share.receive_seat_request(dtenv, request, "be-dvz", "verzoek DVZ")
    assert (after["seats_taken"], after["seats_free"]) == (3, 2)
    repeat = share.receive_seat_request(dtenv, request, "be-dvz", "nogmaals bezorgd")
    assert repeat["seats_taken"] == 3
    too_many = {**request, "request_ref": "be-req-2"}
    with pytest.raises(ContradictionError) as full:
        share.receive_seat_request(dtenv, too_many, "be-dvz", "nog een verzoek")
    assert "nog 2 vrij" in (full.value.rule_nl or "")
    rows = live.get("/api/v1/return/operations?on=2031-05-01", "jenv-beleid").body["results"]
    mine = next(r for r in rows if r["id"] == own["id"])
    assert (mine["seats_taken"], mine["seats_free"]) == (3, 2)
    # KMar reads the programme, but receiving is DTenV's.
    with pytest.raises(ForbiddenError):
        share.receive_programme(_actor("kmar"), theirs, "be-dvz", "niet de mijne")


def _day(text: str) -> Any:
    from datetime import date

    return date.fromisoformat(text)


def test_programme_escorts_are_checked_like_recorded_ones(live: Server) -> None:
    """The organiser's escorts in a programme: one entry per service, a known service, one
    escort at least; anything else is refused naming ``escorts`` or ``service``."""
    from keten.server.services import return_cooperation_share as share
    from keten.server.services.errors import BadInputError

    def body(escorts: Any) -> dict[str, Any]:
        flight = {
            "source_id": "dvz-esc-1",
            "kind": "special_flight",
            "destination": "COD",
            "day": "2031-06-01",
            "seats_offered": 4,
            "seats_free": 4,
            "escorts": escorts,
        }
        return {"kind": "return_operation_programme", "version": 1, "operations": [flight]}

    read = share.read_programme(body([{"service": "be_federal_police", "escorts": 9}]))
    assert read[0][2] == [(9, "be_federal_police")]
    for bad, field in (
        ([{"service": "kmar", "escorts": 0}], "escorts"),
        ([{"service": "frontex", "escorts": 2}], "service"),
        ([{"service": "kmar", "escorts": 2}, {"service": "kmar", "escorts": 1}], "escorts"),
        ([{"service": "kmar", "escorts": 2, "names": ["x"]}], "escorts"),
        ("veel", "escorts"),
    ):
        with pytest.raises(BadInputError) as refused:
            share.read_programme(body(bad))
        assert refused.value.field == field, bad
