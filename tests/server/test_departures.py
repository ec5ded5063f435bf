"""How a person left, through real HTTP: every kind of departure recorded, and refused when it is
malformed (400, naming the field and the rule in Dutch too) or contradicts the case (422).

The kinds come from the sources, quoted where they speak:
- seed 002 (national strategy): "Het centrale uitgangspunt van het terugkeerbeleid is
  ‘zelfstandig als het kan, gedwongen als het moet’."
- seed 004 (Vc A3/5.1): "De IOM moet de IND en de DTenV door middel van een vertrekverklaring
  berichten dat de vreemdeling is vertrokken met ondersteuning van de IOM."
- seed 004 (Vc A3/5.1): "De DTenV heeft bezwaar tegen vertrek via de IOM van een vreemdeling
  vanwege een geplande uitzetting of overdracht in het kader van de verordening (EU) nr.
  604/2013."
- seed 001 (1.3): "Na het nemen van het Dublinbesluit door de IND komt de Dublinclaimant in de
  caseload van DT&V."
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.server.live import Reply, Server
from tests.server.world import hand_over, refuse, register, version

TODAY = date.today().isoformat()


def departure_case(live: Server, nationality: str = "MAR") -> tuple[int, dict[str, Any]]:
    """A refused person handed over to DTenV, with a departure procedure DTenV opened on the
    return decision; (person id, the procedure)."""
    person = int(register(live, surname="Vertrekker", nationality=nationality)["id"])
    refuse(live, person)
    hand_over(live, person, "ind", "transfer_file", "DTenV")
    lodged = live.request(
        "POST",
        f"/api/v1/persons/{person}/procedures",
        "dtenv",
        {
            "procedure_type": "departure",
            "event": {"kind": "return_decision", "day": TODAY},
            "reason": "terugkeerbesluit",
        },
        headers={"If-Match": version(live, person)},
    )
    assert lodged.status == 201, lodged.text
    return person, lodged.body


def depart(live: Server, proc: dict[str, Any], body: dict[str, Any], user: str = "dtenv") -> Reply:
    return live.request(
        "POST",
        f"/api/v1/procedures/{proc['id']}/departure",
        user,
        {"day": TODAY, "reason": "vertrek vastgelegd", **body},
        headers={"If-Match": f'"{proc["version"]}"'},
    )


def dublin_accepted(live: Server, person: int) -> None:
    """The IND's Dublin procedure with the claim accepted (what a transfer follows)."""
    lodged = live.request(
        "POST",
        f"/api/v1/persons/{person}/procedures",
        "ind-dublin",
        {
            "procedure_type": "dublin_outgoing",
            "event": {"kind": "request_sent", "day": TODAY},
            "reason": "claim",
        },
        headers={"If-Match": version(live, person)},
    )
    assert lodged.status == 201, lodged.text
    accepted = live.request(
        "POST",
        f"/api/v1/procedures/{lodged.body['id']}/events",
        "ind-dublin",
        {"kind": "accepted", "day": TODAY, "reason": "claimakkoord"},
        headers={"If-Match": f'"{lodged.body["version"]}"'},
    )
    assert accepted.status == 201, accepted.text


def last_event(live: Server, proc: dict[str, Any]) -> dict[str, Any]:
    detail = live.get(f"/api/v1/procedures/{proc['id']}", "dtenv")
    event: dict[str, Any] = detail.body["events"][-1]
    return event


KINDS: dict[str, tuple[dict[str, Any], str, dict[str, Any]]] = {
    # "zelfstandig als het kan": without support, the destination may be unknown to DTenV
    "independent": ({"how": "independent"}, "departed_independently", {"support": "none"}),
    "independent_iom": (
        {"how": "independent_iom", "destination": "GEO"},
        "departed_independently",
        {"support": "iom_rean", "destination": "GEO"},
    ),
    # "gedwongen als het moet": escorted or not
    "forced": (
        {"how": "forced", "destination": "MAR", "escorted": True},
        "removed",
        {"escorted": True, "destination": "MAR"},
    ),
    "dublin_transfer": (
        {"how": "dublin_transfer", "destination": "DEU"},
        "transferred_dublin",
        {"destination": "DEU"},
    ),
    # "vertrek met onbekende bestemming": no destination at all
    "absconded": ({"how": "absconded"}, "absconded", {}),
}


