"""IOM's own records through real HTTP: its voluntary-return file (Vc A3/5.1), support offers,
what DTenV reads of them, and that IOM sees only the persons referred to it.

Seed 004 (Vc A3/5.1): "Om in aanmerking te komen voor het REAN-programma moet een vreemdeling
alle volgende handelingen verrichten: een aanvraag voor vrijwillig vertrek indienen bij de IOM"
and "De IOM verstrekt de vreemdeling zijn vliegticket en een eventuele eenmalige financiële
bijdrage op de luchthaven van vertrek."
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from tests.server.live import Reply, Server
from tests.server.world import hand_over, refuse, register, version

TODAY = date.today().isoformat()


def referred(live: Server) -> int:
    """A refused person DTenV referred to IOM (REAN)."""
    person = int(register(live, surname="Terugkeerder", nationality="GEO")["id"])
    refuse(live, person)
    hand_over(live, person, "ind", "transfer_file", "DTenV")
    hand_over(live, person, "dtenv", "rean_referral", "IOM")
    return person


def offer(live: Server, person: int, body: dict[str, Any], user: str = "iom") -> Reply:
    return live.request(
        "POST",
        f"/api/v1/persons/{person}/support-offers",
        user,
        {"programme": "rean", "offered_on": TODAY, "reason": "REAN-aanvraag", **body},
        headers={"If-Match": version(live, person)},
    )


def test_iom_keeps_its_voluntary_return_file_and_finds_it_in_its_queue(live: Server) -> None:
    person = referred(live)
    lodged = live.request(
        "POST",
        f"/api/v1/persons/{person}/procedures",
        "iom",
        {"procedure_type": "voluntary_return", "day": TODAY, "reason": "aanvraag vrijwillig"},
        headers={"If-Match": version(live, person)},
    )
    assert lodged.status == 201, lodged.text
    proc = lodged.body
    assert proc["queue"] == "iom" and proc["team"] == "rean"
    for kind in ("ind_consulted", "support_granted", "flight_booked", "departed"):
        step = live.request(
            "POST",
            f"/api/v1/procedures/{proc['id']}/events",
            "iom",
            {"kind": kind, "day": TODAY, "reason": kind},
            headers={"If-Match": f'"{proc["version"]}"'},
        )
        assert step.status == 201, step.text
        proc = step.body
    detail = live.get(f"/api/v1/procedures/{proc['id']}", "iom").body
    assert detail["events"][0]["kind"] == "applied"  # the application opens it
    # "niet in aanmerking ... als hij de afgelopen vijf jaar de EU heeft verlaten": five years
    # from the departure day (the catalogue's not-before term is waiting through that day).
    again = next(d for d in detail["state"]["deadlines"] if d["id"] == "rean_again")
    departed = date.fromisoformat(TODAY)
    last = departed.replace(year=departed.year + 5)
    assert (again["date"], again["status"]) == (last.isoformat(), "waiting")
    queue = live.get("/api/v1/queue?page_size=200", "iom")
    assert queue.status == 200, queue.text
    # DTenV reads IOM's file (it reads procedures) but does not record on it.
    assert live.get(f"/api/v1/procedures/{proc['id']}", "dtenv").status == 200


def test_iom_sees_only_persons_referred_to_it(live: Server) -> None:
    hidden = int(register(live, surname="Nietverwezen")["id"])
    refuse(live, hidden)
    assert live.get(f"/api/v1/persons/{hidden}", "iom").status == 404
    assert offer(live, hidden, {"kind": "flight_ticket"}).status == 404
    lodged = live.request(
        "POST",
        f"/api/v1/persons/{hidden}/procedures",
        "iom",
        {"procedure_type": "voluntary_return", "day": TODAY, "reason": "x"},
        headers={"If-Match": version(live, hidden)},
    )
    assert lodged.status == 404


def test_support_offers_recorded_by_iom_read_by_dtenv_hidden_from_coa(live: Server) -> None:
    person = referred(live)
    cash = offer(live, person, {"kind": "cash_contribution", "amount_eur": 250})
    assert cash.status == 201, cash.text
    assert cash.body["amount_eur"] == 250 and cash.body["recorded_org"] == "IOM"
    ticket = offer(live, person, {"kind": "flight_ticket", "note": "AMS-TBS"})
    assert ticket.status == 201, ticket.text
    read = live.get(f"/api/v1/persons/{person}/support-offers", "dtenv")
    assert read.status == 200, read.text
    assert [r["kind"] for r in read.body["results"]] == ["cash_contribution", "flight_ticket"]
    from keten.server.audit.models import AuditRecord  # after the live server set Django up

    audited = AuditRecord.objects.filter(actor_user="dtenv", name="support_offer.list")
    assert audited.exists()  # a read of personal data leaves its record
    by_dtenv = offer(live, person, {"kind": "flight_ticket"}, user="dtenv")
    assert by_dtenv.status == 403 and by_dtenv.body["field"] == "support_offer"
    assert live.get(f"/api/v1/persons/{person}/support-offers", "coa").status == 403
    dossier = live.get(f"/api/v1/persons/{person}/dossier", "iom").body
    assert len(dossier["support_offer"]) == 2


@pytest.mark.parametrize(
    ("body", "field", "dutch"),
    [
        ({"kind": "cash_contribution"}, "amount_eur", "verplicht"),
        ({"kind": "flight_ticket", "amount_eur": 300}, "amount_eur", "geen bedrag"),
        ({"kind": "cash_contribution", "amount_eur": 10_001}, "amount_eur", "tussen 1 en 10000"),
        ({"kind": "cash_contribution", "amount_eur": "veel"}, "amount_eur", "geen geheel getal"),
        ({"kind": "suitcase"}, "kind", "is geen van"),
        ({"kind": "flight_ticket", "programme": "marshall"}, "programme", "is geen van"),
    ],
)
def test_a_malformed_support_offer_is_refused_naming_the_field(
    live: Server, body: dict[str, Any], field: str, dutch: str
) -> None:
    person = referred(live)
    reply = offer(live, person, body)
    assert reply.status == 400, reply.text
    assert reply.body["field"] == field and dutch in reply.body["rule_nl"], reply.body


def test_an_offer_is_not_recorded_ahead(live: Server) -> None:
    person = referred(live)
    ahead = (date.today() + timedelta(days=3)).isoformat()
    reply = offer(live, person, {"kind": "flight_ticket", "offered_on": ahead})
    assert reply.status == 400 and reply.body["field"] == "offered_on"


def test_a_mistaken_offer_is_withdrawn_not_erased(live: Server) -> None:
    person = referred(live)
    made = offer(live, person, {"kind": "cash_contribution", "amount_eur": 2500})
    assert made.status == 201, made.text
    gone = live.request(
        "POST",
        f"/api/v1/persons/{person}/withdrawals",
        "iom",
        {"resource": "support_offer", "id": made.body["id"], "reason": "bedrag verkeerd getypt"},
        headers={"If-Match": version(live, person)},
    )
    assert gone.status in (200, 201), gone.text
    rows = live.get(f"/api/v1/persons/{person}/support-offers", "dtenv").body["results"]
    assert rows[0]["withdrawn"]["withdrawn_reason"] == "bedrag verkeerd getypt"
    by_dtenv = live.request(
        "POST",
        f"/api/v1/persons/{person}/withdrawals",
        "dtenv",
        {"resource": "support_offer", "id": made.body["id"], "reason": "x"},
        headers={"If-Match": version(live, person)},
    )
    assert by_dtenv.status == 403


def test_rean_facts_come_from_the_dossier_application_day_and_earlier_departure(
    live: Server,
) -> None:
    """Seed 004 (Vc A3/5.1): "Een vreemdeling komt ook niet in aanmerking voor het
    REAN-programma als hij de afgelopen vijf jaar de EU heeft verlaten, zelfstandig of gedwongen,
    met ondersteuning van de DTenV, Frontex, of de IOM." Decision support derives both days the
    rule needs from the dossier: the day of this application to the IOM, and the last supported
    departure (an earlier IOM departure), each with where it was read."""
    person = referred(live)
    earlier_day = (date.today() - timedelta(days=800)).isoformat()
    first = live.request(
        "POST",
        f"/api/v1/persons/{person}/procedures",
        "iom",
        {"procedure_type": "voluntary_return", "day": earlier_day, "reason": "eerdere aanvraag"},
        headers={"If-Match": version(live, person)},
    )
    assert first.status == 201, first.text
    departed_day = (date.today() - timedelta(days=700)).isoformat()
    step = live.request(
        "POST",
        f"/api/v1/procedures/{first.body['id']}/events",
        "iom",
        {"kind": "departed", "day": departed_day, "reason": "vertrekverklaring"},
        headers={"If-Match": f'"{first.body["version"]}"'},
    )
    assert step.status in (200, 201), step.text
    second = live.request(
        "POST",
        f"/api/v1/persons/{person}/procedures",
        "iom",
        {"procedure_type": "voluntary_return", "day": TODAY, "reason": "nieuwe aanvraag"},
        headers={"If-Match": version(live, person)},
    )
    assert second.status == 201, second.text
    offered = live.get(f"/api/v1/procedures/{second.body['id']}/support", "iom")
    assert offered.status == 200, offered.text
    facts = offered.body["facts"]
    assert facts["iom_application_date"]["value"] == TODAY
    assert facts["last_supported_departure"]["value"] == departed_day
    assert f"procedure #{first.body['id']}" in facts["last_supported_departure"]["source"]
