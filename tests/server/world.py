"""A small known world on the live server, built through the API itself: person P handed over
to every organisation with a granted scope, person Q handed over to nobody."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import count
from typing import Any

from tests.server.live import Server

_serial = count(1)


def v_number() -> str:
    return f"9{next(_serial):04d}{date.today().strftime('%m%d')}"[:10].ljust(10, "0")


@dataclass
class World:
    p: int  # an unaccompanied minor with an asylum permit, handed over to everyone
    q: int  # handed over to nobody
    r: int  # refused, handed over to DTenV for departure
    procedure: int  # asylum_first of P, open
    decision: int  # the grant of an asylum_subsequent of P (has a rule trail)


def register(live: Server, user: str = "ind", **extra: object) -> dict[str, Any]:
    body = {
        "v_number": v_number(),
        "given_names": "Test",
        "surname": "Persoon",
        "birth_date": "1990-00-00",
        "nationality": "XXA",
        "reason": "test registration",
        # Test persons share a name and birth date: each is someone else (issue 16's check).
        "confirm_not_duplicate": True,
        **extra,
    }
    reply = live.request("POST", "/api/v1/persons", user, body)
    assert reply.status == 201, reply.text
    person: dict[str, Any] = reply.body  # the created person, as JSON (Reply.body is Any)
    return person


def version(live: Server, person: int) -> str:
    reply = live.get(f"/api/v1/persons/{person}", "ind")
    assert reply.status == 200, reply.text
    return reply.headers["ETag"]


def lodge(
    live: Server, person: int, procedure_type: str = "asylum_first", day: str | None = None
) -> dict[str, Any]:
    """Lodge a procedure on the person's dossier as the IND; the created procedure."""
    reply = live.request(
        "POST",
        f"/api/v1/persons/{person}/procedures",
        "ind",
        {
            "procedure_type": procedure_type,
            "day": day or date.today().isoformat(),
            "reason": "test lodging",
        },
        headers={"If-Match": version(live, person)},
    )
    assert reply.status == 201, reply.text
    procedure: dict[str, Any] = reply.body
    return procedure


def decide(live: Server, procedure: dict[str, Any], outcome: str, **extra: object) -> int:
    """Decide ``procedure`` as the IND; the decision's id."""
    decided = live.request(
        "POST",
        f"/api/v1/procedures/{procedure['id']}/decisions",
        "ind",
        {
            "outcome": outcome,
            "day": date.today().isoformat(),
            "grounds": "Vw 2000 art. 29" if outcome == "granted" else "Vw 2000 art. 31",
            "reason": "test world",
            **extra,
        },
        headers={"If-Match": f'"{procedure["version"]}"'},
    )
    assert decided.status == 201, decided.text
    return int(decided.body["decision"]["id"])


def grant_asylum(live: Server, person: int) -> int:
    """An asylum permit for ``person`` (a permit holder, whom COA may match to a municipality);
    the decision's id."""
    return decide(live, lodge(live, person, "asylum_first"), "granted")


def refuse(live: Server, person: int) -> int:
    """A refused regular application for ``person`` (whom the IND may hand over to DTenV)."""
    return decide(live, lodge(live, person, "regular_residence"), "refused")


def hand_over(live: Server, person: int, sender: str, kind: str, to_org: str) -> None:
    reply = live.request(
        "POST",
        f"/api/v1/persons/{person}/handovers",
        sender,
        {"kind": kind, "to_org": to_org, "day": date.today().isoformat(), "reason": "test world"},
        headers={"If-Match": version(live, person)},
    )
    assert reply.status == 201, reply.text


def build(live: Server) -> World:
    """P is an unaccompanied minor, so that every organisation with a granted scope receives
    P along the hand-over table (policy.yaml ``handovers``): Nidos as guardian, DTenV from
    KMar (Vc A5/2.4), IOM and DJI from DTenV while P has no right to stay, and, once an
    asylum permit is granted, the municipality from COA."""
    today = date.today().isoformat()
    p = int(register(live, birth_date="2010-00-00", unaccompanied_minor=True)["id"])
    q = int(register(live, surname="Verborgen")["id"])
    hand_over(live, p, "ind", "guardianship", "Nidos")
    hand_over(live, p, "kmar", "overdrachtsdossier_amv", "DTenV")
    hand_over(live, p, "dtenv", "rean_referral", "IOM")
    hand_over(live, p, "dtenv", "detention_order", "DJI")
    lodged = lodge(live, p, "asylum_first", today)
    trail = [{"check": "credible", "value": True, "citation": "Vc C2/3.2"}]
    decision = decide(live, lodge(live, p, "asylum_subsequent", today), "granted", rule_trail=trail)
    hand_over(live, p, "coa", "housing_match", "gemeente-utrecht")
    r = int(register(live, surname="Afgewezen")["id"])
    refuse(live, r)
    hand_over(live, r, "ind", "transfer_file", "DTenV")
    return World(p, q, r, int(lodged["id"]), decision)