@pytest.mark.parametrize("how", sorted(KINDS))
def test_each_kind_of_departure_is_recorded_and_closes_the_procedure(
    live: Server, how: str
) -> None:
    body, event_kind, data = KINDS[how]
    person, proc = departure_case(live)
    if how == "independent_iom":
        hand_over(live, person, "dtenv", "rean_referral", "IOM")
    if how == "dublin_transfer":
        dublin_accepted(live, person)
    reply = depart(live, proc, body)
    assert reply.status == 201, reply.text
    assert reply.body["status"] == "closed"  # a departure stops the departure period
    event = last_event(live, proc)
    assert (event["kind"], event["data"]) == (event_kind, data)
    assert event["recorded_org"] == "DTenV" and event["reason"] == "vertrek vastgelegd"


MALFORMED = [
    ({"how": "forced", "escorted": False}, "destination", "is verplicht"),
    ({"how": "forced", "destination": "MAR"}, "escorted", "true of false"),
    ({"how": "forced", "destination": "XYZ", "escorted": True}, "destination", "alpha-3"),
    ({"how": "forced", "destination": "NLD", "escorted": True}, "destination", "Nederland"),
    ({"how": "absconded", "destination": "MAR"}, "destination", "hoort daar niet bij"),
    ({"how": "dublin_transfer", "destination": "MAR"}, "destination", "Dublinverordening"),
    ({"how": "left"}, "how", "is geen van"),
    ({"how": "independent_iom"}, "destination", "is verplicht"),
    ({"how": "absconded", "escorted": True}, "escorted", "alleen voor een uitzetting"),
]


@pytest.mark.parametrize(("body", "field", "dutch"), MALFORMED)
def test_a_malformed_departure_is_refused_naming_the_field_in_dutch(
    live: Server, body: dict[str, Any], field: str, dutch: str
) -> None:
    person, proc = departure_case(live)
    hand_over(live, person, "dtenv", "rean_referral", "IOM")
    dublin_accepted(live, person)
    reply = depart(live, proc, body)
    assert reply.status == 400, reply.text
    assert reply.body["field"] == field
    assert dutch in reply.body["rule_nl"], reply.body
    after = live.get(f"/api/v1/procedures/{proc['id']}", "dtenv").body
    assert after["version"] == proc["version"] and after["status"] != "closed"  # nothing stored


def test_the_generic_event_route_holds_departure_data_to_the_same_rules(live: Server) -> None:
    _, proc = departure_case(live)
    reply = live.request(
        "POST",
        f"/api/v1/procedures/{proc['id']}/events",
        "dtenv",
        {"kind": "departed_independently", "day": TODAY, "data": {}, "reason": "x"},
        headers={"If-Match": f'"{proc["version"]}"'},
    )
    assert reply.status == 400 and reply.body["field"] == "data.support", reply.text
    assert "iom_rean" in reply.body["rule_nl"]


def test_iom_support_without_a_rean_referral_contradicts_the_case(live: Server) -> None:
    """Vc A3/5.1: "een aanvraag voor vrijwillig vertrek indienen bij de IOM": without the
    referral to IOM in the dossier, a departure with IOM support is refused, not stored."""
    _, proc = departure_case(live)
    reply = depart(live, proc, {"how": "independent_iom", "destination": "GEO"})
    assert reply.status == 422, reply.text
    assert "REAN-verwijzing" in reply.body["rule_nl"]


def test_a_dublin_transfer_without_the_ind_dublin_procedure_contradicts_the_case(
    live: Server,
) -> None:
    """Seed 001: "Na het nemen van het Dublinbesluit door de IND komt de Dublinclaimant in de
    caseload van DT&V": no accepted claim, no transfer."""
    _, proc = departure_case(live)
    reply = depart(live, proc, {"how": "dublin_transfer", "destination": "DEU"})
    assert reply.status == 422, reply.text
    assert reply.body["field"] == "kind" and "Dublinprocedure" in reply.body["rule_nl"]


def test_only_the_departure_officer_records_a_departure(live: Server) -> None:
    person, proc = departure_case(live)
    hand_over(live, person, "dtenv", "rean_referral", "IOM")
    by_iom = depart(live, proc, {"how": "absconded"}, user="iom")
    assert by_iom.status == 403, by_iom.text  # IOM reads the procedure, records its own file
    by_coa = depart(live, proc, {"how": "absconded"}, user="coa")
    assert by_coa.status == 403, by_coa.text
