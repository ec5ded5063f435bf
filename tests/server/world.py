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
    p: int
    q: int
    procedure: int  # asylum_first of P, open
    decision: int  # a decision on a regular_residence of P (has a rule trail)


def register(live: Server, user: str = "ind", **extra: object) -> dict[str, Any]:
    body = {
        "v_number": v_number(),
        "given_names": "Test",
        "surname": "Persoon",
        "birth_date": "1990-00-00",
        "nationality": "XXA",
        "reason": "test registration",
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


def build(live: Server) -> World:
    today = date.today().isoformat()
    p = int(register(live)["id"])
    q = int(register(live, surname="Verborgen")["id"])
    for to_org, kind in (
        ("DTenV", "transfer_file"),
        ("IOM", "rean_referral"),
        ("Nidos", "guardianship"),
        ("gemeente-utrecht", "housing_match"),
        ("DJI", "detention_order"),
    ):
        reply = live.request(
            "POST",
            f"/api/v1/persons/{p}/handovers",
            "ind",
            {"kind": kind, "to_org": to_org, "day": today, "reason": "test world"},
            headers={"If-Match": version(live, p)},
        )
        assert reply.status == 201, reply.text
    lodged = lodge(live, p, "asylum_first", today)
    other = lodge(live, p, "regular_residence", today)
    decided = live.request(
        "POST",
        f"/api/v1/procedures/{other['id']}/decisions",
        "ind",
        {
            "outcome": "granted",
            "day": today,
            "grounds": "Vw 2000 art. 14",
            "rule_trail": [{"check": "income", "value": True, "citation": "Vc B1/4.3.3.1"}],
            "reason": "test world",
        },
        headers={"If-Match": f'"{other["version"]}"'},
    )
    assert decided.status == 201, decided.text
    return World(p, q, int(lodged["id"]), int(decided.body["decision"]["id"]))
